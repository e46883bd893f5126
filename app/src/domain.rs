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

        impl crate::domain::Said for $name {
            fn from_code(code: &str) -> Option<Self> {
                <$name>::from_code(code)
            }
            fn message(self) -> &'static str {
                <$name>::message(self)
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

/// A table of `codes!`: the code an address carries and the sentence it makes a page say.
pub trait Said: Copy + Send + Sync + 'static {
    fn from_code(code: &str) -> Option<Self>;
    fn message(self) -> &'static str;
}

/// A form's problem that may concern one of its fields: the page shows its message under that
/// field (`components::Field`) as well as at the top.
pub trait FieldProblem: Said {
    /// The id of the form's field it concerns; None when it concerns the whole form.
    fn field(self) -> Option<&'static str>;
}

/// `FieldProblem` for a table of `codes!` that has its own `field` method.
macro_rules! field_problem {
    ($name:ty) => {
        impl crate::domain::FieldProblem for $name {
            fn field(self) -> Option<&'static str> {
                <$name>::field(self)
            }
        }
    };
}

mod address;
pub use address::Address;

pub mod accounts;
pub mod aids;
pub mod alerts;
pub mod applications;
pub mod candidates;
pub mod events;
pub mod housing;
pub mod map;
pub mod offers;
pub mod open_data;
pub mod organisations;
pub mod profiles;
pub mod promotion;
pub mod reviews;
#[cfg(feature = "ssr")]
pub mod service;
pub mod stages;
pub mod territory;

#[cfg(feature = "ssr")]
pub use service::ServiceError;

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    /// Every table of `codes!` as (table, code, message), problems then notices: a page reads
    /// its own table first and the account one after, so a code must mean one thing everywhere.
    macro_rules! entries {
        ($($table:ty),* $(,)?) => {{
            let mut all: Vec<(&'static str, &'static str, &'static str)> = Vec::new();
            $(
                for entry in <$table>::ALL {
                    assert_eq!(<$table>::from_code(entry.code()), Some(*entry), "{}", entry.code());
                    all.push((stringify!($table), entry.code(), entry.message()));
                }
                assert_eq!(<$table>::from_code("<script>"), None);
                assert_eq!(<$table>::from_code(""), None);
            )*
            all
        }};
    }

    fn unique(entries: &[(&'static str, &'static str, &'static str)]) {
        let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
        for (table, code, message) in entries {
            if let Some(other) = seen.insert(code, table) {
                panic!("« {code} » means something in {other} and in {table}");
            }
            assert!(message.ends_with(['.', '!']), "{table} « {code} »: a sentence");
        }
    }

    #[test]
    fn every_code_reads_back_means_one_thing_and_says_a_sentence() {
        unique(&entries!(
            accounts::Problem,
            aids::AidProblem,
            alerts::AlertProblem,
            applications::ApplicationProblem,
            candidates::WishesProblem,
            events::EventProblem,
            offers::OfferProblem,
            organisations::OrganisationProblem,
            profiles::ProfileProblem,
            promotion::PromotionProblem,
        ));
        unique(&entries!(
            accounts::Notice,
            aids::AidNotice,
            alerts::AlertNotice,
            applications::ApplicationNotice,
            events::EventNotice,
            offers::OfferNotice,
            organisations::OrganisationNotice,
            promotion::PromotionNotice,
        ));
    }
}
