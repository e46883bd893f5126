//! Housing for interns: one housing (`/logements-internes/{id}`), an organisation's housing with
//! the form of a new one (`/organisations/{id}/logements-internes`), and the list of the
//! housing near a place that stage sites' and stage offers' pages show.

use crate::components::{
    Breadcrumb, CommonCodes, CommuneField, ConfirmedAction, CsrfField, ExampleBadge, Field, FieldNote, NotFound,
    NotIndexedIf, encode_query_value, outcome, provide_refusal, typed_form, unavailable_view,
};
use crate::domain::accounts::{self, Viewer, fields as account_fields, paths as account_paths};
use crate::domain::housing::{
    HousingForm, HousingKind, HousingNotice, HousingProblem, HousingRow, HousingView, OrganisationHousing, RADII,
    fields, get_housing, get_housing_near, get_organisation_housing, paths,
};
use crate::domain::organisations::paths as organisation_paths;
use crate::domain::stages::paths as stage_paths;
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

/// What the redirect after a housing form said.
#[component]
fn HousingOutcome() -> impl IntoView {
    outcome::<HousingProblem, HousingNotice>(CommonCodes::Said)
}

const EXAMPLE_HOUSING: &str = "Logement de démonstration, pas un vrai logement";

/// A housing in a list; `km`, its distance when the list is of housing nearby.
pub fn housing_item(row: HousingRow, km: Option<i64>) -> impl IntoView {
    view! {
        <li class="event-item">
            {km.map(|km| view! { <span class="badge badge-light" data-km=km>{format!("{km} km")}</span> " " })}
            <a href=paths::HOUSING.of(row.id)><strong>{row.title.clone()}</strong></a>
            {row.closed.then(|| view! { <span class="badge badge-light">"plus proposé"</span> })}
            {row.example.then(|| view! { <ExampleBadge title=EXAMPLE_HOUSING/> })}
            <br/>
            {row.kind.label()} " — " {row.rent_text()} " — " {row.places_text()} " — " {row.dates_text()}
            <br/>
            {row.area.clone()} ", " <a href=row.commune.path.clone()>{row.commune.name.clone()}</a>
        </li>
    }
}

#[component]
pub fn HousingPage() -> impl IntoView {
    let params = use_params_map();
    let id = params.with_untracked(|p| p.get("id")).unwrap_or_default();
    let viewer = Resource::new(|| (), |_| accounts::get_viewer());
    let housing = Resource::new(move || id.clone(), get_housing);
    view! {
        <HousingOutcome/>
        <Suspense fallback=super::loading>
            {move || Suspend::new(async move {
                match (viewer.await, housing.await) {
                    (Ok(viewer), Ok(Some(housing))) => housing_view(viewer, housing).into_any(),
                    (Ok(_), Ok(None)) => view! { <NotFound/> }.into_any(),
                    (Err(error), _) | (_, Err(error)) => unavailable_view(error),
                }
            })}
        </Suspense>
    }
}

fn housing_view(viewer: Viewer, housing: HousingView) -> impl IntoView {
    let row = housing.row.clone();
    let here = paths::HOUSING.of(row.id);
    let contact = match housing.contact.clone() {
        Some(contact) => view! { <p class="contact" data-field="contact">{contact}</p> }.into_any(),
        None => {
            let sign_in = format!("{}?{}={}", account_paths::SIGN_IN, account_fields::NEXT, encode_query_value(&here));
            view! {
                <p><a href=sign_in>"Connectez-vous"</a>" pour voir qui contacter : l'adresse exacte se donne au contact, jamais en public."</p>
            }
            .into_any()
        }
    };
    let manage = (housing.manager && !row.closed).then(|| {
        view! {
            <section aria-labelledby="gerer">
                <h2 id="gerer">"Gérer ce logement"</h2>
                <ConfirmedAction action=paths::WITHDRAW.of(row.id) csrf=viewer.csrf.clone() id="retrait-logement"
                    confirm="Je confirme le retrait de ce logement." button="Retirer ce logement">
                    <p>"Un logement retiré n'apparaît plus sur le portail. Cela ne se défait pas."</p>
                </ConfirmedAction>
            </section>
        }
    });
    view! {
        <Title text=format!("{} — logement pour internes à {} — Médecins & Territoires", row.title, row.commune.name)/>
        <Meta name="description" content=format!("Logement pour internes à {} : {}, {}.", row.commune.name, row.kind.label(), row.rent_text())/>
        <Breadcrumb trail=vec![("Internes".to_owned(), stage_paths::INTERNS.to_owned()), (row.commune.name.clone(), row.commune.path.clone())] here=row.title.clone()/>
        <NotIndexedIf example=row.example/>
        <h1>{row.title.clone()}</h1>
        {row.example.then(|| view! { <p><ExampleBadge title=EXAMPLE_HOUSING/></p> })}
        {row.closed.then(|| view! { <p class="notice" role="status">"Ce logement n'est plus proposé : seuls les membres de l'organisation le voient."</p> })}
        <dl class="facts">
            <dt>"Type"</dt><dd>{row.kind.label()}</dd>
            <dt>"Loyer"</dt><dd data-field="loyer">{row.rent_text()}</dd>
            <dt>"Accueil"</dt><dd data-field="places">{row.places_text()}</dd>
            <dt>"Disponible"</dt><dd data-field="dates">{row.dates_text()}</dd>
            <dt>"Où"</dt><dd data-field="secteur">{row.area.clone()} ", " <a href=row.commune.path.clone()>{row.commune.name.clone()}</a></dd>
            <dt>"Proposé par"</dt><dd>{row.organisation_name.clone()}</dd>
        </dl>
        {(!housing.details_html.is_empty()).then(|| view! { <div class="prose" inner_html=housing.details_html.clone()></div> })}
        <section aria-labelledby="contact">
            <h2 id="contact">"Qui contacter"</h2>
            {contact}
        </section>
        <p><a href=stage_paths::INTERNS>"Les terrains de stage et les logements de la région"</a></p>
        {manage}
    }
}

