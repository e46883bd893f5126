//! Offers: their life (draft, published, filled, withdrawn, expired), who may touch them, the
//! board's filters and the reminder before the end; first through the service against a real
//! database with the reference data, then over HTTP as a browser without JavaScript.

use crate::browser::*;
use crate::helpers::*;
use crate::seeds::*;
use app::domain::offers::{BoardOrder, BoardQuery, HousingWanted, OfferForm, OfferKind, OfferProblem as P, OfferState};
use app::model::{Around, DepartementCode, InseeCode, PlaceName, Zonage};
use server::accounts::Accounts;
use server::offers::OfferError;
use server::organisations::Organisations;
use sqlx::Row;

/// A world of its own for each test, with the board's helpers.
struct Fixture(World);

impl std::ops::Deref for Fixture {
    type Target = World;
    fn deref(&self) -> &World {
        &self.0
    }
}

async fn fixture() -> Fixture {
    Fixture(World::new().await)
}

impl Fixture {
    async fn member(&self, email: &str) -> i64 {
        self.user(email, "Membre").await
    }

    /// A mairie (of Rodez's commune) of `owner`, verified by moderation when `verified`.
    async fn mairie(&self, owner: i64, name: &str, verified: bool) -> i64 {
        self.organisation(owner, "commune", name, "12202", verified).await
    }

    async fn count(&self) -> i64 {
        sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM offers").fetch_one(&self.db.pool).await.unwrap()
    }

    async fn state(&self, offer: i64) -> OfferState {
        self.offers.read(None, offer).await.unwrap().map(|o| o.state).unwrap_or(OfferState::Draft)
    }

    async fn board(&self, query: BoardQuery) -> Vec<i64> {
        indexed(self.offers.indexer()).await;
        self.offers.read_board(&query).await.unwrap().entries.iter().map(|e| e.card.id).collect()
    }
}

/// A complete remplacement in Rodez, in July next year.
pub fn remplacement() -> OfferForm {
    let next_year = app::model::Day::of_unix(now()).to_string()[..4].parse::<i64>().unwrap() + 1;
    OfferForm {
        kind: "remplacement".into(),
        mode: "ponctuel".into(),
        title: "Remplacement d'été à Rodez".into(),
        description: "Cabinet de groupe de trois médecins, patientèle variée, visites à domicile possibles.".into(),
        specialty: "medecine_generale".into(),
        commune: "12202".into(),
        start: format!("{next_year}-07-01"),
        end: format!("{next_year}-07-31"),
        days_per_week: "4".into(),
        pay_kind: "retrocession".into(),
        pay_min: "70".into(),
        pay_max: "80".into(),
        on_call: "volontaire".into(),
        secretariat: "sur_place".into(),
        software: "Weda".into(),
        housing: "oui".into(),
        ..OfferForm::default()
    }
}

