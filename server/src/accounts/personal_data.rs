//! The RGPD rights of a person over their account: a copy of everything we hold about them
//! (article 15 and 20), and erasure (article 17).
//!
//! Both cover the organisations too: memberships, invitations sent and received, and the
//! moderation log, whose rows outlive the account with the actor anonymised (migration 0006).

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

        // What they look for, as the form shows it (the same codes and text).
        let wishes = crate::candidates::wishes_of(&self.db, user_id)
            .await?
            .map(|(wishes, _)| serde_json::to_value(wishes.to_form()))
            .transpose()
            .map_err(|error| sqlx::Error::Decode(error.into()))?;

        let alerts = sqlx::query(
            "SELECT label, query, frequency, created_at, last_sent_at FROM saved_searches WHERE user_id = $1 ORDER BY id",
        )
        .bind(user_id)
        .fetch_all(pool)
        .await?
        .iter()
        .map(|r| {
            Ok(json!({
                "recherche": r.try_get::<String, _>(0)?,
                "filtres": r.try_get::<String, _>(1)?,
                "frequence": r.try_get::<String, _>(2)?,
                "creee_le": r.try_get::<i64, _>(3)?,
                "dernier_envoi_le": r.try_get::<Option<i64>, _>(4)?,
            }))
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;

        // Their applications, each with its thread and history; the CV is a file: named here,
        // downloaded from its address.
        let mut applications = Vec::new();
        for r in sqlx::query(
            "SELECT a.id, o.title, a.status, a.message, a.cv_name, a.cv_size, a.created_at, a.updated_at
             FROM applications a JOIN offers o ON o.id = a.offer_id WHERE a.candidate_id = $1 ORDER BY a.id",
        )
        .bind(user_id)
        .fetch_all(pool)
        .await?
        {
            let id: i64 = r.try_get(0)?;
            let thread = sqlx::query(
                "SELECT from_organisation, body, created_at FROM application_messages WHERE application_id = $1 ORDER BY id",
            )
            .bind(id)
            .fetch_all(pool)
            .await?
            .iter()
            .map(|m| {
                Ok(json!({
                    "de": if m.try_get::<i64, _>(0)? == 1 { "organisation" } else { "vous" },
                    "message": m.try_get::<String, _>(1)?,
                    "le": m.try_get::<i64, _>(2)?,
                }))
            })
            .collect::<Result<Vec<_>, sqlx::Error>>()?;
            let history = sqlx::query(
                "SELECT from_status, to_status, created_at FROM application_events WHERE application_id = $1 ORDER BY id",
            )
            .bind(id)
            .fetch_all(pool)
            .await?
            .iter()
            .map(|e| {
                Ok(json!({
                    "de": e.try_get::<Option<String>, _>(0)?,
                    "vers": e.try_get::<String, _>(1)?,
                    "le": e.try_get::<i64, _>(2)?,
                }))
            })
            .collect::<Result<Vec<_>, sqlx::Error>>()?;
            let cv = match r.try_get::<Option<String>, _>(4)? {
                Some(name) => json!({
                    "nom": name,
                    "taille_octets": r.try_get::<Option<i64>, _>(5)?,
                    "telechargement": format!("/candidatures/{id}/cv"),
                }),
                None => Value::Null,
            };
            applications.push(json!({
                "offre": r.try_get::<String, _>(1)?,
                "etat": r.try_get::<String, _>(2)?,
                "message": r.try_get::<String, _>(3)?,
                "cv": cv,
                "envoyee_le": r.try_get::<i64, _>(6)?,
                "mise_a_jour_le": r.try_get::<i64, _>(7)?,
                "echanges": thread,
                "historique": history,
            }));
        }
        // What they wrote in the threads of applications to their organisations' offers.
        let written = sqlx::query(
            "SELECT o.title, m.body, m.created_at FROM application_messages m
             JOIN applications a ON a.id = m.application_id JOIN offers o ON o.id = a.offer_id
             WHERE m.author_id = $1 AND m.from_organisation = 1 ORDER BY m.id",
        )
        .bind(user_id)
        .fetch_all(pool)
        .await?
        .iter()
        .map(|m| {
            Ok(json!({
                "offre": m.try_get::<String, _>(0)?,
                "message": m.try_get::<String, _>(1)?,
                "le": m.try_get::<i64, _>(2)?,
            }))
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;

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
                .bind(email_key.clone())
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

        let memberships = sqlx::query(
            "SELECT o.name, o.kind, o.status, m.role, m.created_at
             FROM memberships m JOIN organisations o ON o.id = m.organisation_id
             WHERE m.user_id = $1 ORDER BY m.created_at, o.id",
        )
        .bind(user_id)
        .fetch_all(pool)
        .await?
        .iter()
        .map(|r| {
            Ok(json!({
                "organisation": r.try_get::<String, _>(0)?,
                "type": r.try_get::<String, _>(1)?,
                "statut": r.try_get::<String, _>(2)?,
                "role": r.try_get::<String, _>(3)?,
                "membre_depuis": r.try_get::<i64, _>(4)?,
            }))
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;

        let created: Vec<String> =
            sqlx::query_scalar("SELECT name FROM organisations WHERE created_by = $1 ORDER BY created_at, id")
                .bind(user_id)
                .fetch_all(pool)
                .await?;

        let sent = sqlx::query(
            "SELECT o.name, i.email, i.role, i.created_at, i.expires_at, i.accepted_at
             FROM invitations i JOIN organisations o ON o.id = i.organisation_id
             WHERE i.invited_by = $1 ORDER BY i.created_at, i.id",
        )
        .bind(user_id)
        .fetch_all(pool)
        .await?
        .iter()
        .map(|r| {
            Ok(json!({
                "organisation": r.try_get::<String, _>(0)?,
                "adresse_invitee": r.try_get::<String, _>(1)?,
                "role": r.try_get::<String, _>(2)?,
                "envoyee_le": r.try_get::<i64, _>(3)?,
                "expire_le": r.try_get::<i64, _>(4)?,
                "acceptee_le": r.try_get::<Option<i64>, _>(5)?,
            }))
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;

        // Addressed to this account's address, or accepted by it under an earlier address.
        // Who invited is not said: that is the inviter's data, and the mail said it already.
        let received = sqlx::query(
            "SELECT o.name, i.email, i.role, i.created_at, i.expires_at, i.accepted_at
             FROM invitations i JOIN organisations o ON o.id = i.organisation_id
             WHERE i.email_key = $1 OR i.accepted_by = $2 ORDER BY i.created_at, i.id",
        )
        .bind(email_key.clone())
        .bind(user_id)
        .fetch_all(pool)
        .await?
        .iter()
        .map(|r| {
            Ok(json!({
                "organisation": r.try_get::<String, _>(0)?,
                "adresse_invitee": r.try_get::<String, _>(1)?,
                "role": r.try_get::<String, _>(2)?,
                "recue_le": r.try_get::<i64, _>(3)?,
                "expire_le": r.try_get::<i64, _>(4)?,
                "acceptee_le": r.try_get::<Option<i64>, _>(5)?,
            }))
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;

        let moderation = sqlx::query(
            "SELECT o.name, l.action, l.reason, l.created_at, l.actor_email
             FROM moderation_log l JOIN organisations o ON o.id = l.organisation_id
             WHERE l.actor_id = $1 ORDER BY l.created_at, l.id",
        )
        .bind(user_id)
        .fetch_all(pool)
        .await?
        .iter()
        .map(|r| {
            Ok(json!({
                "organisation": r.try_get::<String, _>(0)?,
                "action": r.try_get::<String, _>(1)?,
                "motif": r.try_get::<Option<String>, _>(2)?,
                "le": r.try_get::<i64, _>(3)?,
                "adresse_au_moment_de_l_action": r.try_get::<Option<String>, _>(4)?,
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
            "recherche": wishes,
            "alertes": alerts,
            "candidatures": applications,
            "messages_ecrits_pour_une_organisation": written,
            "sessions": sessions,
            "liens_envoyes": links,
            "echecs_de_connexion": failures,
            "courriels": mails,
            "organisations": memberships,
            "organisations_creees": created,
            "invitations_envoyees": sent,
            "invitations_recues": received,
            "actions_de_moderation": moderation,
        }))
    }

    /// Erases the account of `user_id` once they confirm with their password: the account,
    /// its profile, sessions and links go, and so do the mails we kept for their address, the
    /// record of failed sign-ins, their memberships and the invitations addressed to them. What
    /// others keep (organisations they created, invitations they sent, the moderation log)
    /// stays without them. Refused, with nothing changed, while they are the only owner of an
    /// organisation that has other members: those members would be left without an owner.
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
        .bind(now())
        .bind(user_id)
        .execute(&mut *tx)
        .await?;
        let orphaned: Option<String> = sqlx::query_scalar(
            "SELECT o.name FROM memberships m JOIN organisations o ON o.id = m.organisation_id
             WHERE m.user_id = $1 AND m.role = 'owner'
               AND NOT EXISTS (SELECT 1 FROM memberships x
                               WHERE x.organisation_id = m.organisation_id AND x.role = 'owner' AND x.user_id <> $1)
               AND EXISTS (SELECT 1 FROM memberships x WHERE x.organisation_id = m.organisation_id AND x.user_id <> $1)
             ORDER BY o.name, o.id LIMIT 1",
        )
        .bind(user_id)
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(organisation) = orphaned {
            // Dropped unfinished, the transaction rolls back: nothing is changed.
            return Err(AccountError::SoleOwner { organisation });
        }
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
        for sql in [
            "DELETE FROM memberships WHERE user_id = $1",
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
