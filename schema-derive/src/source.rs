//! Finding and loading the snapshot, parsed once per compiler process.
//!
//! rustc loads a proc-macro once per crate compilation and calls it for every derive, so a
//! process-wide cache turns 500 derives into one parse. The cache is keyed by path and
//! invalidated by modification time, because long-lived hosts (rust-analyzer) reuse the
//! process across edits.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::SystemTime;

use schema_core::check::options;
use schema_core::typemap::TypeMap;
use schema_core::Snapshot;

/// The environment variable naming the snapshot (set by `Config::compile()` or by hand).
pub const SNAPSHOT_ENV: &str = "PGCANON_SNAPSHOT";
/// The default location, relative to the crate root.
pub const DEFAULT_SNAPSHOT: &str = "schema/snapshot.json";

/// A loaded snapshot with its type map and the files the expansion must depend on.
pub struct Loaded {
    /// The snapshot.
    pub snapshot: Snapshot,
    /// The type map configured from the options file next to it.
    pub types: TypeMap,
    /// The snapshot and, when present, the options file (absolute paths).
    pub files: Vec<PathBuf>,
}

/// Per snapshot path: what the entry was loaded from (mtimes and the options variable), and it.
type Cache = Mutex<HashMap<PathBuf, (Stamp, Arc<Loaded>)>>;
type Stamp = (Option<SystemTime>, Option<SystemTime>, Option<String>);

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

/// Loads (or reuses) the snapshot at `path`. The error is a complete user-facing message.
pub fn load(located: &Located) -> Result<Arc<Loaded>, String> {
    let path = &located.path;
    let options_path = options::OPTIONS_FILES.iter().map(|n| path.with_file_name(n)).find(|p| p.is_file());
    let env = std::env::var(options::TYPE_OPTIONS_ENV).ok();
    let stamp: Stamp = (mtime(path), options_path.as_deref().and_then(mtime), env.clone());
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
    let snapshot = parse(&text, &located.shown)?;
    let (type_options, options_file) = options::resolve(path, env.as_deref()).map_err(|e| e.to_string())?;
    let mut files = vec![path.clone()];
    files.extend(options_file);
    let loaded = Arc::new(Loaded { snapshot, types: TypeMap::new(type_options), files });
    cache.insert(path.clone(), (stamp, Arc::clone(&loaded)));
    Ok(loaded)
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
        std::fs::write(&path, "{\"format_version\": 1}").unwrap();
        let first = load(&located(path.clone())).unwrap();
        assert!(Arc::ptr_eq(&first, &load(&located(path.clone())).unwrap()), "second load must hit the cache");
        std::fs::write(dir.join("pgcanon.json"), "{\"types\": {\"time\": \"time\"}}").unwrap();
        let edited = load(&located(path.clone())).unwrap();
        assert!(!Arc::ptr_eq(&first, &edited), "a new options file must invalidate the cache");
        assert_eq!(edited.files.len(), 2);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
