// weft-bundle: owns copying a project's assets/ folder into the build, refusing what the upload
// pipeline would refuse (symlinks, file types outside .js .js.map .json .svg .png .jpg), and
// checking that a manifest icon given as a path is one of the copied files.

import { copyFileSync, existsSync, lstatSync, mkdirSync, readdirSync } from "node:fs";
import path from "node:path";

import { BundleError } from "./errors.mjs";

const ALLOWED = [".js.map", ".js", ".json", ".svg", ".png", ".jpg"];

// Copies <projectDir>/assets into <outDir>/assets; answers the copied paths relative to outDir.
export function copyAssets(projectDir, outDir) {
  const from = path.join(projectDir, "assets");
  if (!existsSync(from)) return [];
  const copied = [];
  const walk = (dir, rel) => {
    for (const name of readdirSync(dir).sort()) {
      const src = path.join(dir, name);
      const relPath = path.posix.join(rel, name);
      const stat = lstatSync(src);
      if (stat.isSymbolicLink()) throw new BundleError(`${relPath} is a symlink; bundles may not hold links`);
      if (stat.isDirectory()) {
        walk(src, relPath);
      } else if (stat.isFile()) {
        if (!ALLOWED.some((ext) => name.endsWith(ext))) {
          throw new BundleError(`${relPath}: a bundle may only hold ${ALLOWED.join(" ")} files`);
        }
        const dest = path.join(outDir, relPath);
        mkdirSync(path.dirname(dest), { recursive: true });
        copyFileSync(src, dest);
        copied.push(relPath);
      } else {
        throw new BundleError(`${relPath} is not a regular file`);
      }
    }
  };
  walk(from, "assets");
  return copied;
}

// An icon that is not a URL must name a file of the bundle, e.g. "assets/icon.svg".
export function checkIcon(icon, files) {
  if (icon === undefined || /^(https:|data:)/.test(icon)) return;
  if (!files.includes(icon)) {
    throw new BundleError(`icon "${icon}" is not in the bundle: put the file under the project's assets/ folder, or use an https: or data: URL`);
  }
}
