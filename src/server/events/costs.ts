import { and, eq } from "drizzle-orm";
import { AppError } from "../../core/errors.ts";
import type { Database } from "../../db/client.ts";
import { eventCosts } from "../../db/schema/index.ts";
import { costJson, requireEvent } from "./event-json.ts";
import type { CreateCostInput, UpdateCostInput } from "./schemas.ts";

/** Adds a cost line (integer minor units, e.g. cents) to an event. */
export async function addCost(db: Database, orgId: string, eventId: string, input: CreateCostInput) {
  return db.withOrg(orgId, async (tx) => {
    await requireEvent(tx, orgId, eventId);
    const [row] = await tx
      .insert(eventCosts)
      .values({
        orgId,
        eventId,
        category: input.category,
        description: input.description ?? null,
        amountMinor: input.amountMinor,
        currency: input.currency ?? "USD",
        incurredAt: input.incurredAt ? new Date(input.incurredAt) : null,
      })
      .returning();
    return costJson(row!);
  });
}

/** Changes the given fields of a cost line. */
export async function updateCost(
  db: Database,
  orgId: string,
  eventId: string,
  costId: string,
  input: UpdateCostInput,
) {
  const { incurredAt, ...rest } = input;
  if (Object.keys(rest).length === 0 && incurredAt === undefined) {
    throw new AppError("validation", "give at least one field to change");
  }
  const [row] = await db.withOrg(orgId, (tx) =>
    tx
      .update(eventCosts)
      .set({
        ...rest,
        ...(incurredAt !== undefined ? { incurredAt: incurredAt ? new Date(incurredAt) : null } : {}),
      })
      .where(and(eq(eventCosts.orgId, orgId), eq(eventCosts.eventId, eventId), eq(eventCosts.id, costId)))
      .returning(),
  );
  if (!row) throw new AppError("not_found", `no cost line ${costId} in event ${eventId}`);
  return costJson(row);
}

/** Removes a cost line. */
export async function deleteCost(db: Database, orgId: string, eventId: string, costId: string) {
  const deleted = await db.withOrg(orgId, (tx) =>
    tx
      .delete(eventCosts)
      .where(and(eq(eventCosts.orgId, orgId), eq(eventCosts.eventId, eventId), eq(eventCosts.id, costId)))
      .returning({ id: eventCosts.id }),
  );
  if (deleted.length === 0) throw new AppError("not_found", `no cost line ${costId} in event ${eventId}`);
}
