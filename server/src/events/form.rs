//! The event form checked into what is stored. Pure: tested without a database.

use crate::forms::bounded;
use crate::promotion::markdown;
use app::domain::events::{EventForm, EventKind, EventProblem};
use app::format::parse_local;
use app::model::InseeCode;

/// An event ready to be stored.
#[derive(Debug, Clone, PartialEq)]
pub struct NewEvent {
    pub kind: EventKind,
    pub title: String,
    pub description: String,
    pub commune: InseeCode,
    pub place: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub capacity: i64,
}

/// Checks `form` against `now` (unix seconds).
pub fn validate(form: &EventForm, now: i64) -> Result<NewEvent, EventProblem> {
    let kind = EventKind::from_code(form.kind.trim()).ok_or(EventProblem::Kind)?;
    let title = bounded(&form.titre, 5, 120, EventProblem::Title)?;
    let description = bounded(&form.description, 20, 5000, EventProblem::Description)?;
    // Rendered once here too: a description that renders to nothing is refused.
    if markdown::render(&description).trim().is_empty() {
        return Err(EventProblem::Description);
    }
    let commune = InseeCode::parse(&form.commune).map_err(|_| EventProblem::Commune)?;
    let place = bounded(&form.lieu, 3, 200, EventProblem::Place)?;
    let starts_at = parse_local(&form.debut).ok_or(EventProblem::Start)?;
    if starts_at <= now || starts_at > now + 2 * 365 * 86_400 {
        return Err(EventProblem::Start);
    }
    let ends_at = parse_local(&form.fin).ok_or(EventProblem::End)?;
    if ends_at <= starts_at || ends_at > starts_at + 3 * 86_400 {
        return Err(EventProblem::End);
    }
    let capacity =
        form.places.trim().parse::<i64>().ok().filter(|c| (1..=2000).contains(c)).ok_or(EventProblem::Capacity)?;
    Ok(NewEvent { kind, title, description, commune, place, starts_at, ends_at, capacity })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2026-12-02 00:00 UTC.
    const NOW: i64 = 1_796_169_600;

    fn form() -> EventForm {
        EventForm {
            kind: "job_dating".into(),
            titre: "Speed-dating médical de l'Aveyron".into(),
            description: "Rencontrez en une soirée les communes et maisons de santé qui recrutent.".into(),
            commune: "12202".into(),
            lieu: "Salle des fêtes, place de la Mairie".into(),
            debut: "2027-03-15T18:00".into(),
            fin: "2027-03-15T21:00".into(),
            places: "40".into(),
        }
    }

    #[test]
    fn a_complete_form_is_kept_in_paris_time() {
        let event = validate(&form(), NOW).unwrap();
        // 18:00 in Paris in March (winter time) is 17:00 UTC.
        assert_eq!(app::format::date_time(event.starts_at), "15 mars 2027 à 18\u{a0}h\u{a0}00");
        assert_eq!(event.ends_at - event.starts_at, 3 * 3600);
        assert_eq!(event.capacity, 40);
    }

    #[test]
    fn each_bad_field_is_named() {
        type Change = fn(&mut EventForm);
        let cases: Vec<(Change, EventProblem)> = vec![
            (|f| f.kind = "fete".into(), EventProblem::Kind),
            (|f| f.titre = "Hop".into(), EventProblem::Title),
            (|f| f.commune = "12000x".into(), EventProblem::Commune),
            (|f| f.debut = "2025-03-15T18:00".into(), EventProblem::Start),
            (|f| f.debut = "demain".into(), EventProblem::Start),
            (|f| f.fin = "2027-03-15T17:00".into(), EventProblem::End),
            (|f| f.fin = "2027-03-25T17:00".into(), EventProblem::End),
            (|f| f.places = "0".into(), EventProblem::Capacity),
            (|f| f.places = "beaucoup".into(), EventProblem::Capacity),
        ];
        for (change, problem) in cases {
            let mut f = form();
            change(&mut f);
            assert_eq!(validate(&f, NOW), Err(problem));
        }
    }
}
