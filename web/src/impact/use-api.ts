import { useEffect, useState } from "react";
import { ApiError } from "../api/api-error.ts";
import { api } from "../api/client.ts";

export type Loaded<T> =
  | { status: "loading" }
  | { status: "error"; message: string; code?: string }
  | { status: "ready"; data: T };

/** GETs `path` with `query` whenever the key (path + query) or `attempt` changes; stale answers are dropped. */
export function useApi<T>(path: string, query: Record<string, string | undefined>, attempt = 0): Loaded<T> {
  const [state, setState] = useState<Loaded<T>>({ status: "loading" });
  const key = `${path}?${JSON.stringify(query)}`;
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` stands for path and query; `attempt` retries
  useEffect(() => {
    let live = true;
    setState({ status: "loading" });
    api.get<T>(path, query).then(
      (data) => live && setState({ status: "ready", data }),
      (error: unknown) =>
        live &&
        setState({
          status: "error",
          message: error instanceof ApiError ? error.message : "the report could not be loaded",
          ...(error instanceof ApiError ? { code: error.code } : {}),
        }),
    );
    return () => {
      live = false;
    };
  }, [key, attempt]);
  return state;
}
