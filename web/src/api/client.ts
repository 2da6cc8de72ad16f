import { ApiError } from "./api-error.ts";

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
type Query = Record<string, string | number | undefined>;

/**
 * The one way the web app talks to the API: same-origin requests with the session cookie, JSON in and out, the CSRF
 * token on every write, and error bodies turned into thrown ApiErrors.
 */
export class ApiClient {
  private csrfToken: string | null = null;
  /** Called when a request answers 401 (the session ended or expired). */
  onUnauthenticated: (() => void) | null = null;

  constructor(private readonly base = "") {}

  /** The token from sign-in or /api/auth/me; sent as X-CSRF-Token on writes. */
  setCsrfToken(token: string | null): void {
    this.csrfToken = token;
  }

  get<T>(path: string, query?: Query): Promise<T> {
    return this.request<T>("GET", withQuery(path, query));
  }

  post<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>("POST", path, body);
  }

  delete<T = void>(path: string): Promise<T> {
    return this.request<T>("DELETE", path);
  }

  async request<T>(method: Method, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { Accept: "application/json" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (method !== "GET" && this.csrfToken) headers["X-CSRF-Token"] = this.csrfToken;
    let res: Response;
    try {
      res = await fetch(this.base + path, {
        method,
        headers,
        credentials: "same-origin",
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
    } catch {
      throw new ApiError("network", "cannot reach the Throughline server; check your connection", 0);
    }
    if (res.status === 204) return undefined as T;
    const data: unknown = await res.json().catch(() => undefined);
    if (!res.ok) {
      const error = toApiError(res.status, data);
      // Sign-in itself answers 401 for a wrong password; that is not a lost session.
      if (res.status === 401 && path !== "/api/auth/sign-in") this.onUnauthenticated?.();
      throw error;
    }
    return data as T;
  }
}

function toApiError(status: number, data: unknown): ApiError {
  const error = (data as { error?: { code?: unknown; message?: unknown; field?: unknown } } | undefined)
    ?.error;
  if (error && typeof error.code === "string" && typeof error.message === "string") {
    return new ApiError(
      error.code,
      error.message,
      status,
      typeof error.field === "string" ? error.field : undefined,
    );
  }
  return new ApiError(`http_${status}`, `the server answered ${status} without an explanation`, status);
}

function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

/** The app's client (same origin: the API server serves the web app; Vite proxies /api in development). */
export const api = new ApiClient();
