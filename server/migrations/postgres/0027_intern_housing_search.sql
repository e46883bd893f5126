-- The board's housing filter counts interns' housing for the published stage offers within
-- 20 km of it (app/src/domain/offers/board.rs, INTERNS_HOUSING_KM): a stage offer's search
-- document says so. Every change of a housing that the count reads — its publication, its
-- withdrawal, its end, its commune — queues the stage offers around it in the search outbox,
-- in the change's own transaction.
--
-- "Around" is a box of 0.2° of latitude and 0.3° of longitude, wider than 20 km anywhere in
-- France (a test checks it against the distance the documents use): queuing an offer too many
-- costs one document rewritten with the same facts.
--
-- lapsed_at: unix seconds when the portal's clock found the housing past its end date
-- (server/src/jobs/offers.rs); the documents count the housing neither withdrawn nor lapsed,
-- and the date alone changes no row.

ALTER TABLE intern_housing ADD COLUMN lapsed_at BIGINT;

CREATE FUNCTION search_outbox_queue_stage_offers_near_housing() RETURNS trigger AS $$
DECLARE
    places TEXT[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        places := ARRAY[NEW.commune_code];
    ELSIF TG_OP = 'DELETE' THEN
        places := ARRAY[OLD.commune_code];
    ELSE
        places := ARRAY[OLD.commune_code, NEW.commune_code];
    END IF;
    INSERT INTO search_outbox (entity, entity_key, queued_at)
    SELECT DISTINCT 'offer', CAST(o.id AS TEXT), CAST(EXTRACT(EPOCH FROM now()) AS BIGINT)
    FROM offers o JOIN communes c ON c.code = o.commune_code JOIN communes h ON h.code = ANY (places)
    WHERE o.kind = 'stage' AND o.status = 'publiee' AND ABS(c.lat - h.lat) <= 0.2 AND ABS(c.lon - h.lon) <= 0.3;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER search_intern_housing_insert AFTER INSERT OR DELETE ON intern_housing
    FOR EACH ROW EXECUTE FUNCTION search_outbox_queue_stage_offers_near_housing();
CREATE TRIGGER search_intern_housing_update AFTER UPDATE OF commune_code, withdrawn_at, lapsed_at ON intern_housing
    FOR EACH ROW EXECUTE FUNCTION search_outbox_queue_stage_offers_near_housing();
