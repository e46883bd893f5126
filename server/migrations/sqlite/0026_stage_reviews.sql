-- Reviews of stage sites by the interns who were there. A semester at a site is confirmed by
-- the site: a member confirms it from an accepted application to one of its stage offers, or
-- declares it for an intern's account. Only an intern with a confirmed semester reviews the
-- site, once a semester: six scores from 1 to 5 (housing may be left out: not every intern
-- was housed) and a text. The moderation publishes or refuses a review, with its reason; the
-- site may answer a published review once, publicly. The public sees a site's reviews only
-- once it has three published ones, as averages and texts, without names or semesters.
--
-- season: a code of the offers' semesters (novembre, mai); status: en_attente, publie,
-- refuse (app/src/domain/reviews): an unknown one is an error when read.

CREATE TABLE stage_semesters (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    site_id INTEGER NOT NULL REFERENCES stage_sites (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    season TEXT NOT NULL,
    year INTEGER NOT NULL,
    application_id INTEGER REFERENCES applications (id) ON DELETE SET NULL,
    confirmed_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (site_id, user_id, season, year)
);
CREATE INDEX stage_semesters_user ON stage_semesters (user_id);

CREATE TABLE stage_reviews (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    site_id INTEGER NOT NULL REFERENCES stage_sites (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    semester_id INTEGER NOT NULL UNIQUE REFERENCES stage_semesters (id) ON DELETE CASCADE,
    supervision INTEGER NOT NULL CHECK (supervision BETWEEN 1 AND 5),
    autonomy INTEGER NOT NULL CHECK (autonomy BETWEEN 1 AND 5),
    variety INTEGER NOT NULL CHECK (variety BETWEEN 1 AND 5),
    atmosphere INTEGER NOT NULL CHECK (atmosphere BETWEEN 1 AND 5),
    housing INTEGER CHECK (housing IS NULL OR housing BETWEEN 1 AND 5),
    workload INTEGER NOT NULL CHECK (workload BETWEEN 1 AND 5),
    body TEXT NOT NULL,
    status TEXT NOT NULL,
    reason TEXT,
    moderated_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    moderated_at INTEGER,
    answer TEXT,
    answered_at INTEGER,
    created_at INTEGER NOT NULL
);
CREATE INDEX stage_reviews_site ON stage_reviews (site_id, status);
CREATE INDEX stage_reviews_user ON stage_reviews (user_id);

-- Reviews show on stage sites' pages (scope organisations, as the sites).
CREATE TRIGGER data_version_stage_reviews_insert AFTER INSERT ON stage_reviews BEGIN
    UPDATE data_versions SET version = version + 1 WHERE scope = '*';
    UPDATE data_versions SET version = (SELECT version FROM data_versions WHERE scope = '*') WHERE scope = 'organisations';
END;
CREATE TRIGGER data_version_stage_reviews_update AFTER UPDATE ON stage_reviews BEGIN
    UPDATE data_versions SET version = version + 1 WHERE scope = '*';
    UPDATE data_versions SET version = (SELECT version FROM data_versions WHERE scope = '*') WHERE scope = 'organisations';
END;
CREATE TRIGGER data_version_stage_reviews_delete AFTER DELETE ON stage_reviews BEGIN
    UPDATE data_versions SET version = version + 1 WHERE scope = '*';
    UPDATE data_versions SET version = (SELECT version FROM data_versions WHERE scope = '*') WHERE scope = 'organisations';
END;
