//! The reviews of a stage site on its page (averages and texts from three published reviews,
//! the intern's form, the site's confirmations and answers), and the moderation's list of
//! reviews waiting (`/moderation/avis`).

use crate::components::{
    CommonCodes, CsrfField, Field, Paragraphs, encode_query_value, outcome, provide_refusal, typed_for, typed_form,
    unavailable_view,
};
use crate::domain::accounts::{Viewer, fields as account_fields, paths as account_paths};
use crate::domain::offers::Semester;
use crate::domain::reviews::{
    AnswerForm, Criterion, ModerationForm, MyReview, PendingReview, PublicReview, ReviewForm, ReviewNotice,
    ReviewProblem, ReviewStatus, Scores, SemesterForm, SiteReviews, SiteSide, THRESHOLD, fields, get_pending_reviews,
    get_site_reviews, paths,
};
use crate::domain::stages::paths as stage_paths;
use crate::format;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};

/// What the redirect after a review form said.
#[component]
fn ReviewOutcome() -> impl IntoView {
    outcome::<ReviewProblem, ReviewNotice>(CommonCodes::Said)
}

/// « encadrement 5/5 · autonomie 4/5 … ».
fn scores_text(scores: &Scores) -> String {
    scores
        .iter()
        .filter_map(|(c, s)| s.map(|s| format!("{} {s}/5", c.label().split(" (").next().unwrap_or_default())))
        .collect::<Vec<_>>()
        .join(" · ")
}

/// The reviews of the site `site` on its page.
#[component]
pub fn SiteReviewsSection(site: i64, csrf: String) -> impl IntoView {
    // The review and semester forms' fields say which one the last refusal concerns.
    provide_refusal::<ReviewProblem>();
    let reviews = Resource::new(move || site.to_string(), get_site_reviews);
    view! {
        <section aria-labelledby=paths::ANCHOR>
            <h2 id=paths::ANCHOR>"Avis des internes"</h2>
            <ReviewOutcome/>
            <Suspense fallback=|| ()>
                {move || {
                    let csrf = csrf.clone();
                    Suspend::new(async move {
                        match reviews.await {
                            Ok(Some(reviews)) => reviews_view(reviews, csrf).into_any(),
                            Ok(None) => ().into_any(),
                            Err(error) => unavailable_view(error),
                        }
                    })
                }}
            </Suspense>
        </section>
    }
}

fn reviews_view(page: SiteReviews, csrf: String) -> impl IntoView {
    let site = page.site;
    let members = page.site_side.is_some();
    let shown = if page.published >= THRESHOLD {
        let averages = page
            .averages
            .iter()
            .map(|a| {
                let value = match a.value {
                    Some(v) => format!("{} / 5 ({} avis)", format::dec(v, 1), a.count),
                    None => "pas de note".to_owned(),
                };
                view! { <dt>{a.criterion.label()}</dt><dd data-average=a.criterion.code()>{value}</dd> }
            })
            .collect_view();
        let items = page.reviews.into_iter().map(|r| review_item(r, members, csrf.clone())).collect_view();
        view! {
            <p data-figure="avis">{format!("{} avis publiés, sans nom ni date : ", page.published)} "moyennes sur 5."</p>
            <dl class="facts">{averages}</dl>
            <ul class="event-list">{items}</ul>
        }
        .into_any()
    } else {
        view! {
            <p data-figure="avis">
                {format!("Les avis paraissent quand le terrain en a {THRESHOLD} publiés ({} pour l'instant) : ", page.published)}
                "ainsi, personne ne peut reconnaître qui les a écrits."
            </p>
        }
        .into_any()
    };
    let here = stage_paths::SITE.of(site);
    let mine = match page.mine {
        MyReview::SignedOut => {
            let sign_in = format!("{}?{}={}", account_paths::SIGN_IN, account_fields::NEXT, encode_query_value(&here));
            view! { <p>"Vous avez fait un semestre ici ? " <a href=sign_in>"Connectez-vous"</a> " pour donner votre avis."</p> }.into_any()
        }
        // The site's members: their part is below.
        MyReview::NoSemester if members => ().into_any(),
        MyReview::NoSemester => view! {
            <p class="muted">"Seuls les internes dont le terrain a confirmé le semestre donnent leur avis : le terrain le confirme depuis votre candidature acceptée, ou pour votre compte."</p>
        }
        .into_any(),
        MyReview::Reviewed { status, reason } => view! {
            <p class="notice" data-review-status=status.code()>
                {format!("Votre avis : {}.", status.label())}
                {reason.map(|r| format!(" Motif : {r}"))}
                {(status == ReviewStatus::Pending).then_some(" Il paraîtra sans votre nom.")}
            </p>
        }
        .into_any(),
        MyReview::MayReview(semesters) => review_form(site, semesters, csrf.clone()).into_any(),
    };
    view! {
        {shown}
        {mine}
        {page.site_side.map(|side| site_side_view(site, side, csrf.clone()))}
    }
}

