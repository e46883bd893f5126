//! Integration tests: the real server on port 0 against a real database, SQLite by default,
//! PostgreSQL when TEST_DATABASE=postgres (see helpers.rs). CI runs them on both, and the
//! board's on both search engines (TEST_SEARCH_ENGINE, meili.rs).

mod access;
mod account_pages;
mod accounts;
mod alerts;
mod api;
mod applications;
mod backup;
mod browser;
mod candidates;
mod closure;
mod crash;
mod events;
mod forms;
mod guichet;
mod helpers;
mod housing;
mod import;
mod mail;
mod map;
mod meili;
mod moderation;
mod offers;
mod organisations;
mod page_cache;
mod pages;
mod personal_data;
mod retention;
mod reviews;
mod search;
mod search_engine;
mod search_faults;
mod search_index;
mod search_parity;
mod security;
mod seeds;
mod stages;
mod stations;
mod territory_pages;
mod typography;
