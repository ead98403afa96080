// ../../../sdk/index.js
var VENDOR_ID = /^[a-z][a-z0-9-]*$/;
var VERSION = /^[0-9A-Za-z][0-9A-Za-z.+-]{0,63}$/;
var HOST_NAME = /^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:[0-9]{1,5})?$|^\[[0-9a-f:.]+\](:[0-9]{1,5})?$/;
var AUTH_TYPES = ["none", "api_key", "bearer_token", "oauth2", "bot_token"];
var TOOL_CATEGORIES = ["tools", "blocks"];
var VENDOR_MARK = /* @__PURE__ */ Symbol.for("weft.sdk.vendor");
function defineTool(spec) {
  return describeBlock("defineTool", "tool", spec);
}
function defineTrigger(spec) {
  const block = describeBlock("defineTrigger", "trigger", spec);
  if (typeof block.run === "function") block.run = pollOf(block.id, block.run);
  return block;
}
var MAX_POLL_ITEMS = 1e3;
var MAX_POLL_STATE_BYTES = 64 * 1024;
var MAX_POLL_ITEM_ID_BYTES = 256;
function pollOf(id, run) {
  return async function poll(input, ctx) {
    const answer = await run(input, ctx);
    return checkPollAnswer(String(id), answer);
  };
}
function utf8Length(text2) {
  return typeof TextEncoder === "function" ? new TextEncoder().encode(text2).length : text2.length;
}
function checkPollAnswer(id, answer) {
  const fail = (why) => {
    throw new TypeError(`trigger ${id}: the poll must return { items: [...], state }: ${why}`);
  };
  if (!isPlainObject(answer)) fail(`got ${answer === null ? "null" : Array.isArray(answer) ? "an array" : typeof answer}`);
  for (const key of Object.keys(answer)) if (key !== "items" && key !== "state") fail(`unknown field "${key}"`);
  if (!Array.isArray(answer.items)) fail("items must be an array");
  if (answer.items.length > MAX_POLL_ITEMS) fail(`${answer.items.length} items (at most ${MAX_POLL_ITEMS} per poll)`);
  answer.items.forEach((item, i) => {
    if (!isPlainObject(item)) fail(`items[${i}] must be an object`);
    const itemId = item.id;
    const ok = typeof itemId === "string" && itemId !== "" || Number.isSafeInteger(itemId);
    if (!ok) fail(`items[${i}].id must be a non-empty string or an integer`);
    if (utf8Length(JSON.stringify(itemId)) > MAX_POLL_ITEM_ID_BYTES) fail(`items[${i}].id is longer than ${MAX_POLL_ITEM_ID_BYTES} bytes`);
  });
  const state = answer.state === void 0 ? null : answer.state;
  let text2;
  try {
    text2 = JSON.stringify(state);
  } catch (e) {
    fail(`state is not JSON (${e.message})`);
  }
  if (text2 === void 0) fail("state is not JSON");
  if (utf8Length(text2) > MAX_POLL_STATE_BYTES) fail(`state is ${utf8Length(text2)} bytes (at most ${MAX_POLL_STATE_BYTES})`);
  return { items: answer.items, state };
}
function defineProduct(spec) {
  requireObject("defineProduct", spec);
  return {
    kind: "product",
    id: spec.id,
    name: spec.name,
    category: spec.category,
    dependencies: spec.dependencies ?? [],
    tools: spec.tools,
    triggers: spec.triggers ?? []
  };
}
function defineVendor(spec) {
  requireObject("defineVendor", spec);
  const problems = [];
  const definition = normaliseVendor(spec, problems);
  if (problems.length > 0) {
    const error = new TypeError(
      `defineVendor(${JSON.stringify(String(spec.id ?? ""))}): invalid definition:
  - ${problems.join("\n  - ")}`
    );
    error.problems = problems;
    throw error;
  }
  const tools = {};
  for (const product of definition.products) {
    for (const block of [...product.tools, ...product.triggers]) tools[block.id] = block.run;
  }
  const vendor = { id: definition.id, tools, definition };
  Object.defineProperty(vendor, VENDOR_MARK, { value: true });
  const host = globalThis.defineVendor;
  if (typeof host === "function" && host !== defineVendor) return host(vendor);
  return vendor;
}
function describeBlock(fn, kind, spec) {
  requireObject(fn, spec);
  return {
    kind,
    id: spec.id,
    name: spec.name,
    description: spec.description,
    category: kind === "trigger" ? "triggers" : spec.category ?? "tools",
    inputSchema: spec.inputSchema,
    outputSchema: spec.outputSchema,
    run: spec.run
  };
}
function requireObject(fn, spec) {
  if (!isPlainObject(spec)) throw new TypeError(`${fn}(spec): spec must be an object`);
}
function isPlainObject(value) {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
function isNonEmptyString(value) {
  return typeof value === "string" && value.length > 0;
}
function normaliseVendor(spec, problems) {
  const id = spec.id;
  if (!isNonEmptyString(id) || !VENDOR_ID.test(id)) {
    problems.push(`id ${JSON.stringify(id)} must match /^[a-z][a-z0-9-]*$/`);
  }
  requireString(spec, "name", "name", problems);
  if (!isNonEmptyString(spec.version) || !VERSION.test(spec.version)) {
    problems.push(`version ${JSON.stringify(spec.version)} must be a version string such as "1.0.0"`);
  }
  if (spec.icon !== void 0) requireString(spec, "icon", "icon", problems);
  const auth = normaliseAuth(spec.auth, problems);
  const network = normaliseNetwork(spec.network, problems);
  const capabilities = normaliseStringList(spec.capabilities, "capabilities", ["tools"], problems);
  const products = [];
  if (!Array.isArray(spec.products) || spec.products.length === 0) {
    problems.push("products must be a non-empty array of defineProduct(...) results");
  } else {
    const productIds = /* @__PURE__ */ new Set();
    const blockIds = /* @__PURE__ */ new Set();
    spec.products.forEach((product, p) => {
      products.push(normaliseProduct(product, `products[${p}]`, id, productIds, blockIds, problems));
    });
  }
  const definition = { id, name: spec.name, version: spec.version };
  if (spec.icon !== void 0) definition.icon = spec.icon;
  Object.assign(definition, { auth, network, capabilities, products });
  return definition;
}
function normaliseAuth(auth, problems) {
  if (!isPlainObject(auth)) {
    problems.push(`auth must be an object such as { type: "none" }`);
    return auth;
  }
  if (!AUTH_TYPES.includes(auth.type)) {
    problems.push(`auth.type ${JSON.stringify(auth.type)} must be one of ${AUTH_TYPES.join(", ")}`);
  }
  return { ...auth };
}
function normaliseNetwork(network, problems) {
  if (network === void 0) return { allowedHosts: [] };
  if (!isPlainObject(network)) {
    problems.push('network must be an object such as { allowedHosts: ["api.example.com"] }');
    return { allowedHosts: [] };
  }
  const hosts = normaliseStringList(network.allowedHosts, "network.allowedHosts", [], problems);
  hosts.forEach((host, i) => {
    if (typeof host === "string" && !HOST_NAME.test(host)) {
      problems.push(
        `network.allowedHosts[${i}] ${JSON.stringify(host)} must be a lower-case host such as "api.example.com", "*.example.com" or "api.example.com:8443"`
      );
    }
  });
  return { allowedHosts: hosts };
}
function normaliseStringList(list, where, fallback, problems) {
  if (list === void 0) return [...fallback];
  if (!Array.isArray(list)) {
    problems.push(`${where} must be an array of strings`);
    return [...fallback];
  }
  list.forEach((item, i) => {
    if (!isNonEmptyString(item)) problems.push(`${where}[${i}] must be a non-empty string`);
  });
  return [...list];
}
function normaliseProduct(product, where, vendorId, productIds, blockIds, problems) {
  if (!isPlainObject(product)) {
    problems.push(`${where} must be a defineProduct(...) result`);
    return product;
  }
  if (requireString(product, "id", where + ".id", problems)) {
    if (productIds.has(product.id)) problems.push(`${where}.id "${product.id}" is a duplicate product id`);
    productIds.add(product.id);
  }
  requireString(product, "name", where + ".name", problems);
  if (product.category !== void 0) requireString(product, "category", where + ".category", problems);
  const dependencies = normaliseDependencies(product.dependencies, where, problems);
  const blocks = (key, kind) => {
    const list = product[key] ?? [];
    if (!Array.isArray(list)) {
      problems.push(`${where}.${key} must be an array`);
      return [];
    }
    return list.map(
      (block, b) => normaliseBlock(block, kind, `${where}.${key}[${b}]`, vendorId, blockIds, problems)
    );
  };
  const tools = blocks("tools", "tool");
  const triggers = blocks("triggers", "trigger");
  if (tools.length + triggers.length === 0) problems.push(`${where} has no tools or triggers`);
  return {
    id: product.id,
    name: product.name,
    category: product.category ?? "Other",
    dependencies,
    tools,
    triggers
  };
}
function normaliseDependencies(list, where, problems) {
  if (list === void 0) return [];
  if (!Array.isArray(list)) {
    problems.push(`${where}.dependencies must be an array of { name, version, reason }`);
    return [];
  }
  return list.map((dep, d) => {
    const at = `${where}.dependencies[${d}]`;
    if (!isPlainObject(dep)) {
      problems.push(`${at} must be an object { name, version, reason }`);
      return dep;
    }
    for (const key of ["name", "version", "reason"]) requireString(dep, key, `${at}.${key}`, problems);
    return { name: dep.name, version: dep.version, reason: dep.reason };
  });
}
function normaliseBlock(block, kind, where, vendorId, blockIds, problems) {
  if (!isPlainObject(block)) {
    problems.push(`${where} must be a define${kind === "tool" ? "Tool" : "Trigger"}(...) result`);
    return block;
  }
  const wrongKind = block.kind !== void 0 && block.kind !== kind;
  if (wrongKind) problems.push(`${where} is a ${block.kind}, not a ${kind}`);
  if (requireString(block, "id", where + ".id", problems)) {
    const prefix = `${vendorId}.`;
    if (!block.id.startsWith(prefix) || block.id.length === prefix.length) {
      problems.push(`${where}.id "${block.id}" must start with "${prefix}" followed by a name`);
    }
    if (blockIds.has(block.id)) problems.push(`${where}.id "${block.id}" is a duplicate tool or trigger id`);
    blockIds.add(block.id);
  }
  requireString(block, "name", where + ".name", problems);
  if (typeof block.description !== "string") problems.push(`${where}.description must be a string`);
  const category = kind === "trigger" ? "triggers" : block.category ?? "tools";
  if (kind === "tool" && !wrongKind && !TOOL_CATEGORIES.includes(category)) {
    problems.push(`${where}.category ${JSON.stringify(category)} must be one of ${TOOL_CATEGORIES.join(", ")}`);
  }
  for (const key of ["inputSchema", "outputSchema"]) {
    if (!isPlainObject(block[key])) problems.push(`${where}.${key} must be a JSON Schema object`);
  }
  if (typeof block.run !== "function") problems.push(`${where}.run must be a function (input, ctx) => output`);
  return {
    kind,
    id: block.id,
    name: block.name,
    description: block.description,
    category,
    inputSchema: block.inputSchema,
    outputSchema: block.outputSchema,
    run: block.run
  };
}
function requireString(obj, key, where, problems) {
  if (isNonEmptyString(obj[key])) return true;
  problems.push(obj[key] === void 0 ? `${where} is required` : `${where} must be a non-empty string`);
  return false;
}

// src/api.ts
var DEFAULT_BASE_URL = "https://api.github.com";
var API_VERSION = "2022-11-28";
var USER_AGENT = "weft-github-bundle/1.0.0";
var TIMEOUT_MS = 3e4;
var GitHubError = class extends Error {
  status;
  constructor(status, message) {
    super(message);
    this.name = "GitHubError";
    this.status = status;
  }
};
function normaliseBaseUrl(baseUrl2) {
  const text2 = (baseUrl2 ?? DEFAULT_BASE_URL).replace(/\/+$/, "");
  let url;
  try {
    url = new URL(text2);
  } catch {
    throw new Error(`baseUrl ${JSON.stringify(baseUrl2)} is not a URL; use e.g. https://github.example.com/api/v3`);
  }
  const loopback = url.hostname === "127.0.0.1" || url.hostname === "localhost" || url.hostname === "[::1]";
  if (url.protocol !== "https:" && !(url.protocol === "http:" && loopback)) {
    throw new Error(`baseUrl must be an https:// URL (got ${url.protocol}//${url.host})`);
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new Error("baseUrl must not hold a user name, password, query or fragment");
  }
  return text2;
}
function tokenOf(ctx) {
  const auth = ctx.auth;
  if (auth && "token" in auth && typeof auth.token === "string" && auth.token !== "") return auth.token;
  throw new Error("no GitHub token: give this step a bearer_token credential holding a personal access token");
}
function repoPath(owner2, repo2) {
  return `/repos/${encodeURIComponent(owner2)}/${encodeURIComponent(repo2)}`;
}
async function github(ctx, baseUrl2, req) {
  const url = new URL(baseUrl2 + req.path);
  for (const [name, value] of Object.entries(req.query ?? {})) url.searchParams.set(name, value);
  const headers = {
    accept: "application/vnd.github+json",
    authorization: `Bearer ${tokenOf(ctx)}`,
    "x-github-api-version": API_VERSION,
    "user-agent": USER_AGENT
  };
  if (req.body !== void 0) headers["content-type"] = "application/json";
  const response = await ctx.fetch(url.toString(), {
    method: req.method,
    headers,
    body: req.body === void 0 ? void 0 : JSON.stringify(req.body),
    timeoutMs: TIMEOUT_MS
  });
  const text2 = await response.text();
  let body = void 0;
  try {
    body = text2 === "" ? void 0 : JSON.parse(text2);
  } catch {
    if (response.ok) throw new GitHubError(response.status, `GitHub answered HTTP ${response.status} with a body that is not JSON`);
  }
  if (!response.ok) throw errorFor(response, body, req.what);
  return { body, headers: response.headers };
}
function errorFor(response, body, what) {
  const status = response.status;
  const said = typeof body?.message === "string" ? body.message : "";
  const quoted = said ? ` ("${said}")` : "";
  const h = response.headers;
  if (status === 401) {
    return new GitHubError(status, `GitHub refused the token${quoted}: it is wrong, expired or revoked; update the credential`);
  }
  if ((status === 403 || status === 429) && (h["x-ratelimit-remaining"] === "0" || h["retry-after"] !== void 0 || /rate limit/i.test(said))) {
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
function validationDetails(errors) {
  if (!Array.isArray(errors) || errors.length === 0) return "";
  const parts = errors.slice(0, 10).map((e) => {
    if (typeof e === "string") return e;
    if (typeof e?.message === "string" && e.message !== "") return e.message;
    const where = [e?.resource, e?.field].filter((x) => typeof x === "string").join(".");
    const value = e?.value === void 0 ? "" : ` ${JSON.stringify(e.value)}`;
    return `${where || "request"}${value}: ${describeCode(e?.code)}`;
  });
  const more = errors.length > 10 ? ` (and ${errors.length - 10} more)` : "";
  return `: ${parts.join("; ")}${more}`;
}
function describeCode(code) {
  switch (code) {
    case "missing":
      return "does not exist";
    case "missing_field":
      return "is required";
    case "invalid":
      return "is not valid";
    case "already_exists":
      return "already exists";
    case "unprocessable":
      return "cannot be processed";
    default:
      return typeof code === "string" ? code : "is not accepted";
  }
}
function whenToRetry(h) {
  const after = Number(h["retry-after"]);
  if (Number.isFinite(after) && after > 0) return `retry in ${after} s`;
  const reset = Number(h["x-ratelimit-reset"]);
  if (Number.isFinite(reset) && reset > 0) return `it resets at ${new Date(reset * 1e3).toISOString()}`;
  return "retry later";
}
function nextPage(link) {
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

// src/index.ts
var owner = {
  type: "string",
  description: 'The account or organization that owns the repository, e.g. "octocat".',
  minLength: 1,
  maxLength: 39,
  pattern: "^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?$"
};
var repo = {
  type: "string",
  description: `The repository's name without the owner, e.g. "hello-world".`,
  minLength: 1,
  maxLength: 100,
  pattern: "^[A-Za-z0-9._-]+$",
  not: { enum: [".", ".."] }
};
var baseUrl = {
  type: "string",
  description: `The API root: ${DEFAULT_BASE_URL} (the default) or a GitHub Enterprise Server's https://HOST/api/v3. The bundle may only reach api.github.com: an Enterprise host must also be allowed by the Weft operator.`,
  maxLength: 2048,
  pattern: "^https?://",
  default: DEFAULT_BASE_URL
};
var labelName = { type: "string", minLength: 1, maxLength: 50 };
var issueNumber = {
  type: "integer",
  description: "The issue's number in its repository (the #N shown by GitHub).",
  minimum: 1,
  maximum: 2147483647
};
var htmlUrl = { type: "string", description: "The page on GitHub a person can open." };
var createIssue = defineTool({
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
        uniqueItems: true
      },
      baseUrl
    },
    required: ["owner", "repo", "title"],
    additionalProperties: false
  },
  outputSchema: {
    type: "object",
    properties: {
      number: { ...issueNumber, description: "The new issue's number." },
      url: htmlUrl,
      id: { type: "integer", description: "GitHub's global id of the issue." }
    },
    required: ["number", "url", "id"],
    additionalProperties: false
  },
  async run(input, ctx) {
    const root = normaliseBaseUrl(input.baseUrl);
    const body = { title: input.title };
    if (input.body !== void 0) body.body = input.body;
    if (input.labels !== void 0) body.labels = input.labels;
    const { body: issue } = await github(ctx, root, {
      method: "POST",
      path: `${repoPath(input.owner, input.repo)}/issues`,
      body,
      what: `repository ${input.owner}/${input.repo}`
    });
    ctx.log("info", "created a GitHub issue", { repository: `${input.owner}/${input.repo}`, number: issue?.number });
    return { number: integer(issue?.number, "number"), url: text(issue?.html_url, "html_url"), id: integer(issue?.id, "id") };
  }
});
var listIssues = defineTool({
  id: "github.listIssues",
  name: "List issues",
  description: "Lists a repository's issues, newest first, one page at a time. GitHub counts pull requests as issues: they are listed with pullRequest true.",
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
        maxItems: 20
      },
      perPage: { type: "integer", description: "Issues per page (GitHub allows 1 to 100).", minimum: 1, maximum: 100, default: 30 },
      page: { type: "integer", description: "Which page, from 1.", minimum: 1, maximum: 1e5, default: 1 },
      baseUrl
    },
    required: ["owner", "repo"],
    additionalProperties: false
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
            pullRequest: { type: "boolean", description: "True when the item is a pull request." }
          },
          required: ["number", "title", "state", "url", "labels", "pullRequest"],
          additionalProperties: false
        }
      },
      nextPage: {
        type: ["integer", "null"],
        description: "The page to ask for next, or null when this was the last one."
      }
    },
    required: ["issues", "nextPage"],
    additionalProperties: false
  },
  async run(input, ctx) {
    const root = normaliseBaseUrl(input.baseUrl);
    const query = {
      state: input.state ?? "open",
      per_page: String(input.perPage ?? 30),
      page: String(input.page ?? 1)
    };
    if (input.labels !== void 0 && input.labels.length > 0) query.labels = input.labels.join(",");
    const { body, headers } = await github(ctx, root, {
      method: "GET",
      path: `${repoPath(input.owner, input.repo)}/issues`,
      query,
      what: `repository ${input.owner}/${input.repo}`
    });
    if (!Array.isArray(body)) throw new Error("GitHub's answer to the issue list is not an array");
    const issues = body.map((issue) => ({
      number: integer(issue?.number, "number"),
      title: text(issue?.title, "title"),
      state: issue?.state === "closed" ? "closed" : "open",
      url: text(issue?.html_url, "html_url"),
      labels: Array.isArray(issue?.labels) ? issue.labels.map((l) => typeof l === "string" ? l : String(l?.name ?? "")) : [],
      pullRequest: issue?.pull_request !== void 0 && issue?.pull_request !== null
    }));
    return { issues, nextPage: nextPage(headers["link"]) };
  }
});
var commentOnIssue = defineTool({
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
      baseUrl
    },
    required: ["owner", "repo", "number", "body"],
    additionalProperties: false
  },
  outputSchema: {
    type: "object",
    properties: {
      id: { type: "integer", description: "GitHub's id of the comment." },
      url: htmlUrl
    },
    required: ["id", "url"],
    additionalProperties: false
  },
  async run(input, ctx) {
    const root = normaliseBaseUrl(input.baseUrl);
    const { body: comment } = await github(ctx, root, {
      method: "POST",
      path: `${repoPath(input.owner, input.repo)}/issues/${input.number}/comments`,
      body: { body: input.body },
      what: `issue #${input.number} in ${input.owner}/${input.repo}`
    });
    return { id: integer(comment?.id, "id"), url: text(comment?.html_url, "html_url") };
  }
});
var POLL_PAGE = 50;
var newIssue = defineTrigger({
  id: "github.newIssue",
  name: "New issue",
  description: "Starts a run for each new issue of a repository (pull requests are left out), checking on the workflow's schedule.",
  inputSchema: {
    type: "object",
    properties: { owner, repo, baseUrl },
    required: ["owner", "repo"],
    additionalProperties: false
  },
  outputSchema: {
    type: "object",
    properties: {
      id: { type: "integer", description: "GitHub's global id of the issue." },
      number: issueNumber,
      title: { type: "string" },
      url: htmlUrl,
      user: { type: ["string", "null"], description: "The login of the issue's author." }
    },
    required: ["id", "number", "title", "url", "user"],
    additionalProperties: false
  },
  // Reads the newest issues (open or closed), newest first; Weft starts a run for each id it has
  // not seen. The state remembers the newest id and update time seen, and asks GitHub only for
  // issues updated since then (inclusive: the pages overlap, Weft drops the repeats).
  async run(input, ctx) {
    const root = normaliseBaseUrl(input.baseUrl);
    const previous = readState(ctx.state);
    const query = { state: "all", sort: "created", direction: "desc", per_page: String(POLL_PAGE) };
    if (previous.newestUpdatedAt !== null) query.since = previous.newestUpdatedAt;
    const { body } = await github(ctx, root, {
      method: "GET",
      path: `${repoPath(input.owner, input.repo)}/issues`,
      query,
      what: `repository ${input.owner}/${input.repo}`
    });
    if (!Array.isArray(body)) throw new Error("GitHub's answer to the issue list is not an array");
    const issues = body.filter((issue) => issue?.pull_request === void 0 || issue?.pull_request === null);
    const items = issues.map((issue) => ({
      id: integer(issue?.id, "id"),
      number: integer(issue?.number, "number"),
      title: text(issue?.title, "title"),
      url: text(issue?.html_url, "html_url"),
      user: typeof issue?.user?.login === "string" ? issue.user.login : null
    }));
    const state = { ...previous };
    for (const issue of issues) {
      if (state.newestId === null || issue.id > state.newestId) state.newestId = issue.id;
      if (typeof issue.updated_at === "string" && (state.newestUpdatedAt === null || issue.updated_at > state.newestUpdatedAt)) {
        state.newestUpdatedAt = issue.updated_at;
      }
    }
    return { items, state: { newestId: state.newestId, newestUpdatedAt: state.newestUpdatedAt } };
  }
});
function readState(value) {
  const s = value;
  return {
    newestId: typeof s?.newestId === "number" ? s.newestId : null,
    newestUpdatedAt: typeof s?.newestUpdatedAt === "string" ? s.newestUpdatedAt : null
  };
}
function integer(value, field) {
  if (typeof value === "number" && Number.isInteger(value)) return value;
  throw new Error(`GitHub's answer has no integer "${field}"`);
}
function text(value, field) {
  if (typeof value === "string") return value;
  throw new Error(`GitHub's answer has no "${field}"`);
}
var index_default = defineVendor({
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
      triggers: [newIssue]
    })
  ]
});
export {
  index_default as default
};
