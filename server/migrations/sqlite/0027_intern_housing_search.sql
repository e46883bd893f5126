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

ALTER TABLE intern_housing ADD COLUMN lapsed_at INTEGER;

CREATE TRIGGER search_intern_housing_insert AFTER INSERT ON intern_housing BEGIN
    INSERT INTO search_outbox (entity, entity_key, queued_at)
    SELECT 'offer', CAST(o.id AS TEXT), CAST(strftime('%s', 'now') AS INTEGER)
    FROM offers o JOIN communes c ON c.code = o.commune_code JOIN communes h ON h.code = NEW.commune_code
    WHERE o.kind = 'stage' AND o.status = 'publiee' AND ABS(c.lat - h.lat) <= 0.2 AND ABS(c.lon - h.lon) <= 0.3;
END;
CREATE TRIGGER search_intern_housing_update AFTER UPDATE OF commune_code, withdrawn_at, lapsed_at ON intern_housing
BEGIN
    INSERT INTO search_outbox (entity, entity_key, queued_at)
    SELECT DISTINCT 'offer', CAST(o.id AS TEXT), CAST(strftime('%s', 'now') AS INTEGER)
    FROM offers o JOIN communes c ON c.code = o.commune_code JOIN communes h ON h.code IN (OLD.commune_code, NEW.commune_code)
    WHERE o.kind = 'stage' AND o.status = 'publiee' AND ABS(c.lat - h.lat) <= 0.2 AND ABS(c.lon - h.lon) <= 0.3;
END;
CREATE TRIGGER search_intern_housing_delete AFTER DELETE ON intern_housing BEGIN
    INSERT INTO search_outbox (entity, entity_key, queued_at)
    SELECT 'offer', CAST(o.id AS TEXT), CAST(strftime('%s', 'now') AS INTEGER)
    FROM offers o JOIN communes c ON c.code = o.commune_code JOIN communes h ON h.code = OLD.commune_code
    WHERE o.kind = 'stage' AND o.status = 'publiee' AND ABS(c.lat - h.lat) <= 0.2 AND ABS(c.lon - h.lon) <= 0.3;
END;
