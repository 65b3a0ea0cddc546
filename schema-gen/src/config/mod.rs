//! The `build.rs` builder, in the style of `prost_build::Config`.
//!
//! ```no_run
//! // build.rs, inside `fn main()`:
//! schema_gen::Config::new()
//!     .pg_type("citext", "String")
//!     .column_type("public.users.email", "crate::Email")
//!     .derive(".", "serde::Serialize")
//!     .compile()
//!     .expect("generate models");
//! ```
//!
//! Submodules: [`resolve`] (live-or-offline snapshot resolution) and [`file`](mod@file) (options from a
//! JSON or TOML file, for the CLI).

pub mod file;
pub mod resolve;

use std::path::{Path, PathBuf};

use schema_core::check::options::TYPE_OPTIONS_ENV;
use schema_core::snapshot::lazy::{Lazy, INDEX_ENV, INDEX_FILE};
use schema_core::snapshot::stamp::{file_stamp, STAMP_ENV};
use schema_core::target::Target;
use schema_core::typemap::{TimeCrate, TypeOptions};
use schema_core::Snapshot;

use crate::codegen::{self, attrs, AttributeRule, GenerateOptions, Generated};
use crate::db::DATABASE_URL_VARS;
use crate::docs::DocsOptions;
use crate::{Error, Result};

pub use resolve::{Resolution, SnapshotSource};

/// The default snapshot path, relative to `CARGO_MANIFEST_DIR`.
pub const DEFAULT_SNAPSHOT_PATH: &str = "schema/snapshot.json";
/// The default output file name inside `OUT_DIR`.
pub const DEFAULT_FILE_NAME: &str = "pgcanon_models.rs";
/// Set to `1`/`true`/`yes` to make an unreachable or suspicious database a build error.
pub const STRICT_ENV: &str = "PGCANON_STRICT";
/// Change its value (e.g. `PGCANON_REFRESH=$(date +%s)`) to force `build.rs` to re-read the
/// live database; cargo otherwise skips the build script when nothing it watches changed.
pub const REFRESH_ENV: &str = "PGCANON_REFRESH";
/// Set for the crate being built: the absolute path of the snapshot the models came from
/// (read by the derive).
pub const SNAPSHOT_ENV: &str = "PGCANON_SNAPSHOT";
/// Warnings beyond this many are summarized so a large schema cannot flood the build output.
const MAX_CARGO_WARNINGS: usize = 25;

/// Configures model generation. Start with [`Config::new`], chain options, finish with
/// [`Config::compile`] (build scripts) or [`Config::generate`] (pure, no I/O).
#[derive(Debug, Clone)]
pub struct Config {
    options: GenerateOptions,
    snapshot_path: PathBuf,
    out_dir: Option<PathBuf>,
    file_name: String,
    url_vars: Vec<String>,
    strict: bool,
    docs_file: Option<PathBuf>,
    docs_options: DocsOptions,
}

impl Default for Config {
    fn default() -> Self {
        Config::new()
    }
}

/// What [`Config::compile`] did.
#[derive(Debug, Clone)]
pub struct Compiled {
    /// Where the snapshot came from.
    pub source: SnapshotSource,
    /// The absolute snapshot path.
    pub snapshot_path: PathBuf,
    /// True when the committed snapshot was rewritten from the live database.
    pub snapshot_written: bool,
    /// The generated file.
    pub output_path: PathBuf,
    /// True when the generated file changed (and was written).
    pub output_written: bool,
    /// The Markdown docs file and whether it changed (and was written), when
    /// [`Config::docs_file`] is set.
    pub docs: Option<(PathBuf, bool)>,
    /// Every warning, also printed as `cargo:warning=`.
    pub warnings: Vec<String>,
}

impl Config {
    /// Defaults: snapshot `schema/snapshot.json`, output `pgcanon_models.rs`, URL from
    /// `PGCANON_DATABASE_URL` then `DATABASE_URL`, chrono + rust_decimal + uuid + serde_json,
    /// docs on, not strict.
    pub fn new() -> Self {
        Config {
            options: GenerateOptions::default(),
            snapshot_path: PathBuf::from(DEFAULT_SNAPSHOT_PATH),
            out_dir: None,
            file_name: DEFAULT_FILE_NAME.to_owned(),
            url_vars: DATABASE_URL_VARS.iter().map(|v| (*v).to_owned()).collect(),
            strict: false,
            docs_file: None,
            docs_options: DocsOptions::default(),
        }
    }

