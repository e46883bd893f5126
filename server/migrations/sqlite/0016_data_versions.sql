-- Data versions: what the page cache (server/src/cache) checks before it serves a page it
-- rendered earlier. Each scope is a kind of public data; its version changes in the very
-- transaction that changes one of its tables, through the triggers below, so no write can
-- forget it, and every server on the database sees the change on its next request.
--
-- version: the value of the '*' row when the scope last changed ('*' counts every change).
-- The scopes are the program's (server/src/cache/versions.rs): a scope it does not know is
-- an error, never skipped.
--
-- Scopes and their tables:
--   reference: regions, departements, epcis, communes, apl, health_structures, geometries, qpv
--   offers: offers
--   organisations: organisations (what pages show of them: not updated_at, touched by every
--     change of a member or an offer)
--   aids: aids
--   events: events, event_registrations
--   promotion: territory_pages, territory_testimonials, territory_photos
--   outcomes: applications, cases

CREATE TABLE data_versions (
    scope TEXT PRIMARY KEY,
    version INTEGER NOT NULL
);
INSERT INTO data_versions (scope, version) VALUES ('*', 0), ('reference', 0), ('offers', 0), ('organisations', 0), ('aids', 0), ('events', 0), ('promotion', 0), ('outcomes', 0);

-- SQLite has one writer at a time: a plain increment in each trigger is enough.
CREATE TRIGGER data_version_regions_insert AFTER INSERT ON regions BEGIN
    UPDATE data_versions SET version = version + 1 WHERE scope = '*';
    UPDATE data_versions SET version = (SELECT version FROM data_versions WHERE scope = '*') WHERE scope = 'reference';
END;
CREATE TRIGGER data_version_regions_update AFTER UPDATE ON regions BEGIN
    UPDATE data_versions SET version = version + 1 WHERE scope = '*';
    UPDATE data_versions SET version = (SELECT version FROM data_versions WHERE scope = '*') WHERE scope = 'reference';
END;
CREATE TRIGGER data_version_regions_delete AFTER DELETE ON regions BEGIN
    UPDATE data_versions SET version = version + 1 WHERE scope = '*';
    UPDATE data_versions SET version = (SELECT version FROM data_versions WHERE scope = '*') WHERE scope = 'reference';
END;
CREATE TRIGGER data_version_departements_insert AFTER INSERT ON departements BEGIN
    UPDATE data_versions SET version = version + 1 WHERE scope = '*';
    UPDATE data_versions SET version = (SELECT version FROM data_versions WHERE scope = '*') WHERE scope = 'reference';
END;
CREATE TRIGGER data_version_departements_update AFTER UPDATE ON departements BEGIN
    UPDATE data_versions SET version = version + 1 WHERE scope = '*';
    UPDATE data_versions SET version = (SELECT version FROM data_versions WHERE scope = '*') WHERE scope = 'reference';
END;
CREATE TRIGGER data_version_departements_delete AFTER DELETE ON departements BEGIN
    UPDATE data_versions SET version = version + 1 WHERE scope = '*';
    UPDATE data_versions SET version = (SELECT version FROM data_versions WHERE scope = '*') WHERE scope = 'reference';
END;
CREATE TRIGGER data_version_epcis_insert AFTER INSERT ON epcis BEGIN
    UPDATE data_versions SET version = version + 1 WHERE scope = '*';
    UPDATE data_versions SET version = (SELECT version FROM data_versions WHERE scope = '*') WHERE scope = 'reference';
END;
CREATE TRIGGER data_version_epcis_update AFTER UPDATE ON epcis BEGIN
    UPDATE data_versions SET version = version + 1 WHERE scope = '*';
    UPDATE data_versions SET version = (SELECT version FROM data_versions WHERE scope = '*') WHERE scope = 'reference';
END;
CREATE TRIGGER data_version_epcis_delete AFTER DELETE ON epcis BEGIN
    UPDATE data_versions SET version = version + 1 WHERE scope = '*';
    UPDATE data_versions SET version = (SELECT version FROM data_versions WHERE scope = '*') WHERE scope = 'reference';
END;
CREATE TRIGGER data_version_communes_insert AFTER INSERT ON communes BEGIN
    UPDATE data_versions SET version = version + 1 WHERE scope = '*';
    UPDATE data_versions SET version = (SELECT version FROM data_versions WHERE scope = '*') WHERE scope = 'reference';
