-- Pay that fits each pathway (issue 28). An installation libérale could only state a
-- rétrocession, a salary or a guaranteed income, rétrocession preselected: published offers
-- read « Rétrocession d'honoraires — 100 % », a figure that means nothing for a doctor who
-- sets up their own practice. Two bases are added for it, honoraires (the fees a doctor can
-- expect in a year) and chiffre_affaires (a year's turnover of the practice handed over), and
-- a_discuter, which states no figure. Which basis fits which pathway is the program's rule
-- (OfferKind::pay_kinds); the database keeps the codes and that a figure goes with every
-- basis but a_discuter. Same end state as SQLite's 0031, whose steps differ.
-- The pay checks of 0007, whatever PostgreSQL named them (a check over two columns is named
-- after the table, not the column).
DO $$
DECLARE pay_check record;
BEGIN
    FOR pay_check IN
        SELECT conname FROM pg_constraint
        WHERE conrelid = 'offers'::regclass AND contype = 'c' AND pg_get_constraintdef(oid) ~ 'pay_(kind|min|max)'
    LOOP
        EXECUTE format('ALTER TABLE offers DROP CONSTRAINT %I', pay_check.conname);
    END LOOP;
END $$;
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
