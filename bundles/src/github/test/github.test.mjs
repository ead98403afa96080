// The github bundle's tools, as committed in bundles/github/dist/index.js, run against a local fake
// GitHub API (fake-github.mjs): the requests they send (method, path, query, headers, body) and
// what they make of GitHub's answers, errors included. ctx.fetch here is Node's fetch to 127.0.0.1.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";

import { importDist } from "../../../../sdk/test-support/helpers.mjs";
import { startFakeGitHub } from "../test-support/fake-github.mjs";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const BUILT = path.resolve(HERE, "../../../github");
const TOKEN = "ghp_fake_0123456789";

let fake;
let tools;
before(async () => {
  fake = await startFakeGitHub({ token: TOKEN });
  tools = (await importDist(path.join(BUILT, "dist/index.js"))).default.tools;
});
after(() => fake.close());

// A ctx whose fetch behaves like the host's: init.body is a string, headers come back lower-case.
function ctx({ token = TOKEN } = {}) {
  const logs = [];
  return {
    logs,
    auth: token === null ? null : { token },
    ids: { orgId: "org_1", runId: "run_1", stepId: "s" },
    idempotencyKey: "run_1:s:1",
    log: (level, message, fields) => logs.push({ level, message, fields }),
    async fetch(url, init = {}) {
      const res = await fetch(url, { method: init.method ?? "GET", headers: init.headers, body: init.body });
      const text = await res.text();
      const headers = {};
      res.headers.forEach((v, k) => (headers[k] = v));
      return { status: res.status, ok: res.ok, url, headers, text: async () => text, json: async () => JSON.parse(text) };
    },
  };
}

const last = () => fake.requests[fake.requests.length - 1];
const at = (extra = {}) => ({ owner: "octo", repo: "hello", baseUrl: fake.url, ...extra });

