-- Row-level security for the learning operations tables (same tenant policy as every other tenant table).
SELECT throughline_secure_table('assessment_windows');
--> statement-breakpoint
SELECT throughline_secure_table('learning_settings');
--> statement-breakpoint
SELECT throughline_secure_table('accreditation_activities');
--> statement-breakpoint
SELECT throughline_secure_table('learner_profiles');
--> statement-breakpoint
SELECT throughline_secure_table('drill_cards');
--> statement-breakpoint
SELECT throughline_secure_table('drill_reviews');
--> statement-breakpoint
SELECT throughline_secure_table('learning_link_keys');
