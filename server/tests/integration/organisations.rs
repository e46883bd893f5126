//! Organisations, memberships, invitations and moderation: the service against a real database
//! with the imported reference data, then the pages and forms over HTTP as a browser without
//! JavaScript uses them (SQLite, or PostgreSQL with TEST_DATABASE=postgres).

use crate::browser::*;
use crate::helpers::*;
use crate::seeds::World;
use server::accounts::Accounts;
use server::db::Database;
use server::organisations::{INVITATION_MAX, OrganisationError, Organisations, Removal};
use sqlx::Row;
use std::time::Duration;

const SITE: &str = "https://medecins-territoires.example";
const PASSWORD: &str = "une longue phrase";

struct Fixture {
    organisations: Organisations,
    accounts: Accounts,
    db: Database,
    _db: TestDb,
}

async fn fixture() -> Fixture {
    let test_db = imported_db().await;
    let db = Database::connect(&test_db.url).await.unwrap();
    Fixture {
        organisations: Organisations::new(db.clone(), SITE.to_owned()),
        accounts: Accounts::new(db.clone(), SITE.to_owned()),
        db,
        _db: test_db,
    }
}

impl Fixture {
    /// A new account with a confirmed address.
    async fn user(&self, email: &str, name: &str) -> i64 {
        let id = self.accounts.sign_up(email, name, PASSWORD).await.unwrap();
        sqlx::query("UPDATE users SET email_verified_at = 1 WHERE id = $1")
            .bind(id)
            .execute(&self.db.pool)
            .await
            .unwrap();
        id
    }

    async fn moderator(&self, email: &str, name: &str) -> i64 {
        let id = self.user(email, name).await;
        assert_eq!(self.organisations.set_moderator(email, true).await.unwrap(), name);
        id
    }

    async fn count(&self, sql: &str) -> i64 {
        sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_owned())).fetch_one(&self.db.pool).await.unwrap()
    }

    async fn status(&self, organisation: i64) -> (String, Option<String>) {
        let r = sqlx::query("SELECT status, rejection_reason FROM organisations WHERE id = $1")
            .bind(organisation)
            .fetch_one(&self.db.pool)
            .await
            .unwrap();
        (r.get(0), r.get(1))
    }

    /// The mails queued for `to`, oldest first, as (template, subject, text body).
    async fn mails_to(&self, to: &str) -> Vec<(String, String, String)> {
        sqlx::query("SELECT template, subject, body_text FROM mail_outbox WHERE recipient = $1 ORDER BY id")
            .bind(to.to_owned())
            .fetch_all(&self.db.pool)
            .await
            .unwrap()
            .iter()
            .map(|r| (r.get(0), r.get(1), r.get(2)))
            .collect()
    }

    /// The invitation token of the last invitation mail to `to`.
    async fn invitation_token(&self, to: &str) -> String {
        let mails = self.mails_to(to).await;
        let (template, _, text) = mails.last().unwrap_or_else(|| panic!("no mail to {to}"));
        assert_eq!(template, "invitation");
        token_in(text)
    }
}

fn token_in(text: &str) -> String {
    let start = format!("{SITE}/organisations/invitation?jeton=");
    let at = text.find(&start).unwrap_or_else(|| panic!("no invitation link in {text}")) + start.len();
    text[at..].chars().take_while(char::is_ascii_hexdigit).collect()
}

#[tokio::test]
async fn organisations_are_created_pending_with_codes_checked_against_the_reference_data() {
    let f = fixture().await;
    let claire = f.user("claire@exemple.fr", "Claire Martin").await;
    let orgs = &f.organisations;

    for (kind, name, code, expected) in [
        ("commune", "Mairie de Rodez", "", "indiquez le code INSEE de la commune"),
        ("commune", "Mairie de Rodez", "1220", "n'est pas valide"),
        ("commune", "Mairie de Rodez", "75056", "aucune commune du portail"),
        (
            "commune",
            "Mairie de Rodez",
            "12000",
            "« 12000 » est un code postal ; le code INSEE est différent : Rodez (12202)",
        ),
        ("epci", "CC Millau", "123456789", "aucune intercommunalité du portail"),
        ("epci", "CC Millau", "24120056", "SIREN"),
        ("departement", "Département du Nord", "59", "ne couvre pas le département"),
        ("departement", "Département", "123", "n'est pas valide"),
        ("hopital", "CH de Rodez", "120000049", "clé de contrôle"),
        ("msp", "MSP de Rodez", "120000039", "CH DE RODEZ HOPITAL JACQUES PUEL"),
        ("ars", "ARS Occitanie", "12", "laissez le champ vide"),
        ("mairie", "Mairie de Rodez", "12202", "choisissez le type"),
        ("", "Mairie de Rodez", "12202", "choisissez le type"),
        ("commune", " R ", "12202", "entre 2 et 120 caractères"),
        ("cabinet", "Cabinet du Dr Martin", "", "code INSEE"),
    ] {
        let error = orgs.create(claire, kind, name, code).await.unwrap_err();
        assert!(error.to_string().contains(expected), "{kind} {name} {code}: {error}");
    }
    assert_eq!(f.count("SELECT CAST(COUNT(*) AS BIGINT) FROM organisations").await, 0, "errors change nothing");

    let rodez = orgs.create(claire, "commune", "  Mairie   de Rodez ", " 12202 ").await.unwrap();
    let millau = orgs.create(claire, "epci", "CC de Millau Grands Causses", "241 200 567").await.unwrap();
    let ariege = orgs.create(claire, "departement", "Conseil départemental de l'Ariège", "9").await.unwrap();
    let ch = orgs.create(claire, "hopital", "CH de Rodez", "120000039").await.unwrap();
    // A FINESS number outside the imported file is taken on its shape and check digit.
    let elsewhere = orgs.create(claire, "msp", "MSP de Lille Sud", "590000014").await.unwrap();
    let group = orgs.create(claire, "cabinet_groupe", "Cabinet des Tilleuls", "").await.unwrap();
    let practice = orgs.create(claire, "cabinet", "Cabinet du Dr Martin", "2a004").await;
    assert!(matches!(practice, Err(OrganisationError::UnknownCommune(_))), "Ajaccio is not in Occitanie: {practice:?}");
    let practice = orgs.create(claire, "cabinet", "Cabinet du Dr Martin", "12145").await.unwrap();
    let ars = orgs.create(claire, "ars", "ARS Occitanie", "").await.unwrap();

    let mine = orgs.mine(claire).await.unwrap();
    assert_eq!(mine.len(), 8);
    assert!(mine.iter().all(|o| o.status.code() == "en_attente" && o.role.code() == "owner"));

    let detail = orgs.detail(claire, rodez).await.unwrap().unwrap();
    assert_eq!(detail.name, "Mairie de Rodez");
    let reference = detail.reference.unwrap();
    assert_eq!((reference.code.as_str(), reference.name.as_deref()), ("12202", Some("Rodez")));
    assert_eq!(reference.path.as_deref(), Some("/communes/12202-rodez"));
    assert_eq!(detail.members.len(), 1);
    assert!(detail.members[0].is_me && detail.members[0].email.as_deref() == Some("claire@exemple.fr"));

    let reference = |id| async move { orgs.detail(claire, id).await.unwrap().unwrap().reference };
    assert_eq!(reference(millau).await.unwrap().path.as_deref(), Some("/epci/241200567-cc-de-millau-grands-causses"));
    assert_eq!(reference(ariege).await.unwrap().code, "09");
    assert_eq!(reference(ch).await.unwrap().name.as_deref(), Some("CH DE RODEZ HOPITAL JACQUES PUEL (Rodez)"));
    assert_eq!(reference(elsewhere).await.unwrap().name, None, "absent from the imported FINESS file");
    assert_eq!(reference(group).await, None);
    assert_eq!(reference(practice).await.unwrap().code, "12145");
    assert_eq!(reference(ars).await, None);
}

