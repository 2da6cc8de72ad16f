import { sql } from "drizzle-orm";
import { AppError } from "../../core/errors.ts";
import { compileGlossary } from "../../core/movement/kickoff-adoption.ts";
import { type Database, rows } from "../../db/client.ts";
import { loadEvent } from "./event-context.ts";

/** Replaces a kickoff's phrase glossary; phrases that normalize to the same text are kept once. */
export async function setGlossary(
  db: Database,
  orgId: string,
  eventId: string,
  phrases: readonly string[],
): Promise<string[]> {
  const glossary = compileGlossary(phrases.map((p) => p.trim()));
  return db.withOrg(orgId, async (tx) => {
    await loadEvent(tx, orgId, eventId);
    await tx.execute(sql`delete from kickoff_phrases where org_id = ${orgId} and event_id = ${eventId}`);
    for (const phrase of glossary.phrases)
      await tx.execute(
        sql`insert into kickoff_phrases (org_id, event_id, phrase) values (${orgId}, ${eventId}, ${phrase})`,
      );
    return [...glossary.phrases].sort();
  });
}

/** Replaces a kickoff's observation checklist (earlier observations keep the items they were scored on). */
export async function setChecklist(
  db: Database,
  orgId: string,
  eventId: string,
  labels: readonly string[],
): Promise<{ id: string; position: number; label: string }[]> {
  return db.withOrg(orgId, async (tx) => {
    await loadEvent(tx, orgId, eventId);
    await tx.execute(sql`delete from observation_items where org_id = ${orgId} and event_id = ${eventId}`);
    const out: { id: string; position: number; label: string }[] = [];
    for (const [position, label] of labels.entries()) {
      const [row] = await rows<{ id: string }>(
        tx,
        sql`insert into observation_items (org_id, event_id, position, label)
            values (${orgId}, ${eventId}, ${position}, ${label}) returning id`,
      );
      out.push({ id: row!.id, position, label });
    }
    return out;
  });
}

/**
 * Records a manager observation of a rep: each item of the kickoff's checklist seen or not. Items not on the
 * checklist are refused by id; items left out were not assessed and do not count.
 */
export async function addObservation(
  db: Database,
  orgId: string,
  eventId: string,
  o: {
    repUserId: string;
    observerUserId: string | null;
    observedAt: Date;
    items: Record<string, boolean>;
    note: string | null;
  },
): Promise<string> {
  if (Object.keys(o.items).length === 0)
    throw new AppError("validation", "items: at least one checklist item must be assessed", "items");
  return db.withOrg(orgId, async (tx) => {
    await loadEvent(tx, orgId, eventId);
    const [rep] = await rows<{ id: string }>(
      tx,
      sql`select id from users where org_id = ${orgId} and id = ${o.repUserId}`,
    );
    if (!rep) throw new AppError("not_found", `rep ${o.repUserId} not found`, "repUserId");
    const known = new Set(
      (
        await rows<{ id: string }>(
          tx,
          sql`select id from observation_items where org_id = ${orgId} and event_id = ${eventId}`,
        )
      ).map((r) => r.id),
    );
    for (const id of Object.keys(o.items))
      if (!known.has(id))
        throw new AppError(
          "validation",
          `items: ${id} is not an item of this kickoff's checklist`,
          `items.${id}`,
        );
    const [row] = await rows<{ id: string }>(
      tx,
      sql`insert into manager_observations (org_id, event_id, rep_user_id, observer_user_id, observed_at, items, note)
          values (${orgId}, ${eventId}, ${o.repUserId}, ${o.observerUserId}, ${o.observedAt.toISOString()}::timestamptz,
                  ${JSON.stringify(o.items)}::jsonb, ${o.note})
          returning id`,
    );
    return row!.id;
  });
}
