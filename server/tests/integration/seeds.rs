//! What most tests start from: a database with the reference data, the portal's services on
//! it, a moderator, and helpers for verified organisations and published offers. One builder
//! for every integration file, so that a change to how an organisation is verified or an offer
//! published is made once.

use crate::helpers::*;
use app::domain::offers::OfferForm;
use server::accounts::Accounts;
use server::clock::Clock;
use server::db::Database;
use server::offers::Offers;
use server::organisations::Organisations;
use server::search::Indexer;

pub const SITE: &str = "https://medecins-territoires.example";
pub const PASSWORD: &str = "une longue phrase";
pub const MODERATOR: &str = "moderation@ars.example";

/// The services on one test database, with a moderator already appointed.
pub struct World {
    pub db: Database,
    pub accounts: Accounts,
    pub organisations: Organisations,
    pub offers: Offers,
    pub moderator: i64,
    /// The services' clock, which the test may move forward.
    pub clock: Clock,
    /// Kept alive as long as the world: dropping it removes the database.
    _test_db: Option<TestDb>,
}

impl World {
    /// A fresh database with the reference data imported.
    pub async fn new() -> Self {
        let test_db = imported_db().await;
        let db = Database::connect(&test_db.url).await.unwrap();
        Self::on(db, Some(test_db), None).await
    }

    /// The services on `db` (a running app's, or `test_db`'s), searching with `search` (an
    /// app's indexer) or with an index of their own in `test_db`'s directory.
    pub async fn on(db: Database, test_db: Option<TestDb>, search: Option<Indexer>) -> Self {
        Self::with_clock(db, test_db, search, Clock::adjustable()).await
    }

    async fn with_clock(db: Database, test_db: Option<TestDb>, search: Option<Indexer>, clock: Clock) -> Self {
        let accounts = Accounts::new(db.clone(), SITE.to_owned()).with_clock(clock.clone());
        let organisations = Organisations::new(db.clone(), SITE.to_owned()).with_clock(clock.clone());
        let moderator = accounts.sign_up(MODERATOR, "Modération ARS", PASSWORD).await.unwrap();
        organisations.set_moderator(MODERATOR, true).await.unwrap();
        let search = search.unwrap_or_else(|| indexer(&db, test_db.as_ref().expect("a directory for the index").dir()));
        let offers = Offers::new(db.clone(), SITE.to_owned(), search).with_clock(clock.clone());
        World { db, accounts, organisations, offers, moderator, clock, _test_db: test_db }
    }

    /// The services of a running portal, on its database and its search index.
    pub async fn of(app: &TestApp) -> Self {
        Self::with_clock(app.db.clone(), None, Some(app.indexer.clone()), app.clock.clone()).await
    }

    /// A new account.
    pub async fn user(&self, email: &str, name: &str) -> i64 {
        self.accounts.sign_up(email, name, PASSWORD).await.unwrap()
    }

    /// A new account whose address is confirmed.
    pub async fn confirmed_user(&self, email: &str, name: &str) -> i64 {
        let id = self.user(email, name).await;
        sqlx::query("UPDATE users SET email_verified_at = 1 WHERE id = $1")
            .bind(id)
            .execute(&self.db.pool)
            .await
            .unwrap();
        id
    }

    /// An organisation of `owner` (`kind`, `name`, its reference: INSEE code, SIREN,
    /// département or FINESS), verified by the moderator when `verified`.
    pub async fn organisation(&self, owner: i64, kind: &str, name: &str, reference: &str, verified: bool) -> i64 {
        let id = self.organisations.create(owner, kind, name, reference).await.unwrap();
        if verified {
            self.organisations.approve(self.moderator, id).await.unwrap();
        }
        id
    }

    /// `form` drafted by `owner` for `organisation`, then published.
    pub async fn published(&self, owner: i64, organisation: i64, form: &OfferForm) -> i64 {
        let id = self.offers.create(owner, organisation, form).await.unwrap();
        self.offers.publish(owner, id).await.unwrap();
        id
    }
}

/// The system's time, which the services read unless a test gave them a clock it moves.
pub fn now() -> i64 {
    Clock::system().now()
}

/// Next year, for dates that stay ahead of the tests' clock.
pub fn next_year() -> i64 {
    app::model::Day::of_unix(now()).to_string()[..4].parse::<i64>().unwrap() + 1
}
