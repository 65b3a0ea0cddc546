//! Finding and loading the snapshot, parsed once per compiler process.
//!
//! rustc loads a proc-macro once per crate compilation and calls it for every derive, so a
//! process-wide cache turns 500 derives into one parse. The cache is keyed by path and
//! invalidated by modification time, because long-lived hosts (rust-analyzer) reuse the
//! process across edits.

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::SystemTime;

use schema_core::check::options;
use schema_core::snapshot::lazy::{Index, Lazy, INDEX_ENV};
use schema_core::snapshot::stamp::{file_stamp, STAMP_ENV};
use schema_core::target::Target;
use schema_core::typemap::TypeMap;
use schema_core::Snapshot;


/// The environment variable naming the snapshot (set by `Config::compile()` or by hand).
pub const SNAPSHOT_ENV: &str = "PGCANON_SNAPSHOT";
/// The default location, relative to the crate root.
pub const DEFAULT_SNAPSHOT: &str = "schema/snapshot.json";

/// A loaded snapshot with its type map and the files the expansion must depend on.
pub struct Loaded {
    /// The scanned snapshot, when the lazy scan understood it (see `schema_core::snapshot::lazy`).
    lazy: Option<Lazy>,
    /// The whole snapshot, parsed on first need (always, when the scan gave up).
    full: OnceLock<Result<Snapshot, String>>,
    /// The path as shown in messages.
    shown: String,
    /// The type map configured from the options file next to it.
    pub types: TypeMap,
    /// The options file's `targets`, when it names them.
    pub targets: Option<Vec<Target>>,
    /// The snapshot and, when present, the options file (absolute paths).
    pub files: Vec<PathBuf>,
}

/// Per snapshot path: what the entry was loaded from (mtimes and the options variable), and it.
type Cache = Mutex<HashMap<PathBuf, (Stamp, Arc<Loaded>)>>;
type Stamp = (Option<SystemTime>, Option<SystemTime>, Option<String>, Option<String>);

fn cache() -> &'static Cache {
    static CACHE: OnceLock<Cache> = OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(HashMap::new()))
}

/// The files of `files` not yet depended upon in this compiler process (rustc compiles one crate
/// per process, so "this process" is "this crate"), marking them as used.
pub fn first_use(files: &[PathBuf]) -> Vec<PathBuf> {
    static EMITTED: OnceLock<Mutex<std::collections::HashSet<PathBuf>>> = OnceLock::new();
    let mut emitted = EMITTED.get_or_init(Default::default).lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    files.iter().filter(|f| emitted.insert((*f).clone())).cloned().collect()
}

/// The environment variables the expansion reads: the derive expands `option_env!` of each (once
/// per crate), which records them in rustc's dep-info, so cargo re-runs the checks when their
/// value changes, as it does for an edited snapshot or options file.
pub const TRACKED_ENV: &[&str] = &[SNAPSHOT_ENV, options::TYPE_OPTIONS_ENV, options::TARGETS_ENV, STAMP_ENV, INDEX_ENV];

/// True once per compiler process (crate): emit the environment dependencies.
pub fn first_env_use() -> bool {
    static DONE: AtomicBool = AtomicBool::new(false);
    !DONE.swap(true, Ordering::Relaxed)
}

/// True once per compiler process and target: explain a missing client dependency.
pub fn first_missing_dependency(target: Target) -> bool {
    static DONE: OnceLock<Mutex<std::collections::HashSet<Target>>> = OnceLock::new();
    DONE.get_or_init(Default::default).lock().unwrap_or_else(|poisoned| poisoned.into_inner()).insert(target)
}

/// The crate's `Cargo.toml`, read once per compiler process; `None` when it cannot be read.
fn manifest() -> Option<&'static str> {
    static MANIFEST: OnceLock<Option<String>> = OnceLock::new();
    MANIFEST
        .get_or_init(|| {
            let dir = std::env::var_os("CARGO_MANIFEST_DIR")?;
            std::fs::read_to_string(Path::new(&dir).join("Cargo.toml")).ok()
        })
        .as_deref()
}

