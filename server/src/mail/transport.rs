//! The transports: an enum rather than a trait object, so that the test variant is visible in
//! the type and the environment can only ever select SMTP or files (see `config::mail`).

use super::template::{Template, TemplateError};
use crate::config::{MailSettings, MailTransport, SmtpSettings, SmtpTls};
use lettre::address::AddressError;
use lettre::message::header::{Header, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

/// How long one SMTP command may take: a stuck relay must not hold the worker for long, the
/// mail simply waits for its next attempt.
const SMTP_TIMEOUT: Duration = Duration::from_secs(30);

/// Delivers mail, through one of three transports.
#[derive(Clone)]
pub enum Mailer {
    /// A real SMTP relay (MAIL_TRANSPORT=smtp).
    Smtp {
        /// Pooled connections to the relay.
        transport: AsyncSmtpTransport<Tokio1Executor>,
        /// The From of every mail.
        from: Mailbox,
    },
    /// One .eml file per mail in `dir` (DATA_DIR/mail): the embedded default.
    File {
        /// Writes the files.
        transport: AsyncFileTransport<Tokio1Executor>,
        /// Where the files go, created on the first mail.
        dir: PathBuf,
        /// The From of every mail.
        from: Mailbox,
    },
    /// Keeps mails in memory, for tests only: no setting selects it.
    Memory {
        /// Every mail delivered so far, shared by all clones.
        sent: Arc<Mutex<Vec<OutgoingMail>>>,
        /// The From of every mail.
        from: Mailbox,
    },
}

/// A rendered mail, ready for the outbox. Built only through `new`, so the recipient address
/// and the template's values have been checked before the mail is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingMail {
    to: String,
    subject: String,
    text: String,
    html: String,
    template: String,
    /// For a mail read from the outbox: its id and creation time, which make its Message-ID,
    /// the same at every attempt so that a mail delivered twice can be recognised.
    outbox_key: Option<(i64, i64)>,
    /// The address that unsubscribes the recipient in one click (RFC 8058), for mails they
    /// asked for and may stop: alerts.
    list_unsubscribe: Option<String>,
}

