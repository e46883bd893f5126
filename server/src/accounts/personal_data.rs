//! The RGPD rights of a person over their account: a copy of everything we hold about them
//! (article 15 and 20), and erasure (article 17).
//!
//! Both cover every table that holds a person's id (`USER_COLUMNS`, checked against the
//! schema by `tests/integration/personal_data.rs`: a new table that holds a user id fails it
//! until it is handled here), and the three that hold their address instead: invitations
//! addressed to them, sign-in failures and the mail outbox. What others keep (an organisation
//! they created, the moderation log, a page they wrote) stays, without them or their name.

use super::{AccountError, Accounts};
use crate::db::Query;
use crate::db::rows::{Flag, Table, typed};
use serde::Serialize;
use serde_json::{Value, json};
use sqlx::any::AnyRow;
use sqlx::{AnyPool, FromRow};

/// What erasing an account does to a row that holds the person's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Erasure {
    /// The row is the person's: it goes.
    Delete,
    /// The row is also others' (a page, a thread, an organisation): it stays, its link to the
    /// person is cut, and a name it kept of them reads « Compte supprimé ».
    Detach,
}

/// A column that holds a user's id: where the export shows its rows, what erasure does.
#[derive(Debug, Clone, Copy)]
pub struct UserColumn {
    pub table: &'static str,
    pub column: &'static str,
    /// The export's key that lists these rows.
    pub export: &'static str,
    pub erasure: Erasure,
}

const fn column(table: &'static str, column: &'static str, export: &'static str, erasure: Erasure) -> UserColumn {
    UserColumn { table, column, export, erasure }
}

/// Every column of the schema that refers to `users (id)`.
pub const USER_COLUMNS: &[UserColumn] = &[
    column("sessions", "user_id", "sessions", Erasure::Delete),
    column("account_tokens", "user_id", "liens_envoyes", Erasure::Delete),
    column("people", "user_id", "profil", Erasure::Delete),
    column("candidate_wishes", "user_id", "recherche", Erasure::Delete),
    column("saved_searches", "user_id", "alertes", Erasure::Delete),
    column("organisations", "created_by", "organisations_creees", Erasure::Detach),
    column("memberships", "user_id", "organisations", Erasure::Delete),
    column("invitations", "invited_by", "invitations_envoyees", Erasure::Detach),
    column("invitations", "accepted_by", "invitations_recues", Erasure::Delete),
    column("moderation_log", "actor_id", "actions_de_moderation", Erasure::Detach),
    column("offers", "created_by", "offres_creees", Erasure::Detach),
    column("applications", "candidate_id", "candidatures", Erasure::Delete),
    column("application_messages", "author_id", "messages_ecrits_pour_une_organisation", Erasure::Detach),
    column("application_events", "actor_id", "statuts_changes_pour_une_organisation", Erasure::Detach),
    column("territory_revisions", "author_id", "versions_de_pages_ecrites", Erasure::Detach),
    column("territory_testimonials", "consent_by", "temoignages_enregistres", Erasure::Detach),
    column("territory_photos", "created_by", "photos_ajoutees", Erasure::Detach),
    column("stage_semesters", "user_id", "semestres_de_stage", Erasure::Delete),
    column("stage_semesters", "confirmed_by", "semestres_confirmes_pour_un_terrain", Erasure::Detach),
    column("stage_reviews", "user_id", "avis_de_stage", Erasure::Delete),
    column("stage_reviews", "moderated_by", "avis_moderes", Erasure::Detach),
    column("cases", "requester_id", "dossiers_guichet", Erasure::Delete),
    column("cases", "referent_id", "dossiers_suivis_comme_referent", Erasure::Detach),
    column("case_messages", "author_id", "messages_ecrits_pour_un_guichet", Erasure::Detach),
    column("events", "created_by", "evenements_crees", Erasure::Detach),
    column("event_registrations", "user_id", "inscriptions_evenements", Erasure::Delete),
];

/// The name a row keeps of an erased author.
pub const ERASED_NAME: &str = "Compte supprimé";

