// SDK tests: defineTool / defineTrigger / defineProduct / defineVendor — the normalised
// descriptors, every validation problem defineVendor reports, the tools table, and the hand-off
// to a sandbox host's global defineVendor.

import assert from "node:assert/strict";
import { afterEach, describe, test } from "node:test";

import { defineProduct, defineTool, defineTrigger, defineVendor } from "../index.js";

const schema = { type: "object" };

function tool(id, extra = {}) {
  return defineTool({ id, name: id, description: "d", inputSchema: schema, outputSchema: schema, run: () => ({}), ...extra });
}

function vendor(overrides = {}) {
  return {
    id: "acme",
    name: "Acme",
    version: "1.2.0",
    auth: { type: "none" },
    products: [defineProduct({ id: "acme-core", name: "Acme", tools: [tool("acme.ping")] })],
    ...overrides,
  };
}

// Answers the problems of the TypeError defineVendor(spec) throws.
function problemsOf(spec) {
  try {
    defineVendor(spec);
  } catch (e) {
    assert.ok(e instanceof TypeError, `expected a TypeError, got ${e}`);
    assert.match(e.message, /invalid definition/);
    for (const problem of e.problems) assert.ok(e.message.includes(problem), "the message lists every problem");
    return e.problems;
  }
  assert.fail("defineVendor did not throw");
}

describe("descriptors", () => {
  test("defineTool keeps the spec and defaults its category to tools", () => {
    const run = () => ({ ok: true });
    const t = defineTool({ id: "acme.ping", name: "Ping", description: "Pings.", inputSchema: schema, outputSchema: schema, run });
    assert.deepEqual(t, {
      kind: "tool", id: "acme.ping", name: "Ping", description: "Pings.", category: "tools",
      inputSchema: schema, outputSchema: schema, run,
    });
    assert.equal(tool("acme.x", { category: "blocks" }).category, "blocks");
  });

  test("defineTrigger is a block of category triggers", () => {
    const t = defineTrigger({ id: "acme.hook", name: "Hook", description: "", inputSchema: schema, outputSchema: schema, run: () => null });
    assert.equal(t.kind, "trigger");
    assert.equal(t.category, "triggers");
  });

  test("defineProduct defaults dependencies and triggers to empty lists", () => {
    const p = defineProduct({ id: "p", name: "P", tools: [] });
    assert.deepEqual([p.kind, p.dependencies, p.triggers], ["product", [], []]);
  });

  test("every define function refuses a spec that is not an object", () => {
    for (const fn of [defineTool, defineTrigger, defineProduct, defineVendor]) {
      assert.throws(() => fn(undefined), { name: "TypeError", message: /spec must be an object/ });
      assert.throws(() => fn([]), { name: "TypeError", message: /spec must be an object/ });
    }
  });
});

