-- One alert per search and person (issue 28): tapping « Créer l'alerte » twice made two
-- identical alerts, and two mails for each new offer. Saving a search a person has already
-- saved now changes only its frequency (server/src/offers/alerts.rs); this index holds that
-- against two submissions at once. The duplicates made before it go first: the oldest alert of
-- each search stays (its unsubscribe link is the one the earliest mails carry).
DELETE FROM saved_search_offers WHERE search_id IN (
    SELECT s.id FROM saved_searches s
    WHERE EXISTS (SELECT 1 FROM saved_searches t
                  WHERE t.user_id = s.user_id AND t.subject = s.subject AND t.query = s.query AND t.id < s.id)
);
DELETE FROM saved_searches WHERE id IN (
    SELECT s.id FROM saved_searches s
    WHERE EXISTS (SELECT 1 FROM saved_searches t
                  WHERE t.user_id = s.user_id AND t.subject = s.subject AND t.query = s.query AND t.id < s.id)
);
CREATE UNIQUE INDEX saved_searches_once ON saved_searches (user_id, subject, query);
