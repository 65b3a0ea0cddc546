//! Which [`TypeOptions`] the checker uses for a snapshot.
//!
//! The derive runs inside rustc, with no build-script configuration at hand, so the options
//! must be discoverable from the snapshot alone: the first of `pgcanon.json` and
//! `schema-gen.json` found in the snapshot's directory, reading its `"types"` object (a
//! serialized [`TypeOptions`]; other top-level keys belong to other tools and are ignored).
//! Without such a file, [`TypeOptions::default`] applies, which is also the generator's default.

use std::path::{Path, PathBuf};

use crate::typemap::TypeOptions;

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

/// The type options for the snapshot at `snapshot_path`, and the file they came from (`None`
/// for the defaults), so callers can make builds depend on it.
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
}