END;
CREATE TRIGGER data_version_communes_update AFTER UPDATE ON communes BEGIN
    UPDATE data_versions SET version = version + 1 WHERE scope = '*';
    UPDATE data_versions SET version = (SELECT version FROM data_versions WHERE scope = '*') WHERE scope = 'reference';
END;
CREATE TRIGGER data_version_communes_delete AFTER DELETE ON communes BEGIN
    UPDATE data_versions SET version = version + 1 WHERE scope = '*';
    UPDATE data_versions SET version = (SELECT version FROM data_versions WHERE scope = '*') WHERE scope = 'reference';
END;
CREATE TRIGGER data_version_apl_insert AFTER INSERT ON apl BEGIN
    UPDATE data_versions SET version = version + 1 WHERE scope = '*';
    UPDATE data_versions SET version = (SELECT version FROM data_versions WHERE scope = '*') WHERE scope = 'reference';
END;
CREATE TRIGGER data_version_apl_update AFTER UPDATE ON apl BEGIN
    UPDATE data_versions SET version = version + 1 WHERE scope = '*';
    UPDATE data_versions SET version = (SELECT version FROM data_versions WHERE scope = '*') WHERE scope = 'reference';
END;
CREATE TRIGGER data_version_apl_delete AFTER DELETE ON apl BEGIN
    UPDATE data_versions SET version = version + 1 WHERE scope = '*';
    UPDATE data_versions SET version = (SELECT version FROM data_versions WHERE scope = '*') WHERE scope = 'reference';
END;
CREATE TRIGGER data_version_health_structures_insert AFTER INSERT ON health_structures BEGIN
    UPDATE data_versions SET version = version + 1 WHERE scope = '*';
    UPDATE data_versions SET version = (SELECT version FROM data_versions WHERE scope = '*') WHERE scope = 'reference';
END;
CREATE TRIGGER data_version_health_structures_update AFTER UPDATE ON health_structures BEGIN
    UPDATE data_versions SET version = version + 1 WHERE scope = '*';
    UPDATE data_versions SET version = (SELECT version FROM data_versions WHERE scope = '*') WHERE scope = 'reference';
END;
CREATE TRIGGER data_version_health_structures_delete AFTER DELETE ON health_structures BEGIN
    UPDATE data_versions SET version = version + 1 WHERE scope = '*';
    UPDATE data_versions SET version = (SELECT version FROM data_versions WHERE scope = '*') WHERE scope = 'reference';
END;
CREATE TRIGGER data_version_geometries_insert AFTER INSERT ON geometries BEGIN
    UPDATE data_versions SET version = version + 1 WHERE scope = '*';
    UPDATE data_versions SET version = (SELECT version FROM data_versions WHERE scope = '*') WHERE scope = 'reference';
END;
CREATE TRIGGER data_version_geometries_update AFTER UPDATE ON geometries BEGIN
    UPDATE data_versions SET version = version + 1 WHERE scope = '*';
    UPDATE data_versions SET version = (SELECT version FROM data_versions WHERE scope = '*') WHERE scope = 'reference';
END;
CREATE TRIGGER data_version_geometries_delete AFTER DELETE ON geometries BEGIN
    UPDATE data_versions SET version = version + 1 WHERE scope = '*';
    UPDATE data_versions SET version = (SELECT version FROM data_versions WHERE scope = '*') WHERE scope = 'reference';
END;
CREATE TRIGGER data_version_qpv_insert AFTER INSERT ON qpv BEGIN
    UPDATE data_versions SET version = version + 1 WHERE scope = '*';
    UPDATE data_versions SET version = (SELECT version FROM data_versions WHERE scope = '*') WHERE scope = 'reference';
END;
CREATE TRIGGER data_version_qpv_update AFTER UPDATE ON qpv BEGIN
    UPDATE data_versions SET version = version + 1 WHERE scope = '*';
    UPDATE data_versions SET version = (SELECT version FROM data_versions WHERE scope = '*') WHERE scope = 'reference';
END;
CREATE TRIGGER data_version_qpv_delete AFTER DELETE ON qpv BEGIN
    UPDATE data_versions SET version = version + 1 WHERE scope = '*';
    UPDATE data_versions SET version = (SELECT version FROM data_versions WHERE scope = '*') WHERE scope = 'reference';
END;

CREATE TRIGGER data_version_offers_insert AFTER INSERT ON offers BEGIN
    UPDATE data_versions SET version = version + 1 WHERE scope = '*';
    UPDATE data_versions SET version = (SELECT version FROM data_versions WHERE scope = '*') WHERE scope = 'offers';
