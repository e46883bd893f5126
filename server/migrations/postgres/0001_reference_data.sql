-- Reference data of territories and health care, loaded by `server import` from server/data.
-- Codes are text: INSEE, SIREN and FINESS codes keep their leading zeros.

CREATE TABLE regions (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    slug TEXT NOT NULL,
    population BIGINT NOT NULL
);

CREATE TABLE departements (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    slug TEXT NOT NULL,
    region_code TEXT NOT NULL REFERENCES regions (code),
    population BIGINT NOT NULL
);

CREATE TABLE epcis (
    siren TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    slug TEXT NOT NULL,
    kind TEXT NOT NULL,
    financing TEXT NOT NULL,
    population_totale BIGINT NOT NULL,
    population_municipale BIGINT NOT NULL,
    communes_total BIGINT NOT NULL,
    communes_region BIGINT NOT NULL
);

CREATE TABLE communes (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    slug TEXT NOT NULL,
    -- lowercase ASCII words, for search (see app::model::search_form)
    search_name TEXT NOT NULL,
    departement_code TEXT NOT NULL REFERENCES departements (code),
    epci_siren TEXT REFERENCES epcis (siren),
    siren TEXT NOT NULL,
    postal_codes TEXT NOT NULL,
    population BIGINT NOT NULL,
    lat DOUBLE PRECISION NOT NULL,
    lon DOUBLE PRECISION NOT NULL,
    lat_inside DOUBLE PRECISION NOT NULL,
    lon_inside DOUBLE PRECISION NOT NULL,
    surface_km2 DOUBLE PRECISION NOT NULL,
    -- ZIP, ZAC, ZAR; NULL when the ARS file does not list the commune
    zonage TEXT
);
CREATE INDEX communes_departement ON communes (departement_code);
CREATE INDEX communes_epci ON communes (epci_siren);
CREATE INDEX communes_search_name ON communes (search_name);

-- DREES APL of general practitioners, per commune and year.
CREATE TABLE apl (
    commune_code TEXT NOT NULL REFERENCES communes (code),
    year BIGINT NOT NULL,
    apl DOUBLE PRECISION NOT NULL,
    apl_under65 DOUBLE PRECISION NOT NULL,
    population_standardised DOUBLE PRECISION NOT NULL,
    population_total BIGINT NOT NULL,
    PRIMARY KEY (commune_code, year)
);

-- FINESS: MSP, centres de santé and établissements de santé.
CREATE TABLE health_structures (
    finess TEXT PRIMARY KEY,
    finess_ej TEXT NOT NULL,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    category_code TEXT NOT NULL,
    category TEXT NOT NULL,
    address TEXT NOT NULL,
    postal_code TEXT NOT NULL,
    city TEXT NOT NULL,
    phone TEXT,
    opened_on TEXT,
    updated_on TEXT,
    lat DOUBLE PRECISION NOT NULL,
    lon DOUBLE PRECISION NOT NULL,
    commune_code TEXT NOT NULL REFERENCES communes (code)
);
CREATE INDEX health_structures_commune ON health_structures (commune_code);
CREATE INDEX health_structures_lat ON health_structures (lat);

-- Simplified polygons (GeoJSON geometry text) for the map: kind is region, departement or commune.
CREATE TABLE geometries (
    kind TEXT NOT NULL,
    code TEXT NOT NULL,
    geojson TEXT NOT NULL,
    PRIMARY KEY (kind, code)
);
