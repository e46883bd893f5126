-- Saved searches of the board with e-mail alerts: the board's filters (its query string), how
-- often to write, and a token for the one-click unsubscribe link (stored as a SHA-256 digest,
-- like every token). An offer is announced once per search: saved_search_offers remembers it.

CREATE TABLE saved_searches (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- the board's query string, canonical (BoardQuery::pairs), without the page
    query TEXT NOT NULL,
    label TEXT NOT NULL,
    frequency TEXT NOT NULL CHECK (frequency IN ('immediate', 'quotidienne', 'hebdomadaire')),
    unsubscribe_token TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    last_sent_at INTEGER
);
CREATE INDEX saved_searches_user ON saved_searches (user_id);

CREATE TABLE saved_search_offers (
    search_id INTEGER NOT NULL REFERENCES saved_searches (id) ON DELETE CASCADE,
    offer_id INTEGER NOT NULL REFERENCES offers (id) ON DELETE CASCADE,
    sent_at INTEGER NOT NULL,
    PRIMARY KEY (search_id, offer_id)
);