/// Every row of `sql` with its parameters bound by `bind`, each an export's `T`.
async fn all<T>(
    pool: &AnyPool,
    sql: &'static str,
    bind: impl FnOnce(Query<'static>) -> Query<'static>,
) -> Result<Vec<T>, sqlx::Error>
where
    T: for<'r> FromRow<'r, AnyRow> + Table + Send + Unpin,
{
    bind(sqlx::query(sql)).try_map(typed::<T>).fetch_all(pool).await
}

/// One table of the export: its rows are `$name`s, their fields named as the export names them.
macro_rules! section {
    ($name:ident from $table:literal { $($(#[$meta:meta])* $field:ident: $ty:ty,)* }) => {
        #[derive(Debug, sqlx::FromRow, Serialize)]
        struct $name { $($(#[$meta])* $field: $ty,)* }
        impl Table for $name {
            const TABLE: &'static str = $table;
        }
    };
}

section!(UserData from "users" {
    email: String,
    display_name: String,
    created_at: i64,
    email_verified_at: Option<i64>,
    email_key: String,
});

section!(ProfileData from "people" {
    #[serde(rename = "statut")] status: String,
    #[serde(rename = "faculte")] faculty: Option<String>,
    #[serde(rename = "annee_internat")] internship_year: Option<i64>,
    #[serde(rename = "specialite")] specialty: String,
    #[serde(rename = "these_soutenue")] thesis_defended: Flag,
    rpps: Option<String>,
    #[serde(rename = "mis_a_jour_le")] updated_at: i64,
});

section!(AlertData from "saved_searches" {
    #[serde(rename = "sujet")] subject: String,
    #[serde(rename = "recherche")] label: String,
    #[serde(rename = "filtres")] query: String,
    #[serde(rename = "frequence")] frequency: String,
    #[serde(rename = "creee_le")] created_at: i64,
    #[serde(rename = "dernier_envoi_le")] last_sent_at: Option<i64>,
});

section!(ApplicationData from "applications" {
    id: i64,
    title: String,
    status: String,
    message: String,
    cv_name: Option<String>,
    cv_size: Option<i64>,
    created_at: i64,
    updated_at: i64,
});

section!(ThreadData from "application_messages" {
    /// « organisation » or « vous ».
    #[serde(rename = "de")] author: String,
    #[serde(rename = "message")] body: String,
    #[serde(rename = "le")] created_at: i64,
});

section!(HistoryData from "application_events" {
    #[serde(rename = "de")] from_status: Option<String>,
    #[serde(rename = "vers")] to_status: String,
    #[serde(rename = "le")] created_at: i64,
});

section!(WrittenData from "application_messages" {
    #[serde(rename = "offre")] title: String,
    #[serde(rename = "message")] body: String,
    #[serde(rename = "le")] created_at: i64,
});

section!(SessionData from "sessions" {
    #[serde(rename = "ouverte_le")] created_at: i64,
    #[serde(rename = "expire_le")] expires_at: i64,
});

section!(LinkData from "account_tokens" {
    #[serde(rename = "objet")] purpose: String,
    #[serde(rename = "expire_le")] expires_at: i64,
    #[serde(rename = "utilise_le")] used_at: Option<i64>,
    #[serde(rename = "nouvelle_adresse")] new_email: Option<String>,
});

section!(FailureData from "sign_in_failures" {
    failed_at: i64,
});

section!(MailData from "mail_outbox" {
    #[serde(rename = "modele")] template: String,
    #[serde(rename = "objet")] subject: String,
    #[serde(rename = "cree_le_ms")] created_at: i64,
    #[serde(rename = "etat")] status: String,
    #[serde(rename = "envoye_le_ms")] sent_at: Option<i64>,
});

section!(MembershipData from "memberships" {
    organisation: String,
    #[serde(rename = "type")] kind: String,
    #[serde(rename = "statut")] status: String,
    role: String,
    #[serde(rename = "membre_depuis")] created_at: i64,
});

section!(CreatedData from "organisations" {
    name: String,
});

section!(SentData from "invitations" {
    organisation: String,
    #[serde(rename = "adresse_invitee")] email: String,
    role: String,
    #[serde(rename = "envoyee_le")] created_at: i64,
    #[serde(rename = "expire_le")] expires_at: i64,
    #[serde(rename = "acceptee_le")] accepted_at: Option<i64>,
});

section!(ReceivedData from "invitations" {
    organisation: String,
    #[serde(rename = "adresse_invitee")] email: String,
    role: String,
    #[serde(rename = "recue_le")] created_at: i64,
    #[serde(rename = "expire_le")] expires_at: i64,
    #[serde(rename = "acceptee_le")] accepted_at: Option<i64>,
});

section!(ModerationData from "moderation_log" {
    organisation: String,
    action: String,
    #[serde(rename = "motif")] reason: Option<String>,
    #[serde(rename = "le")] created_at: i64,
    #[serde(rename = "adresse_au_moment_de_l_action")] actor_email: Option<String>,
});

section!(StatusChangeData from "application_events" {
    #[serde(rename = "offre")] title: String,
    #[serde(rename = "de")] from_status: Option<String>,
    #[serde(rename = "vers")] to_status: String,
    #[serde(rename = "le")] created_at: i64,
});

section!(OfferCreatedData from "offers" {
    #[serde(rename = "offre")] title: String,
    #[serde(rename = "etat")] status: String,
    #[serde(rename = "creee_le")] created_at: i64,
});

section!(EventCreatedData from "events" {
    #[serde(rename = "evenement")] title: String,
    #[serde(rename = "debut")] starts_at: i64,
    #[serde(rename = "cree_le")] created_at: i64,
});

section!(RegistrationData from "event_registrations" {
    #[serde(rename = "evenement")] title: String,
    #[serde(rename = "debut")] starts_at: i64,
    /// « inscrit » or « attente ».
    #[serde(rename = "etat")] status: String,
    #[serde(rename = "inscrit_le")] created_at: i64,
});

section!(SemesterData from "stage_semesters" {
    #[serde(rename = "terrain")] site: String,
    /// novembre or mai.
    #[serde(rename = "semestre")] season: String,
    #[serde(rename = "annee")] year: i64,
    #[serde(rename = "confirme_le")] created_at: i64,
});

section!(StageReviewData from "stage_reviews" {
    #[serde(rename = "terrain")] site: String,
    /// en_attente, publie or refuse.
    #[serde(rename = "etat")] status: String,
    #[serde(rename = "encadrement")] supervision: i64,
    #[serde(rename = "autonomie")] autonomy: i64,
    #[serde(rename = "diversite")] variety: i64,
    #[serde(rename = "ambiance")] atmosphere: i64,
    #[serde(rename = "logement")] housing: Option<i64>,
    #[serde(rename = "charge")] workload: i64,
    #[serde(rename = "avis")] body: String,
    #[serde(rename = "motif_du_refus")] reason: Option<String>,
    #[serde(rename = "reponse_du_terrain")] answer: Option<String>,
    #[serde(rename = "ecrit_le")] created_at: i64,
});

section!(ModeratedReviewData from "stage_reviews" {
    #[serde(rename = "terrain")] site: String,
    #[serde(rename = "etat")] status: String,
    #[serde(rename = "le")] moderated_at: Option<i64>,
});

section!(RevisionData from "territory_revisions" {
    organisation: String,
    #[serde(rename = "note")] note: Option<String>,
    #[serde(rename = "le")] created_at: i64,
});

section!(TestimonialData from "territory_testimonials" {
    organisation: String,
    #[serde(rename = "temoin")] name: String,
    #[serde(rename = "accord_enregistre_le")] consent_at: i64,
});

section!(PhotoData from "territory_photos" {
    organisation: String,
    #[serde(rename = "description")] alt: String,
    #[serde(rename = "ajoutee_le")] created_at: i64,
});

section!(CaseData from "cases" {
    id: i64,
    organisation: String,
    subject: String,
    status: String,
    created_at: i64,
    updated_at: i64,
});

section!(CaseMessageData from "case_messages" {
    /// « collectivité » or « vous ».
    #[serde(rename = "de")] author: String,
    #[serde(rename = "message")] body: String,
    #[serde(rename = "le")] created_at: i64,
});

section!(FollowedCaseData from "cases" {
    organisation: String,
    #[serde(rename = "objet")] subject: String,
    #[serde(rename = "etat")] status: String,
    #[serde(rename = "ouvert_le")] created_at: i64,
});

section!(RepliedData from "case_messages" {
    #[serde(rename = "dossier")] subject: String,
    #[serde(rename = "message")] body: String,
    #[serde(rename = "le")] created_at: i64,
});

impl Accounts {
    /// Everything the database holds about `user_id`, as one JSON document. Secrets (password
    /// hash, token digests) are described, not copied: they are ours to protect, not data
    /// about the person.
    #[tracing::instrument(skip_all, fields(user_id))]
    pub async fn export(&self, user_id: i64) -> Result<Value, AccountError> {
        let pool = &self.db.pool;
        let by_id = |query: Query<'static>| query.bind(user_id);
        let user: UserData = all(
            pool,
            "SELECT email, display_name, created_at, email_verified_at, email_key FROM users WHERE id = $1",
            by_id,
        )
        .await?
        .pop()
        .ok_or(sqlx::Error::RowNotFound)?;
        let by_key = |query: Query<'static>| query.bind(user.email_key.clone());

        let profile: Option<ProfileData> = all(
            pool,
            "SELECT status, faculty, internship_year, specialty, thesis_defended, rpps, updated_at
             FROM people WHERE user_id = $1",
            by_id,
        )
        .await?
        .pop();

        // What they look for, as the form shows it (the same codes and text).
        let wishes = crate::candidates::wishes_of(&self.db, user_id)
            .await?
            .map(|(wishes, _)| {
                let mut form = wishes.to_form();
                // The commune as stored: its INSEE code.
                form.autour = wishes.around.as_ref().map(ToString::to_string).unwrap_or_default();
                serde_json::to_value(form)
            })
            .transpose()
            .map_err(|error| sqlx::Error::Decode(error.into()))?;

        let alerts: Vec<AlertData> = all(
            pool,
            "SELECT subject, label, query, frequency, created_at, last_sent_at FROM saved_searches WHERE user_id = $1 ORDER BY id",
            by_id,
        )
        .await?;

        // Their applications, each with its thread and history; the CV is a file: named here,
        // downloaded from its address.
        let mut applications = Vec::new();
        let sent_by_them: Vec<ApplicationData> = all(
            pool,
            "SELECT a.id, o.title, a.status, a.message, a.cv_name, a.cv_size, a.created_at, a.updated_at
             FROM applications a JOIN offers o ON o.id = a.offer_id WHERE a.candidate_id = $1 ORDER BY a.id",
            by_id,
        )
        .await?;
        for application in sent_by_them {
            let id = application.id;
            let thread: Vec<ThreadData> = all(
                pool,
                "SELECT CASE WHEN from_organisation = 1 THEN 'organisation' ELSE 'vous' END AS author, body, created_at
                 FROM application_messages WHERE application_id = $1 ORDER BY id",
                |query| query.bind(id),
            )
            .await?;
            let history: Vec<HistoryData> = all(
                pool,
                "SELECT from_status, to_status, created_at FROM application_events WHERE application_id = $1 ORDER BY id",
                |query| query.bind(id),
            )
            .await?;
            let cv = match application.cv_name {
                Some(name) => json!({
                    "nom": name,
                    "taille_octets": application.cv_size,
                    "telechargement": format!("/candidatures/{id}/cv"),
                }),
                None => Value::Null,
            };
            applications.push(json!({
                "offre": application.title,
                "etat": application.status,
                "message": application.message,
                "cv": cv,
                "envoyee_le": application.created_at,
                "mise_a_jour_le": application.updated_at,
                "echanges": thread,
                "historique": history,
            }));
        }
        // What they wrote in the threads of applications to their organisations' offers.
        let written: Vec<WrittenData> = all(
            pool,
            "SELECT o.title, m.body, m.created_at FROM application_messages m
             JOIN applications a ON a.id = m.application_id JOIN offers o ON o.id = a.offer_id
             WHERE m.author_id = $1 AND m.from_organisation = 1 ORDER BY m.id",
            by_id,
        )
        .await?;

        let sessions: Vec<SessionData> =
            all(pool, "SELECT created_at, expires_at FROM sessions WHERE user_id = $1 ORDER BY created_at", by_id)
                .await?;

        let links: Vec<LinkData> = all(
            pool,
            "SELECT purpose, expires_at, used_at, new_email FROM account_tokens WHERE user_id = $1 ORDER BY expires_at",
            by_id,
        )
        .await?;

        let failures: Vec<FailureData> =
            all(pool, "SELECT failed_at FROM sign_in_failures WHERE email_key = $1 ORDER BY failed_at", by_key).await?;

        let mails: Vec<MailData> = all(
            pool,
            "SELECT template, subject, created_at, status, sent_at FROM mail_outbox
             WHERE lower(recipient) = lower($1) ORDER BY id",
            |query| query.bind(user.email.clone()),
        )
        .await?;

        let memberships: Vec<MembershipData> = all(
            pool,
            "SELECT o.name AS organisation, o.kind, o.status, m.role, m.created_at
             FROM memberships m JOIN organisations o ON o.id = m.organisation_id
             WHERE m.user_id = $1 ORDER BY m.created_at, o.id",
            by_id,
        )
        .await?;

        let created: Vec<CreatedData> =
            all(pool, "SELECT name FROM organisations WHERE created_by = $1 ORDER BY created_at, id", by_id).await?;

        let sent: Vec<SentData> = all(
            pool,
            "SELECT o.name AS organisation, i.email, i.role, i.created_at, i.expires_at, i.accepted_at
             FROM invitations i JOIN organisations o ON o.id = i.organisation_id
             WHERE i.invited_by = $1 ORDER BY i.created_at, i.id",
            by_id,
        )
        .await?;

        // Addressed to this account's address, or accepted by it under an earlier address.
        // Who invited is not said: that is the inviter's data, and the mail said it already.
        let received: Vec<ReceivedData> = all(
            pool,
            "SELECT o.name AS organisation, i.email, i.role, i.created_at, i.expires_at, i.accepted_at
             FROM invitations i JOIN organisations o ON o.id = i.organisation_id
             WHERE i.email_key = $1 OR i.accepted_by = $2 ORDER BY i.created_at, i.id",
            |query| query.bind(user.email_key.clone()).bind(user_id),
        )
        .await?;

        let moderation: Vec<ModerationData> = all(
            pool,
            "SELECT o.name AS organisation, l.action, l.reason, l.created_at, l.actor_email
             FROM moderation_log l JOIN organisations o ON o.id = l.organisation_id
             WHERE l.actor_id = $1 ORDER BY l.created_at, l.id",
            by_id,
        )
        .await?;

        let status_changes: Vec<StatusChangeData> = all(
            pool,
            "SELECT o.title, e.from_status, e.to_status, e.created_at FROM application_events e
             JOIN applications a ON a.id = e.application_id JOIN offers o ON o.id = a.offer_id
             WHERE e.actor_id = $1 AND a.candidate_id <> $1 ORDER BY e.id",
            by_id,
        )
        .await?;

        let offers_created: Vec<OfferCreatedData> =
            all(pool, "SELECT title, status, created_at FROM offers WHERE created_by = $1 ORDER BY id", by_id).await?;

        let events_created: Vec<EventCreatedData> =
            all(pool, "SELECT title, starts_at, created_at FROM events WHERE created_by = $1 ORDER BY id", by_id)
                .await?;

        let registrations: Vec<RegistrationData> = all(
            pool,
            "SELECT e.title, e.starts_at, r.status, r.created_at FROM event_registrations r
             JOIN events e ON e.id = r.event_id WHERE r.user_id = $1 ORDER BY e.starts_at, e.id",
            by_id,
        )
        .await?;

        // What they wrote or recorded on territory pages: the page is the organisation's, its
        // text is in the page's history; the export says which and when.
        let revisions: Vec<RevisionData> = all(
            pool,
            "SELECT o.name AS organisation, r.note, r.created_at FROM territory_revisions r
             JOIN territory_pages p ON p.id = r.page_id JOIN organisations o ON o.id = p.organisation_id
             WHERE r.author_id = $1 ORDER BY r.id",
            by_id,
        )
        .await?;
        let testimonials: Vec<TestimonialData> = all(
            pool,
            "SELECT o.name AS organisation, t.name, t.consent_at FROM territory_testimonials t
             JOIN territory_pages p ON p.id = t.page_id JOIN organisations o ON o.id = p.organisation_id
             WHERE t.consent_by = $1 ORDER BY t.id",
            by_id,
        )
        .await?;
        let photos: Vec<PhotoData> = all(
            pool,
            "SELECT o.name AS organisation, f.alt, f.created_at FROM territory_photos f
             JOIN territory_pages p ON p.id = f.page_id JOIN organisations o ON o.id = p.organisation_id
             WHERE f.created_by = $1 ORDER BY f.id",
            by_id,
        )
        .await?;

        // Their stage semesters and reviews; the semesters they confirmed and the reviews they
        // moderated for others (which site, when: not the intern, whose data it is).
        let semesters: Vec<SemesterData> = all(
            pool,
            "SELECT s.name AS site, m.season, m.year, m.created_at FROM stage_semesters m
             JOIN stage_sites s ON s.id = m.site_id WHERE m.user_id = $1 ORDER BY m.id",
            by_id,
        )
        .await?;
        let confirmed: Vec<SemesterData> = all(
            pool,
            "SELECT s.name AS site, m.season, m.year, m.created_at FROM stage_semesters m
             JOIN stage_sites s ON s.id = m.site_id WHERE m.confirmed_by = $1 AND m.user_id <> $1 ORDER BY m.id",
            by_id,
        )
        .await?;
        let reviews: Vec<StageReviewData> = all(
            pool,
            "SELECT s.name AS site, r.status, r.supervision, r.autonomy, r.variety, r.atmosphere, r.housing,
                r.workload, r.body, r.reason, r.answer, r.created_at
             FROM stage_reviews r JOIN stage_sites s ON s.id = r.site_id WHERE r.user_id = $1 ORDER BY r.id",
            by_id,
        )
        .await?;
        let moderated: Vec<ModeratedReviewData> = all(
            pool,
            "SELECT s.name AS site, r.status, r.moderated_at FROM stage_reviews r
             JOIN stage_sites s ON s.id = r.site_id WHERE r.moderated_by = $1 ORDER BY r.id",
            by_id,
        )
        .await?;

        // The cases they opened at the guichet unique, each with its messages.
        let mut cases = Vec::new();
        let opened: Vec<CaseData> = all(
            pool,
            "SELECT c.id, o.name AS organisation, c.subject, c.status, c.created_at, c.updated_at
             FROM cases c JOIN organisations o ON o.id = c.organisation_id WHERE c.requester_id = $1 ORDER BY c.id",
            by_id,
        )
        .await?;
        for case in opened {
            let messages: Vec<CaseMessageData> = all(
                pool,
                "SELECT CASE WHEN from_referent = 1 THEN 'collectivité' ELSE 'vous' END AS author, body, created_at
                 FROM case_messages WHERE case_id = $1 ORDER BY id",
                |query| query.bind(case.id),
            )
            .await?;
            cases.push(json!({
                "organisation": case.organisation,
                "objet": case.subject,
                "etat": case.status,
                "ouvert_le": case.created_at,
                "mis_a_jour_le": case.updated_at,
                "messages": messages,
            }));
        }
        let followed: Vec<FollowedCaseData> = all(
            pool,
            "SELECT o.name AS organisation, c.subject, c.status, c.created_at FROM cases c
             JOIN organisations o ON o.id = c.organisation_id WHERE c.referent_id = $1 ORDER BY c.id",
            by_id,
        )
        .await?;
        let replied: Vec<RepliedData> = all(
            pool,
            "SELECT c.subject, m.body, m.created_at FROM case_messages m JOIN cases c ON c.id = m.case_id
             WHERE m.author_id = $1 AND m.from_referent = 1 ORDER BY m.id",
            by_id,
        )
        .await?;

        Ok(json!({
            "exporte_le": self.clock.now(),
            "note": "Dates en secondes depuis le 1er janvier 1970 (UTC), celles des courriels en millisecondes. \
                     Le mot de passe n'est conservé que sous forme d'empreinte argon2id, et les jetons de session \
                     et des liens envoyés par courriel sous forme d'empreinte SHA-256 : ils ne figurent pas ici.",
            "compte": {
                "adresse_email": user.email,
                "nom_affiche": user.display_name,
                "cree_le": user.created_at,
                "adresse_confirmee_le": user.email_verified_at,
            },
            "profil": profile,
            "recherche": wishes,
            "alertes": alerts,
            "candidatures": applications,
            "messages_ecrits_pour_une_organisation": written,
            "sessions": sessions,
            "liens_envoyes": links,
            "echecs_de_connexion": failures.into_iter().map(|f| f.failed_at).collect::<Vec<_>>(),
            "courriels": mails,
            "organisations": memberships,
            "organisations_creees": created.into_iter().map(|c| c.name).collect::<Vec<_>>(),
            "invitations_envoyees": sent,
            "invitations_recues": received,
            "actions_de_moderation": moderation,
            "statuts_changes_pour_une_organisation": status_changes,
            "offres_creees": offers_created,
            "evenements_crees": events_created,
            "inscriptions_evenements": registrations,
            "versions_de_pages_ecrites": revisions,
            "temoignages_enregistres": testimonials,
            "photos_ajoutees": photos,
            "semestres_de_stage": semesters,
            "semestres_confirmes_pour_un_terrain": confirmed,
            "avis_de_stage": reviews,
            "avis_moderes": moderated,
            "dossiers_guichet": cases,
            "dossiers_suivis_comme_referent": followed,
            "messages_ecrits_pour_un_guichet": replied,
        }))
    }

    /// Erases the account of `user_id` once they confirm with their password: each row of
    /// `USER_COLUMNS` goes or is detached from them as it says, and so do the mails we kept for
    /// their address, the record of failed sign-ins and the invitations addressed to them.
    /// Refused, with nothing changed, while they are the only owner of an open organisation
    /// that has other members or anything online or in progress (`InProgress`): nobody would
    /// be left to answer for them. Handing ownership on, or closing it, lets them go.
    #[tracing::instrument(skip_all, fields(user_id))]
    pub async fn delete_account(&self, user_id: i64, password: &str) -> Result<(), AccountError> {
        let (email, _) = self.check_password(user_id, password).await?;
        let mut tx = self.db.begin_write().await?;
        let email_key: String =
            sqlx::query_scalar("SELECT email_key FROM users WHERE id = $1").bind(user_id).fetch_one(&mut *tx).await?;
        // Take this person's organisations' rows first, as every change of an organisation does
        // (see `organisations`): another owner cannot leave between the check below and the
        // deletion, which would leave the members without an owner.
        sqlx::query(
            "UPDATE organisations SET updated_at = $1
             WHERE id IN (SELECT organisation_id FROM memberships WHERE user_id = $2)",
        )
        .bind(self.clock.now())
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
        // An open organisation they alone own that has other members, or anything online or
        // in progress, would be left with nobody to answer for it.
        let orphaned = crate::organisations::closure::left_behind_by(&mut tx, user_id, self.clock.now()).await?;
        if let Some(organisation) = orphaned {
            // Dropped unfinished, the transaction rolls back: nothing is changed.
            return Err(AccountError::SoleOwner { organisation });
        }
        crate::organisations::closure::close_left_by(&mut tx, user_id, self.clock.now()).await?;
        // The audit log keeps what was done, not by whom (the triggers allow this update only).
        sqlx::query("UPDATE moderation_log SET actor_id = NULL, actor_email = NULL WHERE actor_id = $1")
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        // Invitations addressed to them hold their address: pending ones, and accepted ones
        // (accepted_by also finds those sent to an address they have since changed).
        sqlx::query("DELETE FROM invitations WHERE email_key = $1 OR accepted_by = $2")
            .bind(email_key.clone())
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        // Children first: SQLite enforces foreign keys only when they are on, and being
        // explicit costs nothing. An organisation whose only member this was stays, with none.
        // A place they held at an event goes to the first one waiting, as when they unregister.
        crate::events::free_places_of(&mut tx, user_id).await?;
        crate::promotion::member_leaving(&mut tx, user_id, None, self.clock.now()).await?;
        for sql in [
            "DELETE FROM memberships WHERE user_id = $1",
            // Their cases at the guichet unique, with their messages; in the cases they followed
            // for a collectivité, what they wrote stays, signed « Compte supprimé ».
            "DELETE FROM case_messages WHERE case_id IN (SELECT id FROM cases WHERE requester_id = $1)",
            "DELETE FROM cases WHERE requester_id = $1",
            "UPDATE cases SET referent_id = NULL WHERE referent_id = $1",
            "UPDATE case_messages SET author_id = NULL, author_name = 'Compte supprimé' WHERE author_id = $1",
            "UPDATE territory_revisions SET author_id = NULL, author_name = 'Compte supprimé' WHERE author_id = $1",
            "UPDATE territory_testimonials SET consent_by = NULL WHERE consent_by = $1",
            "UPDATE territory_photos SET created_by = NULL WHERE created_by = $1",
            "UPDATE offers SET created_by = NULL WHERE created_by = $1",
            "UPDATE events SET created_by = NULL WHERE created_by = $1",
            // Their reviews of stage sites and their semesters go; what they confirmed or
            // moderated for others stays, without them.
            "DELETE FROM stage_reviews WHERE user_id = $1",
            "DELETE FROM stage_semesters WHERE user_id = $1",
            "UPDATE stage_semesters SET confirmed_by = NULL WHERE confirmed_by = $1",
            "UPDATE stage_reviews SET moderated_by = NULL WHERE moderated_by = $1",
            // Their applications, with their threads and histories; in the threads of others'
            // applications, what they wrote stays, as from « compte supprimé ».
            "DELETE FROM application_messages WHERE application_id IN (SELECT id FROM applications WHERE candidate_id = $1)",
            "DELETE FROM application_events WHERE application_id IN (SELECT id FROM applications WHERE candidate_id = $1)",
            "DELETE FROM applications WHERE candidate_id = $1",
            "UPDATE application_messages SET author_id = NULL WHERE author_id = $1",
            "UPDATE application_events SET actor_id = NULL WHERE actor_id = $1",
            "UPDATE organisations SET created_by = NULL WHERE created_by = $1",
            "UPDATE invitations SET invited_by = NULL WHERE invited_by = $1",
            "DELETE FROM people WHERE user_id = $1",
            "DELETE FROM candidate_wishes WHERE user_id = $1",
            "DELETE FROM saved_search_offers WHERE search_id IN (SELECT id FROM saved_searches WHERE user_id = $1)",
            "DELETE FROM saved_searches WHERE user_id = $1",
            "DELETE FROM sessions WHERE user_id = $1",
            "DELETE FROM account_tokens WHERE user_id = $1",
        ] {
            sqlx::query(sql).bind(user_id).execute(&mut *tx).await?;
        }
        sqlx::query("DELETE FROM sign_in_failures WHERE email_key = $1").bind(email_key).execute(&mut *tx).await?;
        sqlx::query("DELETE FROM mail_outbox WHERE lower(recipient) = lower($1)").bind(email).execute(&mut *tx).await?;
        sqlx::query("DELETE FROM users WHERE id = $1").bind(user_id).execute(&mut *tx).await?;
        tx.commit().await?;
        tracing::info!(user_id, "account deleted at its owner's request");
        Ok(())
    }
}
