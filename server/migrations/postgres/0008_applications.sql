-- Applications to offers: a doctor answers an open offer with a message and, if they wish, a
-- CV. The CV lives in the database (a BYTEA with its file name and size), not on a server's
-- disk, so that several server instances behind a load balancer all serve it. One
-- application per candidate and offer.
-- The status pipeline: envoyee → lue (a member of the organisation opened it) → en_discussion
-- → entretien → acceptee | refusee; the candidate may withdraw (retiree) before a final one.
-- Each change is a row of application_events; the messages of both sides are
-- application_messages. first_response_at is the first message or status change by the
-- organisation (opening it does not count), for the median response time of offers' pages.
-- Times are unix seconds. (0009 is another change, made at the same time.)

CREATE TABLE applications (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    offer_id BIGINT NOT NULL REFERENCES offers (id),
    candidate_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    message TEXT NOT NULL,
    cv BYTEA,
    cv_name TEXT,
    cv_size BIGINT,
    status TEXT NOT NULL DEFAULT 'envoyee'
        CHECK (status IN ('envoyee', 'lue', 'en_discussion', 'entretien', 'acceptee', 'refusee', 'retiree')),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    first_response_at BIGINT,
    UNIQUE (offer_id, candidate_id),
    CHECK ((cv IS NULL) = (cv_name IS NULL) AND (cv IS NULL) = (cv_size IS NULL))
);
CREATE INDEX applications_candidate ON applications (candidate_id, created_at);

CREATE TABLE application_messages (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    application_id BIGINT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    -- NULL once the author's account is deleted; the side stays known
    author_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    -- 1: a member of the organisation wrote it; 0: the candidate
    from_organisation BIGINT NOT NULL CHECK (from_organisation IN (0, 1)),
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX application_messages_application ON application_messages (application_id, id);

CREATE TABLE application_events (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    application_id BIGINT NOT NULL REFERENCES applications (id) ON DELETE CASCADE,
    actor_id BIGINT REFERENCES users (id) ON DELETE SET NULL,
    -- NULL for the first event (the application is sent)
    from_status TEXT,
    to_status TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX application_events_application ON application_events (application_id, id);
