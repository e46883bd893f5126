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
    version BIGINT NOT NULL
);
INSERT INTO data_versions (scope, version) VALUES ('*', 0), ('reference', 0), ('offers', 0), ('organisations', 0), ('aids', 0), ('events', 0), ('promotion', 0), ('outcomes', 0);

-- Bumps the scope TG_ARGV[0] once per transaction, at its commit: deferred, so the rows of
-- data_versions are locked only while committing, always '*' first (no deadlock between two
-- writers), and in commit order (a reader never sees a later change without an earlier one).
-- The transaction-local setting remembers the scopes already bumped by this transaction.
CREATE FUNCTION data_version_bump() RETURNS trigger AS $$
DECLARE
    mark TEXT := 'medecins_territoires.bumped_' || TG_ARGV[0];
    seq BIGINT;
BEGIN
    IF current_setting(mark, true) IS DISTINCT FROM txid_current()::text THEN
        PERFORM set_config(mark, txid_current()::text, true);
        UPDATE data_versions SET version = version + 1 WHERE scope = '*' RETURNING version INTO seq;
        UPDATE data_versions SET version = seq WHERE scope = TG_ARGV[0];
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE CONSTRAINT TRIGGER data_version_regions AFTER INSERT OR UPDATE OR DELETE ON regions
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION data_version_bump('reference');
CREATE CONSTRAINT TRIGGER data_version_departements AFTER INSERT OR UPDATE OR DELETE ON departements
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION data_version_bump('reference');
CREATE CONSTRAINT TRIGGER data_version_epcis AFTER INSERT OR UPDATE OR DELETE ON epcis
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION data_version_bump('reference');
CREATE CONSTRAINT TRIGGER data_version_communes AFTER INSERT OR UPDATE OR DELETE ON communes
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION data_version_bump('reference');
CREATE CONSTRAINT TRIGGER data_version_apl AFTER INSERT OR UPDATE OR DELETE ON apl
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION data_version_bump('reference');
CREATE CONSTRAINT TRIGGER data_version_health_structures AFTER INSERT OR UPDATE OR DELETE ON health_structures
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION data_version_bump('reference');
CREATE CONSTRAINT TRIGGER data_version_geometries AFTER INSERT OR UPDATE OR DELETE ON geometries
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION data_version_bump('reference');
CREATE CONSTRAINT TRIGGER data_version_qpv AFTER INSERT OR UPDATE OR DELETE ON qpv
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION data_version_bump('reference');

CREATE CONSTRAINT TRIGGER data_version_offers AFTER INSERT OR UPDATE OR DELETE ON offers
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION data_version_bump('offers');

CREATE CONSTRAINT TRIGGER data_version_organisations AFTER INSERT OR DELETE OR UPDATE OF kind, name, commune_code, epci_siren, departement_code, finess, status ON organisations
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION data_version_bump('organisations');

CREATE CONSTRAINT TRIGGER data_version_aids AFTER INSERT OR UPDATE OR DELETE ON aids
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION data_version_bump('aids');

CREATE CONSTRAINT TRIGGER data_version_events AFTER INSERT OR UPDATE OR DELETE ON events
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION data_version_bump('events');
CREATE CONSTRAINT TRIGGER data_version_event_registrations AFTER INSERT OR UPDATE OR DELETE ON event_registrations
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION data_version_bump('events');

CREATE CONSTRAINT TRIGGER data_version_territory_pages AFTER INSERT OR UPDATE OR DELETE ON territory_pages
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION data_version_bump('promotion');
CREATE CONSTRAINT TRIGGER data_version_territory_testimonials AFTER INSERT OR UPDATE OR DELETE ON territory_testimonials
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION data_version_bump('promotion');
CREATE CONSTRAINT TRIGGER data_version_territory_photos AFTER INSERT OR UPDATE OR DELETE ON territory_photos
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION data_version_bump('promotion');

CREATE CONSTRAINT TRIGGER data_version_applications AFTER INSERT OR UPDATE OR DELETE ON applications
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION data_version_bump('outcomes');
CREATE CONSTRAINT TRIGGER data_version_cases AFTER INSERT OR UPDATE OR DELETE ON cases
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION data_version_bump('outcomes');
