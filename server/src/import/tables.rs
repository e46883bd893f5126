//! The tables the import fills, column by column, in the order their foreign keys need.

/// The SQL type of a column, as the import reads it back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    OptText,
    Int,
    OptInt,
    Real,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Text(String),
    OptText(Option<String>),
    Int(i64),
    OptInt(Option<i64>),
    Real(f64),
}

pub type Row = Vec<Value>;

/// A table: its name, its columns, and how many leading columns form the primary key.
#[derive(Debug)]
pub struct Table {
    pub name: &'static str,
    /// Shown in the summary.
    pub label: &'static str,
    pub columns: &'static [(&'static str, Kind)],
    pub key_len: usize,
}

use Kind::*;

pub const REGIONS: Table = Table {
    name: "regions",
    label: "régions",
    columns: &[("code", Text), ("name", Text), ("slug", Text), ("population", Int)],
    key_len: 1,
};

pub const DEPARTEMENTS: Table = Table {
    name: "departements",
    label: "départements",
    columns: &[("code", Text), ("name", Text), ("slug", Text), ("region_code", Text), ("population", Int)],
    key_len: 1,
};

pub const EPCIS: Table = Table {
    name: "epcis",
    label: "EPCI",
    columns: &[
        ("siren", Text),
        ("name", Text),
        ("slug", Text),
        ("kind", Text),
        ("financing", Text),
        ("population_totale", Int),
        ("population_municipale", Int),
        ("communes_total", Int),
        ("communes_region", Int),
    ],
    key_len: 1,
};

pub const COMMUNES: Table = Table {
    name: "communes",
    label: "communes",
    columns: &[
        ("code", Text),
        ("name", Text),
        ("slug", Text),
        ("search_name", Text),
        ("departement_code", Text),
        ("epci_siren", OptText),
        ("siren", Text),
        ("postal_codes", Text),
        ("population", Int),
        ("lat", Real),
        ("lon", Real),
        ("lat_inside", Real),
        ("lon_inside", Real),
        ("surface_km2", Real),
        ("zonage", OptText),
    ],
    key_len: 1,
};

pub const APL: Table = Table {
    name: "apl",
    label: "APL (commune × année)",
    columns: &[
        ("commune_code", Text),
        ("year", Int),
        ("apl", Real),
        ("apl_under65", Real),
        ("population_standardised", Real),
        ("population_total", Int),
    ],
    key_len: 2,
};

pub const HEALTH_STRUCTURES: Table = Table {
    name: "health_structures",
    label: "structures FINESS",
    columns: &[
        ("finess", Text),
        ("finess_ej", Text),
        ("kind", Text),
        ("name", Text),
        ("category_code", Text),
        ("category", Text),
        ("address", Text),
        ("postal_code", Text),
        ("city", Text),
        ("phone", OptText),
        ("opened_on", OptText),
        ("updated_on", OptText),
        ("lat", Real),
        ("lon", Real),
        ("commune_code", Text),
    ],
    key_len: 1,
};

pub const GEOMETRIES: Table = Table {
    name: "geometries",
    label: "contours",
    columns: &[("kind", Text), ("code", Text), ("geojson", Text)],
    key_len: 2,
};

pub const QPV: Table = Table {
    name: "qpv",
    label: "quartiers prioritaires",
    columns: &[("code", Text), ("name", Text), ("commune_code", Text)],
    key_len: 1,
};

pub const STATIONS: Table = Table {
    name: "stations",
    label: "gares",
    columns: &[
        ("code", Text),
        ("name", Text),
        ("class", Text),
        ("lat", Real),
        ("lon", Real),
        ("commune_code", Text),
        ("uic_codes", Text),
    ],
    key_len: 1,
};

/// The catalogue's aids only: the local aids of collectivités are rows of the same table that
/// the import counts as "absent" and leaves alone.
pub const AIDS: Table = Table {
    name: "aids",
    label: "aides (catalogue)",
    columns: &[
        ("slug", Text),
        ("name", Text),
        ("funder", Text),
        ("category", Text),
        ("amount_eur", OptInt),
        ("amount_unit", Text),
        ("amount_text", Text),
        ("summary", Text),
        ("conditions", Text),
        ("zones", Text),
        ("profiles", Text),
        ("exercise", Text),
        ("commitment", OptText),
        ("commitment_years", OptInt),
        ("scope_kind", Text),
        ("scope_code", OptText),
        ("source_url", Text),
        ("valid_from", OptText),
        ("valid_to", OptText),
        ("checked_on", Text),
        ("departements", Text),
        ("purposes", Text),
        ("excludes", Text),
    ],
    key_len: 1,
};
