//! Generator options from a file, so the CLI (`schema-gen generate --config`) and a build
//! script can share one definition. JSON always; TOML with the `toml` feature (on with `cli`).
//!
//! The file holds a [`GenerateOptions`]: `include_schemas`, `exclude_schemas`, `docs`,
//! `targets` (`["postgres"]`, `["tokio-postgres"]`, `["sqlx"]` or several), `serde`,
//! `types` (`time`, `decimal`, `uuid`, `json`, `network`, `nullable_array_elements`,
//! `type_overrides`, `column_overrides`), `type_attributes` and `field_attributes`
//! (lists of `{ path, attribute }`). Unknown keys are errors, so typos do not pass silently.

use std::path::Path;

use crate::codegen::GenerateOptions;
use crate::lint::LintConfig;
use crate::{Error, Result};

/// Loads options from `path`: `.toml` as TOML, anything else as JSON.
pub fn load_options(path: &Path) -> Result<GenerateOptions> {
    let text = schema_core::fsutil::read_to_string(path, "read config")?;
    let is_toml = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("toml"));
    parse_options(&text, is_toml, &path.display().to_string())
}

/// Parses options from text; `origin` names the source in errors. The `lint` section belongs
/// to `schema-gen lint` ([`parse_lint`]) and is skipped here; every other unknown key is an error.
pub fn parse_options(text: &str, is_toml: bool, origin: &str) -> Result<GenerateOptions> {
    let invalid = |e: String| Error::Config(format!("config `{origin}` is not valid: {e}; see the README's option list"));
    let mut value = parse_value(text, is_toml, origin)?;
    if let serde_json::Value::Object(map) = &mut value {
        map.remove("lint");
        map.remove("queries");
    }
    serde_json::from_value(value).map_err(|e| invalid(e.to_string()))
}

/// Loads the `[lint]` sections of a config file (defaults when it has none).
pub fn load_lint(path: &Path) -> Result<LintConfig> {
    let text = schema_core::fsutil::read_to_string(path, "read config")?;
    let is_toml = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("toml"));
    parse_lint(&text, is_toml, &path.display().to_string())
}

/// Parses the `lint` key of a config file's text; the generator's keys are checked by
/// [`parse_options`], so a typo anywhere is caught by one of the two.
pub fn parse_lint(text: &str, is_toml: bool, origin: &str) -> Result<LintConfig> {
    match parse_value(text, is_toml, origin)? {
        serde_json::Value::Object(mut map) => match map.remove("lint") {
            Some(v) => Ok(LintConfig::from_value(v, origin)?),
            None => Ok(LintConfig::default()),
        },
        _ => Err(Error::Config(format!("config `{origin}` is not a table of options; see the README's option list"))),
    }
}

/// The `key` section of a config file (`queries`), `None` when the file has none.
pub fn load_section(path: &Path, key: &str) -> Result<Option<serde_json::Value>> {
    let text = schema_core::fsutil::read_to_string(path, "read config")?;
    let is_toml = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("toml"));
    let origin = path.display().to_string();
    match parse_value(&text, is_toml, &origin)? {
        serde_json::Value::Object(mut map) => Ok(map.remove(key)),
        _ => Err(Error::Config(format!("config `{origin}` is not a table of options; see the README's option list"))),
    }
}

/// The file as a JSON value (TOML is read into the same shape).
fn parse_value(text: &str, is_toml: bool, origin: &str) -> Result<serde_json::Value> {
    if is_toml {
        return parse_toml(text, origin);
    }
    serde_json::from_str(text).map_err(|e| Error::Config(format!("config `{origin}` is not valid: {e}; see the README's option list")))
}

#[cfg(feature = "toml")]
fn parse_toml(text: &str, origin: &str) -> Result<serde_json::Value> {
    toml::from_str(text).map_err(|e| Error::Config(format!("config `{origin}` is not valid: {e}; see the README's option list")))
}

#[cfg(not(feature = "toml"))]
fn parse_toml(_text: &str, origin: &str) -> Result<serde_json::Value> {
    Err(Error::Config(format!("config `{origin}` is TOML, but schema-gen was built without its `toml` feature; use JSON or enable `toml`")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_json_and_rejects_unknown_keys() {
        let o = parse_options(r#"{"docs": false, "types": {"time": "time", "type_overrides": {"citext": "String"}}}"#, false, "x.json").unwrap();
        assert!(!o.docs);
        assert_eq!(o.types.type_overrides.get("citext").map(String::as_str), Some("String"));
        let e = parse_options(r#"{"doc": false}"#, false, "x.json").unwrap_err().to_string();
        assert!(e.contains("unknown field `doc`"), "{e}");
    }

    #[test]
    fn targets_parse_by_name_and_unknown_ones_are_rejected() {
        use schema_core::target::Target;
        let o = parse_options(r#"{"targets": ["tokio-postgres", "sqlx"], "serde": true}"#, false, "x.json").unwrap();
        assert_eq!((o.targets(), o.serde), (vec![Target::TokioPostgres, Target::Sqlx], true));
        assert_eq!(parse_options("{}", false, "x.json").unwrap().targets(), [Target::Postgres]);
        let e = parse_options(r#"{"targets": ["diesel"]}"#, false, "x.json").unwrap_err().to_string();
        assert!(e.contains("unknown variant `diesel`") && e.contains("`tokio-postgres`"), "{e}");
    }

    #[cfg(feature = "toml")]
    #[test]
    fn parses_toml() {
        let text = "include_schemas = [\"public\"]\n[types]\ntime = \"time\"\n[[type_attributes]]\npath = \".\"\nattribute = \"#[derive(Eq)]\"\n";
        let o = parse_options(text, true, "x.toml").unwrap();
        assert_eq!(o.include_schemas, ["public"]);
        assert_eq!(o.type_attributes.len(), 1);
    }

    #[cfg(feature = "toml")]
    #[test]
    fn the_lint_sections_are_accepted_and_typos_in_them_rejected() {
        let text = "docs = false\n[lint]\nfail_on = \"warning\"\n[lint.rules]\ntype-money = \"off\"\n[lint.timestamps]\nmode = \"application\"\n";
        assert!(!parse_options(text, true, "p.toml").unwrap().docs);
        let lint = parse_lint(text, true, "p.toml").unwrap();
        assert_eq!(lint.fail_on, Some(crate::lint::FailOn::Warning));
        let e = parse_lint("[lint.timestamps]\nupdate = \"x\"\n", true, "p.toml").unwrap_err().to_string();
        assert_eq!(e, "unknown key `lint.timestamps.update` in `p.toml`; did you mean `updated`?");
        // The generator still rejects its own typos.
        let e = parse_options("doc = false\n[lint]\n", true, "p.toml").unwrap_err().to_string();
        assert!(e.contains("unknown field `doc`"), "{e}");
    }
}
