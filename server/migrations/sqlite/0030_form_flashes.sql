-- What a person typed into a refused form, kept a quarter of an hour for the page it goes back
-- to, instead of in that page's address (server/src/http/flash.rs). `owner` is the digest of
-- the posting session's form token: only that browser reads them back.
CREATE TABLE form_flashes (
    id TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    typed TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX form_flashes_created ON form_flashes (created_at);