    /// A config starting from these options (e.g. loaded with [`file::load_options`]).
    pub fn from_options(options: GenerateOptions) -> Self {
        Config { options, ..Config::new() }
    }

    /// A config with the options of a JSON (or, with feature `toml`, `.toml`) file — the same
    /// file `schema-gen generate --config` reads. A relative path is taken as given (build
    /// scripts run in `CARGO_MANIFEST_DIR`); the file is watched with `rerun-if-changed`.
    pub fn from_file(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        if std::env::var_os("OUT_DIR").is_some() {
            println!("cargo:rerun-if-changed={}", path.display());
        }
        Ok(Config::from_options(file::load_options(path)?))
    }

    /// The snapshot file; a relative path is resolved against `CARGO_MANIFEST_DIR`.
    pub fn snapshot_path(&mut self, path: impl Into<PathBuf>) -> &mut Self {
        self.snapshot_path = path.into();
        self
    }

    /// Where [`Config::compile`] writes (default: `OUT_DIR`).
    pub fn out_dir(&mut self, dir: impl Into<PathBuf>) -> &mut Self {
        self.out_dir = Some(dir.into());
        self
    }

    /// The generated file's name (default `pgcanon_models.rs`).
    pub fn file_name(&mut self, name: impl Into<String>) -> &mut Self {
        self.file_name = name.into();
        self
    }

    /// Generates (and introspects) only this schema; call repeatedly for several.
    pub fn include_schema(&mut self, schema: impl Into<String>) -> &mut Self {
        self.options.include_schemas.push(schema.into());
        self
    }

    /// Skips this schema.
    pub fn exclude_schema(&mut self, schema: impl Into<String>) -> &mut Self {
        self.options.exclude_schemas.push(schema.into());
        self
    }

    /// Record function bodies in the snapshot when `build.rs` introspects (default off).
    pub fn function_bodies(&mut self, on: bool) -> &mut Self {
        self.options.function_bodies = on;
        self
    }

    /// Record privileges (grants) in the snapshot when `build.rs` introspects (default on).
    pub fn privileges(&mut self, on: bool) -> &mut Self {
        self.options.privileges = on;
        self
    }

    /// Adds an attribute to the structs and enums matched by `path` (`.`, `schema`,
    /// `schema.object`), e.g. `.type_attribute("public", "#[serde(rename_all = \"camelCase\")]")`.
    pub fn type_attribute(&mut self, path: impl Into<String>, attribute: impl Into<String>) -> &mut Self {
        self.options.type_attributes.push(AttributeRule { path: path.into(), attribute: attribute.into() });
        self
    }

    /// Adds an attribute to the fields matched by `path` (`.`, `schema`, `schema.table`,
    /// `schema.table.column`).
    pub fn field_attribute(&mut self, path: impl Into<String>, attribute: impl Into<String>) -> &mut Self {
        self.options.field_attributes.push(AttributeRule { path: path.into(), attribute: attribute.into() });
        self
    }

    /// Adds derives (comma-separated paths) to the types matched by `path`, e.g.
    /// `.derive(".", "serde::Serialize, serde::Deserialize")`.
    pub fn derive(&mut self, path: impl Into<String>, derives: &str) -> &mut Self {
        self.type_attribute(path, attrs::derive_attribute(derives))
    }

    /// Date/time crate: [`TimeCrate::Chrono`] (default) or [`TimeCrate::Time`].
    pub fn time_crate(&mut self, time: TimeCrate) -> &mut Self {
        self.options.types.time = time;
        self
    }

    /// Map `numeric` to `rust_decimal::Decimal` (default on).
    pub fn decimal(&mut self, on: bool) -> &mut Self {
        self.options.types.decimal = on;
        self
    }

