//! `server [serve | migrate | import | reindex | moderateur | exemples | sauvegarde |
//! restauration]`: the portal's single binary.

use server::search::{Indexer, SearchEngine};
use server::{config::Settings, db::Database, import, organisations::Organisations, startup::Application, telemetry};
use std::process::ExitCode;

/// jemalloc rather than glibc's malloc: glibc kept the memory freed by page renders and
/// compressions in its per-thread arenas, so the server's resident memory only grew; jemalloc's
/// background thread hands freed pages back 200 ms later (`.cargo/config.toml`), and its
/// thread caches are faster too (see the README's load figures). It also stands in for
/// `malloc` itself (server/Cargo.toml, `unprefixed_malloc_on_supported_platforms`): SQLite,
/// compiled in C, allocated through glibc, whose per-thread arenas held about 30 MB after a
/// visit of every commune page (`/proc/PID/smaps`, 7 December 2026).
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

const USAGE: &str =
    "usage : server [serve | migrate | import | reindex | moderateur [--retirer] <email> | exemples [--si-absents]
               | sauvegarde <fichier> | restauration <fichier>]
  serve       applique les migrations puis sert le portail (par défaut)
  migrate     applique les migrations de la base de données
  import      importe les données de référence (répertoire REFERENCE_DATA_DIR)
  reindex     reconstruit l'index de recherche à partir de la base (tantivy : serveur arrêté)
  moderateur  nomme modérateur (ARS, URPS, ordre) le compte de cette adresse e-mail,
              ou lui retire ce rôle avec --retirer ; le compte doit déjà exister
  exemples    crée des données de démonstration marquées « exemple » : organisations, environ
              200 offres, des événements, des aides locales et une page de territoire
              (remplace celles d'un précédent appel, sauf avec --si-absents qui garde celles qui
              existent ; refusé si PORTAIL_MODE=production)
  sauvegarde  écrit une copie cohérente de la base dans ce fichier (nouveau), serveur en marche :
              tout y est, CV et photos compris
  restauration remplace la base par cette sauvegarde puis reconstruit l'index de recherche
              (serveur arrêté)";

