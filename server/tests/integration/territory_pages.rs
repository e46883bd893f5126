//! Aids, territory pages and the guichet unique against a real database: the imported
//! catalogue, the simulator over real communes, local aids and their moderation, revisions
//! with preview, publication and restore, hostile Markdown made inert, photos checked and
//! served, and cases with their mails; then over HTTP as a browser without JavaScript.

use crate::browser::*;
use crate::helpers::*;
use crate::seeds::{MODERATOR, SITE, World};
use app::domain::aids::{AidProblem, AidProfile, AidPurpose, LocalAidForm, Verdict};
use app::domain::promotion::{PageContent, PromotionProblem as P};
use app::model::InseeCode;
use server::aids::{AidError, Aids};
use server::promotion::{PromotionError, Promotions};

/// A world of its own for each test (or a running app's), with the aids' and the territory
/// pages' services.
struct Fixture {
    world: World,
    aids: Aids,
    promotions: Promotions,
}

impl std::ops::Deref for Fixture {
    type Target = World;
    fn deref(&self) -> &World {
        &self.world
    }
}

impl From<World> for Fixture {
    fn from(world: World) -> Self {
        Fixture {
            aids: Aids::new(world.db.clone()),
            promotions: Promotions::new(world.db.clone(), SITE.to_owned()),
            world,
        }
    }
}

async fn fixture() -> Fixture {
    Fixture::from(World::new().await)
}

impl Fixture {
    /// An account whose address is confirmed (collectivités invite and publish).
    async fn user(&self, email: &str, name: &str) -> i64 {
        self.world.confirmed_user(email, name).await
    }

    /// A commune organisation of `owner` for `code`, verified unless told otherwise.
    async fn commune(&self, owner: i64, name: &str, code: &str, verified: bool) -> i64 {
        self.world.organisation(owner, "commune", name, code, verified).await
    }

    async fn count(&self, table: &str) -> i64 {
        let sql = format!("SELECT CAST(COUNT(*) AS BIGINT) FROM {table}");
        sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).fetch_one(&self.db.pool).await.unwrap()
    }

    async fn slugs(&self, commune: &str, profile: Option<AidProfile>) -> Vec<(String, bool)> {
        let simulation = self.aids.simulate(&InseeCode::parse(commune).unwrap(), profile).await.unwrap().unwrap();
        simulation.applicable.into_iter().map(|a| (a.aid.slug, a.verdict == Verdict::Applies)).collect()
    }
}

fn local_aid() -> LocalAidForm {
    LocalAidForm {
        nom: "Prime communale d'installation".into(),
        categorie: "financiere".into(),
        montant: "4 000".into(),
        unite: "once".into(),
        montant_texte: "4 000 € versés à l'ouverture du cabinet".into(),
        resume: "La commune verse une prime au médecin généraliste qui ouvre un cabinet.".into(),
        conditions: "Ouvrir un cabinet de médecine générale dans la commune.".into(),
        profils: "installe_recent".into(),
        objets: "installation".into(),
        source: "https://www.decazeville.fr/deliberations".into(),
        ..LocalAidForm::default()
    }
}