describe("defineVendor validation", () => {
  test("a valid vendor gives { id, tools, definition } with defaults filled in", () => {
    const trigger = defineTrigger({ id: "acme.hook", name: "Hook", description: "", inputSchema: schema, outputSchema: schema, run: () => null });
    const ping = tool("acme.ping");
    const v = defineVendor(vendor({
      products: [defineProduct({ id: "acme-core", name: "Acme", tools: [ping], triggers: [trigger] })],
    }));
    assert.equal(v.id, "acme");
    assert.deepEqual(Object.keys(v.tools), ["acme.ping", "acme.hook"]);
    assert.equal(v.tools["acme.ping"], ping.run);
    assert.equal(v.tools["acme.hook"], trigger.run);
    assert.deepEqual(v.definition.network, { allowedHosts: [] });
    assert.deepEqual(v.definition.capabilities, ["tools"]);
    assert.equal(v.definition.products[0].category, "Other");
    assert.equal(v.definition.icon, undefined);
    assert.equal(v[Symbol.for("weft.sdk.vendor")], true, "marked as an SDK vendor");
  });

  test("bad vendor fields are each reported", () => {
    const problems = problemsOf(vendor({
      id: "Acme Corp",
      name: "",
      version: "v 1",
      icon: 7,
      auth: { type: "password" },
      network: { allowedHosts: ["https://api.acme.com/", "api.acme.com"] },
      capabilities: "tools",
    }));
    assert.deepEqual(problems, [
      'id "Acme Corp" must match /^[a-z][a-z0-9-]*$/',
      "name must be a non-empty string",
      'version "v 1" must be a version string such as "1.0.0"',
      "icon must be a non-empty string",
      "auth.type \"password\" must be one of none, api_key, bearer_token, oauth2, bot_token",
      'network.allowedHosts[0] "https://api.acme.com/" must be a lower-case host such as "api.example.com", "*.example.com" or "api.example.com:8443"',
      "capabilities must be an array of strings",
      'products[0].tools[0].id "acme.ping" must start with "Acme Corp." followed by a name',
    ]);
  });

  test("missing auth and products are reported", () => {
    const problems = problemsOf({ id: "acme", name: "Acme", version: "1.0.0" });
    assert.deepEqual(problems, [
      'auth must be an object such as { type: "none" }',
      "products must be a non-empty array of defineProduct(...) results",
    ]);
  });

  test("tool ids must carry the vendor prefix and be unique; run must be a function", () => {
    const problems = problemsOf(vendor({
      products: [
        defineProduct({ id: "one", name: "One", tools: [tool("other.ping"), tool("acme."), tool("acme.dup")] }),
        defineProduct({
          id: "one",
          name: "Two",
          tools: [tool("acme.dup", { run: "not a function", inputSchema: undefined }), tool("acme.x", { category: "widgets" })],
        }),
        defineProduct({ id: "empty", name: "Empty", tools: [] }),
      ],
    }));
    assert.deepEqual(problems, [
      'products[0].tools[0].id "other.ping" must start with "acme." followed by a name',
      'products[0].tools[1].id "acme." must start with "acme." followed by a name',
      'products[1].id "one" is a duplicate product id',
      'products[1].tools[0].id "acme.dup" is a duplicate tool or trigger id',
      "products[1].tools[0].inputSchema must be a JSON Schema object",
      "products[1].tools[0].run must be a function (input, ctx) => output",
      'products[1].tools[1].category "widgets" must be one of tools, blocks',
      "products[2] has no tools or triggers",
    ]);
  });

  test("a trigger may not share an id with a tool, and blocks must be of the right kind", () => {
    const trigger = defineTrigger({ id: "acme.ping", name: "T", description: "", inputSchema: schema, outputSchema: schema, run: () => null });
    const problems = problemsOf(vendor({
      products: [defineProduct({ id: "p", name: "P", tools: [tool("acme.ping"), trigger], triggers: [trigger] })],
    }));
    assert.deepEqual(problems, [
      "products[0].tools[1] is a trigger, not a tool",
      'products[0].tools[1].id "acme.ping" is a duplicate tool or trigger id',
      'products[0].triggers[0].id "acme.ping" is a duplicate tool or trigger id',
    ]);
  });

  test("declared dependencies need name, version and reason", () => {
    const problems = problemsOf(vendor({
      products: [defineProduct({
        id: "p", name: "P", tools: [tool("acme.a")],
        dependencies: [{ name: "zod", version: "3.24.0", reason: "validation" }, { name: "left-pad" }],
      })],
    }));
    assert.deepEqual(problems, [
      "products[0].dependencies[1].version is required",
      "products[0].dependencies[1].reason is required",
    ]);
  });
});