/// Whether the crate being compiled declares the `client` crate, which the generated row
/// mapping names as `::postgres` (or `::tokio_postgres`, `::sqlx`). Without it rustc says only "cannot find `postgres`"
/// (E0433) at the derive; reading the manifest lets the derive say which dependency to add.
/// `true` when the manifest cannot be read: then rustc's own error is all anyone can give.
pub fn crate_declares(client: Target) -> bool {
    declared_clients().is_none_or(|declared| declared.contains(&client))
}

/// The client crates the manifest declares, or `None` when it cannot be read. Scanned once per
/// compiler process: every model asks, and the scan is a measurable share of an unoptimized
/// derive's time on hundreds of models.
pub fn declared_clients() -> Option<&'static [Target]> {
    static DECLARED: OnceLock<Option<Vec<Target>>> = OnceLock::new();
    DECLARED
        .get_or_init(|| manifest().map(|m| Target::ALL.iter().copied().filter(|t| declares(m, t.crate_name())).collect()))
        .as_deref()
}

/// True when a `[dependencies]`-like table of `manifest` (dev, target-specific, not build) has the
/// key `krate` (`postgres = "0.19"`, `postgres.workspace = true`, `[dependencies.postgres]`).
/// A line scan rather than a TOML parser: the derive keeps its dependencies (and its compile
/// time in users' builds) small, and a false "declared" only falls back to rustc's message.
fn declares(manifest: &str, krate: &str) -> bool {
    let is_deps = |header: &str| header.ends_with("dependencies") && !header.ends_with("build-dependencies");
    let mut in_deps = false;
    for line in manifest.lines() {
        let line = line.split('#').next().unwrap_or_default().trim();
        if let Some(header) = line.strip_prefix('[') {
            let header = header.trim_matches(|c| c == '[' || c == ']').trim();
            if let Some(table) = header.strip_suffix(krate).and_then(|h| h.strip_suffix('.')) {
                if is_deps(table) {
                    return true;
                }
            }
            in_deps = is_deps(header);
        } else if in_deps {
            let key = line.split(['=', '.']).next().unwrap_or_default().trim().trim_matches(['"', '\'']);
            if key == krate {
                return true;
            }
        }
    }
    false
}

/// True the first time `path` fails to load in this compiler process, so the full explanation
/// is printed once instead of once per model.
pub fn first_failure(path: &Path) -> bool {
    static FAILED: OnceLock<Mutex<std::collections::HashSet<PathBuf>>> = OnceLock::new();
    let mut failed = FAILED.get_or_init(Default::default).lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    failed.insert(path.to_owned())
}

/// Where the snapshot is, and how it was chosen (for error messages).
pub struct Located {
    /// Absolute path.
    pub path: PathBuf,
    /// `#[model(snapshot)]`, `PGCANON_SNAPSHOT` or the default.
    pub origin: &'static str,
    /// The path as configured (relative paths stay relative so messages are portable).
    pub shown: String,
}

/// Applies the documented precedence.
pub fn locate(attribute: Option<&str>) -> Located {
    let root = std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from).unwrap_or_default();
    let (relative, origin) = match (attribute, std::env::var(SNAPSHOT_ENV).ok().filter(|v| !v.trim().is_empty())) {
        (Some(a), _) => (PathBuf::from(a), "`#[model(snapshot = \"...\")]`"),
        (None, Some(env)) => (PathBuf::from(env), "`PGCANON_SNAPSHOT`"),
        (None, None) => (PathBuf::from(DEFAULT_SNAPSHOT), "the default location"),
    };
    let shown = relative.display().to_string();
    Located { path: root.join(relative), origin, shown }
}

fn mtime(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

/// True when the crate's build script vouches for the file at `path`, just read: it named
/// `path` in `PGCANON_SNAPSHOT`, and the stamp it set in [`STAMP_ENV`] is the file's size and
/// modification time now (checked after the read, so a write during it is seen). Such a build
/// script (`Config::compile()`) re-runs when the file changes and then sets another stamp,
/// which recompiles the crate, so the derive need not watch the file itself. Anything else (no
/// build script: no `OUT_DIR`; another path; another stamp, e.g. the file was edited after the
/// script ran) is not vouched for, and the derive includes the file as before.
fn vouched_for(path: &Path) -> bool {
    let (Some(stamp), Some(named), Some(_)) =
        (std::env::var(STAMP_ENV).ok(), std::env::var_os(SNAPSHOT_ENV), std::env::var_os("OUT_DIR"))
    else {
        return false;
    };
    let root = std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from).unwrap_or_default();
    let Ok((len, modified)) = std::fs::metadata(path).and_then(|m| Ok((m.len(), m.modified()?))) else {
        return false;
    };
    root.join(named) == path && stamp == file_stamp(len, modified)
}