/// Why a mail could not be built or delivered.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    /// The recipient is not a valid address.
    #[error("adresse de destinataire invalide « {address} » : {source}")]
    Recipient { address: String, source: AddressError },
    /// The template and its values do not fit.
    #[error(transparent)]
    Template(#[from] TemplateError),
    /// lettre refused to build the message.
    #[error("courriel impossible à construire : {0}")]
    Build(#[from] lettre::error::Error),
    /// The TLS settings for the relay could not be made.
    #[error("paramètres TLS du serveur SMTP invalides : {0}")]
    Tls(lettre::transport::smtp::Error),
    /// The relay could not be reached or refused the mail.
    #[error("envoi SMTP impossible : {0}")]
    Smtp(#[from] lettre::transport::smtp::Error),
    /// The directory of the file transport could not be created.
    #[error("impossible de créer le répertoire des courriels « {path} » : {source}")]
    Dir { path: String, source: std::io::Error },
    /// The file transport could not write the mail.
    #[error("écriture du fichier du courriel impossible : {0}")]
    File(#[from] lettre::transport::file::Error),
}

impl MailError {
    /// Whether trying again later cannot help: the mail itself is wrong. SMTP refusals are
    /// never taken as permanent, since a misconfigured relay refuses everything until it is
    /// fixed, and the attempts are bounded anyway.
    pub fn is_permanent(&self) -> bool {
        matches!(self, MailError::Recipient { .. } | MailError::Template(_) | MailError::Build(_))
    }
}

impl OutgoingMail {
    /// Renders `template` with `values` for the recipient `to` ("Nom <adresse>" or an address).
    pub fn new(to: &str, template: Template, values: &[(&str, &str)]) -> Result<Self, MailError> {
        let recipient = parse_recipient(to)?;
        let rendered = template.render(values)?;
        Ok(Self {
            to: recipient.to_string(),
            subject: rendered.subject,
            text: rendered.text,
            html: rendered.html,
            template: template.name().to_owned(),
            outbox_key: None,
            list_unsubscribe: None,
        })
    }

    /// The same mail, unsubscribed from by a POST to `url` (an absolute https or http address
    /// whose token is the proof): mail programs then offer « se désabonner » themselves.
    pub fn with_list_unsubscribe(self, url: String) -> Self {
        Self { list_unsubscribe: Some(url), ..self }
    }

    /// A mail read back from the outbox (row `id`, created at `created_at`), checked again when
    /// it is sent.
    pub(crate) fn stored(
        (id, created_at): (i64, i64),
        to: String,
        subject: String,
        text: String,
        html: String,
        template: String,
        list_unsubscribe: Option<String>,
    ) -> Self {
        Self { to, subject, text, html, template, outbox_key: Some((id, created_at)), list_unsubscribe }
    }

    /// The recipient, as it will appear in the To header.
    pub fn to(&self) -> &str {
        &self.to
    }

    /// The subject line.
    pub fn subject(&self) -> &str {
        &self.subject
    }

    /// The text/plain part.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The text/html part.
    pub fn html(&self) -> &str {
        &self.html
    }

    /// The name of the template the mail was rendered from.
    pub fn template(&self) -> &str {
        &self.template
    }

    /// The one-click unsubscribe address, if the mail has one.
    pub fn list_unsubscribe(&self) -> Option<&str> {
        self.list_unsubscribe.as_deref()
    }

    fn message(&self, from: &Mailbox) -> Result<Message, MailError> {
        let message_id = self.outbox_key.map(|(id, created_at)| format!("<{created_at}.{id}@{}>", from.email.domain()));
        let mut builder = Message::builder()
            .message_id(message_id)
            .from(from.clone())
            .to(parse_recipient(&self.to)?)
            .subject(self.subject.as_str());
        if let Some(url) = &self.list_unsubscribe {
            builder = builder.header(ListUnsubscribe(url.clone())).header(ListUnsubscribePost);
        }
        Ok(builder.multipart(MultiPart::alternative_plain_html(self.text.clone(), self.html.clone()))?)
    }
}

type HeaderParseError = Box<dyn std::error::Error + Send + Sync>;

/// `List-Unsubscribe: <url>` (RFC 2369).
#[derive(Debug, Clone)]
struct ListUnsubscribe(String);

impl Header for ListUnsubscribe {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe")
    }

    fn parse(s: &str) -> Result<Self, HeaderParseError> {
        let url = s.trim().strip_prefix('<').and_then(|s| s.strip_suffix('>'));
        url.map(|url| Self(url.to_owned())).ok_or_else(|| "List-Unsubscribe: <adresse> attendu".into())
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), format!("<{}>", self.0))
    }
}

/// `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058): the address above is to
/// be posted to, with no other step, so that a link scanner's GET never unsubscribes anyone.
#[derive(Debug, Clone)]
struct ListUnsubscribePost;

impl ListUnsubscribePost {
    const VALUE: &str = "List-Unsubscribe=One-Click";
}

impl Header for ListUnsubscribePost {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe-Post")
    }

    fn parse(s: &str) -> Result<Self, HeaderParseError> {
        (s.trim() == Self::VALUE).then_some(Self).ok_or_else(|| "List-Unsubscribe=One-Click attendu".into())
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), Self::VALUE.to_owned())
    }
}

fn parse_recipient(address: &str) -> Result<Mailbox, MailError> {
    address.parse().map_err(|source| MailError::Recipient { address: address.to_owned(), source })
}

impl Mailer {
    /// The transport the settings choose; files go to `data_dir`/mail. Call it inside the tokio
    /// runtime (see `smtp`).
    pub fn from_settings(settings: &MailSettings, data_dir: &Path) -> Result<Self, MailError> {
        match &settings.transport {
            MailTransport::File => Ok(Self::file(data_dir.join("mail"), settings.from.clone())),
            MailTransport::Smtp(smtp) => Self::smtp(smtp, settings.from.clone()),
        }
    }