    /// Map `uuid` to `uuid::Uuid` (default on).
    pub fn uuid(&mut self, on: bool) -> &mut Self {
        self.options.types.uuid = on;
        self
    }

    /// Map `json`/`jsonb` to `serde_json::Value` (default on).
    pub fn json(&mut self, on: bool) -> &mut Self {
        self.options.types.json = on;
        self
    }

    /// Map `cidr` to `cidr::IpCidr` and `macaddr` to `eui48::MacAddress` (default off).
    pub fn network(&mut self, on: bool) -> &mut Self {
        self.options.types.network = on;
        self
    }

    /// Generate arrays as `Vec<Option<T>>` (default `Vec<T>`).
    pub fn nullable_array_elements(&mut self, on: bool) -> &mut Self {
        self.options.types.nullable_array_elements = on;
        self
    }

    /// Maps a PostgreSQL type (`citext` or `public.citext`) to a Rust type everywhere.
    pub fn pg_type(&mut self, pg_type: impl Into<String>, rust_type: impl Into<String>) -> &mut Self {
        self.options.types.type_overrides.insert(pg_type.into(), rust_type.into());
        self
    }

    /// Maps one column (`schema.table.column`, or `schema.type.field` for composites).
    pub fn column_type(&mut self, column: impl Into<String>, rust_type: impl Into<String>) -> &mut Self {
        self.options.types.column_overrides.insert(column.into(), rust_type.into());
        self
    }

    /// The client crates to generate for, replacing the default `[Target::Postgres]`: one or
    /// several of [`Target::Postgres`], [`Target::TokioPostgres`] and [`Target::Sqlx`]
    /// (config file: `targets = ["tokio-postgres", "sqlx"]`).
    pub fn targets(&mut self, targets: impl IntoIterator<Item = Target>) -> &mut Self {
        self.options.targets = targets.into_iter().collect();
        self
    }

    /// Derive `serde::Serialize`/`Deserialize` on generated structs and enums, with column
    /// names and PostgreSQL labels as keys (default off).
    pub fn serde(&mut self, on: bool) -> &mut Self {
        self.options.serde = on;
        self
    }

    /// Emit rustdoc (default on).
    pub fn docs(&mut self, on: bool) -> &mut Self {
        self.options.docs = on;
        self
    }

