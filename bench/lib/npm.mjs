// Packing and installing packages the way a user gets them, and measuring what lands in node_modules.
import { existsSync, lstatSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { run } from "./proc.mjs";

/** `npm pack` (of a folder or a registry spec) into dir; returns the tarball's path and size. */
export async function npmPack(spec, dir, { cwd, ignoreScripts = false } = {}) {
  const args = ["pack", spec, "--json", "--pack-destination", dir];
  if (ignoreScripts) args.push("--ignore-scripts");
  const { stdout } = await run("npm", args, { cwd, timeoutMs: 120_000 });
  const [info] = JSON.parse(stdout.slice(stdout.indexOf("[")));
  return { tarball: join(dir, info.filename), bytes: info.size, unpackedBytes: info.unpackedSize };
}

/** A fresh project in dir with `spec` installed, as `npm install <spec>` in an empty folder does it. */
export async function npmInstallFresh(spec, dir, { offline = false } = {}) {
  rmSync(dir, { recursive: true, force: true });
  // Without its own package.json, npm would climb to the repo root and install there.
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "package.json"), `${JSON.stringify({ name: "bench-install", private: true })}\n`);
  const args = ["install", spec, "--no-audit", "--no-fund", "--no-update-notifier"];
  if (offline) args.push("--prefer-offline");
  await run("npm", args, { cwd: dir, timeoutMs: 150_000 });
}

/** Packages under node_modules, nested ones included, and the bytes of every file there. */
export function measureNodeModules(nodeModules) {
  let packages = 0;
  const visitPackage = (dir) => {
    if (existsSync(join(dir, "package.json"))) packages++;
    const nested = join(dir, "node_modules");
    if (existsSync(nested)) visitFolder(nested);
  };
  const visitFolder = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith(".") || !entry.isDirectory()) continue;
      const path = join(dir, entry.name);
      if (entry.name.startsWith("@")) {
        for (const scoped of readdirSync(path, { withFileTypes: true }))
          if (scoped.isDirectory()) visitPackage(join(path, scoped.name));
      } else visitPackage(path);
    }
  };
  if (existsSync(nodeModules)) visitFolder(nodeModules);
  return { packages, bytes: folderBytes(nodeModules) };
}

function folderBytes(dir) {
  if (!existsSync(dir)) return 0;
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += folderBytes(path);
    else total += lstatSync(path).size;
  }
  return total;
}
