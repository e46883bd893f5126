//! Pieces of the account forms: the anti-CSRF field and the outcome of the last submission.

use crate::domain::Said;
use crate::domain::accounts::{Notice, Problem, fields, paths};
use crate::domain::candidates::WishesProblem;
use crate::domain::profiles::ProfileProblem;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// The hidden field that proves the form came from one of our pages.
#[component]
pub fn CsrfField(csrf: String) -> impl IntoView {
    view! { <input type="hidden" name=fields::CSRF value=csrf/> }
}

/// What a signed-out visitor of a signed-in page sees: « Connectez-vous pour `what`. », with
/// the links to sign in (and come back to `back`) or to create an account. The answer's status
/// is 401: crawlers and monitoring see that the page is not there for them, as a signed-in
/// outsider gets 403 or 404.
#[component]
pub fn SignInFirst(what: &'static str, #[prop(into)] back: String) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::UNAUTHORIZED);
    }
    let sign_in = format!("{}?{}={}", paths::SIGN_IN, fields::NEXT, super::encode_query_value(&back));
    // One text, so that the sentence reads whole in the page's source too.
    let sentence = format!("Connectez-vous pour {what}. ");
    view! {
        <p>{sentence} <a href=sign_in>"Se connecter"</a> " ou " <a href=paths::SIGN_UP>"créer un compte"</a> "."</p>
    }
}

/// Whether a form's outcome also says the codes every form may answer (`accounts::Problem`:
/// signed out, a form too old…), or leaves them to another outcome on the same page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommonCodes {
    Said,
    LeftToAnother,
}

/// What the redirect after a form said (`?erreur=…` or `?info=…`), in French: a problem of the
/// form's own table `P` (with the link to its field when the page marks one), else a common
/// code, or a notice of `N`. Unknown codes show nothing.
pub fn outcome<P: Said, N: Said>(common: CommonCodes) -> impl IntoView {
    let query = use_query_map();
    let problem = move || {
        query.with(|q| {
            let code = q.get("erreur")?;
            <P as Said>::from_code(&code).map(Said::message).or_else(|| match common {
                CommonCodes::Said => Problem::from_code(&code).map(Problem::message),
                CommonCodes::LeftToAnother => None,
            })
        })
    };
    let notice = move || query.with(|q| q.get("info").and_then(|c| <N as Said>::from_code(&c)).map(Said::message));
    view! {
        {move || problem().map(|p| view! { <p class="form-problem" role="alert">{p} <super::RefusedFieldLink/></p> })}
        {move || notice().map(|n| view! { <p class="form-notice" role="status">{n}</p> })}
    }
}

/// What the redirect after an account, profile or wishes form said (`?erreur=…` or `?info=…`),
/// in French; unknown codes show nothing.
#[component]
pub fn FormOutcome() -> impl IntoView {
    let query = use_query_map();
    let problem = move || {
        query.with(|q| {
            let code = q.get("erreur")?;
            Problem::from_code(&code)
                .map(Problem::message)
                .or_else(|| ProfileProblem::from_code(&code).map(ProfileProblem::message))
                .or_else(|| WishesProblem::from_code(&code).map(WishesProblem::message))
        })
    };
    let notice = move || query.with(|q| q.get("info").and_then(|c| Notice::from_code(&c)));
    view! {
        {move || problem().map(|message| view! { <p class="form-problem" role="alert">{message} <super::RefusedFieldLink/></p> })}
        {move || notice().map(|n| view! { <p class="form-notice" role="status">{n.message()}</p> })}
    }
}

/// The form typed before an error, from the address its handler sent back (the form's own
/// field names); None when the address holds no error or none of the form's fields, so the
/// page shows the stored or default values instead.
pub fn typed_form<T: serde::Serialize + serde::de::DeserializeOwned + Default>() -> Option<T> {
    let query = use_query_map();
    query.with_untracked(|q| {
        q.get("erreur")?;
        let map: serde_json::Map<String, serde_json::Value> = serde_json::to_value(T::default())
            .ok()?
            .as_object()?
            .keys()
            .filter_map(|key| q.get(key).map(|value| (key.clone(), serde_json::Value::String(value))))
            .collect();
        if map.is_empty() {
            return None;
        }
        serde_json::from_value(serde_json::Value::Object(map)).ok()
    })
}

