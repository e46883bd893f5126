-- The board names the commune searched around by its code in `commune=` (the portal's own
-- links) and reads `autour=` as a person typed it: a name or a postal code (app/src/model/
-- place.rs). Saved searches wrote the code in `autour=`; they say `commune=` from now on, so
-- that a code is never read as a postal code. A parameter's name is never percent-encoded and
-- '=' inside a value always is, so the replacement only meets parameter names.
UPDATE saved_searches SET query = replace(query, 'autour=', 'commune=')
WHERE query LIKE 'autour=%' OR query LIKE '%&autour=%';
