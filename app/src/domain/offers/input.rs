//! The offer form as posted (every field text, so that nothing typed is lost on an error) and
//! its validation into typed fields. Pure: the same rules run in the server's handler and
//! could run in the browser; what needs the database (does the commune exist, is the FINESS
//! number a structure we know) is the server's to check.

use super::choices::*;
use super::problems::OfferProblem as P;
use crate::model::{Day, Finess, InseeCode};
use serde::{Deserialize, Serialize};

/// Longest title, in characters.
pub const TITLE_MAX: usize = 120;
/// Longest description, in characters.
pub const DESCRIPTION_MAX: usize = 5000;
/// Longest free text of a secondary field (handover plan, perks, transport…).
pub const NOTE_MAX: usize = 1000;
/// The largest team an offer may state, in doctors (a large hospital's department).
pub const MAX_TEAM_SIZE: i64 = 500;
/// Days an offer stays published when the form does not say.
pub const DEFAULT_PUBLICATION_DAYS: i64 = 60;
/// Longest publication, in days: an offer is reconfirmed at least this often.
pub const MAX_PUBLICATION_DAYS: i64 = 180;

/// The offer form's fields, as text. Field names are French, as in the address bar.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct OfferForm {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(rename = "modalite")]
    pub mode: String,
    #[serde(rename = "titre")]
    pub title: String,
    pub description: String,
    #[serde(rename = "specialite")]
    pub specialty: String,
    pub commune: String,
    pub finess: String,
    #[serde(rename = "debut")]
    pub start: String,
    #[serde(rename = "fin")]
    pub end: String,
    #[serde(rename = "jours_par_semaine")]
    pub days_per_week: String,
    #[serde(rename = "patientele")]
    pub patient_count: String,
    #[serde(rename = "transmission")]
    pub handover_plan: String,
    #[serde(rename = "demi_journees_liberal")]
    pub half_days_liberal: String,
    #[serde(rename = "demi_journees_salarie")]
    pub half_days_salaried: String,
    #[serde(rename = "semestre")]
    pub semester: String,
    #[serde(rename = "annee_semestre")]
    pub semester_year: String,
    #[serde(rename = "maitres_de_stage")]
    pub supervisors: String,
    #[serde(rename = "faculte")]
    pub faculty: String,
    /// A stage offer's site: the id of one of the organisation's stage sites, or nothing.
    #[serde(rename = "terrain")]
    pub stage_site: String,
    pub transport: String,
    #[serde(rename = "remuneration")]
    pub pay_kind: String,
    #[serde(rename = "remuneration_min")]
    pub pay_min: String,
    #[serde(rename = "remuneration_max")]
    pub pay_max: String,
    #[serde(rename = "gardes")]
    pub on_call: String,
    #[serde(rename = "secretariat")]
    pub secretariat: String,
    #[serde(rename = "logiciel")]
    pub software: String,
    #[serde(rename = "logement")]
    pub housing: String,
    /// "oui" when the checkbox is ticked.
    #[serde(rename = "cabinet_fourni")]
    pub practice_provided: String,
    #[serde(rename = "materiel_fourni")]
    pub equipment_provided: String,
    #[serde(rename = "atouts")]
    pub perks: String,
    /// Doctors in the team, the post offered included.
    #[serde(rename = "medecins_equipe")]
    pub team_size: String,
    /// Last day of publication.
    #[serde(rename = "publier_jusqu_au")]
    pub publish_until: String,
}

/// A valid offer, ready to be stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfferFields {
    pub kind: OfferKind,
    pub mode: Option<OfferMode>,
    pub title: String,
    pub description: String,
    pub specialty: Specialty,
    pub commune: InseeCode,
    pub finess: Option<Finess>,
    pub start: Option<Day>,
    pub end: Option<Day>,
    pub days_per_week: Option<i64>,
    pub patient_count: Option<i64>,
    pub handover_plan: Option<String>,
    pub half_days_liberal: Option<i64>,
    pub half_days_salaried: Option<i64>,
    pub semester: Option<(Semester, i64)>,
    pub supervisors: Option<String>,
    pub faculty: Option<String>,
    /// A stage offer's site (one of its organisation's, checked by the server).
    pub stage_site: Option<i64>,
    pub transport: Option<String>,
    pub pay: Pay,
    pub on_call: OnCall,
    pub secretariat: Secretariat,
    pub software: String,
    pub housing: Housing,
    pub practice_provided: bool,
    pub equipment_provided: bool,
    pub perks: Option<String>,
    /// Doctors in the team, the post offered included (1: practice alone); None: not said.
    pub team_size: Option<i64>,
    pub publish_until: Day,
}

