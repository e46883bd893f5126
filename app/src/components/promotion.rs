//! A territory's promotion page as the public sees it (presentation, cadre de vie, photos,
//! video, testimonials, the referent and the guichet unique's form), the guichet of a
//! territory without a referent of its own (the nearest above's, or a plain word that there is
//! none yet), and the outcome of the territory-page and guichet forms.

use crate::components::{CommonCodes, ExampleBadge, Field, NotIndexedIf, encode_query_value, outcome};
use crate::domain::accounts::{self, Viewer, fields as account_fields, paths as account_paths};
use crate::domain::promotion::{
    Guichet, GuichetHere, Promotion, PromotionNotice, PromotionProblem, PublicPromotion, ReferentView, fields,
    get_promotion, paths,
};
use crate::domain::territory::TerritoryRef;
use crate::format;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// What the redirect after a territory-page or guichet form said.
#[component]
pub fn PromotionOutcome() -> impl IntoView {
    outcome::<PromotionProblem, PromotionNotice>(CommonCodes::Said)
}

/// The promotion page itself. `contact` adds the guichet's form under the referent.
#[component]
pub fn PromotionView(promotion: Promotion, #[prop(optional)] contact: Option<AnyView>) -> impl IntoView {
    let p = promotion;
    let sections = p
        .sections
        .iter()
        .map(|s| {
            let id = format!("cadre-{}", s.code);
            let labelled_by = id.clone();
            view! {
                <section class="life-section" aria-labelledby=labelled_by>
                    <h3 id=id>{s.label.clone()}</h3>
                    <div class="prose" inner_html=s.html.clone()></div>
                </section>
            }
        })
        .collect_view();
    let photos = (!p.photos.is_empty()).then(|| {
        let figures = p
            .photos
            .iter()
            .map(|photo| {
                let caption =
                    (!photo.credit.is_empty()).then(|| view! { <figcaption>"© " {photo.credit.clone()}</figcaption> });
                view! {
                    <figure>
                        <a href=paths::photo(photo.id)>
                            <img src=paths::thumbnail(photo.id) alt=photo.alt.clone() loading="lazy"/>
                        </a>
                        {caption}
                    </figure>
                }
            })
            .collect_view();
        view! { <div class="gallery">{figures}</div> }
    });
    let testimonials = (!p.testimonials.is_empty()).then(|| {
        let quotes = p
            .testimonials
            .iter()
            .map(|t| {
                let portrait = t.photo.clone().map(|photo| {
                    view! { <img class="portrait" src=paths::thumbnail(photo.id) alt=photo.alt loading="lazy"/> }
                });
                view! {
                    <figure class="testimonial">
                        {portrait}
                        <blockquote inner_html=t.quote_html.clone()></blockquote>
                        <figcaption><strong>{t.name.clone()}</strong> ", " {t.role.clone()}</figcaption>
                    </figure>
                }
            })
            .collect_view();
        view! {
            <section aria-labelledby="ambassadeurs">
                <h3 id="ambassadeurs">"Ils et elles y exercent"</h3>
                {quotes}
            </section>
        }
    });
    let video = p.video_url.clone().map(|url| {
        view! { <p><a href=url rel="noopener noreferrer external">"Voir la vidéo de présentation du territoire"</a></p> }
    });
    let referent = p.referent.clone().map(|r| {
        view! {
            <section class="referent" aria-labelledby="guichet-titre" id="guichet">
                <h3 id="guichet-titre">"Votre contact : guichet unique"</h3>
                <p>{referent_line(r)}</p>
                {contact}
            </section>
        }
    });
    view! {
        <div class="promotion">
            <p class="muted">"Présenté par " {p.organisation_name.clone()} " — mis à jour le " {format::date(p.revised_at)} "."</p>
            <div class="prose" inner_html=p.presentation_html.clone()></div>
            {photos}
            {video}
            {(!p.sections.is_empty()).then(|| view! { <h3>"Cadre de vie"</h3> })}
            {sections}
            {testimonials}
            {referent}
        </div>
    }
    .into_any()
}

/// Who answers, and what for.
fn referent_line(referent: ReferentView) -> impl IntoView {
    view! {
        <strong data-referent="nom">{referent.name}</strong>
        {(!referent.role.is_empty()).then(|| view! { ", " <span data-referent="role">{referent.role}</span> })}
        " — un seul interlocuteur pour votre projet : installation, logement, emploi du conjoint, écoles, aides."
    }
}

/// The guichet's form: sign in first, then subject and message.
fn contact_form(viewer: &Viewer, organisation: i64, here: &str) -> AnyView {
    if viewer.user.is_none() {
        let next = encode_query_value(&format!("{here}#guichet"));
        let sign_in = format!("{}?{}={next}", account_paths::SIGN_IN, account_fields::NEXT);
        return view! {
            <p><a class="button" href=sign_in>"Se connecter pour contacter le référent"</a>
            " (ou " <a href=account_paths::SIGN_UP>"créer un compte"</a> ")."</p>
        }
        .into_any();
    }
    let query = use_query_map();
    let (subject, message) = query
        .with_untracked(|q| (q.get(fields::SUBJECT).unwrap_or_default(), q.get(fields::MESSAGE).unwrap_or_default()));
    view! {
        <form class="stacked" method="post" action=paths::CONTACT.of(organisation)>
            <input type="hidden" name=account_fields::CSRF value=viewer.csrf.clone()/>
            <input type="hidden" name="retour" value=here.to_owned()/>
            <Field id="objet" label="Objet de votre demande" let:aria>
                <input id="objet" name=fields::SUBJECT type="text" required minlength="5" maxlength="150" value=subject aria-invalid=aria.invalid aria-describedby=aria.describedby/>
            </Field>
            <Field id="message-guichet" label="Votre message" let:aria>
                <textarea id="message-guichet" name=fields::MESSAGE required minlength="10" maxlength="5000" rows="5" aria-invalid=aria.invalid aria-describedby=aria.describedby>{message}</textarea>
            </Field>
            <button type="submit">"Contacter le référent"</button>
        </form>
    }
    .into_any()
}

