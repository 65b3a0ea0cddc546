//! Text, JSON, Markdown and GitHub workflow-command renderings of a [`Report`].

use std::io::Write;

use serde::Serialize;

use super::{Counts, Examined, Finding, Level, Location, Report};
use crate::docs::escape;

/// `error[rule] object: message` per finding, the fix indented below it, and a summary line.
///
/// With [`Report::list_examined`], each examined subject gets a status line
/// (`STALE    docs       schema/SCHEMA.md  (against …)`) with its findings indented below it.
pub fn render_text(report: &Report) -> String {
    let mut out = String::new();
    if report.list_examined {
        for (e, findings) in report.by_subject() {
            let status = if e.ok { e.status.clone() } else { e.status.to_uppercase() };
            out.push_str(&format!("{status:<7}  {:<9}  {}", e.name, e.location.display_name()));
            if let Some(against) = &e.against {
                out.push_str(&format!("  (against {against})"));
            }
            out.push('\n');
            for f in findings {
                text_finding(&mut out, f, "         ");
            }
            if let Some(fix) = &e.fix {
                out.push_str(&format!("         fix: {fix}\n"));
            }
        }
    } else {
        for f in &report.findings {
            text_finding(&mut out, f, "");
        }
    }
    out.push_str(&summary_line(report));
    out.push('\n');
    out
}

fn text_finding(out: &mut String, f: &Finding, indent: &str) {
    out.push_str(&format!("{indent}{}[{}] {}: {}\n", f.level.as_str(), f.rule, f.location.display_name(), f.message));
    if let Some(fix) = &f.fix {
        out.push_str(&format!("{indent}  fix: {fix}\n"));
    }
}

/// `3 findings: 1 error, 1 warning, 1 info (2 baselined)`, or `no findings`, then the tally of
/// examined subjects (`; 2 models checked: 1 ok, 1 failing`).
fn summary_line(report: &Report) -> String {
    let c = report.counts();
    let total = c.error + c.warning + c.info;
    let mut s = if total == 0 {
        "no findings".to_owned()
    } else {
        format!("{total} finding{}: {} error{}, {} warning{}, {} info", plural(total), c.error, plural(c.error), c.warning, plural(c.warning), c.info)
    };
    if c.baselined > 0 {
        s.push_str(&format!(" ({} baselined)", c.baselined));
    }
    if let Some(tally) = report.tally() {
        s.push_str("; ");
        s.push_str(&tally);
    }
    s
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// The JSON document: serialized straight from the report, never through a `Value` tree.
#[derive(Serialize)]
struct JsonReport<'a> {
    summary: Counts,
    #[serde(skip_serializing_if = "<[Examined]>::is_empty")]
    examined: &'a [Examined],
    findings: &'a [Finding],
}

/// Writes `{"summary": {...}, ["examined": [...],] "findings": [...]}`, pretty-printed and
/// newline-terminated, to `out` as it serializes.
pub fn write_json(report: &Report, out: &mut dyn Write) -> std::io::Result<()> {
    let doc = JsonReport { summary: report.counts(), examined: &report.examined, findings: &report.findings };
    serde_json::to_writer_pretty(&mut *out, &doc).map_err(std::io::Error::from)?;
    out.write_all(b"\n")
}

/// [`write_json`] into a string.
pub fn render_json(report: &Report) -> String {
    let mut buf = Vec::new();
    write_json(report, &mut buf).expect("writing to memory cannot fail");
    String::from_utf8(buf).expect("serde_json writes UTF-8")
}

