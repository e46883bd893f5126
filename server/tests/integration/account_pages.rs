//! The account pages and forms over HTTP, as a browser without JavaScript uses them: cookies,
//! form tokens, redirects with a French message, mail through the outbox and the worker.

use crate::browser::*;
use crate::helpers::*;

const SIGN_UP: [(&str, &str); 3] =
    [("nom", "Claire Martin"), ("email", "claire@exemple.fr"), ("mot_de_passe", "une longue phrase")];

#[tokio::test]
async fn sign_up_signs_in_and_the_mailed_link_confirms_the_address() {
    let app = spawn_app().await;
    let mut browser = Browser::new(&app);

    let page = browser.get("/inscription").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Créer un compte"));
    let csrf_cookie = browser.set_cookies.iter().find(|c| c.starts_with("csrf=")).expect("a csrf cookie");
    assert!(csrf_cookie.contains("HttpOnly") && csrf_cookie.contains("SameSite=Lax") && csrf_cookie.contains("Secure"));

    let csrf = form_token(&page.body);
    let mut form = vec![("csrf", csrf.as_str())];
    form.extend_from_slice(&SIGN_UP);
    let answer = browser.post("/inscription", &form).await;
    assert_eq!((answer.status, answer.location.as_str()), (303, "/compte?info=bienvenue"));
    let session = browser.set_cookies.iter().find(|c| c.starts_with("session=")).expect("a session cookie");
    for flag in ["HttpOnly", "SameSite=Lax", "Secure", "Max-Age=2592000", "Path=/"] {
        assert!(session.contains(flag), "{flag} in {session}");
    }

    let account = browser.get("/compte?info=bienvenue").await;
    assert!(account.body.contains("Claire Martin"));
    assert!(account.body.contains("Votre compte est créé"));
    assert!(account.body.contains("à confirmer"));
    assert!(account.body.contains(">Mon compte</a>"), "the header knows the visitor");
    // The link just sent is enough for a while: the button says so and sends nothing.
    let resent = browser.submit("/compte", "/compte/verification/renvoi", &[]).await;
    assert_eq!(resent.location, "/compte?erreur=lien-recent");
    assert!(says(&browser.get(&resent.location).await.body, "il y a moins de 10 minutes"));

    let link = link_in(&mail_to(&app, "claire@exemple.fr", "/compte/verification").await);
    assert!(link.starts_with("/compte/verification?jeton="), "{link}");
    let answer = browser.get(&link).await;
    assert_eq!((answer.status, answer.location.as_str()), (303, "/compte?info=adresse-confirmee"));
    let account = browser.get("/compte").await;
    assert!(account.body.contains("confirmée") && !account.body.contains("à confirmer"));
    assert!(!account.body.contains("Renvoyer le lien"));

    // The link works once.
    let again = browser.get(&link).await;
    assert_eq!(again.location, "/compte?erreur=lien");
    assert!(says(&browser.get(&again.location).await.body, "Ce lien n'est plus valable"));
}

#[tokio::test]
async fn a_form_without_its_token_changes_nothing() {
    let app = spawn_app().await;
    let mut browser = Browser::new(&app);
    browser.get("/inscription").await;
    for csrf in ["", "0000", &"a".repeat(64)] {
        let mut form = vec![("csrf", csrf)];
        form.extend_from_slice(&SIGN_UP);
        let answer = browser.post("/inscription", &form).await;
        assert_eq!(answer.status, 303);
        assert!(answer.location.starts_with("/inscription?erreur=formulaire-expire"), "{}", answer.location);
        let page = browser.get(&answer.location).await;
        assert!(page.body.contains("Ce formulaire a expiré"));
        // What was typed comes back, except the password.
        assert!(page.body.contains("value=\"claire@exemple.fr\"") && !page.body.contains("une longue phrase"));
    }
    let users: i64 =
        sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM users").fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(users, 0);
}