    /// Environment variables consulted for a database URL, in order; empty = always offline.
    pub fn database_url_vars<I, S>(&mut self, vars: I) -> &mut Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.url_vars = vars.into_iter().map(Into::into).collect();
        self
    }

    /// Keep a Markdown schema document current (relative to `CARGO_MANIFEST_DIR`, e.g.
    /// `schema/SCHEMA.md`): [`Config::compile`] re-renders it from the snapshot and writes it
    /// only when its content changed. `schema-gen check` verifies the same file in CI.
    pub fn docs_file(&mut self, path: impl Into<PathBuf>) -> &mut Self {
        self.docs_file = Some(path.into());
        self
    }

    /// How the Markdown docs are rendered (title, diagrams, example queries). Keep the
    /// defaults if `schema-gen check` / `schema-gen docs` should agree without extra flags.
    pub fn docs_options(&mut self, options: DocsOptions) -> &mut Self {
        self.docs_options = options;
        self
    }

    /// Make an unreachable or suspicious live database a build error (also `PGCANON_STRICT=1`).
    pub fn strict(&mut self, on: bool) -> &mut Self {
        self.strict = on;
        self
    }

    /// The generator options.
    pub fn options(&self) -> &GenerateOptions {
        &self.options
    }

    /// Generates models from `snapshot`. Pure: no I/O, no environment.
    pub fn generate(&self, snapshot: &Snapshot) -> Result<Generated> {
        codegen::generate(snapshot, &self.options)
    }

    /// For build scripts: resolves the snapshot (live when a URL is configured and reachable,
    /// else the committed file), writes the models into `OUT_DIR` when they changed, and
    /// prints the `cargo:` directives (rerun triggers, warnings, `PGCANON_SNAPSHOT`).
    pub fn compile(&self) -> Result<Compiled> {
        let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from);
        let snapshot_path = absolute(manifest_dir.as_deref(), &self.snapshot_path);
        println!("cargo:rerun-if-changed={}", snapshot_path.display());
        for var in self.url_vars.iter().map(String::as_str).chain([STRICT_ENV, REFRESH_ENV]) {
            println!("cargo:rerun-if-env-changed={var}");
        }
        let vars: Vec<&str> = self.url_vars.iter().map(String::as_str).collect();
        let url = crate::db::database_url_from_env(&vars);
        let strict = self.strict || env_flag(STRICT_ENV);
        let resolution = resolve::resolve(&snapshot_path, url.as_ref().map(|(v, u)| (v.as_str(), u.as_str())), strict, &self.options)?;
        let generated = self.generate(&resolution.snapshot)?;
        let out_dir = match (&self.out_dir, std::env::var_os("OUT_DIR")) {
            (Some(d), _) => absolute(manifest_dir.as_deref(), d),
            (None, Some(d)) => PathBuf::from(d),
            (None, None) => {
                return Err(Error::Config(
                    "`OUT_DIR` is not set; call `compile()` from a build script or set `.out_dir(...)`".into(),
                ))
            }
        };
        let output_path = out_dir.join(&self.file_name);
        let output_written = crate::write_if_changed(&output_path, generated.code.as_bytes())?;
        let docs = match &self.docs_file {
            Some(path) => {
                let path = absolute(manifest_dir.as_deref(), path);
                let written = crate::docs::write_docs(&resolution.snapshot, &path, &self.docs_options)?;
                Some((path, written))
            }
            None => None,
        };
        let mut warnings = resolution.warnings;
        warnings.extend(generated.warnings);
        print_warnings(&warnings);
        print_snapshot_env(&snapshot_path);
        // The derive checks hand-written models with the same type map the generator used;
        // without this it would fall back to defaults and could disagree with the models.
        if let Some(directive) = type_options_directive(&self.options.types)? {
            println!("{directive}");
        }
        // Likewise the targets: hand-written models then implement the same clients.
        if let Some(directive) = targets_directive(&self.options) {
            println!("{directive}");
        }
        Ok(Compiled {
            source: resolution.source,
            snapshot_path,
            snapshot_written: resolution.snapshot_written,
            output_path,
            output_written,
            docs,
            warnings,
        })
    }
}

/// For the build script of a crate that uses only the derive (no generated models): watches
/// the snapshot at `path` (relative to `CARGO_MANIFEST_DIR`) and hands it to the derive, which
/// then need not include the whole file in every check of the crate (see
/// [`schema_core::snapshot::stamp`]; `Config::compile()` does the same). Without a build
/// script the derive still works, and re-checks on every edit, at that cost.
///
/// ```no_run
/// // build.rs, inside `fn main()`:
/// schema_gen::config::watch_snapshot("schema/snapshot.json");
/// ```
pub fn watch_snapshot(path: impl AsRef<Path>) {
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from);
    let path = absolute(manifest_dir.as_deref(), path.as_ref());
    println!("cargo:rerun-if-changed={}", path.display());
    print_snapshot_env(&path);
}

/// `PGCANON_SNAPSHOT` and the snapshot's stamp for the derive, and in `OUT_DIR` the scan of the
/// snapshot ([`Index`]) so the derive skips it. The stamp vouches for the file: the caller has
/// printed `rerun-if-changed` for it, so when it changes this script re-runs and the new stamp
/// recompiles the crate. No stamp when the file cannot be read (the derive then reports the
/// problem itself), no index when it does not scan or changed while being read.
fn print_snapshot_env(path: &Path) {
    println!("cargo:rustc-env={SNAPSHOT_ENV}={}", path.display());
    let stamp = || std::fs::metadata(path).and_then(|m| Ok(file_stamp(m.len(), m.modified()?))).ok();
    let Some(before) = stamp() else { return };
    println!("cargo:rustc-env={STAMP_ENV}={before}");
    let (Some(out_dir), Ok(text)) = (std::env::var_os("OUT_DIR"), schema_core::fsutil::read_to_string(path, "read")) else {
        return;
    };
    if stamp().as_ref() != Some(&before) {
        return;
    }
    let Ok(lazy) = Lazy::scan(text) else { return };
    let Ok(json) = serde_json::to_string(&lazy.index(&before)) else { return };
    let index_path = Path::new(&out_dir).join(INDEX_FILE);
    if crate::write_if_changed(&index_path, json.as_bytes()).is_ok() {
        println!("cargo:rustc-env={INDEX_ENV}={}", index_path.display());
    }
}