fn problem(result: Result<impl std::fmt::Debug, OfferError>) -> P {
    match result {
        Err(OfferError::Invalid(problem)) => problem,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[tokio::test]
async fn an_offer_goes_from_draft_to_filled_and_every_forbidden_step_is_refused() {
    let f = fixture().await;
    let claire = f.member("claire@exemple.fr").await;
    let organisation = f.mairie(claire, "Mairie de Rodez", false).await;
    let offers = &f.offers;

    let offer = offers.create(claire, organisation, &remplacement()).await.unwrap();
    let draft = offers.read(Some(claire), offer).await.unwrap().unwrap();
    assert_eq!((draft.state, draft.manageable, draft.publishable), (OfferState::Draft, true, false));
    assert_eq!(draft.path, format!("/offres/{offer}-remplacement-d-ete-a-rodez"));

    // An organisation that moderation has not verified cannot publish.
    assert_eq!(problem(offers.publish(claire, offer).await), P::OrganisationUnverified);
    assert_eq!(f.state(offer).await, OfferState::Draft);
    assert!(f.board(BoardQuery::default()).await.is_empty());

    f.organisations.approve(f.moderator, organisation).await.unwrap();
    // Only a draft is published; only a published offer is renewed or filled.
    assert_eq!(problem(offers.renew(claire, offer).await), P::WrongStatus);
    assert_eq!(problem(offers.fill(claire, offer).await), P::WrongStatus);
    offers.publish(claire, offer).await.unwrap();
    assert_eq!(f.state(offer).await, OfferState::Open);
    assert_eq!(problem(offers.publish(claire, offer).await), P::WrongStatus);
    assert_eq!(f.board(BoardQuery::default()).await, [offer]);

    // A published offer is edited in place and stays published.
    let edited = OfferForm { title: "Remplacement d'été au centre de Rodez".into(), ..remplacement() };
    offers.update(claire, offer, &edited).await.unwrap();
    let open = offers.read(None, offer).await.unwrap().unwrap();
    assert_eq!((open.fields.title.as_str(), open.state), ("Remplacement d'été au centre de Rodez", OfferState::Open));

    // Past its end it is expired, out of the board, and its page says so; renewing brings it back.
    let ends = offers.read(None, offer).await.unwrap().unwrap().expires_at.unwrap();
    f.clock.advance(std::time::Duration::from_secs((ends - f.clock.now()) as u64 + 1));
    assert_eq!(f.state(offer).await, OfferState::Expired);
    assert!(f.board(BoardQuery::default()).await.is_empty());
    offers.renew(claire, offer).await.unwrap();
    assert_eq!(f.state(offer).await, OfferState::Open);

    offers.fill(claire, offer).await.unwrap();
    assert_eq!(f.state(offer).await, OfferState::Filled);
    assert!(f.board(BoardQuery::default()).await.is_empty(), "a filled offer leaves the board");
    assert!(offers.read(None, offer).await.unwrap().is_some(), "its page stays");
    for refused in [
        offers.fill(claire, offer).await,
        offers.renew(claire, offer).await,
        offers.withdraw(claire, offer).await,
        offers.publish(claire, offer).await,
        offers.update(claire, offer, &remplacement()).await,
    ] {
        assert_eq!(problem(refused), P::WrongStatus);
    }

    // A draft can be withdrawn, and then nothing more.
    let second = offers.create(claire, organisation, &remplacement()).await.unwrap();
    offers.withdraw(claire, second).await.unwrap();
    assert_eq!(f.state(second).await, OfferState::Withdrawn);
    assert_eq!(problem(offers.publish(claire, second).await), P::WrongStatus);
    assert_eq!(problem(offers.withdraw(claire, second).await), P::WrongStatus);
}

#[tokio::test]
async fn nobody_outside_the_organisation_touches_or_sees_its_drafts() {
    let f = fixture().await;
    let claire = f.member("claire@exemple.fr").await;
    let paul = f.member("paul@exemple.fr").await;
    let rodez = f.mairie(claire, "Mairie de Rodez", true).await;
    let _millau = f.mairie(paul, "Mairie de Millau", true).await;
    let offers = &f.offers;
    let offer = offers.create(claire, rodez, &remplacement()).await.unwrap();

    assert_eq!(problem(offers.create(paul, rodez, &remplacement()).await), P::NotFound);
    assert_eq!(problem(offers.update(paul, offer, &remplacement()).await), P::NotFound);
    assert_eq!(problem(offers.publish(paul, offer).await), P::NotFound);
    assert_eq!(problem(offers.withdraw(paul, offer).await), P::NotFound);
    assert_eq!(problem(offers.publish(paul, 999_999).await), P::NotFound);
    assert!(offers.read(Some(paul), offer).await.unwrap().is_none(), "a draft is not shown to others");
    assert!(offers.read(None, offer).await.unwrap().is_none());
    assert!(offers.read_editor(paul, Some(rodez), None).await.unwrap().is_none());
    assert!(offers.read_editor(paul, None, Some(offer)).await.unwrap().is_none());
    assert!(offers.read_organisation_offers(paul, rodez).await.unwrap().is_none());
    // The moderator is no member either: moderation is of organisations, not their drafts.
    assert!(offers.read(Some(f.moderator), offer).await.unwrap().is_none());

    offers.publish(claire, offer).await.unwrap();
    assert_eq!(problem(offers.fill(paul, offer).await), P::NotFound);
    assert_eq!(problem(offers.renew(paul, offer).await), P::NotFound);
    let public = offers.read(Some(paul), offer).await.unwrap().unwrap();
    assert!(!public.manageable && public.state == OfferState::Open);
    assert_eq!(f.state(offer).await, OfferState::Open, "nothing changed");
}

#[tokio::test]
async fn bad_input_is_refused_with_its_reason_and_changes_nothing() {
    let f = fixture().await;
    let claire = f.member("claire@exemple.fr").await;
    let rodez = f.mairie(claire, "Mairie de Rodez", true).await;
    let offer = f.offers.create(claire, rodez, &remplacement()).await.unwrap();
    let before = f.count().await;
    for (form, expected) in [
        (OfferForm { commune: "99999".into(), ..remplacement() }, P::CommuneUnknown),
        (OfferForm { commune: "Nulle-Part-sur-Mer".into(), ..remplacement() }, P::CommuneInvalid),
        // A name several communes share, or a postal code that serves several: never a guess.
        (OfferForm { commune: "Aigues-Vives".into(), ..remplacement() }, P::CommuneInvalid),
        (OfferForm { commune: "12300".into(), ..remplacement() }, P::CommuneInvalid),
        // The legal entity's number (EJ) of an MSP, not an establishment's: unknown here.
        (OfferForm { finess: "120007059".into(), ..remplacement() }, P::FinessUnknown),
        (OfferForm { finess: "120007068".into(), ..remplacement() }, P::FinessInvalid),
        (OfferForm { pay_min: "beaucoup".into(), ..remplacement() }, P::PayAmount),
        (OfferForm { kind: "<script>".into(), ..remplacement() }, P::KindMissing),
        (OfferForm::default(), P::KindMissing),
    ] {
        assert_eq!(problem(f.offers.create(claire, rodez, &form).await), expected, "{form:?}");
        assert_eq!(problem(f.offers.update(claire, offer, &form).await), expected, "{form:?}");
    }
    assert_eq!(f.count().await, before);
    assert_eq!(f.offers.read(Some(claire), offer).await.unwrap().unwrap().fields.title, remplacement().title);
}

#[tokio::test]
async fn a_structure_s_finess_number_ties_the_offer_to_it() {
    let f = fixture().await;
    let claire = f.member("claire@exemple.fr").await;
    let rodez = f.mairie(claire, "Mairie de Rodez", true).await;
    let form = OfferForm { commune: "12225".into(), finess: "120007067".into(), ..remplacement() };
    let offer = f.offers.create(claire, rodez, &form).await.unwrap();
    let view = f.offers.read(Some(claire), offer).await.unwrap().unwrap();
    let structure = view.place.structure.expect("the structure of the FINESS number");
    assert!(structure.to_uppercase().contains("LUZEN"), "{structure}");
    assert_eq!(view.place.commune_name, "Saint-Georges-de-Luzençon");
}

#[tokio::test]
async fn an_offer_s_commune_is_named_as_people_name_it() {
    let f = fixture().await;
    let claire = f.member("claire@exemple.fr").await;
    let rodez = f.mairie(claire, "Mairie de Rodez", true).await;
    for (typed, commune) in [
        ("Saint-Affrique", "Saint-Affrique"),
        ("st affrique", "Saint-Affrique"),
        ("81000", "Albi"),
        ("Aigues-Vives (30)", "Aigues-Vives"),
    ] {
        let offer =
            f.offers.create(claire, rodez, &OfferForm { commune: typed.into(), ..remplacement() }).await.unwrap();
        let view = f.offers.read(Some(claire), offer).await.unwrap().unwrap();
        assert_eq!(view.place.commune_name, commune, "{typed}");
    }
    // Its form names it back the same way, never by its code.
    let form = OfferForm { commune: "Aigues-Vives (30)".into(), ..remplacement() };
    let offer = f.offers.create(claire, rodez, &form).await.unwrap();
    let editor = f.offers.read_editor(claire, None, Some(offer)).await.unwrap().unwrap();
    assert_eq!(editor.form.commune, "Aigues-Vives (30)");
}

#[tokio::test]
async fn the_board_lists_open_offers_by_kinds_places_zoning_dates_housing_and_team() {
    let f = fixture().await;
    let claire = f.member("claire@exemple.fr").await;
    let org = f.mairie(claire, "Mairie de Rodez", true).await;
    let offers = &f.offers;
    let publish = |form: OfferForm| async move {
        let id = offers.create(claire, org, &form).await.unwrap();
        offers.publish(claire, id).await.unwrap();
        id
    };
    let rodez = publish(remplacement()).await;
    // Saint-Affrique (ZIP), 60 km from Rodez, no housing.
    let saint_affrique = publish(OfferForm {
        commune: "12208".into(),
        title: "Remplacement à Saint-Affrique".into(),
        housing: "non".into(),
        ..remplacement()
    })
    .await;
    // Toulouse (ZAR), salaried, from September, no end.
    let toulouse = publish(OfferForm {
        kind: "salariat".into(),
        mode: String::new(),
        commune: "31555".into(),
        title: "Médecin salarié en centre de santé".into(),
        end: String::new(),
        days_per_week: String::new(),
        start: remplacement().start.replace("-07-01", "-09-01"),
        pay_kind: "salaire".into(),
        pay_min: "6000".into(),
        pay_max: String::new(),
        housing: "aide".into(),
        ..remplacement()
    })
    .await;
    let filled = publish(OfferForm { title: "Déjà pourvue".into(), ..remplacement() }).await;
    offers.fill(claire, filled).await.unwrap();
    let _draft = offers.create(claire, org, &remplacement()).await.unwrap();

    let all = f.board(BoardQuery::default()).await;
    assert_eq!(all, [toulouse, saint_affrique, rodez], "newest first, neither filled nor draft");
    let kinds = |k: &[OfferKind]| BoardQuery { kinds: k.to_vec(), ..BoardQuery::default() };
    assert_eq!(f.board(kinds(&[OfferKind::Salariat])).await, [toulouse]);
    assert_eq!(f.board(kinds(&[OfferKind::Stage])).await, Vec::<i64>::new());
    assert_eq!(f.board(kinds(&[OfferKind::Stage, OfferKind::Salariat])).await, [toulouse]);
    assert_eq!(
        f.board(kinds(&[OfferKind::Salariat, OfferKind::Remplacement])).await,
        [toulouse, saint_affrique, rodez]
    );
    let deps = |codes: &[&str]| BoardQuery {
        departements: codes.iter().map(|c| DepartementCode::parse(c).unwrap()).collect(),
        ..BoardQuery::default()
    };
    assert_eq!(f.board(deps(&["12"])).await, [saint_affrique, rodez]);
    assert_eq!(f.board(deps(&["31", "48"])).await, [toulouse]);
    assert_eq!(f.board(deps(&["12", "31"])).await, [toulouse, saint_affrique, rodez]);
    let zip = BoardQuery { zonage: Some(Zonage::Zip), ..BoardQuery::default() };
    assert_eq!(f.board(zip).await, [saint_affrique]);
    let housing = |h: &[HousingWanted]| BoardQuery { housing: h.to_vec(), ..BoardQuery::default() };
    assert_eq!(f.board(housing(&[HousingWanted::Provided, HousingWanted::Help])).await, [toulouse, rodez]);
    assert_eq!(f.board(housing(&[HousingWanted::Provided])).await, [rodez], "housing provided, not help to find one");
    assert_eq!(f.board(housing(&[HousingWanted::Help])).await, [toulouse]);
    assert_eq!(f.board(housing(&[HousingWanted::Interns])).await, Vec::<i64>::new(), "no interns' housing");

    // Counts beside each box: those of a several-valued filter leave its own choice out (what one
    // more box would add); the others count within every filter.
    indexed(offers.indexer()).await;
    let page = offers.read_board(&kinds(&[OfferKind::Salariat])).await.unwrap();
    assert_eq!(page.total, 1);
    let count = |counts: &[(String, usize)], code: &str| app::domain::offers::BoardFacets::of(counts, code);
    assert_eq!((count(&page.facets.kind, "salariat"), count(&page.facets.kind, "remplacement")), (1, 2));
    assert_eq!((count(&page.facets.departement, "31"), count(&page.facets.departement, "12")), (1, 0));
    assert_eq!((count(&page.facets.housing, "aide"), count(&page.facets.housing, "fourni")), (1, 0));

    // A team, by the structure or by the offer's own count of doctors: a commune's practice of
    // three doctors is one; the commune's others (nothing said) are not.
    assert_eq!(f.board(BoardQuery { team: true, ..BoardQuery::default() }).await, Vec::<i64>::new());
    let team = publish(OfferForm {
        title: "Remplacement en cabinet de trois".into(),
        team_size: "3".into(),
        ..remplacement()
    })
    .await;
    let alone =
        publish(OfferForm { title: "Remplacement en cabinet seul".into(), team_size: "1".into(), ..remplacement() })
            .await;
    assert_eq!(f.board(BoardQuery { team: true, ..BoardQuery::default() }).await, [team]);
    indexed(offers.indexer()).await;
    assert_eq!(offers.read_board(&BoardQuery::default()).await.unwrap().facets.team, 1);
    for id in [team, alone] {
        offers.withdraw(claire, id).await.unwrap();
    }

    // Around Millau: Saint-Affrique (about 25 km) first, then Rodez (about 50 km); Toulouse is far.
    let around = |km| BoardQuery {
        around: Some(Around::Code(InseeCode::parse("12145").unwrap())),
        radius_km: Some(km),
        ..BoardQuery::default()
    };
    indexed(offers.indexer()).await;
    let page = offers.read_board(&around(60)).await.unwrap();
    assert_eq!(page.around_name.as_deref(), Some("Millau"));
    assert_eq!((page.order, page.default_order), (BoardOrder::Nearest, BoardOrder::Nearest));
    let near: Vec<(i64, i64)> =
        page.entries.iter().map(|e| (e.card.id, e.distance_km.unwrap().round() as i64)).collect();
    assert_eq!(near.iter().map(|n| n.0).collect::<Vec<_>>(), [saint_affrique, rodez], "{near:?}");
    assert!(near[0].1 < near[1].1 && near[1].1 <= 60);
    assert_eq!(f.board(around(10)).await, Vec::<i64>::new());
    // The same commune as people name it: by name, by postal code, with its département.
    for typed in ["millau", "MILLAU (12)", "12100"] {
        let named = BoardQuery {
            around: Some(Around::Named(PlaceName::parse(typed).unwrap())),
            radius_km: Some(60),
            ..BoardQuery::default()
        };
        let page = offers.read_board(&named).await.unwrap();
        assert_eq!(page.around_name.as_deref(), Some("Millau"), "{typed}");
        assert_eq!(page.entries.len(), 2, "{typed}");
        // A postal code that serves several communes: the most populous, said.
        match typed {
            "12100" => assert!(page.notes[0].contains("Le code postal 12100 sert 5 communes"), "{:?}", page.notes),
            _ => assert!(page.notes.is_empty(), "{typed}: {:?}", page.notes),
        }
    }
    // A name several communes share: the most populous, said, with how to ask for another.
    let shared =
        BoardQuery { around: Some(Around::Named(PlaceName::parse("Aigues-Vives").unwrap())), ..BoardQuery::default() };
    let page = offers.read_board(&shared).await.unwrap();
    assert!(page.around_name.as_deref().is_some_and(|name| name.starts_with("Aigues-Vives (")), "{page:?}");
    assert!(
        page.notes.iter().any(|note| note.contains("Plusieurs communes s'appellent Aigues-Vives")),
        "{:?}",
        page.notes
    );
    // A name no commune has: said, and no distance filter.
    let nowhere = BoardQuery {
        around: Some(Around::Named(PlaceName::parse("Nulle-Part-sur-Mer").unwrap())),
        ..BoardQuery::default()
    };
    let page = offers.read_board(&nowhere).await.unwrap();
    assert_eq!(page.around_name, None);
    assert!(page.notes.iter().any(|note| note.contains("Nulle-Part-sur-Mer")), "{:?}", page.notes);
    // Around Rodez, Rodez first; the newest first when asked.
    let around_rodez = BoardQuery {
        around: Some(Around::Code(InseeCode::parse("12202").unwrap())),
        radius_km: Some(100),
        ..BoardQuery::default()
    };
    assert_eq!(f.board(around_rodez.clone()).await, [rodez, saint_affrique]);
    assert_eq!(f.board(BoardQuery { order: Some(BoardOrder::Newest), ..around_rodez }).await, [saint_affrique, rodez]);
    // Nearest first without a commune cannot be: the board says what to give.
    indexed(offers.indexer()).await;
    let page =
        offers.read_board(&BoardQuery { order: Some(BoardOrder::Nearest), ..BoardQuery::default() }).await.unwrap();
    assert_eq!(page.order, BoardOrder::Newest);
    assert!(page.notes[0].contains("Autour de la commune"), "{:?}", page.notes);
    let unknown =
        BoardQuery { around: Some(Around::Code(InseeCode::parse("99999").unwrap())), ..BoardQuery::default() };
    indexed(offers.indexer()).await;
    let page = offers.read_board(&unknown).await.unwrap();
    assert_eq!(page.total, 3, "an unknown commune drops the distance filter");
    assert!(page.notes[0].contains("99999"));

    // Dates: in August, the July replacements are over; the Toulouse post (from September, no end) is not yet open.
    let august = remplacement().start.replace("-07-01", "-08-10");
    let day = |s: &str| app::model::Day::parse(s).ok();
    let august_query = BoardQuery { from: day(&august), to: day(&august), ..BoardQuery::default() };
    assert_eq!(f.board(august_query).await, Vec::<i64>::new());
    let autumn = remplacement().start.replace("-07-01", "-10-01");
    let autumn_query = BoardQuery { from: day(&autumn), ..BoardQuery::default() };
    assert_eq!(f.board(autumn_query).await, [toulouse]);

    // Pages of twenty: a page past the end shows the last one.
    for _ in 0..20 {
        publish(remplacement()).await;
    }
    indexed(offers.indexer()).await;
    let first = offers.read_board(&BoardQuery::default()).await.unwrap();
    assert_eq!((first.total, first.pages, first.entries.len()), (23, 2, 20));
    indexed(offers.indexer()).await;
    let last = offers.read_board(&BoardQuery { page: 9, ..BoardQuery::default() }).await.unwrap();
    assert_eq!((last.page, last.entries.len()), (2, 3));
}

#[tokio::test]
async fn members_are_asked_once_a_week_before_the_end_whether_the_offer_is_still_open() {
    let f = fixture().await;
    let claire = f.member("claire@exemple.fr").await;
    let org = f.mairie(claire, "Mairie de Rodez", true).await;
    let offer = f.offers.create(claire, org, &remplacement()).await.unwrap();
    f.offers.publish(claire, offer).await.unwrap();
    let mails = || async {
        sqlx::query("SELECT recipient, body_text FROM mail_outbox WHERE template = 'offre-a-reconfirmer'")
            .fetch_all(&f.db.pool)
            .await
            .unwrap()
            .iter()
            .map(|r| (r.get::<String, _>(0), r.get::<String, _>(1)))
            .collect::<Vec<_>>()
    };

    assert_eq!(f.offers.remind_expiring(now()).await.unwrap(), 0, "sixty days ahead: not yet");
    sqlx::query("UPDATE offers SET expires_at = $1 WHERE id = $2")
        .bind(now() + 3 * 86_400)
        .bind(offer)
        .execute(&f.db.pool)
        .await
        .unwrap();
    assert_eq!(f.offers.remind_expiring(now()).await.unwrap(), 1);
    assert_eq!(f.offers.remind_expiring(now()).await.unwrap(), 0, "once per end of publication");
    let sent = mails().await;
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].0, "claire@exemple.fr");
    assert!(sent[0].1.contains("Remplacement d'été à Rodez") && sent[0].1.contains(&format!("{SITE}/offres/{offer}-")));

    // Renewed, it is reminded again before its new end; filled, never.
    f.offers.renew(claire, offer).await.unwrap();
    sqlx::query("UPDATE offers SET expires_at = $1 WHERE id = $2")
        .bind(now() + 86_400)
        .bind(offer)
        .execute(&f.db.pool)
        .await
        .unwrap();
    assert_eq!(f.offers.remind_expiring(now()).await.unwrap(), 1);
    let other = f.offers.create(claire, org, &remplacement()).await.unwrap();
    f.offers.publish(claire, other).await.unwrap();
    f.offers.fill(claire, other).await.unwrap();
    sqlx::query("UPDATE offers SET expires_at = $1 WHERE id = $2")
        .bind(now() + 86_400)
        .bind(other)
        .execute(&f.db.pool)
        .await
        .unwrap();
    assert_eq!(f.offers.remind_expiring(now()).await.unwrap(), 0);
    assert_eq!(mails().await.len(), 2);
}

