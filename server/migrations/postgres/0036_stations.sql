-- The SNCF passenger stations (server/data/gares-voyageurs-occitanie.csv, brought in by
-- `server import`): how far the nearest one is, and the nearest with many trains (class A or
-- B), is a figure of every commune and offer page. The trigramme is SNCF's own code; the class
-- (segment DRG) says how busy the station is: A national, B regional, C local.
CREATE TABLE stations (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    class TEXT NOT NULL CHECK (class IN ('A', 'B', 'C')),
    lat DOUBLE PRECISION NOT NULL,
    lon DOUBLE PRECISION NOT NULL,
    commune_code TEXT NOT NULL REFERENCES communes (code),
    uic_codes TEXT NOT NULL
);
CREATE INDEX stations_commune ON stations (commune_code);