/// What the offer states of pay: its basis and, but for « à discuter », a figure or a range in
/// the basis's unit (a rétrocession in %, a salary in euros gross a month, honoraires in euros
/// a year…). Made by `Pay::new`, which refuses a figure that does not go with its basis.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pay {
    pub kind: PayKind,
    pub min: Option<i64>,
    pub max: Option<i64>,
}

impl Pay {
    /// None when the figures do not go with the basis: one for « à discuter », none for any
    /// other basis, or a top below the bottom.
    pub fn new(kind: PayKind, min: Option<i64>, max: Option<i64>) -> Option<Pay> {
        let fits = match (kind, min, max) {
            (PayKind::ADiscuter, None, None) => true,
            (PayKind::ADiscuter, _, _) | (_, None, _) => false,
            (_, Some(min), max) => min >= 0 && max.is_none_or(|max| max >= min),
        };
        fits.then_some(Pay { kind, min, max })
    }

    /// The figure alone, in its unit: "70 à 80 %", "4 500 € brut par mois"; None « à discuter ».
    pub fn figure(self) -> Option<String> {
        let (min, unit) = (self.min?, self.kind.unit()?);
        let figure = |n: i64| crate::format::int(n);
        // The unit starts with « % » or « € »: never alone at the start of a line.
        Some(match self.max {
            Some(max) if max != min => format!("{} à {} {unit}", figure(min), figure(max)),
            _ => format!("{} {unit}", figure(min)),
        })
    }

    /// What the figure is and the figure, as cards and pages show it: "Rétrocession
    /// d'honoraires : 70 à 80 %", "Honoraires attendus : 150 000 € par an", "Rémunération à
    /// discuter". A bare "100 %" told nobody what it was a hundred per cent of.
    pub fn text(self) -> String {
        match self.figure() {
            Some(figure) => format!("{} : {figure}", self.kind.label()),
            None => "Rémunération à discuter".to_owned(),
        }
    }
}

fn chars(text: &str) -> usize {
    text.chars().count()
}

/// Trimmed text, None when empty; an error when longer than `max` characters.
fn note(raw: &str, max: usize, too_long: P) -> Result<Option<String>, P> {
    let text = raw.trim();
    match chars(text) {
        0 => Ok(None),
        n if n > max => Err(too_long),
        _ => Ok(Some(text.to_owned())),
    }
}

/// A whole number in `range`, with French habits allowed ("4 500", "4 500 €", "70 %").
fn number(raw: &str, range: std::ops::RangeInclusive<i64>, problem: P) -> Result<Option<i64>, P> {
    let digits: String = raw
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{a0}' && *c != '\u{202f}' && *c != '€' && *c != '%')
        .collect();
    if digits.is_empty() {
        return Ok(None);
    }
    match digits.parse::<i64>() {
        Ok(n) if range.contains(&n) => Ok(Some(n)),
        _ => Err(problem),
    }
}

fn required<T>(value: Option<T>, problem: P) -> Result<T, P> {
    value.ok_or(problem)
}

fn day(raw: &str, problem: P) -> Result<Option<Day>, P> {
    if raw.trim().is_empty() { Ok(None) } else { Day::parse(raw).map(Some).map_err(|_| problem) }
}

