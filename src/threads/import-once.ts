/**
 * A module of a worker thread, imported once per thread. `import()` of a module already loaded still resolves its URL
 * again through the loader (0.8–1 ms under the TypeScript loader, on every check-in batch of the embedded database's
 * thread). A module that failed to load is tried again by the next call rather than remembered.
 */
const modules = new Map<string, Promise<Record<string, unknown>>>();

export function importOnce(url: string): Promise<Record<string, unknown>> {
  let loading = modules.get(url);
  if (!loading) {
    loading = import(url) as Promise<Record<string, unknown>>;
    modules.set(url, loading);
    loading.catch(() => modules.delete(url));
  }
  return loading;
}
