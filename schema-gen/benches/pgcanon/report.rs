//! The result table: every row printed as it is measured, then all rows as one Markdown table.
//!
//! Rows with a target are the headline figures; with `PGCANON_BENCH_SUMMARY=FILE` they are also
//! written to FILE as tab-separated `measurement, value, target, verdict` lines, which
//! `bench/run.sh` merges with the measurements it makes itself (cargo-driven ones).

use std::io::Write;

/// One line of the result table.
pub struct Row {
    section: &'static str,
    measurement: String,
    value: String,
    target: &'static str,
    /// A headline figure (one of DESIGN.md's targets), written to the summary.
    headline: bool,
    /// Whether the value meets the target; `None` when there is no target to meet.
    met: Option<bool>,
}

/// The result table.
#[derive(Default)]
pub struct Report {
    rows: Vec<Row>,
}

impl Report {
    /// Adds an informational row (no target).
    pub fn info(&mut self, section: &'static str, measurement: impl Into<String>, value: impl Into<String>) {
        self.push(Row { section, measurement: measurement.into(), value: value.into(), target: "", headline: false, met: None });
    }

    /// Adds a headline row: a value, its target, and whether it meets it (`None`: no target).
    pub fn target(&mut self, section: &'static str, measurement: impl Into<String>, value: impl Into<String>, target: &'static str, met: Option<bool>) {
        self.push(Row { section, measurement: measurement.into(), value: value.into(), target, headline: true, met });
    }

    fn push(&mut self, row: Row) {
        println!("  {:<9} {:<56} {}", row.section, row.measurement, row.value);
        self.rows.push(row);
    }

    /// Prints every row as a Markdown table.
    pub fn print(&self) {
        let w = self.rows.iter().map(|r| r.measurement.chars().count()).max().unwrap_or(0).max(11);
        let v = self.rows.iter().map(|r| r.value.chars().count()).max().unwrap_or(0).max(5);
        let t = self.rows.iter().map(|r| r.target.chars().count()).max().unwrap_or(0).max(6);
        let (section, measurement, value, target) = ("section", "measurement", "value", "target");
        println!();
        println!("| {section:<9} | {measurement:<w$} | {value:<v$} | {target:<t$} |      |");
        println!("|{}|{}|{}|{}|------|", "-".repeat(11), "-".repeat(w + 2), "-".repeat(v + 2), "-".repeat(t + 2));
        for r in &self.rows {
            println!("| {:<9} | {:<w$} | {:<v$} | {:<t$} | {:<4} |", r.section, r.measurement, r.value, r.target, verdict(r.met));
        }
    }

    /// Appends the headline rows to `path` as tab-separated lines (see the module docs).
    pub fn write_summary(&self, path: &str) -> std::io::Result<()> {
        let mut f = std::fs::OpenOptions::new().create(true).append(true).open(path)?;
        for r in self.rows.iter().filter(|r| r.headline) {
            writeln!(f, "{}\t{}\t{}\t{}", r.measurement, r.value, r.target, verdict(r.met))?;
        }
        Ok(())
    }
}

fn verdict(met: Option<bool>) -> &'static str {
    match met {
        Some(true) => "met",
        Some(false) => "MISS",
        None => "",
    }
}
