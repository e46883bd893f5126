//! Validated values shared by the server and the browser.

mod codes;
mod day;
mod email;
mod finess;
mod geo;
mod place;
mod rpps;
mod slug;
pub mod sources;
mod zonage;

pub use codes::{CodeError, DepartementCode, InseeCode, Siren, TerritoryKey};
pub use day::{Day, DayError};
pub use email::{Email, EmailError};
pub use finess::{Finess, FinessError};
pub use geo::{Bounds, BoundsError, distance_km};
pub use place::{Around, PLACE_MAX, PlaceKey, PlaceName, place_label};
pub use rpps::{Rpps, RppsError};
pub use slug::{search_form, slugify};
pub use zonage::Zonage;
