//! Applications to offers: the pipeline and its forbidden steps, who may read and write, bad
//! input that changes nothing, the CV stored in the database and read back byte for byte, the
//! mails to the other side and the median response time; through the service against a real
//! database, then over HTTP as a browser without JavaScript (multipart form included).

use crate::browser::*;
use crate::helpers::*;
use crate::offers::remplacement;
use crate::seeds::*;
use app::domain::applications::{
    APPLICATIONS_PER_DAY, ApplicationProblem as P, ApplicationStatus as S, ApplyState, CV_MAX_BYTES, MESSAGES_PER_HOUR,
};
use server::applications::{ApplicationError, Applications, Cv};
use server::db::Database;
use sqlx::Row;

const MESSAGE: &str = "Bonjour, médecin remplaçant thésé, je suis disponible tout le mois de juillet.";

/// A small real PDF: a header, one empty page, a cross-reference table and the end marker.
pub fn pdf() -> Vec<u8> {
    let mut bytes = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n".to_vec();
    bytes.extend_from_slice(
        b"1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n\
          3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n\
          xref\n0 4\n0000000000 65535 f \ntrailer<</Size 4/Root 1 0 R>>\nstartxref\n0\n%%EOF\n",
    );
    // Every byte value, so that an encoding slip (text instead of bytes) shows.
    bytes.splice(20..20, (0..=255u8).collect::<Vec<_>>());
    bytes
}

/// A world of its own for each test (or on a running app's database), with the
/// applications' service.
struct Fixture {
    world: World,
    applications: Applications,
}

impl std::ops::Deref for Fixture {
    type Target = World;
    fn deref(&self) -> &World {
        &self.world
    }
}

/// A fixture on `db`, searching with `search` (an app's indexer), or with an index of its own
/// in `test_db`'s directory.
async fn fixture_on(db: Database, test_db: Option<TestDb>, search: Option<server::search::Indexer>) -> Fixture {
    Fixture::from(World::on(db, test_db, search).await)
}

async fn fixture() -> Fixture {
    Fixture::from(World::new().await)
}

impl From<World> for Fixture {
    fn from(world: World) -> Self {
        Fixture { applications: Applications::new(world.db.clone(), SITE.to_owned()), world }
    }
}

impl Fixture {
    /// An account whose address is confirmed.
    async fn member(&self, email: &str, name: &str) -> i64 {
        self.confirmed_user(email, name).await
    }

    /// A verified organisation of `owner` with one open offer: (organisation, offer).
    async fn open_offer(&self, owner: i64, name: &str) -> (i64, i64) {
        let organisation = self.organisation(owner, "commune", name, "12202", true).await;
        let offer = self.published(owner, organisation, &remplacement()).await;
        (organisation, offer)
    }

    async fn count(&self, table: &str) -> i64 {
        let sql = format!("SELECT CAST(COUNT(*) AS BIGINT) FROM {table}");
        sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).fetch_one(&self.db.pool).await.unwrap()
    }

    async fn rows(&self) -> [i64; 4] {
        [
            self.count("applications").await,
            self.count("application_messages").await,
            self.count("application_events").await,
            self.count("mail_outbox").await,
        ]
    }

    async fn status(&self, id: i64) -> S {
        let code: String = sqlx::query_scalar("SELECT status FROM applications WHERE id = $1")
            .bind(id)
            .fetch_one(&self.db.pool)
            .await
            .unwrap();
        S::from_code(&code).unwrap()
    }

    /// (recipient, template, text) of every queued mail, in order.
    async fn mails(&self) -> Vec<(String, String, String)> {
        sqlx::query(
            "SELECT recipient, template, body_text FROM mail_outbox WHERE template LIKE 'candidature-%' ORDER BY id",
        )
        .fetch_all(&self.db.pool)
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect()
    }
}

