-- Demonstration organisations (`server exemples`): what they publish (offers, events, aids,
-- territory pages) is marked « exemple » on the pages, which ask search engines not to index
-- it, and stays out of the sitemap and of the feeds meant for job engines. Set only at their
-- creation, so it needs no data version of its own.
ALTER TABLE organisations ADD COLUMN example BIGINT NOT NULL DEFAULT 0 CHECK (example IN (0, 1));
