-- The audit trail and other append-only records refuse UPDATE and DELETE at the database,
-- whatever code path or client tries it. Tampering with the trigger disabled still breaks the
-- hash chain, which `audit verify` detects.
CREATE OR REPLACE FUNCTION refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'table % is append-only: % refused', TG_TABLE_NAME, TG_OP
		USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER audit_entry_append_only
	BEFORE UPDATE OR DELETE ON audit_entry
	FOR EACH ROW EXECUTE FUNCTION refuse_change();
--> statement-breakpoint
CREATE TRIGGER audit_entry_no_truncate
	BEFORE TRUNCATE ON audit_entry
	FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