fn problem(result: Result<impl std::fmt::Debug, ApplicationError>) -> P {
    match result {
        Err(ApplicationError::Invalid(problem)) => problem,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[tokio::test]
async fn the_pipeline_moves_forward_refuses_every_forbidden_step_and_records_each_change() {
    let f = fixture().await;
    let claire = f.member("claire@exemple.fr", "Claire Mairie").await;
    let lea = f.member("lea@exemple.fr", "Dr Léa Martin").await;
    let (_, offer) = f.open_offer(claire, "Mairie de Rodez").await;
    let a = &f.applications;

    let id = a.apply(lea, offer, MESSAGE, None).await.unwrap();
    assert_eq!(f.status(id).await, S::Envoyee);
    // The candidate reading it changes nothing; a member's first reading marks it read, once.
    a.read_application(lea, id).await.unwrap().unwrap();
    assert_eq!(f.status(id).await, S::Envoyee);
    let seen = a.read_application(claire, id).await.unwrap().unwrap();
    assert_eq!((seen.card.status, seen.as_organisation), (S::Lue, true));
    a.read_application(claire, id).await.unwrap().unwrap();

    // Forbidden for the organisation: back to sent or read, the candidate's withdrawal.
    for to in [S::Envoyee, S::Lue, S::Retiree] {
        assert_eq!(problem(a.change_status(claire, id, to).await), P::WrongStatus, "lue → {to:?}");
    }
    // The candidate does not move the pipeline.
    for to in [S::EnDiscussion, S::Entretien, S::Acceptee, S::Refusee] {
        assert_eq!(problem(a.change_status(lea, id, to).await), P::WrongStatus, "candidate → {to:?}");
    }
    a.change_status(claire, id, S::EnDiscussion).await.unwrap();
    assert_eq!(problem(a.change_status(claire, id, S::EnDiscussion).await), P::WrongStatus, "no standing still");
    a.change_status(claire, id, S::Entretien).await.unwrap();
    assert_eq!(problem(a.change_status(claire, id, S::EnDiscussion).await), P::WrongStatus, "no way back");
    // The organisation does not withdraw for the candidate.
    assert_eq!(problem(a.withdraw(claire, id).await), P::WrongStatus);
    a.change_status(claire, id, S::Acceptee).await.unwrap();
    // Final: nothing moves any more, not even the candidate's withdrawal.
    for to in [S::Refusee, S::Entretien, S::EnDiscussion, S::Acceptee] {
        assert_eq!(problem(a.change_status(claire, id, to).await), P::WrongStatus, "acceptée → {to:?}");
    }
    assert_eq!(problem(a.withdraw(lea, id).await), P::WrongStatus);
    // A final status closes the thread, on both sides.
    assert_eq!(problem(a.post_message(lea, id, "Merci beaucoup !").await), P::ThreadClosed);
    assert_eq!(problem(a.post_message(claire, id, "Bienvenue parmi nous.").await), P::ThreadClosed);
    let view = a.read_application(lea, id).await.unwrap().unwrap();
    let history: Vec<_> = view.history.iter().map(|e| (e.from, e.to, e.actor.as_str())).collect();
    assert_eq!(
        history,
        [
            (None, S::Envoyee, "Dr Léa Martin"),
            (Some(S::Envoyee), S::Lue, "Claire Mairie"),
            (Some(S::Lue), S::EnDiscussion, "Claire Mairie"),
            (Some(S::EnDiscussion), S::Entretien, "Claire Mairie"),
            (Some(S::Entretien), S::Acceptee, "Claire Mairie"),
        ]
    );

    // Refused at any stage before a final one, even straight after reading; then final.
    let paul = f.member("paul@exemple.fr", "Dr Paul Roux").await;
    let refused = a.apply(paul, offer, MESSAGE, None).await.unwrap();
    a.change_status(claire, refused, S::Refusee).await.unwrap();
    assert_eq!(problem(a.change_status(claire, refused, S::Entretien).await), P::WrongStatus);
    assert_eq!(problem(a.withdraw(paul, refused).await), P::WrongStatus);
    assert_eq!(problem(a.post_message(paul, refused, "Pourquoi ?").await), P::ThreadClosed);
    // Steps may be skipped forward: sent straight to interview.
    let zoe = f.member("zoe@exemple.fr", "Dr Zoé Blanc").await;
    let skipped = a.apply(zoe, offer, MESSAGE, None).await.unwrap();
    a.change_status(claire, skipped, S::Entretien).await.unwrap();
    // The candidate withdraws before a final status; then nothing moves, no message is taken.
    a.withdraw(zoe, skipped).await.unwrap();
    assert_eq!(f.status(skipped).await, S::Retiree);
    assert_eq!(problem(a.withdraw(zoe, skipped).await), P::WrongStatus);
    assert_eq!(problem(a.change_status(claire, skipped, S::Refusee).await), P::WrongStatus);
    assert_eq!(problem(a.post_message(zoe, skipped, "Finalement si ?").await), P::ThreadClosed);
    let events: i64 =
        sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM application_events WHERE application_id = $1")
            .bind(skipped)
            .fetch_one(&f.db.pool)
            .await
            .unwrap();
    assert_eq!(events, 3, "sent, interview, withdrawn");
}

#[tokio::test]
async fn one_person_writes_at_most_20_messages_an_hour_and_applies_at_most_15_times_a_day() {
    let f = fixture().await;
    let a = f.applications.clone().with_clock(f.clock.clone());
    let claire = f.member("claire@exemple.fr", "Claire Mairie").await;
    let lea = f.member("lea@exemple.fr", "Dr Léa Martin").await;
    let (organisation, offer) = f.open_offer(claire, "Mairie de Rodez").await;
    let id = a.apply(lea, offer, MESSAGE, None).await.unwrap();
    for n in 0..MESSAGES_PER_HOUR {
        a.post_message(lea, id, &format!("Précision numéro {n}")).await.unwrap();
    }
    let before = f.rows().await;
    assert_eq!(problem(a.post_message(lea, id, "Encore une précision").await), P::TooManyMessages);
    assert_eq!(f.rows().await, before, "refused: nothing written, nothing mailed");
    // The other side is not held back by it, and an hour later Léa writes again.
    a.post_message(claire, id, "Bien reçu, merci.").await.unwrap();
    f.clock.advance(std::time::Duration::from_secs(3_601));
    a.post_message(lea, id, "Une dernière chose.").await.unwrap();

    let paul = f.member("paul@exemple.fr", "Dr Paul Roux").await;
    for _ in 0..APPLICATIONS_PER_DAY {
        let offer = f.published(claire, organisation, &remplacement()).await;
        a.apply(paul, offer, MESSAGE, None).await.unwrap();
    }
    let one_more = f.published(claire, organisation, &remplacement()).await;
    let before = f.rows().await;
    assert_eq!(problem(a.apply(paul, one_more, MESSAGE, None).await), P::TooManyApplications);
    assert_eq!(f.rows().await, before);
    f.clock.advance(std::time::Duration::from_secs(24 * 3_600));
    a.apply(paul, one_more, MESSAGE, None).await.unwrap();
}

#[tokio::test]
async fn nobody_else_reads_writes_or_downloads_an_application() {
    let f = fixture().await;
    let claire = f.member("claire@exemple.fr", "Claire Mairie").await;
    let lea = f.member("lea@exemple.fr", "Dr Léa Martin").await;
    let paul = f.member("paul@exemple.fr", "Paul Mairie de Millau").await;
    let marc = f.member("marc@exemple.fr", "Dr Marc Autre").await;
    let (rodez, offer) = f.open_offer(claire, "Mairie de Rodez").await;
    let (millau, other_offer) = f.open_offer(paul, "Mairie de Millau").await;
    let a = &f.applications;
    let id = a.apply(lea, offer, MESSAGE, Some(Cv::parse("cv.pdf", pdf()).unwrap())).await.unwrap();
    let marcs = a.apply(marc, other_offer, MESSAGE, None).await.unwrap();
    let before = f.rows().await;

    // Another organisation's member and another candidate: the application does not exist.
    for stranger in [paul, marc, f.moderator] {
        assert!(a.read_application(stranger, id).await.unwrap().is_none());
        assert!(a.cv(stranger, id).await.unwrap().is_none());
        assert_eq!(problem(a.post_message(stranger, id, "Bonjour").await), P::NotFound);
        assert_eq!(problem(a.change_status(stranger, id, S::Refusee).await), P::NotFound);
        assert_eq!(problem(a.withdraw(stranger, id).await), P::NotFound);
    }
    assert_eq!(f.status(id).await, S::Envoyee, "not even read by a stranger");
    assert!(a.read_received(paul, rodez).await.unwrap().is_none());
    assert!(a.read_received(lea, rodez).await.unwrap().is_none());
    assert_eq!(a.read_received(claire, rodez).await.unwrap().unwrap().applications.len(), 1);
    assert_eq!(a.read_received(paul, millau).await.unwrap().unwrap().applications[0].id, marcs);
    assert_eq!(a.read_mine(lea).await.unwrap().iter().map(|c| c.id).collect::<Vec<_>>(), [id]);
    assert!(a.read_mine(paul).await.unwrap().is_empty());
    assert_eq!(f.rows().await, before, "nothing written");
    assert!(a.cv(lea, id).await.unwrap().is_some() && a.cv(claire, id).await.unwrap().is_some());

    // Over HTTP: anonymous visitors and strangers get no page, no CV, no write.
    let app = spawn_app_on(imported_db().await).await;
    let g = fixture_on(app.db.clone(), None, Some(app.indexer.clone())).await;
    let claire = g.member("claire@exemple.fr", "Claire Mairie").await;
    let lea = g.member("lea@exemple.fr", "Dr Léa Martin").await;
    g.member("paul@exemple.fr", "Paul").await;
    let (rodez, offer) = g.open_offer(claire, "Mairie de Rodez").await;
    let id = g.applications.apply(lea, offer, MESSAGE, Some(Cv::parse("cv.pdf", pdf()).unwrap())).await.unwrap();
    let before = g.rows().await;
    let (_, page) = app.page(&format!("/candidatures/{id}")).await;
    assert!(says(&page, "Connectez-vous pour accéder à cette page") && !page.contains(MESSAGE));
    let cv = app.get(&format!("/candidatures/{id}/cv")).await;
    assert_eq!(cv.status().as_u16(), 303);
    assert!(cv.headers()["location"].to_str().unwrap().starts_with("/connexion"));
    let mut anonymous = Browser::new(&app);
    for action in ["messages", "statut", "retrait"] {
        let answer = anonymous
            .submit("/inscription", &format!("/candidatures/{id}/{action}"), &[("message", "x"), ("statut", "refusee")])
            .await;
        assert!(answer.location.starts_with("/connexion?erreur=connexion-requise"), "{action}: {}", answer.location);
    }
    let mut paul = Browser::signed_in(&app, "paul@exemple.fr").await;
    let page = paul.get(&format!("/candidatures/{id}")).await;
    assert_eq!(page.status, 404);
    assert!(!page.body.contains(MESSAGE));
    let cv = paul.get(&format!("/candidatures/{id}/cv")).await;
    assert_eq!(cv.status, 404);
    assert!(!cv.body.contains("%PDF"));
    assert_eq!(paul.get(&format!("/organisations/{rodez}/candidatures")).await.status, 404);
    let answer = paul.submit("/compte", &format!("/candidatures/{id}/statut"), &[("statut", "refusee")]).await;
    assert_eq!(answer.location, "/candidatures?erreur=candidature-introuvable");
    let answer = paul.submit("/compte", &format!("/candidatures/{id}/messages"), &[("message", "Bonjour")]).await;
    assert_eq!(answer.location, "/candidatures?erreur=candidature-introuvable");
    assert_eq!(g.rows().await, before, "nothing written");
}

pub const BOUNDARY: &str = "----portail-test-7d1f3a";

/// A multipart body: text fields, then the file, if any, as `cv`.
pub fn multipart(fields: &[(&str, &str)], file: Option<(&str, &[u8])>) -> Vec<u8> {
    multipart_as(fields, "cv", file)
}

/// A multipart body: text fields, then the file input `input` (empty, as a browser sends an
/// input left blank, when `file` is None).
pub fn multipart_as(fields: &[(&str, &str)], input: &str, file: Option<(&str, &[u8])>) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes(),
        );
    }
    let (name, bytes) = file.unwrap_or(("", b""));
    body.extend_from_slice(
        format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{input}\"; filename=\"{name}\"\r\n\
             Content-Type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    body
}

