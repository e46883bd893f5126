//! The personal data of one person, table by table against the schema: every column that
//! refers to `users (id)` is listed in `USER_COLUMNS` (a new one fails the first test until it
//! is handled), the export shows the rows of each, and erasing the account leaves none of
//! them pointing at the person and none of their names.

use crate::helpers::*;
use crate::offers::remplacement;
use crate::seeds::{PASSWORD, SITE, World, next_year};
use crate::territory_pages::png;
use app::domain::candidates::WishesForm;
use app::domain::events::EventForm;
use app::domain::profiles::ProfileInput;
use app::domain::promotion::PageContent;
use server::accounts::{ERASED_NAME, Erasure, USER_COLUMNS};
use server::applications::Applications;
use server::candidates::Candidates;
use server::db::Database;
use server::events::Events;
use server::people::People;
use server::promotion::Promotions;
use std::collections::BTreeSet;

/// The (table, column) pairs of the live schema that refer to `users (id)`.
async fn user_references(db: &Database) -> BTreeSet<(String, String)> {
    let sql = if postgres() {
        "SELECT CAST(kcu.table_name AS TEXT), CAST(kcu.column_name AS TEXT)
         FROM information_schema.table_constraints tc
         JOIN information_schema.key_column_usage kcu
           ON kcu.constraint_name = tc.constraint_name AND kcu.table_schema = tc.table_schema
         JOIN information_schema.constraint_column_usage ccu
           ON ccu.constraint_name = tc.constraint_name AND ccu.table_schema = tc.table_schema
         WHERE tc.constraint_type = 'FOREIGN KEY' AND ccu.table_name = 'users' AND ccu.column_name = 'id'"
    } else {
        "SELECT m.name, p.\"from\" FROM sqlite_master m, pragma_foreign_key_list(m.name) p
         WHERE m.type = 'table' AND p.\"table\" = 'users'"
    };
    sqlx::query_as::<_, (String, String)>(sql).fetch_all(&db.pool).await.unwrap().into_iter().collect()
}

#[tokio::test]
async fn every_column_that_holds_a_user_id_is_handled() {
    let test_db = empty_db().await;
    let db = Database::connect(&test_db.url).await.unwrap();
    let schema = user_references(&db).await;
    let handled: BTreeSet<(String, String)> =
        USER_COLUMNS.iter().map(|c| (c.table.to_owned(), c.column.to_owned())).collect();
    assert_eq!(handled.len(), USER_COLUMNS.len(), "each column once");
    let unhandled: Vec<_> = schema.difference(&handled).collect();
    assert!(
        unhandled.is_empty(),
        "columns that hold a user id, missing from USER_COLUMNS (personal_data.rs): {unhandled:?}"
    );
    let gone: Vec<_> = handled.difference(&schema).collect();
    assert!(gone.is_empty(), "USER_COLUMNS names columns the schema no longer has: {gone:?}");
}

fn event(places: &str) -> EventForm {
    let year = next_year();
    EventForm {
        kind: "journee_accueil".into(),
        titre: "Journée d'accueil des internes".into(),
        description: "Une journée pour découvrir le territoire, ses maisons de santé et ses écoles.".into(),
        commune: "12202".into(),
        lieu: "Salle des fêtes, place de la Mairie".into(),
        debut: format!("{year}-04-10T09:00"),
        fin: format!("{year}-04-10T17:00"),
        places: places.into(),
    }
}

/// The invitation token of the last invitation mail to `to`.
pub async fn invitation_token(db: &Database, to: &str) -> String {
    let text: String = sqlx::query_scalar(
        "SELECT body_text FROM mail_outbox WHERE template = 'invitation' AND recipient = $1 ORDER BY id DESC",
    )
    .bind(to.to_owned())
    .fetch_one(&db.pool)
    .await
    .unwrap();
    let start = format!("{SITE}/organisations/invitation?jeton=");
    let at = text.find(&start).expect("an invitation link") + start.len();
    text[at..].chars().take_while(char::is_ascii_hexdigit).collect()
}

async fn rows_of(db: &Database, table: &str, column: &str, user: i64) -> i64 {
    let sql = format!("SELECT CAST(COUNT(*) AS BIGINT) FROM {table} WHERE {column} = $1");
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).bind(user).fetch_one(&db.pool).await.unwrap()
}

