-- The mail outbox. A new migration rather than an edit of 0001: applied migrations are never
-- changed, so every existing database reaches the same schema.
--
-- Each mail is written here in the transaction of the action that causes it, then sent by the
-- mail worker (server/src/jobs/mail.rs) with retries and backoff: an SMTP outage delays mail
-- but loses none. Times are unix milliseconds, so the SQL is the same on both engines.

CREATE TABLE mail_outbox (
    id INTEGER PRIMARY KEY,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    body_text TEXT NOT NULL,
    body_html TEXT NOT NULL,
    -- name of the template under server/templates/mail
    template TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    -- lease of the worker sending the mail: no other worker takes it before this time
    locked_until INTEGER,
    last_error TEXT,
    sent_at INTEGER
);
CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_at) WHERE status = 'pending';
CREATE INDEX mail_outbox_failed ON mail_outbox (created_at) WHERE status = 'failed';
