-- The figures of each region, département and EPCI (population, zoning shares, APL weighted
-- by standardised population, structures), computed from the reference data when it is
-- imported (server/src/territory/figures.rs), not at each request: they change only then.
--
-- summary: the JSON of app::api::territory::HealthSummary; apl: the JSON of [[year, apl], ...],
-- oldest first. Part of the reference data for the page cache (migration 0016).

CREATE TABLE territory_figures (
    kind TEXT NOT NULL CHECK (kind IN ('region', 'departement', 'epci')),
    code TEXT NOT NULL,
    summary TEXT NOT NULL,
    apl TEXT NOT NULL,
    PRIMARY KEY (kind, code)
);

CREATE CONSTRAINT TRIGGER data_version_territory_figures AFTER INSERT OR UPDATE OR DELETE ON territory_figures
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION data_version_bump('reference');