fn review_item(review: PublicReview, members: bool, csrf: String) -> impl IntoView {
    let answer = match review.answer.clone() {
        Some(answer) => {
            Some(view! { <p class="muted"><strong>"Réponse du terrain : "</strong>{answer}</p> }.into_any())
        }
        None if members => Some({
            let typed = typed_for::<AnswerForm>(fields::REVIEW, review.id);
            view! {
                <form class="stacked" method="post" action=paths::ANSWER.of(review.id)>
                    <CsrfField csrf/>
                    <label for=format!("reponse-{}", review.id)>"Répondre publiquement (une seule fois)"</label>
                    <textarea id=format!("reponse-{}", review.id) name="reponse" required maxlength="2000" rows="3">{typed.reponse}</textarea>
                    <button type="submit">"Publier la réponse"</button>
                </form>
            }
            .into_any()
        }),
        None => None,
    };
    view! {
        <li class="event-item">
            <p class="muted">{scores_text(&review.scores)}</p>
            <Paragraphs text=review.body.clone()/>
            {answer}
        </li>
    }
}

/// The score select of `criterion`, `typed` chosen.
fn score_select(criterion: Criterion, typed: String) -> impl IntoView {
    let id = format!("note-{}", criterion.code());
    let mut choices = vec![
        ("", "— noter de 1 à 5 —"),
        ("5", "5 — excellent"),
        ("4", "4 — bien"),
        ("3", "3 — correct"),
        ("2", "2 — insuffisant"),
        ("1", "1 — très insuffisant"),
    ];
    if criterion == Criterion::Housing {
        choices.push(("sans_objet", "Sans objet : je n'étais pas logé par le terrain"));
    }
    let options = choices
        .into_iter()
        .map(|(value, label)| view! { <option value=value selected=value == typed>{label}</option> })
        .collect_view();
    view! {
        <Field id=id.clone() label=criterion.label() clone:id let:aria>
            <select id=id name=criterion.code() required aria-invalid=aria.invalid aria-describedby=aria.describedby>
                {options}
            </select>
        </Field>
    }
}

fn review_form(site: i64, semesters: Vec<crate::domain::reviews::SemesterLine>, csrf: String) -> impl IntoView {
    // What was typed comes back after a refusal: a long text is not to be written twice.
    let typed = typed_form::<ReviewForm>().unwrap_or_default();
    let options = semesters
        .into_iter()
        .map(|s| {
            let id = s.id.to_string();
            view! { <option selected=id == typed.semestre value=id>{s.label}</option> }
        })
        .collect_view();
    let scores = Criterion::ALL.iter().map(|&c| score_select(c, typed.score(c).to_owned())).collect_view();
    view! {
        <form class="stacked" method="post" action=paths::REVIEW.of(site)>
            <h3>"Donner votre avis"</h3>
            <p class="muted">"Votre avis paraît après modération, sans votre nom ni votre semestre, quand le terrain en a trois."</p>
            <CsrfField csrf/>
            <Field id="semestre" label="Semestre" let:aria>
                <select id="semestre" name="semestre" required aria-invalid=aria.invalid aria-describedby=aria.describedby>{options}</select>
            </Field>
            {scores}
            <Field id="avis-texte" label="Votre avis : l'encadrement, ce que vous avez appris, ce qu'un futur interne doit savoir (30 caractères au moins)" let:aria>
                <textarea id="avis-texte" name="avis" required minlength="30" maxlength="3000" rows="6" aria-invalid=aria.invalid aria-describedby=aria.describedby>{typed.avis.clone()}</textarea>
            </Field>
            <button type="submit">"Envoyer mon avis"</button>
        </form>
    }
}

