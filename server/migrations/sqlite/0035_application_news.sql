-- One mail for several changes to one application (issue 28). A member who opened an
-- application (« lue »), answered it and invited to an interview within a minute sent the
-- candidate three mails in twenty seconds. Now a change meant for the candidate is a row here,
-- written in the change's own transaction, tied to the mail that tells it: that mail waits a
-- moment in the outbox (MAIL_GROUPING_SECONDS) before it leaves, and a change made while it
-- waits joins it, the mail being written again with every change it tells
-- (server/src/applications/news.rs).
--
-- A row names the status change or the message it tells, not a copy of it: what the person
-- wrote stays in one place, and goes with it (an account's deletion, a purge of the outbox).
CREATE TABLE application_news (
    -- the order the changes were made in, which the mail follows
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    mail_id INTEGER NOT NULL REFERENCES mail_outbox (id) ON DELETE CASCADE,
    event_id INTEGER REFERENCES application_events (id) ON DELETE CASCADE,
    message_id INTEGER REFERENCES application_messages (id) ON DELETE CASCADE,
    CHECK ((event_id IS NULL) <> (message_id IS NULL))
);
CREATE INDEX application_news_mail ON application_news (mail_id);
CREATE INDEX application_news_event ON application_news (event_id);
CREATE INDEX application_news_message ON application_news (message_id);
