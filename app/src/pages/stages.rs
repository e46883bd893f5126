//! Stage sites: one site (`/terrains-de-stage/{id}`), an organisation's sites with the form of
//! a new one (`/organisations/{id}/terrains-de-stage`), a commune's sites on its page, and the
//! interns' page (`/internes`).

use crate::components::TerritoryMap;
use crate::components::{
    AlertBox, AlertOutcome, Breadcrumb, CommonCodes, CommuneField, ConfirmedAction, CsrfField, ExampleBadge, Field,
    FieldNote, NotFound, NotIndexedIf, checkboxes, outcome, provide_refusal, typed_form, unavailable_view,
};
use crate::domain::accounts::{self, Viewer};
use crate::domain::alerts::{AlertSubject, Frequency, describe_sites};
use crate::domain::map::MapFocus;
use crate::domain::offers::{OfferKind, Specialty, paths as offer_paths};
use crate::domain::open_data::paths as open_paths;
use crate::domain::organisations::paths as organisation_paths;
use crate::domain::stages::{
    Faculty, InternsPage as Page, OrganisationStageSites, SiteFilter, StageActivity, StageLevel, StageNotice,
    StageOfferLink, StageProblem, StageSiteForm, StageSiteRow, StageSiteView, fields, get_interns_page,
    get_organisation_stage_sites, get_stage_site, paths,
};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

/// What the redirect after a stage site form said.
#[component]
fn StageOutcome() -> impl IntoView {
    outcome::<StageProblem, StageNotice>(CommonCodes::Said)
}

const EXAMPLE_SITE: &str = "Terrain de stage de démonstration, pas un vrai terrain";
const EXAMPLE_OFFER: &str = "Offre de démonstration, pas une vraie offre";

fn levels(row: &StageSiteRow) -> String {
    row.levels.iter().map(|l| l.short()).collect::<Vec<_>>().join(", ")
}

fn per_semester(capacity: i64) -> String {
    format!("{capacity} interne{} par semestre", if capacity > 1 { "s" } else { "" })
}

/// A stage site in a list.
pub fn site_item(row: StageSiteRow) -> impl IntoView {
    view! {
        <li class="event-item">
            <a href=paths::SITE.of(row.id)><strong>{row.name.clone()}</strong></a>
            {row.withdrawn.then(|| view! { <span class="badge badge-light">"retiré"</span> })}
            {row.example.then(|| view! { <ExampleBadge title=EXAMPLE_SITE/> })}
            <br/>
            {row.specialty.label()} " — " {levels(&row)} " — " {per_semester(row.capacity)}
            " — faculté de " {row.faculty.short()} " — " <a href=row.commune.path.clone()>{row.commune.name.clone()}</a>
            {row.rating.map(|r| view! { <br/> <span data-rating="">{format!("Avis des internes : {}", r.text())}</span> })}
        </li>
    }
}

#[component]
pub fn StageSitePage() -> impl IntoView {
    let params = use_params_map();
    let id = params.with_untracked(|p| p.get("id")).unwrap_or_default();
    let viewer = Resource::new(|| (), |_| accounts::get_viewer());
    let site = Resource::new(move || id.clone(), get_stage_site);
    view! {
        <StageOutcome/>
        <Suspense fallback=super::loading>
            {move || Suspend::new(async move {
                match (viewer.await, site.await) {
                    (Ok(viewer), Ok(Some(site))) => site_view(viewer, site).into_any(),
                    (Ok(_), Ok(None)) => view! { <NotFound/> }.into_any(),
                    (Err(error), _) | (_, Err(error)) => unavailable_view(error),
                }
            })}
        </Suspense>
    }
}

