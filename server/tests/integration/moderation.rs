//! Moderation with evidence (issue 28): each organisation waiting in the queue comes with what
//! the requester's mail domain says, the other organisations with the same code and the
//! requester's other organisations; a moderator asks the owners a question by mail, they answer
//! on the organisation's page, both are logged and shown. Over HTTP as a browser without
//! JavaScript, on SQLite or PostgreSQL (TEST_DATABASE=postgres).

use crate::browser::*;
use crate::helpers::*;
use crate::seeds::{MODERATOR, SITE, World};
use app::domain::organisations::{DomainEvidence, DomainKind, ExchangeSide};
use server::organisations::OrganisationError;

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_owned())).fetch_one(&app.db.pool).await.unwrap()
}

/// (action, actor address, text) of the log's lines about `organisation`, oldest first.
async fn logged(app: &TestApp, organisation: i64) -> Vec<(String, Option<String>, Option<String>)> {
    sqlx::query_as("SELECT action, actor_email, reason FROM moderation_log WHERE organisation_id = $1 ORDER BY id")
        .bind(organisation)
        .fetch_all(&app.db.pool)
        .await
        .unwrap()
}

/// (recipient, subject, text) of the question mails queued, oldest first.
async fn question_mails(app: &TestApp) -> Vec<(String, String, String)> {
    sqlx::query_as(
        "SELECT recipient, subject, body_text FROM mail_outbox WHERE template = 'moderation-question' ORDER BY id",
    )
    .fetch_all(&app.db.pool)
    .await
    .unwrap()
}