#[tokio::test]
async fn moderators_approve_or_refuse_with_a_reason_and_every_action_is_logged() {
    let f = fixture().await;
    let claire = f.user("claire@exemple.fr", "Claire Martin").await;
    let paul = f.user("paul@exemple.fr", "Paul").await;
    let mod_ = f.moderator("moderation@ars.example", "Modération ARS").await;
    let orgs = &f.organisations;
    let rodez = orgs.create(claire, "commune", "Mairie de Rodez", "12202").await.unwrap();
    let fake = orgs.create(paul, "commune", "Mairie de Rodez (bis)", "12202").await.unwrap();

    // Refused on the server to anybody who is not a moderator, the owner included.
    for user in [claire, paul] {
        assert!(matches!(orgs.approve(user, rodez).await, Err(OrganisationError::ModeratorsOnly)));
        assert!(matches!(orgs.reject(user, rodez, "non").await, Err(OrganisationError::ModeratorsOnly)));
        assert!(matches!(orgs.approve(user, 999_999).await, Err(OrganisationError::ModeratorsOnly)), "no probing");
        assert!(orgs.moderation(user).await.unwrap().is_none());
    }
    assert_eq!(f.status(rodez).await.0, "en_attente");

    let page = orgs.moderation(mod_).await.unwrap().unwrap();
    assert_eq!(page.queue.iter().map(|q| q.id).collect::<Vec<_>>(), [rodez, fake]);
    assert_eq!(page.queue[0].creator_email.as_deref(), Some("claire@exemple.fr"));
    let same: Vec<_> = page.queue[1].same_code.iter().map(|o| (o.id, o.name.as_str(), o.status.code())).collect();
    assert_eq!(same, [(rodez, "Mairie de Rodez", "en_attente")], "possible duplicate");
    assert!(page.log.is_empty());
    // A moderator sees the organisation and its members, without being one.
    assert_eq!(orgs.detail(mod_, rodez).await.unwrap().unwrap().members.len(), 1);

    orgs.approve(mod_, rodez).await.unwrap();
    let (status, reason) = f.status(rodez).await;
    assert_eq!((status.as_str(), reason), ("verifiee", None));
    assert!(orgs.detail(claire, rodez).await.unwrap().unwrap().verified_at.is_some());
    let mails = f.mails_to("claire@exemple.fr").await;
    let (template, subject, text) = mails.last().unwrap();
    assert_eq!(template, "organisation-verifiee");
    assert_eq!(subject, "Votre organisation Mairie de Rodez est vérifiée");
    assert!(text.contains("Bonjour Claire Martin") && text.contains(&format!("{SITE}/organisations/{rodez}")));
    assert!(matches!(orgs.approve(mod_, rodez).await, Err(OrganisationError::AlreadyDecided)));
    assert!(matches!(orgs.approve(mod_, 999_999).await, Err(OrganisationError::NotFound)));

    for (bad, error) in
        [("", "indiquez le motif"), ("  \n ", "indiquez le motif"), (&"x".repeat(1001), "1000 caractères")]
    {
        assert!(orgs.reject(mod_, fake, bad).await.unwrap_err().to_string().contains(error));
    }
    assert_eq!(f.status(fake).await.0, "en_attente");
    orgs.reject(mod_, fake, "La mairie de Rodez est déjà inscrite.\nContactez-la.").await.unwrap();
    let (status, reason) = f.status(fake).await;
    assert_eq!(
        (status.as_str(), reason.as_deref()),
        ("refusee", Some("La mairie de Rodez est déjà inscrite.\nContactez-la."))
    );
    let (template, _, text) = f.mails_to("paul@exemple.fr").await.pop().unwrap();
    assert_eq!(template, "organisation-refusee");
    assert!(text.contains("La mairie de Rodez est déjà inscrite."));

    // The owner corrects and submits again: back in the queue, and in the log.
    assert!(matches!(orgs.update(claire, fake, "commune", "X", "12202").await, Err(OrganisationError::NotFound)));
    orgs.update(paul, fake, "cabinet", "Cabinet du Dr Paul", "12202").await.unwrap();
    assert_eq!(f.status(fake).await, ("en_attente".to_owned(), None));
    assert!(matches!(
        orgs.update(claire, rodez, "commune", "Ville de Rodez", "12202").await,
        Err(OrganisationError::NotEditable)
    ));

    let log = orgs.moderation(mod_).await.unwrap().unwrap().log;
    let actions: Vec<_> = log.iter().map(|l| (l.action.code(), l.organisation_id, l.actor_email.as_deref())).collect();
    assert_eq!(
        actions,
        [
            ("resubmit", fake, Some("paul@exemple.fr")),
            ("reject", fake, Some("moderation@ars.example")),
            ("approve", rodez, Some("moderation@ars.example")),
        ]
    );
    assert_eq!(log[1].reason.as_deref(), Some("La mairie de Rodez est déjà inscrite.\nContactez-la."));

    // The log is append-only, whoever asks (anonymisation aside: see below).
    assert!(sqlx::query("UPDATE moderation_log SET reason = 'effacé'").execute(&f.db.pool).await.is_err());
    assert!(sqlx::query("DELETE FROM moderation_log").execute(&f.db.pool).await.is_err());
    assert_eq!(f.count("SELECT CAST(COUNT(*) AS BIGINT) FROM moderation_log").await, 3);

    // Moderators are appointed and removed by the operator only.
    assert!(matches!(orgs.set_moderator("inconnu@exemple.fr", true).await, Err(OrganisationError::NoSuchAccount(_))));
    orgs.set_moderator("MODERATION@ars.example", false).await.unwrap();
    assert!(matches!(orgs.approve(mod_, fake).await, Err(OrganisationError::ModeratorsOnly)));
}

/// An invitation lives while its sender is an owner: stepping down, leaving or deleting the
/// account ends the links the sender mailed, which leave the owners' list of pending ones.
#[tokio::test]
async fn an_invitation_dies_when_its_sender_is_no_longer_an_owner() {
    use app::domain::organisations::InvitationState;
    let f = fixture().await;
    let claire = f.user("claire@exemple.fr", "Claire Martin").await;
    let paul = f.user("paul@exemple.fr", "Paul").await;
    let orgs = &f.organisations;
    let msp = orgs.create(claire, "msp", "MSP du Lévézou", "").await.unwrap();
    orgs.invite(claire, msp, "paul@exemple.fr", "owner").await.unwrap();
    let (_, _, text) = f.mails_to("paul@exemple.fr").await.pop().unwrap();
    assert!(text.contains("Ce lien est valable jusqu'au ") && text.contains("tant que Claire Martin reste"), "{text}");
    orgs.accept_invitation(paul, &f.invitation_token("paul@exemple.fr").await).await.unwrap();

    // Paul invites three people, then steps down to a plain member: his links die.
    orgs.invite(paul, msp, "ines@exemple.fr", "owner").await.unwrap();
    let to_ines = f.invitation_token("ines@exemple.fr").await;
    orgs.invite(claire, msp, "marc@exemple.fr", "member").await.unwrap();
    let to_marc = f.invitation_token("marc@exemple.fr").await;
    assert_eq!(orgs.detail(claire, msp).await.unwrap().unwrap().invitations.len(), 2);
    orgs.change_role(claire, msp, paul, "member").await.unwrap();
    let ines = f.user("ines@exemple.fr", "Inès").await;
    assert!(matches!(orgs.accept_invitation(ines, &to_ines).await, Err(OrganisationError::BadInvitation)));
    assert_eq!(orgs.invitation(&to_ines).await.unwrap().unwrap().state, InvitationState::Closed);
    assert!(orgs.detail(ines, msp).await.unwrap().is_none(), "Inès did not join");
    let pending = orgs.detail(claire, msp).await.unwrap().unwrap().invitations;
    assert_eq!(pending.iter().map(|i| i.email.as_str()).collect::<Vec<_>>(), ["marc@exemple.fr"], "Claire's lives");
    // An owner again, Paul leaves: the link he sent meanwhile dies too.
    orgs.change_role(claire, msp, paul, "owner").await.unwrap();
    orgs.invite(paul, msp, "ines@exemple.fr", "member").await.unwrap();
    let again = f.invitation_token("ines@exemple.fr").await;
    orgs.remove_member(paul, msp, paul).await.unwrap();
    assert!(matches!(orgs.accept_invitation(ines, &again).await, Err(OrganisationError::BadInvitation)));
    // Claire's invitation is still good.
    let marc = f.user("marc@exemple.fr", "Marc").await;
    assert_eq!(orgs.accept_invitation(marc, &to_marc).await.unwrap(), msp);

    // Marc, made an owner, invites, then deletes his account.
    orgs.change_role(claire, msp, marc, "owner").await.unwrap();
    orgs.invite(marc, msp, "zoe@exemple.fr", "owner").await.unwrap();
    let to_zoe = f.invitation_token("zoe@exemple.fr").await;
    f.accounts.delete_account(marc, PASSWORD).await.unwrap();
    let zoe = f.user("zoe@exemple.fr", "Zoé").await;
    assert!(matches!(orgs.accept_invitation(zoe, &to_zoe).await, Err(OrganisationError::BadInvitation)));
    assert!(orgs.detail(zoe, msp).await.unwrap().is_none());
    assert!(orgs.detail(claire, msp).await.unwrap().unwrap().invitations.is_empty());
}

