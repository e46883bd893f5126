-- What a candidate is looking for: specialty, kinds of offers, availability, places,
-- preferences and needs, and the opt-in that lets verified recruiters see them. One row per
-- account. Lists are comma-separated codes (offer kinds, département numbers); dates ISO text.
-- (0008 is another change, made at the same time.)

CREATE TABLE candidate_wishes (
    user_id INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    specialty TEXT NOT NULL,
    kinds TEXT NOT NULL,
    -- up to three windows of availability, "from..to" separated by ";", a side empty when open
    availability TEXT NOT NULL DEFAULT '',
    departements TEXT NOT NULL DEFAULT '',
    around_commune TEXT REFERENCES communes (code),
    radius_km INTEGER CHECK (radius_km IS NULL OR radius_km BETWEEN 1 AND 300),
    group_practice INTEGER NOT NULL DEFAULT 0 CHECK (group_practice IN (0, 1)),
    salaried INTEGER NOT NULL DEFAULT 0 CHECK (salaried IN (0, 1)),
    mixed INTEGER NOT NULL DEFAULT 0 CHECK (mixed IN (0, 1)),
    part_time INTEGER NOT NULL DEFAULT 0 CHECK (part_time IN (0, 1)),
    needs_housing INTEGER NOT NULL DEFAULT 0 CHECK (needs_housing IN (0, 1)),
    needs_spouse_job INTEGER NOT NULL DEFAULT 0 CHECK (needs_spouse_job IN (0, 1)),
    needs_childcare INTEGER NOT NULL DEFAULT 0 CHECK (needs_childcare IN (0, 1)),
    -- 1: verified recruiters may see this candidate, ranked for their offers
    visible INTEGER NOT NULL DEFAULT 0 CHECK (visible IN (0, 1)),
    updated_at INTEGER NOT NULL
);
CREATE INDEX candidate_wishes_visible ON candidate_wishes (visible);
