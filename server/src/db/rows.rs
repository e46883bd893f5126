//! Typed rows: what a query returns, decoded by column name into the program's types.
//!
//! A row is a `#[derive(sqlx::FromRow)]` struct of its table family's module, read with
//! [`typed`]. Codes stored as text (an offer's kind, a member's role…) and flags stored as 0/1
//! decode through [`Code`] and [`Flag`]: a value the program does not know is an error that
//! names the table, the column and the value, never a plausible default.

use app::domain::aids::{AidCategory, AidProfile, AidPurpose, AidZone, AmountUnit, Exercise, Funder, ScopeKind};
use app::domain::alerts::{AlertSubject, Frequency};
use app::domain::applications::ApplicationStatus;
use app::domain::events::EventKind;
use app::domain::housing::HousingKind;
use app::domain::offers::{
    Housing, OfferKind, OfferMode, OfferStatus, OnCall, PayKind, Secretariat, Semester, Specialty,
};
use app::domain::organisations::{ModerationAction, OrganisationKind, OrganisationStatus, Role};
use app::domain::profiles::Status;
use app::domain::promotion::{CaseStatus, GuichetLevel};
use app::domain::reviews::ReviewStatus;
use app::domain::stages::{Faculty, StageActivity, StageLevel};
use app::domain::territory::{StationClass, StructureKind};
use app::model::{Day, DepartementCode, Finess, InseeCode, Rpps, Zonage};
use sqlx::any::{Any, AnyRow, AnyTypeInfo, AnyValueRef};
use sqlx::error::BoxDynError;
use sqlx::{Decode, FromRow, Type};

/// The table (or family of tables) a row comes from, named in decoding errors.
pub trait Table {
    const TABLE: &'static str;
}

/// `table!(Row, "table")`: rows of type `Row` come from `table`, which decoding errors name.
macro_rules! table {
    ($row:ty, $name:literal) => {
        impl $crate::db::rows::Table for $row {
            const TABLE: &'static str = $name;
        }
    };
}
pub(crate) use table;

/// `row` as an `R`; a column that does not decode is named with its table
/// ("offers.kind : valeur inconnue « x » (type d'offre)").
pub fn typed<R>(row: AnyRow) -> Result<R, sqlx::Error>
where
    R: for<'r> FromRow<'r, AnyRow> + Table,
{
    R::from_row(&row).map_err(|error| match error {
        sqlx::Error::ColumnDecode { index, source } => {
            sqlx::Error::ColumnDecode { index: format!("{}.{}", R::TABLE, index.trim_matches('"')), source }
        }
        sqlx::Error::ColumnNotFound(column) => sqlx::Error::ColumnNotFound(format!("{}.{column}", R::TABLE)),
        other => other,
    })
}

/// A value the program stores as a text code and reads back only if it knows it.
pub trait StoredCode: Sized {
    /// What the code stands for, in the error when it is unknown.
    const WHAT: &'static str;
    fn from_stored(code: &str) -> Option<Self>;
}

/// A column holding a [`StoredCode`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Code<T>(pub T);

impl<T> Type<Any> for Code<T> {
    fn type_info() -> AnyTypeInfo {
        <String as Type<Any>>::type_info()
    }

    fn compatible(ty: &AnyTypeInfo) -> bool {
        <String as Type<Any>>::compatible(ty)
    }
}

impl<'r, T: StoredCode> Decode<'r, Any> for Code<T> {
    fn decode(value: AnyValueRef<'r>) -> Result<Self, BoxDynError> {
        let code = <&str as Decode<Any>>::decode(value)?;
        T::from_stored(code).map(Code).ok_or_else(|| format!("valeur inconnue « {code} » ({})", T::WHAT).into())
    }
}

/// A column holding a comma-separated list of [`StoredCode`]s ("installation,remplacement");
/// empty, an empty list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeList<T>(pub Vec<T>);

impl<T> Type<Any> for CodeList<T> {
    fn type_info() -> AnyTypeInfo {
        <String as Type<Any>>::type_info()
    }

    fn compatible(ty: &AnyTypeInfo) -> bool {
        <String as Type<Any>>::compatible(ty)
    }
}

impl<'r, T: StoredCode> Decode<'r, Any> for CodeList<T> {
    fn decode(value: AnyValueRef<'r>) -> Result<Self, BoxDynError> {
        let text = <&str as Decode<Any>>::decode(value)?;
        text.split(',')
            .map(str::trim)
            .filter(|code| !code.is_empty())
            .map(|code| T::from_stored(code).ok_or_else(|| format!("valeur inconnue « {code} » ({})", T::WHAT).into()))
            .collect::<Result<Vec<T>, BoxDynError>>()
            .map(CodeList)
    }
}

/// A column holding JSON the program wrote (a page's content): text on both engines.
#[derive(Debug, Clone, PartialEq)]
pub struct JsonText<T>(pub T);

impl<T> Type<Any> for JsonText<T> {
    fn type_info() -> AnyTypeInfo {
        <String as Type<Any>>::type_info()
    }

    fn compatible(ty: &AnyTypeInfo) -> bool {
        <String as Type<Any>>::compatible(ty)
    }
}

