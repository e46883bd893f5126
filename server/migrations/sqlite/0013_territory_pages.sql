-- Territory promotion pages, written by their collectivité, and the guichet unique.
--
-- A page belongs to one organisation (a commune, EPCI or département) and appears on its
-- territory's public page once published. Every save is a new revision (the whole content as
-- JSON: presentation, cadre de vie sections, video link, referent); publishing points the page
-- at one revision, restoring publishes a copy of an older one, so the history is never
-- rewritten. Photos (resized JPEG, in the database like CVs, so every server instance serves
-- them) and testimonials (with the recorded consent of the person) are added and removed
-- directly. Cases are the guichet unique: a signed-in person writes to the page's referent.
-- Times are unix seconds.

CREATE TABLE territory_pages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation_id INTEGER NOT NULL UNIQUE REFERENCES organisations (id) ON DELETE CASCADE,
    published_revision_id INTEGER,
    published_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE territory_revisions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    page_id INTEGER NOT NULL REFERENCES territory_pages (id) ON DELETE CASCADE,
    content TEXT NOT NULL,
    author_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    -- the author's name at the time, kept if the account goes
    author_name TEXT NOT NULL,
    -- "restauration de la version du …"
    note TEXT,
    created_at INTEGER NOT NULL
);
CREATE INDEX territory_revisions_page ON territory_revisions (page_id, id);

CREATE TABLE territory_testimonials (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    page_id INTEGER NOT NULL REFERENCES territory_pages (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    quote TEXT NOT NULL,
    -- the person agreed in writing; who recorded it, and when
    consent_at INTEGER NOT NULL,
    consent_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX territory_testimonials_page ON territory_testimonials (page_id);

CREATE TABLE territory_photos (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    page_id INTEGER NOT NULL REFERENCES territory_pages (id) ON DELETE CASCADE,
    -- set for an ambassador's portrait, which is not in the gallery
    testimonial_id INTEGER REFERENCES territory_testimonials (id) ON DELETE CASCADE,
    image BLOB NOT NULL,
    thumbnail BLOB NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    alt TEXT NOT NULL,
    credit TEXT NOT NULL DEFAULT '',
    created_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX territory_photos_page ON territory_photos (page_id);

CREATE TABLE cases (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    requester_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    referent_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    subject TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'nouveau' CHECK (status IN ('nouveau', 'en_cours', 'clos')),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX cases_organisation ON cases (organisation_id, updated_at);
CREATE INDEX cases_requester ON cases (requester_id, created_at);

CREATE TABLE case_messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    author_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    author_name TEXT NOT NULL,
    -- 1 when written for the collectivité, 0 by the requester
    from_referent INTEGER NOT NULL CHECK (from_referent IN (0, 1)),
    body TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX case_messages_case ON case_messages (case_id, id);
