//! The one layout of a form's field, for every form of the portal: its label above it, the
//! control, and under it the problem of the last submission (when it concerns this field) and
//! a hint. The control announces both (`aria-describedby`) and says when it is invalid
//! (`aria-invalid`); the page's summary at the top links to it.
//!
//! Which field the last refusal concerns is the page's to say, from the refusal's code in its
//! address (`?erreur=…`, a code, never a typed value): `provide_refusal` at the top of the page,
//! then every `Field` below reads it.

use crate::domain::accounts::{Problem, fields};
use crate::domain::{FieldProblem, Said};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// A refused submission's field and what to say of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    /// The id of the field's control.
    pub field: String,
    pub message: &'static str,
}

/// The refusal of the page's last submission, for its fields.
#[derive(Clone, Debug)]
struct PageRefusal(Option<Refusal>);

/// Reads the page's refusal code as a problem of the page's form, `P`, and tells the page's
/// fields which one it concerns (none, for a problem about the whole form or another form's).
pub fn provide_refusal<P: FieldProblem>() {
    let refusal = use_query_map().with_untracked(|q| {
        let problem = P::from_code(&q.get("erreur")?)?;
        Some(Refusal { field: problem.field()?.to_owned(), message: problem.message() })
    });
    provide_context(PageRefusal(refusal));
}

/// For a page that lists items with a form each (the moderation's queues): reads the
/// refusal's code as a problem `P` and the item its handler named in the parameter `about`,
/// and tells the fields which one it concerns, `field(problem, item)` (an id of that item's
/// form).
pub fn provide_item_refusal<P: Said>(about: &str, field: impl Fn(P, i64) -> Option<String>) {
    let refusal = use_query_map().with_untracked(|q| {
        let problem = P::from_code(&q.get("erreur")?)?;
        let item = q.get(about)?.parse::<i64>().ok()?;
        Some(Refusal { field: field(problem, item)?, message: problem.message() })
    });
    provide_context(PageRefusal(refusal));
}

/// Tells the page's fields which one its last submission was refused for, when the page
/// knows it otherwise than from the code alone (the account page's forms share problems).
pub fn provide_refusal_at(refusal: Option<Refusal>) {
    provide_context(PageRefusal(refusal));
}

/// The field the page's last submission was refused for, if the page said so.
fn page_refusal() -> Option<Refusal> {
    use_context::<PageRefusal>().and_then(|r| r.0)
}

/// The link of the summary at the top to the refused field, or to the box of a confirmed
/// action left unticked: « Aller au champ ».
#[component]
pub fn RefusedFieldLink() -> impl IntoView {
    let field = page_refusal().map(|r| r.field).or_else(unticked_box);
    field.map(|field| view! { " " <a href=format!("#{field}")>"Aller au champ"</a> })
}

/// The id of the confirmed action's box the page's last submission left unticked: its handler
/// names it back (`fields::CONFIRMED_BOX`) with the code `Unconfirmed`.
pub fn unticked_box() -> Option<String> {
    use_query_map().with_untracked(|q| {
        (q.get("erreur")?.as_str() == Problem::Unconfirmed.code()).then(|| q.get(fields::CONFIRMED_BOX)).flatten()
    })
}

/// What a field's control says of itself: that it is invalid, and which texts describe it.
#[derive(Clone, Debug, Default)]
pub struct Described {
    pub invalid: Option<&'static str>,
    pub describedby: Option<String>,
}

/// The message of the page's refusal when it concerns field `id`.
fn problem_of(id: &str) -> Option<&'static str> {
    page_refusal().filter(|r| r.field == id).map(|r| r.message)
}

/// One field: `label` above its control, then the refusal's message and `hint`. `children`
/// is the control, given what it must say of itself:
/// `<Field id="titre" label="Titre" let:aria><input id="titre" aria-invalid=aria.invalid
/// aria-describedby=aria.describedby …/></Field>`; the control's id is `id`.
#[component]
pub fn Field<F, V>(
    #[prop(into)] id: String,
    #[prop(into)] label: String,
    #[prop(optional, into)] hint: Option<String>,
    children: F,
) -> impl IntoView
where
    F: FnOnce(Described) -> V,
    V: IntoView,
{
    let problem = problem_of(&id);
    let (problem_id, hint_id) = (format!("{id}-erreur"), format!("{id}-aide"));
    let ids: Vec<&str> =
        [problem.map(|_| problem_id.as_str()), hint.as_ref().map(|_| hint_id.as_str())].into_iter().flatten().collect();
    let described =
        Described { invalid: problem.map(|_| "true"), describedby: (!ids.is_empty()).then(|| ids.join(" ")) };
    let control = children(described);
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            {control}
            {problem.map(|message| view! { <p id=problem_id.clone() class="field-problem">{message}</p> })}
            {hint.map(|hint| view! { <p id=hint_id.clone() class="hint muted">{hint}</p> })}
        </div>
    }
}

/// A box to tick before a form is sent (a confirmation that works without JavaScript: the
/// browser requires it, the server checks it again), its label after it; marked like a
/// `Field`'s control when the refusal concerns it (the page's, or `problem` when its form
/// knows it otherwise).
#[component]
pub fn CheckField(
    #[prop(into)] id: String,
    name: &'static str,
    #[prop(into)] label: String,
    #[prop(default = None)] problem: Option<&'static str>,
) -> impl IntoView {
    let problem = problem.or_else(|| problem_of(&id));
    let problem_id = format!("{id}-erreur");
    view! {
        <p class="check">
            <input id=id.clone() type="checkbox" name=name value="oui" required
                aria-invalid=problem.map(|_| "true") aria-describedby=problem.map(|_| problem_id.clone())/>
            <label for=id>{label}</label>
        </p>
        {problem.map(|message| view! { <p id=problem_id.clone() class="field-problem">{message}</p> })}
    }
}

/// The refusal's message under a control that draws its own label (the commune field, an
/// island): the same words at the same place as a `Field`'s.
#[component]
pub fn FieldNote(id: &'static str) -> impl IntoView {
    problem_of(id).map(|message| view! { <p id=format!("{id}-erreur") class="field-problem">{message}</p> })
}

/// The options of a closed list, `selected` chosen; the first asks to choose (`placeholder`).
pub fn options<T: Copy + 'static>(
    all: &'static [T],
    code: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
    selected: &str,
    placeholder: &'static str,
) -> impl IntoView + use<T> {
    let first = view! { <option value="" selected=selected.is_empty()>{placeholder}</option> };
    let rest = all
        .iter()
        .map(|item| {
            let value = code(*item);
            view! { <option value=value selected=selected == value>{label(*item)}</option> }
        })
        .collect_view();
    (first, rest)
}
