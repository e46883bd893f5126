-- Moderation with evidence (issue 28): before deciding, a moderator may ask the owners of an
-- organisation waiting for verification a question, which they answer on its page. Both stay in
-- the moderation log, the record of what led to each decision: two more actions, 'question' (a
-- moderator's, mailed to the owners) and 'answer' (an owner's), each with its text in `reason`,
-- which they cannot be without.
--
-- SQLite cannot change a CHECK constraint: the table is rebuilt as in 0006 and 0029 (nothing
-- references it), then its index and triggers are made again.
CREATE TABLE moderation_log_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    actor_id INTEGER REFERENCES users (id),
    actor_email TEXT,
    action TEXT NOT NULL CHECK (action IN ('approve', 'reject', 'resubmit', 'close', 'take_over', 'question', 'answer')),
    reason TEXT,
    created_at INTEGER NOT NULL,
    CHECK ((actor_id IS NULL) = (actor_email IS NULL)),
    CHECK (action NOT IN ('question', 'answer') OR reason IS NOT NULL)
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
