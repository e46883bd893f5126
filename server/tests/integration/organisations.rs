//! Organisations, memberships, invitations and moderation: the service against a real database
//! with the imported reference data (SQLite, or PostgreSQL with TEST_DATABASE=postgres).

use crate::helpers::*;
use server::accounts::Accounts;
use server::db::Database;
use server::organisations::{INVITATION_MAX, OrganisationError, Organisations, Removal};
use sqlx::Row;

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
            "« 12000 » est un code postal ; le code INSEE est différent : Rodez (12202)",
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
    assert_eq!(page.queue[1].same_reference, ["Mairie de Rodez (en attente de vérification)"], "possible duplicate");
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
    let actions: Vec<_> = log.iter().map(|l| (l.action.code(), l.organisation_id, l.actor_email.as_str())).collect();
    assert_eq!(
        actions,
        [
            ("resubmit", fake, "paul@exemple.fr"),
            ("reject", fake, "moderation@ars.example"),
            ("approve", rodez, "moderation@ars.example"),
        ]
    );
    assert_eq!(log[1].reason.as_deref(), Some("La mairie de Rodez est déjà inscrite.\nContactez-la."));

    // The log is append-only, whoever asks.
    assert!(sqlx::query("UPDATE moderation_log SET reason = 'effacé'").execute(&f.db.pool).await.is_err());
    assert!(sqlx::query("DELETE FROM moderation_log").execute(&f.db.pool).await.is_err());
    assert_eq!(f.count("SELECT CAST(COUNT(*) AS BIGINT) FROM moderation_log").await, 3);

    // Moderators are appointed and removed by the operator only.
    assert!(matches!(orgs.set_moderator("inconnu@exemple.fr", true).await, Err(OrganisationError::NoSuchAccount(_))));
    orgs.set_moderator("MODERATION@ars.example", false).await.unwrap();
    assert!(matches!(orgs.approve(mod_, fake).await, Err(OrganisationError::ModeratorsOnly)));
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
        app::api::organisation::InvitationState::Closed
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
