-- One mail for several changes to one application: see the SQLite migration of the same number.
CREATE TABLE application_news (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    mail_id BIGINT NOT NULL REFERENCES mail_outbox (id) ON DELETE CASCADE,
    event_id BIGINT REFERENCES application_events (id) ON DELETE CASCADE,
    message_id BIGINT REFERENCES application_messages (id) ON DELETE CASCADE,
    CHECK ((event_id IS NULL) <> (message_id IS NULL))
);
CREATE INDEX application_news_mail ON application_news (mail_id);
CREATE INDEX application_news_event ON application_news (event_id);
CREATE INDEX application_news_message ON application_news (message_id);
