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

CREATE TRIGGER data_version_territory_figures_insert AFTER INSERT ON territory_figures BEGIN
    UPDATE data_versions SET version = version + 1 WHERE scope = '*';
    UPDATE data_versions SET version = (SELECT version FROM data_versions WHERE scope = '*') WHERE scope = 'reference';
END;
CREATE TRIGGER data_version_territory_figures_update AFTER UPDATE ON territory_figures BEGIN
    UPDATE data_versions SET version = version + 1 WHERE scope = '*';
    UPDATE data_versions SET version = (SELECT version FROM data_versions WHERE scope = '*') WHERE scope = 'reference';
END;
CREATE TRIGGER data_version_territory_figures_delete AFTER DELETE ON territory_figures BEGIN
    UPDATE data_versions SET version = version + 1 WHERE scope = '*';
    UPDATE data_versions SET version = (SELECT version FROM data_versions WHERE scope = '*') WHERE scope = 'reference';
END;
