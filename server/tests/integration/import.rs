use crate::helpers::*;
use server::db::{Backend, Database};
use server::import::{self, ImportError, Progress};
use std::path::Path;

const EXPECTED: [(&str, i64); 8] = [
    ("regions", 1),
    ("departements", 13),
    ("epcis", 164),
    ("communes", 4446),
    ("apl", 8892),
    ("health_structures", 969),
    ("geometries", 4460),
    ("stations", 245),
];

fn expected() -> Vec<(String, i64)> {
    EXPECTED.iter().map(|(t, n)| (t.to_string(), *n)).collect()
}

#[tokio::test]
async fn import_twice_gives_the_same_rows_and_the_second_run_changes_nothing() {
    let test_db = empty_db().await;
    let db = Database::connect(&test_db.url).await.unwrap();

    let first = import::run(&db, &reference_data(), Progress::Hidden).await.unwrap();
    // 18 945 rows of territories and health data, 105 QPV, 245 stations and the catalogue of aids.
    let aids = first.table("aids").unwrap().read;
    assert!(aids >= 15, "{first}");
    assert_eq!(first.changes(), 18945 + 105 + 245 + aids, "{first}");
    assert_eq!(counts(&db).await, expected());

    let second = import::run(&db, &reference_data(), Progress::Hidden).await.unwrap();
    assert_eq!(second.changes(), 0, "{second}");
    assert!(second.tables.iter().all(|t| t.unchanged == t.read), "{second}");
    assert_eq!(counts(&db).await, expected());
    assert!(second.to_string().contains("rien n'a changé"));
}

#[tokio::test]
async fn a_changed_value_in_a_file_updates_only_that_row() {
    let test_db = imported_db().await;
    let db = Database::connect(&test_db.url).await.unwrap();
    let dir = copy_of_reference_data();
    edit_line(dir.path(), "communes-occitanie.csv", "12202,Rodez", |line| line.replacen(",23981,", ",24000,", 1));

    let report = import::run(&db, dir.path(), Progress::Hidden).await.unwrap();
    assert_eq!(report.changes(), 1, "{report}");
    assert_eq!(report.table("communes").unwrap().changed, 1);
    let population: i64 =
        sqlx::query_scalar("SELECT population FROM communes WHERE code = '12202'").fetch_one(&db.pool).await.unwrap();
    assert_eq!(population, 24000);
}

#[tokio::test]
async fn a_corrupted_csv_imports_nothing_and_names_file_and_line() {
    let test_db = empty_db().await;
    let db = Database::connect(&test_db.url).await.unwrap();
    let dir = copy_of_reference_data();
    // Line 101 of the file (the header is line 1): a population that is not a number.
    let mut lines: Vec<String> =
        std::fs::read_to_string(dir.path().join("communes-occitanie.csv")).unwrap().lines().map(String::from).collect();
    let fields: Vec<&str> = lines[100].split(',').collect();
    let broken = lines[100].replacen(&format!(",{},", fields[6]), ",douze,", 1);
    lines[100] = broken;
    std::fs::write(dir.path().join("communes-occitanie.csv"), lines.join("\n") + "\n").unwrap();

    let error = import::run(&db, dir.path(), Progress::Hidden).await.unwrap_err();
    let ImportError::Rejected(rejects) = &error else { panic!("unexpected error: {error}") };
    assert_eq!(rejects.len(), 1, "{error}");
    assert_eq!(rejects[0].file, "communes-occitanie.csv");
    assert_eq!(rejects[0].line, 101);
    assert!(rejects[0].reason.contains("population"), "{}", rejects[0].reason);
    assert!(error.to_string().contains("communes-occitanie.csv, ligne 101"), "{error}");
    assert!(counts(&db).await.iter().all(|(_, n)| *n == 0));
}

#[tokio::test]
async fn a_corrupted_file_leaves_an_imported_database_as_it_was() {
    let test_db = imported_db().await;
    let db = Database::connect(&test_db.url).await.unwrap();
    let dir = copy_of_reference_data();
    // A valid change in one file and a broken line in another: neither may land.
    edit_line(dir.path(), "communes-occitanie.csv", "12202,Rodez", |line| line.replacen(",23981,", ",24000,", 1));
    edit_line(dir.path(), "zonage-mg-occitanie.csv", "09002,", |line| line.replace("ZIP,1_ZIP", "ZUP,1_ZIP"));

    let error = import::run(&db, dir.path(), Progress::Hidden).await.unwrap_err();
    assert!(error.to_string().contains("zonage-mg-occitanie.csv, ligne 3"), "{error}");
    assert!(error.to_string().contains("ZUP"), "{error}");
    assert_eq!(counts(&db).await, expected());
    let population: i64 =
        sqlx::query_scalar("SELECT population FROM communes WHERE code = '12202'").fetch_one(&db.pool).await.unwrap();
    assert_eq!(population, 23981);
}

