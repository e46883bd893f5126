-- An alert tells of new offers (query: the board's filters) or of new stage sites (query: the
-- interns' page's choices, faculte, niveau, specialite: SiteFilter::query_string). A site
-- alert tells of the open sites declared after the last one it told of: announced_site_id,
-- the largest site number when the alert was saved, then the largest of each mail (site
-- numbers only grow).

ALTER TABLE saved_searches ADD COLUMN subject TEXT NOT NULL DEFAULT 'offres' CHECK (subject IN ('offres', 'terrains'));
ALTER TABLE saved_searches ADD COLUMN announced_site_id INTEGER;
