-- How many doctors the team counts, the post offered included, as the offer states it (NULL:
-- not said). With the structure's kind it tells "exercice en équipe" apart from practice
-- alone, for the board's filter and the matching (candidates::in_team).
ALTER TABLE offers ADD COLUMN team_size INTEGER CHECK (team_size IS NULL OR team_size BETWEEN 1 AND 500);
