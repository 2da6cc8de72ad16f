import { useCallback, useEffect, useRef, useState } from "react";
import { ApiError } from "../api/api-error.ts";
import { api } from "../api/client.ts";

export type Resource<T> =
  | { status: "loading" }
  | { status: "error"; message: string; code: string }
  | { status: "ready"; data: T };

/**
 * GETs `path` when it changes; `reload()` asks again after a change and keeps showing the current data meanwhile,
 * so a list does not blink. Answers to an older path are dropped.
 */
export function useResource<T>(path: string): { resource: Resource<T>; reload(): Promise<void> } {
  const [resource, setResource] = useState<Resource<T>>({ status: "loading" });
  const current = useRef(path);
  current.current = path;

  const fetchInto = useCallback(async (wanted: string) => {
    try {
      const data = await api.get<T>(wanted);
      if (current.current === wanted) setResource({ status: "ready", data });
    } catch (error) {
      if (current.current !== wanted) return;
      setResource({
        status: "error",
        message: error instanceof ApiError ? error.message : "could not be loaded",
        code: error instanceof ApiError ? error.code : "unknown",
      });
    }
  }, []);

  useEffect(() => {
    setResource({ status: "loading" });
    void fetchInto(path);
  }, [path, fetchInto]);

  const reload = useCallback(() => fetchInto(current.current), [fetchInto]);
  return { resource, reload };
}
