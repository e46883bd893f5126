//! Events against a real database: who may publish, registration within the capacity then on
//! the waiting list, a freed place going to the first one waiting, cancellation, what a
//! registrant sees of the others, and the iCalendar files over HTTP.

use crate::browser::{Browser, says};
use crate::helpers::*;
use crate::seeds::{PASSWORD, SITE, World, next_year};
use app::domain::accounts::SignedIn;
use app::domain::events::{EventForm, EventProblem, EventService, Registration};
use server::accounts::Accounts;
use server::events::{EventError, Events};

fn form() -> EventForm {
    let next_year = next_year();
    EventForm {
        kind: "job_dating".into(),
        titre: "Speed-dating médical de l'Aveyron".into(),
        description: "Rencontrez en une soirée les communes et les maisons de santé qui recrutent.".into(),
        commune: "12202".into(),
        lieu: "Salle des fêtes, place de la Mairie".into(),
        debut: format!("{next_year}-03-15T18:00"),
        fin: format!("{next_year}-03-15T21:00"),
        places: "2".into(),
    }
}

fn problem<T: std::fmt::Debug>(result: Result<T, EventError>) -> EventProblem {
    match result {
        Err(EventError::Invalid(problem)) => problem,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

/// A CSV export read as a French spreadsheet reads it: its rows, each as long as the header.
fn spreadsheet(text: &str) -> Vec<Vec<String>> {
    let body = text.strip_prefix(server::feeds::BOM).expect("a byte order mark first");
    let mut reader =
        csv::ReaderBuilder::new().delimiter(server::feeds::SEPARATOR).has_headers(false).from_reader(body.as_bytes());
    let rows: Vec<Vec<String>> = reader.records().map(|row| row.unwrap().iter().map(str::to_owned).collect()).collect();
    assert!(rows.iter().all(|row| row.len() == rows[0].len()), "{rows:?}");
    rows
}

#[tokio::test]
async fn registration_fills_the_places_then_the_waiting_list_and_a_freed_place_goes_to_the_first() {
    let app = spawn_app().await;
    let world = World::of(&app).await;
    let accounts = &world.accounts;
    let events = Events::new(app.db.clone(), SITE.to_owned());
    let mayor = world.user("mairie@rodez.example", "Mairie de Rodez").await;
    let organisation = world.organisation(mayor, "commune", "Mairie de Rodez", "12202", false).await;

    // Not before verification; never by someone outside; never a bad form.
    assert_eq!(problem(events.publish(mayor, organisation, &form()).await), EventProblem::NotAllowed);
    world.organisations.approve(world.moderator, organisation).await.unwrap();
    let outsider = accounts.sign_up("autre@exemple.fr", "Quelqu'un", PASSWORD).await.unwrap();
    assert_eq!(problem(events.publish(outsider, organisation, &form()).await), EventProblem::NotFound);
    let mut bad = form();
    bad.fin = bad.debut.clone();
    assert_eq!(problem(events.publish(mayor, organisation, &bad).await), EventProblem::End);
    let event = events.publish(mayor, organisation, &form()).await.unwrap();
    // Its organiser's page says that nobody has registered yet (not an empty table).
    let page = format!("/evenements/{event}");
    let mut organiser_browser = Browser::signed_in(&app, "mairie@rodez.example").await;
    let own = organiser_browser.get(&page).await.body;
    assert!(says(&own, "Personne ne s'est encore inscrit.") && !own.contains("<table"), "{own}");
    assert!(says(&own, "0 inscrit sur 2<"), "{own}");

    let people: Vec<i64> = futures_users(accounts, 3).await;
    assert_eq!(events.register(people[0], event).await.unwrap(), Registration::Registered);
    assert_eq!(events.register(people[1], event).await.unwrap(), Registration::Registered);
    assert_eq!(events.register(people[2], event).await.unwrap(), Registration::Waiting(1));
    // Registering again changes nothing.
    assert_eq!(events.register(people[2], event).await.unwrap(), Registration::Waiting(1));
    assert_eq!(problem(events.unregister(outsider, event).await), EventProblem::NotRegistered);
    events.unregister(people[0], event).await.unwrap();
    let view = events.event(Some(SignedIn(people[2])), event).await.unwrap().unwrap();
    assert_eq!((view.mine, view.registered, view.waiting), (Some(Registration::Registered), 2, 0));
    // A registrant with a place sees what to prepare; the organiser sees who comes.
    assert!(view.matches.is_some());
    let organiser = events.event(Some(SignedIn(mayor)), event).await.unwrap().unwrap();
    assert!(organiser.organiser && organiser.registrants.len() == 2);
    let own = organiser_browser.get(&page).await.body;
    assert!(says(&own, "2 inscrits sur 2<") && own.matches("<td>inscrit</td>").count() == 2, "{own}");
    assert!(events.event(Some(SignedIn(outsider)), event).await.unwrap().unwrap().registrants.is_empty());

    // Listed in its département and commune; cancelled, it refuses registrations.
    let page = events.upcoming(Some("12".into())).await.unwrap();
    assert_eq!(page.events.iter().map(|e| e.id).collect::<Vec<_>>(), [event]);
    assert!(events.upcoming(Some("31".into())).await.unwrap().events.is_empty());
    assert_eq!(events.in_commune("12202").await.unwrap().len(), 1);
    assert_eq!(problem(events.cancel(outsider, event).await), EventProblem::NotFound);
    events.cancel(mayor, event).await.unwrap();
    assert_eq!(problem(events.register(people[0], event).await), EventProblem::Over);
    // The two people who held a place are told, in the same transaction; nobody else.
    let told: Vec<String> = sqlx::query_scalar(
        "SELECT u.email FROM mail_outbox m JOIN users u ON u.email = m.recipient
         WHERE m.template = 'evenement-annule' ORDER BY u.id",
    )
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    let registered: Vec<String> = sqlx::query_scalar("SELECT email FROM users WHERE id IN ($1, $2) ORDER BY id")
        .bind(people[1])
        .bind(people[2])
        .fetch_all(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(told, registered);

    // The calendars.
    let response = app.get(&format!("/evenements/{event}/agenda.ics")).await;
    assert_eq!(response.status().as_u16(), 200);
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/calendar"));
    let ics = response.text().await.unwrap();
    assert!(ics.contains("BEGIN:VEVENT") && ics.contains("STATUS:CANCELLED") && ics.contains("Speed-dating"), "{ics}");
    assert!(app.page("/evenements.ics").await.1.contains("BEGIN:VCALENDAR"));
    assert_eq!(app.get("/evenements/999999/agenda.ics").await.status().as_u16(), 404);
    assert_eq!(app.get("/evenements/abc/agenda.ics").await.status().as_u16(), 404);
    let (status, html) = app.page(&format!("/evenements/{event}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("Cet événement est annulé"), "{html}");
    let (status, html) = app.page("/evenements?dep=12").await;
    assert_eq!(status, 200);
    assert!(html.contains("Speed-dating médical"), "{html}");
}

async fn futures_users(accounts: &Accounts, n: usize) -> Vec<i64> {
    let mut ids = Vec::new();
    for i in 0..n {
        ids.push(accounts.sign_up(&format!("medecin{i}@exemple.fr"), &format!("Médecin {i}"), PASSWORD).await.unwrap());
    }
    ids
}

#[tokio::test]
async fn the_atom_feed_and_the_csv_exports_follow_the_board_filters() {
    let app = spawn_app().await;
    let world = World::of(&app).await;
    let mayor = world.user("mairie@rodez.example", "Mairie de Rodez").await;
    let organisation = world.organisation(mayor, "commune", "Mairie de Rodez & <Co>", "12202", true).await;
    let offer = world.published(mayor, organisation, &crate::offers::remplacement()).await;
    app.indexed().await;

    let response = app.get("/flux/offres.atom?type=remplacement&dep=12").await;
    assert_eq!(response.status().as_u16(), 200);
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("application/atom+xml"));
    let atom = response.text().await.unwrap();
    assert!(atom.starts_with("<?xml") && atom.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\""), "{atom}");
    assert_eq!(atom.matches("<entry>").count(), 1, "{atom}");
    assert!(atom.contains("Mairie de Rodez &amp; &lt;Co&gt;") && !atom.contains("<Co>"), "{atom}");
    assert!(atom.contains("remplacement, Aveyron") && atom.contains("/flux/offres.atom?"), "{atom}");
    // Other filters, other offers: none here.
    assert_eq!(app.page("/flux/offres.atom?type=stage").await.1.matches("<entry>").count(), 0);
    // Several kinds and départements at once, as the board's boxes send them or as a list.
    for several in ["type=stage&type=remplacement&dep=31&dep=12", "type=stage,remplacement&dep=31,12"] {
        let atom = app.page(&format!("/flux/offres.atom?{several}")).await.1;
        assert_eq!(atom.matches("<entry>").count(), 1, "{several}: {atom}");
        assert!(
            atom.contains("remplacement ou stage d&apos;interne") || atom.contains("remplacement ou stage d'interne"),
            "{atom}"
        );
        assert!(atom.contains("Aveyron ou Haute-Garonne"), "{atom}");
    }
    assert_eq!(app.page("/flux/offres.atom?type=stage,salariat&dep=12").await.1.matches("<entry>").count(), 0);
    // A filter that cannot be read is left out, as on the board.
    assert_eq!(app.get("/flux/offres.atom?dep=xx").await.status().as_u16(), 200);

    // The offer's page is in the sitemap.
    let sitemap = app.page("/sitemap.xml").await.1;
    assert!(sitemap.contains(&format!("{SITE}/offres/{offer}-")), "{sitemap}");
    // The exports open in a French spreadsheet: UTF-8 with its byte order mark, `;` between
    // fields; every row has the header's fields, and the words come back as written.
    let exported = app.get("/export/offres.csv?type=remplacement").await;
    assert_eq!(exported.headers()["content-type"], "text/csv; charset=utf-8");
    let rows = spreadsheet(&exported.text().await.unwrap());
    assert_eq!(&rows[0][..3], ["id", "titre", "type"]);
    assert_eq!(rows.len(), 2);
    assert_eq!((rows[1][0].as_str(), rows[1][5].as_str()), (offer.to_string().as_str(), "Rodez"));
    assert_eq!(rows[1][1], crate::offers::remplacement().title, "accents and quotes as written");
    assert_eq!(rows[1][8], "Mairie de Rodez & <Co>");
    let aids = spreadsheet(&app.page("/export/aides.csv").await.1);
    let slugs: Vec<&str> = aids[1..].iter().map(|row| row[0].as_str()).collect();
    assert!(slugs.contains(&"am-aide-installation-zip") && slugs.len() >= 15);
    assert!(aids[1..].iter().any(|row| row[1].contains('é')), "accents as written: {aids:?}");
}