/// The `cargo:rustc-env` directive that hands non-default type options to the derive, which
/// reads [`TYPE_OPTIONS_ENV`]; `None` for the defaults (the derive's own fallback).
fn type_options_directive(types: &TypeOptions) -> Result<Option<String>> {
    if *types == TypeOptions::default() {
        return Ok(None);
    }
    let json = serde_json::to_string(types).map_err(|e| Error::Config(format!("cannot serialize type options: {e}")))?;
    Ok(Some(format!("cargo:rustc-env={TYPE_OPTIONS_ENV}={json}")))
}

/// The `cargo:rustc-env` directive naming non-default targets for the derive
/// (`PGCANON_TARGETS`); `None` for the default (`postgres`), the derive's own fallback.
fn targets_directive(options: &GenerateOptions) -> Option<String> {
    let targets = options.targets();
    if targets == [Target::Postgres] {
        return None;
    }
    let names: Vec<&str> = targets.iter().map(|t| t.name()).collect();
    Some(format!("cargo:rustc-env={}={}", schema_core::check::options::TARGETS_ENV, names.join(",")))
}

/// `path` made absolute against `base` (the manifest dir), else the current directory.
fn absolute(base: Option<&Path>, path: &Path) -> PathBuf {
    if path.is_absolute() {
        return path.to_path_buf();
    }
    match base {
        Some(b) => b.join(path),
        None => std::env::current_dir().map(|d| d.join(path)).unwrap_or_else(|_| path.to_path_buf()),
    }
}

/// True when the variable is set to `1`, `true`, `yes` or `on` (any case).
pub fn env_flag(var: &str) -> bool {
    std::env::var(var).map(|v| matches!(v.trim().to_ascii_lowercase().as_str(), "1" | "true" | "yes" | "on")).unwrap_or(false)
}

/// Prints warnings for cargo, one line each, summarizing past [`MAX_CARGO_WARNINGS`].
fn print_warnings(warnings: &[String]) {
    for w in warnings.iter().take(MAX_CARGO_WARNINGS) {
        // A newline would end the directive; cargo would print the rest as build-script noise.
        println!("cargo:warning={}", w.replace(['\r', '\n'], " "));
    }
    if warnings.len() > MAX_CARGO_WARNINGS {
        println!("cargo:warning=... and {} more pgcanon warnings (run `schema-gen generate` to see all)", warnings.len() - MAX_CARGO_WARNINGS);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_default_targets_reach_the_derive_in_the_form_it_parses() {
        assert_eq!(targets_directive(Config::new().options()), None);
        let mut config = Config::new();
        config.targets([Target::Sqlx, Target::TokioPostgres]);
        let directive = targets_directive(config.options()).expect("a directive");
        let value = directive.strip_prefix("cargo:rustc-env=PGCANON_TARGETS=").expect("prefix");
        assert_eq!(schema_core::check::options::parse_targets_env(value).unwrap(), [Target::TokioPostgres, Target::Sqlx]);
    }

    #[test]
    fn non_default_type_options_reach_the_derive_in_the_form_it_parses() {
        assert_eq!(type_options_directive(&TypeOptions::default()).unwrap(), None);
        let mut config = Config::new();
        config.time_crate(TimeCrate::Time).pg_type("citext", "String");
        let directive = type_options_directive(&config.options().types).unwrap().expect("a directive");
        let json = directive.strip_prefix(&format!("cargo:rustc-env={TYPE_OPTIONS_ENV}=")).expect("prefix");
        let parsed = schema_core::check::options::parse_env(json).expect("the derive parses it");
        assert_eq!(parsed, config.options().types);
    }
}
