-- Records the public and imports create in bulk are append-only, like the audit trail:
-- responses, their answers, voids (a void is final) and rectification progress reports.
CREATE TRIGGER survey_response_append_only
	BEFORE UPDATE OR DELETE ON survey_response
	FOR EACH ROW EXECUTE FUNCTION refuse_change();
--> statement-breakpoint
CREATE TRIGGER survey_rating_append_only
	BEFORE UPDATE OR DELETE ON survey_rating
	FOR EACH ROW EXECUTE FUNCTION refuse_change();
--> statement-breakpoint
CREATE TRIGGER survey_text_answer_append_only
	BEFORE UPDATE OR DELETE ON survey_text_answer
	FOR EACH ROW EXECUTE FUNCTION refuse_change();
--> statement-breakpoint
CREATE TRIGGER survey_response_void_append_only
	BEFORE UPDATE OR DELETE ON survey_response_void
	FOR EACH ROW EXECUTE FUNCTION refuse_change();
--> statement-breakpoint
CREATE TRIGGER rectification_report_append_only
	BEFORE UPDATE OR DELETE ON rectification_report
	FOR EACH ROW EXECUTE FUNCTION refuse_change();
--> statement-breakpoint
CREATE TRIGGER survey_records_no_truncate
	BEFORE TRUNCATE ON survey_response
	FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
--> statement-breakpoint
CREATE TRIGGER survey_rating_no_truncate
	BEFORE TRUNCATE ON survey_rating
	FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
--> statement-breakpoint
-- A published snapshot is frozen: no UPDATE, no DELETE. Drafts may be replaced freely.
CREATE OR REPLACE FUNCTION refuse_published_snapshot_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF OLD.kind = 'published' THEN
		RAISE EXCEPTION 'published evaluation snapshot % is immutable: % refused', OLD.id, TG_OP
			USING ERRCODE = 'insufficient_privilege';
	END IF;
	IF TG_OP = 'DELETE' THEN
		RETURN OLD;
	END IF;
	IF NEW.kind = 'published' THEN
		RAISE EXCEPTION 'a draft is published by inserting a new snapshot, not by updating one'
			USING ERRCODE = 'insufficient_privilege';
	END IF;
	RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER evaluation_snapshot_published_immutable
	BEFORE UPDATE OR DELETE ON evaluation_snapshot
	FOR EACH ROW EXECUTE FUNCTION refuse_published_snapshot_change();
--> statement-breakpoint
CREATE TRIGGER evaluation_snapshot_no_truncate
	BEFORE TRUNCATE ON evaluation_snapshot
	FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
--> statement-breakpoint
-- The built-in questionnaire of spec/exchange.md, code `standard-appraisal`, version 1.
INSERT INTO questionnaire (code, version, title_zh, title_en)
VALUES ('standard-appraisal', 1, '标准评议问卷', 'Standard appraisal questionnaire');
--> statement-breakpoint
INSERT INTO question (questionnaire_id, code, position, text_zh, text_en, kind, dimension, slot)
SELECT q.id, v.code, v.position, v.text_zh, v.text_en, v.kind::question_kind,
	v.dimension::rating_dimension, v.slot
FROM questionnaire q,
	(VALUES
		('transparency', 1, '施政是否透明', 'Is governance transparent?', 'rating', 'appraisal', 1),
		('service', 2, '服务是否到位', 'Is service delivered?', 'rating', 'appraisal', 2),
		('integrity', 3, '机关是否廉洁', 'Is the agency clean?', 'rating', 'appraisal', 3),
		('attitude', 4, '服务态度', 'Service attitude', 'rating', 'appraisal', 4),
		('quality', 5, '服务质量', 'Service quality', 'rating', 'appraisal', 5),
		('efficiency', 6, '办事效率', 'Speed of handling', 'rating', 'convenience', 6),
		('difficulty', 7, '办事难的具体事例', 'A concrete case of difficulty', 'text', NULL, NULL)
	) AS v(code, position, text_zh, text_en, kind, dimension, slot)
WHERE q.code = 'standard-appraisal' AND q.version = 1;