/// Opens the offer's page and posts its « Postuler » form with the page's token.
async fn apply(
    browser: &mut Browser<'_>,
    offer_page: &str,
    offer: i64,
    message: &str,
    file: Option<(&str, &[u8])>,
) -> Answer {
    let mut page = browser.get(offer_page).await;
    // No form on the page (an unconfirmed address, a closed offer): the token of another page.
    if !page.body.contains("name=\"csrf\"") {
        page = browser.get("/compte").await;
    }
    let csrf = form_token(&page.body);
    let body = multipart(&[("csrf", &csrf), ("message", message)], file);
    let request = browser
        .app
        .client
        .post(format!("{}/offres/{offer}/candidature", browser.app.address))
        .header("content-type", format!("multipart/form-data; boundary={BOUNDARY}"))
        .body(body);
    browser.send(request).await
}

#[tokio::test]
async fn a_doctor_applies_with_a_cv_through_the_form_and_both_sides_talk() {
    let app = spawn_app().await;
    let f = fixture_on(app.db.clone(), None, Some(app.indexer.clone())).await;
    let claire = f.member("claire@exemple.fr", "Claire Mairie").await;
    let (rodez, offer) = f.open_offer(claire, "Mairie de Rodez").await;
    f.member("lea@exemple.fr", "Dr Léa Martin").await;
    let offer_page = format!("/offres/{offer}-remplacement-d-ete-a-rodez");

    // Anonymous: asked to sign in; signed in with an unconfirmed address: asked to confirm it.
    let (_, page) = app.page(&offer_page).await;
    assert!(says(&page, "Connectez-vous pour postuler") && !page.contains("multipart/form-data"));
    let unconfirmed = f.accounts.sign_up("tom@exemple.fr", "Tom", PASSWORD).await.unwrap();
    let mut tom = Browser::signed_in(&app, "tom@exemple.fr").await;
    let page = tom.get(&offer_page).await;
    assert!(says(&page.body, "Confirmez d'abord votre adresse e-mail"));
    let answer = apply(&mut tom, &offer_page, offer, MESSAGE, None).await;
    assert!(
        answer.location.starts_with(&format!("/offres/{offer}?erreur=candidature-adresse-non-confirmee&saisie=")),
        "{}",
        answer.location
    );
    assert!(!answer.location.contains(&encoded(MESSAGE)), "the letter stays out of the address");
    let _ = unconfirmed;

    let mut lea = Browser::signed_in(&app, "lea@exemple.fr").await;
    let page = lea.get(&offer_page).await;
    assert!(page.body.contains("enctype=\"multipart/form-data\"") && page.body.contains("type=\"file\""));
    let before = f.rows().await;

    // Refused, each with its reason, nothing stored: no message, a Word file renamed .pdf, 6 MB.
    let answer = apply(&mut lea, &offer_page, offer, "   ", Some(("cv.pdf", &pdf()))).await;
    assert_eq!(answer.location, format!("/offres/{offer}?erreur=candidature-message"));
    let again = lea.get(&format!("{offer_page}?erreur=candidature-message")).await;
    assert!(says(&again.body, "Écrivez un message"));
    let docx = b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00word/document.xml".to_vec();
    let answer = apply(&mut lea, &offer_page, offer, MESSAGE, Some(("cv.pdf", &docx))).await;
    assert!(
        answer.location.starts_with(&format!("/offres/{offer}?erreur=candidature-cv-pdf&saisie=")),
        "{}",
        answer.location
    );
    let again = lea.get(&format!("{offer_page}?{}", answer.location.split_once('?').unwrap().1)).await;
    assert!(says(&again.body, "Le CV doit être un fichier PDF"));
    assert!(again.body.contains("médecin remplaçant thésé"), "the message typed comes back");
    let mut big = pdf();
    big.splice(10..10, std::iter::repeat_n(b' ', 6 * 1024 * 1024));
    let answer = apply(&mut lea, &offer_page, offer, MESSAGE, Some(("cv.pdf", &big))).await;
    assert_eq!(answer.location, format!("/offres/{offer}?erreur=candidature-cv-taille"));
    // Just over the limit of the CV, but under that of the body: refused by the CV check.
    let mut over = pdf();
    over.splice(10..10, std::iter::repeat_n(b' ', CV_MAX_BYTES));
    let answer = apply(&mut lea, &offer_page, offer, MESSAGE, Some(("cv.pdf", &over))).await;
    assert!(
        answer.location.starts_with(&format!("/offres/{offer}?erreur=candidature-cv-taille")),
        "{}",
        answer.location
    );
    // Without the page's token.
    let forged = lea
        .send(
            app.client
                .post(format!("{}/offres/{offer}/candidature", app.address))
                .header("content-type", format!("multipart/form-data; boundary={BOUNDARY}"))
                .body(multipart(&[("message", MESSAGE)], None)),
        )
        .await;
    assert!(forged.location.contains("erreur=formulaire-expire"), "{}", forged.location);
    assert_eq!(f.rows().await, before, "nothing stored");

    // Sent, with a CV read back byte for byte.
    let answer = apply(&mut lea, &offer_page, offer, MESSAGE, Some(("Mon CV été.pdf", &pdf()))).await;
    let id: i64 = answer.location.trim_start_matches("/candidatures/").split('?').next().unwrap().parse().unwrap();
    assert_eq!(answer.location, format!("/candidatures/{id}?info=candidature-envoyee"));
    let page = lea.get(&answer.location).await;
    assert_eq!(page.status, 200);
    assert!(says(&page.body, "Votre candidature est envoyée") && page.body.contains(MESSAGE));
    assert!(page.body.contains("Mon CV été.pdf") && page.body.contains("data-status=\"envoyee\""));
    let download = lea.app.client.get(format!("{}/candidatures/{id}/cv", app.address));
    let cookie = lea.cookie_header();
    let response = download.header("cookie", cookie).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.headers()["content-type"], "application/pdf");
    let disposition = response.headers()["content-disposition"].to_str().unwrap().to_owned();
    assert!(disposition.starts_with("attachment; filename=\"Mon CV _t_.pdf\""), "{disposition}");
    assert_eq!(response.bytes().await.unwrap().to_vec(), pdf(), "the CV round-trips byte for byte");

    // Twice: refused, and the page leads to the application.
    let answer = apply(&mut lea, &offer_page, offer, MESSAGE, None).await;
    assert!(
        answer.location.starts_with(&format!("/offres/{offer}?erreur=candidature-deja-envoyee")),
        "{}",
        answer.location
    );
    let page = lea.get(&offer_page).await;
    assert!(says(&page.body, "Vous avez postulé à cette offre") && page.body.contains(&format!("/candidatures/{id}")));
    assert_eq!(f.count("applications").await, 1);
    let (_, mine) = (0, lea.get("/candidatures").await);
    assert!(mine.body.contains(&format!("href=\"/candidatures/{id}\"")) && mine.body.contains("Mairie de Rodez"));

    // The commune: its list, the application (read now), the CV, a message and « entretien ».
    let mut commune = Browser::signed_in(&app, "claire@exemple.fr").await;
    let organisation_page = commune.get(&format!("/organisations/{rodez}")).await;
    assert!(organisation_page.body.contains(&format!("href=\"/organisations/{rodez}/candidatures\"")));
    let received = commune.get(&format!("/organisations/{rodez}/candidatures")).await;
    assert!(received.body.contains("Dr Léa Martin") && received.body.contains(&format!("/candidatures/{id}")));
    let page = commune.get(&format!("/candidatures/{id}")).await;
    assert!(page.body.contains("data-status=\"lue\"") && page.body.contains("name=\"statut\""));
    assert_eq!(commune.get(&format!("/candidatures/{id}/cv")).await.status, 200);
    let empty = commune
        .submit(&format!("/candidatures/{id}"), &format!("/candidatures/{id}/messages"), &[("message", " ")])
        .await;
    assert_eq!(empty.location, format!("/candidatures/{id}?erreur=candidature-message"));
    let answer = commune
        .submit(
            &format!("/candidatures/{id}"),
            &format!("/candidatures/{id}/messages"),
            &[("message", "Merci ! Pouvez-vous venir nous rencontrer mardi ?")],
        )
        .await;
    assert_eq!(answer.location, format!("/candidatures/{id}?info=candidature-message-envoye"));
    let bogus = commune
        .submit(&format!("/candidatures/{id}"), &format!("/candidatures/{id}/statut"), &[("statut", "n-importe")])
        .await;
    assert_eq!(bogus.location, format!("/candidatures/{id}?erreur=candidature-etat"));
    let answer = commune
        .submit(&format!("/candidatures/{id}"), &format!("/candidatures/{id}/statut"), &[("statut", "entretien")])
        .await;
    assert_eq!(answer.location, format!("/candidatures/{id}?info=candidature-statut-change"));
    let back = commune
        .submit(&format!("/candidatures/{id}"), &format!("/candidatures/{id}/statut"), &[("statut", "en_discussion")])
        .await;
    assert_eq!(back.location, format!("/candidatures/{id}?erreur=candidature-etat"));

    // The doctor sees it, answers, and the thread holds both.
    let answer = lea
        .submit(
            &format!("/candidatures/{id}"),
            &format!("/candidatures/{id}/messages"),
            &[("message", "Avec plaisir, mardi 14 h.")],
        )
        .await;
    assert_eq!(answer.location, format!("/candidatures/{id}?info=candidature-message-envoye"));
    let page = lea.get(&format!("/candidatures/{id}")).await;
    assert!(page.body.contains("data-status=\"entretien\"") && !page.body.contains("name=\"statut\""));
    assert!(
        page.body.contains("Pouvez-vous venir nous rencontrer mardi")
            && page.body.contains("Avec plaisir, mardi 14 h.")
    );
    assert!(page.body.contains("Retirer ma candidature"));

    // Mails: the commune on apply and on the doctor's message, the doctor on each change and message.
    let mails = f.mails().await;
    let summary: Vec<(&str, &str)> = mails.iter().map(|(to, t, _)| (to.as_str(), t.as_str())).collect();
    assert_eq!(
        summary,
        [
            ("claire@exemple.fr", "candidature-recue"),
            ("lea@exemple.fr", "candidature-statut"),
            ("lea@exemple.fr", "candidature-message"),
            ("lea@exemple.fr", "candidature-statut"),
            ("claire@exemple.fr", "candidature-message"),
        ]
    );
    assert!(
        mails[0].2.contains("Dr Léa Martin a postulé") && mails[0].2.contains(&format!("{SITE}/candidatures/{id}"))
    );
    assert!(mails[1].2.contains("maintenant : lue"));
    assert!(mails[2].2.contains("Pouvez-vous venir nous rencontrer mardi ?"));
    assert!(mails[3].2.contains("maintenant : entretien"));
    assert!(mails[4].2.contains("Avec plaisir, mardi 14 h."));

    // The response time is shown on the organisation's offers' pages.
    let (_, page) = app.page(&offer_page).await;
    assert!(says(&page, "Délai médian de première réponse : moins d'une heure"), "after a first response");

    // Filled, the offer takes no more applications.
    f.offers.fill(claire, offer).await.unwrap();
    f.member("zoe@exemple.fr", "Dr Zoé").await;
    let mut zoe = Browser::signed_in(&app, "zoe@exemple.fr").await;
    let page = zoe.get(&offer_page).await;
    assert!(!page.body.contains("multipart/form-data"));
    let answer = apply(&mut zoe, &offer_page, offer, MESSAGE, None).await;
    assert!(
        answer.location.starts_with(&format!("/offres/{offer}?erreur=candidature-offre-fermee")),
        "{}",
        answer.location
    );
    assert_eq!(f.count("applications").await, 1);
}

