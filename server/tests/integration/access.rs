//! Who may call each form route: the matrix below has one line per route the server registers
//! (`http::routes`), and a route missing from it fails the first test, so that a new route
//! cannot ship without someone deciding who may call it. Each route is then called, with
//! plausible fields and a valid form token, as an anonymous visitor and as a signed-in stranger
//! (an account with an organisation of its own), on objects that belong to someone else; the
//! answer must be the one the matrix declares and, unless the route is open to all, nothing
//! in the database may change.

use crate::applications::{BOUNDARY, multipart_as};
use crate::browser::*;
use crate::helpers::*;
use crate::offers::remplacement;
use crate::seeds::{PASSWORD, World};
use crate::territory_pages::png;
use app::domain::events::EventForm;
use app::domain::promotion::PageContent;
use server::applications::Applications;
use server::events::Events;
use server::http::routes::Verb;
use server::promotion::Promotions;
use std::collections::BTreeMap;

/// What a caller gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    /// Sent to the sign-in page (303, `erreur=connexion-requise`); nothing changes.
    SignIn,
    /// Back to a page with a French message (303, `erreur=…`); nothing changes.
    Refused,
    /// 404; nothing changes.
    NotFound,
    /// Open to anyone (signing up, a mailed link, a public file), or to any signed-in person
    /// on what is their own (their name, their alert, their organisation): answered, whatever
    /// the answer, never with a 5xx.
    Open,
    /// Done, with the fields the forms post: a page (200), or a redirection that is not back
    /// with an error (303).
    Done,
}
use Expect::*;

/// The objects of the test, by what a route's placeholders name.
#[derive(Debug, Clone, Copy)]
enum Target {
    None,
    Organisation,
    DraftOffer,
    Application,
    Aid,
    Case,
    Event,
    Photo,
    Testimonial,
    Mail,
    Alert,
    /// Claire's second organisation, a maison de santé: stage sites are a structure's.
    Structure,
    StageSite,
    /// The commune's housing for interns.
    Housing,
    /// Léa's review of the stage site, waiting for the moderation.
    Review,
}

/// One line of the matrix: the route, what fills its placeholders, whether it takes files,
/// and what an anonymous visitor and a signed-in stranger get.
struct Line {
    verb: Verb,
    pattern: &'static str,
    target: Target,
    upload: bool,
    anonymous: Expect,
    stranger: Expect,
}

const fn post(pattern: &'static str, target: Target, anonymous: Expect, stranger: Expect) -> Line {
    Line { verb: Verb::Post, pattern, target, upload: false, anonymous, stranger }
}

const fn upload(pattern: &'static str, target: Target, anonymous: Expect, stranger: Expect) -> Line {
    Line { verb: Verb::Post, pattern, target, upload: true, anonymous, stranger }
}

const fn get(pattern: &'static str, target: Target, anonymous: Expect, stranger: Expect) -> Line {
    Line { verb: Verb::Get, pattern, target, upload: false, anonymous, stranger }
}

/// The matrix.
fn matrix() -> Vec<Line> {
    use Target::*;
    use app::domain::{
        accounts::paths as account, aids::paths as aid, alerts::paths as alert, applications::paths as application,
        events::paths as event, housing::paths as housing, offers::paths as offer,
        organisations::paths as organisation, promotion::paths as promotion, reviews::paths as review,
        stages::paths as stage,
    };
    vec![
        // Accounts: signing up, in and out, and the mailed links are open to all.
        post(account::SIGN_UP, None, Open, Open),
        post(account::SIGN_IN, None, Open, Open),
        post(account::SIGN_OUT, None, Open, Open),
        post(account::FORGOT_PASSWORD, None, Open, Open),
        post(account::NEW_PASSWORD, None, Open, Open),
        get(account::VERIFY, None, Open, Open),
        get(account::CONFIRM_EMAIL, None, Open, Open),
        post(account::RESEND_VERIFICATION, None, SignIn, Refused),
        post(account::PROFILE, None, SignIn, Refused),
        // The stranger's own name: theirs to change.
        post(account::RENAME, None, SignIn, Open),
        post(account::CHANGE_PASSWORD, None, SignIn, Refused),
        post(account::CHANGE_EMAIL, None, SignIn, Refused),
        get(account::MY_DATA, None, SignIn, Open),
        post(account::DELETE_ACCOUNT, None, SignIn, Refused),
        post(account::WISHES, None, SignIn, Refused),
        // Organisations.
        // Anyone signed in may create an organisation: it waits for moderation.
        post(organisation::NEW, None, SignIn, Open),
        post(organisation::INVITATION, None, SignIn, Refused),
        post(organisation::EDIT.pattern(), Organisation, SignIn, Refused),
        post(organisation::INVITE.pattern(), Organisation, SignIn, Refused),
        post(organisation::CANCEL_INVITATION.pattern(), Organisation, SignIn, Refused),
        post(organisation::REMOVE_MEMBER.pattern(), Organisation, SignIn, Refused),
        post(organisation::CHANGE_ROLE.pattern(), Organisation, SignIn, Refused),
        post(organisation::APPROVE.pattern(), Organisation, SignIn, Refused),
        post(organisation::REJECT.pattern(), Organisation, SignIn, Refused),
        post(organisation::REQUEUE_MAIL.pattern(), Mail, SignIn, Refused),
        // Questions before a decision: the moderation asks, the owners of an organisation
        // waiting answer (Claire's is verified: nothing to ask or answer there, see
        // moderation.rs).
        post(organisation::ASK.pattern(), Organisation, SignIn, Refused),
        post(organisation::ANSWER.pattern(), Organisation, SignIn, Refused),
        // Offers.
        post(offer::NEW.pattern(), Organisation, SignIn, Refused),
        post(offer::EDIT.pattern(), DraftOffer, SignIn, Refused),
        post(offer::PUBLISH.pattern(), DraftOffer, SignIn, Refused),
        post(offer::RENEW.pattern(), DraftOffer, SignIn, Refused),
        post(offer::FILL.pattern(), DraftOffer, SignIn, Refused),
        post(offer::WITHDRAW.pattern(), DraftOffer, SignIn, Refused),
        // Alerts: the unsubscribe link's token is its own proof.
        post(alert::CREATE, None, SignIn, Open),
        post(alert::DELETE.pattern(), Alert, SignIn, Refused),
        post(alert::FREQUENCY.pattern(), Alert, SignIn, Refused),
        post(alert::UNSUBSCRIBE, None, Open, Open),
        // Applications: a draft offer takes none.
        upload(application::APPLY.pattern(), DraftOffer, SignIn, Refused),
        post(application::MESSAGE.pattern(), Application, SignIn, Refused),
        post(application::STATUS.pattern(), Application, SignIn, Refused),
        post(application::WITHDRAW.pattern(), Application, SignIn, Refused),
        get(application::CV.pattern(), Application, SignIn, NotFound),
        // Local aids.
        post(aid::ORGANISATION.pattern(), Organisation, SignIn, Refused),
        post(aid::EDIT.pattern(), Aid, SignIn, Refused),
        post(aid::WITHDRAW.pattern(), Aid, SignIn, Refused),
        post(aid::RESTORE.pattern(), Aid, SignIn, Refused),
        post(aid::VERIFY.pattern(), Aid, SignIn, Refused),
        // Territory pages and the guichet unique.
        post(promotion::EDITOR.pattern(), Organisation, SignIn, Refused),
        post(promotion::PUBLISH.pattern(), Organisation, SignIn, Refused),
        post(promotion::RESTORE.pattern(), Organisation, SignIn, Refused),
        upload(promotion::PHOTOS.pattern(), Organisation, SignIn, Refused),
        post(promotion::REMOVE_PHOTO.pattern(), Photo, SignIn, Refused),
        upload(promotion::TESTIMONIALS.pattern(), Organisation, SignIn, Refused),
        post(promotion::REMOVE_TESTIMONIAL.pattern(), Testimonial, SignIn, Refused),
        // Anyone signed in may write to a collectivité's guichet: the stranger's case is new.
        post(promotion::CONTACT.pattern(), Organisation, SignIn, Open),
        // A photo of a published page is public.
        get(promotion::PHOTO_FILE.pattern(), Photo, Open, Open),
        post(promotion::CASE_MESSAGE.pattern(), Case, SignIn, Refused),
        post(promotion::CASE_STATUS.pattern(), Case, SignIn, Refused),
        // Events: anyone signed in may register to a published event.
        post(event::ORGANISATION.pattern(), Organisation, SignIn, Refused),
        post(event::REGISTER.pattern(), Event, SignIn, Open),
        // The stranger registered on the line above: they may leave.
        post(event::UNREGISTER.pattern(), Event, SignIn, Open),
        post(event::CANCEL.pattern(), Event, SignIn, Refused),
        get(event::EVENTS_ICS, None, Open, Open),
        get(event::ICS.pattern(), Event, Open, Open),
        // Semesters and reviews, before the site is withdrawn below: the site confirms, the
        // intern reviews, the moderation decides, the site answers.
        post(review::SEMESTERS.pattern(), StageSite, SignIn, Refused),
        post(review::REVIEW.pattern(), StageSite, SignIn, Refused),
        post(review::MODERATE.pattern(), Review, SignIn, Refused),
        post(review::ANSWER.pattern(), Review, SignIn, Refused),
        // Stage sites.
        post(stage::ORGANISATION.pattern(), Structure, SignIn, Refused),
        post(stage::WITHDRAW.pattern(), StageSite, SignIn, Refused),
        // Housing for interns.
        post(housing::ORGANISATION.pattern(), Organisation, SignIn, Refused),
        post(housing::WITHDRAW.pattern(), Housing, SignIn, Refused),
        // Closing: for the moderation, only an organisation without owner (Claire's has one);
        // last, as closing takes everything above offline.
        post(organisation::TAKE_OVER.pattern(), Organisation, SignIn, Refused),
        post(organisation::MODERATOR_CLOSE.pattern(), Organisation, SignIn, Refused),
        post(organisation::CLOSE.pattern(), Organisation, SignIn, Refused),
    ]
}

