-- Organisations (collectivités, health structures, doctors' practices, institutions), their
-- members, invitations by e-mail, and the moderation that verifies them. A new migration rather
-- than an edit of 0003: applied migrations are never changed, so every existing database
-- reaches the same schema. (0004 is another change, made at the same time.)
-- Times are unix seconds, as for accounts; tokens are stored as SHA-256 hex digests.

-- Moderators (ARS, URPS, ordre staff) are appointed by the operator with
-- `server moderateur <email>`, never by themselves.
ALTER TABLE users ADD COLUMN moderator BOOLEAN NOT NULL DEFAULT FALSE;

CREATE TABLE organisations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    -- collectivités: commune, epci, departement; structures: msp, centre_sante, hopital,
    -- cabinet_groupe; cabinet (a doctor's own practice); institutions: ars, urps, ordre
    kind TEXT NOT NULL CHECK (kind IN ('commune', 'epci', 'departement', 'msp', 'centre_sante', 'hopital',
                                       'cabinet_groupe', 'cabinet', 'ars', 'urps', 'ordre')),
    name TEXT NOT NULL,
    -- the territory of a collectivité (or the commune of a cabinet), from the reference data
    commune_code TEXT REFERENCES communes (code),
    epci_siren TEXT REFERENCES epcis (siren),
    departement_code TEXT REFERENCES departements (code),
    -- a structure's FINESS number when it has one (not all are in health_structures: the
    -- imported file covers one region at one date)
    finess TEXT CHECK (finess IS NULL OR length(finess) = 9),
    status TEXT NOT NULL DEFAULT 'en_attente' CHECK (status IN ('en_attente', 'verifiee', 'refusee')),
    rejection_reason TEXT,
    created_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    verified_at INTEGER,
    CHECK ((commune_code IS NOT NULL) = (kind IN ('commune', 'cabinet'))),
    CHECK ((epci_siren IS NOT NULL) = (kind = 'epci')),
    CHECK ((departement_code IS NOT NULL) = (kind = 'departement')),
    CHECK (finess IS NULL OR kind IN ('msp', 'centre_sante', 'hopital', 'cabinet_groupe')),
    CHECK ((rejection_reason IS NOT NULL) = (status = 'refusee'))
);
CREATE INDEX organisations_status ON organisations (status, created_at);

CREATE TABLE memberships (
    organisation_id INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('owner', 'member')),
    created_at INTEGER NOT NULL,
    PRIMARY KEY (organisation_id, user_id)
);
CREATE INDEX memberships_user ON memberships (user_id);

-- An invitation works once, before it expires, for the account with its address.
CREATE TABLE invitations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    -- lowercase address, compared with users.email_key
    email_key TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL CHECK (role IN ('owner', 'member')),
    invited_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    accepted_at INTEGER,
    accepted_by INTEGER REFERENCES users (id) ON DELETE SET NULL
);
CREATE INDEX invitations_organisation ON invitations (organisation_id, email_key);

-- What moderators (and owners resubmitting a refused organisation) did, kept for audit.
-- Append-only: the triggers refuse any change or deletion of a row.
CREATE TABLE moderation_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    -- who acted, and their address at the time (kept if the address changes)
    actor_id INTEGER NOT NULL REFERENCES users (id),
    actor_email TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('approve', 'reject', 'resubmit')),
    reason TEXT,
    created_at INTEGER NOT NULL
);
CREATE INDEX moderation_log_organisation ON moderation_log (organisation_id);

CREATE TRIGGER moderation_log_no_update BEFORE UPDATE ON moderation_log
BEGIN
    SELECT RAISE(ABORT, 'moderation_log is append-only');
END;
CREATE TRIGGER moderation_log_no_delete BEFORE DELETE ON moderation_log
BEGIN
    SELECT RAISE(ABORT, 'moderation_log is append-only');
END;
