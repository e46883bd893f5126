//! Candidates' wishes, the fit of offers to them on the board and offer pages, and the ranked
//! opted-in candidates an organisation sees; with the real database and reference data.

use crate::browser::*;
use crate::helpers::*;
use crate::seeds::*;
use app::domain::candidates::{WishesForm, WishesProblem};
use app::domain::offers::{BoardOrder, BoardQuery, OfferForm};
use server::candidates::{CandidateError, Candidates};

/// A world of its own for each test, with the candidates' service.
struct Fixture {
    world: World,
    candidates: Candidates,
}

impl std::ops::Deref for Fixture {
    type Target = World;
    fn deref(&self) -> &World {
        &self.world
    }
}

async fn fixture() -> Fixture {
    let world = World::new().await;
    Fixture { candidates: Candidates::new(world.db.clone()), world }
}

/// A doctor looking for a summer remplacement around Millau, with housing.
fn wishes(visible: bool) -> WishesForm {
    let year = next_year();
    WishesForm {
        specialite: "medecine_generale".into(),
        type_remplacement: "oui".into(),
        disponible_du: format!("{year}-06-15"),
        disponible_au: format!("{year}-08-31"),
        autour: "12145".into(),
        rayon: "40".into(),
        logement: "oui".into(),
        visible: if visible { "oui".into() } else { String::new() },
        ..WishesForm::default()
    }
}

fn remplacement(commune: &str, title: &str, housing: &str) -> OfferForm {
    let year = next_year();
    OfferForm {
        kind: "remplacement".into(),
        mode: "ponctuel".into(),
        title: title.into(),
        description: "Cabinet de groupe de trois médecins, patientèle variée, visites à domicile possibles.".into(),
        specialty: "medecine_generale".into(),
        commune: commune.into(),
        start: format!("{year}-07-01"),
        end: format!("{year}-07-31"),
        days_per_week: "4".into(),
        pay_kind: "retrocession".into(),
        pay_min: "75".into(),
        on_call: "volontaire".into(),
        secretariat: "sur_place".into(),
        software: "Weda".into(),
        housing: housing.into(),
        ..OfferForm::default()
    }
}

impl Fixture {
    async fn wishes_rows(&self) -> i64 {
        sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM candidate_wishes")
            .fetch_one(&self.db.pool)
            .await
            .unwrap()
    }
}

#[tokio::test]
async fn wishes_are_checked_against_the_reference_data_and_bad_ones_change_nothing() {
    let f = fixture().await;
    let ines = f.user("ines@exemple.fr", "Inès").await;
    for (form, problem) in [
        (WishesForm { autour: "99999".into(), ..wishes(true) }, WishesProblem::Around),
        (WishesForm { departements: "12, 75".into(), ..wishes(true) }, WishesProblem::Departements),
        (WishesForm { type_remplacement: String::new(), ..wishes(true) }, WishesProblem::Kinds),
    ] {
        assert!(matches!(f.candidates.save(ines, &form).await, Err(CandidateError::Invalid(p)) if p == problem));
    }
    assert_eq!(f.wishes_rows().await, 0);
    let saved = f.candidates.save(ines, &wishes(true)).await.unwrap();
    assert_eq!(f.candidates.get(ines).await.unwrap(), Some(saved.clone()));
    // Saving again replaces.
    f.candidates.save(ines, &WishesForm { rayon: "60".into(), ..wishes(false) }).await.unwrap();
    assert_eq!(f.wishes_rows().await, 1);
    assert_eq!(f.candidates.get(ines).await.unwrap().unwrap().radius_km, Some(60));
}

