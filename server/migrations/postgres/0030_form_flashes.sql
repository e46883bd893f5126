-- What a person typed into a refused form: see the SQLite migration of the same number.
CREATE TABLE form_flashes (
    id TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    typed TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX form_flashes_created ON form_flashes (created_at);