// ---------------------------------------------------------------------------------------------
// Over HTTP, as a browser without JavaScript.

async fn offer_rows(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM offers").fetch_one(&app.db.pool).await.unwrap()
}

/// The form of `remplacement()` as posted pairs.
fn posted(form: &OfferForm) -> Vec<(String, String)> {
    serde_urlencoded::from_str(&serde_urlencoded::to_string(form).unwrap()).unwrap()
}

#[tokio::test]
async fn a_commune_posts_publishes_and_fills_a_remplacement_through_the_forms() {
    let app = spawn_app().await;
    let organisations = Organisations::new(app.db.clone(), SITE.to_owned());
    let accounts = Accounts::new(app.db.clone(), SITE.to_owned());
    let moderator = accounts.sign_up("moderation@ars.example", "Modération", PASSWORD).await.unwrap();
    organisations.set_moderator("moderation@ars.example", true).await.unwrap();

    let mut browser = Browser::new(&app);
    browser.sign_up("claire@exemple.fr", "Claire").await;
    let (organisation, _) = browser.create_organisation("commune", "Mairie de Rodez", "12202").await;
    let new_page = format!("/organisations/{organisation}/offres/nouvelle");

    // The kind first, then its form (links: no JavaScript needed).
    let choose = browser.get(&new_page).await;
    assert!(choose.body.contains(&format!("href=\"{new_page}?type=remplacement\"")));
    let form_page = format!("{new_page}?type=remplacement");
    let page = browser.get(&form_page).await;
    assert!(says(&page.body, "Votre organisation est en attente de vérification"));
    assert!(page.body.contains("name=\"jours_par_semaine\"") && !page.body.contains("name=\"semestre\""));

    // Refused: back with the reason and everything typed.
    let mut bad = posted(&OfferForm { commune: "Nulle-Part-sur-Mer".into(), ..remplacement() });
    let pairs: Vec<(&str, &str)> = bad.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let answer = browser.submit(&form_page, &new_page, &pairs).await;
    assert!(answer.location.starts_with(&format!("{new_page}?erreur=offre-commune-invalide&")), "{}", answer.location);
    let again = browser.get(&format!("{}&type=remplacement", answer.location)).await;
    assert!(says(&again.body, "Nous ne trouvons pas cette commune"));
    // Summarised at the top with a link to the field, and said again under the field itself.
    assert!(
        again.body.contains(r##"href="#commune""##) && again.body.contains(r#"id="commune-erreur""#),
        "{}",
        again.body
    );
    assert!(again.body.contains("value=\"Nulle-Part-sur-Mer\"") && again.body.contains("value=\"Weda\""));
    assert_eq!(offer_rows(&app).await, 0);

    // Without the form token, or signed out, nothing is saved.
    bad.retain(|(k, _)| k != "commune");
    let good = posted(&remplacement());
    let pairs: Vec<(&str, &str)> = good.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let forged = browser.post(&new_page, &pairs).await;
    assert!(forged.location.contains("erreur=formulaire-expire"), "{}", forged.location);
    let mut stranger = Browser::new(&app);
    let answer = stranger.submit("/inscription", &new_page, &pairs).await;
    assert!(answer.location.starts_with("/connexion?erreur=connexion-requise"), "{}", answer.location);
    assert_eq!(offer_rows(&app).await, 0);

    let answer = browser.submit(&form_page, &new_page, &pairs).await;
    let offer: i64 = answer.location.trim_start_matches("/offres/").split('?').next().unwrap().parse().unwrap();
    assert_eq!(answer.location, format!("/offres/{offer}?info=offre-enregistree"));
    // The short address leads to the one with the slug, message kept.
    let moved = browser.get(&answer.location).await;
    assert_eq!(moved.status, 301);
    assert_eq!(moved.location, format!("/offres/{offer}-remplacement-d-ete-a-rodez?info=offre-enregistree"));
    let preview = browser.get(&moved.location).await;
    assert!(says(&preview.body, "Aperçu : cette offre n'est pas publiée"));
    assert!(says(&preview.body, "L'offre sera publiable quand la modération aura vérifié"));
    assert!(!preview.body.contains("JobPosting"));
    let offer_page = format!("/offres/{offer}-remplacement-d-ete-a-rodez");
    assert_eq!(app.page(&offer_page).await.0, 404, "a draft is not public");

    // Unverified: publishing is refused on the server too.
    let answer = browser.submit(&offer_page, &format!("/offres/{offer}/publication"), &[]).await;
    assert_eq!(answer.location, format!("/offres/{offer}?erreur=offre-organisation-non-verifiee"));
    organisations.approve(moderator, organisation).await.unwrap();
    let answer = browser.submit(&offer_page, &format!("/offres/{offer}/publication"), &[]).await;
    assert_eq!(answer.location, format!("/offres/{offer}?info=offre-publiee"));

    let (status, public) = app.page(&offer_page).await;
    assert_eq!(status, 200);
    assert!(public.contains("\"@type\":\"JobPosting\""));
    assert!(says(&public, "Rétrocession d'honoraires : 70 à 80 %") && says(&public, "Logement fourni"));
    let (_, board) = app.page("/offres?type=remplacement&dep=12&logement=oui").await;
    assert!(board.contains(&offer_page) && says(&board, "1 offre"));
    let (_, board) = app.page("/offres?type=stage").await;
    assert!(!board.contains(&offer_page) && says(&board, "Aucune offre ne correspond"));
    let (status, board) = app.page("/offres?type=cdi&dep=xx&rayon=-1&page=abc").await;
    assert_eq!(status, 200);
    assert!(says(&board, "Type d'offre « cdi » inconnu") && board.contains(&offer_page));

    // Withdrawing asks for a ticked box, on the page and again on the server.
    let managed = browser.get(&offer_page).await.body;
    assert!(managed.contains(r#"name="confirmation" value="oui" required"#), "{managed}");
    let answer = browser.submit(&offer_page, &format!("/offres/{offer}/retrait"), &[]).await;
    assert_eq!(answer.location, format!("/offres/{offer}?erreur=confirmation-manquante"));
    assert!(app.page("/offres?type=remplacement").await.1.contains(&offer_page), "still on the board");
    // The form names its box, and the page it goes back to marks that box.
    assert!(managed.contains(r#"<input type="hidden" name="case" value="retrait-offre""#), "{managed}");
    let answer = browser.submit(&offer_page, &format!("/offres/{offer}/retrait"), &[("case", "retrait-offre")]).await;
    assert_eq!(answer.location, format!("/offres/{offer}?erreur=confirmation-manquante&case=retrait-offre"));
    let marked = browser.get(&format!("{offer_page}?erreur=confirmation-manquante&case=retrait-offre")).await.body;
    assert!(
        marked.contains(r#"id="retrait-offre" type="checkbox" name="confirmation" value="oui" required aria-invalid="true" aria-describedby="retrait-offre-erreur""#),
        "{marked}"
    );
    assert!(
        marked.contains(r#"<p id="retrait-offre-erreur" class="field-problem">Cochez la case de confirmation"#),
        "{marked}"
    );
    assert!(marked.contains(r##"<a href="#retrait-offre">Aller au champ</a>"##), "{marked}");
    assert!(app.page("/offres?type=remplacement").await.1.contains(&offer_page), "still on the board");

    let answer = browser.submit(&offer_page, &format!("/offres/{offer}/pourvue"), &[]).await;
    assert_eq!(answer.location, format!("/offres/{offer}?info=offre-pourvue"));
    let (_, board) = app.page("/offres").await;
    assert!(!board.contains(&offer_page));
    let (status, public) = app.page(&offer_page).await;
    assert_eq!(status, 200);
    assert!(says(&public, "Cette offre est pourvue") && !public.contains("JobPosting"));
}

#[tokio::test]
async fn example_data_fills_the_board_marked_as_such_and_never_in_production() {
    let f = fixture().await;
    let refused = server::demo::seed(&f.db, &f.accounts, true, 200).await;
    assert!(matches!(refused, Err(server::demo::DemoError::Production)));
    assert_eq!(f.count().await, 0);

    let report = server::demo::seed(&f.db, &f.accounts, false, 200).await.unwrap();
    assert_eq!((report.offers, report.replaced), (200, 0));
    assert!(report.organisations >= 30, "{report:?}");
    // Around the offers, what a territory publishes, through the same services.
    assert_eq!((report.events, report.aids, report.pages, report.stage_sites), (3, 2, 1, 3), "{report:?}");
    assert_eq!((report.housing, report.reviews), (6, 9), "{report:?}");
    let examples = |table: &'static str| {
        let db = f.db.clone();
        async move {
            sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(format!(
                "SELECT CAST(COUNT(*) AS BIGINT) FROM {table} t JOIN organisations o ON o.id = t.organisation_id
                 WHERE o.example = 1"
            )))
            .fetch_one(&db.pool)
            .await
            .unwrap()
        }
    };
    assert_eq!((examples("events").await, examples("aids").await, examples("territory_pages").await), (3, 2, 1));
    assert_eq!((examples("stage_sites").await, examples("intern_housing").await), (3, 6));
    // Each example site shows its three reviews.
    let shown: i64 = sqlx::query_scalar(
        "SELECT CAST(COUNT(*) AS BIGINT) FROM stage_reviews r JOIN stage_sites s ON s.id = r.site_id
         JOIN organisations o ON o.id = s.organisation_id WHERE o.example = 1 AND r.status = 'publie'",
    )
    .fetch_one(&f.db.pool)
    .await
    .unwrap();
    assert_eq!(shown, 9);
    indexed(f.offers.indexer()).await;
    let board = f.offers.read_board(&BoardQuery::default()).await.unwrap();
    assert_eq!(board.total, 200);
    assert!(board.entries.iter().all(|e| e.card.example));
    // Every kind is there, spread over the region's départements, on real places.
    let kinds: std::collections::HashSet<_> = sqlx::query_scalar::<_, String>("SELECT DISTINCT kind FROM offers")
        .fetch_all(&f.db.pool)
        .await
        .unwrap()
        .into_iter()
        .collect();
    assert_eq!(kinds.len(), 6, "{kinds:?}");
    let departements: i64 = sqlx::query_scalar(
        "SELECT CAST(COUNT(DISTINCT c.departement_code) AS BIGINT) FROM offers o JOIN communes c ON c.code = o.commune_code",
    )
    .fetch_one(&f.db.pool)
    .await
    .unwrap();
    assert!(departements >= 8, "{departements}");
    let one = f.offers.read(None, board.entries[0].card.id).await.unwrap().unwrap();
    assert!(one.example && one.publisher.verified && one.state == OfferState::Open);

    // Again: replaced, not added; a real offer stays.
    let claire = f.member("claire@exemple.fr").await;
    let org = f.mairie(claire, "Mairie de Rodez", true).await;
    let real = f.offers.create(claire, org, &remplacement()).await.unwrap();
    let again = server::demo::seed(&f.db, &f.accounts, false, 200).await.unwrap();
    assert_eq!((again.offers, again.replaced), (200, 200));
    assert_eq!(f.count().await, 201);
    assert!(f.offers.read(Some(claire), real).await.unwrap().is_some());
    assert_eq!((examples("events").await, examples("aids").await, examples("territory_pages").await), (3, 2, 1));
    assert_eq!((examples("stage_sites").await, examples("intern_housing").await), (3, 6));

    // The README's command adds them on the first run only: later runs keep them as they are.
    let later = server::demo::seed_if_absent(&f.db, &f.accounts, false, 200).await.unwrap();
    assert_eq!(later, None);
    assert_eq!(f.count().await, 201);
    let production = server::demo::seed_if_absent(&f.db, &f.accounts, true, 200).await;
    assert!(matches!(production, Err(server::demo::DemoError::Production)));
}
