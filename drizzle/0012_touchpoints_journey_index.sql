-- Journeys travel as text with chr(30) between touches and chr(31) between fields. The read used to turn those two
-- characters into spaces on every touch; they are turned into spaces here once, and refused from now on.
UPDATE "touchpoints" SET
  "channel" = translate("channel", chr(30) || chr(31), '  '),
  "kind" = translate("kind", chr(30) || chr(31), '  '),
  "campaign" = translate("campaign", chr(30) || chr(31), '  ')
WHERE strpos("channel" || "kind" || coalesce("campaign", ''), chr(30)) > 0
   OR strpos("channel" || "kind" || coalesce("campaign", ''), chr(31)) > 0;--> statement-breakpoint
ALTER TABLE "touchpoints" ADD CONSTRAINT "touchpoints_names_check" CHECK (strpos("touchpoints"."channel" || "touchpoints"."kind" || coalesce("touchpoints"."campaign", ''), chr(30)) = 0
        and strpos("touchpoints"."channel" || "touchpoints"."kind" || coalesce("touchpoints"."campaign", ''), chr(31)) = 0);--> statement-breakpoint
-- The journey index holds the names, and an index entry has a size limit: channel and kind hold at most 64
-- characters, campaign 255 (imports refuse longer ones with the row and field). Longer names already stored could
-- not be indexed at all; they are cut to the limit here, once.
UPDATE "touchpoints" SET
  "channel" = left("channel", 64),
  "kind" = left("kind", 64),
  "campaign" = left("campaign", 255)
WHERE char_length("channel") > 64 OR char_length("kind") > 64 OR char_length("campaign") > 255;--> statement-breakpoint
ALTER TABLE "touchpoints" ADD CONSTRAINT "touchpoints_name_lengths_check" CHECK (char_length("touchpoints"."channel") <= 64 and char_length("touchpoints"."kind") <= 64
        and char_length("touchpoints"."campaign") <= 255);--> statement-breakpoint
DROP INDEX "touchpoints_account_idx";--> statement-breakpoint
CREATE INDEX "touchpoints_account_idx" ON "touchpoints" USING btree ("org_id","account_id","occurred_at","id") INCLUDE ("channel","kind","online","event_id","campaign");--> statement-breakpoint
CREATE INDEX "touchpoints_accountless_idx" ON "touchpoints" USING btree ("org_id","person_id","occurred_at","id") INCLUDE ("channel","kind","online","event_id","campaign") WHERE "touchpoints"."account_id" is null;--> statement-breakpoint
DROP INDEX "touchpoints_event_idx";--> statement-breakpoint
CREATE INDEX "touchpoints_event_idx" ON "touchpoints" USING btree ("org_id","event_id") INCLUDE ("account_id","person_id","occurred_at") WHERE "touchpoints"."event_id" is not null;--> statement-breakpoint
-- A report reads the histories of thousands of given opportunities one index probe each: with from_stage too, the
-- index alone answers them.
DROP INDEX "stage_changes_history_idx";--> statement-breakpoint
CREATE INDEX "stage_changes_history_idx" ON "stage_changes" USING btree ("org_id","opportunity_id","changed_at","id") INCLUDE ("to_stage","from_stage");
