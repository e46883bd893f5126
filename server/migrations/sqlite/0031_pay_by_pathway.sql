-- Pay that fits each pathway (issue 28). An installation libérale could only state a
-- rétrocession, a salary or a guaranteed income, rétrocession preselected: published offers
-- read « Rétrocession d'honoraires — 100 % », a figure that means nothing for a doctor who
-- sets up their own practice. Two bases are added for it, honoraires (the fees a doctor can
-- expect in a year) and chiffre_affaires (a year's turnover of the practice handed over), and
-- a_discuter, which states no figure. Which basis fits which pathway is the program's rule
-- (OfferKind::pay_kinds); the database keeps the codes and that a figure goes with every
-- basis but a_discuter.
--
-- SQLite cannot change a CHECK constraint nor drop NOT NULL, and rebuilding `offers` would
-- mean rebuilding what references it: new columns are added, filled, the old ones dropped and
-- the new ones given the old names. SQLite adds a NOT NULL column only with a default; every
-- write names the basis, so that default only fills the rows there are now: those whose pay
-- fits their pathway get it back below, the others stay « à discuter ».
ALTER TABLE offers ADD COLUMN pay_basis TEXT NOT NULL DEFAULT 'a_discuter'
    CHECK (pay_basis IN ('retrocession', 'salaire', 'revenu_garanti', 'honoraires', 'chiffre_affaires', 'a_discuter'));
ALTER TABLE offers ADD COLUMN pay_from INTEGER
    CHECK ((pay_from IS NULL) = (pay_basis = 'a_discuter') AND (pay_from IS NULL OR pay_from >= 0));
ALTER TABLE offers ADD COLUMN pay_to INTEGER
    CHECK (pay_to IS NULL OR (pay_from IS NOT NULL AND pay_to >= pay_from));

-- An offer keeps its pay where the pathway allows that basis; elsewhere (an installation paid
-- by rétrocession, mostly) its figure meant nothing.
UPDATE offers SET pay_basis = pay_kind, pay_from = pay_min, pay_to = pay_max
WHERE (kind = 'installation' AND pay_kind = 'revenu_garanti')
    OR (kind = 'remplacement' AND pay_kind IN ('retrocession', 'salaire', 'revenu_garanti'))
    OR (kind = 'exercice_mixte' AND pay_kind IN ('salaire', 'revenu_garanti'))
    OR (kind IN ('salariat', 'stage', 'assistanat') AND pay_kind = 'salaire');

ALTER TABLE offers DROP COLUMN pay_max;
ALTER TABLE offers DROP COLUMN pay_min;
ALTER TABLE offers DROP COLUMN pay_kind;
ALTER TABLE offers RENAME COLUMN pay_basis TO pay_kind;
ALTER TABLE offers RENAME COLUMN pay_from TO pay_min;
ALTER TABLE offers RENAME COLUMN pay_to TO pay_max;