/// A Markdown table for a PR comment or `$GITHUB_STEP_SUMMARY`; with
/// [`Report::list_examined`], a table of the examined subjects first.
pub fn render_markdown(report: &Report) -> String {
    let mut out = format!("**{}**\n", summary_line(report));
    if report.list_examined && !report.examined.is_empty() {
        out.push_str("\n| Subject | File | Status | Compared with | Fix |\n|---|---|---|---|---|\n");
        for e in &report.examined {
            let status = if e.ok { e.status.clone() } else { format!("**{}**", e.status) };
            let against = e.against.as_deref().map(escape::code).unwrap_or_default();
            let fix = e.fix.as_deref().map(escape::code).unwrap_or_default();
            out.push_str(&format!("| {} | {} | {status} | {against} | {fix} |\n", e.name, escape::code(&e.location.display_name())));
        }
    }
    if report.findings.is_empty() {
        return out;
    }
    out.push_str("\n| Level | Rule | Object | Finding | Fix |\n|---|---|---|---|---|\n");
    for f in &report.findings {
        let fix = f.fix.as_deref().map(escape::code).unwrap_or_default();
        out.push_str(&format!(
            "| {} | `{}` | {} | {} | {} |\n",
            f.level.as_str(),
            f.rule,
            escape::code(&f.location.display_name()),
            escape::text(&f.message),
            fix
        ));
    }
    out
}

/// GitHub Actions workflow commands: one `::error`/`::warning`/`::notice` annotation per
/// finding, at its source position or file, or on the object's line of the committed snapshot
/// when the report has one.
pub fn render_github(report: &Report) -> String {
    let mut out = String::new();
    for f in &report.findings {
        let command = match f.level {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Info => "notice",
        };
        let mut props = vec![format!("title={}", property(&f.rule))];
        match &f.location {
            Location::Source { file, line, column } => props.insert(0, format!("file={},line={line},col={column}", property(file))),
            Location::File { file } => props.insert(0, format!("file={}", property(file))),
            Location::Object(_) => {
                if let (Some(file), Some(line)) = (&report.artifact, report.line_of(f)) {
                    props.insert(0, format!("file={},line={line}", property(file)));
                }
            }
        }
        out.push_str(&format!("::{command} {}::{}\n", props.join(","), data(&github_message(f))));
    }
    out.push_str(&summary_line(report));
    out.push('\n');
    out
}

fn github_message(f: &Finding) -> String {
    let mut m = format!("{}: {}", f.location.display_name(), f.message);
    if let Some(fix) = &f.fix {
        m.push_str(&format!("\nfix: {fix}"));
    }
    m
}

/// Escapes a workflow-command message (GitHub's `escapeData`).
fn data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escapes a workflow-command property value (GitHub's `escapeProperty`).
fn property(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::findings::{ObjectKind, ObjectRef};

    fn report() -> Report {
        let f = Finding::object(
            "type-money",
            Level::Warning,
            ObjectRef::member(ObjectKind::Column, "public", "t|x", "price"),
            "100% `money`\nbad".into(),
            Some("ALTER TABLE a, b".into()),
        );
        Report { findings: vec![f], ..Report::default() }
    }

    #[test]
    fn github_escapes_data_and_properties() {
        let mut r = report();
        r.artifact = Some("a,b:c.json".into());
        r.lines = Some(crate::findings::SnapshotLines::default());
        let out = render_github(&r);
        assert_eq!(
            out.lines().next().unwrap(),
            "::warning file=a%2Cb%3Ac.json,line=1,title=type-money::public.t|x.price: 100%25 `money`%0Abad%0Afix: ALTER TABLE a, b"
        );
    }

    #[test]
    fn markdown_cells_cannot_break_the_table() {
        let out = render_markdown(&report());
        let row = out.lines().last().unwrap();
        assert_eq!(row.matches(" | ").count(), 4, "{row}");
        assert!(row.contains("100% \\`money\\`<br>bad"), "{row}");
    }

    #[test]
    fn text_and_summary() {
        assert_eq!(render_text(&report()), "warning[type-money] public.t|x.price: 100% `money`\nbad\n  fix: ALTER TABLE a, b\n1 finding: 0 errors, 1 warning, 0 info\n");
        assert_eq!(render_text(&Report::default()), "no findings\n");
    }
}