async fn status(app: &TestApp, organisation: i64) -> String {
    sqlx::query_scalar("SELECT status FROM organisations WHERE id = $1")
        .bind(organisation)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

/// The HTML of the queue item of `organisation` on the moderation page.
fn item(page: &str, organisation: i64) -> &str {
    let start = page
        .find(&format!("id=\"organisation-{organisation}\""))
        .unwrap_or_else(|| panic!("organisation {organisation} not in the queue"));
    let rest = &page[start..];
    &rest[..rest.find("</article>").unwrap()]
}

#[tokio::test]
async fn the_queue_shows_the_domain_the_same_code_and_the_requester_s_other_organisations() {
    let app = spawn_app().await;
    let w = World::of(&app).await;
    let claire = w.confirmed_user("claire.roux@mairie-rodez.fr", "Claire Roux").await;
    let paul = w.confirmed_user("paul@ville-rodez.example", "Paul Vidal").await;
    let lea = w.confirmed_user("lea.martin@gmail.com", "Dr Léa Martin").await;
    // Rodez (12202) already has its commune, verified; a refused request; and a cabinet there.
    let verified = w.organisation(paul, "commune", "Ville de Rodez", "12202", true).await;
    let refused = w.organisation(paul, "commune", "Mairie de Rodez (doublon)", "12202", false).await;
    w.organisations.reject(w.moderator, refused, "Doublon de Ville de Rodez.").await.unwrap();
    let cabinet = w.organisation(lea, "cabinet", "Cabinet du Dr Martin", "12202", false).await;
    // Claire owns a verified maison de santé and is a plain member of Paul's commune.
    let msp = w.organisation(claire, "msp", "MSP du Lévézou", "", true).await;
    w.organisations.invite(paul, verified, "claire.roux@mairie-rodez.fr", "member").await.unwrap();
    let token = crate::personal_data::invitation_token(&app.db, "claire.roux@mairie-rodez.fr").await;
    w.organisations.accept_invitation(claire, &token).await.unwrap();
    let request = w.organisation(claire, "commune", "Mairie de Rodez", "12202", false).await;
    // Elsewhere, nothing shares the code.
    let millau = w.organisation(lea, "commune", "Mairie de Millau", "12145", false).await;

    let page = w.organisations.moderation(w.moderator).await.unwrap().unwrap();
    let queued = page.queue.iter().find(|q| q.id == request).unwrap();
    assert_eq!(
        queued.domain,
        Some(DomainEvidence {
            domain: "mairie-rodez.fr".to_owned(),
            kind: DomainKind::NamesReference("Rodez".to_owned())
        })
    );
    let same: Vec<_> = queued.same_code.iter().map(|o| (o.id, o.status.code(), o.kind.code())).collect();
    assert_eq!(
        same,
        [(verified, "verifiee", "commune"), (refused, "refusee", "commune"), (cabinet, "en_attente", "cabinet")],
        "every status, the same kind first"
    );
    assert!(!queued.same_code_more);
    let others: Vec<_> =
        queued.requester_organisations.iter().map(|o| (o.id, o.role.map(|r| r.code()), o.status.code())).collect();
    assert_eq!(others, [(msp, Some("owner"), "verifiee"), (verified, Some("member"), "verifiee")]);
    let lea_item = page.queue.iter().find(|q| q.id == cabinet).unwrap();
    assert_eq!(lea_item.domain.as_ref().map(|d| &d.kind), Some(&DomainKind::Webmail));
    assert_eq!(lea_item.requester_organisations.iter().map(|o| o.id).collect::<Vec<_>>(), [millau]);
    let millau_item = page.queue.iter().find(|q| q.id == millau).unwrap();
    assert!(millau_item.same_code.is_empty());

    // The page says it, with links.
    let mut moderator = Browser::signed_in(&app, MODERATOR).await;
    let html = moderator.get("/moderation").await.body;
    assert!(says(&html, "Le portail ne connaît le domaine de messagerie officiel d'aucune organisation"));
    let claire_item = item(&html, request);
    assert!(claire_item.contains("@mairie-rodez.fr"), "{claire_item}");
    assert!(says(claire_item, "le domaine reprend le nom « Rodez » des données de référence"), "{claire_item}");
    for (id, name) in [
        (verified, "Ville de Rodez"),
        (refused, "Mairie de Rodez (doublon)"),
        (cabinet, "Cabinet du Dr Martin"),
        (msp, "MSP du Lévézou"),
    ] {
        assert!(claire_item.contains(&format!("href=\"/organisations/{id}\">{name}</a>")), "{name}: {claire_item}");
    }
    for status in ["verifiee", "refusee", "en_attente"] {
        assert!(claire_item.contains(&format!("data-status=\"{status}\"")), "{status}");
    }
    assert!(claire_item.contains("(propriétaire)") && claire_item.contains("(membre)"), "{claire_item}");
    assert!(says(item(&html, cabinet), "messagerie grand public"));
    assert!(says(item(&html, millau), "aucune autre organisation"));
}

#[tokio::test]
async fn a_moderator_asks_the_owners_a_question_by_mail_and_reads_their_answer_in_the_queue() {
    let app = spawn_app().await;
    let w = World::of(&app).await;
    let claire = w.confirmed_user("claire@mairie-rodez.fr", "Claire Roux").await;
    let request = w.organisation(claire, "commune", "Mairie de Rodez", "12202", false).await;
    let page = format!("/organisations/{request}");
    let mut moderator = Browser::signed_in(&app, MODERATOR).await;
    let mut owner = Browser::signed_in(&app, "claire@mairie-rodez.fr").await;
    // Before any question, the owner has nothing to answer.
    assert!(!owner.get(&page).await.body.contains("Questions de la modération"));

    let question = "Pouvez-vous nous écrire depuis l'adresse de la mairie ?\nMerci.";
    let answer =
        moderator.submit("/moderation", &format!("/moderation/{request}/question"), &[("question", question)]).await;
    assert_eq!(answer.location, format!("/moderation?info=question-envoyee#organisation-{request}"));
    assert!(says(&moderator.get(&answer.location).await.body, "La question est envoyée par e-mail"));
    assert_eq!(status(&app, request).await, "en_attente", "still waiting");
    assert_eq!(
        logged(&app, request).await,
        [("question".to_owned(), Some(MODERATOR.to_owned()), Some(question.to_owned()))]
    );
    // Mailed to the owner, through the outbox, with the way to answer.
    let mails = question_mails(&app).await;
    assert_eq!(mails.len(), 1);
    let (to, subject, text) = &mails[0];
    assert_eq!(
        (to.as_str(), subject.as_str()),
        ("claire@mairie-rodez.fr", "Une question de la modération sur Mairie de Rodez")
    );
    assert!(text.contains("Bonjour Claire Roux") && text.contains(question), "{text}");
    assert!(text.contains(&format!("{SITE}/organisations/{request}#question")), "{text}");
    mail_to(&app, "claire@mairie-rodez.fr", &format!("/organisations/{request}#question")).await;

    // The queue shows the question, waiting.
    let html = moderator.get("/moderation").await.body;
    let queued = item(&html, request);
    assert!(says(queued, "question sans réponse") && queued.contains("Pouvez-vous nous écrire"), "{queued}");
    assert!(queued.contains(&format!("Question de {MODERATOR}")), "{queued}");
    // The owner reads it on the organisation's page, from « la modération », and may answer.
    let seen = owner.get(&page).await.body;
    assert!(seen.contains("Questions de la modération") && seen.contains("Pouvez-vous nous écrire"), "{seen}");
    assert!(seen.contains("Question de la modération") && !seen.contains(MODERATOR), "no moderator's address");
    assert!(seen.contains(&format!("action=\"/organisations/{request}/reponse\"")));

    // An empty or too long answer: a French sentence, what was typed kept out of the address,
    // nothing written.
    let refused = owner.submit(&page, &format!("{page}/reponse"), &[("reponse", "  ")]).await;
    assert_eq!(refused.location, format!("{page}?erreur=reponse-manquante"));
    assert!(says(&owner.get(&refused.location).await.body, "Écrivez votre réponse à la question de la modération."));
    let long = format!("Réponse-{}", "x".repeat(2000));
    let refused = owner.submit(&page, &format!("{page}/reponse"), &[("reponse", &long)]).await;
    assert!(refused.location.starts_with(&format!("{page}?erreur=reponse-longue&saisie=")), "{}", refused.location);
    assert!(!refused.location.contains("Réponse"), "{}", refused.location);
    let again = owner.get(&refused.location).await.body;
    assert!(says(&again, "La réponse doit compter au plus 2000 caractères.") && again.contains(&long));
    assert_eq!(logged(&app, request).await.len(), 1);

    let text = "Bien sûr : je vous écris depuis accueil@mairie-rodez.fr.\n\nClaire Roux, DGS";
    let answered = owner.submit(&page, &format!("{page}/reponse"), &[("reponse", text)]).await;
    assert_eq!(answered.location, format!("{page}?info=reponse-envoyee"));
    let seen = owner.get(&answered.location).await.body;
    assert!(says(&seen, "Votre réponse est transmise à la modération."));
    assert!(seen.contains("Réponse de claire@mairie-rodez.fr") && seen.contains("Claire Roux, DGS"));
    assert!(!seen.contains("Envoyer la réponse"), "one answer per question");
    assert_eq!(
        logged(&app, request).await[1],
        ("answer".to_owned(), Some("claire@mairie-rodez.fr".to_owned()), Some(text.to_owned()))
    );
    assert_eq!(status(&app, request).await, "en_attente");
    // Once is enough: nothing to answer any more.
    let twice = owner.submit(&page, &format!("{page}/reponse"), &[("reponse", "Encore moi.")]).await;
    assert!(twice.location.starts_with(&format!("{page}?erreur=aucune-question&saisie=")), "{}", twice.location);
    assert_eq!(logged(&app, request).await.len(), 2);

    // The moderator reads the answer in the queue and the journal, then decides.
    let html = moderator.get("/moderation").await.body;
    let queued = item(&html, request);
    assert!(says(queued, "réponse reçue") && queued.contains("Claire Roux, DGS"), "{queued}");
    assert!(html.contains("question au demandeur") && html.contains("réponse du demandeur"));
    let detail = w.organisations.detail(w.moderator, request).await.unwrap().unwrap();
    let sides: Vec<_> = detail.exchange.iter().map(|e| e.side).collect();
    assert_eq!(sides, [ExchangeSide::Moderation, ExchangeSide::Requester]);
    let approved = moderator.submit("/moderation", &format!("/moderation/{request}/approbation"), &[]).await;
    assert_eq!(approved.location, "/moderation?info=organisation-verifiee");
    // Decided: no more questions, and the exchange stays on the page for its owners.
    let late =
        moderator.submit("/compte", &format!("/moderation/{request}/question"), &[("question", "Une autre ?")]).await;
    assert!(late.location.starts_with(&format!("/moderation?erreur=deja-traitee&organisation={request}")));
    assert_eq!(question_mails(&app).await.len(), 1);
    assert!(owner.get(&page).await.body.contains("Claire Roux, DGS"));
}

#[tokio::test]
async fn only_moderators_ask_only_owners_answer_and_bad_input_changes_nothing() {
    let app = spawn_app().await;
    let w = World::of(&app).await;
    let claire = w.confirmed_user("claire@mairie-rodez.fr", "Claire Roux").await;
    w.confirmed_user("paul@exemple.fr", "Paul Intrus").await;
    let request = w.organisation(claire, "commune", "Mairie de Rodez", "12202", false).await;
    w.organisations.invite(claire, request, "ines@exemple.fr", "member").await.unwrap();
    let ines = w.confirmed_user("ines@exemple.fr", "Inès Accueil").await;
    let token = crate::personal_data::invitation_token(&app.db, "ines@exemple.fr").await;
    w.organisations.accept_invitation(ines, &token).await.unwrap();
    let ask = format!("/moderation/{request}/question");
    let page = format!("/organisations/{request}");
    let nothing_written = || async {
        assert_eq!(count(&app, "SELECT CAST(COUNT(*) AS BIGINT) FROM moderation_log").await, 0);
        assert!(question_mails(&app).await.is_empty());
    };

    // Not a moderator, the owner included: refused, whatever the organisation (no probing).
    for email in ["claire@mairie-rodez.fr", "paul@exemple.fr"] {
        let mut browser = Browser::signed_in(&app, email).await;
        for action in [ask.clone(), "/moderation/999999/question".to_owned()] {
            let answer = browser.submit("/compte", &action, &[("question", "Qui êtes-vous ?")]).await;
            assert!(
                answer.location.starts_with("/moderation?erreur=reserve-moderateurs"),
                "{email}: {}",
                answer.location
            );
        }
    }
    assert!(matches!(
        w.organisations.ask(claire, request, "Qui êtes-vous ?").await,
        Err(OrganisationError::ModeratorsOnly)
    ));
    // Signed out: to sign in and back.
    let answer = Browser::new(&app).submit("/inscription", &ask, &[("question", "Qui ?")]).await;
    assert!(answer.location.starts_with("/connexion?erreur=connexion-requise"), "{}", answer.location);
    nothing_written().await;

    // The moderator: an empty or too long question, a mangled or unknown address.
    let mut moderator = Browser::signed_in(&app, MODERATOR).await;
    let empty = moderator.submit("/moderation", &ask, &[("question", " \r\n ")]).await;
    assert_eq!(empty.location, format!("/moderation?erreur=question-manquante&organisation={request}"));
    let again = moderator.get(&empty.location).await.body;
    crate::forms::refused_field(
        &again,
        &format!("question-{request}"),
        "Écrivez la question : elle est envoyée par e-mail",
    );
    let long = format!("Question-{}", "x".repeat(1000));
    let refused = moderator.submit("/moderation", &ask, &[("question", &long)]).await;
    let expected = format!("/moderation?erreur=question-longue&organisation={request}&saisie=");
    assert!(refused.location.starts_with(&expected) && !refused.location.contains("Question-"), "{}", refused.location);
    let again = moderator.get(&refused.location).await.body;
    assert!(says(&again, "La question doit compter au plus 1000 caractères."));
    assert!(item(&again, request).contains(&long), "the question typed comes back into its form");
    let mangled = moderator.submit("/moderation", "/moderation/abc/question", &[("question", "Qui ?")]).await;
    assert_eq!(mangled.location, "/moderation?erreur=organisation-introuvable");
    let unknown = moderator.submit("/moderation", "/moderation/999999/question", &[("question", "Qui ?")]).await;
    assert!(unknown.location.starts_with("/moderation?erreur=organisation-introuvable"), "{}", unknown.location);
    // Without the form token.
    let stale = moderator.post(&ask, &[("csrf", ""), ("question", "Qui ?")]).await;
    assert!(stale.location.contains("erreur=formulaire-expire"), "{}", stale.location);
    nothing_written().await;

    // Nothing asked yet: nothing to answer.
    let mut owner = Browser::signed_in(&app, "claire@mairie-rodez.fr").await;
    let early = owner.submit(&page, &format!("{page}/reponse"), &[("reponse", "Bonjour")]).await;
    assert!(early.location.starts_with(&format!("{page}?erreur=aucune-question")), "{}", early.location);
    nothing_written().await;

    w.organisations.ask(w.moderator, request, "Qui signe pour la commune ?").await.unwrap();
    // Mailed to the owners only: it asks them to answer.
    let recipients: Vec<_> = question_mails(&app).await.into_iter().map(|(to, _, _)| to).collect();
    assert_eq!(recipients, ["claire@mairie-rodez.fr"]);
    // A stranger and a plain member may not answer, nor read the question.
    let mut paul = Browser::signed_in(&app, "paul@exemple.fr").await;
    let answer = paul.submit("/compte", &format!("{page}/reponse"), &[("reponse", "C'est moi.")]).await;
    assert_eq!(answer.location, "/organisations?erreur=organisation-introuvable");
    let mut member = Browser::signed_in(&app, "ines@exemple.fr").await;
    assert!(!member.get(&page).await.body.contains("Qui signe pour la commune"), "owners only");
    let answer = member.submit(&page, &format!("{page}/reponse"), &[("reponse", "C'est moi.")]).await;
    assert!(answer.location.starts_with(&format!("{page}?erreur=reserve-proprietaires")), "{}", answer.location);
    // Nor the moderator, who is not a member.
    assert!(matches!(w.organisations.answer(w.moderator, request, "Moi.").await, Err(OrganisationError::NotFound)));
    assert_eq!(count(&app, "SELECT CAST(COUNT(*) AS BIGINT) FROM moderation_log WHERE action = 'answer'").await, 0);
    assert_eq!(status(&app, request).await, "en_attente");
}