fn encoded(value: &str) -> String {
    serde_urlencoded::to_string([("v", value)]).unwrap().trim_start_matches("v=").to_owned()
}

#[tokio::test]
async fn closed_offers_own_offers_and_repeated_applications_store_nothing() {
    let f = fixture().await;
    let claire = f.member("claire@exemple.fr", "Claire Mairie").await;
    let lea = f.member("lea@exemple.fr", "Dr Léa Martin").await;
    let (organisation, open) = f.open_offer(claire, "Mairie de Rodez").await;
    let a = &f.applications;
    let draft = f.offers.create(claire, organisation, &remplacement()).await.unwrap();
    let filled = f.offers.create(claire, organisation, &remplacement()).await.unwrap();
    f.offers.publish(claire, filled).await.unwrap();
    f.offers.fill(claire, filled).await.unwrap();
    let withdrawn = f.offers.create(claire, organisation, &remplacement()).await.unwrap();
    f.offers.publish(claire, withdrawn).await.unwrap();
    f.offers.withdraw(claire, withdrawn).await.unwrap();
    let expired = f.offers.create(claire, organisation, &remplacement()).await.unwrap();
    f.offers.publish(claire, expired).await.unwrap();
    sqlx::query("UPDATE offers SET expires_at = $1 WHERE id = $2")
        .bind(now() - 1)
        .bind(expired)
        .execute(&f.db.pool)
        .await
        .unwrap();
    let unconfirmed = f.accounts.sign_up("tom@exemple.fr", "Tom", PASSWORD).await.unwrap();
    let before = f.rows().await;

    for closed in [draft, filled, withdrawn, expired, 999_999] {
        assert_eq!(problem(a.apply(lea, closed, MESSAGE, None).await), P::OfferClosed, "offer {closed}");
        assert!(matches!(
            a.read_apply_section(Some(lea), closed).await.unwrap().map(|s| s.state),
            Some(ApplyState::Closed) | None
        ));
    }
    assert_eq!(problem(a.apply(claire, open, MESSAGE, None).await), P::OwnOrganisation);
    assert_eq!(problem(a.apply(lea, open, "", None).await), P::MessageMissing);
    assert_eq!(problem(a.apply(lea, open, &"x".repeat(5_001), None).await), P::MessageTooLong);
    assert_eq!(problem(a.apply(unconfirmed, open, MESSAGE, None).await), P::EmailUnverified);
    assert_eq!(f.rows().await, before, "nothing stored");

    let section = |viewer| async move { a.read_apply_section(viewer, open).await.unwrap().unwrap().state };
    assert_eq!(section(None).await, ApplyState::SignInRequired);
    assert_eq!(section(Some(claire)).await, ApplyState::OwnOffer);
    assert_eq!(section(Some(unconfirmed)).await, ApplyState::EmailUnverified);
    assert_eq!(section(Some(lea)).await, ApplyState::Open);
    let id = a.apply(lea, open, MESSAGE, None).await.unwrap();
    assert_eq!(section(Some(lea)).await, ApplyState::Applied(id));
    let after = f.rows().await;
    assert_eq!(problem(a.apply(lea, open, MESSAGE, None).await), P::AlreadyApplied);
    // Bad messages in the thread change nothing either.
    assert_eq!(problem(a.post_message(lea, id, " \n ").await), P::MessageMissing);
    assert_eq!(problem(a.post_message(claire, id, &"é".repeat(5_001)).await), P::MessageTooLong);
    assert_eq!(f.rows().await, after);
}

