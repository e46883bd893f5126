//! Validated values shared by the server and the browser.

mod codes;
mod slug;
pub mod sources;
mod zonage;

pub use codes::{CodeError, DepartementCode, InseeCode, Siren, TerritoryKey};
pub use slug::{search_form, slugify};
pub use zonage::Zonage;
