CREATE INDEX "stage_changes_history_idx" ON "stage_changes" USING btree ("org_id","opportunity_id","changed_at","id") INCLUDE ("to_stage");--> statement-breakpoint
DROP INDEX "stage_changes_opportunity_idx";
