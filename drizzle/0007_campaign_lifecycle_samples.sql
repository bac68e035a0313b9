CREATE TYPE "public"."campaign_state" AS ENUM('draft', 'active', 'closed');--> statement-breakpoint
CREATE TYPE "public"."campaign_targets" AS ENUM('all', 'municipal', 'vertical', 'selected');--> statement-breakpoint
CREATE TYPE "public"."sample_stratification" AS ENUM('none', 'township', 'industry');--> statement-breakpoint
CREATE TABLE "campaign_quota" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "campaign_quota_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"campaign_id" integer NOT NULL,
	"department_id" integer,
	"category" "department_category",
	"quota" integer NOT NULL,
	CONSTRAINT "campaign_quota_department" UNIQUE("campaign_id","department_id"),
	CONSTRAINT "campaign_quota_category" UNIQUE("campaign_id","category"),
	CONSTRAINT "campaign_quota_one_target" CHECK (("campaign_quota"."department_id" is null) <> ("campaign_quota"."category" is null)),
	CONSTRAINT "campaign_quota_positive" CHECK ("campaign_quota"."quota" > 0)
);
--> statement-breakpoint
CREATE TABLE "campaign_sample" (
	"campaign_id" integer PRIMARY KEY NOT NULL,
	"source" text NOT NULL,
	"seed" bigint,
	"size" integer NOT NULL,
	"stratify" "sample_stratification" DEFAULT 'none' NOT NULL,
	"drawn_by" integer,
	"drawn_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "campaign_sample_seed" CHECK (("campaign_sample"."source" = 'drawn') = ("campaign_sample"."seed" is not null))
);
--> statement-breakpoint
CREATE TABLE "campaign_target" (
	"campaign_id" integer NOT NULL,
	"department_id" integer NOT NULL,
	CONSTRAINT "campaign_target_campaign_id_department_id_pk" PRIMARY KEY("campaign_id","department_id")
);
--> statement-breakpoint
CREATE TABLE "invitation" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "invitation_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"campaign_id" integer NOT NULL,
	"sample_unit_id" integer NOT NULL,
	"token_hash" text NOT NULL,
	"card_no" text NOT NULL,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "invitation_sample_unit_id_unique" UNIQUE("sample_unit_id"),
	CONSTRAINT "invitation_token_hash_unique" UNIQUE("token_hash"),
	CONSTRAINT "invitation_card_no_unique" UNIQUE("card_no")
);
--> statement-breakpoint
CREATE TABLE "invitation_answer" (
	"invitation_id" integer NOT NULL,
	"department_id" integer NOT NULL,
	"response_id" bigint NOT NULL,
	"answered_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "invitation_answer_invitation_id_department_id_pk" PRIMARY KEY("invitation_id","department_id")
);
--> statement-breakpoint
CREATE TABLE "sample_unit" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "sample_unit_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"campaign_id" integer NOT NULL,
	"position" integer NOT NULL,
	"enterprise_id" integer,
	"name" text NOT NULL,
	"phone" text DEFAULT '' NOT NULL,
	"township" text DEFAULT '' NOT NULL,
	"industry" text DEFAULT '' NOT NULL,
	"stratum" text DEFAULT '' NOT NULL,
	"assigned_to" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sample_unit_position" UNIQUE("campaign_id","position"),
	CONSTRAINT "sample_unit_enterprise" UNIQUE("campaign_id","enterprise_id")
);
--> statement-breakpoint
ALTER TABLE "enterprise" ADD COLUMN "industry" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "campaign" ADD COLUMN "state" "campaign_state" DEFAULT 'draft' NOT NULL;--> statement-breakpoint
ALTER TABLE "campaign" ADD COLUMN "targets" "campaign_targets" DEFAULT 'all' NOT NULL;--> statement-breakpoint
ALTER TABLE "campaign" ADD COLUMN "channels" "response_channel"[] DEFAULT '{field,phone,online,paper}'::response_channel[] NOT NULL;--> statement-breakpoint
ALTER TABLE "campaign" ADD COLUMN "opened_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "campaign" ADD COLUMN "closed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "campaign_quota" ADD CONSTRAINT "campaign_quota_campaign_id_campaign_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaign"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_quota" ADD CONSTRAINT "campaign_quota_department_id_department_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."department"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_sample" ADD CONSTRAINT "campaign_sample_campaign_id_campaign_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaign"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_sample" ADD CONSTRAINT "campaign_sample_drawn_by_user_id_fk" FOREIGN KEY ("drawn_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_target" ADD CONSTRAINT "campaign_target_campaign_id_campaign_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaign"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign_target" ADD CONSTRAINT "campaign_target_department_id_department_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."department"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invitation" ADD CONSTRAINT "invitation_campaign_id_campaign_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaign"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invitation" ADD CONSTRAINT "invitation_sample_unit_id_sample_unit_id_fk" FOREIGN KEY ("sample_unit_id") REFERENCES "public"."sample_unit"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invitation" ADD CONSTRAINT "invitation_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invitation_answer" ADD CONSTRAINT "invitation_answer_invitation_id_invitation_id_fk" FOREIGN KEY ("invitation_id") REFERENCES "public"."invitation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invitation_answer" ADD CONSTRAINT "invitation_answer_department_id_department_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."department"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invitation_answer" ADD CONSTRAINT "invitation_answer_response_id_survey_response_id_fk" FOREIGN KEY ("response_id") REFERENCES "public"."survey_response"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sample_unit" ADD CONSTRAINT "sample_unit_campaign_id_campaign_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaign"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sample_unit" ADD CONSTRAINT "sample_unit_enterprise_id_enterprise_id_fk" FOREIGN KEY ("enterprise_id") REFERENCES "public"."enterprise"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sample_unit" ADD CONSTRAINT "sample_unit_assigned_to_user_id_fk" FOREIGN KEY ("assigned_to") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "invitation_campaign_idx" ON "invitation" USING btree ("campaign_id");--> statement-breakpoint
CREATE INDEX "sample_unit_assigned_idx" ON "sample_unit" USING btree ("assigned_to");--> statement-breakpoint
ALTER TABLE "campaign" ADD CONSTRAINT "campaign_channels" CHECK (cardinality("campaign"."channels") > 0);--> statement-breakpoint
ALTER TABLE "campaign" ADD CONSTRAINT "campaign_dates" CHECK ("campaign"."opens_on" is null or "campaign"."closes_on" is null or "campaign"."opens_on" <= "campaign"."closes_on");--> statement-breakpoint
-- Campaigns made before campaigns had states were in use already (responses came to them by
-- import and API): they start active, opened when they were created.
UPDATE "campaign" SET "state" = 'active', "opened_at" = "created_at";
