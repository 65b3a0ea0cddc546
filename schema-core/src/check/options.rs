//! Which [`TypeOptions`] the checker uses for a snapshot, first match wins:
//!
//! 1. the `PGCANON_TYPE_OPTIONS` environment variable: a serialized [`TypeOptions`] (JSON), meant
//!    to be emitted by a build script with `cargo:rustc-env` so the derive sees exactly the
//!    options the build script generated with (the derive runs inside rustc, with no other
//!    channel to the build script's configuration);
//! 2. the first of `pgcanon.json` and `schema-gen.json` in the snapshot's directory, reading its
//!    `"types"` object (the generator's config-file format; other keys are ignored here);
//! 3. [`TypeOptions::default`], which is also the generator's default.

use std::path::{Path, PathBuf};

use crate::target::Target;
use crate::typemap::TypeOptions;

/// The environment variable holding type options as JSON (see the module docs).
pub const TYPE_OPTIONS_ENV: &str = "PGCANON_TYPE_OPTIONS";

/// The environment variable naming the derive's targets, comma-separated (`sqlx`,
/// `postgres,tokio-postgres`); `schema_gen::Config::compile` sets it when its targets are not
/// the default, so hand-written models implement the same clients as the generated ones.
pub const TARGETS_ENV: &str = "PGCANON_TARGETS";

/// Options file names, in precedence order.
pub const OPTIONS_FILES: &[&str] = &["pgcanon.json", "schema-gen.json"];

/// A broken options file.
#[derive(Debug, thiserror::Error)]
pub enum OptionsError {
    /// The file exists but cannot be read.
    #[error("cannot read type options `{path}`: {source}")]
    Io {
        /// The file.
        path: String,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The file is not JSON, or its `types` object is not valid type options.
    #[error("type options `{path}` are invalid: {source}; fix the `types` object (see `TypeOptions`)")]
    Parse {
        /// The file.
        path: String,
        /// The JSON error.
        source: serde_json::Error,
    },
}

/// Parses the value of [`TYPE_OPTIONS_ENV`] (a bare [`TypeOptions`] object).
pub fn parse_env(text: &str) -> Result<TypeOptions, OptionsError> {
    serde_json::from_str(text).map_err(|source| OptionsError::Parse { path: format!("${TYPE_OPTIONS_ENV}"), source })
}

/// The type options for the snapshot at `snapshot_path` by the precedence above, reading the
/// environment variable's value from `env` (pass `std::env::var(TYPE_OPTIONS_ENV).ok()`), and
/// the file they came from (`None` for the environment or the defaults), so callers can make
/// builds depend on it.
pub fn resolve(snapshot_path: &Path, env: Option<&str>) -> Result<(TypeOptions, Option<PathBuf>), OptionsError> {
    match env.filter(|v| !v.trim().is_empty()) {
        Some(json) => Ok((parse_env(json)?, None)),
        None => load_for_snapshot(snapshot_path),
    }
}

/// The type options of the file next to the snapshot at `snapshot_path` (steps 2 and 3 above),
/// and the file they came from (`None` for the defaults).
pub fn load_for_snapshot(snapshot_path: &Path) -> Result<(TypeOptions, Option<PathBuf>), OptionsError> {
    let dir = snapshot_path.parent().unwrap_or(Path::new("."));
    for name in OPTIONS_FILES {
        let path = dir.join(name);
        if !path.is_file() {
            continue;
        }
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(&path).map_err(|source| OptionsError::Io { path: shown.clone(), source })?;
        return Ok((parse(&text, &shown)?, Some(path)));
    }
    Ok((TypeOptions::default(), None))
}

/// Parses a [`TARGETS_ENV`] value; an unknown name is an error naming the valid ones.
pub fn parse_targets_env(text: &str) -> Result<Vec<Target>, String> {
    let mut out = Vec::new();
    for name in text.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        match Target::from_name(name) {
            Some(t) => out.push(t),
            None => return Err(format!("`{TARGETS_ENV}` names unknown target `{name}`; use one or several of {}", Target::valid_names())),
        }
    }
    Ok(crate::target::normalized(&out))
}

/// The `targets` list of an options file's text (`{"targets": ["sqlx"]}`), `None` when absent.
pub fn parse_targets_file(text: &str, origin: &str) -> Result<Option<Vec<Target>>, OptionsError> {
    #[derive(serde::Deserialize)]
    struct File {
        #[serde(default)]
        targets: Option<Vec<Target>>,
    }
    let file: File = serde_json::from_str(text).map_err(|source| OptionsError::Parse { path: origin.to_owned(), source })?;
    Ok(file.targets.map(|t| crate::target::normalized(&t)))
}

/// Parses an options file's text (`{"types": {...}}`; a missing `types` means the defaults).
pub fn parse(text: &str, origin: &str) -> Result<TypeOptions, OptionsError> {
    #[derive(serde::Deserialize)]
    struct File {
        #[serde(default)]
        types: Option<serde_json::Value>,
    }
    let err = |source| OptionsError::Parse { path: origin.to_owned(), source };
    let file: File = serde_json::from_str(text).map_err(err)?;
    match file.types {
        Some(v) => serde_json::from_value(v).map_err(err),
        None => Ok(TypeOptions::default()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::typemap::TimeCrate;

    #[test]
    fn reads_types_object_and_rejects_unknown_keys() {
        let o = parse(r#"{"types": {"time": "time", "uuid": false}, "docs": {}}"#, "x").unwrap();
        assert_eq!(o.time, TimeCrate::Time);
        assert!(!o.uuid);
        assert_eq!(parse("{}", "x").unwrap(), TypeOptions::default());
        let e = parse(r#"{"types": {"tiem": "time"}}"#, "x").unwrap_err();
        assert!(e.to_string().contains("unknown field `tiem`"), "{e}");
    }

    #[test]
    fn targets_come_from_the_variable_or_the_file() {
        assert_eq!(parse_targets_env("sqlx, tokio-postgres").unwrap(), [Target::TokioPostgres, Target::Sqlx]);
        let e = parse_targets_env("sqlx,diesel").unwrap_err();
        assert!(e.contains("unknown target `diesel`") && e.contains("`tokio-postgres`"), "{e}");
        assert_eq!(parse_targets_file(r#"{"types": {}, "targets": ["sqlx"]}"#, "x").unwrap(), Some(vec![Target::Sqlx]));
        assert_eq!(parse_targets_file(r#"{"types": {}}"#, "x").unwrap(), None);
        assert!(parse_targets_file(r#"{"targets": ["mysql"]}"#, "x").is_err());
    }

    #[test]
    fn environment_wins_over_files() {
        let (o, file) = resolve(Path::new("/nonexistent/snapshot.json"), Some(r#"{"decimal": false}"#)).unwrap();
        assert!(!o.decimal && file.is_none());
        let (o, _) = resolve(Path::new("/nonexistent/snapshot.json"), None).unwrap();
        assert_eq!(o, TypeOptions::default());
        let e = resolve(Path::new("x"), Some("{\"time\": 3}")).unwrap_err().to_string();
        assert!(e.contains("$PGCANON_TYPE_OPTIONS"), "{e}");
    }
}
