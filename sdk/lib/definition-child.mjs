// weft-bundle: owns reading a built bundle's definition, in a child Node process of its own
// (fresh globals and module cache, no sandbox host). Usage: node definition-child.mjs <dist.js>.
// It prints one JSON line on stdout: { ok: true, definition } — the definition without its
// run functions — or { ok: false, reason, message, problems? }, and exits.

import { pathToFileURL } from "node:url";

const VENDOR_MARK = Symbol.for("weft.sdk.vendor");

function finish(answer) {
  process.stdout.write(JSON.stringify(answer) + "\n", () => process.exit(0));
}

async function main(distFile) {
  let module;
  try {
    module = await import(pathToFileURL(distFile).href);
  } catch (e) {
    if (Array.isArray(e?.problems)) {
      return finish({ ok: false, reason: "invalid_definition", message: e.message, problems: e.problems });
    }
    return finish({ ok: false, reason: "threw", message: String(e?.stack ?? e) });
  }
  const vendor = module.default;
  if (typeof vendor !== "object" || vendor === null || vendor[VENDOR_MARK] !== true || !vendor.definition) {
    return finish({
      ok: false,
      reason: "not_vendor",
      message: "the default export is not a defineVendor(...) result from @weft/sdk",
    });
  }
  // JSON drops the run functions; schemas that are not JSON fail here rather than on upload.
  let definition;
  try {
    definition = JSON.parse(JSON.stringify(vendor.definition));
  } catch (e) {
    return finish({ ok: false, reason: "not_json", message: `the definition is not JSON: ${e.message}` });
  }
  finish({ ok: true, definition });
}

main(process.argv[2]);
