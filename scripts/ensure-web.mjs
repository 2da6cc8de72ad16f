#!/usr/bin/env node
// Builds web/dist with Vite when it is missing or older than any file under web/ (outside web/dist), so `npm start`
// builds once and later starts skip straight to the server. Prints one line when it builds, nothing otherwise.
import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const repo = join(dirname(fileURLToPath(import.meta.url)), "..");
const webDir = join(repo, "web");
const distDir = join(webDir, "dist");
const builtMarker = join(distDir, "index.html");

/** The newest file under `dir`, skipping web/dist and dependency folders. */
function newestFile(dir) {
  let newest = { path: "", mtimeMs: 0 };
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (path === distDir || entry.name === "node_modules" || entry.name.startsWith(".")) continue;
      const inner = newestFile(path);
      if (inner.mtimeMs > newest.mtimeMs) newest = inner;
    } else if (entry.isFile()) {
      const { mtimeMs } = statSync(path);
      if (mtimeMs > newest.mtimeMs) newest = { path, mtimeMs };
    }
  }
  return newest;
}

function reasonToBuild() {
  if (!existsSync(builtMarker)) return "web/dist is missing";
  const builtAt = statSync(builtMarker).mtimeMs;
  const newest = newestFile(webDir);
  return newest.mtimeMs > builtAt ? `${relative(repo, newest.path)} changed` : null;
}

const reason = reasonToBuild();
if (reason) {
  const started = Date.now();
  // Imported only when needed: loading Vite costs more than the check itself.
  const { build } = await import("vite");
  try {
    await build({ configFile: join(webDir, "vite.config.ts"), logLevel: "error" });
  } catch (error) {
    console.error(`web: build failed (${reason}): ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  }
  console.log(`web: built web/dist in ${((Date.now() - started) / 1000).toFixed(1)} s (${reason})`);
}
