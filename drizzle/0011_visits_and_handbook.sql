CREATE TYPE "public"."problem_scope" AS ENUM('single', 'several', 'widespread');--> statement-breakpoint
CREATE TYPE "public"."problem_state" AS ENUM('raised', 'brigade', 'escalated', 'instructed', 'reported', 'settled', 'closed');--> statement-breakpoint
CREATE TYPE "public"."visit_member_role" AS ENUM('supervisor', 'volunteer');--> statement-breakpoint
CREATE TYPE "public"."handbook_item_kind" AS ENUM('approval', 'service');--> statement-breakpoint
CREATE TABLE "visit" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "visit_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"visit_no" text NOT NULL,
	"client_key" text NOT NULL,
	"campaign_id" integer,
	"enterprise_id" integer NOT NULL,
	"visited_on" date NOT NULL,
	"contact_card_no" text,
	"gave_instructions" boolean DEFAULT false NOT NULL,
	"gave_handbook" boolean DEFAULT false NOT NULL,
	"investor_card" boolean,
	"notes" text DEFAULT '' NOT NULL,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "visit_visit_no_unique" UNIQUE("visit_no"),
	CONSTRAINT "visit_client_key_unique" UNIQUE("client_key")
);
--> statement-breakpoint
CREATE TABLE "visit_investor_breach" (
	"visit_id" integer NOT NULL,
	"department_id" integer NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	CONSTRAINT "visit_investor_breach_visit_id_department_id_pk" PRIMARY KEY("visit_id","department_id")
);
--> statement-breakpoint
CREATE TABLE "visit_member" (
	"visit_id" integer NOT NULL,
	"position" smallint NOT NULL,
	"name" text NOT NULL,
	"role" "visit_member_role" NOT NULL,
	CONSTRAINT "visit_member_visit_id_position_pk" PRIMARY KEY("visit_id","position")
);
--> statement-breakpoint
CREATE TABLE "visit_problem" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "visit_problem_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"problem_no" text NOT NULL,
	"visit_id" integer NOT NULL,
	"description" text NOT NULL,
	"category" text NOT NULL,
	"scope" "problem_scope" NOT NULL,
	"high_impact" boolean DEFAULT false NOT NULL,
	"state" "problem_state" DEFAULT 'raised' NOT NULL,
	"assignee_id" integer,
	"leader_id" integer,
	"escalated_at" timestamp with time zone,
	"instruction" text,
	"instructed_at" timestamp with time zone,
	"due_on" date,
	"settlement" text,
	"settled_at" timestamp with time zone,
	"complaint_id" integer,
	"finding_id" integer,
	"closed_at" timestamp with time zone,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "visit_problem_problem_no_unique" UNIQUE("problem_no"),
	CONSTRAINT "visit_problem_description" CHECK (length(trim("visit_problem"."description")) > 0)
);
--> statement-breakpoint
CREATE TABLE "visit_problem_department" (
	"problem_id" integer NOT NULL,
	"department_id" integer NOT NULL,
	"involved" boolean DEFAULT true NOT NULL,
	"assigned" boolean DEFAULT false NOT NULL,
	"report" text,
	"reported_at" timestamp with time zone,
	"reported_by" integer,
	CONSTRAINT "visit_problem_department_problem_id_department_id_pk" PRIMARY KEY("problem_id","department_id")
);
--> statement-breakpoint
CREATE TABLE "visit_problem_return" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "visit_problem_return_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"problem_id" integer NOT NULL,
	"visited_on" date NOT NULL,
	"satisfied" boolean NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "handbook_edition" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "handbook_edition_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"year" smallint NOT NULL,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "handbook_edition_year_unique" UNIQUE("year")
);
--> statement-breakpoint
CREATE TABLE "handbook_item" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "handbook_item_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"edition_id" integer NOT NULL,
	"item_code" text NOT NULL,
	"department_id" integer NOT NULL,
	"name" text NOT NULL,
	"kind" "handbook_item_kind" NOT NULL,
	"promised_working_days" smallint NOT NULL,
	"statutory_working_days" smallint,
	"prerequisites" text[] DEFAULT '{}'::text[] NOT NULL,
	"basis" text DEFAULT '' NOT NULL,
	"position" integer NOT NULL,
	CONSTRAINT "handbook_item_code" UNIQUE("edition_id","item_code"),
	CONSTRAINT "handbook_item_promise" CHECK ("handbook_item"."promised_working_days" >= 0),
	CONSTRAINT "handbook_item_statutory" CHECK ("handbook_item"."statutory_working_days" is null or "handbook_item"."statutory_working_days" >= 0)
);
--> statement-breakpoint
ALTER TABLE "visit" ADD CONSTRAINT "visit_campaign_id_campaign_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaign"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visit" ADD CONSTRAINT "visit_enterprise_id_enterprise_id_fk" FOREIGN KEY ("enterprise_id") REFERENCES "public"."enterprise"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visit" ADD CONSTRAINT "visit_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visit_investor_breach" ADD CONSTRAINT "visit_investor_breach_visit_id_visit_id_fk" FOREIGN KEY ("visit_id") REFERENCES "public"."visit"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visit_investor_breach" ADD CONSTRAINT "visit_investor_breach_department_id_department_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."department"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visit_member" ADD CONSTRAINT "visit_member_visit_id_visit_id_fk" FOREIGN KEY ("visit_id") REFERENCES "public"."visit"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visit_problem" ADD CONSTRAINT "visit_problem_visit_id_visit_id_fk" FOREIGN KEY ("visit_id") REFERENCES "public"."visit"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visit_problem" ADD CONSTRAINT "visit_problem_assignee_id_user_id_fk" FOREIGN KEY ("assignee_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visit_problem" ADD CONSTRAINT "visit_problem_leader_id_user_id_fk" FOREIGN KEY ("leader_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visit_problem" ADD CONSTRAINT "visit_problem_complaint_id_complaint_id_fk" FOREIGN KEY ("complaint_id") REFERENCES "public"."complaint"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visit_problem" ADD CONSTRAINT "visit_problem_finding_id_finding_id_fk" FOREIGN KEY ("finding_id") REFERENCES "public"."finding"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visit_problem" ADD CONSTRAINT "visit_problem_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visit_problem_department" ADD CONSTRAINT "visit_problem_department_problem_id_visit_problem_id_fk" FOREIGN KEY ("problem_id") REFERENCES "public"."visit_problem"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visit_problem_department" ADD CONSTRAINT "visit_problem_department_department_id_department_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."department"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visit_problem_department" ADD CONSTRAINT "visit_problem_department_reported_by_user_id_fk" FOREIGN KEY ("reported_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visit_problem_return" ADD CONSTRAINT "visit_problem_return_problem_id_visit_problem_id_fk" FOREIGN KEY ("problem_id") REFERENCES "public"."visit_problem"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "visit_problem_return" ADD CONSTRAINT "visit_problem_return_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "handbook_edition" ADD CONSTRAINT "handbook_edition_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "handbook_item" ADD CONSTRAINT "handbook_item_edition_id_handbook_edition_id_fk" FOREIGN KEY ("edition_id") REFERENCES "public"."handbook_edition"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "handbook_item" ADD CONSTRAINT "handbook_item_department_id_department_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."department"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "visit_campaign_idx" ON "visit" USING btree ("campaign_id");--> statement-breakpoint
CREATE INDEX "visit_enterprise_idx" ON "visit" USING btree ("enterprise_id","visited_on");--> statement-breakpoint
CREATE INDEX "visit_date_idx" ON "visit" USING btree ("visited_on");--> statement-breakpoint
CREATE INDEX "visit_investor_breach_department_idx" ON "visit_investor_breach" USING btree ("department_id");--> statement-breakpoint
CREATE INDEX "visit_problem_visit_idx" ON "visit_problem" USING btree ("visit_id");--> statement-breakpoint
CREATE INDEX "visit_problem_state_idx" ON "visit_problem" USING btree ("state","due_on");--> statement-breakpoint
CREATE INDEX "visit_problem_assignee_idx" ON "visit_problem" USING btree ("assignee_id") WHERE "visit_problem"."assignee_id" is not null;--> statement-breakpoint
CREATE INDEX "visit_problem_leader_idx" ON "visit_problem" USING btree ("leader_id") WHERE "visit_problem"."leader_id" is not null;--> statement-breakpoint
CREATE INDEX "visit_problem_complaint_idx" ON "visit_problem" USING btree ("complaint_id") WHERE "visit_problem"."complaint_id" is not null;--> statement-breakpoint
CREATE INDEX "visit_problem_finding_idx" ON "visit_problem" USING btree ("finding_id") WHERE "visit_problem"."finding_id" is not null;--> statement-breakpoint
CREATE INDEX "visit_problem_department_idx" ON "visit_problem_department" USING btree ("department_id");--> statement-breakpoint
CREATE INDEX "visit_problem_return_problem_idx" ON "visit_problem_return" USING btree ("problem_id");--> statement-breakpoint
CREATE INDEX "handbook_item_department_idx" ON "handbook_item" USING btree ("edition_id","department_id");