/// Loads (or reuses) the snapshot at `path`. The error is a complete user-facing message.
pub fn load(located: &Located) -> Result<Arc<Loaded>, String> {
    let path = &located.path;
    let options_path = options::OPTIONS_FILES.iter().map(|n| path.with_file_name(n)).find(|p| p.is_file());
    let env = std::env::var(options::TYPE_OPTIONS_ENV).ok();
    let stamp: Stamp = (mtime(path), options_path.as_deref().and_then(mtime), env.clone(), std::env::var(STAMP_ENV).ok());
    let mut cache = cache().lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some((cached, loaded)) = cache.get(path) {
        if *cached == stamp && stamp.0.is_some() {
            return Ok(Arc::clone(loaded));
        }
    }
    if path.is_dir() {
        // Not "does not exist": the path is there, it just names the folder, not the file.
        return Err(format!(
            "schema snapshot `{}` (from {}, relative to the crate root) is a directory, not a snapshot file; \
             point it at the JSON file inside, e.g. `{}`",
            located.shown,
            located.origin,
            Path::new(&located.shown).join("snapshot.json").display()
        ));
    }
    if !path.is_file() {
        return Err(format!(
            "schema snapshot `{}` (from {}, relative to the crate root) does not exist; create it with \
             `schema-gen snapshot --database-url <url> --out schema/snapshot.json`, \
             or point `#[model(snapshot = \"...\")]` or `PGCANON_SNAPSHOT` at an existing one",
            located.shown, located.origin
        ));
    }
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read schema snapshot `{}`: {e}", located.shown))?;
    let vouched = vouched_for(path);
    // The build script's index spares the scan, when it was made from the file just read.
    let indexed = match (vouched, std::env::var_os(INDEX_ENV)) {
        (true, Some(index_path)) => std::fs::read_to_string(index_path)
            .ok()
            .and_then(|json| serde_json::from_str::<Index>(&json).ok())
            .filter(|index| std::env::var(STAMP_ENV).is_ok_and(|stamp| stamp == index.stamp)),
        _ => None,
    };
    let scanned = match indexed {
        Some(index) => Lazy::from_index(text, &index).or_else(Lazy::scan),
        None => Lazy::scan(text),
    };
    let (lazy, full) = match scanned {
        Ok(lazy) => (Some(lazy), OnceLock::new()),
        // The scan gave up: parse everything now, so a broken snapshot is reported as before.
        Err(text) => (None, OnceLock::from(Ok(parse(&text, &located.shown)?))),
    };
    let (type_options, options_file) = options::resolve(path, env.as_deref()).map_err(|e| e.to_string())?;
    let targets = match &options_file {
        Some(file) => {
            let shown = file.display().to_string();
            let text = std::fs::read_to_string(file).map_err(|e| format!("cannot read type options `{shown}`: {e}"))?;
            options::parse_targets_file(&text, &shown).map_err(|e| e.to_string())?
        }
        None => None,
    };
    // A snapshot the build script vouches for is watched by it; including it would cost rustc
    // a read, hash and copy of the whole file on every check of the crate.
    let mut files = if vouched { Vec::new() } else { vec![path.clone()] };
    files.extend(options_file);
    let loaded = Arc::new(Loaded { lazy, full, shown: located.shown.clone(), types: TypeMap::new(type_options), targets, files });
    cache.insert(path.clone(), (stamp, Arc::clone(&loaded)));
    Ok(loaded)
}