/// Who calls (for messages), their address (None: anonymous), and what they get on a line.
type Caller = (&'static str, Option<&'static str>, fn(&Line) -> Expect);

/// What a plain member of the organisation gets: what the stranger gets on their own things
/// (their account), and the organisation's work, except what only owners, moderators or the
/// candidate may do.
fn member(line: &Line) -> Expect {
    use app::domain::{
        alerts::paths as alert, applications::paths as application, organisations::paths as organisation,
    };
    let not_theirs = [
        organisation::INVITE.pattern(),
        organisation::CANCEL_INVITATION.pattern(),
        organisation::REMOVE_MEMBER.pattern(),
        organisation::CHANGE_ROLE.pattern(),
        organisation::APPROVE.pattern(),
        organisation::REJECT.pattern(),
        organisation::REQUEUE_MAIL.pattern(),
        organisation::CLOSE.pattern(),
        organisation::TAKE_OVER.pattern(),
        organisation::MODERATOR_CLOSE.pattern(),
        // The moderation asks; the owners answer.
        organisation::ASK.pattern(),
        organisation::ANSWER.pattern(),
        app::domain::aids::paths::VERIFY.pattern(),
        // Putting a withdrawn aid back is the moderators' decision.
        app::domain::aids::paths::RESTORE.pattern(),
        application::WITHDRAW.pattern(),
        alert::DELETE.pattern(),
        alert::FREQUENCY.pattern(),
        // The maison de santé's, of which Marc is not a member.
        app::domain::stages::paths::ORGANISATION.pattern(),
        app::domain::stages::paths::WITHDRAW.pattern(),
        app::domain::reviews::paths::SEMESTERS.pattern(),
        app::domain::reviews::paths::ANSWER.pattern(),
        // An intern's with a confirmed semester, and the moderation's.
        app::domain::reviews::paths::REVIEW.pattern(),
        app::domain::reviews::paths::MODERATE.pattern(),
    ];
    if not_theirs.contains(&line.pattern) { Refused } else { Open }
}

/// What a moderator (a member of no organisation) gets: the moderation's routes, and what is
/// their own; nothing of an organisation's work.
fn moderator(line: &Line) -> Expect {
    use app::domain::organisations::paths as organisation;
    let moderation = [
        organisation::APPROVE.pattern(),
        organisation::REJECT.pattern(),
        organisation::REQUEUE_MAIL.pattern(),
        organisation::ASK.pattern(),
        app::domain::aids::paths::VERIFY.pattern(),
        // Moderators withdraw any aid (with a reason) and put it back.
        app::domain::aids::paths::WITHDRAW.pattern(),
        app::domain::aids::paths::RESTORE.pattern(),
        app::domain::reviews::paths::MODERATE.pattern(),
    ];
    match line.stranger {
        _ if moderation.contains(&line.pattern) => Open,
        stranger => stranger,
    }
}

