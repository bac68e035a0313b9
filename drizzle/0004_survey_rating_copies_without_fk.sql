ALTER TABLE "survey_rating" DROP CONSTRAINT "survey_rating_department_id_department_id_fk";
--> statement-breakpoint
ALTER TABLE "survey_rating" DROP CONSTRAINT "survey_rating_campaign_id_campaign_id_fk";
