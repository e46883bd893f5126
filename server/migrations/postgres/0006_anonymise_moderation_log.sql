-- The moderation log survives the deletion of the accounts it names. Until now actor_id and
-- actor_email were NOT NULL and every UPDATE was refused, so deleting the account of anybody who
-- had moderated (or resubmitted an organisation) failed on the foreign key. A new migration
-- rather than an edit of 0005: applied migrations are never changed.
--
-- The row stays (what was done to which organisation, when, why), the person goes: deleting
-- an account sets actor_id and actor_email to NULL, and the pages show "compte supprimé".
-- actor_id keeps its foreign key without an ON DELETE rule: an account deletion that forgot to
-- anonymise fails rather than leaving an address behind.

ALTER TABLE moderation_log ALTER COLUMN actor_id DROP NOT NULL;
ALTER TABLE moderation_log ALTER COLUMN actor_email DROP NOT NULL;
ALTER TABLE moderation_log ADD CONSTRAINT moderation_log_actor_whole
    CHECK ((actor_id IS NULL) = (actor_email IS NULL));

-- Append-only, with one exception: anonymisation, which sets actor_id and actor_email to NULL
-- and leaves every other column as it was. The rows are compared as JSON without the actor's
-- two columns, so a column added later is protected without touching this function.
CREATE OR REPLACE FUNCTION moderation_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- NEW exists for UPDATE only: test the operation first, on its own.
    IF TG_OP = 'UPDATE' THEN
        IF NEW.actor_id IS NULL AND NEW.actor_email IS NULL
           AND (to_jsonb(NEW) - 'actor_id' - 'actor_email') = (to_jsonb(OLD) - 'actor_id' - 'actor_email') THEN
            RETURN NEW;
        END IF;
    END IF;
    RAISE EXCEPTION 'moderation_log is append-only: only the actor can be anonymised';
END;
$$;
-- The row trigger of 0005 (BEFORE UPDATE OR DELETE) now calls the function above. TRUNCATE
-- skips row triggers: refuse it too.
CREATE TRIGGER moderation_log_no_truncate BEFORE TRUNCATE ON moderation_log
    FOR EACH STATEMENT EXECUTE FUNCTION moderation_log_append_only();
