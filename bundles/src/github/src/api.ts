// The GitHub bundle's REST client: owns the base URL rule (api.github.com, or an Enterprise
// Server's https://HOST/api/v3), the headers GitHub asks for, and turning GitHub's error answers
// into messages a person can act on. It never names a host the caller did not give, and it never
// puts the token anywhere but the Authorization header.
import type { WeftContext, WeftResponse } from "@weft/sdk";

export const DEFAULT_BASE_URL = "https://api.github.com";
export const API_VERSION = "2022-11-28";
const USER_AGENT = "weft-github-bundle/1.0.0";
const TIMEOUT_MS = 30_000;

export class GitHubError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.name = "GitHubError";
    this.status = status;
  }
}

// "https://api.github.com" or "https://ghe.example.com/api/v3" (a trailing "/" dropped). Plain
// http is accepted only for a loopback host (a local test double), so a token never crosses a
// network in clear.
export function normaliseBaseUrl(baseUrl: string | undefined): string {
  const text = (baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, "");
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`baseUrl ${JSON.stringify(baseUrl)} is not a URL; use e.g. https://github.example.com/api/v3`);
  }
  const loopback = url.hostname === "127.0.0.1" || url.hostname === "localhost" || url.hostname === "[::1]";
  if (url.protocol !== "https:" && !(url.protocol === "http:" && loopback)) {
    throw new Error(`baseUrl must be an https:// URL (got ${url.protocol}//${url.host})`);
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new Error("baseUrl must not hold a user name, password, query or fragment");
  }
  return text;
}

// The personal access token of the step's bearer_token credential.
export function tokenOf(ctx: WeftContext): string {
  const auth = ctx.auth;
  if (auth && "token" in auth && typeof auth.token === "string" && auth.token !== "") return auth.token;
  throw new Error("no GitHub token: give this step a bearer_token credential holding a personal access token");
}

export function repoPath(owner: string, repo: string): string {
  return `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}`;
}

export interface GitHubRequest {
  method: "GET" | "POST";
  path: string;  // starts with "/", already encoded
  query?: Record<string, string>;
  body?: { [key: string]: string | number | string[] };
  what: string;  // "repository octo/hello", for error messages
}

// Performs the request; answers { body, headers } of a 2xx answer, else throws a GitHubError.
export async function github(ctx: WeftContext, baseUrl: string, req: GitHubRequest) {
  const url = new URL(baseUrl + req.path);
  for (const [name, value] of Object.entries(req.query ?? {})) url.searchParams.set(name, value);
  const headers: Record<string, string> = {
    accept: "application/vnd.github+json",
    authorization: `Bearer ${tokenOf(ctx)}`,
    "x-github-api-version": API_VERSION,
    "user-agent": USER_AGENT,
  };
  if (req.body !== undefined) headers["content-type"] = "application/json";
  const response = await ctx.fetch(url.toString(), {
    method: req.method,
    headers,
    body: req.body === undefined ? undefined : JSON.stringify(req.body),
    timeoutMs: TIMEOUT_MS,
  });
  const text = await response.text();
  let body: any = undefined;
  try {
    body = text === "" ? undefined : JSON.parse(text);
  } catch {
    if (response.ok) throw new GitHubError(response.status, `GitHub answered HTTP ${response.status} with a body that is not JSON`);
  }
  if (!response.ok) throw errorFor(response, body, req.what);
  return { body, headers: response.headers };
}

function errorFor(response: WeftResponse, body: any, what: string): GitHubError {
  const status = response.status;
  const said = typeof body?.message === "string" ? body.message : "";
  const quoted = said ? ` ("${said}")` : "";
  const h = response.headers;
  if (status === 401) {
    return new GitHubError(status, `GitHub refused the token${quoted}: it is wrong, expired or revoked; update the credential`);
  }
  if ((status === 403 || status === 429) && (h["x-ratelimit-remaining"] === "0" || h["retry-after"] !== undefined || /rate limit/i.test(said))) {
    return new GitHubError(status, `GitHub's rate limit is exhausted${quoted}; ${whenToRetry(h)}`);
  }
  if (status === 403) {
    return new GitHubError(status, `GitHub forbids this for the token${quoted}: it lacks the permission for ${what} (fine-grained tokens need "Issues" access)`);
  }
  if (status === 404) {
    return new GitHubError(status, `GitHub found no ${what}, or the token may not see it (private repositories answer 404 too)`);
  }
  if (status === 410) {
    return new GitHubError(status, `GitHub says ${what} is gone${quoted}: issues may be disabled for the repository`);
  }
  if (status === 422) {
    return new GitHubError(status, `GitHub refused the request as invalid${quoted}${validationDetails(body?.errors)}`);
  }
  return new GitHubError(status, `GitHub answered HTTP ${status}${quoted} for ${what}`);
}

// GitHub's `errors` list: [{ resource, field, code, message?, value? }] (or plain strings).
function validationDetails(errors: unknown): string {
  if (!Array.isArray(errors) || errors.length === 0) return "";
  const parts = errors.slice(0, 10).map((e: any) => {
    if (typeof e === "string") return e;
    if (typeof e?.message === "string" && e.message !== "") return e.message;
    const where = [e?.resource, e?.field].filter((x) => typeof x === "string").join(".");
    const value = e?.value === undefined ? "" : ` ${JSON.stringify(e.value)}`;
    return `${where || "request"}${value}: ${describeCode(e?.code)}`;
  });
  const more = errors.length > 10 ? ` (and ${errors.length - 10} more)` : "";
  return `: ${parts.join("; ")}${more}`;
}

function describeCode(code: unknown): string {
  switch (code) {
    case "missing": return "does not exist";
    case "missing_field": return "is required";
    case "invalid": return "is not valid";
    case "already_exists": return "already exists";
    case "unprocessable": return "cannot be processed";
    default: return typeof code === "string" ? code : "is not accepted";
  }
}

function whenToRetry(h: Readonly<Record<string, string>>): string {
  const after = Number(h["retry-after"]);
  if (Number.isFinite(after) && after > 0) return `retry in ${after} s`;
  const reset = Number(h["x-ratelimit-reset"]);
  if (Number.isFinite(reset) && reset > 0) return `it resets at ${new Date(reset * 1000).toISOString()}`;
  return "retry later";
}

// The page number of the rel="next" link of a Link header, or null when this is the last page.
export function nextPage(link: string | undefined): number | null {
  if (!link) return null;
  for (const part of link.split(",")) {
    const match = /<([^>]*)>\s*;\s*rel="?next"?/.exec(part);
    if (!match) continue;
    try {
      const page = Number(new URL(match[1]).searchParams.get("page"));
      return Number.isInteger(page) && page > 0 ? page : null;
    } catch {
      return null;
    }
  }
  return null;
}
