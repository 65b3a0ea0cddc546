//! Text, JSON, Markdown and GitHub workflow-command renderings of a [`Report`].

use super::{Finding, Level, Report};
use crate::docs::escape;

/// `error[rule] object: message` per finding, the fix indented below it, and a summary line.
pub fn render_text(report: &Report) -> String {
    let mut out = String::new();
    for f in &report.findings {
        out.push_str(&format!("{}[{}] {}: {}\n", f.level.as_str(), f.rule, f.location.display_name(), f.message));
        if let Some(fix) = &f.fix {
            out.push_str(&format!("  fix: {fix}\n"));
        }
    }
    out.push_str(&summary_line(report));
    out.push('\n');
    out
}

/// `3 findings: 1 error, 1 warning, 1 info (2 baselined)`, or `no findings`.
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
    s
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// `{"summary": {...}, "findings": [...]}`, pretty-printed, newline-terminated.
pub fn render_json(report: &Report) -> String {
    let value = serde_json::json!({ "summary": report.counts(), "findings": report.findings });
    let mut s = serde_json::to_string_pretty(&value).expect("findings serialize");
    s.push('\n');
    s
}

/// A Markdown table for a PR comment or `$GITHUB_STEP_SUMMARY`.
pub fn render_markdown(report: &Report) -> String {
    let mut out = format!("**{}**\n", summary_line(report));
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
/// finding, on the object's line of the committed snapshot when the report has one.
pub fn render_github(report: &Report) -> String {
    let mut out = String::new();
    for f in &report.findings {
        let command = match f.level {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Info => "notice",
        };
        let mut props = vec![format!("title={}", property(&f.rule))];
        if let (Some(file), Some(line)) = (&report.artifact, report.line_of(f)) {
            props.insert(0, format!("file={},line={line}", property(file)));
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