/// A candidate who withdrew applies again while the offer is open: the same application comes
/// back « envoyée » with the new letter (the first CV kept when none is sent), its history
/// shows the withdrawal and the return, the members are mailed; once a day at most, and never
/// to an offer that closed meanwhile.
#[tokio::test]
async fn a_withdrawn_application_is_sent_again_once_a_day_while_the_offer_is_open() {
    let f = fixture().await;
    let a = Applications::new(f.db.clone(), SITE.to_owned()).with_clock(f.clock.clone());
    let claire = f.member("claire@exemple.fr", "Claire Mairie").await;
    let lea = f.member("lea@exemple.fr", "Dr Léa Martin").await;
    let (_, offer) = f.open_offer(claire, "Mairie de Rodez").await;
    let cv = Cv { name: "cv.pdf".to_owned(), bytes: pdf() };
    let id = a.apply(lea, offer, MESSAGE, Some(cv)).await.unwrap();
    a.withdraw(lea, id).await.unwrap();
    let section = || async { a.read_apply_section(Some(lea), offer).await.unwrap().unwrap().state };
    assert_eq!(section().await, ApplyState::Withdrawn(id));

    let mails_before = f.mails().await.len();
    let letter = "Bonjour,\n\nfinalement libre en juillet : je repostule.";
    assert_eq!(a.apply(lea, offer, letter, None).await.unwrap(), id, "the same application");
    assert_eq!(f.status(id).await, S::Envoyee);
    assert_eq!(section().await, ApplyState::Applied(id));
    let mails = f.mails().await;
    assert_eq!(mails.len(), mails_before + 1);
    assert_eq!(
        (mails[mails_before].0.as_str(), mails[mails_before].1.as_str()),
        ("claire@exemple.fr", "candidature-recue")
    );
    let view = a.read_application(claire, id).await.unwrap().unwrap();
    assert_eq!(view.profile, None, "Léa has not filled in her profile");
    assert_eq!(view.message, letter);
    assert_eq!(view.cv.as_ref().map(|(name, _)| name.as_str()), Some("cv.pdf"), "the first CV stays");
    // Claire's reading marks it read, as for any new application.
    let steps: Vec<(Option<S>, S)> = view.history.iter().map(|e| (e.from, e.to)).collect();
    assert_eq!(
        steps,
        [
            (None, S::Envoyee),
            (Some(S::Envoyee), S::Retiree),
            (Some(S::Retiree), S::Envoyee),
            (Some(S::Envoyee), S::Lue)
        ]
    );

    // Withdrawn again the same day: not sent a third time before tomorrow.
    a.withdraw(lea, id).await.unwrap();
    let before = f.rows().await;
    assert_eq!(problem(a.apply(lea, offer, MESSAGE, None).await), P::SentAgainToday);
    assert_eq!(f.rows().await, before, "nothing changed");
    f.clock.advance(std::time::Duration::from_secs(25 * 3_600));
    a.apply(lea, offer, MESSAGE, None).await.unwrap();
    assert_eq!(f.status(id).await, S::Envoyee);

    // An offer closed meanwhile takes nobody back.
    a.withdraw(lea, id).await.unwrap();
    f.clock.advance(std::time::Duration::from_secs(25 * 3_600));
    f.offers.fill(claire, offer).await.unwrap();
    assert_eq!(problem(a.apply(lea, offer, MESSAGE, None).await), P::OfferClosed);
    assert_eq!(f.status(id).await, S::Retiree);
}