impl Loaded {
    /// The snapshot to check a model of `table` against: just the relations it can resolve to
    /// (and every schema's types) when the lazy scan finds it, else the whole snapshot (an
    /// unknown table's suggestions need every name). The error is a user-facing message.
    pub fn snapshot_for(&self, table: &str) -> Result<Cow<'_, Snapshot>, String> {
        if let Some(subset) = self.lazy.as_ref().and_then(|l| l.resolving(table)) {
            return Ok(Cow::Owned(subset));
        }
        let full = self.full.get_or_init(|| match &self.lazy {
            Some(lazy) => parse(lazy.text(), &self.shown),
            None => Err(format!("schema snapshot `{}` was not parsed", self.shown)),
        });
        full.as_ref().map(Cow::Borrowed).map_err(Clone::clone)
    }
}

/// Parses the snapshot (one pass; see `Snapshot::from_json`).
fn parse(text: &str, shown: &str) -> Result<Snapshot, String> {
    Snapshot::from_json(text, shown).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn located(path: PathBuf) -> Located {
        Located { shown: path.display().to_string(), path, origin: "`PGCANON_SNAPSHOT`" }
    }

    #[test]
    fn corrupt_and_missing_snapshots_are_explained() {
        let dir = std::env::temp_dir().join(format!("pgcanon-derive-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let corrupt = dir.join("snapshot.json");
        std::fs::write(&corrupt, "{\"format_version\": 1, \"schemas\": [").unwrap();
        let Err(message) = load(&located(corrupt)) else { panic!("a corrupt snapshot must not load") };
        assert!(message.contains("is corrupt") && message.contains("schema-gen snapshot"), "{message}");
        let Err(message) = load(&located(dir.join("absent.json"))) else { panic!("a missing snapshot must not load") };
        assert!(message.contains("does not exist") && message.contains("`PGCANON_SNAPSHOT`"), "{message}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn finds_the_postgres_dependency_in_every_spelling() {
        for declared in [
            "[dependencies]\npostgres = \"0.19\"\n",
            "[package]\nname = \"x\"\n\n[dependencies]\nserde = \"1\"\npostgres = { version = \"0.19\", features = [\"with-chrono-0_4\"] }\n",
            "[dependencies]\npostgres.workspace = true\n",
            "[dependencies.postgres]\nversion = \"0.19\"\n",
            "[target.'cfg(unix)'.dependencies]\npostgres = \"0.19\"\n",
            "[dev-dependencies]\n\"postgres\" = \"0.19\"\n",
        ] {
            assert!(declares(declared, "postgres"), "{declared}");
        }
        for missing in [
            "[package]\nname = \"postgres-app\"\n[dependencies]\npostgres-types = \"0.2\"\ntokio-postgres = \"0.7\"\n",
            "[build-dependencies]\npostgres = \"0.19\"\n",
            "[dependencies]\n# postgres = \"0.19\"\n",
            "[features]\npostgres = []\n",
        ] {
            assert!(!declares(missing, "postgres"), "{missing}");
        }
        let both = "[dependencies]\ntokio-postgres = \"0.7\"\n[dev-dependencies.sqlx]\nversion = \"0.8\"\n";
        assert!(declares(both, "tokio-postgres") && declares(both, "sqlx") && !declares(both, "postgres"));
    }

    #[test]
    fn a_directory_is_not_reported_as_missing() {
        let dir = std::env::temp_dir().join(format!("pgcanon-derive-dir-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("schema")).unwrap();
        let Err(message) = load(&located(dir.join("schema"))) else { panic!("a directory must not load") };
        assert!(message.contains("is a directory, not a snapshot file") && !message.contains("does not exist"), "{message}");
        assert!(message.contains("schema/snapshot.json"), "{message}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn loads_once_and_reloads_after_an_edit() {
        let dir = std::env::temp_dir().join(format!("pgcanon-derive-cache-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("snapshot.json");
        std::fs::write(&path, "{\"format_version\": 1, \"schemas\": [{\"name\": \"public\", \"tables\": [{\"name\": \"t\"}]}]}").unwrap();
        let first = load(&located(path.clone())).unwrap();
        assert!(Arc::ptr_eq(&first, &load(&located(path.clone())).unwrap()), "second load must hit the cache");
        std::fs::write(dir.join("pgcanon.json"), "{\"types\": {\"time\": \"time\"}}").unwrap();
        let edited = load(&located(path.clone())).unwrap();
        assert!(!Arc::ptr_eq(&first, &edited), "a new options file must invalidate the cache");
        assert_eq!(edited.files.len(), 2);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
