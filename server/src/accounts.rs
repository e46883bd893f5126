//! People's accounts: sign-up with e-mail verification, sign-in into sessions stored in the
//! database (so every server instance knows them), sign-out and password reset.
//!
//! Passwords are argon2id hashes; session and link tokens are stored as digests (see
//! `secret`). Sign-in and reset never tell whether an address has an account.

pub mod flashes;
mod password;
mod personal_data;
pub(crate) mod secret;

pub use password::{MAX_CHARS as PASSWORD_MAX_CHARS, MIN_CHARS as PASSWORD_MIN_CHARS, NewPassword, PasswordError};
pub use personal_data::{ERASED_NAME, Erasure, USER_COLUMNS, UserColumn};
/// Link tokens of other services (invitations) are stored as the same digests.
pub(crate) use secret::digest;
pub use secret::new_token;

use crate::clock::Clock;
use crate::db::Database;
use crate::db::rows::{Flag, table, typed};
use crate::mail::{self, OutgoingMail, Template};
use app::domain::accounts::paths;
use app::model::{Email, EmailError};

use std::time::Duration;

/// Who an account is and its password's hash, read to sign in, reset or confirm a password.
const CREDENTIALS: &str = "SELECT id, email, display_name, password_hash FROM users";

#[derive(sqlx::FromRow)]
struct Credentials {
    id: i64,
    email: String,
    display_name: String,
    password_hash: String,
}

table!(Credentials, "users");

/// How long a session lasts after sign-in.
pub const SESSION_TTL: Duration = Duration::from_secs(30 * 24 * 3600);
/// How long an e-mail verification link works.
pub const VERIFICATION_TTL: Duration = Duration::from_secs(48 * 3600);
/// A new verification link is sent at most this often (the mails are the person's own, but
/// a button pressed in a loop would fill their mailbox and our outbox).
pub const RESEND_AFTER: Duration = Duration::from_secs(10 * 60);
/// How long a password reset link works.
pub const RESET_TTL: Duration = Duration::from_secs(3600);
/// Failed sign-ins allowed for one address within `SIGN_IN_WINDOW`.
pub const SIGN_IN_MAX_FAILURES: i64 = 5;
pub const SIGN_IN_WINDOW: Duration = Duration::from_secs(15 * 60);

/// Everything that can go wrong with an account, each with the French sentence shown to the
/// person; database failures are logged and shown as a generic apology.
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error("{0}")]
    Email(#[from] EmailError),
    #[error("{0}")]
    Password(#[from] PasswordError),
    #[error("le nom affiché doit compter entre 2 et 80 caractères")]
    Name,
    #[error("un compte existe déjà avec cette adresse e-mail : connectez-vous, ou demandez un nouveau mot de passe")]
    EmailTaken,
    #[error("adresse e-mail ou mot de passe incorrect")]
    BadCredentials,
    #[error("trop de tentatives de connexion pour cette adresse : réessayez dans {minutes} minutes")]
    RateLimited { minutes: u64 },
    #[error("ce lien n'est plus valable (il a expiré ou a déjà servi) : demandez-en un nouveau")]
    BadLink,
    #[error("le mot de passe actuel saisi n'est pas le bon")]
    WrongPassword,
    #[error("cette adresse e-mail est déjà confirmée")]
    AlreadyVerified,
    #[error("un lien de confirmation vient d'être envoyé : attendez quelques minutes avant d'en demander un autre")]
    LinkJustSent,
    #[error("c'est déjà l'adresse de votre compte")]
    SameEmail,
    #[error(
        "vous êtes le seul propriétaire de « {organisation} », qui a d'autres membres ou des publications en cours : nommez un autre propriétaire avant de supprimer votre compte"
    )]
    SoleOwner { organisation: String },
    #[error("le service est momentanément indisponible, réessayez dans un instant")]
    Database(#[from] sqlx::Error),
    #[error("le service est momentanément indisponible, réessayez dans un instant")]
    Mail(#[from] mail::MailError),
}

/// Sign-in failures are kept this long: the limit needs `SIGN_IN_WINDOW`, a day shows an
/// attack that went on for hours.
pub const SIGN_IN_FAILURES_KEPT: Duration = Duration::from_secs(24 * 3600);

/// What one pass of `purge_expired` deleted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AccountsPurged {
    pub sessions: u64,
    pub tokens: u64,
    pub sign_in_failures: u64,
}

