// The phone's offline queue of captures, like the kiosk's: each capture gets its nonce when it is made and is
// stored in IndexedDB before any network call, so a capture survives a dead connection, a closed tab or a reload.
// Sending is safe to repeat: the server records a nonce once and answers a replay with the original result.

import { ApiError } from "../api/api-error.ts";
import { api } from "../api/client.ts";
import { nonceStore } from "../offline/idb-store.ts";
import type { CaptureResult } from "./types.ts";

/** A capture waiting to be sent (or refused by the server, kept so nothing typed is lost). */
export interface QueuedCapture {
  nonce: string;
  eventId: string;
  /** The request body for POST /api/events/{eventId}/captures. */
  body: Record<string, unknown>;
  /** Who it is, for the list on screen. */
  label: string;
  queuedAt: string;
  /** Set when the server refused it (a 4xx): it stays until the rep discards it. */
  error?: string;
}

const run = nonceStore("throughline-leads", "captures");

/** Every queued capture, oldest first. */
export async function queuedCaptures(): Promise<QueuedCapture[]> {
  const all = await run<QueuedCapture[]>("readonly", (s) => s.getAll() as IDBRequest<QueuedCapture[]>);
  return all.sort((a, b) => a.queuedAt.localeCompare(b.queuedAt));
}

export function putCapture(item: QueuedCapture): Promise<IDBValidKey> {
  return run("readwrite", (s) => s.put(item));
}

export function dropCapture(nonce: string): Promise<undefined> {
  return run("readwrite", (s) => s.delete(nonce));
}

export type SendOutcome =
  | { kind: "sent"; result: CaptureResult }
  | { kind: "offline" }
  | { kind: "refused"; message: string };

/** Sends one queued capture; removes it once the server has it (first time or replay). */
export async function sendCapture(item: QueuedCapture): Promise<SendOutcome> {
  try {
    const result = await api.post<CaptureResult>(`/api/events/${item.eventId}/captures`, item.body);
    await dropCapture(item.nonce);
    return { kind: "sent", result };
  } catch (error) {
    if (error instanceof ApiError && error.status >= 400 && error.status < 500 && error.status !== 401) {
      await putCapture({ ...item, error: error.message });
      return { kind: "refused", message: error.message };
    }
    // No network, a 5xx or a lost session: keep it and try again later.
    return { kind: "offline" };
  }
}

let flushing: Promise<number> | null = null;

/** Sends everything queued, oldest first, stopping at the first network failure; returns how many were sent. */
export function flushCaptures(): Promise<number> {
  flushing ??= (async () => {
    let sent = 0;
    try {
      for (const item of await queuedCaptures()) {
        if (item.error) continue;
        const outcome = await sendCapture(item);
        if (outcome.kind === "offline") break;
        if (outcome.kind === "sent") sent++;
      }
    } finally {
      flushing = null;
    }
    return sent;
  })();
  return flushing;
}
