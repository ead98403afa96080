// A local stand-in for the GitHub REST API's issue endpoints, on 127.0.0.1 and a free port. It
// checks what the real API checks (the bearer token, Accept, a JSON body, the validation rules)
// and answers in GitHub's shapes, including its 401/403/404/422 bodies and Link pagination.
// Every request is recorded; failNext(status) makes the next API request answer `status`. As a program: `node fake-github.mjs TOKEN [LOG_FILE]` prints
// {"port":N} and appends one JSON line per request to LOG_FILE.

import { appendFileSync } from "node:fs";
import http from "node:http";
import { pathToFileURL } from "node:url";

const LABELS = new Set(["bug", "docs", "help wanted"]);

function seedIssues() {
  const issues = [];
  for (let n = 1; n <= 7; n++) {
    issues.push({
      id: 1000 + n,
      number: n,
      title: `Issue ${n}`,
      state: n % 3 === 0 ? "closed" : "open",
      user: { login: "octocat" },
      labels: n % 2 === 0 ? [{ id: 1, name: "bug", color: "d73a4a" }] : [],
      ...(n === 5 ? { pull_request: { url: "https://api.github.com/repos/octo/hello/pulls/5" } } : {}),
    });
  }
  return issues;
}

export async function startFakeGitHub({ token = "ghp_test_token", log } = {}) {
  const requests = [];
  const repos = new Map([["octo/hello", { issues: seedIssues(), comments: [] }]]);
  let nextId = 5000;

  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      const url = new URL(req.url, "http://127.0.0.1");
      const record = { method: req.method, path: url.pathname, query: Object.fromEntries(url.searchParams), headers: req.headers, body };
      requests.push(record);
      if (log) appendFileSync(log, JSON.stringify(record) + "\n");
      handle(req, res, url, body);
    });
  });

  const send = (res, status, value, headers = {}) => {
    res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
    res.end(value === undefined ? "" : JSON.stringify(value));
  };
  const docs = "https://docs.github.com/rest";
  const notFound = (res) => send(res, 404, { message: "Not Found", documentation_url: docs, status: "404" });
  const invalid = (res, errors) => send(res, 422, { message: "Validation Failed", errors, documentation_url: docs, status: "422" });
  const base = () => `http://127.0.0.1:${server.address().port}`;
  const htmlUrl = (fullName, n) => `https://github.com/${fullName}/issues/${n}`;

  // Test controls (no token): POST /_fake/fail-next?status=500 makes the next API request fail.
  let failNext = 0;
  function handle(req, res, url, text) {
    if (url.pathname === "/_fake/fail-next" && req.method === "POST") {
      failNext = Number(url.searchParams.get("status") ?? 500);
      return send(res, 204);
    }
    if (failNext) {
      const status = failNext;
      failNext = 0;
      return send(res, status, { message: "Server Error" });
    }
    if (req.headers.authorization !== `Bearer ${token}`) {
      return send(res, 401, { message: "Bad credentials", documentation_url: docs, status: "401" });
    }
    if (req.headers.accept !== "application/vnd.github+json" || req.headers["x-github-api-version"] !== "2022-11-28") {
      return send(res, 415, { message: "Unsupported 'Accept' or API version header", documentation_url: docs });
    }
    if (!req.headers["user-agent"]) return send(res, 403, { message: "Request forbidden by administrative rules. Please make sure your request has a User-Agent header" });
    const m = /^\/repos\/([^/]+)\/([^/]+)\/issues(?:\/([0-9]+)\/comments)?$/.exec(url.pathname);
    if (!m) return notFound(res);
    const fullName = `${decodeURIComponent(m[1])}/${decodeURIComponent(m[2])}`;
    if (fullName === "octo/limited") {
      return send(res, 403, { message: "API rate limit exceeded for user ID 1.", documentation_url: docs, status: "403" },
        { "x-ratelimit-limit": "5000", "x-ratelimit-remaining": "0", "x-ratelimit-reset": "1700000000" });
    }
    if (fullName === "octo/readonly" && req.method === "POST") {
      return send(res, 403, { message: "Resource not accessible by personal access token", documentation_url: docs, status: "403" });
    }
    const repo = repos.get(fullName);
    if (!repo) return notFound(res);

    let body;
    if (req.method === "POST") {
      if (!/^application\/json/.test(req.headers["content-type"] ?? "")) return send(res, 400, { message: "Problems parsing JSON" });
      try {
        body = JSON.parse(text);
      } catch {
        return send(res, 400, { message: "Problems parsing JSON", documentation_url: docs });
      }
    }

    if (m[3] === undefined && req.method === "GET") return listIssues(res, url, repo, fullName);
    if (m[3] === undefined && req.method === "POST") {
      if (typeof body.title !== "string" || body.title === "") return invalid(res, [{ resource: "Issue", code: "missing_field", field: "title" }]);
      const labels = body.labels ?? [];
      const unknown = labels.filter((l) => !LABELS.has(l));
      if (unknown.length > 0) return invalid(res, unknown.map((value) => ({ resource: "Label", code: "invalid", field: "name", value })));
      const number = repo.issues.length + 1;
      const issue = { id: ++nextId, number, title: body.title, body: body.body ?? null, state: "open", user: { login: "octocat" }, labels: labels.map((name) => ({ name })) };
      repo.issues.push(issue);
      return send(res, 201, { ...issue, url: `${base()}/repos/${fullName}/issues/${number}`, html_url: htmlUrl(fullName, number) });
    }
    if (m[3] !== undefined && req.method === "POST") {
      const issue = repo.issues.find((i) => i.number === Number(m[3]));
      if (!issue) return notFound(res);
      if (typeof body.body !== "string" || body.body === "") return invalid(res, [{ resource: "IssueComment", code: "missing_field", field: "body" }]);
      const id = ++nextId;
      repo.comments.push({ id, issue: issue.number, body: body.body });
      return send(res, 201, { id, body: body.body, html_url: `${htmlUrl(fullName, issue.number)}#issuecomment-${id}` });
    }
    return send(res, 404, { message: "Not Found" });
  }

  function listIssues(res, url, repo, fullName) {
    const state = url.searchParams.get("state") ?? "open";
    if (!["open", "closed", "all"].includes(state)) return invalid(res, [{ resource: "Issue", field: "state", code: "invalid" }]);
    const perPage = Math.min(Number(url.searchParams.get("per_page") ?? 30), 100);
    const page = Number(url.searchParams.get("page") ?? 1);
    const wanted = (url.searchParams.get("labels") ?? "").split(",").filter(Boolean);
    const matching = repo.issues
      .filter((i) => state === "all" || i.state === state)
      .filter((i) => wanted.every((w) => i.labels.some((l) => l.name === w)))
      .sort((a, b) => b.number - a.number);
    const slice = matching.slice((page - 1) * perPage, page * perPage);
    const pages = Math.max(1, Math.ceil(matching.length / perPage));
    const link = (p, rel) => `<${base()}/repositories/1/issues?state=${state}&per_page=${perPage}&page=${p}>; rel="${rel}"`;
    const links = [];
    if (page < pages) links.push(link(page + 1, "next"), link(pages, "last"));
    if (page > 1) links.push(link(1, "first"), link(page - 1, "prev"));
    const headers = links.length ? { link: links.join(", ") } : {};
    const shaped = slice.map((i) => ({ ...i, url: `${base()}/repos/${fullName}/issues/${i.number}`, html_url: htmlUrl(fullName, i.number) }));
    return send(res, 200, shaped, headers);
  }

  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: server.address().port,
    url: base(),
    requests,
    repos,
    failNext: (status = 500) => {
      failNext = status;
    },
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [token, log] = process.argv.slice(2);
  const fake = await startFakeGitHub({ token, log });
  process.stdout.write(JSON.stringify({ port: fake.port }) + "\n");
  const stop = () => fake.close().then(() => process.exit(0));
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}