/// The recruiter sees on each application what the candidate declared of themselves (status,
/// specialty, year, RPPS, said to be checked by its key only), and the candidate sees the same.
#[tokio::test]
async fn the_recruiter_sees_the_candidate_s_declared_profile() {
    let app = spawn_app().await;
    let f = fixture_on(app.db.clone(), None, Some(app.indexer.clone())).await;
    let claire = f.member("claire@exemple.fr", "Claire Mairie").await;
    let lea = f.member("lea@exemple.fr", "Dr Léa Martin").await;
    let (_, offer) = f.open_offer(claire, "Mairie de Rodez").await;
    let id = f.applications.apply(lea, offer, MESSAGE, None).await.unwrap();
    let mut claire_browser = Browser::signed_in(&app, "claire@exemple.fr").await;
    let page = claire_browser.get(&format!("/candidatures/{id}")).await.body;
    assert!(says(&page, "Pas de profil renseigné"), "{page}");

    let profile = app::domain::profiles::ProfileInput {
        statut: "remplacant".into(),
        specialite: "Médecine générale".into(),
        these: "oui".into(),
        rpps: "10003456786".into(),
        ..Default::default()
    };
    server::people::People::new(f.db.clone()).save(lea, &profile).await.unwrap();
    let page = claire_browser.get(&format!("/candidatures/{id}")).await.body;
    assert!(says(&page, "Médecin remplaçant thésé, Médecine générale"), "{page}");
    assert!(says(&page, "10003456786") && says(&page, "ne le vérifie pas dans l'annuaire santé"), "{page}");
    let mut lea_browser = Browser::signed_in(&app, "lea@exemple.fr").await;
    let own = lea_browser.get(&format!("/candidatures/{id}")).await.body;
    assert!(says(&own, "Médecin remplaçant thésé") && says(&own, "modifier mon profil"), "{own}");
}