#[tokio::test]
async fn the_board_says_why_each_offer_fits_and_ranks_by_fit_when_asked() {
    let f = fixture().await;
    let claire = f.user("claire@exemple.fr", "Claire").await;
    let org = f.organisations.create(claire, "commune", "Mairie de Rodez", "12202").await.unwrap();
    f.organisations.approve(f.moderator, org).await.unwrap();
    let saint_affrique = f.published(claire, org, &remplacement("12208", "Remplacement à Saint-Affrique", "oui")).await;
    let toulouse = f.published(claire, org, &remplacement("31555", "Remplacement à Toulouse", "non")).await;

    let ines = f.user("ines@exemple.fr", "Inès").await;
    // No wishes yet: no fit, and asking to sort by it says how to get one.
    indexed(f.offers.indexer()).await;
    let page = f
        .offers
        .read_board_for(Some(ines), &BoardQuery { order: Some(BoardOrder::Fit), ..BoardQuery::default() })
        .await
        .unwrap();
    assert!(page.entries.iter().all(|e| e.fit.is_none()));
    assert!(page.notes[0].contains("Ce que je recherche"));

    f.candidates.save(ines, &wishes(false)).await.unwrap();
    indexed(f.offers.indexer()).await;
    let newest = f
        .offers
        .read_board_for(Some(ines), &BoardQuery { order: Some(BoardOrder::Newest), ..BoardQuery::default() })
        .await
        .unwrap();
    assert_eq!(newest.entries.iter().map(|e| e.card.id).collect::<Vec<_>>(), [toulouse, saint_affrique]);
    // With wishes, the board is in order of fit unless asked otherwise.
    indexed(f.offers.indexer()).await;
    let ranked = f.offers.read_board_for(Some(ines), &BoardQuery::default()).await.unwrap();
    assert_eq!((ranked.order, ranked.default_order), (BoardOrder::Fit, BoardOrder::Fit));
    assert_eq!(ranked.entries.iter().map(|e| e.card.id).collect::<Vec<_>>(), [saint_affrique, toulouse]);
    // And nearest first around a commune she names, when she asks: Toulouse is nearer Montauban.
    indexed(f.offers.indexer()).await;
    let montauban = BoardQuery {
        around: Some(app::model::Around::Code(app::model::InseeCode::parse("82121").unwrap())),
        radius_km: Some(150),
        order: Some(BoardOrder::Nearest),
        ..BoardQuery::default()
    };
    let nearest = f.offers.read_board_for(Some(ines), &montauban).await.unwrap();
    assert_eq!(nearest.order, BoardOrder::Nearest);
    assert_eq!(nearest.entries.iter().map(|e| e.card.id).collect::<Vec<_>>(), [toulouse, saint_affrique]);
    let best = ranked.entries[0].fit.clone().unwrap();
    let texts: Vec<&str> = best.reasons.iter().map(|r| r.text.as_str()).collect();
    assert!(texts.contains(&"à 25 km de Millau") && texts.contains(&"logement fourni"), "{texts:?}");
    let worst = ranked.entries[1].fit.clone().unwrap();
    assert!(worst.score < best.score);
    assert!(worst.reasons.iter().any(|r| !r.good && r.text == "pas de logement proposé"), "{worst:?}");

    // The offer's page says it too, to her only.
    let page = f.offers.read(Some(ines), saint_affrique).await.unwrap().unwrap();
    assert_eq!(page.fit, Some(best));
    assert!(f.offers.read(None, saint_affrique).await.unwrap().unwrap().fit.is_none());
}

