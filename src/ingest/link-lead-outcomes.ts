// What a CRM import tells the lead funnel: an opportunity opened on a lead's account after the capture, and the
// buyer replying or meeting after a follow-up. Run set-wise at the end of an import, in its transaction, over the
// whole organization, so that the order of the files does not matter (touchpoints imported before the follow-up
// was recorded are read on the next import) and running it again changes nothing.

import { sql } from "drizzle-orm";
import { meetingTouchKinds, ownTouchSources, replyTouchKinds } from "../core/leads/buyer-response.ts";
import { rows, type Tx } from "../db/client.ts";
import { pgArray } from "./kinds/batch-write.ts";

const textArray = (values: readonly string[]) =>
  sql.raw(`array[${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(",")}]::text[]`);

export interface LinkedOutcomes {
  /** Leads that had no opportunity and now have the first one opened on their account after the capture. */
  opportunities: number;
  /** Follow-ups whose response time was set (or moved earlier) by an imported reply or meeting. */
  responses: number;
}

/**
 * Links imported outcomes to leads:
 * - a lead with no opportunity gets the first imported opportunity (one with an external id) opened on its account
 *   (the lead's, or else its person's) at or after the capture, and the status `opportunity`;
 * - an imported touchpoint on a lead's person that is a reply or a meeting (`buyerResponseOf`) marks the latest
 *   follow-up of that person sent or done at or before it as responded at the touch's time (an earlier response
 *   already recorded stays), and the lead becomes `responded` if it was not further along.
 */
export async function linkLeadOutcomes(tx: Tx, orgId: string): Promise<LinkedOutcomes> {
  const linked = await rows<{ id: string }>(
    tx,
    sql`with pick as (
          select l.id as lead_id,
            (select o.id from opportunities o
              where o.org_id = l.org_id and o.account_id = coalesce(l.account_id, p.account_id)
                and o.external_id is not null and o.opened_at >= l.captured_at
              order by o.opened_at, o.id limit 1) as opportunity_id
          from leads l join people p on p.org_id = l.org_id and p.id = l.person_id
          where l.org_id = ${orgId} and l.opportunity_id is null
            and coalesce(l.account_id, p.account_id) is not null)
        update leads l set opportunity_id = pick.opportunity_id, status = 'opportunity'
        from pick
        where l.org_id = ${orgId} and l.id = pick.lead_id and pick.opportunity_id is not null
        returning l.id`,
  );
  const kind = sql`regexp_replace(lower(trim(t.kind)), '[[:space:]-]+', '_', 'g')`;
  const responded = await rows<{ lead_id: string }>(
    tx,
    sql`with answer as (
          select t.person_id, t.occurred_at from touchpoints t
          where t.org_id = ${orgId}
            and t.person_id in (select person_id from leads where org_id = ${orgId})
            and t.source <> all(${textArray(ownTouchSources)})
            and (t.channel = 'meeting' or ${kind} = any(${textArray([...replyTouchKinds, ...meetingTouchKinds])}))),
        target as (
          select a.occurred_at,
            (select f.id from follow_ups f
              where f.org_id = ${orgId} and f.person_id = a.person_id and f.lead_id is not null
                and f.status in ('sent', 'done') and f.sent_at <= a.occurred_at
              order by f.sent_at desc, f.id desc limit 1) as follow_up_id
          from answer a),
        earliest as (
          select follow_up_id, min(occurred_at) as at from target where follow_up_id is not null group by 1)
        update follow_ups f set responded_at = e.at
        from earliest e
        where f.org_id = ${orgId} and f.id = e.follow_up_id and (f.responded_at is null or f.responded_at > e.at)
        returning f.lead_id`,
  );
  const leadIds = [...new Set(responded.map((r) => r.lead_id))];
  if (leadIds.length > 0) {
    await tx.execute(
      sql`update leads set status = 'responded'
          where org_id = ${orgId} and status in ('new', 'routed', 'followed_up')
            and id = any(${pgArray(leadIds)}::uuid[])`,
    );
  }
  return { opportunities: linked.length, responses: responded.length };
}