/// The organisation reads an application, answers and invites to an interview within a minute:
/// the candidate gets one mail telling all three, not three mails. A change after that mail left
/// is a mail of its own; without grouping, each change is one, as before.
#[tokio::test]
async fn a_minute_of_changes_makes_one_mail_to_the_candidate() {
    let f = fixture().await;
    let grouped = Applications::new(f.db.clone(), SITE.to_owned()).with_grouping(std::time::Duration::from_secs(120));
    let claire = f.member("claire@exemple.fr", "Claire Mairie").await;
    let lea = f.member("lea@exemple.fr", "Dr Léa Martin").await;
    let (rodez, offer) = f.open_offer(claire, "Mairie de Rodez").await;
    let id = grouped.apply(lea, offer, MESSAGE, None).await.unwrap();
    grouped.read_application(claire, id).await.unwrap().unwrap();
    grouped.post_message(claire, id, "Pouvez-vous venir mardi à 14 h ?").await.unwrap();
    grouped.change_status(claire, id, S::Entretien).await.unwrap();
    let to_lea = |mails: Vec<(String, String, String)>| -> Vec<(String, String)> {
        mails.into_iter().filter(|(to, _, _)| to == "lea@exemple.fr").map(|(_, t, body)| (t, body)).collect()
    };
    let mails = to_lea(f.mails().await);
    assert_eq!(mails.len(), 1, "{mails:?}");
    let (template, body) = &mails[0];
    assert_eq!(template, "candidature-nouvelles");
    let lines: Vec<&str> = body.lines().filter(|l| l.starts_with('•')).collect();
    assert_eq!(
        lines,
        [
            "• Statut maintenant : lue",
            "• Message de Claire Mairie : « Pouvez-vous venir mardi à 14 h ? »",
            "• Statut maintenant : entretien"
        ]
    );
    // The mail leaves: what comes next is a new mail, of one change.
    sqlx::query("UPDATE mail_outbox SET status = 'sent' WHERE template = 'candidature-nouvelles'")
        .execute(&f.db.pool)
        .await
        .unwrap();
    grouped.change_status(claire, id, S::Acceptee).await.unwrap();
    let mails = to_lea(f.mails().await);
    assert_eq!(mails.len(), 2);
    assert_eq!(mails[1].0, "candidature-statut");
    assert!(mails[1].1.contains("maintenant : acceptée"), "{}", mails[1].1);

    // Without grouping (the service's default): one mail per change.
    let other = f.published(claire, rodez, &remplacement()).await;
    let single = &f.applications;
    let second = single.apply(lea, other, MESSAGE, None).await.unwrap();
    single.read_application(claire, second).await.unwrap().unwrap();
    single.post_message(claire, second, "Bonjour !").await.unwrap();
    let mails = to_lea(f.mails().await);
    assert_eq!(mails.len(), 4, "{mails:?}");
    assert_eq!((mails[2].0.as_str(), mails[3].0.as_str()), ("candidature-statut", "candidature-message"));
}

#[tokio::test]
async fn the_median_first_response_time_counts_answered_applications_only() {
    let f = fixture().await;
    let claire = f.member("claire@exemple.fr", "Claire Mairie").await;
    let (organisation, offer) = f.open_offer(claire, "Mairie de Rodez").await;
    let a = &f.applications;
    let mut ids = Vec::new();
    for n in 0..4 {
        let doctor = f.member(&format!("medecin{n}@exemple.fr"), &format!("Dr {n}")).await;
        ids.push(a.apply(doctor, offer, MESSAGE, None).await.unwrap());
    }
    // Opening is no response.
    a.read_application(claire, ids[0]).await.unwrap();
    assert_eq!(a.median_response(organisation).await.unwrap(), None);
    assert_eq!(a.read_apply_section(None, offer).await.unwrap().unwrap().median_response_secs, None);

    // Answered by a message, a status change, another status change; the fourth waits.
    a.post_message(claire, ids[0], "Merci, nous revenons vers vous.").await.unwrap();
    a.change_status(claire, ids[1], S::Entretien).await.unwrap();
    a.change_status(claire, ids[2], S::Refusee).await.unwrap();
    // A later response does not move the first one.
    a.post_message(claire, ids[1], "À mardi.").await.unwrap();
    let day = 86_400;
    for (id, delay) in [(ids[0], day), (ids[1], 2 * day + 3_600), (ids[2], 5 * day)] {
        sqlx::query("UPDATE applications SET created_at = first_response_at - $1 WHERE id = $2")
            .bind(delay)
            .bind(id)
            .execute(&f.db.pool)
            .await
            .unwrap();
    }
    assert_eq!(a.median_response(organisation).await.unwrap(), Some(2 * day + 3_600));
    let first: Option<i64> = sqlx::query_scalar("SELECT first_response_at FROM applications WHERE id = $1")
        .bind(ids[3])
        .fetch_one(&f.db.pool)
        .await
        .unwrap();
    assert_eq!(first, None, "a message from the candidate is no response");
    assert_eq!(
        app::domain::applications::delay_text(
            a.read_apply_section(None, offer).await.unwrap().unwrap().median_response_secs.unwrap()
        ),
        "2 jours"
    );
}

