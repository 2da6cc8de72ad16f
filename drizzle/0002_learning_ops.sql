CREATE TABLE "accreditation_activities" (
	"org_id" uuid NOT NULL,
	"event_id" uuid NOT NULL,
	"provider_activity_id" text NOT NULL,
	"activity_type" text DEFAULT 'Course' NOT NULL,
	"providership" text DEFAULT 'Direct' NOT NULL,
	"joint_providers" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"city" text,
	"state" text,
	"country" text,
	"hours_of_instruction" numeric(6, 2),
	"credits_designated" numeric(6, 2),
	"designed_to_change" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"changes_evaluated" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"competencies" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"commercial_support" boolean DEFAULT false NOT NULL,
	"commercial_supporters" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"description" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "accreditation_activities_org_id_event_id_pk" PRIMARY KEY("org_id","event_id")
);
--> statement-breakpoint
CREATE TABLE "assessment_windows" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"assessment_id" uuid NOT NULL,
	"phase" text NOT NULL,
	"delay_days" integer DEFAULT 0 NOT NULL,
	"opens_at" timestamp with time zone NOT NULL,
	"closes_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "assessment_windows_org_id_id_pk" PRIMARY KEY("org_id","id"),
	CONSTRAINT "assessment_windows_phase_check" CHECK ("assessment_windows"."phase" in ('pre','post','delayed')),
	CONSTRAINT "assessment_windows_dates_check" CHECK ("assessment_windows"."closes_at" > "assessment_windows"."opens_at")
);
--> statement-breakpoint
CREATE TABLE "drill_cards" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"event_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"objective" text NOT NULL,
	"fsrs" jsonb NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"reviews" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "drill_cards_org_id_id_pk" PRIMARY KEY("org_id","id")
);
--> statement-breakpoint
CREATE TABLE "drill_reviews" (
	"org_id" uuid NOT NULL,
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"card_id" uuid NOT NULL,
	"item_id" uuid NOT NULL,
	"due_day" text NOT NULL,
	"answer" jsonb NOT NULL,
	"correct" boolean NOT NULL,
	"confidence" smallint NOT NULL,
	"rating" text NOT NULL,
	"reviewed_at" timestamp with time zone NOT NULL,
	CONSTRAINT "drill_reviews_org_id_id_pk" PRIMARY KEY("org_id","id"),
	CONSTRAINT "drill_reviews_confidence_check" CHECK ("drill_reviews"."confidence" between 1 and 4)
);
--> statement-breakpoint
CREATE TABLE "learner_profiles" (
	"org_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"license_state" text,
	"license_number" text,
	"certifying_board" text,
	"board_id" text,
	"birth_month" smallint,
	"birth_day" smallint,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "learner_profiles_org_id_person_id_pk" PRIMARY KEY("org_id","person_id"),
	CONSTRAINT "learner_profiles_birth_check" CHECK ("learner_profiles"."birth_month" between 1 and 12 and "learner_profiles"."birth_day" between 1 and 31)
);
--> statement-breakpoint
CREATE TABLE "learning_link_keys" (
	"org_id" uuid NOT NULL,
	"secret" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "learning_link_keys_org_id_pk" PRIMARY KEY("org_id")
);
--> statement-breakpoint
CREATE TABLE "learning_settings" (
	"org_id" uuid NOT NULL,
	"event_id" uuid NOT NULL,
	"commitment_follow_up_days" integer DEFAULT 30 NOT NULL,
	"reminder_after_days" integer DEFAULT 3 NOT NULL,
	"window_days" integer DEFAULT 14 NOT NULL,
	"credit_type" text DEFAULT 'AMA PRA Category 1 Credit' NOT NULL,
	"min_session_share" numeric(4, 3) DEFAULT 0.75 NOT NULL,
	"min_total_minutes" integer DEFAULT 60 NOT NULL,
	"credit_increment" numeric(4, 2) DEFAULT 0.25 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "learning_settings_org_id_event_id_pk" PRIMARY KEY("org_id","event_id")
);
--> statement-breakpoint
ALTER TABLE "accreditation_activities" ADD CONSTRAINT "accreditation_activities_org_id_event_id_events_org_id_id_fk" FOREIGN KEY ("org_id","event_id") REFERENCES "public"."events"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_windows" ADD CONSTRAINT "assessment_windows_org_id_assessment_id_assessments_org_id_id_fk" FOREIGN KEY ("org_id","assessment_id") REFERENCES "public"."assessments"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "drill_cards" ADD CONSTRAINT "drill_cards_org_id_event_id_events_org_id_id_fk" FOREIGN KEY ("org_id","event_id") REFERENCES "public"."events"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "drill_cards" ADD CONSTRAINT "drill_cards_org_id_person_id_people_org_id_id_fk" FOREIGN KEY ("org_id","person_id") REFERENCES "public"."people"("org_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "drill_reviews" ADD CONSTRAINT "drill_reviews_org_id_card_id_drill_cards_org_id_id_fk" FOREIGN KEY ("org_id","card_id") REFERENCES "public"."drill_cards"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "drill_reviews" ADD CONSTRAINT "drill_reviews_org_id_item_id_assessment_items_org_id_id_fk" FOREIGN KEY ("org_id","item_id") REFERENCES "public"."assessment_items"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "learner_profiles" ADD CONSTRAINT "learner_profiles_org_id_person_id_people_org_id_id_fk" FOREIGN KEY ("org_id","person_id") REFERENCES "public"."people"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "learning_link_keys" ADD CONSTRAINT "learning_link_keys_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "learning_settings" ADD CONSTRAINT "learning_settings_org_id_event_id_events_org_id_id_fk" FOREIGN KEY ("org_id","event_id") REFERENCES "public"."events"("org_id","id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "accreditation_activities_provider_id_key" ON "accreditation_activities" USING btree ("org_id","provider_activity_id");--> statement-breakpoint
CREATE UNIQUE INDEX "assessment_windows_key" ON "assessment_windows" USING btree ("org_id","assessment_id","phase","delay_days");--> statement-breakpoint
CREATE UNIQUE INDEX "drill_cards_key" ON "drill_cards" USING btree ("org_id","event_id","person_id","objective");--> statement-breakpoint
CREATE INDEX "drill_cards_due_idx" ON "drill_cards" USING btree ("org_id","due_at");--> statement-breakpoint
CREATE UNIQUE INDEX "drill_reviews_card_day_key" ON "drill_reviews" USING btree ("org_id","card_id","due_day");