CREATE TYPE "public"."call_outcome" AS ENUM('completed', 'partial', 'refused', 'no_answer', 'busy', 'wrong_number', 'callback');--> statement-breakpoint
ALTER TYPE "public"."question_kind" ADD VALUE 'single';--> statement-breakpoint
ALTER TYPE "public"."question_kind" ADD VALUE 'multiple';--> statement-breakpoint
ALTER TYPE "public"."question_kind" ADD VALUE 'long_text';--> statement-breakpoint
CREATE TABLE "call_attempt" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "call_attempt_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"campaign_id" integer NOT NULL,
	"sample_unit_id" integer NOT NULL,
	"caller_id" integer NOT NULL,
	"outcome" "call_outcome" NOT NULL,
	"callback_at" timestamp with time zone,
	"note" text DEFAULT '' NOT NULL,
	"response_id" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "call_attempt_callback" CHECK (("call_attempt"."outcome" = 'callback') = ("call_attempt"."callback_at" is not null))
);
--> statement-breakpoint
CREATE TABLE "open_link" (
	"campaign_id" integer PRIMARY KEY NOT NULL,
	"token_hash" text NOT NULL,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "open_link_token_hash_unique" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "open_link_answer" (
	"campaign_id" integer NOT NULL,
	"browser_hash" text NOT NULL,
	"department_id" integer NOT NULL,
	"response_id" bigint NOT NULL,
	"answered_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "open_link_answer_campaign_id_browser_hash_department_id_pk" PRIMARY KEY("campaign_id","browser_hash","department_id")
);
--> statement-breakpoint
CREATE TABLE "question_option" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "question_option_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"question_id" integer NOT NULL,
	"code" text NOT NULL,
	"position" smallint NOT NULL,
	"text_zh" text NOT NULL,
	"text_en" text NOT NULL,
	CONSTRAINT "question_option_code" UNIQUE("question_id","code"),
	CONSTRAINT "question_option_position" UNIQUE("question_id","position")
);
--> statement-breakpoint
CREATE TABLE "survey_choice_answer" (
	"response_id" bigint NOT NULL,
	"department_id" integer NOT NULL,
	"question_id" integer NOT NULL,
	"option_id" integer NOT NULL,
	CONSTRAINT "survey_choice_answer_response_id_department_id_question_id_option_id_pk" PRIMARY KEY("response_id","department_id","question_id","option_id")
);
--> statement-breakpoint
ALTER TABLE "user" ADD COLUMN "enterprise_id" integer;--> statement-breakpoint
ALTER TABLE "question" ADD COLUMN "required" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "survey_response" ADD COLUMN "interviewer_id" integer;--> statement-breakpoint
ALTER TABLE "survey_response" ADD COLUMN "visit_id" text;--> statement-breakpoint
ALTER TABLE "survey_response" ADD COLUMN "unverified" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "call_attempt" ADD CONSTRAINT "call_attempt_campaign_id_campaign_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaign"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "call_attempt" ADD CONSTRAINT "call_attempt_sample_unit_id_sample_unit_id_fk" FOREIGN KEY ("sample_unit_id") REFERENCES "public"."sample_unit"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "call_attempt" ADD CONSTRAINT "call_attempt_caller_id_user_id_fk" FOREIGN KEY ("caller_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "call_attempt" ADD CONSTRAINT "call_attempt_response_id_survey_response_id_fk" FOREIGN KEY ("response_id") REFERENCES "public"."survey_response"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "open_link" ADD CONSTRAINT "open_link_campaign_id_campaign_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaign"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "open_link" ADD CONSTRAINT "open_link_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "open_link_answer" ADD CONSTRAINT "open_link_answer_campaign_id_campaign_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaign"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "open_link_answer" ADD CONSTRAINT "open_link_answer_department_id_department_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."department"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "open_link_answer" ADD CONSTRAINT "open_link_answer_response_id_survey_response_id_fk" FOREIGN KEY ("response_id") REFERENCES "public"."survey_response"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "question_option" ADD CONSTRAINT "question_option_question_id_question_id_fk" FOREIGN KEY ("question_id") REFERENCES "public"."question"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_choice_answer" ADD CONSTRAINT "survey_choice_answer_response_id_survey_response_id_fk" FOREIGN KEY ("response_id") REFERENCES "public"."survey_response"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_choice_answer" ADD CONSTRAINT "survey_choice_answer_department_id_department_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."department"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_choice_answer" ADD CONSTRAINT "survey_choice_answer_question_id_question_id_fk" FOREIGN KEY ("question_id") REFERENCES "public"."question"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_choice_answer" ADD CONSTRAINT "survey_choice_answer_option_id_question_option_id_fk" FOREIGN KEY ("option_id") REFERENCES "public"."question_option"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "call_attempt_unit_idx" ON "call_attempt" USING btree ("sample_unit_id","created_at");--> statement-breakpoint
CREATE INDEX "call_attempt_campaign_idx" ON "call_attempt" USING btree ("campaign_id");--> statement-breakpoint
ALTER TABLE "user" ADD CONSTRAINT "user_enterprise_id_enterprise_id_fk" FOREIGN KEY ("enterprise_id") REFERENCES "public"."enterprise"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user" ADD CONSTRAINT "user_enterprise" UNIQUE("enterprise_id");--> statement-breakpoint
ALTER TABLE "user" ADD CONSTRAINT "user_enterprise_role" CHECK ("user"."enterprise_id" is null or "user"."role" = 'enterprise');--> statement-breakpoint
-- The questions of the built-in questionnaires: every rating must be answered, text is optional.
UPDATE "question" SET "required" = ("kind" = 'rating');
--> statement-breakpoint
-- Choice answers and call attempts are records like the ratings: never changed, never removed.
CREATE TRIGGER survey_choice_answer_append_only
	BEFORE UPDATE OR DELETE ON survey_choice_answer
	FOR EACH ROW EXECUTE FUNCTION refuse_change();
--> statement-breakpoint
CREATE TRIGGER call_attempt_append_only
	BEFORE UPDATE OR DELETE ON call_attempt
	FOR EACH ROW EXECUTE FUNCTION refuse_change();
--> statement-breakpoint
-- The interviewer of a response is checked with the other references, once per statement.
CREATE OR REPLACE FUNCTION survey_response_check_references() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF EXISTS (SELECT 1 FROM new_rows n
		WHERE NOT EXISTS (SELECT 1 FROM campaign c WHERE c.id = n.campaign_id)) THEN
		RAISE EXCEPTION 'survey_response: campaign does not exist'
			USING ERRCODE = 'foreign_key_violation';
	END IF;
	IF EXISTS (SELECT 1 FROM new_rows n
		WHERE n.enterprise_id IS NOT NULL
			AND NOT EXISTS (SELECT 1 FROM enterprise e WHERE e.id = n.enterprise_id)) THEN
		RAISE EXCEPTION 'survey_response: enterprise does not exist'
			USING ERRCODE = 'foreign_key_violation';
	END IF;
	IF EXISTS (SELECT 1 FROM new_rows n
		WHERE n.interviewer_id IS NOT NULL
			AND NOT EXISTS (SELECT 1 FROM "user" u WHERE u.id = n.interviewer_id)) THEN
		RAISE EXCEPTION 'survey_response: interviewer does not exist'
			USING ERRCODE = 'foreign_key_violation';
	END IF;
	RETURN NULL;
END;
$$;
