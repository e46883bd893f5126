-- The accounts' data version: the session layer (server/src/http/session/known.rs) keeps the
-- sessions it looked up in memory while it stays, so that a signed-in page needs no query of
-- its own. Any change of a person or a session (sign-up, sign-in, sign-out, a new name or
-- address, a verified address, moderator rights, sessions closed or swept) changes it in the
-- very transaction, through the triggers below, as migration 0016 does for public data: no
-- write can forget it, and every server sees it on its next request.
INSERT INTO data_versions (scope, version) VALUES ('accounts', 0);

CREATE TRIGGER data_version_users_insert AFTER INSERT ON users BEGIN
    UPDATE data_versions SET version = version + 1 WHERE scope = '*';
    UPDATE data_versions SET version = (SELECT version FROM data_versions WHERE scope = '*') WHERE scope = 'accounts';
END;
CREATE TRIGGER data_version_users_update AFTER UPDATE ON users BEGIN
    UPDATE data_versions SET version = version + 1 WHERE scope = '*';
    UPDATE data_versions SET version = (SELECT version FROM data_versions WHERE scope = '*') WHERE scope = 'accounts';
END;
CREATE TRIGGER data_version_users_delete AFTER DELETE ON users BEGIN
    UPDATE data_versions SET version = version + 1 WHERE scope = '*';
    UPDATE data_versions SET version = (SELECT version FROM data_versions WHERE scope = '*') WHERE scope = 'accounts';
END;
CREATE TRIGGER data_version_sessions_insert AFTER INSERT ON sessions BEGIN
    UPDATE data_versions SET version = version + 1 WHERE scope = '*';
    UPDATE data_versions SET version = (SELECT version FROM data_versions WHERE scope = '*') WHERE scope = 'accounts';
END;
CREATE TRIGGER data_version_sessions_update AFTER UPDATE ON sessions BEGIN
    UPDATE data_versions SET version = version + 1 WHERE scope = '*';
    UPDATE data_versions SET version = (SELECT version FROM data_versions WHERE scope = '*') WHERE scope = 'accounts';
END;
CREATE TRIGGER data_version_sessions_delete AFTER DELETE ON sessions BEGIN
    UPDATE data_versions SET version = version + 1 WHERE scope = '*';
    UPDATE data_versions SET version = (SELECT version FROM data_versions WHERE scope = '*') WHERE scope = 'accounts';
END;
