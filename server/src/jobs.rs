//! Background workers: the mail outbox's, the search outbox's (`search::Indexer::run`), the
//! offers' reminders (and the end of interns' housing) and the retention pass. They run as tokio tasks
//! next to the HTTP server and keep no state of their own: everything is in the database, so
//! several server instances can run them side by side.

pub mod mail;
pub mod offers;
pub mod retention;

use crate::db::Database;
use crate::mail::Mailer;
use crate::offers::Offers;
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// The pause between two passes over the search outbox when nothing woke the indexer.
pub const SEARCH_POLL: std::time::Duration = std::time::Duration::from_millis(500);

/// The running workers. `stop` lets them finish what they are doing; dropping the value
/// aborts them.
#[derive(Debug)]
pub struct Workers {
    stopping: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
}

impl Workers {
    /// Spawns the workers on the current tokio runtime.
    pub fn start(db: Database, mailer: Mailer, mail: mail::MailWorkerConfig, offers: Offers) -> Self {
        let (stopping, stop) = watch::channel(false);
        let indexer = offers.indexer().clone();
        let housing = crate::housing::Housing::new(db.clone()).with_clock(offers.clock().clone());
        let tasks = vec![
            tokio::spawn(retention::run(db.clone(), offers.clock().clone(), stop.clone())),
            tokio::spawn(mail::run(db, mailer, mail, stop.clone())),
            tokio::spawn(indexer.run(SEARCH_POLL, stop.clone())),
            tokio::spawn(offers::run(offers, housing, stop)),
        ];
        Self { stopping, tasks }
    }

    /// Asks every worker to stop after its current mail and waits until they have.
    pub async fn stop(mut self) {
        let _ = self.stopping.send(true);
        for task in self.tasks.drain(..) {
            if let Err(error) = task.await {
                tracing::error!(%error, "worker ended abnormally");
            }
        }
    }
}

impl Drop for Workers {
    fn drop(&mut self) {
        for task in &self.tasks {
            task.abort();
        }
    }
}
