#!/usr/bin/env node
// weft-bundle — the command line of the bundle build tool: parses arguments, runs `build` or
// `pack` (sdk/lib/), prints one summary line (and any warnings, one line each, on stderr), and
// turns a BundleError into one line on stderr with exit status 1 (2 for a usage error).

import { build } from "../lib/build.mjs";
import { BundleError } from "../lib/errors.mjs";
import { pack } from "../lib/pack.mjs";

const USAGE = `usage: weft-bundle build <projectDir> [--out <dir>] [--minify]
       weft-bundle pack  <projectDir> [--out <dir>] [--minify]

build  compiles <projectDir>/src/index.ts (or src/index.js, or package.json "weft.entry") into
       <out>/dist/index.js and writes <out>/manifest.json, <out>/meta/{metafile,sbom.cdx}.json
       and <out>/assets/. <out> defaults to <projectDir>/build.
pack   builds, then writes <out>/<id>-<version>.bundle.tar.gz.`;

class UsageError extends Error {}

function parseArgs(argv) {
  const [command, ...rest] = argv;
  if (command === "--help" || command === "-h" || command === "help") return { command: "help" };
  if (command !== "build" && command !== "pack") {
    throw new UsageError(command === undefined ? "missing command" : `unknown command "${command}"`);
  }
  const options = {};
  let projectDir;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i];
    if (arg === "--out") {
      if (rest[i + 1] === undefined) throw new UsageError("--out needs a folder");
      options.out = rest[++i];
    } else if (arg.startsWith("--out=")) {
      options.out = arg.slice("--out=".length);
    } else if (arg === "--minify") {
      options.minify = true;
    } else if (arg.startsWith("-")) {
      throw new UsageError(`unknown option ${arg}`);
    } else if (projectDir === undefined) {
      projectDir = arg;
    } else {
      throw new UsageError(`unexpected argument "${arg}"`);
    }
  }
  if (projectDir === undefined) throw new UsageError("missing <projectDir>");
  return { command, projectDir, options };
}

function summary(result) {
  const { manifest, sbom } = result;
  const blocks = manifest.products.reduce((n, p) => n + p.blocks.length, 0);
  return `${manifest.id} ${manifest.version}: ${manifest.products.length} product(s), ${blocks} block(s), ` +
    `${sbom.components.length} SBOM component(s)`;
}

async function main() {
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`weft-bundle: ${e.message}\n${USAGE}\n`);
    return 2;
  }
  if (args.command === "help") {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  try {
    const result = args.command === "build"
      ? await build(args.projectDir, args.options)
      : await pack(args.projectDir, args.options);
    for (const warning of result.warnings) process.stderr.write(`weft-bundle: warning: ${warning}\n`);
    const done = args.command === "build"
      ? `built ${summary(result)} in ${result.outDir}`
      : `packed ${summary(result)} into ${result.archive}`;
    process.stdout.write(`weft-bundle: ${done}\n`);
    return 0;
  } catch (e) {
    if (!(e instanceof BundleError)) throw e;
    process.stderr.write(`weft-bundle: ${e.message}\n`);
    return 1;
  }
}

process.exitCode = await main();
