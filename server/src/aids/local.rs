//! The local-aid form checked into what is stored: every field bounded, the source an
//! https:// address, dates in order. Pure, so the rules are tested without a database.

use crate::forms::bounded;
use app::domain::aids::{
    AidCategory, AidProblem, AidProfile, AidPurpose, AidZone, AmountUnit, LocalAidForm, join_codes, split_codes,
};
use app::model::Day;

/// A local aid ready to be stored.
#[derive(Debug, Clone, PartialEq)]
pub struct LocalAid {
    pub name: String,
    pub category: AidCategory,
    pub amount_eur: Option<i64>,
    pub amount_unit: AmountUnit,
    pub amount_text: String,
    pub summary: String,
    pub conditions: String,
    pub zones: String,
    pub profiles: String,
    pub purposes: String,
    /// Comma-joined slugs, each well formed (whether they name aids is the service's to check).
    pub excludes: String,
    pub commitment: Option<String>,
    pub commitment_years: Option<i64>,
    pub source_url: String,
    pub valid_from: Option<Day>,
    pub valid_to: Option<Day>,
}

fn optional_day(raw: &str, problem: AidProblem) -> Result<Option<Day>, AidProblem> {
    match raw.trim() {
        "" => Ok(None),
        raw => Day::parse(raw).map(Some).map_err(|_| problem),
    }
}

impl LocalAid {
    pub fn validate(form: &LocalAidForm) -> Result<Self, AidProblem> {
        let name = bounded(&form.nom, 5, 120, AidProblem::Name)?;
        let category = AidCategory::from_code(form.categorie.trim()).ok_or(AidProblem::Category)?;
        let amount_eur = match form.montant.trim().replace([' ', '\u{a0}', '\u{202f}'], "") {
            raw if raw.is_empty() => None,
            raw => Some(raw.parse::<i64>().ok().filter(|a| (1..=1_000_000).contains(a)).ok_or(AidProblem::Amount)?),
        };
        let amount_unit = match (amount_eur, AmountUnit::from_code(form.unite.trim())) {
            (None, _) => AmountUnit::None,
            (Some(_), Some(unit)) if unit != AmountUnit::None => unit,
            (Some(_), _) => return Err(AidProblem::Unit),
        };
        let amount_text = bounded(&form.montant_texte, 3, 200, AidProblem::AmountText)?;
        let summary = bounded(&form.resume, 20, 600, AidProblem::Summary)?;
        let conditions = bounded(&form.conditions, 10, 2000, AidProblem::Conditions)?;
        let zones = split_codes(&form.zones, AidZone::from_code).ok_or(AidProblem::Zone)?;
        let profiles = split_codes(&form.profils, AidProfile::from_code).ok_or(AidProblem::Profile)?;
        let purposes =
            split_codes(&form.objets, AidPurpose::from_code).filter(|p| !p.is_empty()).ok_or(AidProblem::Purpose)?;
        let mut excludes: Vec<&str> = form.exclusions.split(',').map(str::trim).filter(|s| !s.is_empty()).collect();
        let slug = |s: &str| {
            (1..=120).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        };
        if excludes.len() > 50 || !excludes.iter().all(|s| slug(s)) {
            return Err(AidProblem::Exclusion);
        }
        excludes.sort_unstable();
        excludes.dedup();
        let commitment = match form.engagement.trim() {
            "" => None,
            raw => Some(bounded(raw, 1, 300, AidProblem::Commitment)?),
        };
        let commitment_years = match form.engagement_annees.trim() {
            "" => None,
            raw => Some(raw.parse::<i64>().ok().filter(|y| (1..=20).contains(y)).ok_or(AidProblem::Commitment)?),
        };
        let source_url = form.source.trim().to_owned();
        let host = source_url.strip_prefix("https://").unwrap_or_default();
        if host.len() < 4
            || !host.contains('.')
            || source_url.len() > 500
            || source_url.chars().any(char::is_whitespace)
        {
            return Err(AidProblem::Source);
        }
        let valid_from = optional_day(&form.debut, AidProblem::Start)?;
        let valid_to = optional_day(&form.fin, AidProblem::End)?;
        if let (Some(from), Some(to)) = (valid_from, valid_to)
            && to < from
        {
            return Err(AidProblem::End);
        }
        Ok(Self {
            name,
            category,
            amount_eur,
            amount_unit,
            amount_text,
            summary,
            conditions,
            zones: join_codes(&zones, AidZone::code),
            profiles: join_codes(&profiles, AidProfile::code),
            purposes: join_codes(&purposes, AidPurpose::code),
            excludes: excludes.join(","),
            commitment,
            commitment_years,
            source_url,
            valid_from,
            valid_to,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> LocalAidForm {
        LocalAidForm {
            nom: "Prime communale d'installation".into(),
            categorie: "financiere".into(),
            montant: "5 000".into(),
            unite: "once".into(),
            montant_texte: "5 000 € à l'installation".into(),
            resume: "La commune verse une prime au médecin qui ouvre un cabinet.".into(),
            conditions: "Ouvrir un cabinet dans la commune.".into(),
            zones: "ZIP,ZAC".into(),
            profils: "installe_recent".into(),
            objets: "installation".into(),
            source: "https://www.exemple-commune.fr/deliberation-2026-12".into(),
            debut: "2026-01-01".into(),
            ..LocalAidForm::default()
        }
    }

    #[test]
    fn a_complete_form_is_kept_as_typed() {
        let aid = LocalAid::validate(&form()).unwrap();
        assert_eq!(aid.amount_eur, Some(5000));
        assert_eq!(aid.amount_unit, AmountUnit::Once);
        assert_eq!(aid.zones, "ZIP,ZAC");
        assert_eq!(aid.valid_to, None);
        assert_eq!(aid.excludes, "");
        let excluding = LocalAidForm {
            exclusions: "am-aide-installation-zip, etat-cesp,am-aide-installation-zip".into(),
            ..form()
        };
        assert_eq!(LocalAid::validate(&excluding).unwrap().excludes, "am-aide-installation-zip,etat-cesp");
    }

    #[test]
    fn each_bad_field_is_named() {
        type Change = fn(&mut LocalAidForm);
        let cases: Vec<(Change, AidProblem)> = vec![
            (|f| f.nom = "Aide".into(), AidProblem::Name),
            (|f| f.categorie = "autre".into(), AidProblem::Category),
            (|f| f.montant = "-3".into(), AidProblem::Amount),
            (|f| f.unite = String::new(), AidProblem::Unit),
            (|f| f.zones = "ZIP,XYZ".into(), AidProblem::Zone),
            (|f| f.profils = "chef".into(), AidProblem::Profile),
            (|f| f.objets = String::new(), AidProblem::Purpose),
            (|f| f.objets = "installation,vacances".into(), AidProblem::Purpose),
            (|f| f.source = "javascript:alert(1)".into(), AidProblem::Source),
            (|f| f.source = "http://exemple.fr".into(), AidProblem::Source),
            (|f| f.fin = "2025-12-31".into(), AidProblem::End),
            (|f| f.engagement_annees = "50".into(), AidProblem::Commitment),
            (|f| f.exclusions = "am-aide-installation-zip,Robert'); DROP".into(), AidProblem::Exclusion),
        ];
        for (change, problem) in cases {
            let mut f = form();
            change(&mut f);
            assert_eq!(LocalAid::validate(&f), Err(problem));
        }
    }

    #[test]
    fn no_amount_means_no_unit() {
        let mut f = form();
        f.montant = String::new();
        f.unite = "month".into();
        assert_eq!(LocalAid::validate(&f).unwrap().amount_unit, AmountUnit::None);
    }
}
