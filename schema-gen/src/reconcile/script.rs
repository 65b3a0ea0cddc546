//! The plan as one plain-SQL file, and the reading of such a file back (for `apply`).
//!
//! Layout: a header comment (generator, both sides' content hashes, the script hash, a summary
//! by severity, every change with its kind and hazards, every refused change with the flag
//! that would allow it); phase 1 in one transaction (timeouts, an advisory lock, the run log);
//! phase 2 outside it, one statement per step. No psql meta-commands, so `psql -f` runs it too.

use schema_core::sql::quote_literal;
use sha2::{Digest, Sha256};

use super::{Phase, Plan, LOG_SCHEMA};
use crate::diff::Severity;

/// The marker line that starts phase 1.
pub const PHASE1_MARKER: &str = "-- phase 1: one transaction";
/// The marker line that starts phase 2.
pub const PHASE2_MARKER: &str = "-- phase 2: outside a transaction, one statement at a time";
const STEP_PREFIX: &str = "-- step ";
/// The comment line that starts the run log at the end of phase 1.
const LOG_MARKER: &str = "-- the run log";

/// What the header records about the two sides and the session.
#[derive(Debug, Clone, Default)]
pub struct Header {
    /// The current state's label (a file, or a redacted URL).
    pub from_label: String,
    /// The current state's content hash.
    pub from_hash: String,
    /// The desired state's label.
    pub to_label: String,
    /// The desired state's content hash.
    pub to_hash: String,
    /// Whether the snapshots hold function bodies (`apply` introspects the same way).
    pub function_bodies: bool,
    /// `lock_timeout` for phase 1, e.g. `5s`.
    pub lock_timeout: String,
    /// `statement_timeout` for phase 1, e.g. `0` (none).
    pub statement_timeout: String,
    /// The lint fixes the target includes (`reconcile --lint-fixes`), one line each.
    pub lint_fixes: Vec<String>,
    /// The lint fixes left out, one line each with the reason.
    pub lint_fixes_skipped: Vec<String>,
}

/// Hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// The content hash of a snapshot: its canonical JSON without the log schema, with columns in
/// name order and without ordinals. Like the diff, it ignores column positions: a column added
/// to an existing table always lands last, so an exact position cannot be reconciled.
pub fn snapshot_hash(s: &schema_core::Snapshot) -> String {
    let mut s = super::without_log_schema(s);
    for schema in &mut s.schemas {
        for t in &mut schema.tables {
            t.columns.sort_by(|a, b| a.name.cmp(&b.name));
            t.columns.iter_mut().for_each(|c| c.ordinal = 0);
        }
    }
    sha256_hex(s.to_json().as_bytes())
}

/// The hash of a plan's statements, in order (what the log records as the script's hash).
pub fn steps_hash(plan: &Plan) -> String {
    let mut text = String::new();
    for s in &plan.steps {
        text.push_str(if s.phase == Phase::One { "1 " } else { "2 " });
        text.push_str(&s.sql);
        text.push('\n');
    }
    sha256_hex(text.as_bytes())
}

fn count(plan: &Plan, sev: Severity) -> usize {
    plan.planned.iter().filter(|p| p.change.severity == sev).count() + plan.refused.iter().filter(|r| r.change.severity == sev).count()
}

fn comment_line(text: &str) -> String {
    crate::diff::one_line(text, 160)
}

