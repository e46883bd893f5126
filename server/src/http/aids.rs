//! The local-aid forms' handlers, built like the offer ones: signed in, the form's token, the
//! aids service (which checks what that person may do), then a redirect (303) to a page that
//! says what happened. A refused form goes back with everything typed.

use super::posted::{Button, Fields, Pairs, Posted, refused, typed_fields};
use super::routes::Routes;
use super::{redirect, with_query};
use crate::aids::{AidError, Aids};
use app::domain::accounts;
use app::domain::aids::{AidNotice as Notice, AidProblem as Problem, LocalAidForm, fields, paths};
use axum::extract::{Path, State};
use axum::response::Response;

#[derive(Debug, Clone)]
pub struct AidState {
    pub aids: Aids,
}

/// The aid forms as posted: the aid's fields, the reason of a withdrawal, and the page a
/// withdrawal or restoration came from.
#[derive(Debug, Default)]
pub struct AidPost {
    aid: LocalAidForm,
    reason: String,
    back: String,
}

impl Fields for AidPost {
    /// Read from the pairs: the zone and profile checkboxes post one pair each, which
    /// `serde_urlencoded` cannot gather into one field; their values are joined by commas.
    fn read(pairs: Pairs) -> Option<Self> {
        Some(read(pairs))
    }

    fn kept(&self) -> Pairs {
        typed_fields(&self.aid)
    }
}

fn read(pairs: Pairs) -> AidPost {
    let (mut reason, mut back) = (String::new(), String::new());
    let mut form = LocalAidForm::default();
    let mut zones = Vec::new();
    let mut profiles = Vec::new();
    let mut purposes = Vec::new();
    let mut exclusions = Vec::new();
    for (key, value) in pairs {
        match key.as_str() {
            fields::REASON => reason = value,
            "retour" => back = value,
            "zones" => zones.push(value),
            "profils" => profiles.push(value),
            "objets" => purposes.push(value),
            "exclusions" => exclusions.push(value),
            "nom" => form.nom = value,
            "categorie" => form.categorie = value,
            "montant" => form.montant = value,
            "unite" => form.unite = value,
            "montant_texte" => form.montant_texte = value,
            "resume" => form.resume = value,
            "conditions" => form.conditions = value,
            "engagement" => form.engagement = value,
            "engagement_annees" => form.engagement_annees = value,
            "source" => form.source = value,
            "debut" => form.debut = value,
            "fin" => form.fin = value,
            _ => {}
        }
    }
    form.zones = zones.join(",");
    form.profils = profiles.join(",");
    form.objets = purposes.join(",");
    form.exclusions = exclusions.join(",");
    AidPost { aid: form, reason, back }
}

fn problem(error: &AidError) -> &'static str {
    match error {
        AidError::Invalid(problem) => problem.code(),
        AidError::Database(_) => {
            tracing::error!(%error, "aid action failed");
            accounts::Problem::Unavailable.code()
        }
    }
}

fn to(path: &str, key: &str, code: &str) -> Response {
    redirect(&with_query(path, &[(key, code)]))
}

fn id(raw: &str) -> Result<i64, String> {
    raw.parse::<i64>().map_err(|_| with_query(paths::AIDS, &[("erreur", Problem::NotFound.code())]))
}

/// POST /organisations/{id}/aides: publishes a local aid.
pub async fn publish(
    State(state): State<AidState>,
    Path(organisation): Path<String>,
    posted: Posted<AidPost>,
) -> Response {
    let organisation = or_redirect!(id(&organisation));
    let page = paths::ORGANISATION.of(organisation);
    let (user, form) = or_redirect!(posted.signed(&page));
    match state.aids.publish(user, organisation, &form.aid).await {
        Ok(_) => to(&page, "info", Notice::Published.code()),
        Err(error) => refused(&page, problem(&error), &form.kept()),
    }
}

/// POST /aides/{aide}/modification
pub async fn update(State(state): State<AidState>, Path(aid): Path<String>, posted: Posted<AidPost>) -> Response {
    let aid = or_redirect!(id(&aid));
    let page = paths::EDIT.of(aid);
    let (user, form) = or_redirect!(posted.signed(&page));
    match state.aids.update(user, aid, &form.aid).await {
        Ok(()) => to(&page, "info", Notice::Updated.code()),
        Err(AidError::Invalid(Problem::NotFound)) => to(paths::AIDS, "erreur", Problem::NotFound.code()),
        Err(error) => refused(&page, problem(&error), &form.kept()),
    }
}

/// The page a withdrawal or restoration came from (the moderation's or the aid's form),
/// from the `retour` field; anything else goes to the catalogue.
fn back_to(form: &AidPost, aid: i64) -> String {
    let edit = paths::EDIT.of(aid);
    match form.back.as_str() {
        paths::MODERATION => paths::MODERATION.to_owned(),
        back if back == edit => edit,
        _ => paths::AIDS.to_owned(),
    }
}

/// POST /aides/{aide}/retrait
pub async fn withdraw(State(state): State<AidState>, Path(aid): Path<String>, posted: Posted<AidPost>) -> Response {
    let aid = or_redirect!(id(&aid));
    let page = back_to(&posted.fields, aid);
    let (user, form) = or_redirect!(posted.signed(&page));
    match state.aids.withdraw(user, aid, &form.reason).await {
        Ok(()) => to(&page, "info", Notice::Withdrawn.code()),
        Err(error) => {
            // The reason typed comes back, into the form of the same aid.
            let page = with_query(&page, &[(fields::AID, &aid.to_string())]);
            refused(&page, problem(&error), &[(fields::REASON.to_owned(), form.reason)])
        }
    }
}

/// POST /aides/{aide}/verification (moderators)
pub async fn verify(State(state): State<AidState>, Path(aid): Path<String>, posted: Posted<Button>) -> Response {
    let aid = or_redirect!(id(&aid));
    let page = paths::MODERATION.to_owned();
    let (user, Button) = or_redirect!(posted.signed(&page));
    match state.aids.verify(user, aid).await {
        Ok(()) => to(&page, "info", Notice::Verified.code()),
        Err(error) => to(&page, "erreur", problem(&error)),
    }
}

/// POST /aides/{aide}/retablissement (moderators)
pub async fn restore(State(state): State<AidState>, Path(aid): Path<String>, posted: Posted<AidPost>) -> Response {
    let aid = or_redirect!(id(&aid));
    let page = back_to(&posted.fields, aid);
    let (user, _) = or_redirect!(posted.signed(&page));
    match state.aids.restore(user, aid).await {
        Ok(()) => to(&page, "info", Notice::Restored.code()),
        Err(error) => to(&page, "erreur", problem(&error)),
    }
}

pub fn routes(aids: Aids) -> Routes {
    Routes::new()
        .post(paths::ORGANISATION.pattern(), publish)
        .post(paths::EDIT.pattern(), update)
        .post(paths::WITHDRAW.pattern(), withdraw)
        .post(paths::RESTORE.pattern(), restore)
        .post(paths::VERIFY.pattern(), verify)
        .with_state(AidState { aids })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checkboxes_are_gathered_and_unknown_fields_ignored() {
        let posted: Pairs = [
            ("csrf", "t"),
            ("zones", "ZIP"),
            ("zones", "ZAC"),
            ("profils", "interne"),
            ("objets", "stage"),
            ("objets", "etudes"),
            ("x", "y"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let AidPost { aid: form, .. } = read(posted);
        assert_eq!((form.zones.as_str(), form.profils.as_str()), ("ZIP,ZAC", "interne"));
        assert_eq!(form.objets, "stage,etudes");
    }
}