/// Fields enough for any form to get past reading, so that only who asks stops it.
fn fields(member: i64) -> Vec<(String, String)> {
    let member = member.to_string();
    [
        ("message", "Bonjour, je reprends ce dossier."),
        ("email", "intrus@exemple.fr"),
        ("role", "owner"),
        ("membre", &member),
        ("invitation", "1"),
        ("statut", "refusee"),
        ("motif", "Refus par un inconnu"),
        ("type", "commune"),
        ("nom", "Mairie détournée"),
        ("code", "12202"),
        ("titre", "Offre détournée"),
        ("jeton", "0000"),
        // Not the stranger's password: their own account stays as it is, and the routes that
        // act on the caller's own account are refused for want of it.
        ("mot_de_passe", "pas le bon mot de passe"),
        ("mot_de_passe_actuel", "pas le bon mot de passe"),
        ("recherche", "type=stage"),
        ("frequence", "immediate"),
        ("objet", "Une demande"),
        ("presentation", "Texte détourné"),
        ("question", "Question d'un inconnu"),
        ("reponse", "Réponse d'un inconnu"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect()
}

/// `pattern` with its placeholders filled by `ids`, in order.
fn fill(pattern: &str, ids: &[i64]) -> String {
    let mut ids = ids.iter();
    pattern
        .split('/')
        .map(|segment| match segment.starts_with('{') {
            true => ids.next().map_or_else(|| "1".to_owned(), ToString::to_string),
            false => segment.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// What people's writes touch, summed up: a forbidden write that went through changes it.
async fn fingerprint(db: &server::db::Database) -> BTreeMap<String, i64> {
    let mut out = BTreeMap::new();
    for table in [
        "users",
        "people",
        "candidate_wishes",
        "saved_searches",
        "organisations",
        "memberships",
        "invitations",
        "moderation_log",
        "offers",
        "applications",
        "application_messages",
        "application_events",
        "aids",
        "territory_pages",
        "territory_revisions",
        "territory_testimonials",
        "territory_photos",
        "cases",
        "case_messages",
        "events",
        "event_registrations",
        "stage_sites",
        "intern_housing",
        "stage_semesters",
        "stage_reviews",
        "mail_outbox",
    ] {
        let sql = format!("SELECT CAST(COUNT(*) AS BIGINT) FROM {table}");
        out.insert(table.to_owned(), sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).fetch_one(&db.pool).await.unwrap());
    }
    for (what, sql) in [
        ("offers.updated", "SELECT CAST(COALESCE(SUM(updated_at), 0) AS BIGINT) FROM offers"),
        ("applications.updated", "SELECT CAST(COALESCE(SUM(updated_at), 0) AS BIGINT) FROM applications"),
        ("cases.updated", "SELECT CAST(COALESCE(SUM(updated_at), 0) AS BIGINT) FROM cases"),
        ("organisations.updated", "SELECT CAST(COALESCE(SUM(updated_at), 0) AS BIGINT) FROM organisations"),
        ("events.updated", "SELECT CAST(COALESCE(SUM(updated_at), 0) AS BIGINT) FROM events"),
        ("aids.updated", "SELECT CAST(COALESCE(SUM(updated_at), 0) AS BIGINT) FROM aids"),
        ("pages.updated", "SELECT CAST(COALESCE(SUM(updated_at), 0) AS BIGINT) FROM territory_pages"),
        ("stage_sites.updated", "SELECT CAST(COALESCE(SUM(updated_at), 0) AS BIGINT) FROM stage_sites"),
        ("intern_housing.updated", "SELECT CAST(COALESCE(SUM(updated_at), 0) AS BIGINT) FROM intern_housing"),
        (
            "stage_reviews.decided",
            "SELECT CAST(COALESCE(SUM(COALESCE(moderated_at, 0) + COALESCE(answered_at, 0)), 0) AS BIGINT) FROM stage_reviews",
        ),
        ("owners", "SELECT CAST(COUNT(*) AS BIGINT) FROM memberships WHERE role = 'owner'"),
        ("users.names", "SELECT CAST(COUNT(DISTINCT display_name) AS BIGINT) FROM users"),
    ] {
        out.insert(what.to_owned(), sqlx::query_scalar(sql).fetch_one(&db.pool).await.unwrap());
    }
    out
}

#[tokio::test]
async fn every_form_route_is_in_the_matrix_once() {
    let app = spawn_app().await;
    let declared: Vec<(Verb, &str)> = matrix().iter().map(|l| (l.verb, l.pattern)).collect();
    let mut unique = declared.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), declared.len(), "a route is in the matrix twice");
    let undecided: Vec<_> = app.forms.iter().filter(|r| !declared.contains(&(r.verb, r.pattern))).collect();
    assert!(undecided.is_empty(), "routes nobody decided who may call (add them to the matrix): {undecided:?}");
    let gone: Vec<_> =
        declared.iter().filter(|(v, p)| !app.forms.iter().any(|r| r.verb == *v && r.pattern == *p)).collect();
    assert!(gone.is_empty(), "the matrix names routes the server no longer has: {gone:?}");
}

/// Everything a route can name, in Claire's commune: Léa applied (with a CV), wrote to its
/// guichet and registered to its event; Marc and Nina are plain members, Paul is invited.
pub(crate) struct Scene {
    pub(crate) claire: i64,
    pub(crate) lea: i64,
    pub(crate) marc: i64,
    pub(crate) nina: i64,
    pub(crate) organisation: i64,
    pub(crate) draft: i64,
    /// A second draft, for the owner's withdrawal (the first one is filled by then).
    pub(crate) spare: i64,
    pub(crate) application: i64,
    /// The published revision, and a later one saved but not published.
    pub(crate) revision: i64,
    pub(crate) unpublished: i64,
    pub(crate) photo: i64,
    pub(crate) testimonial: i64,
    pub(crate) case: i64,
    pub(crate) event: i64,
    pub(crate) aid: i64,
    pub(crate) alert: i64,
    pub(crate) mail: i64,
    /// Paul's invitation, still pending.
    pub(crate) invitation: i64,
    /// Claire's maison de santé (Marc and Nina are not members), and its stage site.
    pub(crate) structure: i64,
    pub(crate) stage_site: i64,
    pub(crate) housing: i64,
    pub(crate) review: i64,
}

fn event_form(title: &str) -> EventForm {
    let year = crate::seeds::next_year();
    EventForm {
        kind: "journee_accueil".into(),
        titre: title.into(),
        description: "Une journée pour découvrir le territoire et ses maisons de santé.".into(),
        commune: "12089".into(),
        lieu: "Salle des fêtes".into(),
        debut: format!("{year}-04-10T09:00"),
        fin: format!("{year}-04-10T17:00"),
        places: "30".into(),
    }
}

fn aid_form(name: &str) -> app::domain::aids::LocalAidForm {
    app::domain::aids::LocalAidForm {
        nom: name.into(),
        categorie: "financiere".into(),
        montant: "4 000".into(),
        unite: "once".into(),
        montant_texte: "4 000 € versés à l'ouverture du cabinet".into(),
        resume: "La commune verse une prime au médecin qui ouvre un cabinet.".into(),
        conditions: "Ouvrir un cabinet dans la commune.".into(),
        profils: "installe_recent".into(),
        objets: "installation".into(),
        source: "https://www.decazeville.fr/deliberations".into(),
        ..Default::default()
    }
}

fn stage_form() -> app::domain::stages::StageSiteForm {
    app::domain::stages::StageSiteForm {
        nom: "Maison de santé de Decazeville".into(),
        commune: "12089".into(),
        specialite: "medecine_generale".into(),
        faculte: "toulouse".into(),
        niveaux: "niveau1".into(),
        places: "1".into(),
        maitres_de_stage: "Dr Jean Vidal".into(),
        activites: "visites".into(),
        description: "Une équipe de huit professionnels et une patientèle rurale.".into(),
    }
}

fn housing_form(title: &str) -> app::domain::housing::HousingForm {
    app::domain::housing::HousingForm {
        titre: title.into(),
        commune: "12089".into(),
        secteur: "Centre-ville, près de la maison de santé".into(),
        nature: "studio".into(),
        loyer: "0".into(),
        meuble: "oui".into(),
        du: format!("{}-05-01", crate::seeds::next_year()),
        au: String::new(),
        places: "1".into(),
        contact: "Mairie de Decazeville, 05 65 43 00 00".into(),
        details: String::new(),
    }
}

pub(crate) async fn scene(app: &TestApp, w: &World) -> Scene {
    let promotions = Promotions::new(app.db.clone(), crate::seeds::SITE.to_owned());
    let events = Events::new(app.db.clone(), crate::seeds::SITE.to_owned());
    let applications = Applications::new(app.db.clone(), crate::seeds::SITE.to_owned());
    let claire = w.confirmed_user("claire@decazeville.example", "Claire Mairie").await;
    let lea = w.confirmed_user("lea@exemple.fr", "Dr Léa Martin").await;
    let organisation = w.organisation(claire, "commune", "Mairie de Decazeville", "12089", true).await;
    let published = w.published(claire, organisation, &remplacement()).await;
    let draft = w.offers.create(claire, organisation, &remplacement()).await.unwrap();
    let spare = w.offers.create(claire, organisation, &remplacement()).await.unwrap();
    let cv = server::applications::Cv { name: "cv.pdf".into(), bytes: crate::applications::pdf() };
    let application = applications.apply(lea, published, "Bonjour, je suis disponible.", Some(cv)).await.unwrap();
    let content =
        PageContent { referent_id: Some(claire), presentation: "Bienvenue.".into(), ..PageContent::default() };
    let (revision, _) = promotions.save(claire, organisation, &content).await.unwrap();
    let photo = promotions.add_photo(claire, organisation, png(800, 500), "La place", "Mairie").await.unwrap();
    let quote = "J'ai trouvé ici une équipe, une maison de santé et une école pour mes enfants.";
    promotions.add_testimonial(claire, organisation, "Dr Jean Vidal", "Médecin", quote, true, None).await.unwrap();
    let testimonial: i64 =
        sqlx::query_scalar("SELECT MAX(id) FROM territory_testimonials").fetch_one(&app.db.pool).await.unwrap();
    promotions.publish(claire, organisation, revision).await.unwrap();
    let later = PageContent { presentation: "Bienvenue à Decazeville.".into(), ..content };
    let (unpublished, _) = promotions.save(claire, organisation, &later).await.unwrap();
    let case = promotions.contact(lea, organisation, "Installation", "Bonjour, je cherche un cabinet.").await.unwrap();
    let event = events.publish(claire, organisation, &event_form("Journée d'accueil")).await.unwrap();
    events.register(lea, event).await.unwrap();
    let aid = server::aids::Aids::new(app.db.clone())
        .publish(claire, organisation, &aid_form("Prime communale d'installation"))
        .await
        .unwrap();
    let alert = w.offers.alerts().create(lea, "offres", "type=remplacement", "immediate").await.unwrap().id;
    let mail: i64 = sqlx::query_scalar("SELECT MAX(id) FROM mail_outbox").fetch_one(&app.db.pool).await.unwrap();
    let mut members = Vec::new();
    for (email, name) in [("marc@exemple.fr", "Marc Secrétariat"), ("nina@exemple.fr", "Nina Accueil")] {
        w.organisations.invite(claire, organisation, email, "member").await.unwrap();
        let id = w.confirmed_user(email, name).await;
        let token = crate::personal_data::invitation_token(&app.db, email).await;
        w.organisations.accept_invitation(id, &token).await.unwrap();
        members.push(id);
    }
    w.organisations.invite(claire, organisation, "paul@exemple.fr", "member").await.unwrap();
    let invitation: i64 = sqlx::query_scalar("SELECT MAX(id) FROM invitations").fetch_one(&app.db.pool).await.unwrap();
    let structure = w.organisation(claire, "msp", "MSP de Decazeville", "", true).await;
    let stage_site =
        server::stages::Stages::new(app.db.clone()).declare(claire, structure, &stage_form()).await.unwrap();
    let housing = server::housing::Housing::new(app.db.clone())
        .publish(claire, organisation, &housing_form("Studio des internes"))
        .await
        .unwrap();
    // Léa did a semester at the maison de santé, which Claire confirmed; her review waits.
    let reviews = server::reviews::Reviews::new(app.db.clone());
    reviews.confirm(claire, stage_site, &semester_form("lea@exemple.fr")).await.unwrap();
    let semester: i64 =
        sqlx::query_scalar("SELECT MAX(id) FROM stage_semesters").fetch_one(&app.db.pool).await.unwrap();
    let review = reviews.submit(lea, stage_site, &review_form(semester)).await.unwrap();
    app.indexed().await;
    Scene {
        claire,
        lea,
        marc: members[0],
        nina: members[1],
        organisation,
        draft,
        spare,
        application,
        revision,
        unpublished,
        photo,
        testimonial,
        case,
        event,
        aid,
        alert,
        mail,
        invitation,
        structure,
        stage_site,
        housing,
        review,
    }
}

fn semester_form(email: &str) -> app::domain::reviews::SemesterForm {
    app::domain::reviews::SemesterForm {
        email: email.into(),
        semestre: "mai".into(),
        annee: (crate::seeds::next_year() - 1).to_string(),
        ..Default::default()
    }
}

fn review_form(semester: i64) -> app::domain::reviews::ReviewForm {
    app::domain::reviews::ReviewForm {
        semestre: semester.to_string(),
        encadrement: "4".into(),
        autonomie: "4".into(),
        diversite: "3".into(),
        ambiance: "5".into(),
        logement: "sans_objet".into(),
        charge: "3".into(),
        avis: "Un maître de stage disponible et une patientèle rurale variée.".into(),
    }
}

impl Scene {
    /// The ids that fill a line's placeholders.
    fn ids(&self, target: Target) -> Vec<i64> {
        match target {
            Target::None => vec![],
            Target::Organisation => vec![self.organisation],
            Target::DraftOffer => vec![self.draft],
            Target::Application => vec![self.application],
            Target::Aid => vec![self.aid],
            Target::Case => vec![self.case],
            Target::Event => vec![self.event],
            Target::Photo => vec![self.organisation, self.photo],
            Target::Testimonial => vec![self.organisation, self.testimonial],
            Target::Mail => vec![self.mail],
            Target::Alert => vec![self.alert],
            Target::Structure => vec![self.structure],
            Target::StageSite => vec![self.stage_site],
            Target::Housing => vec![self.housing],
            Target::Review => vec![self.review],
        }
    }

    /// The address a line is called at: the photo file's name is its id and size (a private
    /// one is served to nobody, a published one to all).
    fn path(&self, line: &Line) -> String {
        match line.target {
            Target::Photo if line.verb == Verb::Get => format!("/photos/{}.jpg", self.photo),
            target => fill(line.pattern, &self.ids(target)),
        }
    }
}

/// What an owner of the organisation gets on the lines that name something (what names
/// nothing is their own account, as for the stranger): the organisation's work, done, with
/// the fields its forms post (`owner_call`); refused what is the moderation's (which also
/// puts a withdrawn aid back) or the candidate's, and applying to their own draft.
fn owner(line: &Line) -> Option<Expect> {
    use app::domain::{
        aids::paths as aid, alerts::paths as alert, applications::paths as application,
        organisations::paths as organisation,
    };
    let not_theirs = [
        // Once verified, an organisation's identity is the moderation's to change: its owners
        // edit it while it waits or after a refusal.
        organisation::EDIT.pattern(),
        organisation::APPROVE.pattern(),
        organisation::REJECT.pattern(),
        organisation::REQUEUE_MAIL.pattern(),
        organisation::TAKE_OVER.pattern(),
        organisation::MODERATOR_CLOSE.pattern(),
        organisation::ASK.pattern(),
        // Claire's organisation is verified: the moderation asks nothing more, there is nothing
        // to answer (answering is tested in moderation.rs).
        organisation::ANSWER.pattern(),
        aid::VERIFY.pattern(),
        aid::RESTORE.pattern(),
        application::APPLY.pattern(),
        application::WITHDRAW.pattern(),
        alert::DELETE.pattern(),
        alert::FREQUENCY.pattern(),
        // The intern's and the moderation's.
        app::domain::reviews::paths::REVIEW.pattern(),
        app::domain::reviews::paths::MODERATE.pattern(),
        // The scene's review waits for the moderation, and the site has fewer than three:
        // nobody answers it yet (answering is tested in reviews.rs).
        app::domain::reviews::paths::ANSWER.pattern(),
    ];
    match line.target {
        Target::None => None,
        _ if not_theirs.contains(&line.pattern) => Some(Refused),
        _ => Some(Done),
    }
}

/// What the owner's own forms post on a line, besides the token: the address (some lines
/// need an object of their own, the first one having changed by then), the fields, and the
/// file, as (input, name, bytes).
type Call = (String, Vec<(String, String)>, Option<(&'static str, &'static str, Vec<u8>)>);

async fn owner_call(line: &Line, s: &Scene, db: &server::db::Database) -> Call {
    use app::domain::{
        aids::paths as aid, applications::paths as application, events::paths as event, housing::paths as housing,
        offers::paths as offer, organisations::paths as organisation, promotion::paths as promotion,
        stages::paths as stage,
    };
    fn encoded<T: serde::Serialize>(form: &T) -> Vec<(String, String)> {
        serde_urlencoded::from_str(&serde_urlencoded::to_string(form).unwrap()).unwrap()
    }
    let pairs = |list: &[(&str, String)]| list.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect();
    let pattern = line.pattern;
    let mut path = s.path(line);
    let mut file = None;
    let fields: Vec<(String, String)> = if pattern == organisation::INVITE.pattern() {
        pairs(&[("email", "ines@exemple.fr".into()), ("role", "member".into())])
    } else if pattern == organisation::CANCEL_INVITATION.pattern() {
        pairs(&[("invitation", s.invitation.to_string())])
    } else if pattern == organisation::REMOVE_MEMBER.pattern() {
        pairs(&[("membre", s.nina.to_string()), ("confirmation", "oui".into())])
    } else if pattern == organisation::CHANGE_ROLE.pattern() {
        pairs(&[("membre", s.marc.to_string()), ("role", "owner".into())])
    } else if pattern == offer::NEW.pattern() {
        encoded(&remplacement())
    } else if pattern == offer::EDIT.pattern() {
        encoded(&app::domain::offers::OfferForm { title: "Remplacement d'été".into(), ..remplacement() })
    } else if pattern == offer::WITHDRAW.pattern() {
        path = offer::WITHDRAW.of(s.spare);
        pairs(&[("confirmation", "oui".into())])
    } else if pattern == application::MESSAGE.pattern() {
        pairs(&[("message", "Bonjour, pouvons-nous nous appeler jeudi ?".into())])
    } else if pattern == application::STATUS.pattern() {
        pairs(&[("statut", "entretien".into())])
    } else if pattern == aid::ORGANISATION.pattern() {
        encoded(&aid_form("Logement offert la première année"))
    } else if pattern == aid::EDIT.pattern() {
        encoded(&aid_form("Prime communale d'installation (2027)"))
    } else if pattern == aid::WITHDRAW.pattern() {
        pairs(&[("motif", "La délibération a été abrogée.".into())])
    } else if pattern == promotion::EDITOR.pattern() {
        pairs(&[
            ("presentation", "Bienvenue à **Decazeville**.".into()),
            ("referent", s.claire.to_string()),
            ("rubrique-ecoles", "Trois écoles.".into()),
        ])
    } else if pattern == promotion::PUBLISH.pattern() {
        pairs(&[("version", s.unpublished.to_string())])
    } else if pattern == promotion::RESTORE.pattern() {
        pairs(&[("version", s.revision.to_string())])
    } else if pattern == promotion::PHOTOS.pattern() {
        file = Some(("photo", "place.png", png(800, 500)));
        pairs(&[("alt", "La halle un jour de marché".into()), ("credit", "Mairie".into())])
    } else if pattern == promotion::TESTIMONIALS.pattern() {
        file = Some(("photo", "", Vec::new()));
        pairs(&[
            ("nom", "Dr Anne Roux".into()),
            ("role", "Médecin généraliste".into()),
            ("temoignage", "Installée depuis deux ans, je ne regrette rien de ce choix.".into()),
            ("accord", "oui".into()),
        ])
    } else if pattern == promotion::CONTACT.pattern() || pattern == promotion::CASE_MESSAGE.pattern() {
        pairs(&[("objet", "Visite".into()), ("message", "Nous pouvons vous recevoir lundi.".into())])
    } else if pattern == promotion::PHOTO_FILE.pattern() {
        // The scene's photo is removed by then: the one the owner added, on the published page.
        let latest: i64 = sqlx::query_scalar("SELECT MAX(id) FROM territory_photos").fetch_one(&db.pool).await.unwrap();
        path = format!("/photos/{latest}.jpg");
        vec![]
    } else if pattern == promotion::CASE_STATUS.pattern() {
        pairs(&[("statut", "en_cours".into())])
    } else if pattern == event::ORGANISATION.pattern() {
        encoded(&event_form("Soirée des internes"))
    } else if pattern == stage::ORGANISATION.pattern() {
        encoded(&app::domain::stages::StageSiteForm { nom: "Cabinet annexe de Decazeville".into(), ..stage_form() })
    } else if pattern == app::domain::reviews::paths::SEMESTERS.pattern() {
        // Another intern's semester: Léa's is confirmed already.
        encoded(&semester_form("marc@exemple.fr"))
    } else if pattern == housing::ORGANISATION.pattern() {
        encoded(&housing_form("Chambre chez l'habitant"))
    } else if [
        event::CANCEL.pattern(),
        promotion::REMOVE_PHOTO.pattern(),
        promotion::REMOVE_TESTIMONIAL.pattern(),
        stage::WITHDRAW.pattern(),
        housing::WITHDRAW.pattern(),
    ]
    .contains(&pattern)
    {
        pairs(&[("confirmation", "oui".into())])
    } else if pattern == organisation::CLOSE.pattern() {
        pairs(&[
            ("message", "La commune confie l'accueil des médecins à l'intercommunalité.".into()),
            ("confirmation", "oui".into()),
        ])
    } else {
        vec![]
    };
    (path, fields, file)
}

/// How an answer reads against the matrix's words.
fn answered(answer: &Answer) -> Expect {
    match (answer.status, answer.location.as_str()) {
        (303, location) if location.contains("erreur=connexion-requise") => SignIn,
        (303, location) if location.contains("erreur=") => Refused,
        (404, _) => NotFound,
        (200 | 303, _) => Done,
        _ => Open,
    }
}

/// Signs `browser` in as `email` unless it already is (some answers sign the caller out, or in
/// as someone else: sign-out, sign-up), or makes it anonymous.
async fn as_caller<'a>(app: &'a TestApp, browser: Browser<'a>, email: Option<&str>) -> Browser<'a> {
    let Some(email) = email else { return Browser::new(app) };
    let mut browser = browser;
    if !browser.get("/compte").await.body.contains(email) {
        browser = Browser::new(app);
        let fields = [("email", email), ("mot_de_passe", PASSWORD)];
        assert_eq!(browser.submit("/connexion", "/connexion", &fields).await.status, 303, "{email}");
    }
    browser
}

/// A request with a valid form token (the caller's own, from a page with a form: the account's
/// when `signed_in`, else the sign-in page).
async fn request(
    app: &TestApp,
    browser: &mut Browser<'_>,
    signed_in: bool,
    line: &Line,
    path: &str,
    fields: Vec<(String, String)>,
    file: Option<(&str, &str, Vec<u8>)>,
) -> reqwest::RequestBuilder {
    let page = if signed_in { "/compte" } else { "/connexion" };
    let mut pairs = vec![("csrf".to_owned(), form_token(&browser.get(page).await.body))];
    pairs.extend(fields);
    let url = format!("{}{path}", app.address);
    match (line.verb, line.upload) {
        (Verb::Get, _) => app.client.get(&url),
        (Verb::Post, false) => app.client.post(&url).form(&pairs),
        (Verb::Post, true) => {
            let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            let (input, name, bytes) = file.unwrap_or(("cv", "cv.pdf", b"%PDF-1.4\n%%EOF\n".to_vec()));
            app.client
                .post(&url)
                .header("content-type", format!("multipart/form-data; boundary={BOUNDARY}"))
                .body(multipart_as(&pairs, input, Some((name, &bytes))))
        }
    }
}

#[tokio::test]
async fn anonymous_visitors_and_strangers_change_nothing_that_is_not_theirs() {
    let app = spawn_app().await;
    let w = World::of(&app).await;
    let s = scene(&app, &w).await;

    // The stranger: signed in, with a verified organisation of their own.
    Browser::new(&app).sign_up("zoe@exemple.fr", "Zoé Intruse").await;
    let zoe: i64 = sqlx::query_scalar("SELECT id FROM users WHERE email = 'zoe@exemple.fr'")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    w.organisation(zoe, "commune", "Mairie de Millau", "12145", true).await;

    let mut wrong = Vec::new();
    // First anonymous visitors and the stranger on every line; then the member, the moderator
    // and the owner on the lines they must be refused (what they may do changes the objects).
    let passes: Vec<Caller> = vec![
        ("anonyme", None, |line| line.anonymous),
        ("inconnu", Some("zoe@exemple.fr"), |line| line.stranger),
        ("membre", Some("marc@exemple.fr"), member),
        ("modérateur", Some(crate::seeds::MODERATOR), moderator),
        ("propriétaire", Some("claire@decazeville.example"), |line| owner(line).unwrap_or(Open)),
    ];
    for (who, email, expected) in passes {
        let mut browser = Browser::new(&app);
        for line in matrix() {
            let expect = expected(&line);
            // The owner's work is done in the last pass, with valid fields.
            if email.is_some() && who != "inconnu" && matches!(expect, Open | Done) {
                continue;
            }
            browser = as_caller(&app, browser, email).await;
            let path = s.path(&line);
            let before = fingerprint(&app.db).await;
            let request = request(&app, &mut browser, email.is_some(), &line, &path, fields(s.lea), None).await;
            let answer = browser.send(request).await;
            if answer.status >= 500 {
                wrong.push(format!("{:?} {path} as {who}: {}", line.verb, answer.status));
                continue;
            }
            let got = answered(&answer);
            let after = fingerprint(&app.db).await;
            if got != expect && expect != Open {
                wrong.push(format!(
                    "{:?} {path} as {who}: expected {expect:?}, got {got:?} ({} {})",
                    line.verb, answer.status, answer.location
                ));
            } else if expect != Open && before != after {
                let changed: Vec<_> = after.iter().filter(|(k, v)| before.get(*k) != Some(v)).collect();
                wrong.push(format!("{:?} {path} as {who}: refused, yet changed {changed:?}", line.verb));
            }
        }
    }

    // Last, the owner does the organisation's work, line by line, with the fields its forms
    // post: each is done (the objects change on the way, in the matrix's order).
    let mut claire = as_caller(&app, Browser::new(&app), Some("claire@decazeville.example")).await;
    for line in matrix().iter().filter(|line| owner(line) == Some(Done)) {
        claire = as_caller(&app, claire, Some("claire@decazeville.example")).await;
        let (path, fields, file) = owner_call(line, &s, &app.db).await;
        let request = request(&app, &mut claire, true, line, &path, fields, file).await;
        let answer = claire.send(request).await;
        if answered(&answer) != Done {
            wrong.push(format!("{:?} {path} as owner: not done ({} {})", line.verb, answer.status, answer.location));
        }
    }
    assert!(wrong.is_empty(), "{} answers differ from the matrix:\n{}", wrong.len(), wrong.join("\n"));
}

/// What a server function gives to whoever calls it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reads {
    /// Public data: pages, the board, the map, the catalogue of aids.
    Public,
    /// The caller's own, or a private object named by its id: nobody else's secrets.
    Private,
}

/// A server function's arguments, by name; an id the test makes is written by what it names.
type Arguments = Vec<(&'static str, &'static str)>;

/// One line per server function: its endpoint, the arguments to call it with (None: public
/// ones whose arguments are structures, called by the pages' own tests), and what it reads.
fn server_functions() -> Vec<(&'static str, Option<Arguments>, Reads)> {
    use Reads::*;
    let none = || Some(Vec::new());
    vec![
        ("page-territoire", Some(vec![("kind", "commune"), ("code", "12089")]), Public),
        ("guichets", none(), Public),
        ("page-territoire-edition", Some(vec![("organisation", "ORG")]), Private),
        ("dossiers", none(), Private),
        ("dossier", Some(vec![("id", "CASE")]), Private),
        ("evenements", Some(vec![("departement", "12")]), Public),
        ("evenements-commune", Some(vec![("code", "12089")]), Public),
        ("evenement", Some(vec![("id", "EVENT")]), Public),
        ("evenements-organisation", Some(vec![("organisation", "ORG")]), Private),
        ("mes-alertes", none(), Private),
        ("alerte-du-lien", Some(vec![("jeton", "0000")]), Private),
        ("offre", Some(vec![("segment", "DRAFT")]), Private),
        ("offre-formulaire", Some(vec![("organisation", "ORG"), ("offer", "DRAFT")]), Private),
        ("offres-organisation", Some(vec![("organisation", "ORG")]), Private),
        ("offres", None, Public),
        ("offres-commune", Some(vec![("code", "12089")]), Public),
        ("mon-profil", none(), Private),
        ("aides", Some(vec![("profile", ""), ("commune", "12089")]), Public),
        ("aides-commune", Some(vec![("code", "12089")]), Public),
        ("aides-organisation", Some(vec![("organisation", "ORG")]), Private),
        ("aide-formulaire", Some(vec![("aid", "AID")]), Private),
        ("aides-moderation", none(), Private),
        ("visiteur", none(), Private),
        ("carte-cadre", None, Public),
        ("carte-liste", None, Public),
        ("carte-texte", None, Public),
        ("carte-commune", Some(vec![("code", "12089")]), Public),
        ("mes-candidatures", none(), Private),
        ("candidature", Some(vec![("id", "APPLICATION")]), Private),
        ("candidatures-organisation", Some(vec![("organisation", "ORG")]), Private),
        ("postuler", Some(vec![("segment", "DRAFT")]), Private),
        ("api-reference", none(), Public),
        ("mes-organisations", none(), Private),
        ("organisation", Some(vec![("id", "ORG")]), Private),
        ("invitation", Some(vec![("token", "0000")]), Private),
        ("moderation", none(), Private),
        ("accueil", none(), Public),
        ("region", Some(vec![("code", "76"), ("slug", "occitanie")]), Public),
        ("departement", Some(vec![("code", "12"), ("slug", "aveyron")]), Public),
        ("epci", Some(vec![("siren", "241200567"), ("slug", "")]), Public),
        ("commune", Some(vec![("code", "12089"), ("slug", "decazeville")]), Public),
        ("bilan", Some(vec![("kind", "commune"), ("key", "12089")]), Public),
        ("recherche-communes", Some(vec![("query", "Decaz"), ("limit", "5")]), Public),
        ("ma-recherche", none(), Private),
        ("candidats-offre", Some(vec![("offer", "DRAFT")]), Private),
        ("terrain-de-stage", Some(vec![("id", "1")]), Public),
        ("internes", Some(vec![("faculte", ""), ("niveau", ""), ("specialite", "")]), Public),
        ("terrains-de-stage-commune", Some(vec![("code", "12089")]), Public),
        ("terrains-de-stage-recherche", Some(vec![("q", "Decazeville")]), Public),
        ("terrains-de-stage-organisation", Some(vec![("organisation", "ORG")]), Private),
        ("logement-interne", Some(vec![("id", "1")]), Public),
        ("logements-internes-proches", Some(vec![("code", "12089"), ("km", "20")]), Public),
        ("logements-internes-organisation", Some(vec![("organisation", "ORG")]), Private),
        ("avis-terrain", Some(vec![("site", "1")]), Public),
        ("avis-moderation", none(), Private),
    ]
}

#[tokio::test]
async fn server_functions_give_nobody_else_s_private_data() {
    let app = spawn_app().await;
    let w = World::of(&app).await;
    let applications = Applications::new(app.db.clone(), crate::seeds::SITE.to_owned());
    let promotions = Promotions::new(app.db.clone(), crate::seeds::SITE.to_owned());

    // Every server function of the build is in the list, once.
    let listed: Vec<&str> = server_functions().iter().map(|(endpoint, _, _)| *endpoint).collect();
    let registered: Vec<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.trim_start_matches("/_srv/").to_owned())
        .collect();
    let undecided: Vec<_> = registered.iter().filter(|p| !listed.contains(&p.as_str())).collect();
    assert!(undecided.is_empty(), "server functions nobody decided about (add them to the list): {undecided:?}");
    let gone: Vec<_> = listed.iter().filter(|p| !registered.iter().any(|r| r == *p)).collect();
    assert!(gone.is_empty(), "the list names server functions the build no longer has: {gone:?}");

    // Claire's private things, each with a word nobody else may read.
    let claire = w.confirmed_user("claire@decazeville.example", "Claire Mairie").await;
    let lea = w.confirmed_user("lea@exemple.fr", "Dr Léa Martin").await;
    let organisation = w.organisation(claire, "commune", "Mairie de Decazeville", "12089", true).await;
    let published = w.published(claire, organisation, &remplacement()).await;
    let draft = w
        .offers
        .create(
            claire,
            organisation,
            &app::domain::offers::OfferForm { title: "Brouillon confidentiel".into(), ..remplacement() },
        )
        .await
        .unwrap();
    let application = applications.apply(lea, published, "Lettre confidentielle de Léa", None).await.unwrap();
    let content =
        PageContent { referent_id: Some(claire), presentation: "Bienvenue.".into(), ..PageContent::default() };
    let (revision, _) = promotions.save(claire, organisation, &content).await.unwrap();
    promotions.publish(claire, organisation, revision).await.unwrap();
    let case =
        promotions.contact(lea, organisation, "Dossier confidentiel", "Message confidentiel au guichet").await.unwrap();
    let secrets = [
        "Brouillon confidentiel",
        "Lettre confidentielle",
        "Dossier confidentiel",
        "Message confidentiel",
        "lea@exemple.fr",
        "claire@decazeville.example",
    ];
    app.indexed().await;

    let mut stranger = Browser::new(&app);
    stranger.sign_up("zoe@exemple.fr", "Zoé Intruse").await;
    let ids = [
        ("ORG", organisation.to_string()),
        ("DRAFT", draft.to_string()),
        ("APPLICATION", application.to_string()),
        ("CASE", case.to_string()),
        ("EVENT", "1".to_owned()),
        ("AID", "1".to_owned()),
    ];
    let mut wrong = Vec::new();
    for (endpoint, args, reads) in server_functions() {
        let Some(args) = args else { continue };
        let args: Vec<(&str, String)> = args
            .into_iter()
            .map(|(name, value)| {
                (name, ids.iter().find(|(k, _)| *k == value).map_or(value.to_owned(), |(_, id)| id.clone()))
            })
            .collect();
        for who in ["anonyme", "inconnu"] {
            let mut anonymous = Browser::new(&app);
            let browser = if who == "anonyme" { &mut anonymous } else { &mut stranger };
            let request = app.client.post(format!("{}/_srv/{endpoint}", app.address)).form(&args);
            let answer = browser.send(request).await;
            if answer.status >= 500 {
                wrong.push(format!("{endpoint} as {who}: {} {}", answer.status, answer.body));
            }
            let leaked: Vec<_> = secrets.iter().filter(|s| answer.body.contains(*s)).collect();
            if reads == Reads::Private && !leaked.is_empty() {
                wrong.push(format!("{endpoint} as {who} reads {leaked:?}: {}", answer.body));
            }
        }
    }
    // The same calls, by Claire, do read her things: the arguments and the words are right.
    let mut owner = Browser::new(&app);
    let fields = [("email", "claire@decazeville.example"), ("mot_de_passe", PASSWORD)];
    assert_eq!(owner.submit("/connexion", "/connexion", &fields).await.status, 303);
    for (endpoint, args, secret) in [
        ("candidature", vec![("id", application.to_string())], "Lettre confidentielle"),
        (
            "offre-formulaire",
            vec![("organisation", organisation.to_string()), ("offer", draft.to_string())],
            "Brouillon confidentiel",
        ),
        ("dossier", vec![("id", case.to_string())], "Dossier confidentiel"),
        ("offres-organisation", vec![("organisation", organisation.to_string())], "Brouillon confidentiel"),
    ] {
        let answer = owner.send(app.client.post(format!("{}/_srv/{endpoint}", app.address)).form(&args)).await;
        if !answer.body.contains(secret) {
            wrong.push(format!("{endpoint} as its owner: « {secret} » missing from {}", answer.body));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// A draft offer is, to whoever may not see it, what an id never used is: the same answer from
/// its page's server function, the « Postuler » section's and the open API, anonymous or
/// signed in; its organisation's members alone read it.
#[tokio::test]
async fn a_draft_and_an_unknown_offer_give_the_same_answers_to_whoever_may_not_see_the_draft() {
    let app = spawn_app().await;
    let w = World::of(&app).await;
    let claire = w.confirmed_user("claire@decazeville.example", "Claire Mairie").await;
    let organisation = w.organisation(claire, "commune", "Mairie de Decazeville", "12089", true).await;
    w.published(claire, organisation, &remplacement()).await;
    let draft = w.offers.create(claire, organisation, &remplacement()).await.unwrap();
    let unknown = draft + 1000;
    let mut stranger = Browser::new(&app);
    stranger.sign_up("zoe@exemple.fr", "Zoé Intruse").await;
    let mut anonymous = Browser::new(&app);
    for (who, browser) in [("anonyme", &mut anonymous), ("inconnue", &mut stranger)] {
        for endpoint in ["postuler", "offre"] {
            let mut answer = async |id: i64| {
                let request = app.client.post(format!("{}/_srv/{endpoint}", app.address));
                let answer = browser.send(request.form(&[("segment", id.to_string())])).await;
                (answer.status, answer.body)
            };
            let (of_draft, of_unknown) = (answer(draft).await, answer(unknown).await);
            assert_eq!(of_draft, of_unknown, "{endpoint} as {who}");
            assert_eq!(of_draft, (200, "null".to_owned()), "{endpoint} as {who}");
        }
    }
    let api = async |id: i64| {
        let response = app.get(&format!("/api/v1/offres/{id}")).await;
        (response.status().as_u16(), response.text().await.unwrap().replace(&id.to_string(), "ID"))
    };
    assert_eq!(api(draft).await, api(unknown).await);
    assert_eq!(api(draft).await.0, 404);

    // Its members see it, and that nobody can apply to it yet.
    let mut owner = Browser::new(&app);
    let fields = [("email", "claire@decazeville.example"), ("mot_de_passe", PASSWORD)];
    assert_eq!(owner.submit("/connexion", "/connexion", &fields).await.status, 303);
    let request = app.client.post(format!("{}/_srv/postuler", app.address)).form(&[("segment", draft.to_string())]);
    let section = owner.send(request).await.body;
    assert!(section.contains(&format!("\"offer_id\":{draft}")) && section.contains("\"Closed\""), "{section}");
}

/// Every private page, opened by an anonymous visitor, answers 401 with the invitation to sign
/// in that comes back to it; a signed-in outsider gets 403 or 404 (`the_route_matrix…`).
#[tokio::test]
async fn anonymous_visitors_of_private_pages_get_401_and_the_way_to_sign_in() {
    use app::domain::{
        accounts::paths as accounts, aids::paths as aids, alerts::paths as alerts, applications::paths as applications,
        events::paths as events, housing::paths as housing, offers::paths as offers,
        organisations::paths as organisations, promotion::paths as promotion, reviews::paths as reviews,
        stages::paths as stages,
    };
    let app = spawn_app().await;
    let w = World::of(&app).await;
    let claire = w.confirmed_user("claire@decazeville.example", "Claire Mairie").await;
    let lea = w.confirmed_user("lea@exemple.fr", "Dr Léa Martin").await;
    let organisation = w.organisation(claire, "commune", "Mairie de Decazeville", "12089", true).await;
    let offer = w.published(claire, organisation, &remplacement()).await;
    let application = Applications::new(app.db.clone(), crate::seeds::SITE.to_owned())
        .apply(lea, offer, "Bonjour", None)
        .await
        .unwrap();
    let (org, offer, application) = (organisation.to_string(), offer.to_string(), application.to_string());
    let pages = [
        accounts::ACCOUNT.to_owned(),
        accounts::PROFILE.to_owned(),
        accounts::WISHES.to_owned(),
        alerts::MINE.to_owned(),
        applications::MINE.to_owned(),
        applications::APPLICATION.of(&application),
        applications::RECEIVED.of(&org),
        organisations::LIST.to_owned(),
        organisations::NEW.to_owned(),
        organisations::ORGANISATION.of(&org),
        organisations::MODERATION.to_owned(),
        offers::NEW.of(&org),
        offers::EDIT.of(&offer),
        offers::CANDIDATES.of(&offer),
        aids::MODERATION.to_owned(),
        aids::ORGANISATION.of(&org),
        events::ORGANISATION.of(&org),
        stages::ORGANISATION.of(&org),
        housing::ORGANISATION.of(&org),
        reviews::MODERATION.to_owned(),
        promotion::EDITOR.of(&org),
        promotion::PREVIEW.of(&org),
        promotion::CASES.to_owned(),
    ];
    let mut wrong = Vec::new();
    for page in &pages {
        let (status, html) = app.page(page).await;
        let back = format!("/connexion?suite={page}");
        if status != 401 || !says(&html, "Connectez-vous pour") || !html.contains(&back) {
            wrong.push(format!("{page}: {status}, sign-in link {}", html.contains(&back)));
        }
    }
    assert!(wrong.is_empty(), "{} private pages answer otherwise:\n{}", wrong.len(), wrong.join("\n"));
}

/// No personal value in an address (issue 28): every form, posted by its owner with values a
/// person could have typed that it refuses (each marked, so that any trace is found), and by
/// the same person with a stale form token, sends the browser back without them in the
/// address; the flash layer keeps them for that browser's next page.
#[tokio::test]
async fn refused_forms_send_nothing_typed_into_the_address() {
    let app = spawn_app().await;
    let w = World::of(&app).await;
    let s = scene(&app, &w).await;
    const MARK: &str = "Valeur-Perso-7731";
    // Every field the forms read, each value marked and so refused where a format is checked
    // (addresses, codes, numbers, dates); the hidden ids stay as the pages put them.
    let marked: Vec<(String, String)> = fields(s.lea)
        .into_iter()
        .chain(
            [
                ("rpps", "10000000008"),
                ("statut", "installe"),
                ("commune", "Decazeville"),
                ("debut", "demain"),
                ("specialite", "Médecine générale"),
                ("objet", "Visite"),
                ("temoignage", "Installée depuis deux ans"),
            ]
            .map(|(k, v)| (k.to_owned(), v.to_owned())),
        )
        .map(|(key, value)| match key.as_str() {
            // The pages' own: hidden ids, the mailed link's token (in the address the person
            // opened), and an alert's search (the board's filters, which a GET form shows in
            // the address by design).
            "membre" | "invitation" | "csrf" | "jeton" | "recherche" => (key, value),
            _ => (key, format!("{MARK} {value}")),
        })
        .collect();
    let mut wrong = Vec::new();
    let mut claire = as_caller(&app, Browser::new(&app), Some("claire@decazeville.example")).await;
    for line in matrix().iter().filter(|line| line.verb == Verb::Post) {
        for stale in [false, true] {
            claire = as_caller(&app, claire, Some("claire@decazeville.example")).await;
            let path = s.path(line);
            let mut request = request(&app, &mut claire, true, line, &path, marked.clone(), None).await;
            if stale {
                // The same fields under a token that is not the session's.
                let pairs: Vec<(String, String)> =
                    std::iter::once(("csrf".to_owned(), "0".repeat(64))).chain(marked.iter().cloned()).collect();
                request = app.client.post(format!("{}{path}", app.address)).form(&pairs);
            }
            let answer = claire.send(request).await;
            if answer.status >= 500 {
                wrong.push(format!("{path}: {}", answer.status));
            }
            if answer.location.contains(MARK) || answer.location.contains("10000000008") {
                wrong.push(format!("{path}{}: {}", if stale { " (stale token)" } else { "" }, answer.location));
            }
        }
    }
    assert!(wrong.is_empty(), "{} refusals put what was typed in the address:\n{}", wrong.len(), wrong.join("\n"));
    // Some did keep what was typed, for the page (the checks above were not vacuous).
    let kept: i64 = sqlx::query_scalar("SELECT CAST(COUNT(*) AS BIGINT) FROM form_flashes WHERE typed LIKE $1")
        .bind(format!("%{MARK}%"))
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert!(kept > 10, "{kept}");
}
