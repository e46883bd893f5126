//! Brings each table in line with the files, inside one transaction, writing only the rows
//! that differ.

use super::Progress;
use super::files::ReferenceData;
use super::tables::{Kind, Row, Table, Value};
use crate::db::Database;
use indicatif::{ProgressBar, ProgressStyle};
use sqlx::any::AnyRow;
use sqlx::{Any, AssertSqlSafe, Row as _, Transaction};
use std::collections::HashMap;
use std::fmt;
use std::time::Duration;

/// What one table went through.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableReport {
    pub table: &'static str,
    pub label: &'static str,
    pub read: usize,
    pub added: usize,
    pub changed: usize,
    pub unchanged: usize,
    /// Rows in the database that the files no longer list; kept, since later data (offers,
    /// organisations) may refer to them.
    pub absent: usize,
}

#[derive(Debug, Clone, Default)]
pub struct ImportReport {
    pub tables: Vec<TableReport>,
    /// The alerts whose words were written again from their search (`offers::alerts::relabel`).
    pub relabelled_alerts: usize,
    pub elapsed: Duration,
}

impl ImportReport {
    pub fn changes(&self) -> usize {
        self.tables.iter().map(|t| t.added + t.changed).sum()
    }

    pub fn table(&self, name: &str) -> Option<&TableReport> {
        self.tables.iter().find(|t| t.table == name)
    }
}

impl fmt::Display for ImportReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{:<24}{:>9}{:>10}{:>11}{:>12}{:>10}",
            "table", "lues", "ajoutées", "modifiées", "inchangées", "absentes"
        )?;
        for t in &self.tables {
            writeln!(
                f,
                "{:<24}{:>9}{:>10}{:>11}{:>12}{:>10}",
                t.label, t.read, t.added, t.changed, t.unchanged, t.absent
            )?;
        }
        if self.relabelled_alerts > 0 {
            writeln!(f, "Alertes dont les lieux sont maintenant nommés : {}", self.relabelled_alerts)?;
        }
        let changes = self.changes();
        if changes == 0 {
            write!(f, "Import terminé en {} s : la base était déjà à jour, rien n'a changé.", seconds(self.elapsed))
        } else {
            write!(f, "Import terminé en {} s : {changes} ligne(s) écrite(s).", seconds(self.elapsed))
        }
    }
}

/// Rows per multi-row INSERT: well under both engines' limits on bound parameters.
const BATCH: usize = 200;

