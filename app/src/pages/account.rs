use crate::components::{CsrfField, Field, FormOutcome, Refusal, SignInFirst, provide_refusal_at, unavailable_view};
use crate::domain::accounts::{AccountForm, Problem, Viewer, fields, get_viewer, paths};
use crate::domain::organisations::{Access, get_my_organisations, paths as organisation_paths};
use crate::domain::profiles::{Profile, get_my_profile};
use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_query_map;

/// The signed-in person's account: who they are, their profile, their address and password.
#[component]
pub fn AccountPage() -> impl IntoView {
    let viewer = Resource::new(|| (), |_| get_viewer());
    let profile = Resource::new(|| (), |_| get_my_profile());
    let organisations = Resource::new(|| (), |_| get_my_organisations());
    // Which field a refusal concerns depends on the form sent: three ask for the current
    // password. The handler keeps the form's name with what was typed.
    provide_refusal_at(use_query_map().with_untracked(|q| {
        let problem = Problem::from_code(&q.get("erreur")?)?;
        let form = AccountForm::from_code(&q.get(fields::FORM)?)?;
        Some(Refusal { field: form.field(problem)?.to_owned(), message: problem.message() })
    }));
    view! {
        <Title text="Mon compte — Médecins & Territoires"/>
        <Meta name="robots" content="noindex"/>
        <h1>"Mon compte"</h1>
        <FormOutcome/>
        // Both resources at the top and one Suspense: a resource made while another suspense
        // resolves can leave the server's async render waiting for ever.
        <Suspense fallback=super::loading>
            {move || Suspend::new(async move {
                match (viewer.await, profile.await, organisations.await) {
                    (Ok(viewer), profile, organisations) => {
                        // Nothing said yet, on either side: the two ways in are offered.
                        let newcomer = matches!(profile, Ok(None))
                            && matches!(&organisations, Ok(Access::Granted(list)) if list.is_empty());
                        account_view(viewer, profile, newcomer)
                    }
                    (Err(error), _, _) => unavailable_view(error),
                }
            })}
        </Suspense>
    }
}

/// "Par où commencer ?": after sign-up, the doctor's way in and the commune's or structure's.
fn first_steps() -> impl IntoView {
    view! {
        <section aria-labelledby="premiers-pas">
            <h2 id="premiers-pas">"Par où commencer ?"</h2>
            <div class="cards">
                <div class="card" data-path="medecin">
                    <h3>"Vous êtes médecin, interne ou remplaçant"</h3>
                    <p>"Dites qui vous êtes et ce que vous cherchez : les offres qui vous conviennent viennent en premier, et les recruteurs voient votre profil quand vous postulez."</p>
                    <p><a class="button" href=paths::PROFILE>"Commencer par mon profil"</a></p>
                    <p><a href=paths::WISHES>"Dire ce que je recherche"</a></p>
                </div>
                <div class="card" data-path="structure">
                    <h3>"Vous représentez une commune, une maison ou un centre de santé"</h3>
                    <p>"Créez l'organisation de votre commune ou de votre structure : la modération la vérifie, puis vous publiez vos offres, vos aides et la page de votre territoire."</p>
                    <p><a class="button" href=organisation_paths::NEW>"Créer l'organisation"</a></p>
                    <p>"Une collègue l'a déjà créée ? Demandez-lui une invitation."</p>
                </div>
            </div>
        </section>
    }
}