/// Renders the script.
pub fn render(plan: &Plan, h: &Header) -> String {
    let script_hash = steps_hash(plan);
    let p1 = plan.steps.iter().filter(|s| s.phase == Phase::One).count();
    let p2 = plan.steps.len() - p1;
    let mut o = String::new();
    o.push_str("-- pgcanon reconcile script: run it with `schema-gen apply FILE --database-url URL` (or `psql -f`).\n");
    o.push_str(&format!("-- generator: schema-gen {}\n", env!("CARGO_PKG_VERSION")));
    o.push_str(&format!("-- from: {} (sha256:{})\n", comment_line(&h.from_label), h.from_hash));
    o.push_str(&format!("-- to: {} (sha256:{})\n", comment_line(&h.to_label), h.to_hash));
    o.push_str(&format!("-- script: sha256:{script_hash}\n"));
    o.push_str(&format!("-- function-bodies: {}\n", if h.function_bodies { "yes" } else { "no" }));
    o.push_str(&format!(
        "-- summary: {} changes planned, {} refused ({} destructive, {} breaking, {} additive, {} cosmetic); {} steps ({p1} in phase 1, {p2} in phase 2)\n",
        plan.planned.len(),
        plan.refused.len(),
        count(plan, Severity::Destructive),
        count(plan, Severity::Breaking),
        count(plan, Severity::Additive),
        count(plan, Severity::Cosmetic),
        plan.steps.len()
    ));
    if !plan.planned.is_empty() {
        o.push_str("--\n-- changes:\n");
        for p in &plan.planned {
            let hz = if p.hazards.is_empty() { String::new() } else { format!("  hazards: {}", p.hazards.iter().map(|h| h.code()).collect::<Vec<_>>().join(", ")) };
            o.push_str(&format!("--   [{}] {} {}{hz}\n", p.change.severity, p.change.kind.code(), comment_line(&p.change.path)));
        }
    }
    if !plan.refused.is_empty() {
        o.push_str("--\n-- refused (not in this script):\n");
        for r in &plan.refused {
            let why = match &r.flag {
                Some(flag) => format!("{}; allow with `{flag}` or `--allow {}`", r.reason, r.change.kind.code()),
                None => r.reason.clone(),
            };
            o.push_str(&format!("--   [{}] {} {}: {}\n", r.change.severity, r.change.kind.code(), comment_line(&r.change.path), comment_line(&why)));
        }
    }
    if !h.lint_fixes.is_empty() {
        o.push_str("--\n-- lint fixes in the target (their changes are listed above, planned or refused):\n");
        h.lint_fixes.iter().for_each(|l| o.push_str(&format!("--   {}\n", comment_line(l))));
    }
    if !h.lint_fixes_skipped.is_empty() {
        o.push_str("--\n-- lint fixes left out:\n");
        h.lint_fixes_skipped.iter().for_each(|l| o.push_str(&format!("--   {}\n", comment_line(l))));
    }
    if plan.steps.is_empty() {
        o.push_str("--\n-- nothing to run.\n");
        return o;
    }
    o.push('\n');
    o.push_str(PHASE1_MARKER);
    o.push_str("\nBEGIN;\n");
    o.push_str(&format!("SET LOCAL lock_timeout = {};\n", quote_literal(&h.lock_timeout)));
    o.push_str(&format!("SET LOCAL statement_timeout = {};\n", quote_literal(&h.statement_timeout)));
    o.push_str("SET LOCAL search_path = pg_catalog;\n");
    o.push_str("SELECT pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('pgcanon'));\n");
    let mut n = 0;
    for s in plan.steps.iter().filter(|s| s.phase == Phase::One) {
        n += 1;
        o.push_str(&step_line(n, s));
        o.push_str(&s.sql);
        o.push_str(";\n");
    }
    o.push_str(&log_sql(plan, h, &script_hash));
    o.push_str("COMMIT;\n");
    if p2 > 0 {
        o.push('\n');
        o.push_str(PHASE2_MARKER);
        o.push('\n');
        o.push_str("SET search_path = pg_catalog;\n");
        for s in plan.steps.iter().filter(|s| s.phase == Phase::Two) {
            n += 1;
            o.push_str(&step_line(n, s));
            o.push_str(&s.sql);
            o.push_str(";\n");
        }
        o.push_str("RESET search_path;\n");
    }
    o
}

fn step_line(n: usize, s: &super::Step) -> String {
    let kind = s.kind.map(|k| k.code()).unwrap_or("rename");
    format!("{STEP_PREFIX}{n}: {kind} {}\n", comment_line(&s.path))
}

/// The run log: the table (created on first use) and this run's row.
fn log_sql(plan: &Plan, h: &Header, script_hash: &str) -> String {
    let changes: Vec<serde_json::Value> =
        plan.planned.iter().map(|p| serde_json::json!({"kind": p.change.kind.code(), "severity": p.change.severity.as_str(), "path": p.change.path})).collect();
    let json = serde_json::Value::Array(changes).to_string();
    format!(
        "{LOG_MARKER}\nCREATE SCHEMA IF NOT EXISTS {LOG_SCHEMA};\n\
         CREATE TABLE IF NOT EXISTS {LOG_SCHEMA}.schema_changes (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now(), \
         applied_by text NOT NULL DEFAULT current_user, script_sha256 text NOT NULL, from_hash text, to_hash text NOT NULL, changes jsonb NOT NULL);\n\
         INSERT INTO {LOG_SCHEMA}.schema_changes (script_sha256, from_hash, to_hash, changes) VALUES ({}, {}, {}, {}::jsonb);\n",
        quote_literal(script_hash),
        quote_literal(&h.from_hash),
        quote_literal(&h.to_hash),
        quote_literal(&json)
    )
}

/// A script read back: its hashes and its two phases.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parsed {
    /// The `from` content hash.
    pub from_hash: String,
    /// The `to` content hash.
    pub to_hash: String,
    /// The script hash.
    pub script_hash: String,
    /// Whether the plan's snapshots held function bodies.
    pub function_bodies: bool,
    /// Phase 1, from `BEGIN;` to `COMMIT;` exclusive (one batch).
    pub phase1: String,
    /// Phase 2, one statement per entry.
    pub phase2: Vec<String>,
}