fn site_view(viewer: Viewer, site: StageSiteView) -> impl IntoView {
    let row = site.row.clone();
    let supervisors = site.supervisors.iter().map(|s| view! { <li>{s.clone()}</li> }).collect_view();
    let activities = if site.activities.is_empty() {
        view! { <p>"L'interne suit les consultations de ses maîtres de stage."</p> }.into_any()
    } else {
        let items = site.activities.iter().map(|a| view! { <li>{a.label()}</li> }).collect_view();
        view! { <ul>{items}</ul> }.into_any()
    };
    let offers = if site.offers.is_empty() {
        view! { <p>"Aucune offre de stage ouverte pour l'instant."</p> }.into_any()
    } else {
        let items = site.offers.iter().map(|o| offer_item(o.clone(), false)).collect_view();
        view! { <ul>{items}</ul> }.into_any()
    };
    let manage = (site.manager && !row.withdrawn).then(|| {
        view! {
            <section aria-labelledby="gerer">
                <h2 id="gerer">"Gérer ce terrain"</h2>
                <ConfirmedAction action=paths::WITHDRAW.of(row.id) csrf=viewer.csrf.clone() id="retrait-terrain"
                    confirm="Je confirme le retrait de ce terrain de stage." button="Retirer ce terrain de stage">
                    <p>"Un terrain retiré n'apparaît plus sur le portail ; ses offres restent en place. Cela ne se défait pas."</p>
                </ConfirmedAction>
            </section>
        }
    });
    let level_items = row.levels.iter().map(|l| view! { <li>{l.label()}</li> }).collect_view();
    view! {
        <Title text=format!("{} — terrain de stage — Médecins & Territoires", row.name)/>
        <Meta name="description" content=format!("Terrain de stage d'internes à {} : {}, {}.", row.commune.name, row.specialty.label(), levels(&row))/>
        <Breadcrumb trail=vec![(row.commune.name.clone(), row.commune.path.clone())] here=row.name.clone()/>
        <NotIndexedIf example=row.example/>
        <h1>{row.name.clone()}</h1>
        {row.example.then(|| view! { <p><ExampleBadge title=EXAMPLE_SITE/></p> })}
        {row.withdrawn.then(|| view! { <p class="notice" role="status">"Ce terrain de stage est retiré : seuls les membres de l'organisation le voient."</p> })}
        <dl class="facts">
            <dt>"Spécialité"</dt><dd>{row.specialty.label()}</dd>
            <dt>"Agréé par"</dt><dd>{row.faculty.label()}</dd>
            <dt>"Accueil"</dt><dd data-figure="capacite">{per_semester(row.capacity)}</dd>
            <dt>"Où"</dt><dd><a href=row.commune.path.clone()>{row.commune.name.clone()}</a></dd>
            <dt>"Déclaré par"</dt><dd>{row.organisation_name.clone()}</dd>
            {row.rating.map(|r| view! { <dt>"Avis des internes"</dt><dd><a href=format!("#{}", crate::domain::reviews::paths::ANCHOR)>{r.text()}</a></dd> })}
        </dl>
        <div class="prose" inner_html=site.description_html.clone()></div>
        <h2>"Niveaux de stage accueillis"</h2>
        <ul>{level_items}</ul>
        <h2>"Maîtres de stage universitaires"</h2>
        <ul>{supervisors}</ul>
        <h2>"Ce que fait l'interne"</h2>
        {activities}
        <section aria-labelledby="offres-stage">
            <h2 id="offres-stage">"Offres de stage"</h2>
            {offers}
        </section>
        <super::SiteReviewsSection site=row.id csrf=viewer.csrf.clone()/>
        <super::HousingNearby code=site.commune_code.clone()/>
        <p><a href=paths::INTERNS>"Tous les terrains de stage de la région"</a></p>
        {manage}
    }
}

#[component]
pub fn OrganisationStageSitesPage() -> impl IntoView {
    provide_refusal::<StageProblem>();
    let params = use_params_map();
    let organisation = params.with_untracked(|p| p.get("id")).unwrap_or_default();
    let here = paths::ORGANISATION.of(&organisation);
    view! {
        <Title text="Terrains de stage de l'organisation — Médecins & Territoires"/>
        <Meta name="robots" content="noindex"/>
        <h1>"Terrains de stage"</h1>
        <StageOutcome/>
        {super::with_access(here, organisation, get_organisation_stage_sites, organisation_sites)}
    }
}

