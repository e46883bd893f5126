//! Backups (`server sauvegarde`, `server restauration`) against a real database: data written,
//! backed up while the services run, more written (an upload removed, an account added),
//! then restored: exactly the backed-up state comes back, CV and photo bytes included.

use crate::applications::pdf;
use crate::helpers::*;
use crate::offers::remplacement;
use crate::seeds::{SITE, World};
use crate::territory_pages::png;
use server::applications::{Applications, Cv};
use server::backup::{BackupError, backup, restore};
use server::db::Database;
use server::promotion::Promotions;
use std::collections::BTreeMap;

/// Every table of the schema with its number of rows.
async fn table_counts(db: &Database) -> BTreeMap<String, i64> {
    let sql = if postgres() {
        "SELECT CAST(tablename AS TEXT) FROM pg_tables WHERE schemaname = 'public'"
    } else {
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    };
    let tables: Vec<String> = sqlx::query_scalar(sql).fetch_all(&db.pool).await.unwrap();
    let mut counts = BTreeMap::new();
    for table in tables {
        let sql = format!("SELECT CAST(COUNT(*) AS BIGINT) FROM {table}");
        counts.insert(table, sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).fetch_one(&db.pool).await.unwrap());
    }
    counts
}

#[tokio::test]
async fn a_backup_taken_while_running_restores_exactly_its_state_uploads_included() {
    let test_db = imported_db().await;
    let url = test_db.url.clone();
    let db = Database::connect(&url).await.unwrap();
    let w = World::on(db.clone(), Some(test_db), None).await;
    let applications = Applications::new(db.clone(), SITE.to_owned());
    let promotions = Promotions::new(db.clone(), SITE.to_owned());

    let mayor = w.confirmed_user("mairie@decazeville.example", "Claire Mairie").await;
    let lea = w.confirmed_user("lea@exemple.fr", "Dr Léa Martin").await;
    let organisation = w.organisation(mayor, "commune", "Mairie de Decazeville", "12089", true).await;
    let offer = w.published(mayor, organisation, &remplacement()).await;
    let cv = Cv::parse("cv.pdf", pdf()).unwrap();
    let application = applications.apply(lea, offer, "Bonjour, je suis disponible.", Some(cv)).await.unwrap();
    let photo =
        promotions.add_photo(mayor, organisation, png(800, 500), "La place de la mairie", "Mairie").await.unwrap();
    let photo_bytes = promotions.photo(Some(mayor), photo, false).await.unwrap().unwrap();

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("portail.sauvegarde");
    let state = table_counts(&db).await;
    backup(&db, &url, &file).await.unwrap();
    assert!(matches!(backup(&db, &url, &file).await, Err(BackupError::Exists(_))), "never over another backup");

    // Life goes on: an account, a second photo, the first one removed.
    w.confirmed_user("paul@exemple.fr", "Paul").await;
    promotions.add_photo(mayor, organisation, png(800, 500), "Le lac", "Mairie").await.unwrap();
    promotions.remove_photo(mayor, organisation, photo).await.unwrap();
    assert_ne!(table_counts(&db).await, state);

    // Something that is not a backup is refused and changes nothing.
    let not_a_backup = dir.path().join("notes.txt");
    std::fs::write(&not_a_backup, "pas une sauvegarde").unwrap();
    db.pool.close().await;
    assert!(restore(&url, &not_a_backup).await.is_err());
    assert!(matches!(restore(&url, &dir.path().join("absente")).await, Err(BackupError::Missing(_))));
    let db = Database::connect(&url).await.unwrap();
    assert_eq!(table_counts(&db).await.get("users"), Some(&(state["users"] + 1)), "still the later state");
    db.pool.close().await;

    restore(&url, &file).await.unwrap();
    let db = Database::connect(&url).await.unwrap();
    assert_eq!(table_counts(&db).await, state);
    let applications = Applications::new(db.clone(), SITE.to_owned());
    let promotions = Promotions::new(db.clone(), SITE.to_owned());
    let (name, bytes) = applications.cv(mayor, application).await.unwrap().unwrap();
    assert_eq!((name.as_str(), bytes), ("cv.pdf", pdf()));
    assert_eq!(promotions.photo(Some(mayor), photo, false).await.unwrap().unwrap(), photo_bytes);
    let paul: Option<i64> = sqlx::query_scalar("SELECT id FROM users WHERE email = 'paul@exemple.fr'")
        .fetch_optional(&db.pool)
        .await
        .unwrap();
    assert_eq!(paul, None);
}
