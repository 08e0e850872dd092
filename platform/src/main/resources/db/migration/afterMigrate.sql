-- Runs after every Flyway migrate of a service that has an outbox (Flyway finds this callback in the
-- platform jar under db/migration). It puts the service's outbox into the relay's publication
-- before the service can accept a write, whatever the start order: pgoutput never decodes rows
-- written while their table was not published (decision 0018). Idempotent.
DO $$
DECLARE
    outbox_table constant text := format('%I.outbox', '${flyway:defaultSchema}');
BEGIN
    IF to_regclass(outbox_table) IS NULL THEN
        RETURN; -- a schema without an outbox
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_publication WHERE pubname = 'erp_outbox') THEN
        RAISE EXCEPTION 'Publication erp_outbox is missing: set the database up with deploy/postgres/init.sql';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_publication_tables
                   WHERE pubname = 'erp_outbox' AND schemaname = '${flyway:defaultSchema}' AND tablename = 'outbox') THEN
        EXECUTE 'ALTER PUBLICATION erp_outbox ADD TABLE ' || outbox_table;
    END IF;
END
$$;