pub async fn sync(db: &Database, data: &ReferenceData, progress: Progress) -> Result<ImportReport, sqlx::Error> {
    let total: usize = data.iter().map(|(_, rows)| rows.len()).sum();
    let bar = match progress {
        Progress::Terminal => ProgressBar::new(total as u64),
        Progress::Hidden => ProgressBar::hidden(),
    };
    bar.set_style(
        ProgressStyle::with_template("{msg:<24} [{bar:40}] {pos}/{len}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    let mut tx = db.begin_write().await?;
    let mut report = ImportReport::default();
    for (table, rows) in data {
        bar.set_message(table.label);
        report.tables.push(sync_table(&mut tx, table, rows, &bar).await?);
    }
    tx.commit().await?;
    bar.finish_and_clear();
    Ok(report)
}

async fn sync_table(
    tx: &mut Transaction<'static, Any>,
    table: &'static Table,
    rows: &[Row],
    bar: &ProgressBar,
) -> Result<TableReport, sqlx::Error> {
    let names: Vec<&str> = table.columns.iter().map(|(name, _)| *name).collect();
    // Table and column names come from the constants in `tables`, never from input.
    let select = format!("SELECT {} FROM {}", names.join(", "), table.name);
    let existing: HashMap<String, Row> = sqlx::query(AssertSqlSafe(select))
        .fetch_all(&mut **tx)
        .await?
        .iter()
        .map(|r| decode(table, r).map(|row| (key(table, &row), row)))
        .collect::<Result<_, _>>()?;

    let mut report = TableReport {
        table: table.name,
        label: table.label,
        read: rows.len(),
        added: 0,
        changed: 0,
        unchanged: 0,
        absent: 0,
    };
    let mut to_insert = Vec::new();
    let mut seen = 0;
    for row in rows {
        let current = existing.get(&key(table, row));
        if current.is_some() {
            seen += 1;
        }
        match current {
            None => to_insert.push(row),
            Some(current) if current == row => report.unchanged += 1,
            Some(_) => {
                update(tx, table, row).await?;
                report.changed += 1;
                bar.inc(1);
            }
        }
    }
    bar.inc(report.unchanged as u64);
    report.absent = existing.len() - seen;
    for chunk in to_insert.chunks(BATCH) {
        insert(tx, table, chunk).await?;
        report.added += chunk.len();
        bar.inc(chunk.len() as u64);
    }
    Ok(report)
}

/// The primary key of a row as one string (keys are text and integers, never reals).
fn key(table: &Table, row: &Row) -> String {
    row[..table.key_len].iter().map(|v| format!("{v:?}")).collect::<Vec<_>>().join("\u{1f}")
}

fn decode(table: &Table, row: &AnyRow) -> Result<Row, sqlx::Error> {
    table
        .columns
        .iter()
        .map(|(column, kind)| {
            Ok(match kind {
                Kind::Text => Value::Text(row.try_get(*column)?),
                Kind::OptText => Value::OptText(row.try_get(*column)?),
                Kind::Int => Value::Int(row.try_get(*column)?),
                Kind::OptInt => Value::OptInt(row.try_get(*column)?),
                Kind::Real => Value::Real(row.try_get(*column)?),
            })
        })
        .collect()
}

type AnyQuery = sqlx::query::Query<'static, Any, sqlx::any::AnyArguments>;

fn bind(query: AnyQuery, value: &Value) -> AnyQuery {
    match value {
        Value::Text(s) => query.bind(s.clone()),
        Value::OptText(s) => query.bind(s.clone()),
        Value::Int(i) => query.bind(*i),
        Value::OptInt(i) => query.bind(*i),
        Value::Real(x) => query.bind(*x),
    }
}

async fn insert(tx: &mut Transaction<'static, Any>, table: &Table, rows: &[&Row]) -> Result<(), sqlx::Error> {
    let width = table.columns.len();
    let tuples: Vec<String> = (0..rows.len())
        .map(|r| {
            let params: Vec<String> = (1..=width).map(|c| format!("${}", r * width + c)).collect();
            format!("({})", params.join(", "))
        })
        .collect();
    let names: Vec<&str> = table.columns.iter().map(|(name, _)| *name).collect();
    let sql = format!("INSERT INTO {} ({}) VALUES {}", table.name, names.join(", "), tuples.join(", "));
    let mut query = sqlx::query(AssertSqlSafe(sql));
    for value in rows.iter().flat_map(|row| row.iter()) {
        query = bind(query, value);
    }
    query.execute(&mut **tx).await?;
    Ok(())
}

async fn update(tx: &mut Transaction<'static, Any>, table: &Table, row: &Row) -> Result<(), sqlx::Error> {
    let (keys, values) = table.columns.split_at(table.key_len);
    let set: Vec<String> =
        values.iter().enumerate().map(|(i, (name, _))| format!("{name} = ${}", table.key_len + i + 1)).collect();
    let filter: Vec<String> = keys.iter().enumerate().map(|(i, (name, _))| format!("{name} = ${}", i + 1)).collect();
    let sql = format!("UPDATE {} SET {} WHERE {}", table.name, set.join(", "), filter.join(" AND "));
    let mut query = sqlx::query(AssertSqlSafe(sql));
    for value in row {
        query = bind(query, value);
    }
    query.execute(&mut **tx).await?;
    Ok(())
}

fn seconds(elapsed: Duration) -> String {
    format!("{:.1}", elapsed.as_secs_f64()).replace('.', ",")
}
