-- Row-level security for the movement tables (same tenant policy as every other tenant table).
SELECT throughline_secure_table('kickoff_phrases');
--> statement-breakpoint
SELECT throughline_secure_table('observation_items');
--> statement-breakpoint
SELECT throughline_secure_table('manager_observations');
--> statement-breakpoint
SELECT throughline_secure_table('movement_alerts');
