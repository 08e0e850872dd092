-- The tenant's audit trail (decision 0025): every AuditRecorded event of every service, chained per
-- tenant in the order the ledger appended them. The hash covers a digest of the personal fields
-- (changes, client_ip) rather than the fields themselves, so an erasure can pseudonymise them and the
-- chain still verifies.
CREATE TABLE audit_ledger (
    tenant_id        uuid        NOT NULL,
    sequence_no      bigint      NOT NULL,
    audit_event_id   uuid        NOT NULL UNIQUE,
    occurred_at      timestamptz NOT NULL,
    service          text        NOT NULL,
    actor_id         uuid        NULL,
    action           text        NOT NULL,
    target_type      text        NOT NULL,
    target_id        text        NOT NULL,
    changes          jsonb       NOT NULL,
    client_ip        text        NULL,
    request_id       text        NULL,
    personal_digest  text        NOT NULL,
    redacted         boolean     NOT NULL DEFAULT false,
    recorded_at      timestamptz NOT NULL,
    previous_hash    text        NULL,
    hash             text        NOT NULL,
    PRIMARY KEY (tenant_id, sequence_no)
);

CREATE INDEX audit_ledger_by_actor ON audit_ledger (tenant_id, actor_id, sequence_no);
CREATE INDEX audit_ledger_by_target ON audit_ledger (tenant_id, target_id, sequence_no);

-- Append-only: no row is deleted, and the only change a row may take is its pseudonymisation
-- (changes and client_ip replaced, redacted set; again when a second user it names is erased). The hash chain shows any other edit; this trigger
-- refuses it in the first place.
CREATE FUNCTION audit_ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'audit_ledger is append-only';
    END IF;
    IF NOT NEW.redacted
       OR (NEW.tenant_id, NEW.sequence_no, NEW.audit_event_id, NEW.occurred_at, NEW.service, NEW.actor_id, NEW.action,
           NEW.target_type, NEW.target_id, NEW.request_id, NEW.personal_digest, NEW.recorded_at, NEW.previous_hash, NEW.hash)
          IS DISTINCT FROM
          (OLD.tenant_id, OLD.sequence_no, OLD.audit_event_id, OLD.occurred_at, OLD.service, OLD.actor_id, OLD.action,
           OLD.target_type, OLD.target_id, OLD.request_id, OLD.personal_digest, OLD.recorded_at, OLD.previous_hash, OLD.hash)
    THEN
        RAISE EXCEPTION 'audit_ledger rows change only by pseudonymisation';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER audit_ledger_append_only BEFORE UPDATE OR DELETE ON audit_ledger
    FOR EACH ROW EXECUTE FUNCTION audit_ledger_append_only();

-- The pseudonymised form of a record's changes: every value a change had becomes "[erased]" (a
-- null stays null, so the record still says whether the field was set, cleared or changed).
CREATE FUNCTION audit_pseudonymised(changes jsonb) RETURNS jsonb LANGUAGE sql IMMUTABLE AS $$
    SELECT COALESCE(jsonb_object_agg(field, jsonb_build_object(
               'before', CASE WHEN change->'before' = 'null'::jsonb THEN 'null'::jsonb ELSE '"[erased]"'::jsonb END,
               'after',  CASE WHEN change->'after'  = 'null'::jsonb THEN 'null'::jsonb ELSE '"[erased]"'::jsonb END)),
           '{}'::jsonb)
    FROM jsonb_each(changes) AS c(field, change)
$$;
