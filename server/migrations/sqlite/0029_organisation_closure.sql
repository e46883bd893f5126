-- Closing an organisation (issue 26). A closed organisation publishes nothing any more: closing
-- withdraws its offers, aids, stage sites and housing, cancels its events, unpublishes its
-- territory page and answers its open applications and guichet cases, all in one transaction
-- (server/src/organisations/closure.rs). The row stays, with its members, for the history of
-- what it published and answered; `closed_at` says since when it is closed.
--
-- A column rather than a new status: the status is moderation's (en attente, vérifiée,
-- refusée), closing is the organisation's own act, and a verified organisation stays verified
-- in the record of what it published.
ALTER TABLE organisations ADD COLUMN closed_at INTEGER;

-- Closing changes what pages show of the organisation: the data version moves with it.
DROP TRIGGER data_version_organisations_update;
CREATE TRIGGER data_version_organisations_update
AFTER UPDATE OF kind, name, commune_code, epci_siren, departement_code, finess, status, closed_at ON organisations BEGIN
    UPDATE data_versions SET version = version + 1 WHERE scope = '*';
    UPDATE data_versions SET version = (SELECT version FROM data_versions WHERE scope = '*') WHERE scope = 'organisations';
END;

-- The moderation log records two more actions: an organisation closed (by an owner, or by a
-- moderator when it has no owner left) and a moderator taking over an organisation that has
-- no owner. SQLite cannot change a CHECK constraint: the table is rebuilt as in 0006 (nothing
-- references it), then its index and triggers are made again.
CREATE TABLE moderation_log_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    actor_id INTEGER REFERENCES users (id),
    actor_email TEXT,
    action TEXT NOT NULL CHECK (action IN ('approve', 'reject', 'resubmit', 'close', 'take_over')),
    reason TEXT,
    created_at INTEGER NOT NULL,
    CHECK ((actor_id IS NULL) = (actor_email IS NULL))
);
INSERT INTO moderation_log_new (id, organisation_id, actor_id, actor_email, action, reason, created_at)
    SELECT id, organisation_id, actor_id, actor_email, action, reason, created_at FROM moderation_log;
DROP TABLE moderation_log;
ALTER TABLE moderation_log_new RENAME TO moderation_log;
CREATE INDEX moderation_log_organisation ON moderation_log (organisation_id);

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