#[tokio::test]
async fn the_export_shows_every_table_that_holds_the_person_and_erasure_leaves_none() {
    let w = World::new().await;
    let db = &w.db;
    let applications = Applications::new(db.clone(), SITE.to_owned());
    let promotions = Promotions::new(db.clone(), SITE.to_owned());
    let events = Events::new(db.clone(), SITE.to_owned());
    let alerts = w.offers.alerts();

    // Léa is a doctor who looks for a place, and the mayor's deputy of Decazeville.
    let lea = w.confirmed_user("lea@exemple.fr", "Dr Léa Martin").await;
    let paul = w.confirmed_user("paul@exemple.fr", "Paul Mairie de Rodez").await;
    let marc = w.confirmed_user("marc@exemple.fr", "Dr Marc Blanc").await;
    let zoe = w.confirmed_user("zoe@exemple.fr", "Dr Zoé Roux").await;
    w.accounts.sign_in("lea@exemple.fr", PASSWORD).await.unwrap();
    w.accounts.request_password_reset("lea@exemple.fr").await.unwrap();
    People::new(db.clone())
        .save(
            lea,
            &ProfileInput {
                statut: "installe".into(),
                specialite: "Médecine générale".into(),
                rpps: "10101234564".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let wishes = WishesForm {
        specialite: "medecine_generale".into(),
        type_remplacement: "oui".into(),
        autour: "12145".into(),
        rayon: "40".into(),
        ..WishesForm::default()
    };
    Candidates::new(db.clone()).save(lea, &wishes).await.unwrap();
    alerts.create(lea, "offres", "type=remplacement", "immediate").await.unwrap();

    // Her organisation: an offer, a page she wrote with a testimonial and a photo, an event.
    let decazeville = w.organisation(lea, "commune", "Mairie de Decazeville", "12089", true).await;
    w.organisations.invite(lea, decazeville, "secretariat@decazeville.example", "member").await.unwrap();
    let her_offer = w.published(lea, decazeville, &remplacement()).await;
    let content = PageContent {
        referent_id: Some(lea),
        presentation: "Bienvenue à Decazeville.".into(),
        ..PageContent::default()
    };
    let (revision, _) = promotions.save(lea, decazeville, &content).await.unwrap();
    promotions.publish(lea, decazeville, revision).await.unwrap();
    let quote = "J'ai trouvé ici une équipe, une maison de santé et une école pour mes enfants.";
    promotions
        .add_testimonial(lea, decazeville, "Dr Jean Vidal", "Médecin généraliste", quote, true, None)
        .await
        .unwrap();
    promotions.add_photo(lea, decazeville, png(800, 500), "La place de la mairie", "Mairie").await.unwrap();
    events.publish(lea, decazeville, &event("30")).await.unwrap();

    // For her organisation, she answers Marc's application and case.
    let marcs = applications.apply(marc, her_offer, "Bonjour, je suis disponible en juillet.", None).await.unwrap();
    applications.post_message(lea, marcs, "Bonjour Marc, venez nous voir mardi.").await.unwrap();
    applications.change_status(lea, marcs, app::domain::applications::ApplicationStatus::Entretien).await.unwrap();
    let marcs_case =
        promotions.contact(marc, decazeville, "Installation en septembre", "Je cherche un cabinet.").await.unwrap();
    promotions.reply(lea, marcs_case, "Un cabinet est libre à la maison de santé.").await.unwrap();

    // Paul's organisation (Rodez): she applies to its offer, then joins it by invitation, writes
    // to its guichet and takes the last place at its event, before Zoé who waits.
    let rodez = w.organisation(paul, "commune", "Mairie de Rodez", "12202", true).await;
    let pauls_offer = w.published(paul, rodez, &remplacement()).await;
    let hers = applications.apply(lea, pauls_offer, "Bonjour, je suis disponible en août.", None).await.unwrap();
    applications.post_message(lea, hers, "Je peux venir en visite.").await.unwrap();
    w.organisations.invite(paul, rodez, "lea@exemple.fr", "member").await.unwrap();
    w.organisations.accept_invitation(lea, &invitation_token(db, "lea@exemple.fr").await).await.unwrap();
    let content =
        PageContent { referent_id: Some(paul), presentation: "Bienvenue à Rodez.".into(), ..PageContent::default() };
    let (revision, _) = promotions.save(paul, rodez, &content).await.unwrap();
    promotions.publish(paul, rodez, revision).await.unwrap();
    promotions.contact(lea, rodez, "Installation à Rodez", "Bonjour, quelles aides pour s'installer ?").await.unwrap();
    let journee = events.publish(paul, rodez, &event("1")).await.unwrap();
    events.register(lea, journee).await.unwrap();
    events.register(zoe, journee).await.unwrap();

    // She moderates, too.
    w.organisations.set_moderator("lea@exemple.fr", true).await.unwrap();
    let other = w.organisation(zoe, "commune", "Mairie de Millau", "12145", false).await;
    w.organisations.approve(lea, other).await.unwrap();

    // Stage sites: she did a semester at Paul's maison de santé and reviewed it; at hers, she
    // confirmed Marc's semester and, as a moderator, published his review.
    let stages = server::stages::Stages::new(db.clone());
    let reviews = server::reviews::Reviews::new(db.clone());
    let site_form = |name: &str| app::domain::stages::StageSiteForm {
        nom: name.into(),
        commune: "12089".into(),
        specialite: "medecine_generale".into(),
        faculte: "toulouse".into(),
        niveaux: "saspas".into(),
        places: "1".into(),
        maitres_de_stage: "Dr Jean Vidal".into(),
        activites: String::new(),
        description: "Une équipe de huit professionnels et une patientèle rurale.".into(),
    };
    let semester = |email: &str| app::domain::reviews::SemesterForm {
        email: email.into(),
        semestre: "mai".into(),
        annee: (next_year() - 1).to_string(),
        ..Default::default()
    };
    let review = |semester: i64| app::domain::reviews::ReviewForm {
        semestre: semester.to_string(),
        encadrement: "5".into(),
        autonomie: "4".into(),
        diversite: "4".into(),
        ambiance: "5".into(),
        logement: "sans_objet".into(),
        charge: "3".into(),
        avis: "Deux maîtres de stage disponibles et une équipe accueillante.".into(),
    };
    let semester_of = |user: i64| {
        let db = db.clone();
        async move {
            sqlx::query_scalar::<_, i64>("SELECT MAX(id) FROM stage_semesters WHERE user_id = $1")
                .bind(user)
                .fetch_one(&db.pool)
                .await
                .unwrap()
        }
    };
    let her_msp = w.organisation(lea, "msp", "MSP de Decazeville", "", true).await;
    let her_site = stages.declare(lea, her_msp, &site_form("MSP de Decazeville")).await.unwrap();
    let pauls_msp = w.organisation(paul, "msp", "MSP de Rodez", "", true).await;
    let pauls_site = stages.declare(paul, pauls_msp, &site_form("MSP de Rodez")).await.unwrap();
    reviews.confirm(paul, pauls_site, &semester("lea@exemple.fr")).await.unwrap();
    reviews.submit(lea, pauls_site, &review(semester_of(lea).await)).await.unwrap();
    reviews.confirm(lea, her_site, &semester("marc@exemple.fr")).await.unwrap();
    let marcs_review = reviews.submit(marc, her_site, &review(semester_of(marc).await)).await.unwrap();
    let publish = app::domain::reviews::ModerationForm { decision: "publier".into(), motif: String::new() };
    reviews.moderate(lea, marcs_review, &publish).await.unwrap();

    let export = w.accounts.export(lea).await.unwrap();
    for column in USER_COLUMNS {
        assert!(
            rows_of(db, column.table, column.column, lea).await > 0,
            "the scenario writes {}.{}",
            column.table,
            column.column
        );
        let shown = &export[column.export];
        let empty = shown.is_null() || shown.as_array().is_some_and(Vec::is_empty);
        assert!(!empty, "{}.{} is in the export under « {} »: {export}", column.table, column.column, column.export);
    }
    assert_eq!(export["dossiers_guichet"][0]["messages"][0]["message"], "Bonjour, quelles aides pour s'installer ?");
    assert_eq!(export["inscriptions_evenements"][0]["etat"], "inscrit");
    assert_eq!(export["messages_ecrits_pour_un_guichet"][0]["message"], "Un cabinet est libre à la maison de santé.");

    // She leaves Decazeville's organisation, and her maison de santé with its stage site, to
    // Paul first: she is their only owner.
    for organisation in [decazeville, her_msp] {
        w.organisations.invite(lea, organisation, "paul@exemple.fr", "owner").await.unwrap();
        w.organisations.accept_invitation(paul, &invitation_token(db, "paul@exemple.fr").await).await.unwrap();
    }
    w.accounts.delete_account(lea, PASSWORD).await.unwrap();

    for column in USER_COLUMNS {
        assert_eq!(
            rows_of(db, column.table, column.column, lea).await,
            0,
            "{}.{} after erasure",
            column.table,
            column.column
        );
    }
    // What others keep stays, without her name.
    for (table, kept) in [("case_messages", 1), ("territory_revisions", 1), ("application_messages", 1)] {
        let sql = format!("SELECT CAST(COUNT(*) AS BIGINT) FROM {table} WHERE author_id IS NULL");
        let count: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).fetch_one(&db.pool).await.unwrap();
        assert_eq!(count, kept, "{table}: her rows in others' threads and pages stay");
    }
    for table in ["case_messages", "territory_revisions"] {
        let names: Vec<String> =
            sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT author_name FROM {table} WHERE author_id IS NULL")))
                .fetch_all(&db.pool)
                .await
                .unwrap();
        assert_eq!(names, [ERASED_NAME], "{table}");
    }
    // Her place at the event went to Zoé, as when someone unregisters.
    let zoes: String =
        sqlx::query_scalar("SELECT status FROM event_registrations WHERE event_id = $1 AND user_id = $2")
            .bind(journee)
            .bind(zoe)
            .fetch_one(&db.pool)
            .await
            .unwrap();
    assert_eq!(zoes, "inscrit");
    // Her organisation stays with Paul, with its offer; detached rows stay, deleted ones go.
    assert_eq!(rows_of(db, "memberships", "organisation_id", decazeville).await, 1);
    assert_eq!(rows_of(db, "offers", "id", her_offer).await, 1);
    for column in USER_COLUMNS.iter().filter(|c| c.erasure == Erasure::Detach) {
        let sql = format!("SELECT CAST(COUNT(*) AS BIGINT) FROM {} WHERE {} IS NULL", column.table, column.column);
        let kept: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).fetch_one(&db.pool).await.unwrap();
        assert!(kept > 0, "{}.{}: the row stays, detached", column.table, column.column);
    }
}