#[tokio::test]
async fn bad_input_comes_back_with_a_french_message() {
    let app = spawn_app().await;
    let mut browser = Browser::new(&app);
    for (fields, code, message) in [
        (
            [("nom", "Claire"), ("email", "claire"), ("mot_de_passe", "une longue phrase")],
            "email-invalide",
            "n'est pas valide",
        ),
        (
            [("nom", "Claire"), ("email", "claire@exemple.fr"), ("mot_de_passe", "court")],
            "mot-de-passe-court",
            "au moins 10 caractères",
        ),
        ([("nom", ""), ("email", "claire@exemple.fr"), ("mot_de_passe", "une longue phrase")], "nom", "Le nom affiché"),
    ] {
        let answer = browser.submit("/inscription", "/inscription", &fields).await;
        assert!(answer.location.starts_with(&format!("/inscription?erreur={code}")), "{}", answer.location);
        let page = browser.get(&answer.location).await;
        assert_eq!(page.status, 200);
        assert!(page.body.contains("role=\"alert\""), "{code}");
        assert!(says(&page.body, message), "{code}");
    }
    // Not a form at all: refused, and no server error.
    let answer = browser.send(app.client.post(format!("{}/inscription", app.address)).body("{\"json\": true}")).await;
    assert!((400..500).contains(&answer.status), "{}", answer.status);
}

#[tokio::test]
async fn sign_in_sign_out_and_the_rate_limit() {
    let app = spawn_app().await;
    let mut browser = Browser::new(&app);
    browser.submit("/inscription", "/inscription", &SIGN_UP).await;
    let signed_in_session = browser.cookies.get("session").cloned().unwrap();

    // Sign-out closes the session on the server, not only in the browser.
    let answer = browser.submit("/compte", "/deconnexion", &[]).await;
    assert_eq!((answer.status, answer.location.as_str()), (303, "/connexion?info=deconnecte"));
    assert!(!browser.cookies.contains_key("session"));
    let mut thief = Browser::new(&app);
    thief.cookies.insert("session".into(), signed_in_session);
    assert!(says(&thief.get("/compte").await.body, "Connectez-vous pour voir votre compte"));

    // Unknown address and wrong password: the same answer.
    let wrong = browser
        .submit("/connexion", "/connexion", &[("email", "claire@exemple.fr"), ("mot_de_passe", "mauvais")])
        .await;
    let unknown =
        browser.submit("/connexion", "/connexion", &[("email", "nul@exemple.fr"), ("mot_de_passe", "mauvais")]).await;
    assert!(wrong.location.starts_with("/connexion?erreur=identifiants"));
    assert!(unknown.location.starts_with("/connexion?erreur=identifiants"));

    // Back to where the visitor was going, never to another site.
    let answer = browser
        .submit(
            "/connexion",
            "/connexion",
            &[("email", "claire@exemple.fr"), ("mot_de_passe", "une longue phrase"), ("suite", "//evil.example")],
        )
        .await;
    assert_eq!(answer.location, "/compte");
    browser.submit("/compte", "/deconnexion", &[]).await;
    let answer = browser
        .submit(
            "/connexion",
            "/connexion",
            &[
                ("email", "claire@exemple.fr"),
                ("mot_de_passe", "une longue phrase"),
                ("suite", "/communes/12202-rodez"),
            ],
        )
        .await;
    assert_eq!(answer.location, "/communes/12202-rodez");
    browser.submit("/compte", "/deconnexion", &[]).await;

    for _ in 0..5 {
        browser
            .submit("/connexion", "/connexion", &[("email", "claire@exemple.fr"), ("mot_de_passe", "mauvais")])
            .await;
    }
    let locked = browser
        .submit("/connexion", "/connexion", &[("email", "claire@exemple.fr"), ("mot_de_passe", "une longue phrase")])
        .await;
    assert!(locked.location.starts_with("/connexion?erreur=trop-de-tentatives"), "{}", locked.location);
    assert!(browser.get(&locked.location).await.body.contains("réessayez dans 15 minutes"));
}

