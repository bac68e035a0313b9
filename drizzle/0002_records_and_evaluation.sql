CREATE TYPE "public"."finding_source" AS ENUM('special_inspection', 'undercover_visit', 'onsite_measurement', 'task_supervision');--> statement-breakpoint
CREATE TYPE "public"."finding_status" AS ENUM('recorded', 'confirmed', 'disputed', 'withdrawn');--> statement-breakpoint
CREATE TYPE "public"."calendar_day_kind" AS ENUM('holiday', 'workday');--> statement-breakpoint
CREATE TYPE "public"."complaint_verdict" AS ENUM('substantiated', 'partial', 'unfounded');--> statement-breakpoint
CREATE TYPE "public"."campaign_kind" AS ENUM('enterprise_visit', 'public_evaluation', 'online');--> statement-breakpoint
CREATE TYPE "public"."question_kind" AS ENUM('rating', 'text');--> statement-breakpoint
CREATE TYPE "public"."rating_dimension" AS ENUM('appraisal', 'convenience');--> statement-breakpoint
CREATE TYPE "public"."response_channel" AS ENUM('field', 'phone', 'online', 'paper');--> statement-breakpoint
CREATE TYPE "public"."snapshot_kind" AS ENUM('draft', 'published');--> statement-breakpoint
CREATE TABLE "enterprise" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "enterprise_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"uscc" text NOT NULL,
	"name" text NOT NULL,
	"address" text DEFAULT '' NOT NULL,
	"township" text DEFAULT '' NOT NULL,
	"contact_name" text DEFAULT '' NOT NULL,
	"contact_phone" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "enterprise_uscc_unique" UNIQUE("uscc")
);
--> statement-breakpoint
CREATE TABLE "finding" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "finding_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"finding_no" text NOT NULL,
	"department_id" integer NOT NULL,
	"date" date NOT NULL,
	"source" "finding_source" NOT NULL,
	"points" numeric(8, 2) NOT NULL,
	"status" "finding_status" NOT NULL,
	"description" text NOT NULL,
	"dispute_reason" text,
	"disputed_at" timestamp with time zone,
	"disputed_by" integer,
	"resolution_note" text,
	"resolved_at" timestamp with time zone,
	"resolved_by" integer,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "finding_finding_no_unique" UNIQUE("finding_no"),
	CONSTRAINT "finding_points_nonzero" CHECK ("finding"."points" <> 0)
);
--> statement-breakpoint
CREATE TABLE "calendar_day" (
	"date" date PRIMARY KEY NOT NULL,
	"kind" "calendar_day_kind" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "service_case" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "service_case_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"case_no" text NOT NULL,
	"department_id" integer NOT NULL,
	"item_code" text NOT NULL,
	"item_name" text NOT NULL,
	"accepted_at" timestamp with time zone NOT NULL,
	"completed_at" timestamp with time zone,
	"promised_working_days" smallint NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "service_case_case_no_unique" UNIQUE("case_no"),
	CONSTRAINT "service_case_promise" CHECK ("service_case"."promised_working_days" >= 0),
	CONSTRAINT "service_case_order" CHECK ("service_case"."completed_at" is null or "service_case"."completed_at" >= "service_case"."accepted_at")
);
--> statement-breakpoint
CREATE TABLE "complaint" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "complaint_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"complaint_no" text NOT NULL,
	"department_id" integer NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"channel" text NOT NULL,
	"category" text NOT NULL,
	"verdict" "complaint_verdict",
	"concluded_at" timestamp with time zone,
	"response_late" boolean DEFAULT false NOT NULL,
	"summary" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "complaint_complaint_no_unique" UNIQUE("complaint_no")
);
--> statement-breakpoint
CREATE TABLE "campaign" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "campaign_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"code" text NOT NULL,
	"year" smallint NOT NULL,
	"kind" "campaign_kind" NOT NULL,
	"questionnaire_id" integer NOT NULL,
	"weight" numeric(8, 4) DEFAULT '1' NOT NULL,
	"name_zh" text DEFAULT '' NOT NULL,
	"name_en" text DEFAULT '' NOT NULL,
	"opens_on" date,
	"closes_on" date,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "campaign_code_unique" UNIQUE("code"),
	CONSTRAINT "campaign_weight_positive" CHECK ("campaign"."weight" > 0),
	CONSTRAINT "campaign_year" CHECK ("campaign"."year" between 1990 and 2200)
);
--> statement-breakpoint
CREATE TABLE "question" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "question_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"questionnaire_id" integer NOT NULL,
	"code" text NOT NULL,
	"position" smallint NOT NULL,
	"text_zh" text NOT NULL,
	"text_en" text NOT NULL,
	"kind" "question_kind" NOT NULL,
	"dimension" "rating_dimension",
	"slot" smallint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "question_code" UNIQUE("questionnaire_id","code"),
	CONSTRAINT "question_slot" UNIQUE("questionnaire_id","slot"),
	CONSTRAINT "question_rating_shape" CHECK (("question"."kind" = 'rating') = ("question"."dimension" is not null and "question"."slot" is not null)),
	CONSTRAINT "question_slot_range" CHECK ("question"."slot" between 1 and 12)
);
--> statement-breakpoint
CREATE TABLE "questionnaire" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "questionnaire_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"code" text NOT NULL,
	"version" smallint NOT NULL,
	"title_zh" text NOT NULL,
	"title_en" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "questionnaire_code_version" UNIQUE("code","version")
);
--> statement-breakpoint
CREATE TABLE "survey_rating" (
	"response_id" bigint NOT NULL,
	"department_id" integer NOT NULL,
	"campaign_id" integer NOT NULL,
	"r1" smallint,
	"r2" smallint,
	"r3" smallint,
	"r4" smallint,
	"r5" smallint,
	"r6" smallint,
	"r7" smallint,
	"r8" smallint,
	"r9" smallint,
	"r10" smallint,
	"r11" smallint,
	"r12" smallint,
	CONSTRAINT "survey_rating_response_id_department_id_pk" PRIMARY KEY("response_id","department_id"),
	CONSTRAINT "survey_rating_levels" CHECK (coalesce("survey_rating"."r1", 0) between 0 and 5 and coalesce("survey_rating"."r2", 0) between 0 and 5
			and coalesce("survey_rating"."r3", 0) between 0 and 5 and coalesce("survey_rating"."r4", 0) between 0 and 5
			and coalesce("survey_rating"."r5", 0) between 0 and 5 and coalesce("survey_rating"."r6", 0) between 0 and 5
			and coalesce("survey_rating"."r7", 0) between 0 and 5 and coalesce("survey_rating"."r8", 0) between 0 and 5
			and coalesce("survey_rating"."r9", 0) between 0 and 5 and coalesce("survey_rating"."r10", 0) between 0 and 5
			and coalesce("survey_rating"."r11", 0) between 0 and 5 and coalesce("survey_rating"."r12", 0) between 0 and 5)
);
--> statement-breakpoint
CREATE TABLE "survey_response" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "survey_response_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"response_key" text NOT NULL,
	"campaign_id" integer NOT NULL,
	"channel" "response_channel" NOT NULL,
	"submitted_at" timestamp with time zone NOT NULL,
	"enterprise_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "survey_response_response_key_unique" UNIQUE("response_key")
);
--> statement-breakpoint
CREATE TABLE "survey_response_void" (
	"response_id" bigint PRIMARY KEY NOT NULL,
	"reason" text NOT NULL,
	"voided_by" integer,
	"voided_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "survey_text_answer" (
	"response_id" bigint NOT NULL,
	"department_id" integer NOT NULL,
	"question_id" integer NOT NULL,
	"body" text NOT NULL,
	CONSTRAINT "survey_text_answer_response_id_department_id_question_id_pk" PRIMARY KEY("response_id","department_id","question_id")
);
--> statement-breakpoint
CREATE TABLE "evaluation_snapshot" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "evaluation_snapshot_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"year" smallint NOT NULL,
	"kind" "snapshot_kind" NOT NULL,
	"revision" smallint,
	"draft_id" bigint,
	"replaces_id" bigint,
	"note" text,
	"content" jsonb NOT NULL,
	"digest" text NOT NULL,
	"error_count" integer NOT NULL,
	"warning_count" integer NOT NULL,
	"computed_at" timestamp with time zone NOT NULL,
	"computed_by" text NOT NULL,
	"published_at" timestamp with time zone,
	"published_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "evaluation_snapshot_revision" UNIQUE("year","revision"),
	CONSTRAINT "evaluation_snapshot_published_shape" CHECK (("evaluation_snapshot"."kind" = 'published') = ("evaluation_snapshot"."revision" is not null and "evaluation_snapshot"."published_at" is not null))
);
--> statement-breakpoint
CREATE TABLE "evaluation_year" (
	"year" smallint PRIMARY KEY NOT NULL,
	"settings" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"first_published_at" timestamp with time zone,
	CONSTRAINT "evaluation_year_range" CHECK ("evaluation_year"."year" between 1990 and 2200)
);
--> statement-breakpoint
CREATE TABLE "rectification" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "rectification_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"year" smallint NOT NULL,
	"department_id" integer NOT NULL,
	"snapshot_id" bigint NOT NULL,
	"assigned_leader_id" integer,
	"deadline" date NOT NULL,
	"plan" text,
	"plan_submitted_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"closed_by" integer,
	"closure_note" text,
	"cancelled_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "rectification_year_department" UNIQUE("year","department_id")
);
--> statement-breakpoint
CREATE TABLE "rectification_report" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "rectification_report_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"rectification_id" integer NOT NULL,
	"body" text NOT NULL,
	"submitted_by" integer,
	"submitted_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "finding" ADD CONSTRAINT "finding_department_id_department_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."department"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "finding" ADD CONSTRAINT "finding_disputed_by_user_id_fk" FOREIGN KEY ("disputed_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "finding" ADD CONSTRAINT "finding_resolved_by_user_id_fk" FOREIGN KEY ("resolved_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "finding" ADD CONSTRAINT "finding_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "service_case" ADD CONSTRAINT "service_case_department_id_department_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."department"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "complaint" ADD CONSTRAINT "complaint_department_id_department_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."department"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign" ADD CONSTRAINT "campaign_questionnaire_id_questionnaire_id_fk" FOREIGN KEY ("questionnaire_id") REFERENCES "public"."questionnaire"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaign" ADD CONSTRAINT "campaign_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "question" ADD CONSTRAINT "question_questionnaire_id_questionnaire_id_fk" FOREIGN KEY ("questionnaire_id") REFERENCES "public"."questionnaire"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_rating" ADD CONSTRAINT "survey_rating_response_id_survey_response_id_fk" FOREIGN KEY ("response_id") REFERENCES "public"."survey_response"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_rating" ADD CONSTRAINT "survey_rating_department_id_department_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."department"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_rating" ADD CONSTRAINT "survey_rating_campaign_id_campaign_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaign"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_response" ADD CONSTRAINT "survey_response_campaign_id_campaign_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaign"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_response" ADD CONSTRAINT "survey_response_enterprise_id_enterprise_id_fk" FOREIGN KEY ("enterprise_id") REFERENCES "public"."enterprise"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_response_void" ADD CONSTRAINT "survey_response_void_response_id_survey_response_id_fk" FOREIGN KEY ("response_id") REFERENCES "public"."survey_response"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_response_void" ADD CONSTRAINT "survey_response_void_voided_by_user_id_fk" FOREIGN KEY ("voided_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_text_answer" ADD CONSTRAINT "survey_text_answer_response_id_survey_response_id_fk" FOREIGN KEY ("response_id") REFERENCES "public"."survey_response"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_text_answer" ADD CONSTRAINT "survey_text_answer_department_id_department_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."department"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_text_answer" ADD CONSTRAINT "survey_text_answer_question_id_question_id_fk" FOREIGN KEY ("question_id") REFERENCES "public"."question"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "evaluation_snapshot" ADD CONSTRAINT "evaluation_snapshot_year_evaluation_year_year_fk" FOREIGN KEY ("year") REFERENCES "public"."evaluation_year"("year") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rectification" ADD CONSTRAINT "rectification_department_id_department_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."department"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rectification" ADD CONSTRAINT "rectification_snapshot_id_evaluation_snapshot_id_fk" FOREIGN KEY ("snapshot_id") REFERENCES "public"."evaluation_snapshot"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rectification" ADD CONSTRAINT "rectification_assigned_leader_id_user_id_fk" FOREIGN KEY ("assigned_leader_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rectification" ADD CONSTRAINT "rectification_closed_by_user_id_fk" FOREIGN KEY ("closed_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rectification_report" ADD CONSTRAINT "rectification_report_rectification_id_rectification_id_fk" FOREIGN KEY ("rectification_id") REFERENCES "public"."rectification"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rectification_report" ADD CONSTRAINT "rectification_report_submitted_by_user_id_fk" FOREIGN KEY ("submitted_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "finding_department_date_idx" ON "finding" USING btree ("department_id","date");--> statement-breakpoint
CREATE INDEX "finding_date_idx" ON "finding" USING btree ("date");--> statement-breakpoint
CREATE INDEX "service_case_accepted_idx" ON "service_case" USING btree ("accepted_at");--> statement-breakpoint
CREATE INDEX "service_case_department_idx" ON "service_case" USING btree ("department_id","accepted_at");--> statement-breakpoint
CREATE INDEX "complaint_received_idx" ON "complaint" USING btree ("received_at");--> statement-breakpoint
CREATE INDEX "complaint_department_idx" ON "complaint" USING btree ("department_id","received_at");--> statement-breakpoint
CREATE INDEX "campaign_year_idx" ON "campaign" USING btree ("year");--> statement-breakpoint
CREATE INDEX "survey_rating_campaign_idx" ON "survey_rating" USING btree ("campaign_id","department_id");--> statement-breakpoint
CREATE INDEX "survey_response_campaign_idx" ON "survey_response" USING btree ("campaign_id");--> statement-breakpoint
CREATE INDEX "evaluation_snapshot_year_idx" ON "evaluation_snapshot" USING btree ("year","kind","id");--> statement-breakpoint
CREATE INDEX "rectification_report_idx" ON "rectification_report" USING btree ("rectification_id");