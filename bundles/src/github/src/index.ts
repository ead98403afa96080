// The first-party "github" bundle: create issues, list issues and comment on them through the
// GitHub REST API (https://docs.github.com/rest/issues), and the polling trigger github.newIssue,
// with a personal access token as a bearer_token credential. Schemas and tools live here; HTTP and error wording in api.ts.
import { defineProduct, defineTool, defineTrigger, defineVendor } from "@weft/sdk";

import { DEFAULT_BASE_URL, github, nextPage, normaliseBaseUrl, repoPath } from "./api";

const owner = {
  type: "string",
  description: "The account or organization that owns the repository, e.g. \"octocat\".",
  minLength: 1,
  maxLength: 39,
  pattern: "^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?$",
} as const;

const repo = {
  type: "string",
  description: "The repository's name without the owner, e.g. \"hello-world\".",
  minLength: 1,
  maxLength: 100,
  pattern: "^[A-Za-z0-9._-]+$",
  not: { enum: [".", ".."] },
} as const;

const baseUrl = {
  type: "string",
  description:
    `The API root: ${DEFAULT_BASE_URL} (the default) or a GitHub Enterprise Server's https://HOST/api/v3. ` +
    "The bundle may only reach api.github.com: an Enterprise host must also be allowed by the Weft operator.",
  maxLength: 2048,
  pattern: "^https?://",
  default: DEFAULT_BASE_URL,
} as const;

const labelName = { type: "string", minLength: 1, maxLength: 50 } as const;

const issueNumber = {
  type: "integer",
  description: "The issue's number in its repository (the #N shown by GitHub).",
  minimum: 1,
  maximum: 2147483647,
} as const;

const htmlUrl = { type: "string", description: "The page on GitHub a person can open." } as const;

const createIssue = defineTool({
  id: "github.createIssue",
  name: "Create issue",
  description: "Opens a new issue in a repository. The token needs write access to issues.",
  inputSchema: {
    type: "object",
    properties: {
      owner,
      repo,
      title: { type: "string", description: "The issue's title.", minLength: 1, maxLength: 256 },
      body: { type: "string", description: "The issue's text, in GitHub Markdown.", maxLength: 65536 },
      labels: {
        type: "array",
        description: "Label names to add; labels that do not exist yet are created by GitHub when the token may.",
        items: labelName,
        maxItems: 100,
        uniqueItems: true,
      },
      baseUrl,
    },
    required: ["owner", "repo", "title"],
    additionalProperties: false,
  },
  outputSchema: {
    type: "object",
    properties: {
      number: { ...issueNumber, description: "The new issue's number." },
      url: htmlUrl,
      id: { type: "integer", description: "GitHub's global id of the issue." },
    },
    required: ["number", "url", "id"],
    additionalProperties: false,
  },
  async run(input: { owner: string; repo: string; title: string; body?: string; labels?: string[]; baseUrl?: string }, ctx) {
    const root = normaliseBaseUrl(input.baseUrl);
    const body: { [key: string]: string | string[] } = { title: input.title };
    if (input.body !== undefined) body.body = input.body;
    if (input.labels !== undefined) body.labels = input.labels;
    const { body: issue } = await github(ctx, root, {
      method: "POST",
      path: `${repoPath(input.owner, input.repo)}/issues`,
      body,
      what: `repository ${input.owner}/${input.repo}`,
    });
    ctx.log("info", "created a GitHub issue", { repository: `${input.owner}/${input.repo}`, number: issue?.number });
    return { number: integer(issue?.number, "number"), url: text(issue?.html_url, "html_url"), id: integer(issue?.id, "id") };
  },
});