#[component]
pub fn OrganisationHousingPage() -> impl IntoView {
    provide_refusal::<HousingProblem>();
    let params = use_params_map();
    let organisation = params.with_untracked(|p| p.get("id")).unwrap_or_default();
    let here = paths::ORGANISATION.of(&organisation);
    view! {
        <Title text="Logements pour internes de l'organisation — Médecins & Territoires"/>
        <Meta name="robots" content="noindex"/>
        <h1>"Logements pour internes"</h1>
        <HousingOutcome/>
        {super::with_access(here, organisation, get_organisation_housing, organisation_housing)}
    }
}

fn organisation_housing(viewer: Viewer, page: OrganisationHousing) -> impl IntoView {
    let organisation = page.organisation_id;
    let list = if page.housing.is_empty() {
        view! { <p>"Aucun logement publié pour l'instant."</p> }.into_any()
    } else {
        view! { <ul class="event-list">{page.housing.into_iter().map(|h| housing_item(h, None)).collect_view()}</ul> }
            .into_any()
    };
    let form = if page.may_publish {
        let f = typed_form::<HousingForm>().unwrap_or_default();
        let kinds = HousingKind::ALL
            .iter()
            .map(|k| view! { <option value=k.code() selected=f.nature == k.code()>{k.label()}</option> })
            .collect_view();
        view! {
            <section aria-labelledby="nouveau-logement">
                <h2 id="nouveau-logement">"Publier un logement"</h2>
                <p>"Une chambre, un studio ou un appartement pour les internes en stage près de chez vous : il apparaît sur sa page, sur la page des internes et près des terrains et des offres de stage."</p>
                <form class="stacked" method="post" action=paths::ORGANISATION.of(organisation)>
                    <CsrfField csrf=viewer.csrf.clone()/>
                    <Field id="titre" label="Titre (par exemple : Studio meublé près de la maison de santé)" let:aria>
                        <input id="titre" name=fields::TITLE type="text" required maxlength="120" value=f.titre.clone() aria-invalid=aria.invalid aria-describedby=aria.describedby/>
                    </Field>
                    <CommuneField id="commune".to_owned() name=fields::COMMUNE.to_owned() label="Commune".to_owned()
                        value=f.commune.clone() required=true/>
                    <FieldNote id="commune"/>
                    <Field id="secteur" label="Secteur : quartier, hameau ou distance d'un repère — pas l'adresse exacte, que le public ne voit jamais" let:aria>
                        <input id="secteur" name=fields::AREA type="text" required maxlength="120" value=f.secteur.clone() aria-invalid=aria.invalid aria-describedby=aria.describedby/>
                    </Field>
                    <Field id="nature" label="Type de logement" let:aria>
                        <select id="nature" name=fields::KIND required aria-invalid=aria.invalid aria-describedby=aria.describedby>
                            <option value="" selected=f.nature.is_empty()>"— choisir —"</option>
                            {kinds}
                        </select>
                    </Field>
                    <Field id="loyer" label="Loyer mensuel en euros, charges comprises (0 si gratuit)" let:aria>
                        <input id="loyer" name=fields::RENT type="number" min="0" max="2000" required value=f.loyer.clone() aria-invalid=aria.invalid aria-describedby=aria.describedby/>
                    </Field>
                    <Field id="meuble" label="Meublé" let:aria>
                        <select id="meuble" name=fields::FURNISHED required aria-invalid=aria.invalid aria-describedby=aria.describedby>
                            <option value="" selected=f.meuble.is_empty()>"— choisir —"</option>
                            <option value="oui" selected=f.meuble == "oui">"Oui, meublé"</option>
                            <option value="non" selected=f.meuble == "non">"Non, vide"</option>
                        </select>
                    </Field>
                    <Field id="du" label="Disponible à partir du" let:aria>
                        <input id="du" name=fields::FROM type="date" required value=f.du.clone() aria-invalid=aria.invalid aria-describedby=aria.describedby/>
                    </Field>
                    <Field id="au" label="Jusqu'au (facultatif : sans date, jusqu'à ce que vous le retiriez)" let:aria>
                        <input id="au" name=fields::UNTIL type="date" value=f.au.clone() aria-invalid=aria.invalid aria-describedby=aria.describedby/>
                    </Field>
                    <Field id="places" label="Internes accueillis" let:aria>
                        <input id="places" name=fields::PLACES type="number" min="1" max="20" required value=f.places.clone() aria-invalid=aria.invalid aria-describedby=aria.describedby/>
                    </Field>
                    <Field id="contact" label="Qui contacter : nom, téléphone ou e-mail (montré aux personnes connectées)" let:aria>
                        <textarea id="contact" name=fields::CONTACT required maxlength="300" rows="2" aria-invalid=aria.invalid aria-describedby=aria.describedby>{f.contact.clone()}</textarea>
                    </Field>
                    <Field id="details" label="Précisions (facultatif, Markdown) : équipement, transports, conditions" let:aria>
                        <textarea id="details" name=fields::DETAILS maxlength="2000" rows="4" aria-invalid=aria.invalid aria-describedby=aria.describedby>{f.details.clone()}</textarea>
                    </Field>
                    <button type="submit">"Publier le logement"</button>
                </form>
            </section>
        }
        .into_any()
    } else {
        view! { <p class="notice">"Une collectivité, une structure de santé ou un cabinet vérifiés peuvent publier des logements pour internes."</p> }.into_any()
    };
    view! {
        <p class="lead"><a href=organisation_paths::ORGANISATION.of(organisation)>{page.organisation_name.clone()}</a></p>
        {list}
        {form}
    }
}

