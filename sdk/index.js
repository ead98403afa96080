// @weft/sdk — owns the authoring API of a Weft custom integration (bundle): defineTool,
// defineTrigger, defineProduct and defineVendor. It validates a definition and hands the host
// the `{ id, tools }` table DESIGN.md §3 "Sandbox contract" asks for. It must stay plain,
// import-free ES2022: it is bundled into dist/index.js and runs inside the V8 sandbox, where
// there is no require, process, Buffer, file system or network except ctx.fetch.

const VENDOR_ID = /^[a-z][a-z0-9-]*$/;
const VERSION = /^[0-9A-Za-z][0-9A-Za-z.+-]{0,63}$/;
// The host patterns the server accepts in network.allowedHosts: "api.example.com",
// "*.example.com" (subdomains), "api.example.com:8443", "[2001:db8::1]:443".
const HOST_NAME = /^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:[0-9]{1,5})?$|^\[[0-9a-f:.]+\](:[0-9]{1,5})?$/;
const AUTH_TYPES = ["none", "api_key", "bearer_token", "oauth2", "bot_token"];
const TOOL_CATEGORIES = ["tools", "blocks"];

// Marks a vendor built by this SDK (any copy of it: Symbol.for is shared across bundles), so the
// build tool can tell a defineVendor() result from a hand-written object.
const VENDOR_MARK = Symbol.for("weft.sdk.vendor");

// A tool: a block of category "tools" (or "blocks") that the workflow engine runs as a step.
export function defineTool(spec) {
  return describeBlock("defineTool", "tool", spec);
}

// A trigger: a block of category "triggers" whose run is a poll, `async (input, ctx) => ({ items,
// state })`, with ctx.state the cursor the previous poll returned (null at first). The server
// starts one run per item whose `id` it has not seen. The run is wrapped so that an answer that
// breaks the contract throws a TypeError naming the trigger and the rule (the server checks the
// same rules again: bundles/poll_result.h).
export function defineTrigger(spec) {
  const block = describeBlock("defineTrigger", "trigger", spec);
  if (typeof block.run === "function") block.run = pollOf(block.id, block.run);
  return block;
}

export const MAX_POLL_ITEMS = 1000;
export const MAX_POLL_STATE_BYTES = 64 * 1024;
const MAX_POLL_ITEM_ID_BYTES = 256;

function pollOf(id, run) {
  return async function poll(input, ctx) {
    const answer = await run(input, ctx);
    return checkPollAnswer(String(id), answer);
  };
}

function utf8Length(text) {
  return typeof TextEncoder === "function" ? new TextEncoder().encode(text).length : text.length;
}

// The poll's answer as sent to the host ({ items, state }, state null when omitted), or a
// TypeError listing the first rule broken.
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
    const ok = (typeof itemId === "string" && itemId !== "") || Number.isSafeInteger(itemId);
    if (!ok) fail(`items[${i}].id must be a non-empty string or an integer`);
    if (utf8Length(JSON.stringify(itemId)) > MAX_POLL_ITEM_ID_BYTES) fail(`items[${i}].id is longer than ${MAX_POLL_ITEM_ID_BYTES} bytes`);
  });
  const state = answer.state === undefined ? null : answer.state;
  let text;
  try {
    text = JSON.stringify(state);
  } catch (e) {
    fail(`state is not JSON (${e.message})`);
  }
  if (text === undefined) fail("state is not JSON");
  if (utf8Length(text) > MAX_POLL_STATE_BYTES) fail(`state is ${utf8Length(text)} bytes (at most ${MAX_POLL_STATE_BYTES})`);
  return { items: answer.items, state };
}

// A product groups the blocks one vendor offers under one name and palette category.
export function defineProduct(spec) {
  requireObject("defineProduct", spec);
  return {
    kind: "product",
    id: spec.id,
    name: spec.name,
    category: spec.category,
    dependencies: spec.dependencies ?? [],
    tools: spec.tools,
    triggers: spec.triggers ?? [],
  };
}

