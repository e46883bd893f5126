use crate::components::{CsrfField, Field, FieldNote, FormOutcome, provide_refusal, typed_form};
use crate::domain::accounts::paths;
use crate::domain::profiles::{MAX_INTERN_YEAR, ProfileInput, ProfileProblem, Status, get_my_profile};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};

/// The candidate profile form: status, training, specialty, RPPS.
#[component]
pub fn ProfilePage() -> impl IntoView {
    // After a refused submission the page gets back what was typed; otherwise the saved profile.
    let typed: Option<ProfileInput> = typed_form();
    provide_refusal::<ProfileProblem>();
    view! {
        <Title text="Mon profil — Médecins & Territoires"/>
        <Meta name="robots" content="noindex"/>
        <h1>"Mon profil"</h1>
        <p class="lead">
            "Votre situation permet aux recruteurs de savoir qui vous êtes et au portail de vous montrer "
            "les offres et les aides qui vous concernent."
        </p>
        <FormOutcome/>
        {super::with_own("remplir votre profil", paths::PROFILE, get_my_profile, move |viewer, profile| {
            let input = typed.clone().or_else(|| profile.map(|p| p.to_input())).unwrap_or_default();
            view! { <ProfileForm input csrf=viewer.csrf/> }
        })}
    }
}

#[component]
fn ProfileForm(input: ProfileInput, csrf: String) -> impl IntoView {
    let statuses = Status::ALL
        .into_iter()
        .map(|status| {
            let id = format!("statut-{}", status.code());
            view! {
                <div class="choice">
                    <input type="radio" id=id.clone() name="statut" value=status.code() checked=input.statut == status.code() required/>
                    <label for=id>{status.label()}</label>
                </div>
            }
        })
        .collect_view();
    view! {
        <form class="stacked" method="post" action=paths::PROFILE>
            <CsrfField csrf/>
            <fieldset id="statut">
                <legend>"Votre situation"</legend>
                <FieldNote id="statut"/>
                {statuses}
            </fieldset>
            <Field id="specialite" label="DES ou spécialité" let:aria>
                <input id="specialite" name="specialite" type="text" required minlength="2" maxlength="80"
                    placeholder="Médecine générale" value=input.specialite aria-invalid=aria.invalid aria-describedby=aria.describedby/>
            </Field>
            <Field id="faculte" label="Faculté de médecine (internes et docteurs juniors)" let:aria>
                <input id="faculte" name="faculte" type="text" maxlength="80"
                    placeholder="Université de Toulouse" value=input.faculte aria-invalid=aria.invalid aria-describedby=aria.describedby/>
            </Field>
            <Field id="annee" label="Année d'internat (internes)" let:aria>
                <input id="annee" name="annee" type="number" min="1" max=MAX_INTERN_YEAR value=input.annee
                    aria-invalid=aria.invalid aria-describedby=aria.describedby/>
            </Field>
            <div class="choice">
                <input type="checkbox" id="these" name="these" value="oui" checked=input.these == "oui"/>
                <label for="these">"Thèse soutenue (remplaçants)"</label>
            </div>
            <Field id="rpps" label="Numéro RPPS"
                hint="11 chiffres, sur votre carte CPS. Demandé aux médecins installés, retraités actifs et remplaçants thésés." let:aria>
                <input id="rpps" name="rpps" type="text" inputmode="numeric" autocomplete="off" maxlength="20"
                    value=input.rpps aria-invalid=aria.invalid aria-describedby=aria.describedby/>
            </Field>
            <button type="submit">"Enregistrer mon profil"</button>
        </form>
    }
}
