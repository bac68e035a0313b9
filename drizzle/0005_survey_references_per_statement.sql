ALTER TABLE "survey_rating" DROP CONSTRAINT "survey_rating_response_id_survey_response_id_fk";
--> statement-breakpoint
ALTER TABLE "survey_response" DROP CONSTRAINT "survey_response_campaign_id_campaign_id_fk";
--> statement-breakpoint
ALTER TABLE "survey_response" DROP CONSTRAINT "survey_response_enterprise_id_enterprise_id_fk";
--> statement-breakpoint
-- The references of survey responses and their rating rows, checked once per statement over the
-- rows it inserted (a transition table), instead of one foreign-key lookup per row: a province's
-- year is a million responses in one import. Deletion of a referenced campaign, department or
-- enterprise is refused below; responses and ratings themselves are append-only.
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
	RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER survey_response_references
	AFTER INSERT ON survey_response
	REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION survey_response_check_references();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION survey_rating_check_references() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	-- The response exists and the copied campaign is the response's own.
	IF EXISTS (SELECT 1 FROM new_rows n
		WHERE NOT EXISTS (SELECT 1 FROM survey_response r
			WHERE r.id = n.response_id AND r.campaign_id = n.campaign_id)) THEN
		RAISE EXCEPTION 'survey_rating: response does not exist or belongs to another campaign'
			USING ERRCODE = 'foreign_key_violation';
	END IF;
	IF EXISTS (SELECT 1 FROM new_rows n
		WHERE NOT EXISTS (SELECT 1 FROM department d WHERE d.id = n.department_id)) THEN
		RAISE EXCEPTION 'survey_rating: department does not exist'
			USING ERRCODE = 'foreign_key_violation';
	END IF;
	RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER survey_rating_references
	AFTER INSERT ON survey_rating
	REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION survey_rating_check_references();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION refuse_delete_of_referenced() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	referenced boolean;
BEGIN
	IF TG_TABLE_NAME = 'campaign' THEN
		referenced := EXISTS (SELECT 1 FROM survey_response WHERE campaign_id = OLD.id);
	ELSIF TG_TABLE_NAME = 'department' THEN
		referenced := EXISTS (SELECT 1 FROM survey_rating WHERE department_id = OLD.id);
	ELSE
		referenced := EXISTS (SELECT 1 FROM survey_response WHERE enterprise_id = OLD.id);
	END IF;
	IF referenced THEN
		RAISE EXCEPTION '% % is referenced by survey responses: DELETE refused', TG_TABLE_NAME, OLD.id
			USING ERRCODE = 'foreign_key_violation';
	END IF;
	RETURN OLD;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER campaign_referenced_by_responses
	BEFORE DELETE ON campaign
	FOR EACH ROW EXECUTE FUNCTION refuse_delete_of_referenced();
--> statement-breakpoint
CREATE TRIGGER department_referenced_by_responses
	BEFORE DELETE ON department
	FOR EACH ROW EXECUTE FUNCTION refuse_delete_of_referenced();
--> statement-breakpoint
CREATE TRIGGER enterprise_referenced_by_responses
	BEFORE DELETE ON enterprise
	FOR EACH ROW EXECUTE FUNCTION refuse_delete_of_referenced();
