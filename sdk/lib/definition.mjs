// weft-bundle: owns getting the validated definition out of a built dist/index.js, by running
// definition-child.mjs in a separate Node process and turning its answer into a BundleError
// when the code is not a valid defineVendor(...) default export.

import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { BundleError } from "./errors.mjs";

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), "definition-child.mjs");
const TIMEOUT_MS = 20_000;

// Answers the definition (plain JSON: run functions dropped) or throws a BundleError.
export function loadDefinition(distFile) {
  const child = spawnSync(process.execPath, [CHILD, distFile], {
    encoding: "utf8",
    timeout: TIMEOUT_MS,
    maxBuffer: 64 * 1024 * 1024,
    stdio: ["ignore", "pipe", "pipe"],
  });
  if (child.error?.code === "ETIMEDOUT") {
    throw new BundleError(`loading ${distFile} took more than ${TIMEOUT_MS / 1000} s (does its top level wait forever?)`);
  }
  const line = child.stdout.trim().split("\n").pop() ?? "";
  let answer;
  try {
    answer = JSON.parse(line);
  } catch {
    const detail = (child.stderr || child.stdout || `exit status ${child.status}`).trim().split("\n")[0];
    throw new BundleError(`could not read the definition from ${distFile}: ${detail}`);
  }
  if (answer.ok) return answer.definition;
  switch (answer.reason) {
    case "invalid_definition":
      throw new BundleError(`definition invalid: ${answer.problems.join("; ")}`);
    case "not_vendor":
      throw new BundleError(`${answer.message}: write \`export default defineVendor({ … })\``);
    case "threw":
      throw new BundleError(`the bundle threw while loading: ${answer.message.split("\n")[0]}`);
    default:
      throw new BundleError(answer.message);
  }
}
