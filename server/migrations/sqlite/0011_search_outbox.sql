-- The search outbox: the index (tantivy or Meilisearch) is derived from the database, never
-- the reverse. Every write that changes what is indexed leaves a row here in its own
-- transaction, through the triggers below, so no code path can forget it; the indexing worker
-- (server/src/search/indexer.rs) reads the current rows of what a row names, applies them to
-- the engine, and deletes the row only once the engine has them. An engine outage delays the
-- index but loses no update.
--
-- entity: offer (entity_key = offer id), structure (FINESS), commune (INSEE code: its offers
-- and structures carry its zonage and names), organisation (id: its offers carry its name).
-- queued_at: unix seconds.

CREATE TABLE search_outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    entity TEXT NOT NULL CHECK (entity IN ('offer', 'structure', 'commune', 'organisation')),
    entity_key TEXT NOT NULL,
    queued_at INTEGER NOT NULL
);

-- Only the columns the index holds: touching updated_at (every write does) queues nothing.
CREATE TRIGGER search_offer_insert AFTER INSERT ON offers BEGIN
    INSERT INTO search_outbox (entity, entity_key, queued_at)
    VALUES ('offer', CAST(NEW.id AS TEXT), CAST(strftime('%s', 'now') AS INTEGER));
END;
CREATE TRIGGER search_offer_update AFTER UPDATE OF title, description, kind, mode, specialty, commune_code, housing,
    start_date, end_date, status, published_at, expires_at, organisation_id ON offers BEGIN
    INSERT INTO search_outbox (entity, entity_key, queued_at)
    VALUES ('offer', CAST(NEW.id AS TEXT), CAST(strftime('%s', 'now') AS INTEGER));
END;
CREATE TRIGGER search_offer_delete AFTER DELETE ON offers BEGIN
    INSERT INTO search_outbox (entity, entity_key, queued_at)
    VALUES ('offer', CAST(OLD.id AS TEXT), CAST(strftime('%s', 'now') AS INTEGER));
END;

CREATE TRIGGER search_structure_insert AFTER INSERT ON health_structures BEGIN
    INSERT INTO search_outbox (entity, entity_key, queued_at)
    VALUES ('structure', NEW.finess, CAST(strftime('%s', 'now') AS INTEGER));
END;
CREATE TRIGGER search_structure_update AFTER UPDATE ON health_structures BEGIN
    INSERT INTO search_outbox (entity, entity_key, queued_at)
    VALUES ('structure', NEW.finess, CAST(strftime('%s', 'now') AS INTEGER));
END;
CREATE TRIGGER search_structure_delete AFTER DELETE ON health_structures BEGIN
    INSERT INTO search_outbox (entity, entity_key, queued_at)
    VALUES ('structure', OLD.finess, CAST(strftime('%s', 'now') AS INTEGER));
END;

CREATE TRIGGER search_commune_insert AFTER INSERT ON communes BEGIN
    INSERT INTO search_outbox (entity, entity_key, queued_at)
    VALUES ('commune', NEW.code, CAST(strftime('%s', 'now') AS INTEGER));
END;
CREATE TRIGGER search_commune_update AFTER UPDATE OF name, postal_codes, departement_code, zonage, lat, lon,
    population ON communes BEGIN
    INSERT INTO search_outbox (entity, entity_key, queued_at)
    VALUES ('commune', NEW.code, CAST(strftime('%s', 'now') AS INTEGER));
END;

CREATE TRIGGER search_organisation_update AFTER UPDATE OF name ON organisations BEGIN
    INSERT INTO search_outbox (entity, entity_key, queued_at)
    VALUES ('organisation', CAST(NEW.id AS TEXT), CAST(strftime('%s', 'now') AS INTEGER));
END;