impl OfferForm {
    /// The form of a stored offer, to edit it.
    pub fn of(fields: &OfferFields) -> Self {
        let text = |n: Option<i64>| n.map(|n| n.to_string()).unwrap_or_default();
        let flag = |b: bool| if b { "oui".to_owned() } else { String::new() };
        Self {
            kind: fields.kind.code().to_owned(),
            mode: fields.mode.map(|m| m.code().to_owned()).unwrap_or_default(),
            title: fields.title.clone(),
            description: fields.description.clone(),
            specialty: fields.specialty.code().to_owned(),
            commune: fields.commune.to_string(),
            finess: fields.finess.as_ref().map(ToString::to_string).unwrap_or_default(),
            start: fields.start.map(|d| d.to_string()).unwrap_or_default(),
            end: fields.end.map(|d| d.to_string()).unwrap_or_default(),
            days_per_week: text(fields.days_per_week),
            patient_count: text(fields.patient_count),
            handover_plan: fields.handover_plan.clone().unwrap_or_default(),
            half_days_liberal: text(fields.half_days_liberal),
            half_days_salaried: text(fields.half_days_salaried),
            semester: fields.semester.map(|(s, _)| s.code().to_owned()).unwrap_or_default(),
            semester_year: text(fields.semester.map(|(_, y)| y)),
            supervisors: fields.supervisors.clone().unwrap_or_default(),
            faculty: fields.faculty.clone().unwrap_or_default(),
            stage_site: text(fields.stage_site),
            transport: fields.transport.clone().unwrap_or_default(),
            pay_kind: fields.pay.kind.code().to_owned(),
            pay_min: text(fields.pay.min),
            pay_max: text(fields.pay.max),
            on_call: fields.on_call.code().to_owned(),
            secretariat: fields.secretariat.code().to_owned(),
            software: fields.software.clone(),
            housing: fields.housing.code().to_owned(),
            practice_provided: flag(fields.practice_provided),
            equipment_provided: flag(fields.equipment_provided),
            perks: fields.perks.clone().unwrap_or_default(),
            team_size: text(fields.team_size),
            publish_until: fields.publish_until.to_string(),
        }
    }

    /// Checks every field against the rules of the offer's kind, `today` being the day of the
    /// request. The first problem found is returned, in the order of the form.
    pub fn validate(&self, today: Day) -> Result<OfferFields, P> {
        let kind = OfferKind::from_code(self.kind.trim()).ok_or(P::KindMissing)?;
        let mode = if kind.modes().is_empty() {
            None
        } else {
            let mode = OfferMode::from_code(self.mode.trim()).ok_or(P::ModeMissing)?;
            if !kind.modes().contains(&mode) {
                return Err(P::ModeMissing);
            }
            Some(mode)
        };
        let title = self.title.trim().to_owned();
        if !(5..=TITLE_MAX).contains(&chars(&title)) {
            return Err(P::Title);
        }
        let description = self.description.trim().to_owned();
        if !(20..=DESCRIPTION_MAX).contains(&chars(&description)) {
            return Err(P::Description);
        }
        let specialty = Specialty::from_code(self.specialty.trim()).ok_or(P::Specialty)?;
        if self.commune.trim().is_empty() {
            return Err(P::CommuneMissing);
        }
        let commune = InseeCode::parse(&self.commune).map_err(|_| P::CommuneInvalid)?;
        let finess = match self.finess.trim() {
            "" => None,
            raw => Some(Finess::parse(raw).map_err(|_| P::FinessInvalid)?),
        };

        let start = day(&self.start, P::StartInvalid)?;
        let end = day(&self.end, P::EndInvalid)?;
        let needs_start = matches!(kind, OfferKind::Remplacement) || mode == Some(OfferMode::Succession);
        if needs_start && start.is_none() {
            return Err(P::StartMissing);
        }
        if mode == Some(OfferMode::Ponctuel) && end.is_none() {
            return Err(P::EndMissing);
        }
        if let (Some(start), Some(end)) = (start, end)
            && end < start
        {
            return Err(P::EndBeforeStart);
        }
        if end.is_some_and(|end| end < today) {
            return Err(P::EndPassed);
        }
        if start.is_some_and(|start| today.days_until(start) > 3 * 365) {
            return Err(P::StartTooFar);
        }

        let days_per_week = number(&self.days_per_week, 1..=7, P::DaysPerWeek)?;
        let days_per_week =
            if kind == OfferKind::Remplacement { Some(required(days_per_week, P::DaysPerWeek)?) } else { None };
        let succession = mode == Some(OfferMode::Succession);
        let patient_count = number(&self.patient_count, 0..=20_000, P::PatientCount)?.filter(|_| succession);
        let handover_plan = note(&self.handover_plan, NOTE_MAX, P::NoteTooLong)?.filter(|_| succession);

        let (half_days_liberal, half_days_salaried) = if kind == OfferKind::ExerciceMixte {
            let liberal = required(number(&self.half_days_liberal, 0..=10, P::HalfDays)?, P::HalfDays)?;
            let salaried = required(number(&self.half_days_salaried, 0..=10, P::HalfDays)?, P::HalfDays)?;
            if liberal == 0 || salaried == 0 || liberal + salaried > 10 {
                return Err(P::HalfDays);
            }
            (Some(liberal), Some(salaried))
        } else {
            (None, None)
        };

        let stage_site = match (kind, self.stage_site.trim()) {
            (OfferKind::Stage, "") => None,
            (OfferKind::Stage, site) => Some(site.parse::<i64>().map_err(|_| P::StageSite)?),
            _ => None,
        };
        let (semester, supervisors, faculty, transport) = if kind == OfferKind::Stage {
            let semester = Semester::from_code(self.semester.trim()).ok_or(P::Semester)?;
            let this_year = today_year(today);
            let year = required(number(&self.semester_year, this_year..=this_year + 2, P::Semester)?, P::Semester)?;
            let supervisors = note(&self.supervisors, 300, P::NoteTooLong)?.ok_or(P::Supervisors)?;
            (
                Some((semester, year)),
                Some(supervisors),
                note(&self.faculty, 120, P::NoteTooLong)?,
                note(&self.transport, NOTE_MAX, P::NoteTooLong)?,
            )
        } else {
            (None, None, None, None)
        };

        let pay = self.pay(kind, mode)?;
        let on_call = OnCall::from_code(self.on_call.trim()).ok_or(P::OnCall)?;
        let secretariat = Secretariat::from_code(self.secretariat.trim()).ok_or(P::Secretariat)?;
        let software = self.software.trim().to_owned();
        if !(2..=80).contains(&chars(&software)) {
            return Err(P::Software);
        }
        let housing = Housing::from_code(self.housing.trim()).ok_or(P::Housing)?;
        let perks = note(&self.perks, NOTE_MAX, P::NoteTooLong)?;
        let team_size = number(&self.team_size, 1..=MAX_TEAM_SIZE, P::TeamSize)?;

        let publish_until = match day(&self.publish_until, P::PublishUntil)? {
            None => today.plus_days(DEFAULT_PUBLICATION_DAYS),
            Some(until) if until > today && today.days_until(until) <= MAX_PUBLICATION_DAYS => until,
            Some(_) => return Err(P::PublishUntil),
        };

        Ok(OfferFields {
            kind,
            mode,
            title,
            description,
            specialty,
            commune,
            finess,
            start,
            end,
            days_per_week,
            patient_count,
            handover_plan,
            half_days_liberal,
            half_days_salaried,
            semester,
            supervisors,
            faculty,
            stage_site,
            transport,
            pay,
            on_call,
            secretariat,
            software,
            housing,
            practice_provided: self.practice_provided == "oui",
            equipment_provided: self.equipment_provided == "oui",
            perks,
            team_size,
            publish_until,
        })
    }
}