    /// A pooled SMTP transport; nothing connects until the first mail. Call it inside the tokio
    /// runtime: the pool spawns the task that closes idle connections.
    pub fn smtp(settings: &SmtpSettings, from: Mailbox) -> Result<Self, MailError> {
        let tls = match settings.tls {
            SmtpTls::None => Tls::None,
            SmtpTls::StartTls => Tls::Required(TlsParameters::new(settings.host.clone()).map_err(MailError::Tls)?),
            SmtpTls::Tls => Tls::Wrapper(TlsParameters::new(settings.host.clone()).map_err(MailError::Tls)?),
        };
        // "dangerous" only means that TLS is ours to choose, which the lines above do.
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(settings.host.as_str())
            .port(settings.port)
            .tls(tls)
            .timeout(Some(SMTP_TIMEOUT));
        if let Some(credentials) = &settings.credentials {
            builder = builder
                .credentials(Credentials::new(credentials.username.clone(), credentials.password.expose().to_owned()));
        }
        Ok(Mailer::Smtp { transport: builder.build(), from })
    }

    /// Writes each mail as an .eml file under `dir`.
    pub fn file(dir: PathBuf, from: Mailbox) -> Self {
        Mailer::File { transport: AsyncFileTransport::new(&dir), dir, from }
    }

    /// Keeps mails in memory; read them back with `sent`.
    pub fn memory(from: Mailbox) -> Self {
        Mailer::Memory { sent: Arc::default(), from }
    }

    /// The transport's name, for logs.
    pub fn kind(&self) -> &'static str {
        match self {
            Mailer::Smtp { .. } => "smtp",
            Mailer::File { .. } => "file",
            Mailer::Memory { .. } => "memory",
        }
    }

    /// Mails delivered by the memory transport, in order; `None` for the other transports.
    pub fn sent(&self) -> Option<Vec<OutgoingMail>> {
        match self {
            Mailer::Memory { sent, .. } => Some(sent.lock().unwrap_or_else(PoisonError::into_inner).clone()),
            Mailer::Smtp { .. } | Mailer::File { .. } => None,
        }
    }

    /// Delivers one mail as a multipart/alternative (text and HTML) message.
    pub async fn send(&self, mail: &OutgoingMail) -> Result<(), MailError> {
        match self {
            Mailer::Smtp { transport, from } => {
                transport.send(mail.message(from)?).await?;
            }
            Mailer::File { transport, dir, from } => {
                let message = mail.message(from)?;
                tokio::fs::create_dir_all(dir)
                    .await
                    .map_err(|source| MailError::Dir { path: dir.display().to_string(), source })?;
                transport.send(message).await?;
            }
            Mailer::Memory { sent, from } => {
                // Built anyway, so that a mail the real transports would refuse fails here too.
                mail.message(from)?;
                sent.lock().unwrap_or_else(PoisonError::into_inner).push(mail.clone());
            }
        }
        Ok(())
    }
}

