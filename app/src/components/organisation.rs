//! Pieces shared by the organisation and moderation pages.

use crate::components::{CommonCodes, Field, NotFound, SignInFirst, outcome};
use crate::domain::organisations::{
    Access, ExchangeEntry, ExchangeSide, OrganisationFamily, OrganisationKind, OrganisationNotice, OrganisationProblem,
    OrganisationStatus, ReferenceView, fields,
};
use crate::domain::territory::paths as territory_paths;
use leptos::prelude::*;
use leptos_meta::Title;

/// What the redirect after an organisation form said (`?erreur=…` or `?info=…`), in French:
/// the organisation codes, then the codes common to every form; unknown codes show nothing.
#[component]
pub fn OrganisationOutcome() -> impl IntoView {
    outcome::<OrganisationProblem, OrganisationNotice>(CommonCodes::Said)
}

/// "en attente de vérification", "vérifiée", "refusée : motif".
#[component]
pub fn StatusBadge(status: OrganisationStatus, reason: Option<String>) -> impl IntoView {
    let class = match status {
        OrganisationStatus::Pending => "badge todo",
        OrganisationStatus::Verified => "badge ok",
        OrganisationStatus::Refused => "badge refused",
    };
    view! {
        <span class=class data-status=status.code()>{status.label()}</span>
        {reason.map(|r| view! { <span class="reason">" : " {r}</span> })}
    }
}

/// The moderation's questions about an organisation and the owners' answers, oldest first, as
/// written; `empty` when there are none.
pub fn exchange_list(exchange: Vec<ExchangeEntry>, empty: &'static str) -> AnyView {
    if exchange.is_empty() {
        return view! { <p class="muted">{empty}</p> }.into_any();
    }
    let items = exchange
        .into_iter()
        .map(|entry| {
            let (class, who) = match (entry.side, entry.author) {
                (ExchangeSide::Moderation, Some(author)) => ("question", format!("Question de {author}")),
                (ExchangeSide::Moderation, None) => ("question", "Question de la modération".to_owned()),
                (ExchangeSide::Requester, Some(author)) => ("answer", format!("Réponse de {author}")),
                (ExchangeSide::Requester, None) => ("answer", "Réponse (compte supprimé)".to_owned()),
            };
            view! {
                <li class=class>
                    <p class="muted">{who} ", le " {crate::format::date_time(entry.at)}</p>
                    <crate::components::Paragraphs text=entry.text/>
                </li>
            }
        })
        .collect_view();
    view! { <ol class="exchange">{items}</ol> }.into_any()
}

/// A territory or FINESS reference, linked to its page when there is one.
#[component]
pub fn ReferenceText(reference: ReferenceView) -> impl IntoView {
    let name = match (reference.name, reference.path) {
        (Some(name), Some(path)) => view! { " — " <a href=path>{name}</a> }.into_any(),
        (Some(name), None) => view! { " — " {name} }.into_any(),
        (None, _) => view! { <span class="muted">" — absent du répertoire FINESS importé"</span> }.into_any(),
    };
    view! { {reference.label} " " <span class="code">{reference.code}</span> {name} }
}

/// The fields that say what an organisation is, for its creation and its corrections: its
/// kind (grouped by family), its name, and the code that ties it to the reference data, with
/// what to type for each kind.
#[component]
pub fn OrganisationFields(kind: String, name: String, code: String) -> impl IntoView {
    let groups = OrganisationFamily::ALL
        .into_iter()
        .map(|family| {
            let options = OrganisationKind::of(family)
                .map(|k| view! { <option value=k.code() selected=kind == k.code()>{k.label()}</option> })
                .collect_view();
            view! { <optgroup label=family.label()>{options}</optgroup> }
        })
        .collect_view();
    // The help under the code field says what to type for each kind: both fields point to it.
    let with_help =
        |aria: Option<String>| aria.map_or_else(|| "code-aide".to_owned(), |ids| format!("{ids} code-aide"));
    view! {
        <Field id="type" label="Type d'organisation" let:aria>
            <select id="type" name=fields::KIND required aria-invalid=aria.invalid aria-describedby=with_help(aria.describedby)>
                <option value="" selected=kind.is_empty()>"— choisir —"</option>
                {groups}
            </select>
        </Field>
        <Field id="nom" label="Nom de l'organisation"
            hint="Tel qu'il sera affiché, par exemple « Mairie de Rodez » ou « MSP du Lévézou »." let:aria>
            <input id="nom" name=fields::NAME type="text" required minlength="2" maxlength="120" value=name
                aria-invalid=aria.invalid aria-describedby=aria.describedby/>
        </Field>
        <Field id="code" label="Code" let:aria>
            <input id="code" name=fields::CODE type="text" maxlength="20" autocomplete="off" value=code
                aria-invalid=aria.invalid aria-describedby=with_help(aria.describedby)/>
        </Field>
        <CodeHelp/>
    }
}

/// What to type in the code field, for each kind.
#[component]
fn CodeHelp() -> impl IntoView {
    view! {
        <div id="code-aide" class="muted help">
            <p>"Le code dépend du type d'organisation :"</p>
            <ul>
                <li>"commune, ou cabinet individuel : le code INSEE de la commune (5 caractères, par exemple 12202 pour Rodez) — ce n'est pas le code postal ; "
                    "il figure dans l'adresse de la page de la commune, que vous trouverez avec "
                    <a href=territory_paths::SEARCH>"la recherche de communes"</a> " ;"</li>
                <li>"intercommunalité : son numéro SIREN (9 chiffres, par exemple 241200567) ;"</li>
                <li>"département : son numéro (par exemple 12 pour l'Aveyron) ;"</li>
                <li>"MSP, centre de santé, hôpital, cabinet de groupe : le numéro FINESS de l'établissement s'il en a un (9 caractères), sinon rien ;"</li>
                <li>"ARS, URPS, ordre : rien."</li>
            </ul>
        </div>
    }
}

#[cfg(feature = "ssr")]
fn status(code: u16) {
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::from_u16(code).unwrap_or(http::StatusCode::OK));
    }
}

/// Renders what a server function allowed: the content, or a sign-in invitation that comes
/// back to `here`, or "réservé aux modérateurs" (403), or the 404 page.
pub fn access_view<T, V>(access: Access<T>, here: String, found: impl FnOnce(T) -> V) -> AnyView
where
    V: IntoView + 'static,
{
    match access {
        Access::Granted(content) => found(content).into_any(),
        Access::SignInRequired => view! { <SignInFirst what="accéder à cette page" back=here/> }.into_any(),
        Access::ModeratorsOnly => {
            #[cfg(feature = "ssr")]
            status(403);
            view! {
                <Title text="Réservé aux modérateurs — Médecins & Territoires"/>
                <section class="notice" role="alert">
                    <p>"Cette page est réservée aux modérateurs (ARS, URPS, ordre), nommés par l'équipe du portail."</p>
                </section>
            }
            .into_any()
        }
        Access::NotFound => view! { <NotFound/> }.into_any(),
    }
}

/// Percent-encodes a path for a query value (the characters a path of this site holds).
pub fn encode_query_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => out.push(b as char),
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn return_paths_are_encoded_for_the_query() {
        assert_eq!(encode_query_value("/organisations/3"), "/organisations/3");
        assert_eq!(encode_query_value("/organisations/invitation?jeton=ab"), "/organisations/invitation%3Fjeton%3Dab");
    }
}