/// Deletes at `now` what no longer serves: sessions that have ended, mail links used or
/// expired (a link asked again is a new one), and sign-in failures older than
/// `SIGN_IN_FAILURES_KEPT`.
pub async fn purge_expired(db: &Database, now: i64) -> Result<AccountsPurged, sqlx::Error> {
    let mut tx = db.begin_write().await?;
    let sessions = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1").bind(now).execute(&mut *tx).await?;
    let tokens = sqlx::query("DELETE FROM account_tokens WHERE used_at IS NOT NULL OR expires_at <= $1")
        .bind(now)
        .execute(&mut *tx)
        .await?;
    let failures = sqlx::query("DELETE FROM sign_in_failures WHERE failed_at <= $1")
        .bind(now - SIGN_IN_FAILURES_KEPT.as_secs() as i64)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(AccountsPurged {
        sessions: sessions.rows_affected(),
        tokens: tokens.rows_affected(),
        sign_in_failures: failures.rows_affected(),
    })
}

/// A signed-in person, as a request sees them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionUser {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub verified: bool,
    /// Ties forms to this session (CSRF protection).
    pub csrf_token: String,
    /// Appointed by the operator (`server moderateur`).
    pub moderator: bool,
    /// When the session ends (unix seconds).
    pub expires_at: i64,
}

/// A new session: the token goes into the cookie, and only there.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub token: String,
    pub user_id: i64,
}

/// The accounts service.
#[derive(Debug, Clone)]
pub struct Accounts {
    db: Database,
    /// What "now" is (the system's time, or a test's).
    clock: Clock,
    /// Public origin, for links in mails.
    public_url: String,
}

/// `ttl` after `at`.
fn after(at: i64, ttl: Duration) -> i64 {
    at + ttl.as_secs() as i64
}

/// The unique key of an address: two spellings that differ only by case are one account.
fn email_key(email: &Email) -> String {
    email.as_str().to_lowercase()
}

/// The account of the address `raw` (any case), if it is a valid address and one has it.
pub(crate) async fn user_with_email(conn: &mut sqlx::AnyConnection, raw: &str) -> Result<Option<i64>, sqlx::Error> {
    let Ok(email) = Email::parse(raw) else { return Ok(None) };
    sqlx::query_scalar("SELECT id FROM users WHERE email_key = $1").bind(email_key(&email)).fetch_optional(conn).await
}

fn display_name(raw: &str) -> Result<String, AccountError> {
    let name = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    if (2..=80).contains(&name.chars().count()) { Ok(name) } else { Err(AccountError::Name) }
}

/// Argon2 takes tens of milliseconds of CPU: keep it off the async workers.
async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    tokio::task::spawn_blocking(f).await.expect("password hashing panicked")
}

impl Accounts {
    pub fn new(db: Database, public_url: String) -> Self {
        Self { db, clock: Clock::system(), public_url }
    }

    /// The same service reading `clock` (a test's, which moves).
    pub fn with_clock(self, clock: Clock) -> Self {
        Self { clock, ..self }
    }

