//! What crosses the wire between the browser and the server: serde types and the server
//! functions that carry them. Each server function is a thin shim over a service trait whose
//! implementation lives in the server crate.

// Defined before the modules that use it (a macro is visible only after its definition).
/// A table of codes that travel in addresses (`?erreur=…`, `?info=…`) after a form, each with
/// the French sentence the page shows for it: an address can only ever make a page say one of
/// these sentences.
macro_rules! codes {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $code:literal => $message:literal,)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
        pub enum $name { $($variant,)* }

        impl $name {
            pub const ALL: &[$name] = &[$($name::$variant,)*];
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code,)* }
            }
            pub fn from_code(code: &str) -> Option<Self> {
                match code { $($code => Some($name::$variant),)* _ => None }
            }
            pub fn message(self) -> &'static str {
                match self { $($name::$variant => $message,)* }
            }
        }
    };
}

/// A closed list of values, each with its code (in the database, forms and addresses) and its
/// French label.
macro_rules! choices {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $code:literal => $label:literal,)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum $name { $($variant,)* }

        impl $name {
            pub const ALL: &[$name] = &[$($name::$variant,)*];
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code,)* }
            }
            pub fn from_code(code: &str) -> Option<Self> {
                match code { $($code => Some($name::$variant),)* _ => None }
            }
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label,)* }
            }
        }
    };
}

pub mod account;
pub mod aid;
pub mod alert;
pub mod application;
pub mod candidate;
pub mod event;
pub mod map;
pub mod offer;
pub mod open_data;
pub mod organisation;
pub mod profile;
pub mod promotion;
pub mod territory;
