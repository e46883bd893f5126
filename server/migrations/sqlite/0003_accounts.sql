-- People's accounts and their sessions. Sessions live in the database, not in a server's
-- memory, so that several server instances behind a load balancer share them.
-- Times are unix seconds; tokens are stored as SHA-256 hex digests, never in clear.

CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email TEXT NOT NULL,
    -- lowercase e-mail: one account per address whatever its spelling
    email_key TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    -- argon2id, PHC string
    password_hash TEXT NOT NULL,
    email_verified_at INTEGER,
    created_at INTEGER NOT NULL
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- ties state-changing forms to the session
    csrf_token TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Links sent by mail: e-mail verification ('verify') and password reset ('reset').
CREATE TABLE account_tokens (
    token_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at INTEGER
);

-- Failed sign-ins per address, for rate limiting that holds across server instances.
CREATE TABLE sign_in_failures (
    email_key TEXT NOT NULL,
    failed_at INTEGER NOT NULL
);
CREATE INDEX sign_in_failures_key ON sign_in_failures (email_key, failed_at);