impl OfferForm {
    /// The pay, on a basis the pathway allows (none is preselected: the form's first choice is
    /// empty), with its figure in that basis's unit, or no figure « à discuter ».
    fn pay(&self, kind: OfferKind, mode: Option<OfferMode>) -> Result<Pay, P> {
        let pay_kind = PayKind::from_code(self.pay_kind.trim())
            .filter(|pay_kind| kind.pay_kinds().contains(pay_kind))
            .ok_or(P::PayKind)?;
        if pay_kind == PayKind::ChiffreAffaires && !matches!(mode, Some(OfferMode::Succession | OfferMode::Association))
        {
            return Err(P::PayTurnover);
        }
        if pay_kind == PayKind::ADiscuter {
            if !self.pay_min.trim().is_empty() || !self.pay_max.trim().is_empty() {
                return Err(P::PayToDiscuss);
            }
            return Ok(Pay { kind: pay_kind, min: None, max: None });
        }
        let min = required(number(&self.pay_min, pay_kind.range(), P::PayAmount)?, P::PayMissing)?;
        let max = number(&self.pay_max, pay_kind.range(), P::PayAmount)?;
        Pay::new(pay_kind, Some(min), max).ok_or(P::PayRange)
    }
}

fn today_year(today: Day) -> i64 {
    today.to_string()[..4].parse().unwrap_or(2026)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> Day {
        Day::parse("2026-11-25").unwrap()
    }

    /// A complete remplacement, as a commune would post it.
    fn remplacement() -> OfferForm {
        OfferForm {
            kind: "remplacement".into(),
            mode: "ponctuel".into(),
            title: "Remplacement d'été à Rodez".into(),
            description: "Cabinet de groupe de trois médecins, patientèle variée, visites à domicile possibles.".into(),
            specialty: "medecine_generale".into(),
            commune: "12202".into(),
            start: "2027-07-01".into(),
            end: "2027-07-31".into(),
            days_per_week: "4".into(),
            pay_kind: "retrocession".into(),
            pay_min: "70 %".into(),
            pay_max: "80".into(),
            on_call: "volontaire".into(),
            secretariat: "sur_place".into(),
            software: "Weda".into(),
            housing: "oui".into(),
            practice_provided: "oui".into(),
            ..OfferForm::default()
        }
    }

    #[test]
    fn a_complete_remplacement_is_valid_and_round_trips() {
        let fields = remplacement().validate(today()).unwrap();
        assert_eq!(fields.kind, OfferKind::Remplacement);
        assert_eq!(fields.pay, Pay { kind: PayKind::Retrocession, min: Some(70), max: Some(80) });
        assert_eq!(fields.pay.text(), "Rétrocession d'honoraires : 70 à 80 %");
        assert!(fields.practice_provided && !fields.equipment_provided);
        assert_eq!(fields.publish_until, today().plus_days(DEFAULT_PUBLICATION_DAYS));
        assert_eq!(OfferForm::of(&fields).validate(today()), Ok(fields));
    }

    #[test]
    fn each_missing_or_wrong_field_is_named() {
        type Change = fn(&mut OfferForm);
        let cases: Vec<(Change, P)> = vec![
            (|f| f.kind = "cdi".into(), P::KindMissing),
            (|f| f.mode = "succession".into(), P::ModeMissing),
            (|f| f.title = "Rdv".into(), P::Title),
            (|f| f.description = "Trop court".into(), P::Description),
            (|f| f.specialty = String::new(), P::Specialty),
            (|f| f.commune = " ".into(), P::CommuneMissing),
            (|f| f.commune = "12000x".into(), P::CommuneInvalid),
            (|f| f.finess = "123".into(), P::FinessInvalid),
            (|f| f.start = String::new(), P::StartMissing),
            (|f| f.start = "01/07/2027".into(), P::StartInvalid),
            (|f| f.end = String::new(), P::EndMissing),
            (|f| f.end = "2027-06-01".into(), P::EndBeforeStart),
            (|f| f.days_per_week = "8".into(), P::DaysPerWeek),
            (|f| f.days_per_week = String::new(), P::DaysPerWeek),
            (|f| f.pay_kind = String::new(), P::PayKind),
            (|f| f.pay_min = String::new(), P::PayMissing),
            (|f| f.pay_min = "120".into(), P::PayAmount),
            (|f| f.pay_max = "60".into(), P::PayRange),
            (|f| f.on_call = "parfois".into(), P::OnCall),
            (|f| f.secretariat = String::new(), P::Secretariat),
            (|f| f.software = " ".into(), P::Software),
            (|f| f.housing = "peut-être".into(), P::Housing),
            (|f| f.perks = "x".repeat(NOTE_MAX + 1), P::NoteTooLong),
            (|f| f.publish_until = "2026-11-25".into(), P::PublishUntil),
            (|f| f.publish_until = "2027-06-01".into(), P::PublishUntil),
        ];
        for (change, problem) in cases {
            let mut form = remplacement();
            change(&mut form);
            assert_eq!(form.validate(today()), Err(problem), "{form:?}");
        }
    }

    #[test]
    fn a_past_replacement_is_refused() {
        let form = OfferForm { start: "2026-10-01".into(), end: "2026-10-31".into(), ..remplacement() };
        assert_eq!(form.validate(today()), Err(P::EndPassed));
    }

    #[test]
    fn a_stage_needs_its_semester_and_supervisors() {
        let stage = OfferForm {
            kind: "stage".into(),
            mode: "saspas".into(),
            start: String::new(),
            end: String::new(),
            days_per_week: String::new(),
            semester: "mai".into(),
            semester_year: "2027".into(),
            supervisors: "Dr Martin, Dr Vidal".into(),
            pay_kind: "salaire".into(),
            pay_min: "2 100 €".into(),
            pay_max: String::new(),
            ..remplacement()
        };
        let fields = stage.validate(today()).unwrap();
        assert_eq!(fields.semester, Some((Semester::Mai, 2027)));
        assert_eq!(fields.days_per_week, None, "not asked of a stage");
        assert_eq!(fields.pay.text(), "Salaire : 2\u{202f}100 € brut par mois");
        assert_eq!(OfferForm { supervisors: String::new(), ..stage.clone() }.validate(today()), Err(P::Supervisors));
        assert_eq!(OfferForm { semester_year: "2031".into(), ..stage.clone() }.validate(today()), Err(P::Semester));
        assert_eq!(OfferForm { semester: "juin".into(), ..stage }.validate(today()), Err(P::Semester));
    }

    #[test]
    fn exercice_mixte_splits_a_week_of_half_days() {
        let mixed = OfferForm {
            kind: "exercice_mixte".into(),
            mode: String::new(),
            start: String::new(),
            end: String::new(),
            half_days_liberal: "6".into(),
            half_days_salaried: "4".into(),
            pay_kind: "revenu_garanti".into(),
            pay_min: "6000".into(),
            pay_max: String::new(),
            ..remplacement()
        };
        let fields = mixed.validate(today()).unwrap();
        assert_eq!((fields.half_days_liberal, fields.half_days_salaried), (Some(6), Some(4)));
        assert_eq!(OfferForm { half_days_salaried: "5".into(), ..mixed.clone() }.validate(today()), Err(P::HalfDays));
        assert_eq!(OfferForm { half_days_liberal: "0".into(), ..mixed }.validate(today()), Err(P::HalfDays));
    }

    #[test]
    fn a_succession_needs_its_handover_date() {
        let succession = OfferForm {
            kind: "installation".into(),
            mode: "succession".into(),
            start: String::new(),
            end: String::new(),
            patient_count: "1 200".into(),
            pay_kind: "chiffre_affaires".into(),
            pay_min: "180 000 €".into(),
            pay_max: String::new(),
            ..remplacement()
        };
        assert_eq!(succession.validate(today()), Err(P::StartMissing));
        let fields = OfferForm { start: "2027-09-01".into(), ..succession }.validate(today()).unwrap();
        assert_eq!(fields.patient_count, Some(1200));
        assert_eq!(fields.pay.text(), "Chiffre d'affaires du cabinet repris : 180\u{202f}000 € par an");
    }

    #[test]
    fn an_installation_states_its_activity_never_a_rétrocession() {
        let creation = OfferForm {
            kind: "installation".into(),
            mode: "creation".into(),
            start: String::new(),
            end: String::new(),
            pay_kind: "honoraires".into(),
            pay_min: "150000".into(),
            pay_max: String::new(),
            ..remplacement()
        };
        let fields = creation.validate(today()).unwrap();
        assert_eq!(fields.pay.text(), "Honoraires attendus : 150\u{202f}000 € par an");
        let refused = |form: OfferForm| form.validate(today()).unwrap_err();
        assert_eq!(
            refused(OfferForm { pay_kind: "retrocession".into(), pay_min: "100".into(), ..creation.clone() }),
            P::PayKind
        );
        assert_eq!(refused(OfferForm { pay_kind: String::new(), ..creation.clone() }), P::PayKind);
        assert_eq!(refused(OfferForm { pay_kind: "chiffre_affaires".into(), ..creation.clone() }), P::PayTurnover);
        assert_eq!(refused(OfferForm { pay_min: "100".into(), ..creation.clone() }), P::PayAmount);
        assert_eq!(refused(OfferForm { pay_kind: "a_discuter".into(), ..creation.clone() }), P::PayToDiscuss);
        let to_discuss = OfferForm { pay_kind: "a_discuter".into(), pay_min: " ".into(), ..creation };
        let pay = to_discuss.validate(today()).unwrap().pay;
        assert_eq!((pay.figure(), pay.text()), (None, "Rémunération à discuter".to_owned()));
    }

    #[test]
    fn pay_figures_go_with_their_basis() {
        assert!(Pay::new(PayKind::ADiscuter, None, None).is_some());
        assert!(Pay::new(PayKind::ADiscuter, Some(1), None).is_none());
        assert!(Pay::new(PayKind::Salaire, None, None).is_none());
        assert!(Pay::new(PayKind::Salaire, Some(4000), Some(3000)).is_none());
        assert!(Pay::new(PayKind::Salaire, Some(4000), Some(4500)).is_some());
    }
}