fn aid_problem<T: std::fmt::Debug>(result: Result<T, AidError>) -> AidProblem {
    match result {
        Err(AidError::Invalid(problem)) => problem,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

fn problem<T: std::fmt::Debug>(result: Result<T, PromotionError>) -> P {
    match result {
        Err(PromotionError::Invalid(problem)) => problem,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[tokio::test]
async fn the_catalogue_is_imported_and_the_simulator_answers_for_real_communes() {
    let f = fixture().await;
    assert!(f.count("aids").await >= 15);
    assert_eq!(f.count("qpv").await, 105);
    // Decazeville (ZIP), for someone settling: the 10 000 € grant, not the ZAC one.
    let zip = f.slugs("12089", Some(AidProfile::InstalleRecent)).await;
    assert!(zip.contains(&("am-aide-installation-zip".to_owned(), true)), "{zip:?}");
    assert!(!zip.iter().any(|(slug, _)| slug == "am-aide-installation-zac"));
    // Rodez (ZAC): the 5 000 € one; Toulouse (ZAR, with QPV): neither, and the QPV aids to check.
    let zac = f.slugs("12202", Some(AidProfile::InstalleRecent)).await;
    assert!(zac.contains(&("am-aide-installation-zac".to_owned(), true)), "{zac:?}");
    let zar = f.slugs("31555", Some(AidProfile::InstalleRecent)).await;
    assert!(!zar.iter().any(|(slug, _)| slug.starts_with("am-aide-installation")), "{zar:?}");
    assert!(zar.contains(&("am-majoration-fmt-primo-installe-zip-qpv".to_owned(), false)), "{zar:?}");
    let simulation =
        f.aids.simulate(&InseeCode::parse("12089").unwrap(), Some(AidProfile::InstalleRecent)).await.unwrap().unwrap();
    // A first installation and a second site are two projects: 10 000 € and 3 000 €, never 13 000 €.
    let totals: Vec<(AidPurpose, Vec<i64>)> =
        simulation.totals.iter().map(|t| (t.purpose, t.options.iter().map(|o| o.totals.once).collect())).collect();
    assert_eq!(totals, vec![(AidPurpose::Installation, vec![10_000]), (AidPurpose::CabinetSecondaire, vec![3_000])]);
    assert!(simulation.checked_on.is_some());
}

#[tokio::test]
async fn a_local_aid_says_which_aids_it_cannot_be_combined_with_and_the_totals_follow() {
    use app::domain::accounts::SignedIn;
    use app::domain::aids::AidService;
    let f = fixture().await;
    let mayor = f.user("mairie@requista.example", "Mairie de Réquista").await;
    let requista = f.commune(mayor, "Mairie de Réquista", "12197", true).await;
    let other_mayor = f.user("mairie@decazeville.example", "Mairie de Decazeville").await;
    let decazeville = f.commune(other_mayor, "Mairie de Decazeville", "12089", true).await;
    let elsewhere = f.aids.publish(other_mayor, decazeville, &local_aid()).await.unwrap();
    let elsewhere_slug = f.aids.catalogue().await.unwrap().into_iter().find(|a| a.id == elsewhere).unwrap().slug;

    // The form offers the catalogue's aids (and the collectivité's own), not another's.
    let page = f.aids.organisation_aids(SignedIn(mayor), requista).await.unwrap().unwrap();
    let offered: Vec<&str> = page.combinable.iter().map(|a| a.slug.as_str()).collect();
    assert!(
        offered.contains(&"am-aide-installation-zip") && !offered.contains(&elsewhere_slug.as_str()),
        "{offered:?}"
    );

    // An unknown aid, or another collectivité's, is refused and nothing is stored.
    let before = f.count("aids").await;
    for wrong in ["aide-qui-n-existe-pas", elsewhere_slug.as_str()] {
        let form = LocalAidForm { exclusions: wrong.into(), ..local_aid() };
        assert_eq!(aid_problem(f.aids.publish(mayor, requista, &form).await), AidProblem::Exclusion, "{wrong}");
    }
    assert_eq!(f.count("aids").await, before);

    // Not combinable with the Assurance Maladie's aid: the simulator offers one or the other.
    let form = LocalAidForm { exclusions: "am-aide-installation-zip".into(), ..local_aid() };
    let id = f.aids.publish(mayor, requista, &form).await.unwrap();
    let simulation = f.aids.simulate(&InseeCode::parse("12197").unwrap(), Some(AidProfile::InstalleRecent)).await;
    let installation =
        simulation.unwrap().unwrap().totals.into_iter().find(|t| t.purpose == AidPurpose::Installation).unwrap();
    let options: Vec<Vec<String>> =
        installation.options.iter().map(|o| o.aids.iter().map(|a| a.slug.clone()).collect()).collect();
    assert_eq!(options.len(), 2, "{options:?}");
    assert!(options.iter().all(|o| !(o.contains(&"am-aide-installation-zip".to_owned())
        && o.iter().any(|s| s.starts_with(&format!("local-{id}-"))))));
    let year = |i: usize| installation.options[i].totals.over_a_year();
    assert!(year(0) > year(1), "the best first: {options:?}");

    // Its form gives the choice back, the aid itself left out of the list.
    let editor = f.aids.local_aid(SignedIn(mayor), id).await.unwrap().unwrap();
    assert_eq!(editor.form.exclusions, "am-aide-installation-zip");
    assert!(!editor.combinable.iter().any(|a| a.slug.starts_with(&format!("local-{id}-"))));
    f.aids.update(mayor, id, &local_aid()).await.unwrap();
    assert_eq!(f.aids.local_aid(SignedIn(mayor), id).await.unwrap().unwrap().form.exclusions, "");
}

#[tokio::test]
async fn a_verified_commune_publishes_local_aids_on_its_territory_and_moderators_withdraw_them() {
    let f = fixture().await;
    let mayor = f.user("mairie@decazeville.example", "Mairie de Decazeville").await;
    let outsider = f.user("autre@exemple.fr", "Quelqu'un d'autre").await;
    let pending_owner = f.user("attente@exemple.fr", "Commune en attente").await;
    let decazeville = f.commune(mayor, "Mairie de Decazeville", "12089", true).await;
    let pending = f.commune(pending_owner, "Mairie de Rodez", "12202", false).await;

    // Refusals change nothing.
    let before = f.count("aids").await;
    assert_eq!(aid_problem(f.aids.publish(outsider, decazeville, &local_aid()).await), AidProblem::NotFound);
    assert_eq!(aid_problem(f.aids.publish(pending_owner, pending, &local_aid()).await), AidProblem::NotCollectivite);
    let mut bad = local_aid();
    bad.source = "javascript:alert(1)".into();
    assert_eq!(aid_problem(f.aids.publish(mayor, decazeville, &bad).await), AidProblem::Source);
    assert_eq!(f.count("aids").await, before);

    let id = f.aids.publish(mayor, decazeville, &local_aid()).await.unwrap();
    let here = f.slugs("12089", Some(AidProfile::InstalleRecent)).await;
    let slug = here.iter().find(|(s, _)| s.starts_with(&format!("local-{id}-"))).map(|(s, _)| s.clone());
    assert!(slug.is_some(), "{here:?}");
    // Only on its territory, and only for the profile it names.
    assert!(!f.slugs("12202", Some(AidProfile::InstalleRecent)).await.iter().any(|(s, _)| s.starts_with("local-")));
    assert!(!f.slugs("12089", Some(AidProfile::Interne)).await.iter().any(|(s, _)| s.starts_with("local-")));

    // Somebody else cannot withdraw it; a moderator can, with a reason, and restore it.
    assert_eq!(aid_problem(f.aids.withdraw(outsider, id, "").await), AidProblem::NotFound);
    assert_eq!(aid_problem(f.aids.withdraw(f.moderator, id, "").await), AidProblem::ReasonMissing);
    f.aids.withdraw(f.moderator, id, "Délibération introuvable").await.unwrap();
    assert!(!f.slugs("12089", None).await.iter().any(|(s, _)| s.starts_with("local-")));
    f.aids.restore(f.moderator, id).await.unwrap();
    assert!(f.slugs("12089", None).await.iter().any(|(s, _)| s.starts_with("local-")));

    // Declared by its collectivité until a moderator checks its source; checked anew after a change.
    let catalogue_aid = f.aids.catalogue().await.unwrap().iter().find(|a| a.publisher.is_none()).unwrap().id;
    let verified_on = |aids: Vec<app::domain::aids::Aid>| aids.into_iter().find(|a| a.id == id).unwrap().verified_on;
    assert_eq!(verified_on(f.aids.catalogue().await.unwrap()), None);
    assert_eq!(aid_problem(f.aids.verify(mayor, id).await), AidProblem::NotFound, "not a moderator");
    assert_eq!(aid_problem(f.aids.verify(f.moderator, catalogue_aid).await), AidProblem::NotFound, "a catalogue aid");
    assert_eq!(verified_on(f.aids.catalogue().await.unwrap()), None);
    f.aids.verify(f.moderator, id).await.unwrap();
    assert!(verified_on(f.aids.catalogue().await.unwrap()).is_some());
    f.aids.update(mayor, id, &local_aid()).await.unwrap();
    assert_eq!(verified_on(f.aids.catalogue().await.unwrap()), None, "a change is to check again");

    // Ended yesterday: shown in the catalogue as expired, never applied.
    let mut ended = local_aid();
    ended.debut = "2025-01-01".into();
    ended.fin = "2025-12-31".into();
    f.aids.update(mayor, id, &ended).await.unwrap();
    assert!(!f.slugs("12089", None).await.iter().any(|(s, _)| s.starts_with("local-")));
    let catalogue = f.aids.catalogue().await.unwrap();
    let stored = catalogue.iter().find(|a| a.id == id).unwrap();
    assert!(stored.expired(app::model::Day::parse("2026-06-01").unwrap()));
}

#[tokio::test]
async fn revisions_are_previewed_published_and_restored_and_hostile_markdown_is_inert() {
    let f = fixture().await;
    let mayor = f.user("mairie@decazeville.example", "Claire Mairie").await;
    let outsider = f.user("autre@exemple.fr", "Quelqu'un d'autre").await;
    let organisation = f.commune(mayor, "Mairie de Decazeville", "12089", true).await;
    let mut content = PageContent {
        presentation:
            "# Bienvenue\n\nUne ville **accueillante**. <script>alert('x')</script> [piège](javascript:alert(1))".into(),
        referent_id: Some(mayor),
        referent_role: "Chargée de l'accueil des médecins".into(),
        ..PageContent::default()
    };
    content.sections.insert("ecoles".into(), "Trois écoles <img src=x onerror=alert(1)>".into());

    assert_eq!(problem(f.promotions.save(outsider, organisation, &content).await), P::NotFound);
    let (first, kept_out) = f.promotions.save(mayor, organisation, &content).await.unwrap();
    assert_eq!(kept_out, None);
    // Saved is not published.
    assert!(f.promotions.published_page("commune", "12089").await.unwrap().is_none());
    f.promotions.publish(mayor, organisation, first).await.unwrap();
    let page = f.promotions.published_page("commune", "12089").await.unwrap().unwrap();
    assert!(
        page.presentation_html.contains("<h3>Bienvenue</h3>")
            && page.presentation_html.contains("<strong>accueillante</strong>")
    );
    let all_html = format!("{}{}", page.presentation_html, page.sections[0].html).to_lowercase();
    assert!(
        !all_html.contains("<script") && !all_html.contains("<img") && !all_html.contains("href=\"javascript"),
        "{all_html}"
    );
    assert_eq!(page.referent.unwrap().name, "Claire Mairie");

    // A second version, published; then the first restored as a third.
    content.presentation = "Nouvelle présentation.".into();
    content.video_url = "pas une adresse".into();
    let (second, kept_out) = f.promotions.save(mayor, organisation, &content).await.unwrap();
    assert_eq!(kept_out, Some(P::Video), "the bad link is left out, the rest kept");
    f.promotions.publish(mayor, organisation, second).await.unwrap();
    assert!(
        f.promotions.published_page("commune", "12089").await.unwrap().unwrap().presentation_html.contains("Nouvelle")
    );
    f.promotions.restore(mayor, organisation, first).await.unwrap();
    let restored = f.promotions.published_page("commune", "12089").await.unwrap().unwrap();
    assert!(restored.presentation_html.contains("Bienvenue"));
    assert_eq!(f.count("territory_revisions").await, 3);
    // Another organisation's revision cannot be published here.
    let other_owner = f.user("rodez@exemple.fr", "Mairie de Rodez").await;
    let rodez = f.commune(other_owner, "Mairie de Rodez", "12202", true).await;
    assert_eq!(problem(f.promotions.publish(other_owner, rodez, first).await), P::Revision);
}

pub fn png(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbImage::from_fn(width, height, |x, y| image::Rgb([(x % 256) as u8, (y % 256) as u8, 120]));
    let mut out = Vec::new();
    image::DynamicImage::ImageRgb8(image)
        .write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

#[tokio::test]
async fn photos_and_testimonials_are_checked_and_testimonials_need_consent() {
    let f = fixture().await;
    let mayor = f.user("mairie@decazeville.example", "Claire Mairie").await;
    let organisation = f.commune(mayor, "Mairie de Decazeville", "12089", true).await;
    assert_eq!(problem(f.promotions.add_photo(mayor, organisation, png(800, 500), "", "").await), P::PhotoAlt);
    assert_eq!(
        problem(f.promotions.add_photo(mayor, organisation, b"GIF89a".to_vec(), "Le lac", "").await),
        P::PhotoType
    );
    assert_eq!(f.count("territory_photos").await, 0);
    let photo =
        f.promotions.add_photo(mayor, organisation, png(2000, 1000), "Le lac de la Forézie", "Mairie").await.unwrap();
    let bytes = f.promotions.photo(Some(mayor), photo, false).await.unwrap().unwrap();
    assert_eq!(&bytes[..2], &[0xFF, 0xD8]);
    // Not public before the page is published.
    assert!(f.promotions.photo(None, photo, true).await.unwrap().is_none());

    let quote = "J'ai trouvé ici une équipe, une maison de santé et une école pour mes enfants.";
    let refused = f
        .promotions
        .add_testimonial(mayor, organisation, "Dr Léa Martin", "Médecin généraliste", quote, false, None)
        .await;
    assert_eq!(problem(refused), P::TestimonialConsent);
    let hostile = "Très bien <script>alert(1)</script> [site](javascript:alert(1)) vraiment.";
    f.promotions
        .add_testimonial(mayor, organisation, "Dr Léa Martin", "Médecin généraliste", hostile, true, None)
        .await
        .unwrap();
    let editor = app::domain::promotion::PromotionService::editor(
        &f.promotions,
        app::domain::accounts::SignedIn(mayor),
        organisation,
    )
    .await
    .unwrap()
    .unwrap();
    let quote_html = editor.testimonials[0].quote_html.to_lowercase();
    assert!(!quote_html.contains("<script") && !quote_html.contains("href=\"javascript"), "{quote_html}");
}

#[tokio::test]
async fn a_case_goes_to_the_referent_by_mail_and_both_sides_follow_it() {
    let f = fixture().await;
    let mayor = f.user("mairie@decazeville.example", "Claire Mairie").await;
    let doctor = f.user("lea@exemple.fr", "Dr Léa Martin").await;
    let outsider = f.user("autre@exemple.fr", "Quelqu'un d'autre").await;
    let organisation = f.commune(mayor, "Mairie de Decazeville", "12089", true).await;
    let subject = "Installation en septembre";
    let message = "Bonjour, je cherche un cabinet et un logement pour septembre.";
    // No published page with a referent yet.
    assert_eq!(problem(f.promotions.contact(doctor, organisation, subject, message).await), P::NoReferent);
    let content = PageContent { referent_id: Some(mayor), presentation: "Bienvenue.".into(), ..PageContent::default() };
    let (revision, _) = f.promotions.save(mayor, organisation, &content).await.unwrap();
    f.promotions.publish(mayor, organisation, revision).await.unwrap();
    assert_eq!(problem(f.promotions.contact(doctor, organisation, "Hé", message).await), P::Subject);

    let case = f.promotions.contact(doctor, organisation, subject, message).await.unwrap();
    let mails: Vec<(String, String)> =
        sqlx::query_as("SELECT recipient, template FROM mail_outbox WHERE template LIKE 'dossier-%' ORDER BY id")
            .fetch_all(&f.db.pool)
            .await
            .unwrap();
    assert_eq!(mails, [("mairie@decazeville.example".to_owned(), "dossier-nouveau".to_owned())]);

    // The outsider sees nothing and cannot write.
    assert!(f.promotions.read_case(outsider, case).await.unwrap().is_none());
    assert_eq!(problem(f.promotions.reply(outsider, case, "Je m'en mêle aussi.").await), P::CaseNotFound);
    // The referent answers: the doctor hears of it, the case is in progress.
    f.promotions.reply(mayor, case, "Bonjour, nous avons un cabinet libre à la maison de santé.").await.unwrap();
    let detail = f.promotions.read_case(doctor, case).await.unwrap().unwrap();
    assert_eq!((detail.messages.len(), detail.status), (2, app::domain::promotion::CaseStatus::EnCours));
    let last: String = sqlx::query_scalar("SELECT recipient FROM mail_outbox ORDER BY id DESC LIMIT 1")
        .fetch_one(&f.db.pool)
        .await
        .unwrap();
    assert_eq!(last, "lea@exemple.fr");
    // Only the collectivité's side closes it; then nobody writes.
    assert_eq!(problem(f.promotions.set_status(doctor, case, "clos").await), P::CaseNotFound);
    f.promotions.set_status(mayor, case, "clos").await.unwrap();
    assert_eq!(problem(f.promotions.reply(doctor, case, "Encore une question pour vous.").await), P::CaseClosed);
    let cases = f.promotions.read_cases(mayor).await.unwrap();
    assert_eq!(cases.received.len(), 1);
}

#[tokio::test]
async fn over_http_the_simulator_the_commune_page_and_the_guichet_work_without_javascript() {
    let app = spawn_app().await;
    let f = Fixture::from(World::of(&app).await);
    let mayor = f.user("mairie@decazeville.example", "Claire Mairie").await;
    f.user("lea@exemple.fr", "Dr Léa Martin").await;
    let organisation = f.commune(mayor, "Mairie de Decazeville", "12089", true).await;

    let (status, html) = app.page("/aides?profil=installe_recent&commune=Decazeville").await;
    assert_eq!(status, 200);
    assert!(says(&html, &format!("{} €", fr("10 000"))) && says(&html, "Decazeville"), "{html}");
    // A local aid is declared by its collectivité until the moderation checks its source.
    let aid = f.aids.publish(mayor, organisation, &local_aid()).await.unwrap();
    let (_, html) = app.page("/aides?profil=installe_recent&commune=12089").await;
    assert!(says(&html, "aide déclarée par Mairie de Decazeville") && !says(&html, ", par la modération"), "{html}");
    // A moderator's withdrawal refused (a reason too short): the reason typed comes back into
    // this aid's form, never through the address, and the aid stays.
    let mut moderator = Browser::signed_in(&app, MODERATOR).await;
    let withdraw = format!("/aides/{aid}/retrait");
    let short =
        moderator.submit("/moderation/aides", &withdraw, &[("retour", "/moderation/aides"), ("motif", "Vu")]).await;
    let expected = format!("/moderation/aides?erreur=aide-motif&aide={aid}&saisie=");
    assert!(short.location.starts_with(&expected) && !short.location.contains("Vu"), "{}", short.location);
    let again = moderator.get(&short.location).await.body;
    crate::forms::refused_field(&again, &format!("motif-{aid}"), "Indiquez le motif du retrait");
    let field = &again[again.find(&format!("id=\"motif-{aid}\"")).unwrap()..];
    assert!(field[..field.find('>').unwrap()].contains("value=\"Vu\""), "the reason is back in its field");
    assert!(f.slugs("12089", None).await.iter().any(|(s, _)| s.starts_with("local-")), "the aid stays");
    f.aids.verify(f.moderator, aid).await.unwrap();
    let (_, html) = app.page("/aides?profil=installe_recent&commune=12089").await;
    assert!(says(&html, ", par la modération") && !says(&html, "aide déclarée par"), "{html}");
    let (status, html) = app.page("/aides?commune=99999").await;
    assert_eq!(status, 200);
    assert!(says(&html, "Aucune commune du portail"), "{html}");
    let (_, html) = app.page("/aides?commune=Saint-Martin").await;
    assert!(says(&html, "Plusieurs communes"), "{html}");

    // The mayor writes and publishes the page, through the forms.
    let mut mairie = Browser::signed_in(&app, "mairie@decazeville.example").await;
    let editor = format!("/organisations/{organisation}/territoire");
    let mayor_id = mayor.to_string();
    let saved = mairie
        .submit(
            &editor,
            &editor,
            &[
                ("presentation", "Bienvenue à **Decazeville**."),
                ("referent", &mayor_id),
                ("rubrique-ecoles", "Trois écoles."),
            ],
        )
        .await;
    assert_eq!(saved.status, 303);
    assert!(saved.location.starts_with(&format!("{editor}/apercu")), "{}", saved.location);
    let preview = mairie.get(&saved.location).await.body;
    assert!(preview.contains("<strong>Decazeville</strong>"), "{preview}");
    let revision: i64 =
        sqlx::query_scalar("SELECT MAX(id) FROM territory_revisions").fetch_one(&app.db.pool).await.unwrap();
    let published =
        mairie.submit(&saved.location, &format!("{editor}/publication"), &[("version", &revision.to_string())]).await;
    assert_eq!(published.status, 303, "{}", published.body);

    let (_, commune) = app.page("/communes/12089-decazeville").await;
    assert!(says(&commune, "Vivre et exercer ici") && commune.contains("<strong>Decazeville</strong>"), "{commune}");
    assert!(says(&commune, "Aides applicables") && says(&commune, "Claire Mairie"));
    // Aids profile by profile; the one in the address first, and open.
    let groups = |html: &str| -> Vec<String> {
        html.split("<details ")
            .skip(1)
            .map(|g| g[..g.find('>').unwrap()].to_owned())
            .filter(|tag| tag.contains("aid-group"))
            .collect()
    };
    let anyone = groups(&commune);
    assert!(anyone.len() >= 4 && anyone.iter().all(|g| !g.contains(" open")), "{anyone:?}");
    let (_, replacing) = app.page("/communes/12089-decazeville?profil=remplacant").await;
    let first = groups(&replacing);
    assert!(first[0].contains("data-profil=\"remplacant\"") && first[0].contains(" open"), "{first:?}");
    assert!(first[1..].iter().all(|g| !g.contains(" open")), "{first:?}");

    // A doctor contacts the referent from the commune page.
    let mut lea = Browser::signed_in(&app, "lea@exemple.fr").await;
    let opened = lea
        .submit(
            "/communes/12089-decazeville",
            &format!("/organisations/{organisation}/contact"),
            &[
                ("retour", "/communes/12089-decazeville"),
                ("objet", "Installation en septembre"),
                ("message", "Bonjour, je cherche un cabinet pour septembre."),
            ],
        )
        .await;
    assert_eq!(opened.status, 303);
    assert!(opened.location.starts_with("/dossiers/"), "{}", opened.location);
    let received = mairie.get("/dossiers").await.body;
    assert!(says(&received, "Installation en septembre") && says(&received, "Dr Léa Martin"), "{received}");
}

#[tokio::test]
async fn the_outcomes_page_counts_real_offers_and_the_commune_page_compares_its_apl() {
    let app = spawn_app().await;
    let f = Fixture::from(World::of(&app).await);
    let mayor = f.user("mairie@rodez.example", "Mairie de Rodez").await;
    let organisation = f.commune(mayor, "Mairie de Rodez", "12202", true).await;
    let filled = f.published(mayor, organisation, &crate::offers::remplacement()).await;
    f.offers.fill(mayor, filled).await.unwrap();
    f.published(mayor, organisation, &crate::offers::remplacement()).await;

    let (status, html) = app.page("/departements/12-aveyron/bilan").await;
    assert_eq!(status, 200);
    let figure = |name: &str| {
        let marker = format!("data-figure=\"{name}\"");
        let at = html.find(&marker).unwrap_or_else(|| panic!("no {name} in {html}"));
        let after = &html[at..];
        after[after.find('>').unwrap() + 1..].split('<').next().unwrap().to_owned()
    };
    assert_eq!((figure("publiees"), figure("pourvues"), figure("ouvertes")), ("2".into(), "1".into(), "1".into()));
    assert_eq!(figure("delai"), "0 jour");
    assert_eq!(figure("evenements"), "0");
    assert!(
        html.contains("<svg") && html.contains("role=\"img\"") && says(&html, "Offres publiées et pourvues par mois")
    );
    // The examples of the demo are not counted: the region shows the same two offers.
    let (_, region) = app.page("/regions/76-occitanie/bilan").await;
    assert!(region.contains("data-figure=\"publiees\" class=\"figure\">2<"), "{region}");
    // A wrong slug moves to the right address; an unknown code is not found.
    assert_eq!(app.get("/departements/12-rodez/bilan").await.status().as_u16(), 301);
    assert_eq!(app.get("/departements/99-nulle-part/bilan").await.status().as_u16(), 404);

    let (_, commune) = app.page("/communes/12202-rodez").await;
    assert!(commune.contains("id=\"apl-comparee\"") && says(&commune, "APL de Rodez comparée"), "{commune}");
    assert!(says(&commune, "Aveyron") && says(&commune, "Occitanie") && commune.contains("seuil de sous-dotation"));
}

/// The simulator's answer in a page: the aids it shows for sure, those it leaves to check (by
/// their card's id), and each purpose's line of totals, as text.
struct Shown {
    sure: Vec<String>,
    to_check: Vec<String>,
    totals: Vec<(String, String)>,
    html: String,
}

fn shown(html: &str) -> Shown {
    // The simulator's cards stand above the catalogue's: no id twice on the page.
    let mut ids: Vec<&str> = html.split(" id=\"").skip(1).map(|rest| &rest[..rest.find('"').unwrap()]).collect();
    ids.sort();
    let twice: Vec<&&str> = ids.windows(2).filter(|w| w[0] == w[1]).map(|w| &w[0]).collect();
    assert!(twice.is_empty(), "ids twice on the page: {twice:?}");
    let start = html.find("class=\"simulation\"").expect("a simulation");
    let end = html[start..].find("id=\"catalogue\"").map_or(html.len(), |e| start + e);
    let simulation = &html[start..end];
    let (sure, to_check) =
        simulation.split_at(simulation.find("Sous condition à vérifier").unwrap_or(simulation.len()));
    let cards = |part: &str| -> Vec<String> {
        let mut slugs: Vec<String> = part
            .split("<article id=\"simulation-aide-")
            .skip(1)
            .map(|rest| rest[..rest.find('"').unwrap()].to_owned())
            .collect();
        slugs.sort();
        slugs
    };
    let totals = simulation
        .split("<li data-objet=\"")
        .skip(1)
        .map(|rest| {
            let purpose = rest[..rest.find('"').unwrap()].to_owned();
            let line = &rest[..rest.find("</li>").unwrap()];
            // The line's text, tags dropped.
            let mut text = String::new();
            let mut in_tag = false;
            for c in line[line.find('>').unwrap() + 1..].chars() {
                match c {
                    '<' => in_tag = true,
                    '>' => in_tag = false,
                    c if !in_tag => text.push(c),
                    _ => {}
                }
            }
            (purpose, text.replace("&#x27;", "'").replace('\u{202f}', " "))
        })
        .collect();
    Shown { sure: cards(sure), to_check: cards(to_check), totals, html: simulation.to_owned() }
}

fn sorted(slugs: &[&str]) -> Vec<String> {
    let mut list: Vec<String> = slugs.iter().map(|s| s.to_string()).collect();
    list.sort();
    list
}

/// The walkthrough's cases, as the page shows them: Réquista (ZIP) for an intern and for a
/// docteur junior, Mauvezin with no profile, a first installation in Gimont (Gers).
#[tokio::test]
async fn the_simulator_adds_up_only_what_one_person_can_receive_together() {
    let app = spawn_app().await;
    let page = |path: &'static str| {
        let app = &app;
        async move {
            let (status, html) = app.page(path).await;
            assert_eq!(status, 200, "{path}");
            shown(&html)
        }
    };

    let intern = page("/aides?profil=interne&commune=12197").await;
    // The Région's aid to health centres serves the doctors who practise in them (installing
    // or installed), not the interns placed there for a semester.
    assert_eq!(
        intern.sure,
        sorted(&["etat-cesp", "etat-indemnite-hebergement-internes", "etat-indemnite-transport-internes"])
    );
    assert_eq!(intern.to_check, Vec::<String>::new());
    assert_eq!(
        intern.totals,
        vec![
            (
                "stage".to_owned(),
                "Pour faire son stage : 430 € par mois (Indemnité forfaitaire d'hébergement des internes en stage ambulatoire en zone sous-dense + Indemnité forfaitaire de transport des internes en stage ambulatoire éloigné).".to_owned()
            ),
            (
                "etudes".to_owned(),
                "Pour s'engager pendant ses études à exercer en zone sous-dense : 1 200 € par mois (Contrat d'engagement de service public (CESP)).".to_owned()
            ),
        ]
    );

    let junior = page("/aides?profil=docteur_junior&commune=12197").await;
    assert_eq!(
        junior.sure,
        sorted(&[
            "etat-cesp",
            "etat-docteur-junior-indemnite-zip",
            "etat-docteur-junior-prime-activite",
            "etat-indemnite-hebergement-internes",
            "etat-indemnite-transport-internes",
        ])
    );
    assert_eq!(junior.totals.len(), 2, "{:?}", junior.totals);
    assert_eq!(junior.totals[0].0, "stage");
    assert_eq!(
        junior.totals[0].1,
        "Pour faire son stage : soit 1 000 € par mois (Indemnité forfaitaire ZIP des docteurs juniors de médecine générale), soit 430 € par mois (Indemnité forfaitaire d'hébergement des internes en stage ambulatoire en zone sous-dense + Indemnité forfaitaire de transport des internes en stage ambulatoire éloigné) : ces 2 possibilités s'excluent, la plus élevée est donnée en premier."
    );

    let anyone = page("/aides?commune=32249").await;
    assert!(anyone.sure.len() > 5, "{:?}", anyone.sure);
    assert!(anyone.totals.is_empty(), "{:?}", anyone.totals);
    assert!(says(&anyone.html, "elles ne s'additionnent pas"), "{}", anyone.html);

    let settling = page("/aides?profil=installe_recent&commune=32147").await;
    assert_eq!(
        settling.sure,
        sorted(&[
            "am-aide-cabinet-secondaire-zip",
            "am-aide-installation-zip",
            "am-majoration-fmt-primo-installe-zip-qpv",
            "am-majoration-fmt-zip-qpv",
            "ars-occitanie-aide-installation-montagne",
            "fiscal-exoneration-benefices-zfrr",
            "fiscal-exoneration-cfe-medecins",
            "fiscal-exoneration-ir-permanence-soins",
            "region-occitanie-maisons-centres-sante",
        ])
    );
    assert_eq!(settling.to_check, Vec::<String>::new());
    assert_eq!(
        settling.totals,
        vec![
            (
                "installation".to_owned(),
                "Pour s'installer : 10 000 € versés en une fois (Aide à l'installation en zone d'intervention prioritaire (ZIP)).".to_owned()
            ),
            (
                "cabinet_secondaire".to_owned(),
                "Pour ouvrir un cabinet secondaire : 3 000 € versés en une fois (Aide à l'ouverture d'un cabinet secondaire en ZIP).".to_owned()
            ),
        ]
    );
}