fn organisation_sites(viewer: Viewer, page: OrganisationStageSites) -> impl IntoView {
    let organisation = page.organisation_id;
    let list = if page.sites.is_empty() {
        view! { <p>"Aucun terrain de stage déclaré pour l'instant."</p> }.into_any()
    } else {
        view! { <ul class="event-list">{page.sites.into_iter().map(site_item).collect_view()}</ul> }.into_any()
    };
    let form = if page.may_declare {
        let f = typed_form::<StageSiteForm>().unwrap_or_default();
        let specialties = Specialty::ALL
            .iter()
            .map(|s| view! { <option value=s.code() selected=f.specialite == s.code()>{s.label()}</option> })
            .collect_view();
        let faculties = Faculty::ALL
            .iter()
            .map(|s| view! { <option value=s.code() selected=f.faculte == s.code()>{s.label()}</option> })
            .collect_view();
        view! {
            <section aria-labelledby="nouveau-terrain">
                <h2 id="nouveau-terrain">"Déclarer un terrain de stage"</h2>
                <p>"Un terrain agréé par la faculté, où des internes font leur semestre : il apparaît sur sa page, sur celle de sa commune, et vos offres de stage peuvent y renvoyer."</p>
                <form class="stacked" method="post" action=paths::ORGANISATION.of(organisation)>
                    <CsrfField csrf=viewer.csrf.clone()/>
                    <Field id="nom" label="Nom du terrain (par exemple : Maison de santé du Bassin, stage de médecine générale)" let:aria>
                        <input id="nom" name=fields::NAME type="text" required maxlength="120" value=f.nom.clone() aria-invalid=aria.invalid aria-describedby=aria.describedby/>
                    </Field>
                    <CommuneField id="commune".to_owned() name=fields::COMMUNE.to_owned() label="Commune".to_owned()
                        value=f.commune.clone() required=true/>
                    <FieldNote id="commune"/>
                    <Field id="specialite" label="Spécialité" let:aria>
                        <select id="specialite" name=fields::SPECIALTY required aria-invalid=aria.invalid aria-describedby=aria.describedby>
                            <option value="" selected=f.specialite.is_empty()>"— choisir —"</option>
                            {specialties}
                        </select>
                    </Field>
                    <Field id="faculte" label="Faculté qui agrée le terrain" let:aria>
                        <select id="faculte" name=fields::FACULTY required aria-invalid=aria.invalid aria-describedby=aria.describedby>
                            <option value="" selected=f.faculte.is_empty()>"— choisir —"</option>
                            {faculties}
                        </select>
                    </Field>
                    {checkboxes(fields::LEVELS, "Niveaux de stage accueillis (au moins un)", StageLevel::ALL, StageLevel::code, StageLevel::label, &f.niveaux)}
                    <Field id="places" label="Internes accueillis par semestre" let:aria>
                        <input id="places" name=fields::CAPACITY type="number" min="1" max="20" required value=f.places.clone() aria-invalid=aria.invalid aria-describedby=aria.describedby/>
                    </Field>
                    <Field id="maitres_de_stage" label="Maîtres de stage universitaires (un par ligne)" let:aria>
                        <textarea id="maitres_de_stage" name=fields::SUPERVISORS required rows="4" aria-invalid=aria.invalid aria-describedby=aria.describedby>{f.maitres_de_stage.clone()}</textarea>
                    </Field>
                    {checkboxes(fields::ACTIVITIES, "Ce que fait l'interne", StageActivity::ALL, StageActivity::code, StageActivity::label, &f.activites)}
                    <Field id="description" label="Présentation (Markdown) : l'équipe, la patientèle, l'organisation des journées" let:aria>
                        <textarea id="description" name=fields::DESCRIPTION required maxlength="3000" rows="6" aria-invalid=aria.invalid aria-describedby=aria.describedby>{f.description.clone()}</textarea>
                    </Field>
                    <button type="submit">"Déclarer le terrain de stage"</button>
                </form>
            </section>
        }
        .into_any()
    } else {
        view! { <p class="notice">"Une structure de santé ou un cabinet vérifiés peuvent déclarer des terrains de stage."</p> }.into_any()
    };
    view! {
        <p class="lead"><a href=organisation_paths::ORGANISATION.of(organisation)>{page.organisation_name.clone()}</a></p>
        {list}
        {form}
    }
}

