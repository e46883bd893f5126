//! The server of Médecins & Territoires: configuration, storage, reference-data import, accounts, organisations and
//! their moderation, mail with its outbox and worker, and the HTTP application that serves the Leptos UI.

pub mod accounts;
pub mod aids;
pub mod applications;
pub mod backup;
pub mod cache;
pub mod candidates;
pub mod clock;
pub mod config;
pub mod db;
pub mod demo;
pub mod events;
pub mod feeds;
pub mod forms;
pub mod housing;
pub mod http;
pub mod import;
pub mod jobs;
pub mod mail;
pub mod map;
pub mod offers;
pub mod open_api;
pub mod organisations;
pub mod people;
pub mod promotion;
pub mod reviews;
pub mod search;
pub mod stages;
pub mod startup;
pub mod telemetry;
pub mod territory;
