//! "Ce que je recherche": the candidate's wishes, which rank the board for them and, when they
//! opt in, show them to verified recruiters.

use crate::components::{CommuneField, CsrfField, FormOutcome, SignInFirst, typed_form, unavailable_view};
use crate::domain::accounts::{get_viewer, paths};
use crate::domain::candidates::{WishesForm, get_my_wishes};
use crate::domain::offers::{MAX_RADIUS_KM, OfferKind, Specialty};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};

#[component]
pub fn WishesPage() -> impl IntoView {
    // After a refused submission the address carries what was typed; otherwise the saved wishes.
    let typed: Option<WishesForm> = typed_form();
    let viewer = Resource::new(|| (), |_| get_viewer());
    let saved = Resource::new(|| (), |_| get_my_wishes());
    view! {
        <Title text="Ce que je recherche — Médecins & Territoires"/>
        <Meta name="robots" content="noindex"/>
        <h1>"Ce que je recherche"</h1>
        <p class="lead">
            "Dites ce que vous cherchez : la liste des offres vous montre alors, pour chacune, pourquoi elle vous "
            "correspond ou non (distance, dates, logement…), et peut les trier de la plus proche de vos souhaits à la moins proche."
        </p>
        <FormOutcome/>
        <Suspense fallback=super::loading>
            {move || {
                let typed = typed.clone();
                Suspend::new(async move {
                    match (viewer.await, saved.await) {
                        (Ok(viewer), _) if viewer.user.is_none() => view! {
                            <SignInFirst what="dire ce que vous recherchez" back=paths::WISHES/>
                        }.into_any(),
                        (Ok(viewer), Ok(saved)) => {
                            let form = typed.or(saved).unwrap_or_else(|| WishesForm {
                                specialite: Specialty::MedecineGenerale.code().to_owned(),
                                ..WishesForm::default()
                            });
                            view! { <WishesFormView form csrf=viewer.csrf/> }.into_any()
                        }
                        (Err(error), _) | (_, Err(error)) => unavailable_view(error),
                    }
                })
            }}
        </Suspense>
    }
}

fn check(name: &'static str, label: &'static str, value: &str) -> impl IntoView + use<> {
    let ticked = value == "oui";
    view! {
        <p class="check">
            <input id=name name=name type="checkbox" value="oui" checked=ticked/>
            <label for=name>{label}</label>
        </p>
    }
}

/// One period of availability: `disponible_du{suffix}` and `disponible_au{suffix}`.
fn window(
    suffix: &'static str,
    from_label: &'static str,
    to_label: &'static str,
    from: &str,
    to: &str,
) -> impl IntoView + use<> {
    let (from_id, to_id) = (format!("disponible_du{suffix}"), format!("disponible_au{suffix}"));
    let (from, to) = (from.to_owned(), to.to_owned());
    view! {
        <label for=from_id.clone()>{from_label}</label>
        <input id=from_id.clone() name=from_id type="date" value=from/>
        <label for=to_id.clone()>{to_label}</label>
        <input id=to_id.clone() name=to_id type="date" value=to/>
    }
}

#[component]
fn WishesFormView(form: WishesForm, csrf: String) -> impl IntoView {
    let specialties = Specialty::ALL
        .iter()
        .map(|s| view! { <option value=s.code() selected=form.specialite == s.code()>{s.label()}</option> })
        .collect_view();
    let kinds = OfferKind::ALL
        .iter()
        .map(|kind| {
            let name = format!("type_{}", kind.code());
            let ticked = form.has_kind(*kind);
            view! {
                <p class="check">
                    <input id=name.clone() name=name.clone() type="checkbox" value="oui" checked=ticked/>
                    <label for=name>{kind.label()}</label>
                </p>
            }
        })
        .collect_view();
    view! {
        <form class="stacked offer-form" method="post" action=paths::WISHES>
            <CsrfField csrf/>
            <label for="specialite">"Spécialité"</label>
            <select id="specialite" name="specialite" required>{specialties}</select>
            <fieldset>
                <legend>"Types d'offres qui m'intéressent"</legend>
                {kinds}
            </fieldset>
            <fieldset>
                <legend>"Mes disponibilités (jusqu'à trois périodes)"</legend>
                {window("", "Disponible à partir du", "Jusqu'au (laisser vide : sans limite)", &form.disponible_du, &form.disponible_au)}
                {window("_2", "Deuxième période : du", "au", &form.disponible_du_2, &form.disponible_au_2)}
                {window("_3", "Troisième période : du", "au", &form.disponible_du_3, &form.disponible_au_3)}
            </fieldset>
            <fieldset>
                <legend>"Où"</legend>
                <label for="departements">"Départements (numéros séparés par des virgules, par exemple 12, 81)"</label>
                <input id="departements" name="departements" type="text" maxlength="80" value=form.departements.clone()/>
                <CommuneField id="autour".to_owned() name="autour".to_owned() label="Autour de la commune".to_owned()
                    value=form.autour.clone()/>
                <label for="rayon">"Rayon (km)"</label>
                <input id="rayon" name="rayon" type="number" min="1" max=MAX_RADIUS_KM.to_string() placeholder="30"
                    value=form.rayon.clone()/>
            </fieldset>
            <fieldset>
                <legend>"Mes préférences"</legend>
                {check("exercice_groupe", "Exercer en groupe (maison de santé, centre)", &form.exercice_groupe)}
                {check("salariat", "Le salariat", &form.salariat)}
                {check("mixte", "L'exercice mixte (libéral et salarié)", &form.mixte)}
                {check("temps_partiel", "Le temps partiel", &form.temps_partiel)}
            </fieldset>
            <fieldset>
                <legend>"Mes besoins"</legend>
                {check("logement", "Un logement", &form.logement)}
                {check("emploi_conjoint", "Un emploi pour mon conjoint ou ma conjointe", &form.emploi_conjoint)}
                {check("garde_enfants", "Une solution de garde d'enfants", &form.garde_enfants)}
            </fieldset>
            <fieldset>
                <legend>"Visibilité"</legend>
                {check("visible", "Les recruteurs vérifiés peuvent voir mon profil, ma recherche et mon adresse e-mail", &form.visible)}
                <p class="muted">
                    "Sans cette case, personne ne vous voit : vous seul(e) consultez les offres et décidez de postuler."
                </p>
            </fieldset>
            <button type="submit">"Enregistrer ma recherche"</button>
        </form>
    }
}