/// The stage sites of a commune, on its page (nothing when there are none).
#[component]
pub fn CommuneStageSites(code: String) -> impl IntoView {
    let sites = Resource::new(move || code.clone(), crate::domain::stages::get_commune_stage_sites);
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match sites.await {
                    Ok(sites) if !sites.is_empty() => view! {
                        <section aria-labelledby="terrains-de-stage">
                            <h2 id="terrains-de-stage">"Terrains de stage pour les internes"</h2>
                            <ul class="event-list">{sites.into_iter().map(site_item).collect_view()}</ul>
                            <p><a href=paths::INTERNS>"Tous les terrains de stage de la région"</a></p>
                        </section>
                    }
                    .into_any(),
                    _ => ().into_any(),
                }
            })}
        </Suspense>
    }
}

/// A stage offer in a list, marked when it is an example, with its commune when `commune`.
fn offer_item(o: StageOfferLink, commune: bool) -> impl IntoView {
    let badge = o.example.then(|| view! { " " <ExampleBadge title=EXAMPLE_OFFER/> });
    let commune = commune.then(|| format!(" — {}", o.commune));
    view! { <li><a href=o.path>{o.title}</a> {badge} {commune}</li> }
}

/// `/internes`: where to do a semester — the stage sites, of a faculty and a level when chosen,
/// and the latest stage offers, with the way to be told of new ones.
#[component]
pub fn InternsPage() -> impl IntoView {
    let query = use_query_map();
    let chosen = move || {
        query.with(|q| {
            let get = |key: &str| q.get(key).unwrap_or_default();
            (get("faculte"), get("niveau"), get("specialite"))
        })
    };
    let page = Resource::new(chosen, |(faculty, level, specialty)| get_interns_page(faculty, level, specialty));
    let viewer = Resource::new(|| (), |_| accounts::get_viewer());
    view! {
        <Title text="Internes : où faire votre stage — Médecins & Territoires"/>
        <Meta name="description" content="Les terrains de stage d'Occitanie agréés par les facultés de Montpellier-Nîmes et de Toulouse : niveaux, maîtres de stage, places ; les logements pour internes et les offres de stage ouvertes."/>
        <h1>"Internes : où faire votre stage"</h1>
        <p class="lead">"Les terrains de stage déclarés par les maisons de santé, centres et cabinets, agréés par votre faculté, les logements que collectivités et structures proposent aux internes, et les offres de stage ouvertes."</p>
        <AlertOutcome/>
        <Suspense fallback=super::loading>
            {move || Suspend::new(async move {
                match (page.await, viewer.await) {
                    (Ok(page), Ok(viewer)) => interns(page, viewer).into_any(),
                    (Err(error), _) | (_, Err(error)) => unavailable_view(error),
                }
            })}
        </Suspense>
    }
}

