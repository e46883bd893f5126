//! What an organisation is, as typed in its form: kind, name, and the code that ties it to the
//! reference data (a commune's INSEE code, an EPCI's SIREN, a département, a FINESS number).

use super::OrganisationError;
use crate::db::rows::{Code, table, typed};
use app::domain::organisations::{NAME_MAX_CHARS, OrganisationKind, ReferenceKind};
use app::domain::territory::StructureKind;
use app::model::{DepartementCode, Finess, InseeCode, Siren};
use sqlx::AnyConnection;

/// The code of an organisation, checked against the reference data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reference {
    /// A commune of the `communes` table (a commune, or a doctor's own practice).
    Commune(InseeCode),
    /// An EPCI of the `epcis` table.
    Epci(Siren),
    /// A département of the `departements` table.
    Departement(DepartementCode),
    /// A well-formed FINESS number, of a structure of the same kind when `health_structures`
    /// has it.
    Finess(Finess),
    /// Institutions, and structures without a FINESS number.
    None,
}

impl Reference {
    /// The values of the columns commune_code, epci_siren, departement_code, finess.
    pub(super) fn columns(&self) -> [Option<String>; 4] {
        match self {
            Reference::Commune(code) => [Some(code.to_string()), None, None, None],
            Reference::Epci(siren) => [None, Some(siren.to_string()), None, None],
            Reference::Departement(code) => [None, None, Some(code.to_string()), None],
            Reference::Finess(finess) => [None, None, None, Some(finess.to_string())],
            Reference::None => [None, None, None, None],
        }
    }
}

/// An organisation as its form describes it, every part checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Described {
    pub kind: OrganisationKind,
    /// Whitespace collapsed, 2 to `NAME_MAX_CHARS` characters.
    pub name: String,
    /// Checked against the imported reference data.
    pub reference: Reference,
}

/// The name as it will be shown: inner whitespace collapsed, control characters refused (a
/// name goes into mail subjects).
fn name(raw: &str) -> Result<String, OrganisationError> {
    let name = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    let fits = (2..=NAME_MAX_CHARS).contains(&name.chars().count()) && !name.chars().any(char::is_control);
    if fits { Ok(name) } else { Err(OrganisationError::Name) }
}

/// Checks a form (kind code, name, code) against the rules and the reference data.
pub async fn describe(
    conn: &mut AnyConnection,
    kind: &str,
    raw_name: &str,
    code: &str,
) -> Result<Described, OrganisationError> {
    let kind = OrganisationKind::from_code(kind.trim()).ok_or(OrganisationError::Kind)?;
    let name = name(raw_name)?;
    let reference = reference(conn, kind, code).await?;
    Ok(Described { kind, name, reference })
}

async fn reference(
    conn: &mut AnyConnection,
    kind: OrganisationKind,
    raw: &str,
) -> Result<Reference, OrganisationError> {
    // People type codes with spaces ("241 200 567") and Corsican letters in lowercase.
    let code: String = raw.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_uppercase();
    let expected = kind.reference();
    if code.is_empty() {
        return match expected {
            ReferenceKind::OptionalFiness | ReferenceKind::None => Ok(Reference::None),
            missing => Err(OrganisationError::CodeMissing(missing)),
        };
    }
    match expected {
        ReferenceKind::Commune => {
            let commune = InseeCode::parse(&code)?;
            if exists(conn, "SELECT code FROM communes WHERE code = $1", commune.as_str()).await? {
                return Ok(Reference::Commune(commune));
            }
            let named = communes_with_postal_code(conn, commune.as_str()).await?;
            if named.is_empty() {
                Err(OrganisationError::UnknownCommune(code))
            } else {
                Err(OrganisationError::PostalCode { code, communes: named })
            }
        }
        ReferenceKind::Epci => {
            let siren = Siren::parse(&code)?;
            if exists(conn, "SELECT siren FROM epcis WHERE siren = $1", siren.as_str()).await? {
                Ok(Reference::Epci(siren))
            } else {
                Err(OrganisationError::UnknownEpci(code))
            }
        }
        ReferenceKind::Departement => {
            // "9" is how many people write the Ariège.
            let padded = if code.len() == 1 { format!("0{code}") } else { code.clone() };
            let departement = DepartementCode::parse(&padded)?;
            if exists(conn, "SELECT code FROM departements WHERE code = $1", departement.as_str()).await? {
                Ok(Reference::Departement(departement))
            } else {
                Err(OrganisationError::UnknownDepartement(code))
            }
        }
        ReferenceKind::OptionalFiness => {
            let finess = Finess::parse(&code)?;
            check_structure_kind(conn, kind, &finess).await?;
            Ok(Reference::Finess(finess))
        }
        ReferenceKind::None => Err(OrganisationError::CodeNotExpected),
    }
}

