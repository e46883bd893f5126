-- Aid rules as data: the whole départements an aid applies in whatever their zoning, what it
-- is for (codes of app::api::aid::AidPurpose; only aids of one purpose are ever added up) and
-- the slugs of the aids it cannot be combined with, each list comma-joined like zones and
-- profiles. The catalogue's rows get them from aides.json at the next import; a local aid
-- published before has no purpose and is never added to a total until its collectivité says.
ALTER TABLE aids ADD COLUMN departements TEXT NOT NULL DEFAULT '';
ALTER TABLE aids ADD COLUMN purposes TEXT NOT NULL DEFAULT '';
ALTER TABLE aids ADD COLUMN excludes TEXT NOT NULL DEFAULT '';

-- The profile "interne" used to mean "interne ou docteur junior": a local aid open to it stays
-- open to both now that they are two profiles.
UPDATE aids SET profiles = REPLACE(profiles, 'interne', 'interne,docteur_junior')
WHERE origin = 'local' AND (',' || profiles || ',') LIKE '%,interne,%';

-- The day a moderator checked a local aid's source against its text; NULL until then, and again
-- after each change its collectivité makes. A local aid is shown as declared by its
-- collectivité until then, never as verified. The catalogue's aids carry checked_on instead.
ALTER TABLE aids ADD COLUMN verified_on TEXT;