fn site_side_view(site: i64, side: SiteSide, csrf: String) -> impl IntoView {
    let to_confirm = if side.to_confirm.is_empty() {
        view! { <p>"Aucune candidature acceptée n'attend de confirmation."</p> }.into_any()
    } else {
        let items = side
            .to_confirm
            .into_iter()
            .map(|t| {
                view! {
                    <li>
                        <form class="inline" method="post" action=paths::SEMESTERS.of(site)>
                            <CsrfField csrf=csrf.clone()/>
                            <input type="hidden" name="candidature" value=t.application.to_string()/>
                            {format!("{} — {} ", t.intern, t.semester)}
                            <button type="submit">"Confirmer le semestre"</button>
                        </form>
                    </li>
                }
            })
            .collect_view();
        view! { <ul>{items}</ul> }.into_any()
    };
    // A refused declaration brings back what was typed (the flash layer keeps it off the address).
    let typed = typed_form::<SemesterForm>().unwrap_or_default();
    let seasons = Semester::ALL
        .iter()
        .map(|s| view! { <option selected=s.code() == typed.semestre value=s.code()>{s.label()}</option> })
        .collect_view();
    view! {
        <section aria-labelledby="semestres">
            <h3 id="semestres">"Semestres de vos internes"</h3>
            <p class="muted">{match side.confirmed {
                0 => "Aucun semestre confirmé. ".to_owned(),
                1 => "1 semestre confirmé. ".to_owned(),
                n => format!("{n} semestres confirmés. "),
            }}
                "Un interne dont vous confirmez le semestre peut donner son avis sur le terrain."</p>
            {to_confirm}
            <form class="stacked" method="post" action=paths::SEMESTERS.of(site)>
                <CsrfField csrf/>
                <p>"Un interne venu sans passer par une offre du portail : déclarez son semestre pour son compte."</p>
                <Field id="semestre-email" label="Adresse e-mail de son compte" let:aria>
                    <input id="semestre-email" name="email" type="email" value=typed.email.clone() required aria-invalid=aria.invalid aria-describedby=aria.describedby/>
                </Field>
                <Field id="semestre-saison" label="Semestre" let:aria>
                    <select id="semestre-saison" name="semestre" required aria-invalid=aria.invalid aria-describedby=aria.describedby>{seasons}</select>
                </Field>
                <Field id="semestre-annee" label="Année" let:aria>
                    <input id="semestre-annee" name="annee" type="number" min="2000" max="2200" value=typed.annee.clone() required aria-invalid=aria.invalid aria-describedby=aria.describedby/>
                </Field>
                <button type="submit">"Déclarer le semestre"</button>
            </form>
        </section>
    }
}

/// `/moderation/avis`: the reviews waiting, each to publish or refuse with a reason.
#[component]
pub fn ReviewModerationPage() -> impl IntoView {
    view! {
        <Title text="Avis de stage à modérer — Médecins & Territoires"/>
        <Meta name="robots" content="noindex"/>
        <h1>"Avis de stage à modérer"</h1>
        <ReviewOutcome/>
        {super::with_access(paths::MODERATION.to_owned(), (), |_| get_pending_reviews(), pending_view)}
    }
}

fn pending_view(viewer: Viewer, pending: Vec<PendingReview>) -> impl IntoView {
    if pending.is_empty() {
        return view! { <p>"Aucun avis n'attend de modération."</p> }.into_any();
    }
    let items = pending
        .into_iter()
        .map(|r| {
            let reason = format!("motif-{}", r.id);
            let typed = typed_for::<ModerationForm>(fields::REVIEW, r.id);
            view! {
                <li class="event-item">
                    <a href=r.site_path.clone()><strong>{r.site.clone()}</strong></a>
                    <p class="muted">{scores_text(&r.scores)}</p>
                    <p>{r.body.clone()}</p>
                    <form class="stacked" method="post" action=paths::MODERATE.of(r.id)>
                        <CsrfField csrf=viewer.csrf.clone()/>
                        <fieldset>
                            <legend>"Décision"</legend>
                            <span class="choice">
                                <input type="radio" id=format!("publier-{}", r.id) name="decision" value="publier" checked=typed.decision == "publier" required/>
                                <label for=format!("publier-{}", r.id)>"Publier"</label>
                            </span>
                            <span class="choice">
                                <input type="radio" id=format!("refuser-{}", r.id) name="decision" value="refuser" checked=typed.decision == "refuser"/>
                                <label for=format!("refuser-{}", r.id)>"Refuser"</label>
                            </span>
                        </fieldset>
                        <label for=reason.clone()>"Motif du refus (l'interne le lira) : un nom cité, des propos injurieux…"</label>
                        <textarea id=reason name="motif" maxlength="300" rows="2">{typed.motif.clone()}</textarea>
                        <button type="submit">"Valider la décision"</button>
                    </form>
                </li>
            }
        })
        .collect_view();
    view! { <ul class="event-list">{items}</ul> }.into_any()
}
