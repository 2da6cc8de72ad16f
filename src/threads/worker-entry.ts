import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";

/**
 * The source of a worker thread (for `new Worker(source, { eval: true })`) that registers the product's TypeScript
 * loader (tsx's module API, found through its package's exports) in the new thread, then imports `module` (a module
 * URL). Node 20 does not carry a parent's loader hooks, nor honour `--import` for a worker, so the worker registers
 * them itself.
 */
export function workerEntry(module: string): string {
  const require = createRequire(import.meta.url);
  const manifest = require.resolve("tsx/package.json");
  const exports = (require(manifest) as { exports: Record<string, { import?: { default?: string } }> })
    .exports;
  const api = exports["./esm/api"]?.import?.default;
  if (!api) throw new Error("tsx does not export ./esm/api for import");
  const loader = pathToFileURL(join(dirname(manifest), api)).href;
  return `import(${JSON.stringify(loader)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(module)}); });`;
}
