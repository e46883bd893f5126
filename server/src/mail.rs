//! E-mail: templates rendered into multipart text + HTML mails, a durable outbox written in the
//! caller's transaction, and the transports that deliver what the outbox holds (SMTP in
//! production, .eml files by default, memory in tests). The worker that drains the outbox
//! lives in `jobs::mail`.

mod outbox;
mod template;
mod transport;

pub use outbox::{
    FailedMail, enqueue, enqueue_after, failed_mails, pending_count, purge, requeue_failed, rewrite_waiting,
};
pub use template::{Rendered, Template, TemplateError};
pub use transport::{MailError, Mailer, OutgoingMail};

pub(crate) use outbox::{any_due, claim, now_ms, record_failure, record_sent};