fn interns(page: Page, viewer: Viewer) -> impl IntoView {
    let faculty = page.filter.faculty.map(Faculty::code).unwrap_or_default();
    let level = page.filter.level.map(StageLevel::code).unwrap_or_default();
    let faculties = Faculty::ALL
        .iter()
        .map(|f| view! { <option value=f.code() selected=faculty == f.code()>{f.short()}</option> })
        .collect_view();
    let levels = StageLevel::ALL
        .iter()
        .map(|l| view! { <option value=l.code() selected=level == l.code()>{l.short()}</option> })
        .collect_view();
    let specialty = page.filter.specialty.map(Specialty::code).unwrap_or_default();
    let specialties = Specialty::ALL
        .iter()
        .map(|s| view! { <option value=s.code() selected=specialty == s.code()>{s.label()}</option> })
        .collect_view();
    let count = page.sites.len();
    let sites = if page.sites.is_empty() {
        view! { <p>"Aucun terrain de stage déclaré pour ce choix pour l'instant."</p> }.into_any()
    } else {
        view! { <ul class="event-list">{page.sites.into_iter().map(site_item).collect_view()}</ul> }.into_any()
    };
    let offers = if page.offers.is_empty() {
        view! { <p>"Aucune offre de stage ouverte pour l'instant."</p> }.into_any()
    } else {
        let items = page.offers.into_iter().map(|o| offer_item(o, true)).collect_view();
        view! { <ul>{items}</ul> }.into_any()
    };
    let housing_count = match page.housing.len() {
        0 => "Aucun logement pour internes publié pour l'instant.".to_owned(),
        1 => "1 logement, proposé par une collectivité ou une structure de santé.".to_owned(),
        n => format!("{n} logements, proposés par des collectivités et des structures de santé."),
    };
    let housing = (!page.housing.is_empty()).then(|| {
        let items = page.housing.into_iter().map(|h| super::housing::housing_item(h, None)).collect_view();
        view! { <ul class="event-list">{items}</ul> }
    });
    let board = format!("{}?type={}", offer_paths::BOARD, OfferKind::Stage.code());
    // The sites' feed follows the filters chosen above, as the list does.
    let chosen = page.filter.query_string();
    let sites_feed = |path: &str| match chosen.is_empty() {
        true => path.to_owned(),
        false => format!("{path}?{chosen}"),
    };
    let (sites_atom, sites_rss) = (sites_feed(open_paths::STAGE_SITES_ATOM), sites_feed(open_paths::STAGE_SITES_RSS));
    let alert = sites_alert(page.filter, viewer);
    view! {
        // Each label with its list in one cell of the grid: apart, they sat side by side.
        <form class="filters" method="get" action=paths::INTERNS>
            <div>
                <Field id="faculte" label="Faculté" let:aria>
                    <select id="faculte" name="faculte" aria-invalid=aria.invalid aria-describedby=aria.describedby>
                        <option value="" selected=faculty.is_empty()>"Toutes"</option>
                        {faculties}
                    </select>
                </Field>
            </div>
            <div>
                <Field id="niveau" label="Niveau" let:aria>
                    <select id="niveau" name="niveau" aria-invalid=aria.invalid aria-describedby=aria.describedby>
                        <option value="" selected=level.is_empty()>"Tous"</option>
                        {levels}
                    </select>
                </Field>
            </div>
            <div>
                <Field id="specialite" label="Spécialité" let:aria>
                    <select id="specialite" name="specialite" aria-invalid=aria.invalid aria-describedby=aria.describedby>
                        <option value="" selected=specialty.is_empty()>"Toutes"</option>
                        {specialties}
                    </select>
                </Field>
            </div>
            <div class="actions"><button type="submit">"Afficher"</button></div>
        </form>
        <section aria-labelledby="terrains">
            <h2 id="terrains">"Terrains de stage"</h2>
            <p class="muted" data-figure="terrains">{format!("{count} terrain{} de stage", if count > 1 { "s" } else { "" })}</p>
            {sites}
            <p>
                <a href=sites_atom>"Suivre les nouveaux terrains de stage (flux Atom)"</a> " ("
                <a href=sites_rss>"RSS"</a> ")"
            </p>
            {alert}
        </section>
        <section aria-labelledby="logements">
            <h2 id="logements">"Logements pour les internes"</h2>
            <p class="muted" data-figure="logements">{housing_count}</p>
            {housing}
            <p>
                <a href=open_paths::HOUSING_ATOM>"Suivre les nouveaux logements (flux Atom)"</a> " ("
                <a href=open_paths::HOUSING_RSS>"RSS"</a> ")"
            </p>
        </section>
        // Without the list of the area: the page's own lists above are the map's text.
        <TerritoryMap focus=MapFocus::Region title="Carte : terrains de stage et logements pour internes" list=false/>
        <section aria-labelledby="offres-stage">
            <h2 id="offres-stage">"Offres de stage ouvertes"</h2>
            {offers}
            <p><a href=board.clone()>"Toutes les offres de stage"</a>
            " — et, sous la liste, « Recevoir ces offres par e-mail » pour être prévenu des nouvelles."</p>
        </section>
    }
}

/// The form that saves the interns' page's choices as an alert of new stage sites (a link to
/// sign in first for a visitor).
fn sites_alert(filter: SiteFilter, viewer: Viewer) -> impl IntoView {
    let search = filter.query_string();
    let here = if search.is_empty() { paths::INTERNS.to_owned() } else { format!("{}?{search}", paths::INTERNS) };
    AlertBox {
        subject: AlertSubject::StageSites,
        heading: "Recevoir les nouveaux terrains par e-mail",
        described: describe_sites(&filter),
        search,
        here,
        news: "les nouveaux terrains de stage de ce choix",
        frequency: Frequency::Weekly,
    }
    .view(viewer)
}
