// The one client of the Weft API: fetch with the session cookie, JSON in and out, and every
// failure as an ApiError {status, code, message, details} in the server's words
// ({"error":{code,message,details}}). No caching, no UI.
import type { Catalog, WorkflowDocument } from "./lib/types";
import type { CredentialInfo } from "./lib/credentials";
import type { RunSummary } from "./lib/runs";
import { runsQuery, type RunFilters } from "./lib/runFilters";

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;
  constructor(status: number, code: string, message: string, details?: unknown) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

export const NETWORK_ERROR = "network_error";
export const BAD_RESPONSE = "bad_response";

export interface Me {
  user: { id: string; email: string; platformAdmin: boolean };
  activeOrg: { id: string; name: string; role: string } | null;
  orgs: { id: string; name: string; role: string }[];
}

export interface WorkflowSummary {
  id: string;
  name: string;
  version: number;
  trigger: string;
  updatedAt: string;
}

export interface ApiToken {
  id: string;
  name: string;
  orgId: string;
  createdAt: string;
  expiresAt: string | null;
  // Only in the answer to the create: shown once.
  token?: string;
}

export interface Member {
  userId: string;
  email: string;
  role: string;
  since: string;
}

export interface Invitation {
  id: string;
  email: string;
  role: string;
  status?: string;
  createdAt?: string;
  expiresAt: string;
  acceptedAt?: string | null;
  // Only in the answer to the create: shown once.
  inviteUrl?: string;
}

export interface RunPage {
  runs: RunSummary[];
  nextCursor: string | null;
}

export interface WorkflowRecord {
  id: string;
  name: string;
  version: number;
  definition: WorkflowDocument;
  createdAt: string;
  updatedAt: string;
  webhook?: { path: string };
}

async function errorFrom(res: Response): Promise<ApiError> {
  const text = await res.text().catch(() => "");
  try {
    const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown; details?: unknown } };
    const e = body.error;
    if (e && typeof e.code === "string" && typeof e.message === "string") {
      return new ApiError(res.status, e.code, e.message, e.details);
    }
  } catch {
    // not JSON: fall through
  }
  return new ApiError(res.status, BAD_RESPONSE, `the server answered ${res.status} ${res.statusText}`.trim());
}

export class Api {
  constructor(
    private readonly base = "",
    private readonly fetcher: typeof fetch = (...args) => fetch(...args),
  ) {}

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const init: RequestInit = { method, credentials: "same-origin", headers: { Accept: "application/json" } };
    if (body !== undefined) {
      init.headers = { ...init.headers, "Content-Type": "application/json" };
      init.body = JSON.stringify(body);
    }
    let res: Response;
    try {
      res = await this.fetcher(this.base + path, init);
    } catch (e) {
      throw new ApiError(0, NETWORK_ERROR, `could not reach the server (${e instanceof Error ? e.message : String(e)})`);
    }
    if (!res.ok) throw await errorFrom(res);
    if (res.status === 204) return undefined as T;
    const text = await res.text();
    if (text === "") return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new ApiError(res.status, BAD_RESPONSE, "the server's answer is not JSON");
    }
  }

  setup(input: { email: string; password: string; orgName: string; setupToken: string }) {
    return this.request<{ user: Me["user"]; org: { id: string; name: string } }>("POST", "/api/setup", input);
  }
  login(email: string, password: string) {
    return this.request<Me>("POST", "/api/auth/login", { email, password });
  }
  logout() {
    return this.request<void>("POST", "/api/auth/logout");
  }
  me() {
    return this.request<Me>("GET", "/api/auth/me");
  }
  catalog() {
    return this.request<Catalog>("GET", "/api/catalog");
  }
  listWorkflows() {
    return this.request<{ workflows: WorkflowSummary[] }>("GET", "/api/workflows").then((r) => r.workflows);
  }
  getWorkflow(id: string) {
    return this.request<WorkflowRecord>("GET", `/api/workflows/${encodeURIComponent(id)}`);
  }
  createWorkflow(doc: WorkflowDocument) {
    return this.request<WorkflowRecord>("POST", "/api/workflows", doc);
  }
  updateWorkflow(id: string, doc: WorkflowDocument) {
    return this.request<WorkflowRecord>("PUT", `/api/workflows/${encodeURIComponent(id)}`, doc);
  }
  listCredentials() {
    return this.request<{ credentials: CredentialInfo[] }>("GET", "/api/credentials").then((r) => r.credentials);
  }
  createCredential(input: { name: string; provider: string; type: string; secret: Record<string, string> }) {
    return this.request<CredentialInfo>("POST", "/api/credentials", input);
  }
  startRun(workflowId: string, input: Record<string, unknown>) {
    return this.request<{ runId: string; status: string }>("POST", `/api/workflows/${encodeURIComponent(workflowId)}/runs`, { input });
  }
  getRun(id: string) {
    return this.request<unknown>("GET", `/api/runs/${encodeURIComponent(id)}`);
  }
  runEventsUrl(id: string) {
    return `${this.base}/api/runs/${encodeURIComponent(id)}/events`;
  }
  deleteWorkflow(id: string) {
    return this.request<void>("DELETE", `/api/workflows/${encodeURIComponent(id)}`);
  }
  listRuns(filters: RunFilters, cursor?: string | null, limit?: number) {
    return this.request<RunPage>("GET", runsQuery(filters, cursor, limit));
  }
  cancelRun(id: string) {
    return this.request<RunSummary>("POST", `/api/runs/${encodeURIComponent(id)}/cancel`);
  }
  rotateCredential(id: string, secret: Record<string, string>) {
    return this.request<CredentialInfo>("POST", `/api/credentials/${encodeURIComponent(id)}/rotate`, { secret });
  }
  deleteCredential(id: string) {
    return this.request<void>("DELETE", `/api/credentials/${encodeURIComponent(id)}`);
  }
  switchOrg(orgId: string) {
    return this.request<Me>("POST", "/api/auth/switch-org", { orgId });
  }
  listTokens() {
    return this.request<{ tokens: ApiToken[] }>("GET", "/api/auth/tokens").then((r) => r.tokens);
  }
  createToken(input: { name: string; expiresInDays?: number }) {
    return this.request<ApiToken>("POST", "/api/auth/tokens", input);
  }
  deleteToken(id: string) {
    return this.request<void>("DELETE", `/api/auth/tokens/${encodeURIComponent(id)}`);
  }
  listMembers() {
    return this.request<{ members: Member[] }>("GET", "/api/members").then((r) => r.members);
  }
  removeMember(userId: string) {
    return this.request<void>("DELETE", `/api/members/${encodeURIComponent(userId)}`);
  }
  listInvitations() {
    return this.request<{ invitations: Invitation[] }>("GET", "/api/invitations").then((r) => r.invitations);
  }
  invite(input: { email: string; role: string }) {
    return this.request<Invitation>("POST", "/api/invitations", input);
  }
  revokeInvitation(id: string) {
    return this.request<void>("DELETE", `/api/invitations/${encodeURIComponent(id)}`);
  }
  validateWorkflow(doc: WorkflowDocument) {
    return this.request<{ valid: true }>("POST", "/api/workflows/validate", doc);
  }
}

export const api = new Api();
