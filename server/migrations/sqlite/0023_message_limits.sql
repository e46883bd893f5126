-- How many messages one person wrote in the last hour is counted before each new one (the
-- limits of server/src/applications.rs and server/src/promotion/cases.rs).
CREATE INDEX application_messages_author ON application_messages (author_id, created_at);
CREATE INDEX case_messages_author ON case_messages (author_id, created_at);
