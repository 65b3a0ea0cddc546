//! Generator options from a file, so the CLI (`schema-gen generate --config`) and a build
//! script can share one definition. JSON always; TOML with the `toml` feature (on with `cli`).
//!
//! The file holds a [`GenerateOptions`]: `include_schemas`, `exclude_schemas`, `docs`,
//! `types` (`time`, `decimal`, `uuid`, `json`, `network`, `nullable_array_elements`,
//! `type_overrides`, `column_overrides`), `type_attributes` and `field_attributes`
//! (lists of `{ path, attribute }`). Unknown keys are errors, so typos do not pass silently.

use std::path::Path;

use crate::codegen::GenerateOptions;
use crate::{Error, Result};

/// Loads options from `path`: `.toml` as TOML, anything else as JSON.
pub fn load_options(path: &Path) -> Result<GenerateOptions> {
    let text = schema_core::fsutil::read_to_string(path, "read config")?;
    let is_toml = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("toml"));
    parse_options(&text, is_toml, &path.display().to_string())
}

/// Parses options from text; `origin` names the source in errors.
pub fn parse_options(text: &str, is_toml: bool, origin: &str) -> Result<GenerateOptions> {
    if is_toml {
        return parse_toml(text, origin);
    }
    serde_json::from_str(text).map_err(|e| Error::Config(format!("config `{origin}` is not valid: {e}; see the README's option list")))
}

#[cfg(feature = "toml")]
fn parse_toml(text: &str, origin: &str) -> Result<GenerateOptions> {
    toml::from_str(text).map_err(|e| Error::Config(format!("config `{origin}` is not valid: {e}; see the README's option list")))
}

#[cfg(not(feature = "toml"))]
fn parse_toml(_text: &str, origin: &str) -> Result<GenerateOptions> {
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

    #[cfg(feature = "toml")]
    #[test]
    fn parses_toml() {
        let text = "include_schemas = [\"public\"]\n[types]\ntime = \"time\"\n[[type_attributes]]\npath = \".\"\nattribute = \"#[derive(Eq)]\"\n";
        let o = parse_options(text, true, "x.toml").unwrap();
        assert_eq!(o.include_schemas, ["public"]);
        assert_eq!(o.type_attributes.len(), 1);
    }
}