describe("sandbox host hand-off", () => {
  afterEach(() => {
    delete globalThis.defineVendor;
  });

  test("a host global defineVendor receives { id, tools, definition } and its answer is returned", () => {
    const calls = [];
    globalThis.defineVendor = (spec) => {
      calls.push(spec);
      return { accepted: spec };
    };
    const result = defineVendor(vendor());
    assert.equal(calls.length, 1);
    assert.deepEqual(Object.keys(calls[0]), ["id", "tools", "definition"]);
    assert.equal(calls[0].id, "acme");
    assert.equal(typeof calls[0].tools["acme.ping"], "function");
    assert.equal(calls[0].definition.products[0].tools[0].id, "acme.ping");
    assert.deepEqual(result, { accepted: calls[0] });
  });

  test("the SDK's own defineVendor installed as the global is not called back", () => {
    globalThis.defineVendor = defineVendor;
    const result = defineVendor(vendor());
    assert.equal(result.id, "acme");
    assert.equal(typeof result.tools["acme.ping"], "function");
  });

  test("an invalid definition never reaches the host", () => {
    let called = false;
    globalThis.defineVendor = () => { called = true; };
    assert.throws(() => defineVendor(vendor({ id: "" })), TypeError);
    assert.equal(called, false);
  });
});

describe("defineTrigger's poll contract", () => {
  const poller = (run) => defineTrigger({ id: "acme.new", name: "New", description: "", inputSchema: schema, outputSchema: schema, run });

  test("the poll gets ctx.state and answers { items, state }", async () => {
    const seen = [];
    const t = poller(async (input, ctx) => {
      seen.push([input, ctx.state]);
      return { items: [{ id: 2, title: "b" }, { id: "one" }], state: { since: 2 } };
    });
    const answer = await t.run({ repo: "r" }, { state: null });
    assert.deepEqual(answer, { items: [{ id: 2, title: "b" }, { id: "one" }], state: { since: 2 } });
    assert.deepEqual(seen, [[{ repo: "r" }, null]]);
    assert.deepEqual(await poller(() => ({ items: [] })).run({}, { state: 1 }), { items: [], state: null }, "state omitted is null");
  });

  test("an answer that breaks the contract throws a TypeError naming the trigger and the rule", async () => {
    const cases = [
      [null, /got null/],
      [[], /got an array/],
      [{ state: 1 }, /items must be an array/],
      [{ items: [], cursor: 1 }, /unknown field "cursor"/],
      [{ items: [1] }, /items\[0\] must be an object/],
      [{ items: [{ title: "x" }] }, /items\[0\]\.id must be a non-empty string or an integer/],
      [{ items: [{ id: "" }] }, /items\[0\]\.id must be/],
      [{ items: [{ id: 1.5 }] }, /items\[0\]\.id must be/],
      [{ items: [{ id: null }] }, /items\[0\]\.id must be/],
      [{ items: [{ id: "x".repeat(300) }] }, /longer than 256 bytes/],
      [{ items: Array.from({ length: 1001 }, (_, i) => ({ id: i })) }, /1001 items \(at most 1000 per poll\)/],
      [{ items: [], state: "x".repeat(64 * 1024) }, /state is 65538 bytes \(at most 65536\)/],
      [{ items: [], state: 10n }, /state is not JSON/],
    ];
    for (const [answer, message] of cases) {
      await assert.rejects(poller(async () => answer).run({}, { state: null }), { name: "TypeError", message }, JSON.stringify(String(answer)));
      await assert.rejects(poller(async () => answer).run({}, { state: null }), { message: /^trigger acme\.new: / });
    }
    await assert.rejects(poller(async () => ({ items: [{ id: 1 }], state: undefined, extra: 1 })).run({}, {}), /unknown field/);
  });

  test("1000 items and a 64 KiB state pass; errors the poll throws pass through", async () => {
    const items = Array.from({ length: 1000 }, (_, i) => ({ id: i }));
    const state = "x".repeat(64 * 1024 - 2);
    assert.equal((await poller(() => ({ items, state })).run({}, {})).items.length, 1000);
    await assert.rejects(poller(async () => { throw new Error("GitHub said 500"); }).run({}, {}), { message: "GitHub said 500" });
  });

  test("a trigger without a run function is still reported by defineVendor", () => {
    const t = defineTrigger({ id: "acme.new", name: "New", description: "", inputSchema: schema, outputSchema: schema });
    const problems = problemsOf(vendor({ products: [defineProduct({ id: "p", name: "P", tools: [], triggers: [t] })] }));
    assert.ok(problems.some((p) => /run must be a function/.test(p)), problems.join("\n"));
  });
});
