//! The RGPD rights of a person over their account: a copy of everything we hold about them
//! (article 15 and 20), and erasure (article 17).

use super::{AccountError, Accounts, now};
use serde_json::{Value, json};
use sqlx::Row;

impl Accounts {
    /// Everything the database holds about `user_id`, as one JSON document. Secrets (password
    /// hash, token digests) are described, not copied: they are ours to protect, not data
    /// about the person.
    #[tracing::instrument(skip_all, fields(user_id))]
    pub async fn export(&self, user_id: i64) -> Result<Value, AccountError> {
        let pool = &self.db.pool;
        let user = sqlx::query(
            "SELECT email, display_name, created_at, email_verified_at, email_key FROM users WHERE id = $1",
        )
        .bind(user_id)
        .fetch_one(pool)
        .await?;
        let email: String = user.try_get(0)?;
        let email_key: String = user.try_get(4)?;

        let profile = sqlx::query(
            "SELECT status, faculty, internship_year, specialty, thesis_defended, rpps, updated_at
             FROM people WHERE user_id = $1",
        )
        .bind(user_id)
        .fetch_optional(pool)
        .await?
        .map(|r| -> Result<Value, sqlx::Error> {
            Ok(json!({
                "statut": r.try_get::<String, _>(0)?,
                "faculte": r.try_get::<Option<String>, _>(1)?,
                "annee_internat": r.try_get::<Option<i64>, _>(2)?,
                "specialite": r.try_get::<String, _>(3)?,
                "these_soutenue": r.try_get::<i64, _>(4)? == 1,
                "rpps": r.try_get::<Option<String>, _>(5)?,
                "mis_a_jour_le": r.try_get::<i64, _>(6)?,
            }))
        })
        .transpose()?;

        let sessions =
            sqlx::query("SELECT created_at, expires_at FROM sessions WHERE user_id = $1 ORDER BY created_at")
                .bind(user_id)
                .fetch_all(pool)
                .await?
                .iter()
                .map(|r| Ok(json!({ "ouverte_le": r.try_get::<i64, _>(0)?, "expire_le": r.try_get::<i64, _>(1)? })))
                .collect::<Result<Vec<_>, sqlx::Error>>()?;

        let links = sqlx::query(
            "SELECT purpose, expires_at, used_at, new_email FROM account_tokens WHERE user_id = $1 ORDER BY expires_at",
        )
        .bind(user_id)
        .fetch_all(pool)
        .await?
        .iter()
        .map(|r| {
            Ok(json!({
                "objet": r.try_get::<String, _>(0)?,
                "expire_le": r.try_get::<i64, _>(1)?,
                "utilise_le": r.try_get::<Option<i64>, _>(2)?,
                "nouvelle_adresse": r.try_get::<Option<String>, _>(3)?,
            }))
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;

        let failures: Vec<i64> =
            sqlx::query_scalar("SELECT failed_at FROM sign_in_failures WHERE email_key = $1 ORDER BY failed_at")
                .bind(email_key)
                .fetch_all(pool)
                .await?;

        let mails = sqlx::query(
            "SELECT template, subject, created_at, status, sent_at FROM mail_outbox
             WHERE lower(recipient) = lower($1) ORDER BY id",
        )
        .bind(email.clone())
        .fetch_all(pool)
        .await?
        .iter()
        .map(|r| {
            Ok(json!({
                "modele": r.try_get::<String, _>(0)?,
                "objet": r.try_get::<String, _>(1)?,
                "cree_le_ms": r.try_get::<i64, _>(2)?,
                "etat": r.try_get::<String, _>(3)?,
                "envoye_le_ms": r.try_get::<Option<i64>, _>(4)?,
            }))
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;

        Ok(json!({
            "exporte_le": now(),
            "note": "Dates en secondes depuis le 1er janvier 1970 (UTC), celles des courriels en millisecondes. \
                     Le mot de passe n'est conservé que sous forme d'empreinte argon2id, et les jetons de session \
                     et des liens envoyés par courriel sous forme d'empreinte SHA-256 : ils ne figurent pas ici.",
            "compte": {
                "adresse_email": email,
                "nom_affiche": user.try_get::<String, _>(1)?,
                "cree_le": user.try_get::<i64, _>(2)?,
                "adresse_confirmee_le": user.try_get::<Option<i64>, _>(3)?,
            },
            "profil": profile,
            "sessions": sessions,
            "liens_envoyes": links,
            "echecs_de_connexion": failures,
            "courriels": mails,
        }))
    }

    /// Erases the account of `user_id` once they confirm with their password: the account,
    /// its profile, sessions and links go, and so do the mails we kept for their address and
    /// the record of failed sign-ins.
    #[tracing::instrument(skip_all, fields(user_id))]
    pub async fn delete_account(&self, user_id: i64, password: &str) -> Result<(), AccountError> {
        let (email, _) = self.check_password(user_id, password).await?;
        let mut tx = self.db.begin_write().await?;
        let email_key: String =
            sqlx::query_scalar("SELECT email_key FROM users WHERE id = $1").bind(user_id).fetch_one(&mut *tx).await?;
        // Children first: SQLite enforces ON DELETE CASCADE only when foreign keys are on,
        // and being explicit costs nothing.
        for sql in [
            "DELETE FROM people WHERE user_id = $1",
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