#[tokio::test]
async fn invitations_are_mailed_and_accepted_by_the_invited_address_only() {
    let f = fixture().await;
    let claire = f.user("claire@exemple.fr", "Claire Martin").await;
    let paul = f.user("paul@exemple.fr", "Paul").await;
    let orgs = &f.organisations;
    let msp = orgs.create(claire, "msp", "MSP du Lévézou", "").await.unwrap();

    for (email, role, expected) in [
        ("", "member", "saisissez votre adresse"),
        ("pas-une-adresse", "member", "n'est pas valide"),
        ("ines@exemple.fr", "admin", "choisissez le rôle"),
        ("Claire@Exemple.fr", "member", "déjà membre"),
    ] {
        let error = orgs.invite(claire, msp, email, role).await.unwrap_err();
        assert!(error.to_string().contains(expected), "{email} {role}: {error}");
    }
    assert_eq!(f.count("SELECT CAST(COUNT(*) AS BIGINT) FROM invitations").await, 0);

    orgs.invite(claire, msp, "Ines@Exemple.fr", "member").await.unwrap();
    let (template, subject, text) = f.mails_to("Ines@exemple.fr").await.pop().unwrap();
    assert_eq!(template, "invitation");
    assert_eq!(subject, "Claire Martin vous invite à rejoindre MSP du Lévézou");
    let token = token_in(&text);
    assert_eq!(token.len(), 64);
    let stored: String = sqlx::query_scalar("SELECT token_hash FROM invitations").fetch_one(&f.db.pool).await.unwrap();
    assert_ne!(stored, token, "stored as a digest");

    let view = orgs.invitation(&token).await.unwrap().unwrap();
    assert_eq!((view.organisation.as_str(), view.inviter.as_deref()), ("MSP du Lévézou", Some("Claire Martin")));
    assert!(orgs.invitation("0000").await.unwrap().is_none());

    // Somebody else signed in: refused, and the invitation stays open for the right person.
    let error = orgs.accept_invitation(paul, &token).await.unwrap_err();
    assert!(matches!(&error, OrganisationError::WrongInvitee { invited } if invited == "Ines@exemple.fr"), "{error:?}");
    assert!(error.to_string().contains("adressée à Ines@exemple.fr"));
    assert!(orgs.detail(paul, msp).await.unwrap().is_none());

    // The invited address, spelled in another case, with an unconfirmed account.
    let ines = f.accounts.sign_up("ines@EXEMPLE.fr", "Inès", PASSWORD).await.unwrap();
    assert_eq!(orgs.accept_invitation(ines, &token).await.unwrap(), msp);
    let detail = orgs.detail(ines, msp).await.unwrap().unwrap();
    assert_eq!(detail.my_role.map(|r| r.code()), Some("member"));
    assert!(detail.members.iter().all(|m| m.email.is_none()), "members do not see addresses");
    assert!(detail.invitations.is_empty());
    let verified: Option<i64> = sqlx::query_scalar("SELECT email_verified_at FROM users WHERE id = $1")
        .bind(ines)
        .fetch_one(&f.db.pool)
        .await
        .unwrap();
    assert!(verified.is_some(), "the link proved the address");
    assert!(matches!(orgs.accept_invitation(ines, &token).await, Err(OrganisationError::BadInvitation)), "used once");

    // A member may not invite; an owner without a confirmed address may not either.
    assert!(matches!(orgs.invite(ines, msp, "marc@exemple.fr", "member").await, Err(OrganisationError::OwnersOnly)));
    orgs.change_role(claire, msp, ines, "owner").await.unwrap();
    // Now an owner, with the address the invitation proved.
    orgs.invite(ines, msp, "marc@exemple.fr", "member").await.unwrap();

    // An expired invitation, a replaced one, a withdrawn one.
    orgs.invite(claire, msp, "marc@exemple.fr", "owner").await.unwrap();
    let expired = f.invitation_token("marc@exemple.fr").await;
    sqlx::query("UPDATE invitations SET expires_at = 1 WHERE email_key = 'marc@exemple.fr'")
        .execute(&f.db.pool)
        .await
        .unwrap();
    let marc = f.user("marc@exemple.fr", "Marc").await;
    assert!(matches!(orgs.accept_invitation(marc, &expired).await, Err(OrganisationError::BadInvitation)));
    assert_eq!(
        orgs.invitation(&expired).await.unwrap().unwrap().state,
        app::domain::organisations::InvitationState::Closed
    );
    orgs.invite(claire, msp, "marc@exemple.fr", "owner").await.unwrap();
    let first = f.invitation_token("marc@exemple.fr").await;
    orgs.invite(claire, msp, "marc@exemple.fr", "owner").await.unwrap();
    let second = f.invitation_token("marc@exemple.fr").await;
    assert!(matches!(orgs.accept_invitation(marc, &first).await, Err(OrganisationError::BadInvitation)), "replaced");
    let open = orgs.detail(claire, msp).await.unwrap().unwrap().invitations;
    assert_eq!(open.len(), 1);
    orgs.cancel_invitation(claire, msp, open[0].id).await.unwrap();
    assert!(matches!(orgs.accept_invitation(marc, &second).await, Err(OrganisationError::BadInvitation)), "withdrawn");
    assert!(orgs.detail(marc, msp).await.unwrap().is_none());
}

#[tokio::test]
async fn an_unconfirmed_owner_cannot_invite_and_invitations_are_limited_per_day() {
    let f = fixture().await;
    let claire = f.accounts.sign_up("claire@exemple.fr", "Claire", PASSWORD).await.unwrap();
    let orgs = &f.organisations;
    let msp = orgs.create(claire, "msp", "MSP du Lévézou", "").await.unwrap();
    assert!(matches!(
        orgs.invite(claire, msp, "a@exemple.fr", "member").await,
        Err(OrganisationError::UnverifiedInviter)
    ));
    sqlx::query("UPDATE users SET email_verified_at = 1").execute(&f.db.pool).await.unwrap();
    for n in 0..INVITATION_MAX {
        orgs.invite(claire, msp, &format!("personne{n}@exemple.fr"), "member").await.unwrap();
    }
    let error = orgs.invite(claire, msp, "encore@exemple.fr", "member").await.unwrap_err();
    assert!(matches!(error, OrganisationError::TooManyInvitations), "{error:?}");
    assert_eq!(
        f.count("SELECT CAST(COUNT(*) AS BIGINT) FROM mail_outbox WHERE template = 'invitation'").await,
        INVITATION_MAX
    );
}

#[tokio::test]
async fn an_organisation_always_keeps_an_owner() {
    let f = fixture().await;
    let claire = f.user("claire@exemple.fr", "Claire").await;
    let paul = f.user("paul@exemple.fr", "Paul").await;
    let orgs = &f.organisations;
    let msp = orgs.create(claire, "msp", "MSP du Lévézou", "").await.unwrap();
    assert!(matches!(orgs.remove_member(claire, msp, claire).await, Err(OrganisationError::LastOwner)));
    assert!(matches!(orgs.change_role(claire, msp, claire, "member").await, Err(OrganisationError::LastOwner)));
    assert_eq!(orgs.mine(claire).await.unwrap().len(), 1, "still there, still owner");

    orgs.invite(claire, msp, "paul@exemple.fr", "member").await.unwrap();
    orgs.accept_invitation(paul, &f.invitation_token("paul@exemple.fr").await).await.unwrap();
    // A member removes nobody but themself.
    assert!(matches!(orgs.remove_member(paul, msp, claire).await, Err(OrganisationError::OwnersOnly)));
    assert!(matches!(orgs.change_role(paul, msp, paul, "owner").await, Err(OrganisationError::OwnersOnly)));
    assert!(matches!(orgs.remove_member(claire, msp, 999_999).await, Err(OrganisationError::NotAMember)));

    orgs.change_role(claire, msp, paul, "owner").await.unwrap();
    assert_eq!(orgs.remove_member(claire, msp, claire).await.unwrap(), Removal::Left);
    assert!(orgs.detail(claire, msp).await.unwrap().is_none());
    assert!(matches!(orgs.remove_member(paul, msp, paul).await, Err(OrganisationError::LastOwner)));
    let owners = f.count("SELECT CAST(COUNT(*) AS BIGINT) FROM memberships WHERE role = 'owner'").await;
    assert_eq!(owners, 1);
}