#[tokio::test]
async fn the_cv_blob_round_trips_byte_for_byte_through_the_database() {
    let f = fixture().await;
    let claire = f.member("claire@exemple.fr", "Claire Mairie").await;
    let lea = f.member("lea@exemple.fr", "Dr Léa Martin").await;
    let (_, offer) = f.open_offer(claire, "Mairie de Rodez").await;
    // Every byte value, NUL included, and a CV near the limit.
    let mut big = pdf();
    big.splice(30..30, (0..CV_MAX_BYTES - 2_000).map(|i| (i % 251) as u8));
    let cv = Cv::parse("CV complet.pdf", big.clone()).unwrap();
    let id = f.applications.apply(lea, offer, MESSAGE, Some(cv)).await.unwrap();
    let (name, bytes) = f.applications.cv(claire, id).await.unwrap().unwrap();
    assert_eq!(name, "CV complet.pdf");
    assert!(bytes == big, "{} bytes back for {}", bytes.len(), big.len());
    let size: i64 = sqlx::query_scalar("SELECT cv_size FROM applications WHERE id = $1")
        .bind(id)
        .fetch_one(&f.db.pool)
        .await
        .unwrap();
    assert_eq!(size, big.len() as i64);
    let view = f.applications.read_application(lea, id).await.unwrap().unwrap();
    assert_eq!(view.cv, Some(("CV complet.pdf".to_owned(), big.len() as i64)));
}

#[tokio::test]
async fn a_deleted_account_takes_its_applications_and_leaves_its_messages_anonymous() {
    let f = fixture().await;
    let claire = f.member("claire@exemple.fr", "Claire Mairie").await;
    let lea = f.member("lea@exemple.fr", "Dr Léa Martin").await;
    let paul = f.member("paul@exemple.fr", "Dr Paul Roux").await;
    let (_, offer) = f.open_offer(claire, "Mairie de Rodez").await;
    let leas = f.applications.apply(lea, offer, MESSAGE, Some(Cv::parse("cv.pdf", pdf()).unwrap())).await.unwrap();
    let pauls = f.applications.apply(paul, offer, MESSAGE, None).await.unwrap();
    f.applications.post_message(claire, leas, "Bonjour Léa").await.unwrap();
    f.applications.post_message(claire, pauls, "Bonjour Paul").await.unwrap();
    f.applications.post_message(paul, pauls, "Bonjour").await.unwrap();

    f.accounts.delete_account(lea, PASSWORD).await.unwrap();
    assert_eq!(f.applications.read_mine(paul).await.unwrap().len(), 1);
    assert!(f.applications.read_application(claire, leas).await.unwrap().is_none(), "gone with its CV");
    assert_eq!(f.count("applications").await, 1);

    // Claire leaves the portal: Paul's thread keeps her message, from « compte supprimé ».
    let other = f.member("autre@exemple.fr", "Autre propriétaire").await;
    let organisation: i64 = sqlx::query_scalar("SELECT organisation_id FROM offers WHERE id = $1")
        .bind(offer)
        .fetch_one(&f.db.pool)
        .await
        .unwrap();
    sqlx::query("INSERT INTO memberships (organisation_id, user_id, role, created_at) VALUES ($1, $2, 'owner', 0)")
        .bind(organisation)
        .bind(other)
        .execute(&f.db.pool)
        .await
        .unwrap();
    f.accounts.delete_account(claire, PASSWORD).await.unwrap();
    let view = f.applications.read_application(paul, pauls).await.unwrap().unwrap();
    let authors: Vec<_> = view.thread.iter().map(|m| (m.author.as_str(), m.from_organisation)).collect();
    assert_eq!(authors, [("compte supprimé", true), ("Dr Paul Roux", false)]);
}

#[tokio::test]
async fn the_personal_data_export_holds_the_applications_their_threads_and_what_members_wrote() {
    let f = fixture().await;
    let claire = f.member("claire@exemple.fr", "Claire Mairie").await;
    let lea = f.member("lea@exemple.fr", "Dr Léa Martin").await;
    let (_, offer) = f.open_offer(claire, "Mairie de Rodez").await;
    let leas = f.applications.apply(lea, offer, MESSAGE, Some(Cv::parse("cv.pdf", pdf()).unwrap())).await.unwrap();
    f.applications.post_message(claire, leas, "Bonjour Léa, venez nous voir").await.unwrap();

    let export = f.accounts.export(lea).await.unwrap();
    let application = &export["candidatures"][0];
    assert_eq!(application["message"], MESSAGE);
    assert_eq!(application["cv"]["nom"], "cv.pdf");
    assert_eq!(application["cv"]["telechargement"], format!("/candidatures/{leas}/cv"));
    assert_eq!(application["echanges"][0]["message"], "Bonjour Léa, venez nous voir");
    assert_eq!(application["echanges"][0]["de"], "organisation");
    assert!(!application["historique"].as_array().unwrap().is_empty());
    assert!(export.to_string().len() < 20_000, "the CV's bytes are not in the export");

    let export = f.accounts.export(claire).await.unwrap();
    assert_eq!(export["messages_ecrits_pour_une_organisation"][0]["message"], "Bonjour Léa, venez nous voir");
    assert!(export["candidatures"].as_array().unwrap().is_empty());
}
