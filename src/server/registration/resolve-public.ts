import { sql } from "drizzle-orm";
import { AppError } from "../../core/errors.ts";
import { type Database, rows, type Tx } from "../../db/client.ts";
import type { RegistrationQuestion } from "../events/schemas.ts";

/** The organization named by a public page's slug (the narrow SECURITY DEFINER look-up), or not_found. */
export async function orgIdBySlug(db: Database, orgSlug: string): Promise<string> {
  const [row] = await db.asApp((tx) =>
    rows<{ id: string | null }>(tx, sql`select org_id_by_slug(${orgSlug}) as id`),
  );
  if (!row?.id) throw new AppError("not_found", `no organization "${orgSlug}"`);
  return row.id;
}

export interface PublicEventRow {
  id: string;
  name: string;
  slug: string;
  type: string;
  status: string;
  startsAt: Date;
  endsAt: Date;
  timeZone: string;
  venue: string | null;
  virtualUrl: string | null;
  capacity: number | null;
  inviteOnly: boolean;
  description: string | null;
  registrationQuestions: RegistrationQuestion[];
}

/** The event by slug inside the organization; `lock` takes the row lock that serialises capacity decisions. */
export async function eventBySlug(
  tx: Tx,
  orgId: string,
  eventSlug: string,
  lock = false,
): Promise<PublicEventRow> {
  const [e] = await rows<PublicEventRow & { startsAt: Date | string; endsAt: Date | string }>(
    tx,
    sql`select id, name, slug, type, status, starts_at as "startsAt", ends_at as "endsAt", time_zone as "timeZone",
          venue, virtual_url as "virtualUrl", capacity, invite_only as "inviteOnly", description,
          registration_questions as "registrationQuestions"
        from events where org_id = ${orgId} and slug = ${eventSlug} ${lock ? sql`for update` : sql``}`,
  );
  if (!e) throw new AppError("not_found", `no event "${eventSlug}"`);
  return { ...e, startsAt: new Date(e.startsAt), endsAt: new Date(e.endsAt) };
}

/** The same, by id. */
export async function eventById(
  tx: Tx,
  orgId: string,
  eventId: string,
  lock = false,
): Promise<PublicEventRow> {
  const [e] = await rows<{ slug: string }>(
    tx,
    sql`select slug from events where org_id = ${orgId} and id = ${eventId} ${lock ? sql`for update` : sql``}`,
  );
  if (!e) throw new AppError("not_found", `no event ${eventId}`);
  return eventBySlug(tx, orgId, e.slug);
}