#[tokio::test]
async fn a_member_of_one_organisation_cannot_touch_another() {
    let f = fixture().await;
    let claire = f.user("claire@exemple.fr", "Claire").await;
    let paul = f.user("paul@exemple.fr", "Paul").await;
    let orgs = &f.organisations;
    let a = orgs.create(claire, "commune", "Mairie de Rodez", "12202").await.unwrap();
    let b = orgs.create(paul, "msp", "MSP du Lévézou", "").await.unwrap();
    orgs.invite(paul, b, "ines@exemple.fr", "member").await.unwrap();
    let b_invitation = orgs.detail(paul, b).await.unwrap().unwrap().invitations[0].id;

    // Claire owns A: everything about B is as if it did not exist.
    assert!(orgs.detail(claire, b).await.unwrap().is_none(), "B's members are not Claire's to see");
    let refused = [
        orgs.invite(claire, b, "x@exemple.fr", "owner").await.unwrap_err(),
        orgs.remove_member(claire, b, paul).await.unwrap_err(),
        orgs.change_role(claire, b, paul, "member").await.unwrap_err(),
        orgs.update(claire, b, "msp", "MSP volée", "").await.unwrap_err(),
        orgs.cancel_invitation(claire, b, b_invitation).await.unwrap_err(),
    ];
    for error in refused {
        assert!(matches!(error, OrganisationError::NotFound), "{error:?}");
    }
    // Nor through her own organisation: B's invitation is not A's, and B's owner not A's member.
    assert!(matches!(orgs.cancel_invitation(claire, a, b_invitation).await, Err(OrganisationError::BadInvitation)));
    assert!(matches!(orgs.remove_member(claire, a, paul).await, Err(OrganisationError::NotAMember)));
    assert!(matches!(orgs.change_role(claire, a, paul, "owner").await, Err(OrganisationError::NotAMember)));

    let b_now = orgs.detail(paul, b).await.unwrap().unwrap();
    assert_eq!((b_now.name.as_str(), b_now.members.len(), b_now.invitations.len()), ("MSP du Lévézou", 1, 1));
    assert_eq!(f.count("SELECT CAST(COUNT(*) AS BIGINT) FROM invitations").await, 1);
}

#[tokio::test]
async fn moderators_see_the_mails_the_worker_gave_up_on() {
    let f = fixture().await;
    let mod_ = f.moderator("moderation@ars.example", "Modération").await;
    sqlx::query(
        "INSERT INTO mail_outbox (recipient, subject, body_text, body_html, template, created_at, status, attempts,
             next_attempt_at, last_error)
         VALUES ('perdu@exemple.fr', 'Objet', 't', 'h', 'invitation', 1767225600000, 'failed', 10, 0, '550 boîte inconnue')",
    )
    .execute(&f.db.pool)
    .await
    .unwrap();
    let page = f.organisations.moderation(mod_).await.unwrap().unwrap();
    assert_eq!(page.failed_mails.len(), 1);
    let mail = &page.failed_mails[0];
    assert_eq!((mail.recipient.as_str(), mail.attempts, mail.queued_at), ("perdu@exemple.fr", 10, 1_767_225_600));
    assert_eq!(mail.last_error.as_deref(), Some("550 boîte inconnue"));
}

/// Rows of every table an account deletion may touch, to show that a refusal changes nothing.
const TOUCHED: [&str; 9] = [
    "users",
    "sessions",
    "account_tokens",
    "people",
    "organisations",
    "memberships",
    "invitations",
    "moderation_log",
    "mail_outbox",
];

impl Fixture {
    async fn rows(&self) -> Vec<i64> {
        let mut rows = Vec::new();
        for table in TOUCHED {
            rows.push(self.count(&format!("SELECT CAST(COUNT(*) AS BIGINT) FROM {table}")).await);
        }
        rows
    }

    /// (actor id, actor address) of every log row, oldest first.
    async fn log_actors(&self) -> Vec<(Option<i64>, Option<String>)> {
        sqlx::query_as("SELECT actor_id, actor_email FROM moderation_log ORDER BY id")
            .fetch_all(&self.db.pool)
            .await
            .unwrap()
    }
}

#[tokio::test]
async fn deleting_a_moderator_keeps_their_decisions_in_the_log_without_them() {
    let f = fixture().await;
    let claire = f.user("claire@exemple.fr", "Claire").await;
    let first = f.moderator("moderation@ars.example", "Modération ARS").await;
    let second = f.moderator("moderation@urps.example", "Modération URPS").await;
    let orgs = &f.organisations;
    let rodez = orgs.create(claire, "commune", "Mairie de Rodez", "12202").await.unwrap();
    let msp = orgs.create(claire, "msp", "MSP du Lot", "").await.unwrap();
    orgs.approve(first, rodez).await.unwrap();
    orgs.reject(first, msp, "Pièce manquante.").await.unwrap();
    orgs.update(claire, msp, "msp", "MSP du Lot", "").await.unwrap();
    orgs.approve(second, msp).await.unwrap();

    f.accounts.delete_account(first, PASSWORD).await.unwrap();
    assert_eq!(
        f.log_actors().await,
        [
            (None, None),
            (None, None),
            (Some(claire), Some("claire@exemple.fr".to_owned())),
            (Some(second), Some("moderation@urps.example".to_owned())),
        ],
        "the deleted moderator's rows are anonymised, and only theirs"
    );
    let log = orgs.moderation(second).await.unwrap().unwrap().log;
    let seen: Vec<_> = log.iter().map(|l| (l.action.code(), l.actor_email.as_deref(), l.reason.as_deref())).collect();
    assert_eq!(
        seen,
        [
            ("approve", Some("moderation@urps.example"), None),
            ("resubmit", Some("claire@exemple.fr"), None),
            ("reject", None, Some("Pièce manquante.")),
            ("approve", None, None),
        ]
    );
    assert_eq!(f.count(&format!("SELECT CAST(COUNT(*) AS BIGINT) FROM users WHERE id = {first}")).await, 0);

    // The owner who resubmitted goes too: her row keeps the action, not her.
    f.accounts.delete_account(claire, PASSWORD).await.unwrap();
    assert_eq!(f.log_actors().await[2], (None, None));
    assert_eq!(f.count("SELECT CAST(COUNT(*) AS BIGINT) FROM moderation_log").await, 4);
    assert_eq!(f.count("SELECT CAST(COUNT(*) AS BIGINT) FROM organisations").await, 2, "organisations stay");
}

#[tokio::test]
async fn the_log_accepts_anonymisation_and_refuses_any_other_change() {
    let f = fixture().await;
    let claire = f.user("claire@exemple.fr", "Claire").await;
    let moderator = f.moderator("moderation@ars.example", "Modération").await;
    let rodez = f.organisations.create(claire, "commune", "Mairie de Rodez", "12202").await.unwrap();
    f.organisations.reject(moderator, rodez, "Doublon.").await.unwrap();
    let before: (i64, String, Option<String>, i64) =
        sqlx::query_as("SELECT organisation_id, action, reason, created_at FROM moderation_log")
            .fetch_one(&f.db.pool)
            .await
            .unwrap();

    for sql in [
        "UPDATE moderation_log SET reason = 'effacé'",
        "UPDATE moderation_log SET action = 'approve'",
        "UPDATE moderation_log SET actor_email = 'autre@exemple.fr'",
        // Half an anonymisation would leave the address, or the id.
        "UPDATE moderation_log SET actor_id = NULL",
        "UPDATE moderation_log SET actor_email = NULL",
        // Anonymisation smuggling in another change.
        "UPDATE moderation_log SET actor_id = NULL, actor_email = NULL, reason = NULL",
        "UPDATE moderation_log SET actor_id = NULL, actor_email = NULL, created_at = 0",
        "DELETE FROM moderation_log",
    ] {
        assert!(sqlx::query(sql).execute(&f.db.pool).await.is_err(), "{sql}");
    }
    assert_eq!(f.log_actors().await, [(Some(moderator), Some("moderation@ars.example".to_owned()))]);

    sqlx::query("UPDATE moderation_log SET actor_id = NULL, actor_email = NULL").execute(&f.db.pool).await.unwrap();
    assert_eq!(f.log_actors().await, [(None, None)]);
    let after: (i64, String, Option<String>, i64) =
        sqlx::query_as("SELECT organisation_id, action, reason, created_at FROM moderation_log")
            .fetch_one(&f.db.pool)
            .await
            .unwrap();
    assert_eq!(before, after);
    // Anonymised is final: no name comes back, and the row still cannot go.
    assert!(sqlx::query("UPDATE moderation_log SET actor_email = 'x@exemple.fr'").execute(&f.db.pool).await.is_err());
    assert!(sqlx::query("DELETE FROM moderation_log").execute(&f.db.pool).await.is_err());
}