/// The housing for interns within a distance the visitor chooses (a plain GET form) of the
/// commune `code`: on stage sites' and stage offers' pages.
#[component]
pub fn HousingNearby(code: String) -> impl IntoView {
    let query = use_query_map();
    let km = query.with_untracked(|q| q.get(paths::RADIUS).unwrap_or_default());
    let near = Resource::new(move || (code.clone(), km.clone()), |(code, km)| get_housing_near(code, km));
    view! {
        <section aria-labelledby=paths::NEARBY>
            <h2 id=paths::NEARBY>"Logements pour les internes à proximité"</h2>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match near.await {
                        Ok(near) => {
                            let radius = near.radius.km();
                            let options = RADII
                                .iter()
                                .map(|km| view! { <option value=km.to_string() selected=*km == radius>{format!("{km} km")}</option> })
                                .collect_view();
                            let list = if near.items.is_empty() {
                                view! { <p>{format!("Aucun logement pour internes publié à moins de {radius} km.")}</p> }.into_any()
                            } else {
                                let items = near.items.into_iter().map(|h| housing_item(h.row, Some(h.km))).collect_view();
                                view! { <ul class="event-list">{items}</ul> }.into_any()
                            };
                            view! {
                                <form class="filters" method="get" action=format!("#{}", paths::NEARBY)>
                                    <div>
                                        <Field id="logement-km" label="À moins de" let:aria>
                                            <select id="logement-km" name=paths::RADIUS aria-invalid=aria.invalid aria-describedby=aria.describedby>{options}</select>
                                        </Field>
                                    </div>
                                    <div class="actions"><button type="submit">"Afficher"</button></div>
                                </form>
                                <p class="muted">"Distances entre les centres des communes."</p>
                                {list}
                            }
                            .into_any()
                        }
                        Err(error) => unavailable_view(error),
                    }
                })}
            </Suspense>
        </section>
    }
}