END;
CREATE TRIGGER data_version_offers_update AFTER UPDATE ON offers BEGIN
    UPDATE data_versions SET version = version + 1 WHERE scope = '*';
    UPDATE data_versions SET version = (SELECT version FROM data_versions WHERE scope = '*') WHERE scope = 'offers';
END;
CREATE TRIGGER data_version_offers_delete AFTER DELETE ON offers BEGIN
    UPDATE data_versions SET version = version + 1 WHERE scope = '*';
    UPDATE data_versions SET version = (SELECT version FROM data_versions WHERE scope = '*') WHERE scope = 'offers';
END;

CREATE TRIGGER data_version_organisations_insert AFTER INSERT ON organisations BEGIN
    UPDATE data_versions SET version = version + 1 WHERE scope = '*';
    UPDATE data_versions SET version = (SELECT version FROM data_versions WHERE scope = '*') WHERE scope = 'organisations';
END;
CREATE TRIGGER data_version_organisations_update AFTER UPDATE OF kind, name, commune_code, epci_siren, departement_code, finess, status ON organisations BEGIN
    UPDATE data_versions SET version = version + 1 WHERE scope = '*';
    UPDATE data_versions SET version = (SELECT version FROM data_versions WHERE scope = '*') WHERE scope = 'organisations';
END;
CREATE TRIGGER data_version_organisations_delete AFTER DELETE ON organisations BEGIN
    UPDATE data_versions SET version = version + 1 WHERE scope = '*';
    UPDATE data_versions SET version = (SELECT version FROM data_versions WHERE scope = '*') WHERE scope = 'organisations';
END;

CREATE TRIGGER data_version_aids_insert AFTER INSERT ON aids BEGIN
    UPDATE data_versions SET version = version + 1 WHERE scope = '*';
    UPDATE data_versions SET version = (SELECT version FROM data_versions WHERE scope = '*') WHERE scope = 'aids';
END;
CREATE TRIGGER data_version_aids_update AFTER UPDATE ON aids BEGIN
    UPDATE data_versions SET version = version + 1 WHERE scope = '*';
    UPDATE data_versions SET version = (SELECT version FROM data_versions WHERE scope = '*') WHERE scope = 'aids';
END;
CREATE TRIGGER data_version_aids_delete AFTER DELETE ON aids BEGIN
    UPDATE data_versions SET version = version + 1 WHERE scope = '*';
    UPDATE data_versions SET version = (SELECT version FROM data_versions WHERE scope = '*') WHERE scope = 'aids';
END;

CREATE TRIGGER data_version_events_insert AFTER INSERT ON events BEGIN
    UPDATE data_versions SET version = version + 1 WHERE scope = '*';
    UPDATE data_versions SET version = (SELECT version FROM data_versions WHERE scope = '*') WHERE scope = 'events';
END;
CREATE TRIGGER data_version_events_update AFTER UPDATE ON events BEGIN
    UPDATE data_versions SET version = version + 1 WHERE scope = '*';
    UPDATE data_versions SET version = (SELECT version FROM data_versions WHERE scope = '*') WHERE scope = 'events';
END;
CREATE TRIGGER data_version_events_delete AFTER DELETE ON events BEGIN
    UPDATE data_versions SET version = version + 1 WHERE scope = '*';
    UPDATE data_versions SET version = (SELECT version FROM data_versions WHERE scope = '*') WHERE scope = 'events';
END;
CREATE TRIGGER data_version_event_registrations_insert AFTER INSERT ON event_registrations BEGIN
    UPDATE data_versions SET version = version + 1 WHERE scope = '*';
    UPDATE data_versions SET version = (SELECT version FROM data_versions WHERE scope = '*') WHERE scope = 'events';
END;
CREATE TRIGGER data_version_event_registrations_update AFTER UPDATE ON event_registrations BEGIN
    UPDATE data_versions SET version = version + 1 WHERE scope = '*';
    UPDATE data_versions SET version = (SELECT version FROM data_versions WHERE scope = '*') WHERE scope = 'events';
END;
CREATE TRIGGER data_version_event_registrations_delete AFTER DELETE ON event_registrations BEGIN
    UPDATE data_versions SET version = version + 1 WHERE scope = '*';
    UPDATE data_versions SET version = (SELECT version FROM data_versions WHERE scope = '*') WHERE scope = 'events';
END;

CREATE TRIGGER data_version_territory_pages_insert AFTER INSERT ON territory_pages BEGIN
    UPDATE data_versions SET version = version + 1 WHERE scope = '*';
    UPDATE data_versions SET version = (SELECT version FROM data_versions WHERE scope = '*') WHERE scope = 'promotion';
