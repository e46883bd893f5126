//! "Ce que je recherche": the candidate's wishes, which rank the board for them and, when they
//! opt in, show them to verified recruiters.

use crate::components::{CommuneField, CsrfField, Field, FieldNote, FormOutcome, options, provide_refusal, typed_form};
use crate::domain::accounts::paths;
use crate::domain::candidates::{WishesForm, WishesProblem, get_my_wishes};
use crate::domain::offers::{MAX_RADIUS_KM, OfferKind, Specialty};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};

#[component]
pub fn WishesPage() -> impl IntoView {
    // After a refused submission the page gets back what was typed; otherwise the saved wishes.
    let typed: Option<WishesForm> = typed_form();
    provide_refusal::<WishesProblem>();
    view! {
        <Title text="Ce que je recherche — Médecins & Territoires"/>
        <Meta name="robots" content="noindex"/>
        <h1>"Ce que je recherche"</h1>
        <p class="lead">
            "Dites ce que vous cherchez : la liste des offres vous montre alors, pour chacune, pourquoi elle vous "
            "correspond ou non (distance, dates, logement…), et peut les trier de la plus proche de vos souhaits à la moins proche."
        </p>
        <FormOutcome/>
        {super::with_own("dire ce que vous recherchez", paths::WISHES, get_my_wishes, move |viewer, saved| {
            let form = typed.clone().or(saved).unwrap_or_else(|| WishesForm {
                specialite: Specialty::MedecineGenerale.code().to_owned(),
                ..WishesForm::default()
            });
            view! { <WishesFormView form csrf=viewer.csrf/> }
        })}
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

/// One date of a period of availability (`disponible_du`, `disponible_au_2`…).
fn day(id: &'static str, label: &'static str, value: &str) -> impl IntoView + use<> {
    let value = value.to_owned();
    view! {
        <Field id label let:aria>
            <input id=id name=id type="date" value=value aria-invalid=aria.invalid aria-describedby=aria.describedby/>
        </Field>
    }
}

#[component]
fn WishesFormView(form: WishesForm, csrf: String) -> impl IntoView {
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
            <Field id="specialite" label="Spécialité" let:aria>
                <select id="specialite" name="specialite" required aria-invalid=aria.invalid aria-describedby=aria.describedby>
                    {options(Specialty::ALL, Specialty::code, Specialty::label, &form.specialite, "— choisir —")}
                </select>
            </Field>
            <fieldset id="types">
                <legend>"Types d'offres qui m'intéressent"</legend>
                <FieldNote id="types"/>
                {kinds}
            </fieldset>
            <fieldset>
                <legend>"Mes disponibilités (jusqu'à trois périodes)"</legend>
                {day("disponible_du", "Disponible à partir du", &form.disponible_du)}
                {day("disponible_au", "Jusqu'au (laisser vide : sans limite)", &form.disponible_au)}
                {day("disponible_du_2", "Deuxième période : du", &form.disponible_du_2)}
                {day("disponible_au_2", "Deuxième période : au", &form.disponible_au_2)}
                {day("disponible_du_3", "Troisième période : du", &form.disponible_du_3)}
                {day("disponible_au_3", "Troisième période : au", &form.disponible_au_3)}
            </fieldset>
            <fieldset>
                <legend>"Où"</legend>
                <Field id="departements" label="Départements" hint="Leurs numéros séparés par des virgules, par exemple 12, 81." let:aria>
                    <input id="departements" name="departements" type="text" maxlength="80" value=form.departements.clone()
                        aria-invalid=aria.invalid aria-describedby=aria.describedby/>
                </Field>
                <CommuneField id="autour".to_owned() name="autour".to_owned() label="Autour de la commune".to_owned()
                    value=form.autour.clone()/>
                <FieldNote id="autour"/>
                <Field id="rayon" label="Rayon (km)" let:aria>
                    <input id="rayon" name="rayon" type="number" min="1" max=MAX_RADIUS_KM.to_string() placeholder="30"
                        value=form.rayon.clone() aria-invalid=aria.invalid aria-describedby=aria.describedby/>
                </Field>
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
                    "Sans cette case, personne ne vous voit : vous seul(e) consultez les offres et décidez de postuler."
                </p>
            </fieldset>
            <button type="submit">"Enregistrer ma recherche"</button>
        </form>
    }
}