#[tokio::test]
async fn a_forgotten_password_is_replaced_through_the_mailed_link() {
    let app = spawn_app().await;
    let mut browser = Browser::new(&app);
    browser.submit("/inscription", "/inscription", &SIGN_UP).await;
    browser.submit("/compte", "/deconnexion", &[]).await;

    // The same notice whether or not the address has an account.
    let unknown = browser
        .submit("/compte/mot-de-passe-oublie", "/compte/mot-de-passe-oublie", &[("email", "nul@exemple.fr")])
        .await;
    let known = browser
        .submit("/compte/mot-de-passe-oublie", "/compte/mot-de-passe-oublie", &[("email", "claire@exemple.fr")])
        .await;
    assert_eq!(unknown.location, "/compte/mot-de-passe-oublie?info=lien-envoye");
    assert_eq!(known.location, unknown.location);

    // The reset mail (the verification mail came first).
    let link = link_in(&mail_to(&app, "claire@exemple.fr", "/compte/nouveau-mot-de-passe").await);
    assert!(link.starts_with("/compte/nouveau-mot-de-passe?jeton="), "{link}");
    let token = link.split("jeton=").nth(1).unwrap().to_owned();

    let short =
        browser.submit(&link, "/compte/nouveau-mot-de-passe", &[("jeton", &token), ("mot_de_passe", "court")]).await;
    assert!(short.location.starts_with("/compte/nouveau-mot-de-passe?erreur=mot-de-passe-court"));
    assert!(!short.location.contains(&token), "the token stays out of the address");
    assert!(browser.get(&short.location).await.body.contains(&token), "the link survives a refused password");
    let done = browser
        .submit(&link, "/compte/nouveau-mot-de-passe", &[("jeton", &token), ("mot_de_passe", "une nouvelle phrase")])
        .await;
    assert_eq!(done.location, "/connexion?info=mot-de-passe-change");
    let reused = browser
        .submit(&link, "/compte/nouveau-mot-de-passe", &[("jeton", &token), ("mot_de_passe", "encore une autre")])
        .await;
    assert_eq!(reused.location, "/compte/mot-de-passe-oublie?erreur=lien");

    let answer = browser
        .submit("/connexion", "/connexion", &[("email", "claire@exemple.fr"), ("mot_de_passe", "une nouvelle phrase")])
        .await;
    assert_eq!(answer.location, "/compte");
}

