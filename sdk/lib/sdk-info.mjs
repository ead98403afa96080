// weft-bundle: owns where this SDK lives and what it is called, for the esbuild alias and the
// SBOM (the SDK is bundled code too).

import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const SDK_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

// The file `import … from "@weft/sdk"` resolves to in a bundle build.
export const SDK_ENTRY = path.join(SDK_DIR, "index.js");

export const SDK_PACKAGE = JSON.parse(readFileSync(path.join(SDK_DIR, "package.json"), "utf8"));