/// Reads a script written by [`render`].
pub fn parse(text: &str, origin: &str) -> crate::Result<Parsed> {
    let bad = |what: &str| crate::Error::Config(format!("`{origin}` is not a pgcanon reconcile script ({what}); write one with `schema-gen reconcile`"));
    let header_hash = |prefix: &str| -> Option<String> {
        text.lines().take_while(|l| l.starts_with("--")).find(|l| l.starts_with(prefix)).and_then(|l| l.rsplit_once("sha256:")).map(|(_, h)| h.trim_end_matches(')').to_owned())
    };
    let mut p = Parsed {
        from_hash: header_hash("-- from:").ok_or_else(|| bad("no `-- from:` line"))?,
        to_hash: header_hash("-- to:").ok_or_else(|| bad("no `-- to:` line"))?,
        script_hash: header_hash("-- script:").ok_or_else(|| bad("no `-- script:` line"))?,
        function_bodies: text.lines().any(|l| l == "-- function-bodies: yes"),
        ..Parsed::default()
    };
    let Some(start) = text.find(&format!("{PHASE1_MARKER}\nBEGIN;\n")) else { return Ok(p) };
    let body_start = start + PHASE1_MARKER.len() + "\nBEGIN;\n".len();
    let phase2_at = text.find(&format!("\n{PHASE2_MARKER}\n"));
    let phase1_region = &text[body_start..phase2_at.unwrap_or(text.len())];
    let commit = phase1_region.rfind("\nCOMMIT;\n").ok_or_else(|| bad("phase 1 has no `COMMIT;`"))?;
    p.phase1 = phase1_region[..commit + 1].to_owned();
    if let Some(at) = phase2_at {
        let region = &text[at + PHASE2_MARKER.len() + 2..];
        let mut current = String::new();
        for line in region.lines() {
            if line.starts_with(STEP_PREFIX) || line == "RESET search_path;" {
                if !current.trim().is_empty() {
                    p.phase2.push(std::mem::take(&mut current));
                }
                current.clear();
                continue;
            }
            current.push_str(line);
            current.push('\n');
        }
        if !current.trim().is_empty() {
            p.phase2.push(current);
        }
    }
    Ok(p)
}

/// Phase 1 (as [`Parsed::phase1`] holds it) cut into batches of at most `size` steps, for
/// `apply --transaction-size`: each batch repeats the prologue (timeouts, search path,
/// advisory lock) and is meant to run as its own transaction; the last one also holds the run
/// log, so a run is recorded once, when its last batch commits. `size` 0 counts as 1.
///
/// Steps are found by their `-- step N:` comment lines, numbered from 1 without gaps, so a
/// function body holding such a line out of sequence is not mistaken for a step boundary.
pub fn phase1_batches(phase1: &str, size: usize) -> Vec<String> {
    let (mut prologue, mut log) = (String::new(), String::new());
    let mut steps: Vec<String> = Vec::new();
    let mut in_log = false;
    for line in phase1.split_inclusive('\n') {
        if !in_log && line.starts_with(&format!("{STEP_PREFIX}{}: ", steps.len() + 1)) {
            steps.push(String::new());
        } else if line.trim_end() == LOG_MARKER {
            in_log = true;
        }
        match (in_log, steps.last_mut()) {
            (true, _) => log.push_str(line),
            (false, Some(step)) => step.push_str(line),
            (false, None) => prologue.push_str(line),
        }
    }
    let mut batches: Vec<String> = steps.chunks(size.max(1)).map(|chunk| format!("{prologue}{}", chunk.concat())).collect();
    match batches.last_mut() {
        Some(last) => last.push_str(&log),
        None => batches.push(format!("{prologue}{log}")),
    }
    batches
}

#[cfg(test)]
mod tests {
    use super::*;

    const PHASE1: &str = "SET LOCAL lock_timeout = '5s';\nSELECT lock();\n-- step 1: table-added a\nCREATE TABLE a ();\n\
        -- step 2: function-added f\nCREATE FUNCTION f() AS $$\n-- step 9: not a step\n$$;\n-- step 3: table-added c\nCREATE TABLE c ();\n\
        -- the run log\nINSERT INTO log VALUES (1);\n";

    #[test]
    fn batches_repeat_the_prologue_and_end_with_the_log() {
        let b = phase1_batches(PHASE1, 2);
        assert_eq!(b.len(), 2);
        assert!(b.iter().all(|x| x.starts_with("SET LOCAL lock_timeout = '5s';\nSELECT lock();\n-- step ")));
        assert!(b[0].contains("CREATE TABLE a") && b[0].contains("-- step 9: not a step") && !b[0].contains("INSERT INTO log"));
        assert!(b[1].contains("CREATE TABLE c") && b[1].ends_with("INSERT INTO log VALUES (1);\n"));
        // One batch of everything is phase 1 as it was.
        assert_eq!(phase1_batches(PHASE1, 100), vec![PHASE1.to_owned()]);
        assert_eq!(phase1_batches(PHASE1, 0).len(), 3);
    }

    #[test]
    fn a_phase_without_steps_is_one_batch() {
        let p = "SELECT lock();\n-- the run log\nINSERT INTO log VALUES (1);\n";
        assert_eq!(phase1_batches(p, 5), vec![p.to_owned()]);
    }
}
