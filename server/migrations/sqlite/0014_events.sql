-- Events that bring doctors and territories together: journées d'accueil, speed-dating /
-- job-dating, forums. A verified organisation (collectivité, structure, institution) publishes
-- one in a commune, with a capacity; people register, beyond the capacity on a waiting list,
-- and a freed place goes to the first waiting. Times are unix seconds.

CREATE TABLE events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('journee_accueil', 'job_dating', 'forum')),
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    commune_code TEXT NOT NULL REFERENCES communes (code),
    place TEXT NOT NULL,
    starts_at INTEGER NOT NULL,
    ends_at INTEGER NOT NULL,
    capacity INTEGER NOT NULL CHECK (capacity > 0),
    cancelled_at INTEGER,
    created_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    CHECK (ends_at > starts_at)
);
CREATE INDEX events_start ON events (starts_at);
CREATE INDEX events_commune ON events (commune_code);

CREATE TABLE event_registrations (
    event_id INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- inscrit: has a place; attente: on the waiting list, in order of registration
    status TEXT NOT NULL CHECK (status IN ('inscrit', 'attente')),
    created_at INTEGER NOT NULL,
    PRIMARY KEY (event_id, user_id)
);
CREATE INDEX event_registrations_user ON event_registrations (user_id);