const listIssues = defineTool({
  id: "github.listIssues",
  name: "List issues",
  description:
    "Lists a repository's issues, newest first, one page at a time. GitHub counts pull requests as issues: they are listed with pullRequest true.",
  inputSchema: {
    type: "object",
    properties: {
      owner,
      repo,
      state: { type: "string", description: "Which issues: open (the default), closed or all.", enum: ["open", "closed", "all"], default: "open" },
      labels: {
        type: "array",
        description: "Only issues that carry every one of these labels.",
        items: { ...labelName, pattern: "^[^,]+$" },
        maxItems: 20,
      },
      perPage: { type: "integer", description: "Issues per page (GitHub allows 1 to 100).", minimum: 1, maximum: 100, default: 30 },
      page: { type: "integer", description: "Which page, from 1.", minimum: 1, maximum: 100000, default: 1 },
      baseUrl,
    },
    required: ["owner", "repo"],
    additionalProperties: false,
  },
  outputSchema: {
    type: "object",
    properties: {
      issues: {
        type: "array",
        items: {
          type: "object",
          properties: {
            number: issueNumber,
            title: { type: "string" },
            state: { type: "string", enum: ["open", "closed"] },
            url: htmlUrl,
            labels: { type: "array", items: { type: "string" } },
            pullRequest: { type: "boolean", description: "True when the item is a pull request." },
          },
          required: ["number", "title", "state", "url", "labels", "pullRequest"],
          additionalProperties: false,
        },
      },
      nextPage: {
        type: ["integer", "null"],
        description: "The page to ask for next, or null when this was the last one.",
      },
    },
    required: ["issues", "nextPage"],
    additionalProperties: false,
  },
  async run(
    input: { owner: string; repo: string; state?: string; labels?: string[]; perPage?: number; page?: number; baseUrl?: string },
    ctx,
  ) {
    const root = normaliseBaseUrl(input.baseUrl);
    const query: Record<string, string> = {
      state: input.state ?? "open",
      per_page: String(input.perPage ?? 30),
      page: String(input.page ?? 1),
    };
    if (input.labels !== undefined && input.labels.length > 0) query.labels = input.labels.join(",");
    const { body, headers } = await github(ctx, root, {
      method: "GET",
      path: `${repoPath(input.owner, input.repo)}/issues`,
      query,
      what: `repository ${input.owner}/${input.repo}`,
    });
    if (!Array.isArray(body)) throw new Error("GitHub's answer to the issue list is not an array");
    const issues = body.map((issue: any) => ({
      number: integer(issue?.number, "number"),
      title: text(issue?.title, "title"),
      state: issue?.state === "closed" ? "closed" : "open",
      url: text(issue?.html_url, "html_url"),
      labels: Array.isArray(issue?.labels)
        ? issue.labels.map((l: any) => (typeof l === "string" ? l : String(l?.name ?? "")))
        : [],
      pullRequest: issue?.pull_request !== undefined && issue?.pull_request !== null,
    }));
    return { issues, nextPage: nextPage(headers["link"]) };
  },
});

const commentOnIssue = defineTool({
  id: "github.commentOnIssue",
  name: "Comment on issue",
  description: "Adds a comment to an issue or pull request.",
  inputSchema: {
    type: "object",
    properties: {
      owner,
      repo,
      number: issueNumber,
      body: { type: "string", description: "The comment, in GitHub Markdown.", minLength: 1, maxLength: 65536 },
      baseUrl,
    },
    required: ["owner", "repo", "number", "body"],
    additionalProperties: false,
  },
  outputSchema: {
    type: "object",
    properties: {
      id: { type: "integer", description: "GitHub's id of the comment." },
      url: htmlUrl,
    },
    required: ["id", "url"],
    additionalProperties: false,
  },
  async run(input: { owner: string; repo: string; number: number; body: string; baseUrl?: string }, ctx) {
    const root = normaliseBaseUrl(input.baseUrl);
    const { body: comment } = await github(ctx, root, {
      method: "POST",
      path: `${repoPath(input.owner, input.repo)}/issues/${input.number}/comments`,
      body: { body: input.body },
      what: `issue #${input.number} in ${input.owner}/${input.repo}`,
    });
    return { id: integer(comment?.id, "id"), url: text(comment?.html_url, "html_url") };
  },
});

