//! SARIF 2.1.0, the format code-scanning UIs (GitHub, GitLab, Azure DevOps) ingest.
//!
//! Each result carries a logical location (`public.orders.created_at`, kind `column`) and,
//! when the report knows the committed snapshot file, a physical location at the object's line
//! in it: code-scanning UIs only show results that point into a file of the repository. Source
//! findings (`models`) point at their file, line and column; artifact findings (`check`) at
//! their file.
//!
//! The log is written by serde straight to the writer, result by result, from structs that
//! borrow the report: a `serde_json::Value` tree of a large schema's findings cost about 15
//! times the findings' own size in memory.

use std::collections::{BTreeMap, HashMap};
use std::io::Write;

use serde::ser::{Serialize, Serializer};
use serde::Serialize as DeriveSerialize;

use super::{Finding, Level, Location, Report};

/// SARIF's name for a level.
fn sarif_level(level: Option<Level>) -> &'static str {
    match level {
        Some(Level::Error) => "error",
        Some(Level::Warning) => "warning",
        Some(Level::Info) => "note",
        None => "none",
    }
}

#[derive(DeriveSerialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(DeriveSerialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool<'a>,
    column_kind: &'static str,
    results: Results<'a>,
}

#[derive(DeriveSerialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(DeriveSerialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    name: &'static str,
    version: &'static str,
    information_uri: &'static str,
    rules: Vec<Rule<'a>>,
}

#[derive(DeriveSerialize)]
struct Text<'a> {
    text: &'a str,
}

#[derive(DeriveSerialize)]
struct Configuration {
    level: &'static str,
}

#[derive(DeriveSerialize)]
#[serde(rename_all = "camelCase")]
struct Rule<'a> {
    id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    short_description: Option<Text<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    full_description: Option<Text<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<Text<'a>>,
    default_configuration: Configuration,
}

/// Every finding as a result, serialized one at a time.
struct Results<'a> {
    report: &'a Report,
    index: HashMap<&'a str, usize>,
}

impl Serialize for Results<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.report.findings.iter().map(|f| result(self.report, &self.index, f)))
    }
}

#[derive(DeriveSerialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    rule_index: usize,
    level: &'static str,
    message: OwnedText,
    locations: [SarifLocation<'a>; 1],
    partial_fingerprints: Fingerprints<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    properties: Option<Properties<'a>>,
}

#[derive(DeriveSerialize)]
struct OwnedText {
    text: String,
}

#[derive(DeriveSerialize)]
#[serde(rename_all = "camelCase")]
struct SarifLocation<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    physical_location: Option<Physical>,
    #[serde(skip_serializing_if = "Option::is_none")]
    logical_locations: Option<[Logical<'a>; 1]>,
}

#[derive(DeriveSerialize)]
#[serde(rename_all = "camelCase")]
struct Physical {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(DeriveSerialize)]
struct ArtifactLocation {
    uri: String,
}

#[derive(DeriveSerialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    start_column: Option<usize>,
}

#[derive(DeriveSerialize)]
#[serde(rename_all = "camelCase")]
struct Logical<'a> {
    fully_qualified_name: String,
    kind: &'a str,
}

#[derive(DeriveSerialize)]
struct Fingerprints<'a> {
    #[serde(rename = "pgcanonKey/v1")]
    key: &'a str,
}

#[derive(DeriveSerialize)]
struct Properties<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    fix: Option<&'a str>,
    #[serde(flatten)]
    more: &'a BTreeMap<String, String>,
}

fn result<'a>(report: &'a Report, index: &HashMap<&'a str, usize>, f: &'a Finding) -> SarifResult<'a> {
    let mut text = format!("{}: {}", f.location.display_name(), f.message);
    if let Some(fix) = &f.fix {
        text.push_str(&format!(" Fix: {fix}"));
    }
    let physical = match &f.location {
        Location::Source { file, line, column } => Some(Physical { artifact_location: ArtifactLocation { uri: uri(file) }, region: Some(Region { start_line: *line, start_column: Some(*column) }) }),
        Location::File { file } => Some(Physical { artifact_location: ArtifactLocation { uri: uri(file) }, region: None }),
        Location::Object(_) => match (&report.artifact, report.line_of(f)) {
            (Some(file), Some(line)) => Some(Physical { artifact_location: ArtifactLocation { uri: uri(file) }, region: Some(Region { start_line: line, start_column: None }) }),
            _ => None,
        },
    };
    let logical = f.object_ref().map(|o| [Logical { fully_qualified_name: o.qualified(), kind: o.kind.as_str() }]);
    SarifResult {
        rule_id: &f.rule,
        rule_index: index.get(f.rule.as_str()).copied().unwrap_or(0),
        level: sarif_level(Some(f.level)),
        message: OwnedText { text },
        locations: [SarifLocation { physical_location: physical, logical_locations: logical }],
        partial_fingerprints: Fingerprints { key: &f.key },
        properties: (f.fix.is_some() || !f.properties.is_empty()).then_some(Properties { fix: f.fix.as_deref(), more: &f.properties }),
    }
}

/// Writes `report` as one SARIF 2.1.0 log with one run to `out`, as it serializes.
pub fn write_sarif(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    let mut rules: Vec<Rule> = report
        .rules
        .iter()
        .map(|r| {
            let text = |t: &'static str| (!t.is_empty()).then_some(Text { text: t });
            Rule { id: r.id, short_description: text(r.summary), full_description: text(r.why), help: text(r.why), default_configuration: Configuration { level: sarif_level(r.default_level) } }
        })
        .collect();
    let mut index: HashMap<&str, usize> = rules.iter().enumerate().map(|(i, r)| (r.id, i)).collect();
    // A finding from a rule outside the table (e.g. a stale baseline entry) still needs an entry.
    for f in &report.findings {
        if !index.contains_key(f.rule.as_str()) {
            index.insert(&f.rule, rules.len());
            rules.push(Rule { id: &f.rule, short_description: None, full_description: None, help: None, default_configuration: Configuration { level: sarif_level(Some(f.level)) } });
        }
    }
    let log = Log {
        schema: "https://json.schemastore.org/sarif-2.1.0.json",
        version: "2.1.0",
        runs: [Run {
            tool: Tool { driver: Driver { name: "pgcanon", version: env!("CARGO_PKG_VERSION"), information_uri: "https://github.com/pgcanon/pgcanon", rules } },
            column_kind: "unicodeCodePoints",
            results: Results { report, index },
        }],
    };
    serde_json::to_writer_pretty(&mut *out, &log).map_err(std::io::Error::from)?;
    out.write_all(b"\n")
}

/// [`write_sarif`] into a string.
pub fn render_sarif(report: &Report) -> String {
    let mut buf = Vec::new();
    write_sarif(report, &mut buf).expect("writing to memory cannot fail");
    String::from_utf8(buf).expect("serde_json writes UTF-8")
}

/// A repository-relative path as a URI reference: forward slashes, spaces and `%` escaped.
fn uri(path: &str) -> String {
    let path = path.strip_prefix("./").unwrap_or(path).replace('\\', "/");
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_escaped() {
        assert_eq!(uri("./schema/my snap%.json"), "schema/my%20snap%25.json");
    }
}