fn account_view(viewer: Viewer, profile: Result<Option<Profile>, ServerFnError>, newcomer: bool) -> AnyView {
    let Some(user) = viewer.user else {
        return view! { <SignInFirst what="voir votre compte" back=paths::ACCOUNT/> }.into_any();
    };
    let csrf = viewer.csrf;
    let moderator = user.moderator;
    // A refused change of name or address brings back what was typed.
    let (typed_name, new_email) = use_query_map().with_untracked(|q| (q.get(fields::NAME), q.get(fields::EMAIL)));
    let display_name = typed_name.unwrap_or_else(|| user.display_name.clone());
    let new_email = new_email.unwrap_or_default();
    view! {
        <dl class="facts">
            <dt>"Nom affiché"</dt>
            <dd data-field="nom">{user.display_name}</dd>
            <dt>"Adresse e-mail"</dt>
            <dd data-field="email">
                {user.email} " "
                {if user.verified {
                    view! { <span class="badge ok">"confirmée"</span> }.into_any()
                } else {
                    view! {
                        <span class="badge todo">"à confirmer"</span>
                        <span class="muted">" : ouvrez le lien de l'e-mail reçu à l'inscription "
                        "(il faut une adresse confirmée pour postuler et pour inviter)."</span>
                        <form class="inline" method="post" action=paths::RESEND_VERIFICATION>
                            <CsrfField csrf=csrf.clone()/>
                            <button type="submit">"Renvoyer le lien"</button>
                        </form>
                    }.into_any()
                }}
            </dd>
        </dl>
        {newcomer.then(first_steps)}
        <ul class="account-links">
            <li><a href=paths::WISHES>"Ce que je recherche"</a></li>
            <li><a href=crate::domain::alerts::paths::MINE>"Mes alertes"</a></li>
            <li><a href=organisation_paths::LIST>"Mes organisations"</a></li>
            <li><a href=crate::domain::applications::paths::MINE>"Mes candidatures"</a></li>
            <li><a href=crate::domain::promotion::paths::CASES>"Guichet unique : mes dossiers"</a></li>
            <li><a href=crate::domain::aids::paths::AIDS>"Les aides qui me concernent"</a></li>
            {moderator.then(|| view! { <li><a href=organisation_paths::MODERATION>"Modération"</a></li> })}
        </ul>
        <section aria-labelledby="profil">
            <h2 id="profil">"Mon profil"</h2>
            <ProfileSummary profile/>
        </section>
        <section aria-labelledby="securite">
            <h2 id="securite">"Nom, mot de passe et adresse e-mail"</h2>
            <div class="cards">
                <form class="stacked card" method="post" action=paths::RENAME>
                    <CsrfField csrf=csrf.clone()/>
                    <h3>"Changer de nom affiché"</h3>
                    <Field id="nom-nouveau" label="Nom affiché" let:aria>
                        <input id="nom-nouveau" name=fields::NAME type="text" autocomplete="name" required minlength="2" maxlength="80" value=display_name aria-invalid=aria.invalid aria-describedby=aria.describedby/>
                    </Field>
                    <button type="submit">"Enregistrer le nom"</button>
                </form>
                <form class="stacked card" method="post" action=paths::CHANGE_PASSWORD>
                    <CsrfField csrf=csrf.clone()/>
                    <h3>"Changer de mot de passe"</h3>
                    <Field id="mdp-actuel" label="Mot de passe actuel" let:aria>
                        <input id="mdp-actuel" name=fields::CURRENT_PASSWORD type="password" autocomplete="current-password" required aria-invalid=aria.invalid aria-describedby=aria.describedby/>
                    </Field>
                    <Field id="mdp-nouveau" label="Nouveau mot de passe" let:aria>
                        <input id="mdp-nouveau" name=fields::PASSWORD type="password" autocomplete="new-password" required minlength="10" maxlength="128" aria-invalid=aria.invalid aria-describedby=aria.describedby/>
                    </Field>
                    <button type="submit">"Changer le mot de passe"</button>
                </form>
                <form class="stacked card" method="post" action=paths::CHANGE_EMAIL>
                    <CsrfField csrf=csrf.clone()/>
                    <h3>"Changer d'adresse e-mail"</h3>
                    <Field id="email-nouveau" label="Nouvelle adresse e-mail" let:aria>
                        <input id="email-nouveau" name=fields::EMAIL type="email" autocomplete="email" required value=new_email aria-invalid=aria.invalid aria-describedby=aria.describedby/>
                    </Field>
                    <Field id="email-mdp" label="Mot de passe actuel" let:aria>
                        <input id="email-mdp" name=fields::CURRENT_PASSWORD type="password" autocomplete="current-password" required aria-invalid=aria.invalid aria-describedby=aria.describedby/>
                    </Field>
                    <button type="submit">"Recevoir un lien de confirmation"</button>
                </form>
            </div>
        </section>
        <form method="post" action=paths::SIGN_OUT>
            <CsrfField csrf=csrf.clone()/>
            <button type="submit">"Se déconnecter"</button>
        </form>
        <section aria-labelledby="donnees">
            <h2 id="donnees">"Mes données"</h2>
            <p>
                "Ce que nous conservons et pourquoi : " <a href=paths::PRIVACY>"confidentialité"</a> ". "
                <a href=paths::MY_DATA download="mes-donnees-medecins-territoires.json">"Télécharger mes données"</a>
                " (un fichier JSON avec tout ce que nous savons de vous)."
            </p>
            <form class="stacked danger" method="post" action=paths::DELETE_ACCOUNT>
                <CsrfField csrf/>
                <h3>"Supprimer mon compte"</h3>
                <p class="muted">
                    "Votre compte, votre profil, vos sessions, vos appartenances aux organisations et les courriels que nous "
                    "gardions pour vous sont effacés ; votre nom disparaît du journal de modération. C'est définitif. "
                    "Si vous êtes le seul propriétaire d'une organisation qui compte d'autres membres, ou qui a encore "
                    "quelque chose en ligne ou en cours (offres, événements, aides, page de territoire…), nommez d'abord "
                    "un autre propriétaire, ou fermez l'organisation depuis sa page."
                </p>
                <Field id="suppression-mdp" label="Mot de passe, pour confirmer" let:aria>
                    <input id="suppression-mdp" name=fields::CURRENT_PASSWORD type="password" autocomplete="current-password" required aria-invalid=aria.invalid aria-describedby=aria.describedby/>
                </Field>
                <button type="submit" class="danger">"Supprimer définitivement mon compte"</button>
            </form>
        </section>
    }
    .into_any()
}

#[component]
fn ProfileSummary(profile: Result<Option<Profile>, ServerFnError>) -> impl IntoView {
    match profile {
        Ok(Some(profile)) => view! {
            <p data-field="profil">{profile.summary()}</p>
            {profile.rpps.map(|rpps| view! { <p>"RPPS : " {rpps.to_string()}</p> })}
            <p><a href=paths::PROFILE>"Modifier mon profil"</a></p>
        }
        .into_any(),
        Ok(None) => view! {
            <p>"Vous n'avez pas encore dit qui vous êtes : interne, remplaçant, installé… "
            <a href=paths::PROFILE>"Remplir mon profil"</a></p>
        }
        .into_any(),
        Err(_) => view! { <p>"Votre profil est momentanément indisponible."</p> }.into_any(),
    }
}
