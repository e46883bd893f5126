-- Who applies the search outbox (0011). A shared Meilisearch is one reader whichever server
-- applies a row; each embedded tantivy index is a reader of its own, one per server instance,
-- which must apply every row for its instance's board to be right. A reader records each row
-- it applied, and a row is deleted once every reader has applied it: each index gets every
-- update exactly once (twice only after a crash between applying and recording, which
-- rewrites the same current rows).
--
-- seen_at: unix seconds of the reader's last pass. A reader unseen for a day is forgotten
-- (its index rebuilds from the database if it comes back), so a stopped instance does not keep
-- the outbox growing.

CREATE TABLE search_readers (
    name TEXT PRIMARY KEY,
    seen_at INTEGER NOT NULL
);

CREATE TABLE search_applied (
    reader TEXT NOT NULL,
    outbox_id INTEGER NOT NULL,
    PRIMARY KEY (reader, outbox_id)
);
CREATE INDEX search_applied_outbox ON search_applied (outbox_id);
