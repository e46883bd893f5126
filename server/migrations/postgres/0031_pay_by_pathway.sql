-- Pay that fits each pathway (issue 28). An installation libérale could only state a
-- rétrocession, a salary or a guaranteed income, rétrocession preselected: published offers
-- read « Rétrocession d'honoraires — 100 % », a figure that means nothing for a doctor who
-- sets up their own practice. Two bases are added for it, honoraires (the fees a doctor can
-- expect in a year) and chiffre_affaires (a year's turnover of the practice handed over), and
-- a_discuter, which states no figure. Which basis fits which pathway is the program's rule
-- (OfferKind::pay_kinds); the database keeps the codes and that a figure goes with every
-- basis but a_discuter. Same end state as SQLite's 0031, whose steps differ.
ALTER TABLE offers DROP CONSTRAINT offers_pay_kind_check;
ALTER TABLE offers DROP CONSTRAINT offers_pay_min_check;
ALTER TABLE offers DROP CONSTRAINT offers_pay_max_check;
ALTER TABLE offers ALTER COLUMN pay_min DROP NOT NULL;

-- An offer keeps its pay where the pathway allows that basis; elsewhere (an installation paid
-- by rétrocession, mostly) its figure meant nothing and it becomes « à discuter ».
UPDATE offers SET pay_kind = 'a_discuter', pay_min = NULL, pay_max = NULL
WHERE NOT (
    (kind = 'installation' AND pay_kind = 'revenu_garanti')
    OR (kind = 'remplacement' AND pay_kind IN ('retrocession', 'salaire', 'revenu_garanti'))
    OR (kind = 'exercice_mixte' AND pay_kind IN ('salaire', 'revenu_garanti'))
    OR (kind IN ('salariat', 'stage', 'assistanat') AND pay_kind = 'salaire')
);

ALTER TABLE offers ADD CONSTRAINT offers_pay_kind_check
    CHECK (pay_kind IN ('retrocession', 'salaire', 'revenu_garanti', 'honoraires', 'chiffre_affaires', 'a_discuter'));
ALTER TABLE offers ADD CONSTRAINT offers_pay_min_check
    CHECK ((pay_min IS NULL) = (pay_kind = 'a_discuter') AND (pay_min IS NULL OR pay_min >= 0));
ALTER TABLE offers ADD CONSTRAINT offers_pay_max_check
    CHECK (pay_max IS NULL OR (pay_min IS NOT NULL AND pay_max >= pay_min));
