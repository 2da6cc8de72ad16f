import { sql } from "drizzle-orm";
import { timestamp, uuid } from "drizzle-orm/pg-core";

/** The tenant key: first column of every tenant table's primary and foreign keys (ready to distribute by org). */
export const orgId = () => uuid("org_id").notNull();
/** Row identity inside an organization. */
export const id = () => uuid("id").notNull().default(sql`gen_random_uuid()`);
/** A point in time, always with its zone. */
export const ts = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });
export const createdAt = () => ts("created_at").notNull().defaultNow();
