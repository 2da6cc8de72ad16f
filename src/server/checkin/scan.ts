import { z } from "@hono/zod-openapi";

/** Text a scanner or kiosk sends: no NUL character, which no database text can hold. */
const scanText = (min: number, max: number) =>
  z
    .string()
    .min(min)
    .max(max)
    .refine((s) => !s.includes("\0"), "must not contain a NUL character");

export const scanSchema = z
  .object({
    /** Made by the kiosk for each scan; a replay of the same scan carries the same nonce and counts once. */
    nonce: scanText(8, 100),
    /** The QR / wedge code. Either this or personId (search by name). */
    ticket: scanText(1, 400).optional(),
    personId: z.uuid().optional(),
    /** Null or absent: the door. */
    sessionId: z.uuid().nullable().optional(),
    direction: z.enum(["entry", "exit"]).default("entry"),
    method: z.enum(["qr", "wedge", "search"]).default("qr"),
    /** When the kiosk saw the scan (it may replay it later from its offline queue). */
    occurredAt: z.iso.datetime({ offset: true }).optional(),
    deviceId: scanText(0, 100).optional(),
  })
  .strict()
  .refine((s) => (s.ticket ? !s.personId : !!s.personId), {
    message: "give either ticket or personId",
    path: ["ticket"],
  })
  .openapi("Scan");
export type Scan = z.infer<typeof scanSchema>;

export const scanOutcomes = [
  "checked_in",
  "checked_out",
  "already_checked_in",
  "not_checked_in",
  "rejected",
] as const;
export type ScanOutcome = (typeof scanOutcomes)[number];

export const scanResultSchema = z
  .object({
    nonce: z.string(),
    outcome: z.enum(scanOutcomes),
    /** True when this nonce had been recorded before: the answer is the original one, nothing was added. */
    replay: z.boolean(),
    /** forged, expired, revoked, wrong_event, malformed, unknown_ticket, not_registered, unknown_session… */
    reason: z.string().nullable(),
    message: z.string(),
    person: z.object({ id: z.uuid(), name: z.string() }).nullable(),
    /** The time that matters for the outcome (this scan, or the earlier check-in), ISO and on the event's clock. */
    at: z.string().nullable(),
    atLocal: z.string().nullable(),
    minutesInSession: z.number().nullable(),
  })
  .openapi("ScanResult");
export type ScanResult = z.infer<typeof scanResultSchema>;