describe("github.createIssue", () => {
  test("POSTs the issue with GitHub's headers and answers number, url and id", async () => {
    const out = await tools["github.createIssue"](at({ title: "Broken build", body: "It fails.", labels: ["bug"] }), ctx());
    const req = last();
    assert.equal(req.method, "POST");
    assert.equal(req.path, "/repos/octo/hello/issues");
    assert.equal(req.headers.authorization, `Bearer ${TOKEN}`);
    assert.equal(req.headers.accept, "application/vnd.github+json");
    assert.equal(req.headers["x-github-api-version"], "2022-11-28");
    assert.match(req.headers["user-agent"], /^weft-github-bundle\//);
    assert.deepEqual(JSON.parse(req.body), { title: "Broken build", body: "It fails.", labels: ["bug"] });
    const created = fake.repos.get("octo/hello").issues.at(-1);
    assert.deepEqual(out, { number: created.number, url: `https://github.com/octo/hello/issues/${created.number}`, id: created.id });
  });

  test("sends only the fields given", async () => {
    await tools["github.createIssue"](at({ title: "Just a title" }), ctx());
    assert.deepEqual(JSON.parse(last().body), { title: "Just a title" });
  });

  test("a 422 names each of GitHub's validation errors", async () => {
    await assert.rejects(tools["github.createIssue"](at({ title: "t", labels: ["nope", "bug", "neither"] }), ctx()), (e) => {
      assert.match(e.message, /refused the request as invalid \("Validation Failed"\)/);
      assert.match(e.message, /Label\.name "nope": is not valid; Label\.name "neither": is not valid/);
      return true;
    });
    await assert.rejects(tools["github.createIssue"](at({ title: "" }), ctx()), /Issue\.title: is required/);
  });

  test("a wrong token is a 401 that says to update the credential, and no token never calls GitHub", async () => {
    await assert.rejects(tools["github.createIssue"](at({ title: "t" }), ctx({ token: "ghp_wrong" })),
      /GitHub refused the token \("Bad credentials"\): it is wrong, expired or revoked; update the credential/);
    const before = fake.requests.length;
    await assert.rejects(tools["github.createIssue"](at({ title: "t" }), ctx({ token: null })), /no GitHub token: give this step a bearer_token credential/);
    assert.equal(fake.requests.length, before);
  });

  test("404, rate limit and missing permission are told apart", async () => {
    await assert.rejects(tools["github.createIssue"](at({ repo: "missing", title: "t" }), ctx()),
      /GitHub found no repository octo\/missing, or the token may not see it/);
    await assert.rejects(tools["github.createIssue"](at({ repo: "limited", title: "t" }), ctx()),
      /rate limit is exhausted \("API rate limit exceeded for user ID 1\."\); it resets at 2023-11-14T22:13:20\.000Z/);
    await assert.rejects(tools["github.createIssue"](at({ repo: "readonly", title: "t" }), ctx()),
      /GitHub forbids this for the token \("Resource not accessible by personal access token"\): it lacks the permission/);
  });

  test("owner and repo are path segments, never a way to another endpoint", async () => {
    await assert.rejects(tools["github.createIssue"](at({ repo: "hello/../../user", title: "t" }), ctx()), /found no repository/);
    assert.equal(last().path, "/repos/octo/hello%2F..%2F..%2Fuser/issues");
  });

  test("baseUrl must be https except for a loopback test double", async () => {
    const before = fake.requests.length;
    for (const baseUrl of ["http://github.example.com/api/v3", "ftp://x", "not a url", "https://u:p@ghe.example.com/api/v3", "https://ghe.example.com/api/v3?x=1"]) {
      await assert.rejects(tools["github.createIssue"](at({ baseUrl, title: "t" }), ctx()), /baseUrl/);
    }
    assert.equal(fake.requests.length, before);
    // A trailing slash is dropped; an Enterprise path prefix is kept.
    const seen = [];
    const c = ctx();
    c.fetch = async (url) => {
      seen.push(url);
      return { status: 201, ok: true, url, headers: {}, text: async () => '{"number":1,"id":2,"html_url":"h"}' };
    };
    await tools["github.createIssue"](at({ baseUrl: "https://ghe.example.com/api/v3/", title: "t" }), c);
    await tools["github.createIssue"]({ owner: "o", repo: "r", title: "t" }, c);
    assert.deepEqual(seen, ["https://ghe.example.com/api/v3/repos/octo/hello/issues", "https://api.github.com/repos/o/r/issues"]);
  });

  test("an answer that is not GitHub's shape is an error, not a wrong output", async () => {
    const c = ctx();
    c.fetch = async (url) => ({ status: 201, ok: true, url, headers: {}, text: async () => "<html>proxy</html>" });
    await assert.rejects(tools["github.createIssue"](at({ title: "t" }), c), /not JSON/);
    c.fetch = async (url) => ({ status: 201, ok: true, url, headers: {}, text: async () => '{"number":"1"}' });
    await assert.rejects(tools["github.createIssue"](at({ title: "t" }), c), /no integer "number"/);
  });
});

describe("github.listIssues", () => {
  test("asks for open issues, 30 per page, and maps GitHub's issues", async () => {
    const out = await tools["github.listIssues"](at(), ctx());
    const req = last();
    assert.equal(req.method, "GET");
    assert.equal(req.path, "/repos/octo/hello/issues");
    assert.deepEqual(req.query, { state: "open", per_page: "30", page: "1" });
    assert.equal(req.body, "");
    const open = fake.repos.get("octo/hello").issues.filter((i) => i.state === "open").sort((a, b) => b.number - a.number);
    assert.deepEqual(out.issues.map((i) => i.number), open.map((i) => i.number));
    const two = out.issues.find((i) => i.number === 2);
    assert.deepEqual(two, { number: 2, title: "Issue 2", state: "open", url: "https://github.com/octo/hello/issues/2", labels: ["bug"], pullRequest: false });
    assert.equal(out.issues.find((i) => i.number === 5).pullRequest, true);
    assert.equal(out.nextPage, null);
  });

  test("pages through with perPage/page and follows the Link header's next page", async () => {
    const first = await tools["github.listIssues"](at({ state: "all", perPage: 3 }), ctx());
    assert.deepEqual(last().query, { state: "all", per_page: "3", page: "1" });
    assert.equal(first.issues.length, 3);
    assert.equal(first.nextPage, 2);
    const seen = [...first.issues];
    let page = first.nextPage;
    while (page !== null) {
      const next = await tools["github.listIssues"](at({ state: "all", perPage: 3, page }), ctx());
      assert.equal(last().query.page, String(page));
      seen.push(...next.issues);
      page = next.nextPage;
    }
    const all = fake.repos.get("octo/hello").issues;
    assert.deepEqual(seen.map((i) => i.number).sort((a, b) => a - b), all.map((i) => i.number));
  });

  test("labels filter as GitHub's comma list; closed state", async () => {
    const out = await tools["github.listIssues"](at({ state: "closed", labels: ["bug"] }), ctx());
    assert.equal(last().query.labels, "bug");
    assert.ok(out.issues.length > 0);
    for (const issue of out.issues) {
      assert.equal(issue.state, "closed");
      assert.deepEqual(issue.labels, ["bug"]);
    }
  });

  test("errors: unknown repository, bad token", async () => {
    await assert.rejects(tools["github.listIssues"](at({ owner: "nobody" }), ctx()), /found no repository nobody\/hello/);
    await assert.rejects(tools["github.listIssues"](at(), ctx({ token: "x" })), /refused the token/);
  });
});

describe("github.commentOnIssue", () => {
  test("POSTs the comment to the issue's comments and answers id and url", async () => {
    const out = await tools["github.commentOnIssue"](at({ number: 2, body: "Seen it **too**." }), ctx());
    const req = last();
    assert.equal(req.method, "POST");
    assert.equal(req.path, "/repos/octo/hello/issues/2/comments");
    assert.equal(req.headers.authorization, `Bearer ${TOKEN}`);
    assert.deepEqual(JSON.parse(req.body), { body: "Seen it **too**." });
    const stored = fake.repos.get("octo/hello").comments.at(-1);
    assert.deepEqual(out, { id: stored.id, url: `https://github.com/octo/hello/issues/2#issuecomment-${stored.id}` });
  });

  test("a missing issue names the issue", async () => {
    await assert.rejects(tools["github.commentOnIssue"](at({ number: 999, body: "x" }), ctx()), /found no issue #999 in octo\/hello/);
  });
});

describe("manifest", () => {
  const manifest = JSON.parse(readFileSync(path.join(BUILT, "manifest.json"), "utf8"));
  const block = (id) => manifest.products.flatMap((p) => p.blocks).find((b) => b.id === id);

  test("bearer_token auth, only api.github.com, three tools and the newIssue trigger", () => {
    assert.deepEqual(manifest.auth, { type: "bearer_token" });
    assert.deepEqual(manifest.network, { allowedHosts: ["api.github.com"] });
    assert.deepEqual(manifest.products.flatMap((p) => p.blocks).map((b) => b.id), ["github.createIssue", "github.listIssues", "github.commentOnIssue", "github.newIssue"]);
    assert.equal(block("github.newIssue").category, "triggers");
    assert.deepEqual(block("github.newIssue").inputSchema.required, ["owner", "repo"]);
  });

  test("schemas are closed and say what is required", () => {
    assert.deepEqual(block("github.createIssue").inputSchema.required, ["owner", "repo", "title"]);
    assert.deepEqual(block("github.commentOnIssue").inputSchema.required, ["owner", "repo", "number", "body"]);
    assert.deepEqual(block("github.listIssues").inputSchema.properties.state.enum, ["open", "closed", "all"]);
    assert.equal(block("github.listIssues").inputSchema.properties.perPage.maximum, 100);
    for (const b of manifest.products[0].blocks) {
      assert.equal(b.inputSchema.additionalProperties, false, b.id);
      assert.equal(b.outputSchema.additionalProperties, false, b.id);
      assert.match(b.inputSchema.properties.baseUrl.description, /allowed by the Weft operator/);
    }
  });
});

describe("github.newIssue (polling trigger)", () => {
  let own;
  before(async () => {
    own = await startFakeGitHub({ token: TOKEN });
  });
  after(() => own.close());
  const poll = (state, extra = {}) =>
    tools["github.newIssue"]({ owner: "octo", repo: "hello", baseUrl: own.url, ...extra }, { ...ctx(), state });

  test("lists the newest issues of every state, newest first, without pull requests, with a cursor", async () => {
    const first = await poll(null);
    const req = own.requests.at(-1);
    assert.equal(req.method, "GET");
    assert.equal(req.path, "/repos/octo/hello/issues");
    assert.deepEqual(req.query, { state: "all", sort: "created", direction: "desc", per_page: "50" });
    assert.equal(req.headers.authorization, `Bearer ${TOKEN}`);
    assert.deepEqual(first.items.map((i) => i.number), [7, 6, 4, 3, 2, 1], "newest first, #5 (a pull request) left out");
    assert.deepEqual(first.items[0], { id: 1007, number: 7, title: "Issue 7", url: "https://github.com/octo/hello/issues/7", user: "octocat" });
    assert.deepEqual(first.state, { newestId: 1007, newestUpdatedAt: null });
  });

  test("a new issue shows at the top of an overlapping page; the cursor moves; since is sent once known", async () => {
    const created = await tools["github.createIssue"]({ owner: "octo", repo: "hello", baseUrl: own.url, title: "Fresh" }, ctx());
    const next = await poll({ newestId: 1007, newestUpdatedAt: null });
    assert.equal(next.items[0].id, created.id);
    assert.equal(next.items[0].title, "Fresh");
    assert.ok(next.items.some((i) => i.id === 1007), "overlaps the previous page");
    assert.equal(next.state.newestId, created.id);
    await poll({ newestId: created.id, newestUpdatedAt: "2024-01-01T00:00:00Z" });
    assert.equal(own.requests.at(-1).query.since, "2024-01-01T00:00:00Z");
    // A cursor of the wrong shape is ignored, not trusted.
    const odd = await poll({ newestId: "x", newestUpdatedAt: 5 });
    assert.equal(own.requests.at(-1).query.since, undefined);
    assert.equal(odd.state.newestId, created.id);
  });

  test("GitHub's refusals and a server error fail the poll with a message a person can act on", async () => {
    await assert.rejects(poll(null, { repo: "missing" }), /GitHub found no repository octo\/missing/);
    own.failNext(500);
    await assert.rejects(poll(null), /500/);
    const fine = await poll(null);
    assert.ok(fine.items.length > 0, "the next poll succeeds");
    await assert.rejects(
      tools["github.newIssue"]({ owner: "octo", repo: "hello", baseUrl: own.url }, { ...ctx({ token: null }), state: null }),
      /no GitHub token/,
    );
    await assert.rejects(poll(null, { baseUrl: "http://example.com" }), /https/);
  });
});