END;
CREATE TRIGGER data_version_territory_pages_update AFTER UPDATE ON territory_pages BEGIN
    UPDATE data_versions SET version = version + 1 WHERE scope = '*';
    UPDATE data_versions SET version = (SELECT version FROM data_versions WHERE scope = '*') WHERE scope = 'promotion';
END;
CREATE TRIGGER data_version_territory_pages_delete AFTER DELETE ON territory_pages BEGIN
    UPDATE data_versions SET version = version + 1 WHERE scope = '*';
    UPDATE data_versions SET version = (SELECT version FROM data_versions WHERE scope = '*') WHERE scope = 'promotion';
END;
CREATE TRIGGER data_version_territory_testimonials_insert AFTER INSERT ON territory_testimonials BEGIN
    UPDATE data_versions SET version = version + 1 WHERE scope = '*';
    UPDATE data_versions SET version = (SELECT version FROM data_versions WHERE scope = '*') WHERE scope = 'promotion';
END;
CREATE TRIGGER data_version_territory_testimonials_update AFTER UPDATE ON territory_testimonials BEGIN
    UPDATE data_versions SET version = version + 1 WHERE scope = '*';
    UPDATE data_versions SET version = (SELECT version FROM data_versions WHERE scope = '*') WHERE scope = 'promotion';
END;
CREATE TRIGGER data_version_territory_testimonials_delete AFTER DELETE ON territory_testimonials BEGIN
    UPDATE data_versions SET version = version + 1 WHERE scope = '*';
    UPDATE data_versions SET version = (SELECT version FROM data_versions WHERE scope = '*') WHERE scope = 'promotion';
END;
CREATE TRIGGER data_version_territory_photos_insert AFTER INSERT ON territory_photos BEGIN
    UPDATE data_versions SET version = version + 1 WHERE scope = '*';
    UPDATE data_versions SET version = (SELECT version FROM data_versions WHERE scope = '*') WHERE scope = 'promotion';
END;
CREATE TRIGGER data_version_territory_photos_update AFTER UPDATE ON territory_photos BEGIN
    UPDATE data_versions SET version = version + 1 WHERE scope = '*';
    UPDATE data_versions SET version = (SELECT version FROM data_versions WHERE scope = '*') WHERE scope = 'promotion';
END;
CREATE TRIGGER data_version_territory_photos_delete AFTER DELETE ON territory_photos BEGIN
    UPDATE data_versions SET version = version + 1 WHERE scope = '*';
    UPDATE data_versions SET version = (SELECT version FROM data_versions WHERE scope = '*') WHERE scope = 'promotion';
END;

CREATE TRIGGER data_version_applications_insert AFTER INSERT ON applications BEGIN
    UPDATE data_versions SET version = version + 1 WHERE scope = '*';
    UPDATE data_versions SET version = (SELECT version FROM data_versions WHERE scope = '*') WHERE scope = 'outcomes';
END;
CREATE TRIGGER data_version_applications_update AFTER UPDATE ON applications BEGIN
    UPDATE data_versions SET version = version + 1 WHERE scope = '*';
    UPDATE data_versions SET version = (SELECT version FROM data_versions WHERE scope = '*') WHERE scope = 'outcomes';
END;
CREATE TRIGGER data_version_applications_delete AFTER DELETE ON applications BEGIN
    UPDATE data_versions SET version = version + 1 WHERE scope = '*';
    UPDATE data_versions SET version = (SELECT version FROM data_versions WHERE scope = '*') WHERE scope = 'outcomes';
END;
CREATE TRIGGER data_version_cases_insert AFTER INSERT ON cases BEGIN
    UPDATE data_versions SET version = version + 1 WHERE scope = '*';
    UPDATE data_versions SET version = (SELECT version FROM data_versions WHERE scope = '*') WHERE scope = 'outcomes';
END;
CREATE TRIGGER data_version_cases_update AFTER UPDATE ON cases BEGIN
    UPDATE data_versions SET version = version + 1 WHERE scope = '*';
    UPDATE data_versions SET version = (SELECT version FROM data_versions WHERE scope = '*') WHERE scope = 'outcomes';
END;
CREATE TRIGGER data_version_cases_delete AFTER DELETE ON cases BEGIN
    UPDATE data_versions SET version = version + 1 WHERE scope = '*';
    UPDATE data_versions SET version = (SELECT version FROM data_versions WHERE scope = '*') WHERE scope = 'outcomes';
END;