/// What was typed into the form of the list's item `id` before its refusal: the handler names
/// that item in the address' parameter `about`, so the other items' forms start empty
/// (`T::default()`).
pub fn typed_for<T: serde::Serialize + serde::de::DeserializeOwned + Default>(about: &str, id: i64) -> T {
    let named = use_query_map().with_untracked(|q| q.get(about));
    match named {
        Some(named) if named == id.to_string() => typed_form().unwrap_or_default(),
        _ => T::default(),
    }
}

/// The checkboxes of a closed list, the `checked` codes ticked.
pub fn checkboxes<T: Copy + Send + Sync + 'static>(
    name: &'static str,
    legend: &'static str,
    all: &'static [T],
    code: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
    checked: &str,
) -> impl IntoView + use<T> {
    let ticked: Vec<String> = checked.split(',').map(|c| c.trim().to_owned()).collect();
    let boxes = all
        .iter()
        .map(|item| {
            let value = code(*item);
            let id = format!("{name}-{}", value.to_lowercase());
            view! {
                <li>
                    <input type="checkbox" id=id.clone() name=name value=value checked=ticked.iter().any(|t| t == value)/>
                    <label for=id>{label(*item)}</label>
                </li>
            }
        })
        .collect_view();
    view! {
        <fieldset id=name>
            <legend>{legend}</legend>
            <super::FieldNote id=name/>
            <ul class="checks">{boxes}</ul>
        </fieldset>
    }
}

/// A destructive action's form: apart from the others, in red, and asked twice — the box is
/// required by the browser (without JavaScript too) and checked again by the server
/// (`http::posted::Confirmed` reads the field `confirmation`, and the box's id, which it names
/// back when the box was left unticked: the box is then marked). `children`: its heading and
/// what the action does.
#[component]
pub fn ConfirmedAction(
    action: String,
    csrf: String,
    /// The box's id, unique on the page.
    #[prop(into)]
    id: String,
    /// The box's label: « Je confirme … ».
    #[prop(into)]
    confirm: String,
    #[prop(into)] button: String,
    /// Hidden fields the action needs (name, value).
    #[prop(optional)]
    hidden: Vec<(&'static str, String)>,
    children: Children,
) -> impl IntoView {
    let hidden =
        hidden.into_iter().map(|(name, value)| view! { <input type="hidden" name=name value=value/> }).collect_view();
    let problem = left_unticked(&id).then_some(Problem::Unconfirmed.message());
    view! {
        <form class="stacked danger" method="post" action=action>
            <CsrfField csrf/>
            <input type="hidden" name=fields::CONFIRMED_BOX value=id.clone()/>
            {hidden}
            {children()}
            <super::CheckField id name=fields::CONFIRMATION label=confirm problem/>
            <button type="submit" class="danger">{button}</button>
        </form>
    }
}

/// Whether the page's last submission was the confirmed action whose box is `id`, sent with
/// the box unticked.
fn left_unticked(id: &str) -> bool {
    super::field::unticked_box().as_deref() == Some(id)
}

/// A destructive action among others (a member of a list, a photo): a button that unfolds its
/// `ConfirmedAction` — what it does, the box to tick, the red button — without JavaScript too
/// (`<details>`).
#[component]
pub fn ConfirmedDisclosure(
    action: String,
    csrf: String,
    /// The box's id, unique on the page.
    #[prop(into)]
    id: String,
    /// What unfolds the form: « Retirer… ».
    #[prop(into)]
    summary: String,
    /// The box's label: « Je confirme … ».
    #[prop(into)]
    confirm: String,
    #[prop(into)] button: String,
    /// Hidden fields the action needs (name, value).
    #[prop(optional)]
    hidden: Vec<(&'static str, String)>,
    /// What happens, said before the box.
    #[prop(optional, into)]
    what: Option<String>,
) -> impl IntoView {
    let open = left_unticked(&id);
    view! {
        <details class="confirmed-action" open=open>
            <summary>{summary}</summary>
            <ConfirmedAction action csrf id confirm button hidden>
                {what.map(|what| view! { <p>{what}</p> })}
            </ConfirmedAction>
        </details>
    }
}