#[tokio::main]
async fn main() -> ExitCode {
    let command = std::env::args().nth(1).unwrap_or_else(|| "serve".to_owned());
    let settings = match Settings::from_env() {
        Ok(settings) => settings,
        Err(error) => {
            eprintln!("configuration invalide : {error}");
            return ExitCode::FAILURE;
        }
    };
    telemetry::init(&settings);
    let outcome = match command.as_str() {
        "serve" => serve(settings).await,
        "migrate" => migrate(&settings).await,
        "import" => run_import(&settings).await,
        "reindex" => reindex(&settings).await,
        "moderateur" => moderator(&settings, std::env::args().skip(2).collect()).await,
        "exemples" => examples(&settings, std::env::args().skip(2).collect()).await,
        "sauvegarde" => save(&settings, std::env::args().skip(2).collect()).await,
        "restauration" => restore(&settings, std::env::args().skip(2).collect()).await,
        "-h" | "--help" | "help" => {
            println!("{USAGE}");
            Ok(())
        }
        other => Err(format!("commande inconnue « {other} »\n{USAGE}")),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(settings: Settings) -> Result<(), String> {
    let app = Application::build(settings).await.map_err(|e| e.to_string())?;
    tracing::info!(port = app.port(), "serving");
    app.run_until_stopped().await.map_err(|e| e.to_string())
}

async fn migrate(settings: &Settings) -> Result<(), String> {
    Database::connect(&settings.database_url).await.map_err(|e| e.to_string())?;
    println!("migrations appliquées ({})", settings.database_url.redacted());
    Ok(())
}

async fn run_import(settings: &Settings) -> Result<(), String> {
    let db = Database::connect(&settings.database_url).await.map_err(|e| e.to_string())?;
    let report =
        import::run(&db, &settings.reference_data_dir, import::Progress::Terminal).await.map_err(|e| e.to_string())?;
    println!("{report}");
    Ok(())
}

async fn reindex(settings: &Settings) -> Result<(), String> {
    let db = Database::connect(&settings.database_url).await.map_err(|e| e.to_string())?;
    let engine = SearchEngine::open(&settings.data_dir, settings.meilisearch.as_ref()).map_err(|e| e.to_string())?;
    let kind = engine.kind();
    let indexer = Indexer::new(db, engine);
    let started = std::time::Instant::now();
    let report = indexer.rebuild(true).await.map_err(|e| e.to_string())?;
    // What was written meanwhile (or before, and not yet applied) is in the outbox.
    let pending = indexer.drain_once().await.map_err(|e| e.to_string())?;
    println!(
        "Index de recherche ({kind}) reconstruit en {:.1} s : {} offres publiées, {} structures de santé, {} communes ; {pending} changement(s) en attente appliqué(s).",
        started.elapsed().as_secs_f64(),
        report.offers,
        report.structures,
        report.communes
    );
    Ok(())
}

/// The one argument, a file name.
fn file_argument(args: &[String]) -> Result<std::path::PathBuf, String> {
    match args {
        [file] if !file.starts_with('-') => Ok(file.into()),
        _ => Err(format!("un nom de fichier est attendu\n{USAGE}")),
    }
}

async fn save(settings: &Settings, args: Vec<String>) -> Result<(), String> {
    let file = file_argument(&args)?;
    let db = Database::connect(&settings.database_url).await.map_err(|e| e.to_string())?;
    server::backup::backup(&db, &settings.database_url, &file).await.map_err(|e| e.to_string())?;
    println!("Sauvegarde écrite : {}", file.display());
    Ok(())
}

async fn restore(settings: &Settings, args: Vec<String>) -> Result<(), String> {
    let file = file_argument(&args)?;
    server::backup::restore(&settings.database_url, &file).await.map_err(|e| e.to_string())?;
    println!("Base restaurée depuis {}.", file.display());
    // A backup older than this binary gets its missing migrations; the index follows the base.
    reindex(settings).await
}

async fn moderator(settings: &Settings, args: Vec<String>) -> Result<(), String> {
    let (appoint, email) = match args.as_slice() {
        [email] if !email.starts_with('-') => (true, email),
        [flag, email] if flag == "--retirer" => (false, email),
        _ => return Err(format!("adresse e-mail attendue\n{USAGE}")),
    };
    let db = Database::connect(&settings.database_url).await.map_err(|e| e.to_string())?;
    let organisations = Organisations::new(db, settings.public_url.clone());
    let name = organisations.set_moderator(email, appoint).await.map_err(|e| e.to_string())?;
    if appoint {
        println!("{name} ({email}) est maintenant modérateur ou modératrice.");
    } else {
        println!("{name} ({email}) n'est plus modérateur ou modératrice.");
    }
    Ok(())
}

async fn examples(settings: &Settings, args: Vec<String>) -> Result<(), String> {
    let only_if_absent = match args.as_slice() {
        [] => false,
        [flag] if flag == "--si-absents" => true,
        _ => return Err(format!("option inconnue\n{USAGE}")),
    };
    if settings.production {
        return Err(server::demo::DemoError::Production.to_string());
    }
    let db = Database::connect(&settings.database_url).await.map_err(|e| e.to_string())?;
    let accounts = server::accounts::Accounts::new(db.clone(), settings.public_url.clone());
    let report = match only_if_absent {
        true => server::demo::seed_if_absent(&db, &accounts, settings.production, 200).await,
        false => server::demo::seed(&db, &accounts, settings.production, 200).await.map(Some),
    }
    .map_err(|e| e.to_string())?;
    match report {
        Some(report) => println!(
            "Données d'exemple créées : {} organisations, {} offres, {} événements, {} aides locales, {} page de \
             territoire, {} terrains de stage, {} avis d'internes, {} logements pour internes ({} offres \
             d'exemple précédentes remplacées).",
            report.organisations,
            report.offers,
            report.events,
            report.aids,
            report.pages,
            report.stage_sites,
            report.reviews,
            report.housing,
            report.replaced
        ),
        None => println!("Les données d'exemple sont déjà là : rien n'est changé."),
    }
    Ok(())
}