#[tokio::test]
async fn the_only_owner_of_an_organisation_with_members_cannot_delete_their_account() {
    let f = fixture().await;
    let claire = f.user("claire@exemple.fr", "Claire").await;
    let paul = f.user("paul@exemple.fr", "Paul").await;
    let moderator = f.moderator("moderation@ars.example", "Modération").await;
    let orgs = &f.organisations;
    let msp = orgs.create(claire, "msp", "MSP du Lévézou", "").await.unwrap();
    orgs.approve(moderator, msp).await.unwrap();
    orgs.invite(claire, msp, "paul@exemple.fr", "member").await.unwrap();
    orgs.accept_invitation(paul, &f.invitation_token("paul@exemple.fr").await).await.unwrap();
    orgs.invite(claire, msp, "ines@exemple.fr", "member").await.unwrap();

    let before = f.rows().await;
    let error = f.accounts.delete_account(claire, PASSWORD).await.unwrap_err();
    assert!(
        matches!(&error, server::accounts::AccountError::SoleOwner { organisation } if organisation == "MSP du Lévézou")
    );
    assert_eq!(
        error.to_string(),
        "vous êtes le seul propriétaire de « MSP du Lévézou », qui a d'autres membres ou des publications en cours : nommez un autre propriétaire avant de supprimer votre compte"
    );
    assert_eq!(f.rows().await, before, "nothing changed");
    assert_eq!(orgs.detail(claire, msp).await.unwrap().unwrap().my_role.map(|r| r.code()), Some("owner"));

    // With another owner beside her, she may go.
    orgs.change_role(claire, msp, paul, "owner").await.unwrap();
    f.accounts.delete_account(claire, PASSWORD).await.unwrap();
    let detail = orgs.detail(paul, msp).await.unwrap().unwrap();
    let members: Vec<_> = detail.members.iter().map(|m| (m.display_name.as_str(), m.role.code())).collect();
    assert_eq!(members, [("Paul", "owner")]);
    // What pointed at her points at nobody; Inès's invitation (sent by Claire) died with her
    // account: nobody vouches for it any more.
    assert_eq!(f.count("SELECT CAST(COUNT(*) AS BIGINT) FROM organisations WHERE created_by IS NOT NULL").await, 0);
    assert_eq!(f.count("SELECT CAST(COUNT(*) AS BIGINT) FROM invitations WHERE invited_by IS NOT NULL").await, 0);
    assert!(detail.invitations.is_empty());
    let view = orgs.invitation(&f.invitation_token("ines@exemple.fr").await).await.unwrap().unwrap();
    assert_eq!((view.inviter, view.state), (None, app::domain::organisations::InvitationState::Closed));
}

#[tokio::test]
async fn an_organisation_whose_only_member_deletes_their_account_stays_without_members() {
    let f = fixture().await;
    let claire = f.user("claire@exemple.fr", "Claire").await;
    let paul = f.user("paul@exemple.fr", "Paul").await;
    let moderator = f.moderator("moderation@ars.example", "Modération").await;
    let orgs = &f.organisations;
    let cabinet = orgs.create(claire, "cabinet", "Cabinet du Dr Martin", "12202").await.unwrap();
    orgs.approve(moderator, cabinet).await.unwrap();
    // Paul's organisation invited Claire twice: once accepted, once still open.
    let msp = orgs.create(paul, "msp", "MSP du Lot", "").await.unwrap();
    let centre = orgs.create(paul, "centre_sante", "Centre de santé de Cahors", "").await.unwrap();
    orgs.invite(paul, msp, "Claire@exemple.fr", "member").await.unwrap();
    orgs.accept_invitation(claire, &f.invitation_token("Claire@exemple.fr").await).await.unwrap();
    orgs.invite(paul, centre, "claire@exemple.fr", "member").await.unwrap();
    assert_eq!(f.count("SELECT CAST(COUNT(*) AS BIGINT) FROM invitations").await, 2);

    f.accounts.delete_account(claire, PASSWORD).await.unwrap();
    assert_eq!(
        f.count(&format!("SELECT CAST(COUNT(*) AS BIGINT) FROM organisations WHERE id = {cabinet}")).await,
        1,
        "the organisation stays"
    );
    assert_eq!(
        f.count(&format!("SELECT CAST(COUNT(*) AS BIGINT) FROM memberships WHERE organisation_id = {cabinet}")).await,
        0
    );
    assert_eq!(f.status(cabinet).await.0, "verifiee");
    // A moderator still sees it, with nobody in it.
    assert!(orgs.detail(moderator, cabinet).await.unwrap().unwrap().members.is_empty());
    // The invitations addressed to her held her address: gone, the accepted one too.
    assert_eq!(f.count("SELECT CAST(COUNT(*) AS BIGINT) FROM invitations").await, 0);
    assert_eq!(orgs.detail(paul, msp).await.unwrap().unwrap().members.len(), 1);
}

#[tokio::test]
async fn the_export_covers_memberships_invitations_and_moderation() {
    let f = fixture().await;
    let claire = f.user("claire@exemple.fr", "Claire").await;
    let paul = f.user("paul@exemple.fr", "Paul").await;
    let moderator = f.moderator("moderation@ars.example", "Modération").await;
    let orgs = &f.organisations;
    let msp = orgs.create(claire, "msp", "MSP du Lot", "").await.unwrap();
    orgs.invite(claire, msp, "ines@exemple.fr", "owner").await.unwrap();
    let centre = orgs.create(paul, "centre_sante", "Centre de santé de Cahors", "").await.unwrap();
    orgs.invite(paul, centre, "claire@exemple.fr", "member").await.unwrap();
    orgs.accept_invitation(claire, &f.invitation_token("claire@exemple.fr").await).await.unwrap();
    orgs.reject(moderator, msp, "Pièce manquante.").await.unwrap();

    let data = f.accounts.export(claire).await.unwrap();
    let memberships = data["organisations"].as_array().unwrap();
    assert_eq!(memberships.len(), 2);
    assert_eq!(memberships[0]["organisation"], "MSP du Lot");
    assert_eq!(
        (&memberships[0]["type"], &memberships[0]["statut"], &memberships[0]["role"]),
        (&"msp".into(), &"refusee".into(), &"owner".into())
    );
    assert!(memberships[0]["membre_depuis"].as_i64().unwrap() > 0);
    assert_eq!(
        (&memberships[1]["organisation"], &memberships[1]["role"]),
        (&"Centre de santé de Cahors".into(), &"member".into())
    );
    assert_eq!(data["organisations_creees"], serde_json::json!(["MSP du Lot"]));
    let sent = data["invitations_envoyees"].as_array().unwrap();
    assert_eq!(sent.len(), 1);
    assert_eq!(
        (&sent[0]["organisation"], &sent[0]["adresse_invitee"]),
        (&"MSP du Lot".into(), &"ines@exemple.fr".into())
    );
    assert!(sent[0]["acceptee_le"].is_null());
    let received = data["invitations_recues"].as_array().unwrap();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0]["organisation"], "Centre de santé de Cahors");
    assert!(received[0]["acceptee_le"].as_i64().is_some());
    assert!(data["actions_de_moderation"].as_array().unwrap().is_empty(), "Claire moderated nothing");

    let data = f.accounts.export(moderator).await.unwrap();
    let actions = data["actions_de_moderation"].as_array().unwrap();
    assert_eq!(actions.len(), 1);
    assert_eq!(
        (&actions[0]["organisation"], &actions[0]["action"], &actions[0]["motif"]),
        (&"MSP du Lot".into(), &"reject".into(), &"Pièce manquante.".into())
    );
    assert!(actions[0]["le"].as_i64().unwrap() > 0);
    assert!(data["organisations"].as_array().unwrap().is_empty());
}

// ---------------------------------------------------------------------------------------------
// Over HTTP, as a browser without JavaScript.

