// Fetch helpers for the public pages (registration, ticket, kiosk, attendee): JSON in and out, the API's error
// message surfaced as it is, and a network failure told apart from a refusal.

export class PublicApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** Status 0 means the network failed (offline), not that the server refused. */
export async function call<T>(path: string, init: RequestInit = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      credentials: "same-origin",
      ...init,
      headers: { Accept: "application/json", "Content-Type": "application/json", ...(init.headers ?? {}) },
    });
  } catch {
    throw new PublicApiError("no connection to the server", 0);
  }
  if (res.status === 204) return undefined as T;
  const data = (await res.json().catch(() => undefined)) as
    | { error?: { message: string; field?: string } }
    | undefined;
  if (!res.ok) {
    throw new PublicApiError(
      data?.error?.message ?? `the server answered ${res.status}`,
      res.status,
      data?.error?.field,
    );
  }
  return data as T;
}