impl fmt::Debug for Mailer {
    // lettre's own Debug output is long and holds the SMTP login: the kind is enough.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Mailer::File { dir, .. } => write!(f, "Mailer::File({})", dir.display()),
            other => write!(f, "Mailer::{}", other.kind()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{DEFAULT_FROM, SmtpCredentials};

    fn from() -> Mailbox {
        DEFAULT_FROM.parse().unwrap()
    }

    fn mail() -> OutgoingMail {
        OutgoingMail::new(
            "Camille Martin <camille@example.org>",
            Template::Verification,
            &[("nom", "Camille"), ("lien", "https://e.fr/v?j=1&k=2")],
        )
        .unwrap()
    }

    #[test]
    fn a_mail_is_a_multipart_message_with_both_parts() {
        let message = String::from_utf8(mail().message(&from()).unwrap().formatted()).unwrap();
        assert!(message.contains("To: \"Camille Martin\" <camille@example.org>"), "{message}");
        assert!(message.contains("Subject: Confirmez votre adresse e-mail"), "{message}");
        assert!(message.contains("multipart/alternative"), "{message}");
        assert!(message.contains("Content-Type: text/plain; charset=utf-8"), "{message}");
        assert!(message.contains("Content-Type: text/html; charset=utf-8"), "{message}");
        assert!(message.contains("Message-ID: <"), "{message}");
    }

    #[test]
    fn an_alert_mail_offers_the_one_click_unsubscribe_of_rfc_8058() {
        let url = "https://medecins.example/alertes/desabonnement?jeton=abc";
        let with = mail().with_list_unsubscribe(url.to_owned());
        let message = String::from_utf8(with.message(&from()).unwrap().formatted()).unwrap();
        assert!(message.contains(&format!("List-Unsubscribe: <{url}>\r\n")), "{message}");
        assert!(message.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"), "{message}");
        let without = String::from_utf8(mail().message(&from()).unwrap().formatted()).unwrap();
        assert!(!without.contains("List-Unsubscribe"), "{without}");
        assert_eq!(ListUnsubscribe::parse(&format!("<{url}>")).unwrap().0, url);
        assert!(ListUnsubscribePost::parse("List-Unsubscribe=One-Click").is_ok());
    }

    #[test]
    fn a_mail_from_the_outbox_keeps_its_message_id_from_one_attempt_to_the_next() {
        let stored = |id| {
            OutgoingMail::stored(
                (id, 1_764_000_000_000),
                "a@example.org".into(),
                "s".into(),
                "t".into(),
                "h".into(),
                "verification".into(),
                None,
            )
        };
        let formatted = |mail: OutgoingMail| String::from_utf8(mail.message(&from()).unwrap().formatted()).unwrap();
        let first = formatted(stored(7));
        assert!(first.contains("Message-ID: <1764000000000.7@medecins-territoires.localhost>"), "{first}");
        assert!(formatted(stored(7)).contains("Message-ID: <1764000000000.7@medecins-territoires.localhost>"));
        assert!(!formatted(stored(8)).contains("<1764000000000.7@"));
    }

    #[test]
    fn a_bad_recipient_is_refused_before_the_mail_exists() {
        let error =
            OutgoingMail::new("pas une adresse", Template::Verification, &[("nom", "x"), ("lien", "y")]).unwrap_err();
        assert!(matches!(error, MailError::Recipient { .. }), "{error}");
        assert!(error.is_permanent());
        assert!(error.to_string().contains("pas une adresse"));
    }

    #[test]
    fn a_template_error_is_a_mail_error() {
        let error = OutgoingMail::new("a@example.org", Template::Verification, &[("nom", "x")]).unwrap_err();
        assert!(matches!(error, MailError::Template(TemplateError::Missing { .. })), "{error}");
    }

    #[tokio::test]
    async fn the_memory_transport_keeps_what_it_sends_for_every_clone() {
        let mailer = Mailer::memory(from());
        let clone = mailer.clone();
        clone.send(&mail()).await.unwrap();
        assert_eq!(mailer.sent().unwrap(), vec![mail()]);
        let bad = OutgoingMail { to: "nobody".into(), ..mail() };
        assert!(mailer.send(&bad).await.unwrap_err().is_permanent());
        assert_eq!(mailer.sent().unwrap().len(), 1);
    }

    #[tokio::test]
    async fn the_debug_output_never_holds_the_smtp_password() {
        let settings = SmtpSettings {
            host: "smtp.example.org".into(),
            port: 587,
            credentials: Some(SmtpCredentials {
                username: "portail".into(),
                password: crate::config::Secret::new("s3cr3t-smtp".into()),
            }),
            tls: SmtpTls::StartTls,
        };
        let mailer = Mailer::smtp(&settings, from()).unwrap();
        assert_eq!(format!("{mailer:?}"), "Mailer::smtp");
    }
}