#[tokio::test]
async fn a_short_line_and_an_unknown_commune_are_reported() {
    let test_db = empty_db().await;
    let db = Database::connect(&test_db.url).await.unwrap();
    let dir = copy_of_reference_data();
    edit_line(dir.path(), "epci-occitanie.csv", "200006930,", |_| {
        "200006930,CC du Haut Allier Margeride,CC".to_owned()
    });
    edit_line(dir.path(), "apl-mg-occitanie-communes2026.csv", "09001,", |line| line.replacen("09001", "09999", 1));

    let message = import::run(&db, dir.path(), Progress::Hidden).await.unwrap_err().to_string();
    assert!(message.contains("epci-occitanie.csv, ligne 2 : 3 champs au lieu de 9"), "{message}");
    assert!(message.contains("apl-mg-occitanie-communes2026.csv, ligne 2 : commune 09999 absente"), "{message}");
    assert!(counts(&db).await.iter().all(|(_, n)| *n == 0));
}

#[tokio::test]
async fn broken_geojson_is_reported_with_its_line() {
    let test_db = empty_db().await;
    let db = Database::connect(&test_db.url).await.unwrap();
    let dir = copy_of_reference_data();
    edit_line(dir.path(), "departements-occitanie-light.geojson", "\"dep\":\"12\"", |line| {
        line.replacen("[[", "[[}", 1)
    });

    let message = import::run(&db, dir.path(), Progress::Hidden).await.unwrap_err().to_string();
    assert!(message.contains("departements-occitanie-light.geojson, ligne 4 : JSON invalide"), "{message}");
    assert!(counts(&db).await.iter().all(|(_, n)| *n == 0));
}

fn copy_of_reference_data() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(reference_data()).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, dir.path().join(path.file_name().unwrap())).unwrap();
    }
    dir
}

/// Rewrites the first line that contains `marker`.
fn edit_line(dir: &Path, file: &str, marker: &str, edit: impl Fn(&str) -> String) {
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    let mut done = false;
    let lines: Vec<String> = text
        .lines()
        .map(|line| {
            if !done && line.contains(marker) {
                done = true;
                edit(line)
            } else {
                line.to_owned()
            }
        })
        .collect();
    assert!(done, "no line of {file} contains {marker}");
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
}

#[tokio::test]
async fn a_station_of_an_unknown_class_or_commune_imports_nothing_and_is_named() {
    let test_db = empty_db().await;
    let db = Database::connect(&test_db.url).await.unwrap();
    let dir = copy_of_reference_data();
    edit_line(dir.path(), "gares-voyageurs-occitanie.csv", "Mende,MDE,", |line| line.replacen(",C,", ",D,", 1));
    edit_line(dir.path(), "gares-voyageurs-occitanie.csv", "Auch,AUH,", |line| line.replacen(",32013,", ",32999,", 1));

    let message = import::run(&db, dir.path(), Progress::Hidden).await.unwrap_err().to_string();
    assert!(message.contains("gares-voyageurs-occitanie.csv, ligne"), "{message}");
    assert!(message.contains("classe de gare « D » inconnue"), "{message}");
    assert!(message.contains("commune 32999 absente"), "{message}");
    assert!(counts(&db).await.iter().all(|(_, n)| *n == 0));
}

/// Each SQLite connection keeps a page cache of 1 MiB (SQLite's default is 2 MB): the server's
/// memory counts eight of them. PostgreSQL has nothing of the kind to set.
#[tokio::test]
async fn every_sqlite_connection_keeps_a_page_cache_of_one_mebibyte() {
    let test_db = empty_db().await;
    let db = Database::connect(&test_db.url).await.unwrap();
    if db.backend != Backend::Sqlite {
        return;
    }
    // Two at once: the second is a connection of its own, set up as the first.
    let mut first = db.pool.acquire().await.unwrap();
    let mut second = db.pool.acquire().await.unwrap();
    for connection in [&mut first, &mut second] {
        let size: i64 = sqlx::query_scalar("PRAGMA cache_size").fetch_one(&mut **connection).await.unwrap();
        assert_eq!(size, -1024, "KiB");
    }
}
