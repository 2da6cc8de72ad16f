CREATE TABLE "kickoff_phrases" (
	"org_id" uuid NOT NULL,
	"event_id" uuid NOT NULL,
	"phrase" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "kickoff_phrases_org_id_event_id_phrase_pk" PRIMARY KEY("org_id","event_id","phrase")
);
--> statement-breakpoint
CREATE TABLE "manager_observations" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"event_id" uuid NOT NULL,
	"rep_user_id" uuid NOT NULL,
	"observer_user_id" uuid,
	"observed_at" timestamp with time zone NOT NULL,
	"items" jsonb NOT NULL,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "manager_observations_org_id_id_pk" PRIMARY KEY("org_id","id")
);
--> statement-breakpoint
CREATE TABLE "movement_alerts" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"event_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"subject_id" uuid NOT NULL,
	"period" integer NOT NULL,
	"recipient_user_id" uuid,
	"detail" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"outbox_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "movement_alerts_org_id_id_pk" PRIMARY KEY("org_id","id"),
	CONSTRAINT "movement_alerts_kind_check" CHECK ("movement_alerts"."kind" in ('stall','adoption'))
);
--> statement-breakpoint
CREATE TABLE "observation_items" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"event_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"label" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "observation_items_org_id_id_pk" PRIMARY KEY("org_id","id")
);
--> statement-breakpoint
ALTER TABLE "kickoff_phrases" ADD CONSTRAINT "kickoff_phrases_org_id_event_id_events_org_id_id_fk" FOREIGN KEY ("org_id","event_id") REFERENCES "public"."events"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "manager_observations" ADD CONSTRAINT "manager_observations_org_id_event_id_events_org_id_id_fk" FOREIGN KEY ("org_id","event_id") REFERENCES "public"."events"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "manager_observations" ADD CONSTRAINT "manager_observations_org_id_rep_user_id_users_org_id_id_fk" FOREIGN KEY ("org_id","rep_user_id") REFERENCES "public"."users"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "manager_observations" ADD CONSTRAINT "manager_observations_org_id_observer_user_id_users_org_id_id_fk" FOREIGN KEY ("org_id","observer_user_id") REFERENCES "public"."users"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "movement_alerts" ADD CONSTRAINT "movement_alerts_org_id_event_id_events_org_id_id_fk" FOREIGN KEY ("org_id","event_id") REFERENCES "public"."events"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "observation_items" ADD CONSTRAINT "observation_items_org_id_event_id_events_org_id_id_fk" FOREIGN KEY ("org_id","event_id") REFERENCES "public"."events"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "manager_observations_event_idx" ON "manager_observations" USING btree ("org_id","event_id","rep_user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "movement_alerts_key" ON "movement_alerts" USING btree ("org_id","event_id","kind","subject_id","period");--> statement-breakpoint
CREATE UNIQUE INDEX "observation_items_position_key" ON "observation_items" USING btree ("org_id","event_id","position");