    /// Creates an unverified account and queues the verification mail in the same transaction.
    #[tracing::instrument(skip_all)]
    pub async fn sign_up(&self, email: &str, name: &str, password: &str) -> Result<i64, AccountError> {
        let email = Email::parse(email)?;
        let name = display_name(name)?;
        let password = NewPassword::parse(password, email.as_str())?;
        let key = email_key(&email);
        let hash = {
            let password = password.as_str().to_owned();
            blocking(move || secret::hash_password(&password)).await
        };
        let mut tx = self.db.begin_write().await?;
        let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM users WHERE email_key = $1")
            .bind(key.clone())
            .fetch_optional(&mut *tx)
            .await?;
        if taken.is_some() {
            return Err(AccountError::EmailTaken);
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO users (email, email_key, display_name, password_hash, created_at)
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(email.to_string())
        .bind(key)
        .bind(name.clone())
        .bind(hash)
        .bind(self.clock.now())
        .fetch_one(&mut *tx)
        .await
        // Two sign-ups for one address at the same moment: the second meets the unique key.
        .map_err(|error| match error.as_database_error() {
            Some(db) if db.is_unique_violation() => AccountError::EmailTaken,
            _ => AccountError::Database(error),
        })?;
        self.mail_verification(&mut tx, id, email.as_str(), &name).await?;
        tx.commit().await?;
        tracing::info!(user_id = id, "account created");
        Ok(id)
    }

    /// Queues, in `tx`, the mail with a new link that confirms `user`'s address.
    async fn mail_verification(
        &self,
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        user: i64,
        email: &str,
        name: &str,
    ) -> Result<(), AccountError> {
        let token = self.new_link_token(tx, user, "verify", VERIFICATION_TTL).await?;
        let link = format!("{}{}?jeton={token}", self.public_url, paths::VERIFY);
        let mail = OutgoingMail::new(email, Template::Verification, &[("nom", name), ("lien", &link)])?;
        mail::enqueue(tx, &mail).await?;
        Ok(())
    }

    /// Mails `user` a new link that confirms their address (the first may have expired or been
    /// lost), at most once every `RESEND_AFTER`.
    #[tracing::instrument(skip_all, fields(user))]
    pub async fn resend_verification(&self, user: i64) -> Result<(), AccountError> {
        #[derive(sqlx::FromRow)]
        struct Person {
            email: String,
            display_name: String,
            email_verified_at: Option<i64>,
        }
        table!(Person, "users");
        let mut tx = self.db.begin_write().await?;
        let person = sqlx::query("SELECT email, display_name, email_verified_at FROM users WHERE id = $1")
            .bind(user)
            .try_map(typed::<Person>)
            .fetch_one(&mut *tx)
            .await?;
        if person.email_verified_at.is_some() {
            return Err(AccountError::AlreadyVerified);
        }
        // A link made less than RESEND_AFTER ago expires later than this.
        let recent_expiry = after(self.clock.now(), VERIFICATION_TTL) - RESEND_AFTER.as_secs() as i64;
        let recent: i64 = sqlx::query_scalar(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM account_tokens
             WHERE user_id = $1 AND purpose = 'verify' AND expires_at > $2",
        )
        .bind(user)
        .bind(recent_expiry)
        .fetch_one(&mut *tx)
        .await?;
        if recent > 0 {
            return Err(AccountError::LinkJustSent);
        }
        self.mail_verification(&mut tx, user, &person.email, &person.display_name).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Marks the address of the link's account as verified.
    #[tracing::instrument(skip_all)]
    pub async fn verify_email(&self, token: &str) -> Result<i64, AccountError> {
        let mut tx = self.db.begin_write().await?;
        let user_id = Self::use_link_token(&mut tx, token, "verify", self.clock.now()).await?;
        sqlx::query("UPDATE users SET email_verified_at = $1 WHERE id = $2 AND email_verified_at IS NULL")
            .bind(self.clock.now())
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(user_id)
    }

    /// Checks the password and opens a session. Unknown address and wrong password give the
    /// same answer in the same time; too many failures for one address lock it for a while.
    #[tracing::instrument(skip_all)]
    pub async fn sign_in(&self, email: &str, password: &str) -> Result<NewSession, AccountError> {
        let Ok(email) = Email::parse(email) else {
            return Err(AccountError::BadCredentials);
        };
        let key = email_key(&email);
        let since = self.clock.now() - SIGN_IN_WINDOW.as_secs() as i64;
        // Failures older than the window count for nothing: forget them (the privacy page says so).
        sqlx::query("DELETE FROM sign_in_failures WHERE email_key = $1 AND failed_at <= $2")
            .bind(key.clone())
            .bind(since)
            .execute(&self.db.pool)
            .await?;
        let failures: i64 = sqlx::query_scalar(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM sign_in_failures WHERE email_key = $1 AND failed_at > $2",
        )
        .bind(key.clone())
        .bind(since)
        .fetch_one(&self.db.pool)
        .await?;
        if failures >= SIGN_IN_MAX_FAILURES {
            return Err(AccountError::RateLimited { minutes: SIGN_IN_WINDOW.as_secs() / 60 });
        }
        let row = sqlx::query(sqlx::AssertSqlSafe(format!("{CREDENTIALS} WHERE email_key = $1")))
            .bind(key.clone())
            .try_map(typed::<Credentials>)
            .fetch_optional(&self.db.pool)
            .await?;
        let (user_id, hash) = match row {
            Some(row) => (Some(row.id), row.password_hash),
            None => (None, secret::dummy_hash().to_owned()),
        };
        let matches = {
            let password = password.to_owned();
            blocking(move || secret::verify_password(&password, &hash)).await
        };
        let Some(user_id) = user_id.filter(|_| matches) else {
            sqlx::query("INSERT INTO sign_in_failures (email_key, failed_at) VALUES ($1, $2)")
                .bind(key)
                .bind(self.clock.now())
                .execute(&self.db.pool)
                .await?;
            return Err(AccountError::BadCredentials);
        };
        let mut tx = self.db.begin_write().await?;
        sqlx::query("DELETE FROM sign_in_failures WHERE email_key = $1").bind(key).execute(&mut *tx).await?;
        let session = Self::open_session(&mut tx, user_id, self.clock.now()).await?;
        tx.commit().await?;
        tracing::info!(user_id, "signed in");
        Ok(session)
    }

    async fn open_session(
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        user_id: i64,
        at: i64,
    ) -> Result<NewSession, sqlx::Error> {
        let token = secret::new_token();
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(secret::digest(&token))
        .bind(user_id)
        .bind(secret::new_token())
        .bind(at)
        .bind(after(at, SESSION_TTL))
        .execute(&mut **tx)
        .await?;
        Ok(NewSession { token, user_id })
    }

    /// The person behind a session cookie, if the session is still open.
    pub async fn session_user(&self, token: &str) -> Result<Option<SessionUser>, AccountError> {
        self.session_user_by_digest(&secret::digest(token)).await
    }

    /// The same, from the token's digest (`secret::digest`): the session layer has it already,
    /// as the key of the sessions it keeps in memory.
    pub async fn session_user_by_digest(&self, digest: &str) -> Result<Option<SessionUser>, AccountError> {
        #[derive(sqlx::FromRow)]
        struct SessionRow {
            id: i64,
            email: String,
            display_name: String,
            email_verified_at: Option<i64>,
            csrf_token: String,
            moderator: Flag,
            expires_at: i64,
        }
        table!(SessionRow, "sessions");
        let row = sqlx::query(
            "SELECT u.id, u.email, u.display_name, u.email_verified_at, s.csrf_token,
                    CAST(CASE WHEN u.moderator THEN 1 ELSE 0 END AS BIGINT) AS moderator, s.expires_at
             FROM sessions s JOIN users u ON u.id = s.user_id
             WHERE s.token_hash = $1 AND s.expires_at > $2",
        )
        .bind(digest)
        .bind(self.clock.now())
        .try_map(typed::<SessionRow>)
        .fetch_optional(&self.db.pool)
        .await?;
        Ok(row.map(|r| SessionUser {
            id: r.id,
            email: r.email,
            display_name: r.display_name,
            verified: r.email_verified_at.is_some(),
            csrf_token: r.csrf_token,
            moderator: r.moderator.0,
            expires_at: r.expires_at,
        }))
    }

    /// Closes one session (the others of the same person stay open).
    pub async fn sign_out(&self, token: &str) -> Result<(), AccountError> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(secret::digest(token))
            .execute(&self.db.pool)
            .await?;
        Ok(())
    }

    /// Sends a reset link when the address has an account; answers the same either way.
    #[tracing::instrument(skip_all)]
    pub async fn request_password_reset(&self, email: &str) -> Result<(), AccountError> {
        let email = Email::parse(email)?;
        let mut tx = self.db.begin_write().await?;
        let row = sqlx::query(sqlx::AssertSqlSafe(format!("{CREDENTIALS} WHERE email_key = $1")))
            .bind(email_key(&email))
            .try_map(typed::<Credentials>)
            .fetch_optional(&mut *tx)
            .await?;
        let Some(Credentials { id, email: address, display_name: name, .. }) = row else {
            return Ok(());
        };
        let token = self.new_link_token(&mut tx, id, "reset", RESET_TTL).await?;
        let link = format!("{}/compte/nouveau-mot-de-passe?jeton={token}", self.public_url);
        let mail = OutgoingMail::new(&address, Template::Reinitialisation, &[("nom", &name), ("lien", &link)])?;
        mail::enqueue(&mut tx, &mail).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Sets a new password from a reset link and closes every session of the account: whoever
    /// knew the old password is signed out. Following the link also proves the address.
    #[tracing::instrument(skip_all)]
    pub async fn reset_password(&self, token: &str, password: &str) -> Result<i64, AccountError> {
        let mut tx = self.db.begin_write().await?;
        let user_id = Self::use_link_token(&mut tx, token, "reset", self.clock.now()).await?;
        let email: String =
            sqlx::query_scalar("SELECT email FROM users WHERE id = $1").bind(user_id).fetch_one(&mut *tx).await?;
        let password = NewPassword::parse(password, &email)?;
        let hash = {
            let password = password.as_str().to_owned();
            blocking(move || secret::hash_password(&password)).await
        };
        sqlx::query(
            "UPDATE users SET password_hash = $1, email_verified_at = COALESCE(email_verified_at, $2) WHERE id = $3",
        )
        .bind(hash)
        .bind(self.clock.now())
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user_id).execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(user_id)
    }

    /// Changes the password of a signed-in person who knows the current one; every other
    /// session of the account is closed, the one in `keep_session` stays open.
    #[tracing::instrument(skip_all, fields(user_id))]
    pub async fn change_password(
        &self,
        user_id: i64,
        current: &str,
        new: &str,
        keep_session: &str,
    ) -> Result<(), AccountError> {
        let (email, _) = self.check_password(user_id, current).await?;
        let password = NewPassword::parse(new, &email)?;
        let hash = {
            let password = password.as_str().to_owned();
            blocking(move || secret::hash_password(&password)).await
        };
        let mut tx = self.db.begin_write().await?;
        sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(hash)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
            .bind(user_id)
            .bind(secret::digest(keep_session))
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Sends a confirmation link to the new address; the account keeps its address until the
    /// link is opened, so a typo never locks anybody out.
    #[tracing::instrument(skip_all, fields(user_id))]
    pub async fn request_email_change(&self, user_id: i64, current: &str, new_email: &str) -> Result<(), AccountError> {
        let new_email = Email::parse(new_email)?;
        let (email, name) = self.check_password(user_id, current).await?;
        if email_key(&new_email) == email.to_lowercase() {
            return Err(AccountError::SameEmail);
        }
        let mut tx = self.db.begin_write().await?;
        let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM users WHERE email_key = $1")
            .bind(email_key(&new_email))
            .fetch_optional(&mut *tx)
            .await?;
        if taken.is_some() {
            return Err(AccountError::EmailTaken);
        }
        let token = self.new_link_token(&mut tx, user_id, "change_email", VERIFICATION_TTL).await?;
        sqlx::query("UPDATE account_tokens SET new_email = $1 WHERE token_hash = $2")
            .bind(new_email.to_string())
            .bind(secret::digest(&token))
            .execute(&mut *tx)
            .await?;
        let link = format!("{}/compte/changement-email?jeton={token}", self.public_url);
        let mail =
            OutgoingMail::new(new_email.as_str(), Template::ChangementEmail, &[("nom", &name), ("lien", &link)])?;
        mail::enqueue(&mut tx, &mail).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Moves the account to the address the link was sent to, which is thereby verified.
    #[tracing::instrument(skip_all)]
    pub async fn confirm_email_change(&self, token: &str) -> Result<i64, AccountError> {
        let mut tx = self.db.begin_write().await?;
        let user_id = Self::use_link_token(&mut tx, token, "change_email", self.clock.now()).await?;
        let new_email: Option<String> =
            sqlx::query_scalar("SELECT new_email FROM account_tokens WHERE token_hash = $1")
                .bind(secret::digest(token.trim()))
                .fetch_one(&mut *tx)
                .await?;
        let new_email = Email::parse(&new_email.unwrap_or_default())?;
        sqlx::query("UPDATE users SET email = $1, email_key = $2, email_verified_at = $3 WHERE id = $4")
            .bind(new_email.to_string())
            .bind(email_key(&new_email))
            .bind(self.clock.now())
            .bind(user_id)
            .execute(&mut *tx)
            .await
            // Someone else took the address between the request and the click.
            .map_err(|error| match error.as_database_error() {
                Some(db) if db.is_unique_violation() => AccountError::EmailTaken,
                _ => AccountError::Database(error),
            })?;
        tx.commit().await?;
        Ok(user_id)
    }

    /// Changes the name shown for `user_id` (the right of rectification).
    pub async fn rename(&self, user_id: i64, name: &str) -> Result<(), AccountError> {
        let name = display_name(name)?;
        sqlx::query("UPDATE users SET display_name = $1 WHERE id = $2")
            .bind(name)
            .bind(user_id)
            .execute(&self.db.pool)
            .await?;
        Ok(())
    }

    /// The address and name of `user_id` when `password` is theirs.
    async fn check_password(&self, user_id: i64, password: &str) -> Result<(String, String), AccountError> {
        let Credentials { email, display_name: name, password_hash: hash, .. } =
            sqlx::query(sqlx::AssertSqlSafe(format!("{CREDENTIALS} WHERE id = $1")))
                .bind(user_id)
                .try_map(typed::<Credentials>)
                .fetch_one(&self.db.pool)
                .await?;
        let password = password.to_owned();
        if blocking(move || secret::verify_password(&password, &hash)).await {
            Ok((email, name))
        } else {
            Err(AccountError::WrongPassword)
        }
    }

    async fn new_link_token(
        &self,
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        user_id: i64,
        purpose: &str,
        ttl: Duration,
    ) -> Result<String, sqlx::Error> {
        let token = secret::new_token();
        sqlx::query("INSERT INTO account_tokens (token_hash, user_id, purpose, expires_at) VALUES ($1, $2, $3, $4)")
            .bind(secret::digest(&token))
            .bind(user_id)
            .bind(purpose.to_owned())
            .bind(after(self.clock.now(), ttl))
            .execute(&mut **tx)
            .await?;
        Ok(token)
    }

    /// Spends a link token: valid once, before it expires, for its purpose only.
    async fn use_link_token(
        tx: &mut sqlx::Transaction<'_, sqlx::Any>,
        token: &str,
        purpose: &str,
        at: i64,
    ) -> Result<i64, AccountError> {
        let user_id: Option<i64> = sqlx::query_scalar(
            "UPDATE account_tokens SET used_at = $1
             WHERE token_hash = $2 AND purpose = $3 AND used_at IS NULL AND expires_at > $1
             RETURNING user_id",
        )
        .bind(at)
        .bind(secret::digest(token.trim()))
        .bind(purpose.to_owned())
        .fetch_optional(&mut **tx)
        .await?;
        user_id.ok_or(AccountError::BadLink)
    }
}
