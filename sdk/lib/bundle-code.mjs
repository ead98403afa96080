// weft-bundle: owns compiling a project's entry into one import-free ESM file with esbuild
// (every dependency inlined, `@weft/sdk` resolved to this SDK folder). It answers esbuild's
// metafile and warnings; it knows nothing about manifests, SBOMs or archives.

import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

import * as esbuild from "esbuild";

import { BundleError } from "./errors.mjs";
import { SDK_ENTRY } from "./sdk-info.mjs";

// The bundle's code, relative to the bundle folder.
export const DIST_FILE = "dist/index.js";

// esbuild's shim for a require()/import() it could not inline (a computed path, say): with
// dynamic import() marked unsupported below, every such load goes through it.
const RUNTIME_LOAD_SHIM = 'Dynamic require of "';

// Resolves `import … from "@weft/sdk"` to this folder's index.js, so a project builds without
// installing the SDK and always against the SDK version of the build tool.
const sdkAlias = {
  name: "weft-sdk-alias",
  setup(build) {
    build.onResolve({ filter: /^@weft\/sdk$/ }, () => ({ path: SDK_ENTRY }));
  },
};

// Writes <bundleDir>/dist/index.js. Answers { metafile, warnings }: the metafile's inputs are
// relative to `workingDir` (the project) and its one output is "dist/index.js" — no path of the
// build machine; warnings are one-line strings.
export async function bundleCode({ entry, bundleDir, workingDir, minify = false }) {
  let result;
  try {
    result = await esbuild.build({
      entryPoints: [entry],
      outfile: path.join(bundleDir, DIST_FILE),
      absWorkingDir: workingDir,
      bundle: true,
      format: "esm",
      platform: "neutral",
      target: "es2022",
      mainFields: ["module", "main"],
      conditions: ["module"],
      // The sandbox refuses every import, dynamic ones too: esbuild inlines the import()s it
      // can resolve and turns the rest into its throwing require shim instead of import().
      supported: { "dynamic-import": false },
      minify,
      metafile: true,
      write: false,
      logLevel: "silent",
      plugins: [sdkAlias],
    });
  } catch (e) {
    throw new BundleError(`esbuild failed: ${describeMessage(e?.errors?.[0]) ?? String(e?.message ?? e)}${moreErrors(e)}`);
  }
  const [outputFile, ...otherFiles] = result.outputFiles;
  const [output, ...otherOutputs] = Object.values(result.metafile.outputs);
  if (otherFiles.length > 0 || otherOutputs.length > 0) throw new Error("esbuild wrote more than one output file");
  const metafile = { inputs: result.metafile.inputs, outputs: { [DIST_FILE]: output } };
  refuseImports(metafile);

  mkdirSync(path.dirname(outputFile.path), { recursive: true });
  writeFileSync(outputFile.path, outputFile.contents);

  const warnings = result.warnings.map(describeMessage);
  if (outputFile.text.includes(RUNTIME_LOAD_SHIM)) {
    warnings.push(
      `${DIST_FILE} loads a module at run time that could not be bundled (an import() or require() of a computed path); in the sandbox that call throws`,
    );
  }
  return { metafile, warnings };
}

function describeMessage(message) {
  if (!message) return undefined;
  const where = message.location
    ? `${message.location.file}:${message.location.line}:${message.location.column + 1}: `
    : "";
  return `${where}${message.text}`;
}

function moreErrors(e) {
  const count = e?.errors?.length ?? 0;
  return count > 1 ? ` (and ${count - 1} more error(s))` : "";
}

// Anything esbuild left as an import (a static import of a package marked external by a
// dependency's own settings, say) would make the sandbox refuse the whole module.
function refuseImports(metafile) {
  for (const [file, output] of Object.entries(metafile.outputs)) {
    const left = output.imports ?? [];
    if (left.length > 0) {
      const names = left.map((i) => `${i.kind} "${i.path}"`).join(", ");
      throw new BundleError(`${file} still imports ${names}; the sandbox refuses every import, so inline it or remove it`);
    }
  }
}