// How many of the newest issues one poll reads (GitHub's page size allows 100).
const POLL_PAGE = 50;

interface NewIssueState {
  newestId: number | null;
  newestUpdatedAt: string | null;
}

const newIssue = defineTrigger({
  id: "github.newIssue",
  name: "New issue",
  description:
    "Starts a run for each new issue of a repository (pull requests are left out), checking on the workflow's schedule.",
  inputSchema: {
    type: "object",
    properties: { owner, repo, baseUrl },
    required: ["owner", "repo"],
    additionalProperties: false,
  },
  outputSchema: {
    type: "object",
    properties: {
      id: { type: "integer", description: "GitHub's global id of the issue." },
      number: issueNumber,
      title: { type: "string" },
      url: htmlUrl,
      user: { type: ["string", "null"], description: "The login of the issue's author." },
    },
    required: ["id", "number", "title", "url", "user"],
    additionalProperties: false,
  },
  // Reads the newest issues (open or closed), newest first; Weft starts a run for each id it has
  // not seen. The state remembers the newest id and update time seen, and asks GitHub only for
  // issues updated since then (inclusive: the pages overlap, Weft drops the repeats).
  async run(input: { owner: string; repo: string; baseUrl?: string }, ctx) {
    const root = normaliseBaseUrl(input.baseUrl);
    const previous = readState(ctx.state);
    const query: Record<string, string> = { state: "all", sort: "created", direction: "desc", per_page: String(POLL_PAGE) };
    if (previous.newestUpdatedAt !== null) query.since = previous.newestUpdatedAt;
    const { body } = await github(ctx, root, {
      method: "GET",
      path: `${repoPath(input.owner, input.repo)}/issues`,
      query,
      what: `repository ${input.owner}/${input.repo}`,
    });
    if (!Array.isArray(body)) throw new Error("GitHub's answer to the issue list is not an array");
    const issues = body.filter((issue: any) => issue?.pull_request === undefined || issue?.pull_request === null);
    const items = issues.map((issue: any) => ({
      id: integer(issue?.id, "id"),
      number: integer(issue?.number, "number"),
      title: text(issue?.title, "title"),
      url: text(issue?.html_url, "html_url"),
      user: typeof issue?.user?.login === "string" ? issue.user.login : null,
    }));
    const state: NewIssueState = { ...previous };
    for (const issue of issues) {
      if (state.newestId === null || issue.id > state.newestId) state.newestId = issue.id;
      if (typeof issue.updated_at === "string" && (state.newestUpdatedAt === null || issue.updated_at > state.newestUpdatedAt)) {
        state.newestUpdatedAt = issue.updated_at;
      }
    }
    return { items, state: { newestId: state.newestId, newestUpdatedAt: state.newestUpdatedAt } };
  },
});

function readState(value: unknown): NewIssueState {
  const s = value as { newestId?: unknown; newestUpdatedAt?: unknown } | null;
  return {
    newestId: typeof s?.newestId === "number" ? s.newestId : null,
    newestUpdatedAt: typeof s?.newestUpdatedAt === "string" ? s.newestUpdatedAt : null,
  };
}

function integer(value: unknown, field: string): number {
  if (typeof value === "number" && Number.isInteger(value)) return value;
  throw new Error(`GitHub's answer has no integer "${field}"`);
}

function text(value: unknown, field: string): string {
  if (typeof value === "string") return value;
  throw new Error(`GitHub's answer has no "${field}"`);
}

export default defineVendor({
  id: "github",
  name: "GitHub",
  version: "1.0.0",
  icon: "assets/icon.svg",
  // A personal access token: classic with the repo scope, or fine-grained with Issues read and write.
  auth: { type: "bearer_token" },
  network: { allowedHosts: ["api.github.com"] },
  capabilities: ["tools"],
  products: [
    defineProduct({
      id: "github-issues",
      name: "GitHub Issues",
      category: "Developer tools",
      tools: [createIssue, listIssues, commentOnIssue],
      triggers: [newIssue],
    }),
  ],
});