#[tokio::test]
async fn only_opted_in_candidates_are_ranked_and_only_for_members_of_a_verified_organisation() {
    let f = fixture().await;
    let claire = f.user("claire@exemple.fr", "Claire").await;
    let org = f.organisations.create(claire, "commune", "Mairie de Saint-Affrique", "12208").await.unwrap();
    let offer =
        f.offers.create(claire, org, &remplacement("12208", "Remplacement à Saint-Affrique", "oui")).await.unwrap();

    let ines = f.user("ines@exemple.fr", "Inès").await;
    let paul = f.user("paul@exemple.fr", "Paul").await;
    let hidden = f.user("discret@exemple.fr", "Discret").await;
    f.candidates.save(ines, &wishes(true)).await.unwrap();
    // Paul looks far away, for something else.
    let far = WishesForm {
        autour: "31555".into(),
        type_remplacement: String::new(),
        type_salariat: "oui".into(),
        ..wishes(true)
    };
    f.candidates.save(paul, &far).await.unwrap();
    f.candidates.save(hidden, &wishes(false)).await.unwrap();

    // Not verified yet: nobody is shown, even to its members.
    assert_eq!(f.candidates.for_offer(claire, offer).await.unwrap(), None);
    f.organisations.approve(f.moderator, org).await.unwrap();
    let ranked = f.candidates.for_offer(claire, offer).await.unwrap().unwrap();
    assert_eq!(
        ranked.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(),
        ["Inès", "Paul"],
        "the hidden one is not there"
    );
    assert!(ranked[0].fit.score > ranked[1].fit.score);
    assert_eq!(ranked[0].email, "ines@exemple.fr");

    // Nobody outside the organisation sees them.
    for outsider in [ines, paul, f.moderator] {
        assert_eq!(f.candidates.for_offer(outsider, offer).await.unwrap(), None);
    }
    assert_eq!(f.candidates.for_offer(claire, 999_999).await.unwrap(), None);
}

#[tokio::test]
async fn the_wishes_form_works_without_javascript_and_is_part_of_the_personal_data() {
    let app = spawn_app().await;
    let mut browser = Browser::new(&app);
    browser.sign_up("ines@exemple.fr", "Inès").await;
    assert!(browser.get("/compte").await.body.contains("href=\"/compte/recherche\""));

    let posted: Vec<(String, String)> = serde_urlencoded::from_str(
        &serde_urlencoded::to_string(WishesForm { autour: "Nulle-Part-sur-Mer".into(), ..wishes(true) }).unwrap(),
    )
    .unwrap();
    let pairs: Vec<(&str, &str)> = posted.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let answer = browser.submit("/compte/recherche", "/compte/recherche", &pairs).await;
    assert!(answer.location.starts_with("/compte/recherche?erreur=souhait-commune&"), "{}", answer.location);
    let again = browser.get(&answer.location).await;
    assert!(
        says(&again.body, "Nous ne trouvons pas la commune") && again.body.contains("value=\"Nulle-Part-sur-Mer\"")
    );
    let rows = || async {
        sqlx::query_scalar::<_, i64>("SELECT CAST(COUNT(*) AS BIGINT) FROM candidate_wishes")
            .fetch_one(&app.db.pool)
            .await
            .unwrap()
    };
    assert_eq!(rows().await, 0);

    let posted: Vec<(String, String)> =
        serde_urlencoded::from_str(&serde_urlencoded::to_string(wishes(true)).unwrap()).unwrap();
    let pairs: Vec<(&str, &str)> = posted.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let forged = browser.post("/compte/recherche", &pairs).await;
    assert!(forged.location.contains("erreur=formulaire-expire"), "{}", forged.location);
    assert_eq!(rows().await, 0);
    let answer = browser.submit("/compte/recherche", "/compte/recherche", &pairs).await;
    assert_eq!(answer.location, "/compte?info=recherche-enregistree");
    let form = browser.get("/compte/recherche").await;
    // Named as people name it, never by its code (which would read as a postal code).
    assert!(form.body.contains("value=\"Millau\""), "{}", form.body);

    let export = browser.get("/compte/mes-donnees").await;
    let export: serde_json::Value = serde_json::from_str(&export.body).unwrap();
    assert_eq!(export["recherche"]["autour"], "12145", "{export}");
    let answer = browser.submit("/compte", "/compte/suppression", &[("mot_de_passe_actuel", PASSWORD)]).await;
    assert!(answer.location.contains("compte-supprime"), "{}", answer.location);
    assert_eq!(rows().await, 0);
}
