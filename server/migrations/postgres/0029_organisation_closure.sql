-- Closing an organisation (issue 26): see the SQLite migration of the same number for the why.
ALTER TABLE organisations ADD COLUMN closed_at BIGINT;

DROP TRIGGER data_version_organisations ON organisations;
CREATE CONSTRAINT TRIGGER data_version_organisations
    AFTER INSERT OR DELETE OR UPDATE OF kind, name, commune_code, epci_siren, departement_code, finess, status, closed_at
    ON organisations
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION data_version_bump('organisations');

-- Two more actions in the moderation log: 'close' and 'take_over'.
ALTER TABLE moderation_log DROP CONSTRAINT moderation_log_action_check;
ALTER TABLE moderation_log ADD CONSTRAINT moderation_log_action_check
    CHECK (action IN ('approve', 'reject', 'resubmit', 'close', 'take_over'));