async fn rows(app: &TestApp, table: &str) -> i64 {
    sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT CAST(COUNT(*) AS BIGINT) FROM {table}")))
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn create_an_organisation_through_the_forms_and_see_it_pending() {
    let app = spawn_app().await;
    let mut browser = Browser::new(&app);

    // Signed out: the pages say to sign in, the handler sends there and back.
    assert!(says(&browser.get("/organisations").await.body, "Connectez-vous pour accéder à cette page"));
    assert!(says(&browser.get("/organisations/nouvelle").await.body, "Connectez-vous pour créer une organisation"));
    // (The sign-up page gives an anonymous visitor a form token.)
    let answer =
        browser.submit("/inscription", "/organisations/nouvelle", &[("type", "commune"), ("nom", "Mairie")]).await;
    assert_eq!(answer.location, "/connexion?erreur=connexion-requise&suite=%2Forganisations%2Fnouvelle");
    assert_eq!(rows(&app, "organisations").await, 0);

    browser.sign_up("claire@exemple.fr", "Claire Martin").await;
    let page = browser.get("/compte").await;
    assert!(page.body.contains("href=\"/organisations\"") && !page.body.contains("href=\"/moderation\""));
    let page = browser.get("/organisations").await;
    assert!(says(&page.body, "Vous n'êtes membre d'aucune organisation"));
    assert!(page.body.contains("Créer une organisation"));

    let form = browser.get("/organisations/nouvelle").await;
    assert_eq!(form.status, 200);
    assert!(form.body.contains("Code INSEE") || form.body.contains("code INSEE"));
    for (fields, code, message) in [
        (
            [("type", "commune"), ("nom", "Mairie de Rodez"), ("code", "12000")],
            "code-postal",
            "Ce code est un code postal",
        ),
        (
            [("type", "commune"), ("nom", "Mairie de Rodez"), ("code", "99999")],
            "commune-inconnue",
            "Aucune commune du portail",
        ),
        (
            [("type", "commune"), ("nom", "Mairie de Rodez"), ("code", "")],
            "commune-manquante",
            "Indiquez le code INSEE",
        ),
        ([("type", "msp"), ("nom", "MSP"), ("code", "12345678")], "finess-invalide", "numéro FINESS n'est pas valide"),
        ([("type", "x"), ("nom", "Mairie de Rodez"), ("code", "12202")], "type", "Choisissez le type"),
    ] {
        let answer = browser.submit("/organisations/nouvelle", "/organisations/nouvelle", &fields).await;
        assert_eq!(answer.status, 303);
        assert!(answer.location.starts_with(&format!("/organisations/nouvelle?erreur={code}&")), "{}", answer.location);
        let page = browser.get(&answer.location).await;
        assert_eq!(page.status, 200);
        assert!(page.body.contains("role=\"alert\"") && says(&page.body, message), "{code}");
        // What was typed comes back.
        assert!(page.body.contains(&format!("value=\"{}\"", fields[2].1)), "{code}");
    }
    assert_eq!(rows(&app, "organisations").await, 0);

    // A postal code: the refused form offers its communes, one button each, which sends the
    // form with the commune's INSEE code.
    let fields = [("type", "commune"), ("nom", "Mairie de Rodez"), ("code", "12000")];
    let answer = browser.submit("/organisations/nouvelle", "/organisations/nouvelle", &fields).await;
    let page = browser.get(&answer.location).await.body;
    assert!(page.contains(r#"name="commune_choisie" value="12202""#) && says(&page, "Rodez (12202)"), "{page}");
    let chosen = [("type", "commune"), ("nom", "Mairie de Rodez"), ("code", "12000"), ("commune_choisie", "12202")];
    let answer = browser.submit(&answer.location, "/organisations/nouvelle", &chosen).await;
    assert!(answer.location.ends_with("?info=organisation-creee"), "{}", answer.location);
    let id = organisation_of(&answer.location);
    let page = browser.get(&answer.location).await;
    assert_eq!(page.status, 200);
    assert!(says(&page.body, "Votre organisation est créée"));
    assert!(page.body.contains("en attente de vérification"));
    assert!(page.body.contains("href=\"/communes/12202-rodez\""));
    assert!(page.body.contains("Inviter un membre") && says(&page.body, "Corriger l'organisation"));
    let list = browser.get("/organisations").await;
    assert!(list.body.contains(&format!("href=\"/organisations/{id}\"")) && list.body.contains("Mairie de Rodez"));

    // Another visitor, and a wrong address: 404.
    let mut other = Browser::new(&app);
    other.sign_up("paul@exemple.fr", "Paul").await;
    assert_eq!(other.get(&format!("/organisations/{id}")).await.status, 404);
    assert_eq!(other.get("/organisations/abc").await.status, 404);
    assert_eq!(browser.get("/organisations/999999").await.status, 404);
}

#[tokio::test]
async fn forms_without_their_token_change_nothing() {
    let app = spawn_app().await;
    let mut owner = Browser::new(&app);
    owner.confirmed("claire@exemple.fr", "Claire").await;
    let (id, page) = owner.create_organisation("msp", "MSP du Lot", "").await;
    let mut moderator = Browser::new(&app);
    moderator.sign_up("moderation@ars.example", "Modération").await;
    server::organisations::Organisations::new(app.db.clone(), SITE.to_owned())
        .set_moderator("moderation@ars.example", true)
        .await
        .unwrap();
    let before = (rows(&app, "organisations").await, rows(&app, "invitations").await, rows(&app, "memberships").await);

    for csrf in ["", "0000", &"a".repeat(64)] {
        for (by_moderator, action, fields) in [
            (false, "/organisations/nouvelle".to_owned(), vec![("type", "msp"), ("nom", "MSP bis"), ("code", "")]),
            (false, format!("/organisations/{id}/invitations"), vec![("email", "ines@exemple.fr"), ("role", "member")]),
            (false, format!("/organisations/{id}/modification"), vec![("type", "msp"), ("nom", "Autre"), ("code", "")]),
            (false, format!("/organisations/{id}/membres/retrait"), vec![("membre", "1")]),
            (false, format!("/organisations/{id}/membres/role"), vec![("membre", "1"), ("role", "member")]),
            (true, format!("/moderation/{id}/approbation"), vec![]),
            (true, format!("/moderation/{id}/refus"), vec![("motif", "Non.")]),
        ] {
            let mut form = vec![("csrf", csrf)];
            form.extend(fields);
            let browser = if by_moderator { &mut moderator } else { &mut owner };
            let answer = browser.post(&action, &form).await;
            assert_eq!(answer.status, 303, "{action}");
            assert!(answer.location.contains("erreur=formulaire-expire"), "{action}: {}", answer.location);
        }
    }
    let after = (rows(&app, "organisations").await, rows(&app, "invitations").await, rows(&app, "memberships").await);
    assert_eq!(before, after);
    let name: String = sqlx::query_scalar("SELECT name FROM organisations").fetch_one(&app.db.pool).await.unwrap();
    assert_eq!(name, "MSP du Lot");
    assert_eq!(rows(&app, "moderation_log").await, 0);

    // Not a form at all, or a mangled address: refused, never a server error.
    let answer = owner.send(app.client.post(format!("{}/organisations/nouvelle", app.address)).body("{}")).await;
    assert!((400..500).contains(&answer.status), "{}", answer.status);
    let answer = owner.submit(&page, "/organisations/abc/invitations", &[("email", "a@exemple.fr")]).await;
    assert_eq!(answer.location, "/organisations?erreur=organisation-introuvable");
    let removal = format!("/organisations/{id}/membres/retrait");
    let answer = owner.submit(&page, &removal, &[("membre", "x"), ("confirmation", "oui")]).await;
    assert!(answer.location.contains("erreur=pas-membre"), "{}", answer.location);
}

#[tokio::test]
async fn invitation_moderation_and_membership_through_the_pages() {
    let app = spawn_app().await;
    let mut claire = Browser::new(&app);
    claire.confirmed("claire@exemple.fr", "Claire Martin").await;
    let (id, page) = claire.create_organisation("hopital", "CH de Rodez", "120000039").await;

    // Invite Inès; a bad address comes back with what was typed.
    let answer = claire.submit(&page, &format!("{page}/invitations"), &[("email", "ines"), ("role", "member")]).await;
    assert!(
        answer.location.starts_with(&format!("{page}?erreur=email-invite-invalide&saisie=")),
        "{}",
        answer.location
    );
    assert!(!answer.location.contains("ines"), "{}", answer.location);
    let again = claire.get(&answer.location).await.body;
    assert!(says(&again, "Cette adresse e-mail n'est pas valide") && again.contains("value=\"ines\""), "{again}");
    let answer =
        claire.submit(&page, &format!("{page}/invitations"), &[("email", "ines@exemple.fr"), ("role", "member")]).await;
    assert_eq!(answer.location, format!("{page}?info=invitation-envoyee"));
    assert!(claire.get(&page).await.body.contains("ines@exemple.fr"), "the open invitation is listed");
    let invitation = link_in(&mail_to(&app, "ines@exemple.fr", "/organisations/invitation").await);
    assert!(invitation.starts_with("/organisations/invitation?jeton="), "{invitation}");
    let token = invitation.split("jeton=").nth(1).unwrap().to_owned();

    // Paul, signed in, follows the link: told it is not for him, and refused by the server.
    let mut paul = Browser::new(&app);
    paul.sign_up("paul@exemple.fr", "Paul").await;
    let seen = paul.get(&invitation).await;
    assert!(says(&seen.body, "mais l'invitation est adressée à") && seen.body.contains("CH de Rodez"));
    let answer = paul.submit(&invitation, "/organisations/invitation", &[("jeton", &token)]).await;
    // The link's token comes back to this browser's page, not through the address.
    assert!(
        answer.location.starts_with("/organisations/invitation?erreur=autre-compte&saisie="),
        "{}",
        answer.location
    );
    assert!(!answer.location.contains(&token), "{}", answer.location);
    assert!(says(&paul.get(&answer.location).await.body, "adressée à une autre adresse e-mail"));
    // Nor can he see the organisation, or invite into it.
    assert_eq!(paul.get(&page).await.status, 404);
    let answer = paul
        .submit(
            "/organisations/nouvelle",
            &format!("{page}/invitations"),
            &[("email", "x@exemple.fr"), ("role", "owner")],
        )
        .await;
    assert_eq!(answer.location, "/organisations?erreur=organisation-introuvable");

    // Inès, signed out, is asked to sign in and brought back; then joins.
    let mut ines = Browser::new(&app);
    let seen = ines.get(&invitation).await;
    assert!(says(&seen.body, "connectez-vous avec le compte de l'adresse") && seen.body.contains("ines@exemple.fr"));
    ines.sign_up("ines@exemple.fr", "Inès").await;
    let answer = ines.submit(&invitation, "/organisations/invitation", &[("jeton", &token)]).await;
    assert_eq!(answer.location, format!("{page}?info=organisation-rejointe"));
    let seen = ines.get(&answer.location).await;
    assert!(seen.body.contains("Claire Martin") && seen.body.contains("Inès"));
    assert!(!seen.body.contains("Inviter un membre"), "members do not invite");
    assert!(says(&seen.body, "Quitter l'organisation"));
    // The link works once.
    let again = ines.submit("/organisations/nouvelle", "/organisations/invitation", &[("jeton", &token)]).await;
    assert!(again.location.starts_with("/organisations/invitation?erreur=invitation"), "{}", again.location);

    // The last owner cannot leave (and is not offered to); a member can.
    assert!(!says(&claire.get(&page).await.body, "Quitter l'organisation"));
    let claire_id: i64 = sqlx::query_scalar("SELECT id FROM users WHERE email_key = 'claire@exemple.fr'")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let claire_member = claire_id.to_string();
    let leave = claire
        .submit(&page, &format!("{page}/membres/retrait"), &[("membre", &claire_member), ("confirmation", "oui")])
        .await;
    assert_eq!(leave.location, format!("{page}?erreur=dernier-proprietaire"));
    assert!(says(&claire.get(&leave.location).await.body, "garde toujours au moins un propriétaire"));

    // Moderation: refused to others, on the page and on the server.
    let mut moderator = Browser::new(&app);
    moderator.sign_up("moderation@ars.example", "Modération ARS").await;
    let page_for_claire = claire.get("/moderation").await;
    assert_eq!(page_for_claire.status, 403);
    assert!(says(&page_for_claire.body, "réservée aux modérateurs"));
    let answer = claire.submit(&page, &format!("/moderation/{id}/approbation"), &[]).await;
    assert_eq!(answer.location, "/moderation?erreur=reserve-moderateurs");
    assert_eq!(rows(&app, "moderation_log").await, 0);

    server::organisations::Organisations::new(app.db.clone(), SITE.to_owned())
        .set_moderator("moderation@ars.example", true)
        .await
        .unwrap();
    assert!(moderator.get("/compte").await.body.contains("href=\"/moderation\""));
    let queue = moderator.get("/moderation").await;
    assert_eq!(queue.status, 200);
    assert!(queue.body.contains("CH de Rodez") && queue.body.contains("CH DE RODEZ HOPITAL JACQUES PUEL"));
    assert!(says(&queue.body, "Aucune action de modération pour l'instant"));
    let answer = moderator.submit("/moderation", &format!("/moderation/{id}/refus"), &[("motif", "  ")]).await;
    assert_eq!(answer.location, format!("/moderation?erreur=motif&organisation={id}"));
    let refused = moderator.get(&answer.location).await.body;
    crate::forms::refused_field(&refused, &format!("motif-{id}"), "Indiquez le motif du refus");
    let answer = moderator.submit("/moderation", &format!("/moderation/{id}/approbation"), &[]).await;
    assert_eq!(answer.location, "/moderation?info=organisation-verifiee");
    let after = moderator.get("/moderation").await;
    assert!(says(&after.body, "Aucune organisation n'attend de vérification"));
    assert!(after.body.contains("moderation@ars.example") && after.body.contains("vérifiée"));
    let verified = mail_to(&app, "claire@exemple.fr", &format!("/organisations/{id}")).await;
    assert!(verified.contains("a vérifié l'organisation « CH de Rodez »"));
    assert!(claire.get(&page).await.body.contains("data-status=\"verifiee\""));
    let again = moderator
        .submit("/organisations/nouvelle", &format!("/moderation/{id}/refus"), &[("motif", "Trop tard")])
        .await;
    let refused = format!("/moderation?erreur=deja-traitee&organisation={id}&saisie=");
    assert!(again.location.starts_with(&refused) && !again.location.contains("Trop"), "{}", again.location);

    let ines_id: i64 = sqlx::query_scalar("SELECT id FROM users WHERE email_key = 'ines@exemple.fr'")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    // Leaving asks for the box: without it, nothing changes.
    let ines_member = ines_id.to_string();
    let unticked = ines.submit(&page, &format!("{page}/membres/retrait"), &[("membre", &ines_member)]).await;
    assert_eq!(unticked.location, format!("{page}?erreur=confirmation-manquante"));
    assert!(says(&ines.get(&unticked.location).await.body, "Cochez la case de confirmation"));
    // Named by its form, the box is marked, its disclosure open.
    let fields = [("membre", ines_member.as_str()), ("case", "quitter-confirme")];
    let unticked = ines.submit(&page, &format!("{page}/membres/retrait"), &fields).await;
    assert_eq!(unticked.location, format!("{page}?erreur=confirmation-manquante&case=quitter-confirme"));
    let marked = ines.get(&unticked.location).await.body;
    assert!(marked.contains(r#"<details open class="confirmed-action">"#), "{marked}");
    assert!(marked.contains(r#"<p id="quitter-confirme-erreur" class="field-problem">"#), "{marked}");
    // An id no page writes is not carried back.
    let fields = [("membre", ines_member.as_str()), ("case", "x\"><script>")];
    let unticked = ines.submit(&page, &format!("{page}/membres/retrait"), &fields).await;
    assert_eq!(unticked.location, format!("{page}?erreur=confirmation-manquante"));
    assert_eq!(ines.get(&page).await.status, 200);
    let left = ines
        .submit(&page, &format!("{page}/membres/retrait"), &[("membre", &ines_member), ("confirmation", "oui")])
        .await;
    assert_eq!(left.location, "/organisations?info=organisation-quittee");
    assert!(says(&ines.get(&left.location).await.body, "Vous n'êtes membre d'aucune organisation"));
    assert_eq!(ines.get(&page).await.status, 404);
}

impl Browser<'_> {
    /// Deletes the signed-in account through the account page's form.
    async fn delete_account(&mut self) -> Answer {
        self.submit("/compte", "/compte/suppression", &[("mot_de_passe_actuel", PASSWORD)]).await
    }
}

async fn make_moderator(app: &TestApp, email: &str) {
    Organisations::new(app.db.clone(), SITE.to_owned()).set_moderator(email, true).await.unwrap();
}

#[tokio::test]
async fn account_deletion_through_the_pages_keeps_the_log_and_refuses_a_sole_owner() {
    let app = spawn_app().await;
    let mut claire = Browser::new(&app);
    claire.confirmed("claire@exemple.fr", "Claire Martin").await;
    let (id, page) = claire.create_organisation("msp", "MSP du Lot", "").await;
    claire.submit(&page, &format!("{page}/invitations"), &[("email", "paul@exemple.fr"), ("role", "member")]).await;
    let invitation = link_in(&mail_to(&app, "paul@exemple.fr", "/organisations/invitation").await);
    let token = invitation.split("jeton=").nth(1).unwrap().to_owned();
    let mut paul = Browser::new(&app);
    paul.sign_up("paul@exemple.fr", "Paul").await;
    paul.submit(&invitation, "/organisations/invitation", &[("jeton", &token)]).await;

    let mut first = Browser::new(&app);
    first.sign_up("moderation@ars.example", "Modération ARS").await;
    let mut second = Browser::new(&app);
    second.sign_up("moderation@urps.example", "Modération URPS").await;
    make_moderator(&app, "moderation@ars.example").await;
    make_moderator(&app, "moderation@urps.example").await;
    let approved = first.submit("/moderation", &format!("/moderation/{id}/approbation"), &[]).await;
    assert_eq!(approved.location, "/moderation?info=organisation-verifiee");

    // The moderator goes; the log still says the organisation was verified, by nobody named.
    assert_eq!(first.delete_account().await.location, "/compte?info=compte-supprime");
    let log = second.get("/moderation").await;
    assert_eq!(log.status, 200);
    assert!(log.body.contains("compte supprimé") && !log.body.contains("moderation@ars.example"), "{}", log.body);
    assert_eq!(rows(&app, "moderation_log").await, 1);

    // Claire is the only owner, Paul a member: refused with a sentence, nothing deleted.
    let before = (rows(&app, "users").await, rows(&app, "memberships").await, rows(&app, "sessions").await);
    let refused = claire.delete_account().await;
    assert!(refused.location.starts_with("/compte?erreur=seul-proprietaire&saisie="), "{}", refused.location);
    let shown = claire.get(&refused.location).await;
    assert!(says(&shown.body, "Vous êtes le seul propriétaire d'une organisation qui compte d'autres membres"));
    assert_eq!((rows(&app, "users").await, rows(&app, "memberships").await, rows(&app, "sessions").await), before);
    assert_eq!(claire.get(&page).await.status, 200, "still signed in, still a member");

    // Paul leaves by deleting his account; then Claire, alone, may go: the organisation stays.
    assert_eq!(paul.delete_account().await.location, "/compte?info=compte-supprime");
    assert_eq!(claire.delete_account().await.location, "/compte?info=compte-supprime");
    assert_eq!((rows(&app, "organisations").await, rows(&app, "memberships").await), (1, 0));
    let seen = second.get(&page).await;
    assert_eq!(seen.status, 200);
    assert!(seen.body.contains("MSP du Lot"));
}

#[tokio::test]
async fn a_moderator_sends_a_failed_mail_again_and_nobody_else_can() {
    let app = spawn_app().await;
    let mut moderator = Browser::new(&app);
    moderator.sign_up("moderation@ars.example", "Modération").await;
    make_moderator(&app, "moderation@ars.example").await;
    let mut paul = Browser::new(&app);
    paul.sign_up("paul@exemple.fr", "Paul").await;
    // Given up after ten attempts, as the worker leaves such a mail.
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO mail_outbox (recipient, subject, body_text, body_html, template, created_at, status, attempts,
             next_attempt_at, last_error)
         VALUES ('perdu@exemple.fr', 'Objet perdu', 'texte', '<p>html</p>', 'invitation', 1767225600000, 'failed', 10, 0,
                 '421 service indisponible')
         RETURNING id",
    )
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    let state = || async {
        sqlx::query_as::<_, (String, i64)>("SELECT status, attempts FROM mail_outbox WHERE id = $1")
            .bind(id)
            .fetch_one(&app.db.pool)
            .await
            .unwrap()
    };
    let action = format!("/moderation/courriels/{id}/renvoi");
    let page = moderator.get("/moderation").await;
    assert!(page.body.contains(&format!("action=\"{action}\"")) && page.body.contains(">Renvoyer</button>"));

    // Not a moderator: refused, by the page and by the handler.
    let answer = paul.submit("/compte", &action, &[]).await;
    assert_eq!(answer.location, "/moderation?erreur=reserve-moderateurs");
    // Signed out: sent to sign in and back.
    let mut stranger = Browser::new(&app);
    let answer = stranger.submit("/inscription", &action, &[]).await;
    assert_eq!(answer.location, "/connexion?erreur=connexion-requise&suite=%2Fmoderation");
    // The moderator without the form token, or with a wrong one.
    for csrf in ["", &"0".repeat(64)] {
        let answer = moderator.post(&action, &[("csrf", csrf)]).await;
        assert_eq!(answer.location, "/moderation?erreur=formulaire-expire");
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(state().await, ("failed".to_owned(), 10), "nothing changed");
    assert!(app.mailer.sent().unwrap().iter().all(|m| m.to() != "perdu@exemple.fr"));

    let answer = moderator.submit("/moderation", &action, &[]).await;
    assert_eq!(answer.location, "/moderation?info=courriel-renvoye");
    assert!(says(&moderator.get(&answer.location).await.body, "Le courriel a été remis dans la file d'envoi."));
    // The application's worker sends it at its next pass.
    let mut delivered = false;
    for _ in 0..100 {
        if app.mailer.sent().unwrap().iter().any(|m| m.to() == "perdu@exemple.fr" && m.subject() == "Objet perdu") {
            delivered = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(delivered, "the requeued mail is sent");
    for _ in 0..100 {
        if state().await.0 == "sent" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(state().await, ("sent".to_owned(), 1), "counted from zero again");
    assert!(says(&moderator.get("/moderation").await.body, "Aucun courriel en échec"));
    // Sent is not failed: a second click (from a page kept open) changes nothing.
    let again = moderator.submit("/compte", &action, &[]).await;
    assert_eq!(again.location, "/moderation?erreur=courriel-pas-en-echec");
    assert_eq!(app.mailer.sent().unwrap().iter().filter(|m| m.to() == "perdu@exemple.fr").count(), 1);
    let mangled = moderator.submit("/compte", "/moderation/courriels/abc/renvoi", &[]).await;
    assert_eq!(mangled.location, "/moderation?erreur=courriel-pas-en-echec");
}

/// Alone in her organisation, its only owner cannot leave the portal while it has something
/// online or in progress — nobody would answer for it; once it is withdrawn, she can.
#[tokio::test]
async fn the_only_owner_cannot_delete_her_account_while_her_organisation_has_something_online() {
    let w = World::new().await;
    let stages = server::stages::Stages::new(w.db.clone());
    let claire = w.confirmed_user("claire@msp.example", "Claire").await;
    let msp = w.organisation(claire, "msp", "MSP du Lévézou", "", true).await;
    let offer = w.published(claire, msp, &crate::offers::remplacement()).await;
    let site = app::domain::stages::StageSiteForm {
        nom: "Maison de santé du Lévézou".into(),
        commune: "12202".into(),
        specialite: "medecine_generale".into(),
        faculte: "toulouse".into(),
        niveaux: "saspas".into(),
        places: "1".into(),
        maitres_de_stage: "Dr Claire Roux".into(),
        activites: String::new(),
        description: "Une équipe de douze professionnels et une patientèle rurale.".into(),
    };
    let site = stages.declare(claire, msp, &site).await.unwrap();

    let refused = w.accounts.delete_account(claire, crate::seeds::PASSWORD).await;
    assert!(matches!(&refused, Err(server::accounts::AccountError::SoleOwner { .. })), "{refused:?}");
    w.offers.withdraw(claire, offer).await.unwrap();
    let refused = w.accounts.delete_account(claire, crate::seeds::PASSWORD).await;
    assert!(matches!(&refused, Err(server::accounts::AccountError::SoleOwner { .. })), "the stage site: {refused:?}");
    stages.withdraw(claire, site).await.unwrap();
    w.accounts.delete_account(claire, crate::seeds::PASSWORD).await.unwrap();
}