impl<'r, T: serde::de::DeserializeOwned> Decode<'r, Any> for JsonText<T> {
    fn decode(value: AnyValueRef<'r>) -> Result<Self, BoxDynError> {
        let text = <&str as Decode<Any>>::decode(value)?;
        serde_json::from_str(text).map(JsonText).map_err(|error| format!("JSON illisible : {error}").into())
    }
}

/// A yes-or-no column, stored as 0 or 1 by both engines (SQLite has no boolean).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(transparent)]
pub struct Flag(pub bool);

impl Type<Any> for Flag {
    fn type_info() -> AnyTypeInfo {
        <i64 as Type<Any>>::type_info()
    }

    fn compatible(ty: &AnyTypeInfo) -> bool {
        <i64 as Type<Any>>::compatible(ty)
    }
}

impl<'r> Decode<'r, Any> for Flag {
    fn decode(value: AnyValueRef<'r>) -> Result<Self, BoxDynError> {
        match <i64 as Decode<Any>>::decode(value)? {
            0 => Ok(Flag(false)),
            1 => Ok(Flag(true)),
            other => Err(format!("valeur inconnue « {other} » (oui ou non : 0 ou 1)").into()),
        }
    }
}

/// The codes of `choices!` enums, read with their own `from_code`.
macro_rules! choice_codes {
    ($($name:ty => $what:literal,)*) => {
        $(impl StoredCode for $name {
            const WHAT: &'static str = $what;
            fn from_stored(code: &str) -> Option<Self> {
                <$name>::from_code(code)
            }
        })*
    };
}

choice_codes! {
    OfferKind => "type d'offre",
    OfferMode => "mode d'exercice",
    OfferStatus => "état d'une offre",
    Specialty => "spécialité",
    Semester => "semestre",
    PayKind => "rémunération",
    OnCall => "gardes",
    Secretariat => "secrétariat",
    Housing => "logement",
    OrganisationKind => "type d'organisation",
    OrganisationStatus => "état d'une organisation",
    EventKind => "type d'événement",
    ApplicationStatus => "état d'une candidature",
    ModerationAction => "action de modération",
    Status => "situation professionnelle",
    StructureKind => "type de structure de santé",
    StationClass => "classe de gare",
    Role => "rôle dans une organisation",
    Frequency => "fréquence d'une alerte",
    AlertSubject => "sujet d'une alerte",
    CaseStatus => "état d'une demande au guichet",
    GuichetLevel => "niveau d'un territoire au guichet unique",
    Faculty => "faculté",
    StageLevel => "niveau de stage",
    StageActivity => "activité de stage",
    HousingKind => "type de logement pour internes",
    ReviewStatus => "état d'un avis de stage",
    ScopeKind => "territoire d'une aide",
    Funder => "financeur d'une aide",
    AidCategory => "catégorie d'aide",
    AmountUnit => "unité d'un montant",
    AidZone => "zone d'une aide",
    AidProfile => "profil d'une aide",
    AidPurpose => "objet d'une aide",
    Exercise => "mode d'exercice d'une aide",
}

impl StoredCode for Zonage {
    const WHAT: &'static str = "zonage";
    fn from_stored(code: &str) -> Option<Self> {
        Zonage::from_code(code)
    }
}

/// The validated newtypes, read with their own parser.
macro_rules! parsed_codes {
    ($($name:ty => $what:literal,)*) => {
        $(impl StoredCode for $name {
            const WHAT: &'static str = $what;
            fn from_stored(code: &str) -> Option<Self> {
                <$name>::parse(code).ok()
            }
        })*
    };
}

parsed_codes! {
    InseeCode => "code INSEE",
    DepartementCode => "code de département",
    Finess => "numéro FINESS",
    Day => "date",
    Rpps => "numéro RPPS",
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlx::any::{AnyPoolOptions, install_default_drivers};

    #[derive(Debug, sqlx::FromRow)]
    struct Probe {
        kind: Code<OfferKind>,
        mode: Option<Code<OfferMode>>,
        example: Flag,
    }

    table!(Probe, "offers");

    async fn probe(kind: &str, example: i64) -> Result<Probe, sqlx::Error> {
        install_default_drivers();
        let pool = AnyPoolOptions::new().max_connections(1).connect("sqlite::memory:").await?;
        sqlx::query("SELECT $1 AS kind, NULL AS mode, $2 AS example")
            .bind(kind)
            .bind(example)
            .try_map(typed::<Probe>)
            .fetch_one(&pool)
            .await
    }

    #[tokio::test]
    async fn known_codes_decode_and_unknown_ones_name_their_table_column_and_value() {
        let read = probe("remplacement", 1).await.unwrap();
        assert_eq!((read.kind.0, read.mode, read.example), (OfferKind::Remplacement, None, Flag(true)));
        let error = probe("vacation", 0).await.unwrap_err().to_string();
        assert!(error.contains("offers.kind") && error.contains("« vacation »"), "{error}");
        let error = probe("stage", 2).await.unwrap_err().to_string();
        assert!(error.contains("offers.example") && error.contains("« 2 »"), "{error}");
    }
}
