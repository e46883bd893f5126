-- Aids for doctors and interns, and the quartiers prioritaires (QPV) some of them depend on.
--
-- The national and regional aids are the catalogue: they come from server/data/aides.json
-- through `server import` (origin 'catalogue'), each with its source and the day it was last
-- checked. Verified collectivités add their own aids on their territory (origin 'local');
-- moderators may withdraw any aid. Lists (zones, profiles, exercise types) are comma-separated
-- codes, an empty list meaning "no condition". Days are ISO text (YYYY-MM-DD), times unix seconds.

CREATE TABLE aids (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    funder TEXT NOT NULL CHECK (funder IN ('assurance_maladie', 'etat', 'ars', 'region', 'departement', 'epci', 'commune')),
    category TEXT NOT NULL CHECK (category IN ('financiere', 'fiscale', 'logement', 'locaux', 'formation', 'accompagnement')),
    amount_eur INTEGER CHECK (amount_eur IS NULL OR amount_eur > 0),
    amount_unit TEXT NOT NULL CHECK (amount_unit IN ('once', 'month', 'year', 'none')),
    amount_text TEXT NOT NULL,
    summary TEXT NOT NULL,
    conditions TEXT NOT NULL,
    zones TEXT NOT NULL DEFAULT '',
    profiles TEXT NOT NULL DEFAULT '',
    exercise TEXT NOT NULL DEFAULT '',
    commitment TEXT,
    commitment_years INTEGER,
    -- where the aid applies: national, or one region, département, EPCI or commune
    scope_kind TEXT NOT NULL CHECK (scope_kind IN ('national', 'region', 'departement', 'epci', 'commune')),
    scope_code TEXT,
    source_url TEXT NOT NULL,
    valid_from TEXT,
    valid_to TEXT,
    checked_on TEXT NOT NULL,
    origin TEXT NOT NULL DEFAULT 'catalogue' CHECK (origin IN ('catalogue', 'local')),
    -- the collectivité that published a local aid
    organisation_id INTEGER REFERENCES organisations (id) ON DELETE CASCADE,
    withdrawn_at INTEGER,
    withdrawn_reason TEXT,
    created_at INTEGER NOT NULL DEFAULT 0,
    updated_at INTEGER NOT NULL DEFAULT 0,
    CHECK ((scope_code IS NULL) = (scope_kind = 'national')),
    CHECK ((organisation_id IS NOT NULL) = (origin = 'local'))
);
CREATE INDEX aids_scope ON aids (scope_kind, scope_code);
CREATE INDEX aids_organisation ON aids (organisation_id);

-- Quartiers prioritaires de la politique de la ville, 2015 geography (see server/data/README.md).
CREATE TABLE qpv (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    commune_code TEXT NOT NULL REFERENCES communes (code)
);
CREATE INDEX qpv_commune ON qpv (commune_code);
