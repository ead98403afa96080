// The API client against a real HTTP server on 127.0.0.1 that answers like weft serve.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Api, ApiError, BAD_RESPONSE, NETWORK_ERROR } from "./api";

let server: Server;
let base = "";
const seen: { method: string; url: string; type?: string; body: string }[] = [];

function reply(res: ServerResponse, status: number, body: string, type = "application/json") {
  res.writeHead(status, { "Content-Type": type });
  res.end(body);
}

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      seen.push({ method: req.method!, url: req.url!, type: req.headers["content-type"], body });
      switch (req.url) {
        case "/api/workflows":
          if (req.method === "POST") {
            return reply(res, 400, JSON.stringify({ error: { code: "workflow_invalid", message: "workflow is invalid: …", details: [{ step: "a", field: "inputs.x", message: "bad" }] } }));
          }
          return reply(res, 200, JSON.stringify({ workflows: [{ id: "wf_1", name: "One", version: 1, trigger: "manual", updatedAt: "2026-01-01T00:00:00Z" }] }));
        case "/api/auth/logout":
          res.writeHead(204);
          return res.end();
        case "/api/auth/me":
          return reply(res, 401, JSON.stringify({ error: { code: "unauthorized", message: "sign in or send an API token" } }));
        case "/api/catalog":
          return reply(res, 502, "<html>Bad gateway</html>", "text/html");
        case "/api/workflows/wf_1":
          return reply(res, 200, "{not json");
        default:
          return reply(res, 404, JSON.stringify({ error: { code: "not_found", message: "no such route" } }));
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe("api client", () => {
  it("reads JSON answers", async () => {
    const api = new Api(base);
    expect(await api.listWorkflows()).toEqual([{ id: "wf_1", name: "One", version: 1, trigger: "manual", updatedAt: "2026-01-01T00:00:00Z" }]);
  });

  it("sends JSON bodies with their content type", async () => {
    const api = new Api(base);
    await api.createWorkflow({ name: "n", steps: [] }).catch(() => undefined);
    const last = seen.at(-1)!;
    expect(last).toMatchObject({ method: "POST", url: "/api/workflows", type: "application/json" });
    expect(JSON.parse(last.body)).toEqual({ name: "n", steps: [] });
  });

  it("turns {error:{code,message,details}} into an ApiError", async () => {
    const api = new Api(base);
    const e = await api.createWorkflow({ name: "n", steps: [] }).catch((x) => x);
    expect(e).toBeInstanceOf(ApiError);
    expect([e.status, e.code, e.message]).toEqual([400, "workflow_invalid", "workflow is invalid: …"]);
    expect(e.details).toEqual([{ step: "a", field: "inputs.x", message: "bad" }]);
    const me = await api.me().catch((x) => x);
    expect([me.status, me.code]).toEqual([401, "unauthorized"]);
  });

  it("a 204 is undefined; a non-JSON error or answer is a bad_response in words", async () => {
    const api = new Api(base);
    expect(await api.logout()).toBeUndefined();
    const e = await api.catalog().catch((x) => x);
    expect([e.status, e.code]).toEqual([502, BAD_RESPONSE]);
    expect(e.message).toContain("502");
    const g = await api.getWorkflow("wf_1").catch((x) => x);
    expect(g.code).toBe(BAD_RESPONSE);
  });

  it("a server that cannot be reached is a network_error", async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const e = await new Api(`http://127.0.0.1:${port}`).me().catch((x) => x);
    expect([e.status, e.code]).toEqual([0, NETWORK_ERROR]);
  });

  it("path ids are encoded", async () => {
    await new Api(base).getWorkflow("a/../b").catch(() => undefined);
    expect(seen.at(-1)!.url).toBe("/api/workflows/a%2F..%2Fb");
  });
});
