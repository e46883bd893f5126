-- Stage sites: places where interns do a semester. A verified health structure or practice
-- declares one, in a commune, for a specialty and a faculty (the universities of the reference
-- data that train doctors), with the levels it takes (niveau 1, SASPAS, docteur junior), its
-- supervisors (maîtres de stage universitaires, one name a line), its capacity per semester
-- and what an intern does there. A withdrawn site keeps its row (offers may point to it) and
-- leaves every public list. Stage offers point to their site.
--
-- levels and activities: comma-separated codes of the program's closed lists
-- (app/src/domain/stages): a code it does not know is an error when read, never skipped.

CREATE TABLE stage_sites (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    commune_code TEXT NOT NULL REFERENCES communes (code),
    specialty TEXT NOT NULL,
    faculty TEXT NOT NULL,
    levels TEXT NOT NULL,
    capacity INTEGER NOT NULL CHECK (capacity > 0),
    supervisors TEXT NOT NULL,
    activities TEXT NOT NULL,
    description TEXT NOT NULL,
    withdrawn_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX stage_sites_commune ON stage_sites (commune_code);
CREATE INDEX stage_sites_organisation ON stage_sites (organisation_id);

ALTER TABLE offers ADD COLUMN stage_site_id INTEGER REFERENCES stage_sites (id) ON DELETE SET NULL;

-- Sites show on commune pages and offers: what an organisation declares (scope organisations).
CREATE TRIGGER data_version_stage_sites_insert AFTER INSERT ON stage_sites BEGIN
    UPDATE data_versions SET version = version + 1 WHERE scope = '*';
    UPDATE data_versions SET version = (SELECT version FROM data_versions WHERE scope = '*') WHERE scope = 'organisations';
END;
CREATE TRIGGER data_version_stage_sites_update AFTER UPDATE ON stage_sites BEGIN
    UPDATE data_versions SET version = version + 1 WHERE scope = '*';
    UPDATE data_versions SET version = (SELECT version FROM data_versions WHERE scope = '*') WHERE scope = 'organisations';
END;
CREATE TRIGGER data_version_stage_sites_delete AFTER DELETE ON stage_sites BEGIN
    UPDATE data_versions SET version = version + 1 WHERE scope = '*';
    UPDATE data_versions SET version = (SELECT version FROM data_versions WHERE scope = '*') WHERE scope = 'organisations';
END;
