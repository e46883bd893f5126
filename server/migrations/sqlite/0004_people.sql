-- Who a person is as a candidate: status in their career (interne, docteur_junior, remplacant,
-- installe, retraite_actif), training, specialty and RPPS number. One row per account, written
-- when they fill in their profile. And the new address an e-mail change link confirms.

CREATE TABLE people (
    user_id INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    status TEXT NOT NULL,
    faculty TEXT,
    internship_year INTEGER,
    specialty TEXT NOT NULL,
    -- 1 when a remplaçant has defended the thesis, else 0
    thesis_defended INTEGER NOT NULL,
    rpps TEXT UNIQUE,
    updated_at INTEGER NOT NULL
);

ALTER TABLE account_tokens ADD COLUMN new_email TEXT;
