-- The accounts' data version: the session layer (server/src/http/session/known.rs) keeps the
-- sessions it looked up in memory while it stays, so that a signed-in page needs no query of
-- its own. Any change of a person or a session (sign-up, sign-in, sign-out, a new name or
-- address, a verified address, moderator rights, sessions closed or swept) changes it at the
-- commit of its transaction, through the triggers below and migration 0016's function: no
-- write can forget it, and every server sees it on its next request.
INSERT INTO data_versions (scope, version) VALUES ('accounts', 0);

CREATE CONSTRAINT TRIGGER data_version_users AFTER INSERT OR UPDATE OR DELETE ON users
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION data_version_bump('accounts');
CREATE CONSTRAINT TRIGGER data_version_sessions AFTER INSERT OR UPDATE OR DELETE ON sessions
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION data_version_bump('accounts');
