-- The moderation log survives the deletion of the accounts it names. Until now actor_id and
-- actor_email were NOT NULL and every UPDATE was refused, so deleting the account of anybody who
-- had moderated (or resubmitted an organisation) failed on the foreign key. A new migration
-- rather than an edit of 0005: applied migrations are never changed.
--
-- The row stays (what was done to which organisation, when, why), the person goes: deleting
-- an account sets actor_id and actor_email to NULL, and the pages show "compte supprimé".
--
-- SQLite cannot drop NOT NULL from a column: the table is rebuilt (new table, copy, drop,
-- rename), then its index and triggers are made again. Nothing references moderation_log, so
-- the foreign keys need no special care.

CREATE TABLE moderation_log_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    -- who acted, and their address at the time (kept if the address changes); both NULL once
    -- their account is deleted. No ON DELETE rule: an account deletion that forgot to
    -- anonymise fails rather than leaving an address behind.
    actor_id INTEGER REFERENCES users (id),
    actor_email TEXT,
    action TEXT NOT NULL CHECK (action IN ('approve', 'reject', 'resubmit')),
    reason TEXT,
    created_at INTEGER NOT NULL,
    CHECK ((actor_id IS NULL) = (actor_email IS NULL))
);
INSERT INTO moderation_log_new (id, organisation_id, actor_id, actor_email, action, reason, created_at)
    SELECT id, organisation_id, actor_id, actor_email, action, reason, created_at FROM moderation_log;
-- Also drops the old table's index and triggers.
DROP TABLE moderation_log;
ALTER TABLE moderation_log_new RENAME TO moderation_log;
CREATE INDEX moderation_log_organisation ON moderation_log (organisation_id);

-- Append-only, with one exception: anonymisation, which sets actor_id and actor_email to NULL
-- and leaves every other column as it was. (A column added later must be added here too.)
CREATE TRIGGER moderation_log_only_anonymised BEFORE UPDATE ON moderation_log
WHEN NOT (NEW.actor_id IS NULL AND NEW.actor_email IS NULL
          AND NEW.id IS OLD.id
          AND NEW.organisation_id IS OLD.organisation_id
          AND NEW.action IS OLD.action
          AND NEW.reason IS OLD.reason
          AND NEW.created_at IS OLD.created_at)
BEGIN
    SELECT RAISE(ABORT, 'moderation_log is append-only: only the actor can be anonymised');
END;
CREATE TRIGGER moderation_log_no_delete BEFORE DELETE ON moderation_log
BEGIN
    SELECT RAISE(ABORT, 'moderation_log is append-only');
END;
