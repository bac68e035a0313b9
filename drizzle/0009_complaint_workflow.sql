CREATE TYPE "public"."complaint_sanction_kind" AS ENUM('efficiency_warning', 'admonishment_talk', 'public_naming', 'transfer_from_post', 'discipline_referral');--> statement-breakpoint
CREATE TYPE "public"."complaint_state" AS ENUM('received', 'accepted', 'not_accepted', 'investigating', 'response_requested', 'responded', 'concluded', 'feedback_given', 'closed');--> statement-breakpoint
CREATE TABLE "complaint_attachment" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "complaint_attachment_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"complaint_id" integer NOT NULL,
	"name" text NOT NULL,
	"content_type" text NOT NULL,
	"size" bigint NOT NULL,
	"sha256" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "complaint_sanction" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "complaint_sanction_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"complaint_id" integer NOT NULL,
	"kind" "complaint_sanction_kind" NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"decided_on" text NOT NULL,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "complaint" ADD COLUMN "state" "complaint_state";--> statement-breakpoint
ALTER TABLE "complaint" ADD COLUMN "tracking_hash" text;--> statement-breakpoint
ALTER TABLE "complaint" ADD COLUMN "anonymous" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "complaint" ADD COLUMN "complainant_name" text;--> statement-breakpoint
ALTER TABLE "complaint" ADD COLUMN "complainant_contact" text;--> statement-breakpoint
ALTER TABLE "complaint" ADD COLUMN "entered_by" integer;--> statement-breakpoint
ALTER TABLE "complaint" ADD COLUMN "filed_by" integer;--> statement-breakpoint
ALTER TABLE "complaint" ADD COLUMN "assignee_id" integer;--> statement-breakpoint
ALTER TABLE "complaint" ADD COLUMN "accepted_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "complaint" ADD COLUMN "not_accepted_reason" text;--> statement-breakpoint
ALTER TABLE "complaint" ADD COLUMN "response_requested_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "complaint" ADD COLUMN "responded_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "complaint" ADD COLUMN "responded_by" integer;--> statement-breakpoint
ALTER TABLE "complaint" ADD COLUMN "department_response" text;--> statement-breakpoint
ALTER TABLE "complaint" ADD COLUMN "findings" text;--> statement-breakpoint
ALTER TABLE "complaint" ADD COLUMN "extended_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "complaint" ADD COLUMN "extension_reason" text;--> statement-breakpoint
ALTER TABLE "complaint" ADD COLUMN "feedback_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "complaint" ADD COLUMN "feedback" text;--> statement-breakpoint
ALTER TABLE "complaint" ADD COLUMN "closed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "complaint_attachment" ADD CONSTRAINT "complaint_attachment_complaint_id_complaint_id_fk" FOREIGN KEY ("complaint_id") REFERENCES "public"."complaint"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "complaint_sanction" ADD CONSTRAINT "complaint_sanction_complaint_id_complaint_id_fk" FOREIGN KEY ("complaint_id") REFERENCES "public"."complaint"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "complaint_sanction" ADD CONSTRAINT "complaint_sanction_created_by_user_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "complaint_attachment_complaint_idx" ON "complaint_attachment" USING btree ("complaint_id");--> statement-breakpoint
CREATE INDEX "complaint_sanction_complaint_idx" ON "complaint_sanction" USING btree ("complaint_id");--> statement-breakpoint
ALTER TABLE "complaint" ADD CONSTRAINT "complaint_entered_by_user_id_fk" FOREIGN KEY ("entered_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "complaint" ADD CONSTRAINT "complaint_filed_by_user_id_fk" FOREIGN KEY ("filed_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "complaint" ADD CONSTRAINT "complaint_assignee_id_user_id_fk" FOREIGN KEY ("assignee_id") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "complaint" ADD CONSTRAINT "complaint_responded_by_user_id_fk" FOREIGN KEY ("responded_by") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "complaint_worklist_idx" ON "complaint" USING btree ("assignee_id","state") WHERE "complaint"."state" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "complaint_tracking_idx" ON "complaint" USING btree ("tracking_hash");--> statement-breakpoint
ALTER TABLE "complaint" ADD CONSTRAINT "complaint_handled_here" CHECK (("complaint"."state" is null) = ("complaint"."tracking_hash" is null));--> statement-breakpoint
ALTER TABLE "complaint" ADD CONSTRAINT "complaint_anonymous" CHECK (not "complaint"."anonymous" or "complaint"."complainant_name" is null);