#[tokio::test]
async fn the_profile_form_saves_and_shows_the_profile_and_keeps_typing_on_errors() {
    let app = spawn_app().await;
    let mut browser = Browser::new(&app);
    // Without a session: sign in first, and come back.
    let answer = browser.post("/compte/profil", &[("statut", "interne")]).await;
    assert_eq!(answer.location, "/connexion?erreur=connexion-requise&suite=%2Fcompte%2Fprofil");

    browser.submit("/inscription", "/inscription", &SIGN_UP).await;
    let fresh = browser.get("/compte").await.body;
    assert!(says(&fresh, "Remplir mon profil"));
    // A new account is shown both ways in: the doctor's, and the commune's or structure's.
    assert!(says(&fresh, "Par où commencer") && fresh.contains(r#"href="/organisations/nouvelle""#), "{fresh}");

    let refused = browser
        .submit(
            "/compte/profil",
            "/compte/profil",
            &[("statut", "installe"), ("specialite", "Médecine générale"), ("rpps", "10000000008")],
        )
        .await;
    assert!(refused.location.starts_with("/compte/profil?erreur=rpps-invalide&saisie="), "{}", refused.location);
    // Nothing the person typed is in the address (history, logs): it comes back from the
    // server, to this browser only.
    assert!(!refused.location.contains("10000000008") && !refused.location.contains("statut"), "{}", refused.location);
    let page = browser.get(&refused.location).await.body;
    assert!(says(&page, "Ce numéro RPPS n'est pas valide"));
    assert!(page.contains("value=\"10000000008\""), "what was typed comes back");
    let mut other = Browser::new(&app);
    other.sign_up("autre@exemple.fr", "Quelqu'un d'autre").await;
    let theirs = other.get(&refused.location).await.body;
    assert!(says(&theirs, "Ce numéro RPPS n'est pas valide") && !theirs.contains("10000000008"));

    let saved = browser
        .submit(
            "/compte/profil",
            "/compte/profil",
            &[
                ("statut", "remplacant"),
                ("specialite", "Médecine générale"),
                ("these", "oui"),
                ("rpps", "100 000 000 09"),
            ],
        )
        .await;
    assert_eq!(saved.location, "/compte?info=profil-enregistre");
    let account = browser.get(&saved.location).await.body;
    assert!(account.contains("Médecin remplaçant thésé, Médecine générale"));
    assert!(!says(&account, "Par où commencer"), "a doctor now: the way in is taken");
    assert!(account.contains("RPPS : <!---->10000000009") || account.contains("RPPS : 10000000009"));
    // The form opens with the saved profile.
    let form = browser.get("/compte/profil").await.body;
    assert!(form.contains("value=\"10000000009\""));
}

#[tokio::test]
async fn password_and_address_change_from_the_account_page() {
    let app = spawn_app().await;
    let mut browser = Browser::new(&app);
    browser.submit("/inscription", "/inscription", &SIGN_UP).await;

    let wrong = browser
        .submit(
            "/compte",
            "/compte/mot-de-passe",
            &[("mot_de_passe_actuel", "mauvais"), ("mot_de_passe", "nouvelle phrase")],
        )
        .await;
    assert!(wrong.location.starts_with("/compte?erreur=mot-de-passe-actuel&saisie="), "{}", wrong.location);
    // The page has three « current password » fields: the one of the form sent is marked.
    let page = browser.get(&wrong.location).await.body;
    crate::forms::refused_field(&page, "mdp-actuel", "Le mot de passe actuel saisi n'est pas le bon.");
    let changed = browser
        .submit(
            "/compte",
            "/compte/mot-de-passe",
            &[("mot_de_passe_actuel", "une longue phrase"), ("mot_de_passe", "nouvelle phrase")],
        )
        .await;
    assert_eq!(changed.location, "/compte?info=mot-de-passe-modifie");
    assert!(says(&browser.get("/compte").await.body, "Claire Martin"), "this session stays open");

    let renamed = browser.submit("/compte", "/compte/nom", &[("nom", "  Claire   M. ")]).await;
    assert_eq!(renamed.location, "/compte?info=nom-modifie");
    assert!(browser.get("/compte").await.body.contains("Claire M."));
    let refused = browser.submit("/compte", "/compte/nom", &[("nom", "x")]).await;
    assert!(refused.location.starts_with("/compte?erreur=nom&saisie="), "{}", refused.location);
    let page = browser.get(&refused.location).await.body;
    crate::forms::refused_field(&page, "nom-nouveau", "Le nom affiché doit compter entre 2 et 80 caractères.");
    assert!(page.contains("value=\"x\""), "the name typed comes back");

    // A wrong password refuses the change; the new address typed comes back, not in the address.
    let wrong = browser
        .submit(
            "/compte",
            "/compte/email",
            &[("email", "claire.m@exemple.fr"), ("mot_de_passe_actuel", "une autre phrase")],
        )
        .await;
    assert!(
        wrong.location.starts_with("/compte?erreur=") && !wrong.location.contains("claire.m"),
        "{}",
        wrong.location
    );
    let again = browser.get(&wrong.location).await.body;
    assert!(again.contains("value=\"claire.m@exemple.fr\""), "{again}");
    crate::forms::refused_field(&again, "email-mdp", "Le mot de passe actuel saisi n'est pas le bon.");
    let sent = browser
        .submit(
            "/compte",
            "/compte/email",
            &[("email", "claire.m@exemple.fr"), ("mot_de_passe_actuel", "nouvelle phrase")],
        )
        .await;
    assert_eq!(sent.location, "/compte?info=confirmation-envoyee");
    let link = link_in(&mail_to(&app, "claire.m@exemple.fr", "/compte/changement-email").await);
    assert!(link.starts_with("/compte/changement-email?jeton="), "{link}");
    let confirmed = browser.get(&link).await;
    assert_eq!(confirmed.location, "/compte?info=email-modifie");
    assert!(browser.get("/compte").await.body.contains("claire.m@exemple.fr"));
}

#[tokio::test]
async fn a_person_downloads_everything_we_hold_then_erases_it() {
    let app = spawn_app().await;
    let mut browser = Browser::new(&app);
    // Without a session there is nothing to download.
    assert_eq!(
        browser.get("/compte/mes-donnees").await.location,
        "/connexion?erreur=connexion-requise&suite=%2Fcompte"
    );

    browser.submit("/inscription", "/inscription", &SIGN_UP).await;
    browser
        .submit(
            "/compte/profil",
            "/compte/profil",
            &[("statut", "installe"), ("specialite", "Médecine générale"), ("rpps", "10101234564")],
        )
        .await;
    mail_to(&app, "claire@exemple.fr", "/compte/verification").await;

    let response = app
        .client
        .get(format!("{}/compte/mes-donnees", app.address))
        .header("cookie", format!("session={}", browser.cookies["session"]))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert!(response.headers()["content-disposition"].to_str().unwrap().starts_with("attachment"));
    let data: serde_json::Value = response.json().await.unwrap();
    assert_eq!(data["compte"]["adresse_email"], "claire@exemple.fr");
    assert_eq!(data["compte"]["nom_affiche"], "Claire Martin");
    assert_eq!(data["profil"]["rpps"], "10101234564");
    assert_eq!(data["sessions"].as_array().unwrap().len(), 1);
    assert_eq!(data["courriels"][0]["modele"], "verification");
    assert_eq!(data["liens_envoyes"][0]["objet"], "verify");
    let text = data.to_string();
    assert!(!text.contains("$argon2id$") && !text.contains(&browser.cookies["session"]), "no secrets in the export");

    // Deletion asks for the password, then erases.
    let refused = browser.submit("/compte", "/compte/suppression", &[("mot_de_passe_actuel", "mauvais")]).await;
    assert!(refused.location.starts_with("/compte?erreur=mot-de-passe-actuel&saisie="), "{}", refused.location);
    let page = browser.get(&refused.location).await.body;
    crate::forms::refused_field(&page, "suppression-mdp", "Le mot de passe actuel saisi n'est pas le bon.");
    let deleted =
        browser.submit("/compte", "/compte/suppression", &[("mot_de_passe_actuel", "une longue phrase")]).await;
    assert_eq!(deleted.location, "/compte?info=compte-supprime");
    assert!(!browser.cookies.contains_key("session"));
    for table in ["users", "people", "sessions", "account_tokens", "mail_outbox"] {
        let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT CAST(COUNT(*) AS BIGINT) FROM {table}")))
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        assert_eq!(n, 0, "{table}");
    }
    // The address is free again.
    let again = browser.submit("/inscription", "/inscription", &SIGN_UP).await;
    assert_eq!(again.location, "/compte?info=bienvenue");
}

#[tokio::test]
async fn the_privacy_page_says_what_is_kept() {
    let app = spawn_app().await;
    let (status, html) = app.page("/confidentialite").await;
    assert_eq!(status, 200);
    for words in ["argon2id", "RPPS", "Aucun cookie de mesure d", "CNIL", "/compte/mes-donnees"] {
        assert!(html.contains(words), "{words}");
    }
    assert!(app.page("/").await.1.contains("href=\"/confidentialite\""), "linked from every page");
}

#[tokio::test]
async fn a_page_of_another_site_cannot_post_to_ours() {
    let app = spawn_app().await;
    let mut browser = Browser::new(&app);
    let html = browser.get("/inscription").await.body;
    let csrf = form_token(&html);
    let mut form = vec![("csrf", csrf.as_str())];
    form.extend_from_slice(&SIGN_UP);
    // Even with a valid token (stolen somehow), the browser's word that the form is on another site wins.
    let forged = browser
        .send(
            app.client
                .post(format!("{}/inscription", app.address))
                .header("origin", "https://evil.example")
                .form(&form),
        )
        .await;
    assert_eq!(forged.status, 403);
    assert!(says(&forged.body, "rien n'a été fait"));
    let forged_fn = browser
        .send(
            app.client
                .post(format!("{}/_srv/recherche-communes", app.address))
                .header("sec-fetch-site", "cross-site")
                .form(&[("query", "rod"), ("limit", "8")]),
        )
        .await;
    assert_eq!(forged_fn.status, 403);
    let users: i64 =
        sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM users").fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(users, 0);

    // The same form from our own page goes through.
    let host = app.address.trim_start_matches("http://").to_owned();
    let ours = browser
        .send(
            app.client
                .post(format!("{}/inscription", app.address))
                .header("origin", format!("http://{host}"))
                .form(&form),
        )
        .await;
    assert_eq!(ours.location, "/compte?info=bienvenue");
}