async fn exists(conn: &mut AnyConnection, sql: &'static str, code: &str) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query(sql).bind(code.to_owned()).fetch_optional(conn).await?.is_some())
}

/// (INSEE code, "Rodez (12202)") for each commune whose postal codes include `code`, the most
/// populated first: people often type the postal code where the INSEE code is asked.
async fn communes_with_postal_code(conn: &mut AnyConnection, code: &str) -> Result<Vec<(String, String)>, sqlx::Error> {
    if !code.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(Vec::new());
    }
    // postal_codes is "12000" or "12000;12850": match one whole element.
    #[derive(sqlx::FromRow)]
    struct Named {
        name: String,
        code: String,
    }
    table!(Named, "communes");
    let rows = sqlx::query(
        "SELECT name, code FROM communes
         WHERE ';' || postal_codes || ';' LIKE '%;' || $1 || ';%'
         ORDER BY population DESC LIMIT 5",
    )
    .bind(code.to_owned())
    .try_map(typed::<Named>)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|c| (c.code.clone(), format!("{} ({})", c.name, c.code))).collect())
}

/// A FINESS number of the imported file must belong to a structure of the kind chosen (the
/// FINESS of a hospital does not make an MSP). A number absent from the file is accepted on
/// its shape and check digit alone: the file covers one region at one date, and moderators
/// verify the rest.
async fn check_structure_kind(
    conn: &mut AnyConnection,
    kind: OrganisationKind,
    finess: &Finess,
) -> Result<(), OrganisationError> {
    #[derive(sqlx::FromRow)]
    struct Registered {
        kind: Code<StructureKind>,
        name: String,
    }
    table!(Registered, "health_structures");
    let Some(row) = sqlx::query("SELECT kind, name FROM health_structures WHERE finess = $1")
        .bind(finess.to_string())
        .try_map(typed::<Registered>)
        .fetch_optional(conn)
        .await?
    else {
        return Ok(());
    };
    let registered = row.kind.0;
    let fits = matches!(
        (kind, registered),
        (OrganisationKind::Msp, StructureKind::Msp)
            | (OrganisationKind::CentreSante, StructureKind::CentreSante)
            | (OrganisationKind::Hopital, StructureKind::Etablissement)
    );
    if fits {
        Ok(())
    } else {
        Err(OrganisationError::FinessOtherKind {
            finess: finess.to_string(),
            name: row.name,
            registered: registered.label(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_tidied_and_bounded() {
        assert_eq!(name("  Mairie   de\tRodez ").unwrap(), "Mairie de Rodez");
        assert!(matches!(name("M"), Err(OrganisationError::Name)));
        assert!(matches!(name(&"a".repeat(NAME_MAX_CHARS + 1)), Err(OrganisationError::Name)));
        assert!(name(&"é".repeat(NAME_MAX_CHARS)).is_ok(), "characters, not bytes");
        assert!(matches!(name("MSP\u{0}du Lot"), Err(OrganisationError::Name)));
    }

    #[test]
    fn each_reference_fills_one_column() {
        let commune = Reference::Commune(InseeCode::parse("12202").unwrap());
        assert_eq!(commune.columns(), [Some("12202".to_owned()), None, None, None]);
        let finess = Reference::Finess(Finess::parse("120000039").unwrap());
        assert_eq!(finess.columns(), [None, None, None, Some("120000039".to_owned())]);
        assert_eq!(Reference::None.columns(), [None, None, None, None]);
    }
}
