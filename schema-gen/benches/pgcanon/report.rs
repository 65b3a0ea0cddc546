//! The result table: every row printed as it is measured, then all rows as one Markdown table.
//!
//! Rows with a target are the headline figures; with `PGCANON_BENCH_SUMMARY=FILE` they are also
//! written to FILE as tab-separated `measurement, value, peer, ratio, target, verdict` lines,
//! which `bench/run.sh` merges with the measurements it makes itself (cargo-driven ones). A
//! peer is the established tool doing the same job, measured in the same run (e.g.
//! `pg_dump --schema-only` beside a snapshot), so a figure can be judged without this machine.

use std::io::Write;
use std::time::Duration;

use crate::measure::secs;

/// One line of the result table.
pub struct Row {
    section: &'static str,
    measurement: String,
    value: String,
    target: &'static str,
    /// The peer and its figure (e.g. `pg_dump --schema-only 1.020 s`); empty without a peer.
    peer: String,
    /// value / peer, e.g. `0.42`; empty without a peer.
    ratio: String,
    /// A headline figure (a target of the README's benchmark table), written to the summary.
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
        self.push(Row { section, measurement: measurement.into(), value: value.into(), target: "", peer: String::new(), ratio: String::new(), headline: false, met: None });
    }

    /// Adds a headline row: a value, its target, and whether it meets it (`None`: no target).
    pub fn target(&mut self, section: &'static str, measurement: impl Into<String>, value: impl Into<String>, target: &'static str, met: Option<bool>) {
        self.push(Row { section, measurement: measurement.into(), value: value.into(), target, peer: String::new(), ratio: String::new(), headline: true, met });
    }

    /// Adds a headline row timed against a peer (its name and time) measured in the same run;
    /// the target is a maximum ratio value / peer, e.g. `("≤ 0.5 × peer", 0.5)`.
    pub fn versus(&mut self, section: &'static str, measurement: impl Into<String>, value: Duration, (peer, peer_value): (&str, Duration), (target, max_ratio): (&'static str, f64)) {
        let ratio = value.as_secs_f64() / peer_value.as_secs_f64().max(1e-9);
        let row = Row {
            section,
            measurement: measurement.into(),
            value: secs(value),
            target,
            peer: format!("{peer} {}", secs(peer_value)),
            ratio: format!("{ratio:.2}"),
            headline: true,
            met: Some(ratio <= max_ratio),
        };
        self.push(row);
    }

    /// Adds a headline row for a measurement that could not be made, with the reason.
    pub fn failed(&mut self, section: &'static str, measurement: impl Into<String>, reason: impl Into<String>, target: &'static str) {
        self.push(Row { section, measurement: measurement.into(), value: format!("failed: {}", reason.into()), target, peer: String::new(), ratio: String::new(), headline: true, met: Some(false) });
    }

    /// Adds a headline row for an optional peer (its own figure is the value), or "not installed".
    pub fn peer_only(&mut self, section: &'static str, measurement: impl Into<String>, value: impl Into<String>) {
        self.push(Row { section, measurement: measurement.into(), value: value.into(), target: "", peer: String::new(), ratio: String::new(), headline: true, met: None });
    }

    fn push(&mut self, mut row: Row) {
        // The README's targets are set for the 2,000-table schema; at another scale point
        // (`PGCANON_BENCH_TABLES`, e.g. 10,000) the figures are reported without a verdict,
        // except the ones that hold at any size (round trips stay constant).
        if row.met.is_some() && row.target != "constant" && crate::large().0 != 2000 {
            row.target = "none set (targets are for 2,000 tables)";
            row.met = None;
        }
        let peer = if row.peer.is_empty() { String::new() } else { format!("   vs {} (ratio {})", row.peer, row.ratio) };
        println!("  {:<9} {:<56} {}{peer}", row.section, row.measurement, row.value);
        self.rows.push(row);
    }

    /// Prints every row as a Markdown table.
    pub fn print(&self) {
        let width = |f: fn(&Row) -> &str, min: usize| self.rows.iter().map(|r| f(r).chars().count()).max().unwrap_or(0).max(min);
        let w = width(|r| &r.measurement, 11);
        let v = width(|r| &r.value, 5);
        let p = width(|r| &r.peer, 4);
        let q = width(|r| &r.ratio, 5);
        let t = width(|r| r.target, 6);
        let (section, measurement, value, peer, ratio, target) = ("section", "measurement", "value", "peer", "ratio", "target");
        println!();
        println!("| {section:<9} | {measurement:<w$} | {value:<v$} | {peer:<p$} | {ratio:<q$} | {target:<t$} |      |");
        let dash = |n: usize| "-".repeat(n + 2);
        println!("|{}|{}|{}|{}|{}|{}|------|", dash(9), dash(w), dash(v), dash(p), dash(q), dash(t));
        for r in &self.rows {
            println!("| {:<9} | {:<w$} | {:<v$} | {:<p$} | {:<q$} | {:<t$} | {:<4} |", r.section, r.measurement, r.value, r.peer, r.ratio, r.target, verdict(r.met));
        }
    }

    /// Appends the headline rows to `path` as tab-separated lines (see the module docs).
    pub fn write_summary(&self, path: &str) -> std::io::Result<()> {
        let mut f = std::fs::OpenOptions::new().create(true).append(true).open(path)?;
        for r in self.rows.iter().filter(|r| r.headline) {
            writeln!(f, "{}\t{}\t{}\t{}\t{}\t{}", r.measurement, r.value, r.peer, r.ratio, r.target, verdict(r.met))?;
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
