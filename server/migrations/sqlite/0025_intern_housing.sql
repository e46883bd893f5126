-- Housing for interns: a verified collectivité, structure or practice publishes accommodation
-- for the interns of its area. The portal never holds the exact address: the public sees the
-- commune and an area (a quarter, a hamlet, « à 300 m de la maison de santé »), and the
-- contact, shown to signed-in people only, gives the address. A withdrawn or ended housing
-- keeps its row and leaves every public list.
--
-- kind: a code of the program's closed list (app/src/domain/housing); an unknown one is an
-- error when read. rent: euros a month, charges included; 0 is free. available_from and
-- available_until: days (YYYY-MM-DD); no end means until withdrawn.

CREATE TABLE intern_housing (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    commune_code TEXT NOT NULL REFERENCES communes (code),
    area TEXT NOT NULL,
    kind TEXT NOT NULL,
    rent INTEGER NOT NULL CHECK (rent >= 0),
    furnished INTEGER NOT NULL CHECK (furnished IN (0, 1)),
    available_from TEXT NOT NULL,
    available_until TEXT,
    places INTEGER NOT NULL CHECK (places > 0),
    contact TEXT NOT NULL,
    details TEXT NOT NULL,
    withdrawn_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX intern_housing_commune ON intern_housing (commune_code);
CREATE INDEX intern_housing_organisation ON intern_housing (organisation_id);

-- Housing shows on stage sites', offers' and communes' pages: what an organisation publishes
-- (scope organisations), as stage sites do.
CREATE TRIGGER data_version_intern_housing_insert AFTER INSERT ON intern_housing BEGIN
    UPDATE data_versions SET version = version + 1 WHERE scope = '*';
    UPDATE data_versions SET version = (SELECT version FROM data_versions WHERE scope = '*') WHERE scope = 'organisations';
END;
CREATE TRIGGER data_version_intern_housing_update AFTER UPDATE ON intern_housing BEGIN
    UPDATE data_versions SET version = version + 1 WHERE scope = '*';
    UPDATE data_versions SET version = (SELECT version FROM data_versions WHERE scope = '*') WHERE scope = 'organisations';
END;
CREATE TRIGGER data_version_intern_housing_delete AFTER DELETE ON intern_housing BEGIN
    UPDATE data_versions SET version = version + 1 WHERE scope = '*';
    UPDATE data_versions SET version = (SELECT version FROM data_versions WHERE scope = '*') WHERE scope = 'organisations';
END;