/// The published page of the territory's collectivité, if any, with the guichet's form; and,
/// for a territory without a referent of its own, the guichet of the nearest territory above
/// (`epci`, `departements`: those above it, named when none has one).
#[component]
pub fn TerritoryPromotion(
    kind: &'static str,
    code: String,
    here: String,
    #[prop(default = None)] epci: Option<TerritoryRef>,
    #[prop(optional)] departements: Vec<TerritoryRef>,
) -> impl IntoView {
    let promotion = Resource::new(move || code.clone(), move |code| get_promotion(kind.to_owned(), code));
    let viewer = Resource::new(|| (), |_| accounts::get_viewer());
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let here = here.clone();
                let above = (epci.clone(), departements.clone());
                Suspend::new(async move {
                    match (promotion.await, viewer.await) {
                        (Ok(Some(PublicPromotion { page, guichet })), Ok(viewer)) => {
                            let own = guichet == GuichetHere::Own;
                            let page = page.map(|promotion| {
                                // Shown under the page's referent, when it has one (`own`);
                                // otherwise the form is the guichet's section's, below, and
                                // so is what it answered.
                                let contact = contact_form(&viewer, promotion.organisation_id, &here);
                                let example = promotion.example;
                                view! {
                                    <NotIndexedIf example/>
                                    <section aria-labelledby="vivre-ici" class="territory-promotion">
                                        <h2 id="vivre-ici">"Vivre et exercer ici"</h2>
                                        {(kind == "commune").then(|| view! { <p><a href="#offres-ici">"Les offres ouvertes dans la commune"</a></p> })}
                                        {example.then(|| view! { <p><ExampleBadge title="Page de démonstration : ses textes ne décrivent pas ce territoire"/></p> })}
                                        {own.then(|| view! { <PromotionOutcome/> })}
                                        <PromotionView promotion contact/>
                                    </section>
                                }
                            });
                            let elsewhere = match guichet {
                                GuichetHere::Own => ().into_any(),
                                GuichetHere::Above(guichet) => guichet_above(guichet, &viewer, &here).into_any(),
                                GuichetHere::Nowhere { elsewhere } => no_guichet(above, elsewhere).into_any(),
                            };
                            view! { {page} {elsewhere} }.into_any()
                        }
                        _ => ().into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

/// The guichet of the nearest territory above, with its form: the case goes to that
/// collectivité, and the form comes back here.
fn guichet_above(guichet: Guichet, viewer: &Viewer, here: &str) -> impl IntoView {
    let contact = contact_form(viewer, guichet.organisation_id, here);
    view! {
        <section class="referent guichet" aria-labelledby="guichet-titre" id="guichet" data-guichet="au-dessus">
            <h2 id="guichet-titre">"Guichet unique"</h2>
            <PromotionOutcome/>
            <p>
                "Ce territoire n'a pas de référent à lui. Le guichet unique le plus proche : "
                <a href=guichet.territory.path data-guichet="territoire">{guichet.territory.name}</a>
                " (" {guichet.level.label()} ")."
                {guichet.example.then(|| view! { " " <ExampleBadge title="Page de démonstration"/> })}
            </p>
            <p>"Votre contact : " {referent_line(guichet.referent)}</p>
            {contact}
        </section>
    }
}

/// No referent here nor above: said plainly, with the way to those who have one.
fn no_guichet((epci, departements): (Option<TerritoryRef>, Vec<TerritoryRef>), elsewhere: i64) -> impl IntoView {
    let link = |t: TerritoryRef| view! { <a href=t.path>{t.name}</a> };
    let epci = epci.map(|e| view! { ", ni pour son intercommunalité (" {link(e)} ")" });
    let departements = (!departements.is_empty()).then(|| {
        let words =
            if departements.len() == 1 { ", ni pour son département (" } else { ", ni pour ses départements (" };
        let names = departements
            .into_iter()
            .enumerate()
            .map(|(i, d)| view! { {(i > 0).then_some(", ")} {link(d)} })
            .collect_view();
        view! { {words} {names} ")" }
    });
    let count = match elsewhere {
        0 => "Aucun territoire n'a encore de référent : ".to_owned(),
        1 => "Un territoire a déjà le sien : ".to_owned(),
        n => format!("{} territoires ont déjà le leur : ", format::int(n)),
    };
    view! {
        <section class="referent guichet" aria-labelledby="guichet-titre" id="guichet" data-guichet="aucun">
            <h2 id="guichet-titre">"Guichet unique"</h2>
            <p>"Pas encore de référent pour ce territoire" {epci} {departements} "."</p>
            <p>{count} "voir " <a href=paths::GUICHETS>"la liste des guichets uniques"</a> "."</p>
        </section>
    }
}
