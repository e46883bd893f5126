//! The guichet unique from both sides: `/dossiers` lists the cases a person opened and those
//! of their collectivités; `/dossiers/{id}` is one case, its messages and the reply form (and
//! the status, for the collectivité's side).

use crate::components::{Breadcrumb, CsrfField, Field, Paragraphs, PromotionOutcome, access_view, unavailable_view};
use crate::domain::accounts::Viewer;
use crate::domain::promotion::{CaseDetail, CaseRow, CaseStatus, CasesPage, fields, get_case, get_cases, paths};
use crate::format;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn CasesPage() -> impl IntoView {
    let cases = Resource::new(|| (), |_| get_cases());
    view! {
        <Title text="Guichet unique : mes dossiers — Médecins & Territoires"/>
        <Meta name="robots" content="noindex"/>
        <h1>"Guichet unique : mes dossiers"</h1>
        <PromotionOutcome/>
        <Suspense fallback=super::loading>
            {move || Suspend::new(async move {
                match cases.await {
                    Ok(access) => access_view(access, paths::CASES.to_owned(), cases_view),
                    Err(error) => unavailable_view(error),
                }
            })}
        </Suspense>
    }
}

fn status_badge(status: CaseStatus) -> impl IntoView {
    let class = match status {
        CaseStatus::Nouveau => "badge todo",
        CaseStatus::EnCours => "badge",
        CaseStatus::Clos => "badge ok",
    };
    view! { <span class=class data-status=status.code()>{status.label()}</span> }
}

fn table(
    rows: Vec<CaseRow>,
    caption: &'static str,
    other_side: &'static str,
    side: fn(&CaseRow) -> String,
) -> impl IntoView {
    let body = rows
        .into_iter()
        .map(|r| {
            let who = side(&r);
            view! {
                <tr>
                    <td><a href=paths::CASE.of(r.id)>{r.subject.clone()}</a></td>
                    <td>{r.organisation_name.clone()}</td>
                    <td>{who}</td>
                    <td>{status_badge(r.status)}</td>
                    <td>{r.messages}</td>
                    <td>{format::date(r.updated_at)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="data">
            <caption class="visually-hidden">{caption}</caption>
            <thead><tr>
                <th scope="col">"Objet"</th><th scope="col">"Collectivité"</th><th scope="col">{other_side}</th>
                <th scope="col">"Statut"</th><th scope="col">"Messages"</th><th scope="col">"Mis à jour le"</th>
            </tr></thead>
            <tbody>{body}</tbody>
        </table>
    }
}

fn cases_view(page: CasesPage) -> impl IntoView {
    let where_to = match page.guichets {
        0 => "Aucun territoire n'a encore de référent : ".to_owned(),
        1 => "Un territoire a un référent : ".to_owned(),
        n => format!("{} territoires ont un référent : ", format::int(n)),
    };
    let where_to = view! {
        <p data-guichets="lien">{where_to} "voir " <a href=paths::GUICHETS>"la liste des guichets uniques"</a>
        ", par département. On écrit au référent depuis la page de son territoire."</p>
    };
    let asked = if page.asked.is_empty() {
        view! { <p>"Vous n'avez contacté aucun référent."</p> }.into_any()
    } else {
        table(page.asked, "Les demandes que vous avez envoyées", "Référent", |r| {
            r.referent.clone().unwrap_or_default()
        })
        .into_any()
    };
    let received = (!page.received.is_empty()).then(|| {
        view! {
            <section aria-labelledby="recues">
                <h2 id="recues">"Demandes reçues par vos collectivités"</h2>
                {table(page.received, "Les demandes reçues par vos collectivités", "Demandeur", |r| r.requester.clone())}
            </section>
        }
    });
    view! {
        {received}
        <section aria-labelledby="envoyees">
            <h2 id="envoyees">"Vos demandes"</h2>
            {asked}
            {where_to}
        </section>
    }
}

#[component]
pub fn CasePage() -> impl IntoView {
    let params = use_params_map();
    let id = params.with_untracked(|p| p.get("id")).unwrap_or_default();
    let here = paths::CASE.of(&id);
    view! {
        <Meta name="robots" content="noindex"/>
        <PromotionOutcome/>
        {super::with_access(here, id, get_case, case_view)}
    }
}

fn case_view(viewer: Viewer, case: CaseDetail) -> impl IntoView {
    let typed = use_query_map().with_untracked(|q| q.get(fields::MESSAGE)).unwrap_or_default();
    let messages = case
        .messages
        .iter()
        .map(|m| {
            let class = if m.from_referent { "message from-organisation" } else { "message" };
            view! {
                <li class=class>
                    <p class="muted"><strong>{m.author.clone()}</strong> " — " {format::date_time(m.created_at)}
                    {m.from_referent.then(|| format!(" ({})", case.organisation_name))}</p>
                    <Paragraphs text=m.body.clone()/>
                </li>
            }
        })
        .collect_view();
    let status_form = case.viewer_is_referent_side.then(|| {
        let options = CaseStatus::ALL
            .iter()
            .map(|s| view! { <option value=s.code() selected=*s == case.status>{s.label()}</option> })
            .collect_view();
        view! {
            <form class="inline" method="post" action=paths::CASE_STATUS.of(case.id)>
                <CsrfField csrf=viewer.csrf.clone()/>
                <label for="statut">"Statut du dossier"</label> " "
                <select id="statut" name=fields::STATUS>{options}</select> " "
                <button type="submit">"Changer le statut"</button>
            </form>
        }
    });
    let reply = (case.status != CaseStatus::Clos).then(|| {
        view! {
            <form class="stacked" method="post" action=paths::CASE_MESSAGE.of(case.id)>
                <CsrfField csrf=viewer.csrf.clone()/>
                <Field id="message" label="Votre réponse" let:aria>
                    <textarea id="message" name=fields::MESSAGE required minlength="10" maxlength="5000" rows="5" aria-invalid=aria.invalid aria-describedby=aria.describedby>{typed}</textarea>
                </Field>
                <button type="submit">"Envoyer"</button>
            </form>
        }
    });
    view! {
        <Title text=format!("{} — guichet unique — Médecins & Territoires", case.subject)/>
        <Breadcrumb trail=vec![("Mes dossiers".to_owned(), paths::CASES.to_owned())] here=case.subject.clone()/>
        <h1>{case.subject.clone()}</h1>
        <dl class="facts">
            <dt>"Collectivité"</dt><dd>{case.organisation_name.clone()}</dd>
            <dt>"Demandeur"</dt><dd>{case.requester.clone()}</dd>
            <dt>"Référent"</dt><dd>{case.referent.clone().unwrap_or_else(|| "—".to_owned())}</dd>
            <dt>"Statut"</dt><dd>{status_badge(case.status)}</dd>
            <dt>"Ouvert le"</dt><dd>{format::date_time(case.created_at)}</dd>
        </dl>
        {status_form}
        <h2>"Échanges"</h2>
        <ol class="messages">{messages}</ol>
        {reply}
    }
}