// The bundle's default export. Validates the whole definition (throwing one TypeError that
// lists every problem), builds `tools = { [blockId]: run }` over every product's tools and
// triggers, and registers it with the sandbox host when there is one.
export function defineVendor(spec) {
  requireObject("defineVendor", spec);
  const problems = [];
  const definition = normaliseVendor(spec, problems);
  if (problems.length > 0) {
    const error = new TypeError(
      `defineVendor(${JSON.stringify(String(spec.id ?? ""))}): invalid definition:\n  - ${problems.join("\n  - ")}`,
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
    category: kind === "trigger" ? "triggers" : (spec.category ?? "tools"),
    inputSchema: spec.inputSchema,
    outputSchema: spec.outputSchema,
    run: spec.run,
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

// Checks `spec` and returns the normalised definition; every problem is pushed to `problems`.
function normaliseVendor(spec, problems) {
  const id = spec.id;
  if (!isNonEmptyString(id) || !VENDOR_ID.test(id)) {
    problems.push(`id ${JSON.stringify(id)} must match /^[a-z][a-z0-9-]*$/`);
  }
  requireString(spec, "name", "name", problems);
  if (!isNonEmptyString(spec.version) || !VERSION.test(spec.version)) {
    problems.push(`version ${JSON.stringify(spec.version)} must be a version string such as "1.0.0"`);
  }
  if (spec.icon !== undefined) requireString(spec, "icon", "icon", problems);

  const auth = normaliseAuth(spec.auth, problems);
  const network = normaliseNetwork(spec.network, problems);
  const capabilities = normaliseStringList(spec.capabilities, "capabilities", ["tools"], problems);

  const products = [];
  if (!Array.isArray(spec.products) || spec.products.length === 0) {
    problems.push("products must be a non-empty array of defineProduct(...) results");
  } else {
    const productIds = new Set();
    const blockIds = new Set();
    spec.products.forEach((product, p) => {
      products.push(normaliseProduct(product, `products[${p}]`, id, productIds, blockIds, problems));
    });
  }

  const definition = { id, name: spec.name, version: spec.version };
  if (spec.icon !== undefined) definition.icon = spec.icon;
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
  if (network === undefined) return { allowedHosts: [] };
  if (!isPlainObject(network)) {
    problems.push("network must be an object such as { allowedHosts: [\"api.example.com\"] }");
    return { allowedHosts: [] };
  }
  const hosts = normaliseStringList(network.allowedHosts, "network.allowedHosts", [], problems);
  hosts.forEach((host, i) => {
    if (typeof host === "string" && !HOST_NAME.test(host)) {
      problems.push(
        `network.allowedHosts[${i}] ${JSON.stringify(host)} must be a lower-case host such as "api.example.com", "*.example.com" or "api.example.com:8443"`,
      );
    }
  });
  return { allowedHosts: hosts };
}

function normaliseStringList(list, where, fallback, problems) {
  if (list === undefined) return [...fallback];
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
  if (product.category !== undefined) requireString(product, "category", where + ".category", problems);
  const dependencies = normaliseDependencies(product.dependencies, where, problems);

  const blocks = (key, kind) => {
    const list = product[key] ?? [];
    if (!Array.isArray(list)) {
      problems.push(`${where}.${key} must be an array`);
      return [];
    }
    return list.map((block, b) =>
      normaliseBlock(block, kind, `${where}.${key}[${b}]`, vendorId, blockIds, problems),
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
    triggers,
  };
}

function normaliseDependencies(list, where, problems) {
  if (list === undefined) return [];
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
  const wrongKind = block.kind !== undefined && block.kind !== kind;
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
  const category = kind === "trigger" ? "triggers" : (block.category ?? "tools");
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
    run: block.run,
  };
}

// Pushes a problem unless obj[key] is a non-empty string; answers whether it is.
function requireString(obj, key, where, problems) {
  if (isNonEmptyString(obj[key])) return true;
  problems.push(obj[key] === undefined ? `${where} is required` : `${where} must be a non-empty string`);
  return false;
}
