//! What crosses the wire between the browser and the server: serde types and the server
//! functions that carry them. Each server function is a thin shim over a service trait whose
//! implementation lives in the server crate.

pub mod account;
pub mod alert;
pub mod application;
pub mod candidate;
pub mod offer;
pub mod organisation;
pub mod profile;
pub mod territory;
