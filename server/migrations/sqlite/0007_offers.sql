-- Offers of every pathway in one model: installation libérale (création, succession,
-- association, collaboration), salariat, exercice mixte, remplacement, stage d'interne and
-- assistanat. Columns that matter to one kind only are NULL for the others; the service
-- checks which are required. Pay, on-call duty, secretariat, software and housing are
-- mandatory for every kind: what doctors miss most on other boards.
-- Times are unix seconds; calendar dates are ISO 'YYYY-MM-DD' text, which sorts as dates.
-- (0006 is another change, made at the same time.)

CREATE TABLE offers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    kind TEXT NOT NULL CHECK (kind IN ('installation', 'salariat', 'exercice_mixte', 'remplacement', 'stage',
                                       'assistanat')),
    -- installation: creation, succession, association, collaboration; remplacement: ponctuel,
    -- regulier; stage: niveau1, saspas, docteur_junior; assistanat: assistant, adjoint;
    -- NULL for salariat and exercice_mixte
    mode TEXT,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    specialty TEXT NOT NULL,
    -- where the doctor works, and the structure (FINESS) when there is one
    commune_code TEXT NOT NULL REFERENCES communes (code),
    finess TEXT CHECK (finess IS NULL OR length(finess) = 9),
    -- from when (and until when, for a remplacement or a fixed term); a succession's handover date
    start_date TEXT,
    end_date TEXT,
    -- remplacement: days a week
    days_per_week INTEGER CHECK (days_per_week IS NULL OR days_per_week BETWEEN 1 AND 7),
    -- succession: size of the patientèle (patients médecin traitant) and how the handover goes
    patient_count INTEGER CHECK (patient_count IS NULL OR patient_count >= 0),
    handover_plan TEXT,
    -- exercice mixte: half-days a week in each setting
    half_days_liberal INTEGER CHECK (half_days_liberal IS NULL OR half_days_liberal BETWEEN 0 AND 10),
    half_days_salaried INTEGER CHECK (half_days_salaried IS NULL OR half_days_salaried BETWEEN 0 AND 10),
    -- stage: semester (novembre or mai) and its year, maîtres de stage, faculty, transport
    semester TEXT CHECK (semester IS NULL OR semester IN ('novembre', 'mai')),
    semester_year INTEGER,
    supervisors TEXT,
    faculty TEXT,
    transport TEXT,
    -- pay: a rétrocession in % (pay_min..pay_max), or a gross monthly salary or guaranteed
    -- income in euros
    pay_kind TEXT NOT NULL CHECK (pay_kind IN ('retrocession', 'salaire', 'revenu_garanti')),
    pay_min INTEGER NOT NULL CHECK (pay_min >= 0),
    pay_max INTEGER CHECK (pay_max IS NULL OR pay_max >= pay_min),
    on_call TEXT NOT NULL CHECK (on_call IN ('aucune', 'volontaire', 'obligatoire')),
    secretariat TEXT NOT NULL CHECK (secretariat IN ('aucun', 'sur_place', 'a_distance')),
    software TEXT NOT NULL,
    housing TEXT NOT NULL CHECK (housing IN ('non', 'oui', 'aide')),
    -- optional perks: 1 or 0
    practice_provided INTEGER NOT NULL DEFAULT 0 CHECK (practice_provided IN (0, 1)),
    equipment_provided INTEGER NOT NULL DEFAULT 0 CHECK (equipment_provided IN (0, 1)),
    perks TEXT,
    -- brouillon (draft, seen by members only), publiee, pourvue (filled), retiree (withdrawn);
    -- a published offer past expires_at is expired without a write
    status TEXT NOT NULL DEFAULT 'brouillon' CHECK (status IN ('brouillon', 'publiee', 'pourvue', 'retiree')),
    -- demo data, shown as "exemple"
    example INTEGER NOT NULL DEFAULT 0 CHECK (example IN (0, 1)),
    created_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    published_at INTEGER,
    expires_at INTEGER,
    -- when the "still open?" mail went out for the current expiry date
    reminder_sent_at INTEGER,
    closed_at INTEGER,
    -- a published or filled offer was published; a withdrawn one may have stayed a draft
    CHECK (status IN ('brouillon', 'retiree') OR (published_at IS NOT NULL AND expires_at IS NOT NULL))
);
CREATE INDEX offers_live ON offers (status, expires_at);
CREATE INDEX offers_organisation ON offers (organisation_id, status);
CREATE INDEX offers_commune ON offers (commune_code);
