//! SARIF 2.1.0, the format code-scanning UIs (GitHub, GitLab, Azure DevOps) ingest.
//!
//! Each result carries a logical location (`public.orders.created_at`, kind `column`) and,
//! when the report knows the committed snapshot file, a physical location at the object's line
//! in it: code-scanning UIs only show results that point into a file of the repository.

use serde_json::{json, Value};

use super::{Level, Report, RuleInfo};

/// SARIF's name for a level.
fn sarif_level(level: Option<Level>) -> &'static str {
    match level {
        Some(Level::Error) => "error",
        Some(Level::Warning) => "warning",
        Some(Level::Info) => "note",
        None => "none",
    }
}

/// Renders `report` as one SARIF 2.1.0 log with one run.
pub fn render_sarif(report: &Report) -> String {
    let mut rules: Vec<(String, Option<Level>, &str, &str)> = report.rules.iter().map(|r: &RuleInfo| (r.id.to_owned(), r.default_level, r.summary, r.why)).collect();
    // A finding from a rule outside the table (e.g. a stale baseline entry) still needs an entry.
    for f in &report.findings {
        if !rules.iter().any(|r| r.0 == f.rule) {
            rules.push((f.rule.clone(), Some(f.level), "", ""));
        }
    }
    let rule_values: Vec<Value> = rules
        .iter()
        .map(|(id, level, summary, why)| {
            let mut v = json!({
                "id": id,
                "defaultConfiguration": { "level": sarif_level(*level) },
            });
            if !summary.is_empty() {
                v["shortDescription"] = json!({ "text": summary });
            }
            if !why.is_empty() {
                v["fullDescription"] = json!({ "text": why });
                v["help"] = json!({ "text": why });
            }
            v
        })
        .collect();
    let results: Vec<Value> = report
        .findings
        .iter()
        .map(|f| {
            let mut text = format!("{}: {}", f.location.display_name(), f.message);
            if let Some(fix) = &f.fix {
                text.push_str(&format!(" Fix: {fix}"));
            }
            let mut location = json!({});
            if let Some(o) = f.object_ref() {
                location["logicalLocations"] = json!([{ "fullyQualifiedName": o.qualified(), "kind": o.kind.as_str() }]);
            }
            if let (Some(file), Some(line)) = (&report.artifact, report.line_of(f)) {
                location["physicalLocation"] = json!({ "artifactLocation": { "uri": uri(file) }, "region": { "startLine": line } });
            }
            let mut result = json!({
                "ruleId": f.rule,
                "ruleIndex": rules.iter().position(|r| r.0 == f.rule).unwrap_or(0),
                "level": sarif_level(Some(f.level)),
                "message": { "text": text },
                "locations": [location],
                "partialFingerprints": { "pgcanonKey/v1": f.key },
            });
            if let Some(fix) = &f.fix {
                result["properties"] = json!({ "fix": fix });
            }
            result
        })
        .collect();
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "pgcanon",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/pgcanon/pgcanon",
                "rules": rule_values,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    let mut s = serde_json::to_string_pretty(&log).expect("sarif serializes");
    s.push('\n');
    s
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
