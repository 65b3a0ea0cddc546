//! Timing and resource helpers shared by every section.

use std::time::{Duration, Instant};

/// Runs `f` once to warm up, then `runs` times; returns the sorted durations.
pub fn measure(runs: usize, mut f: impl FnMut()) -> Vec<Duration> {
    f();
    let mut times: Vec<Duration> = (0..runs.max(1))
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    times.sort();
    times
}

/// The median of sorted, non-empty samples.
pub fn median(sorted: &[Duration]) -> Duration {
    sorted[sorted.len() / 2]
}

/// Seconds with millisecond precision, as every row prints them.
pub fn secs(d: Duration) -> String {
    format!("{:.3} s", d.as_secs_f64())
}

/// "fastest / slowest" of sorted samples.
pub fn spread(sorted: &[Duration]) -> String {
    format!("{} / {}", secs(sorted[0]), secs(sorted[sorted.len() - 1]))
}

/// User + system CPU time of a process in clock ticks, from its `/proc/<pid>/stat`.
pub fn cpu_ticks(stat_path: &str) -> u64 {
    let stat = std::fs::read_to_string(stat_path).unwrap_or_else(|e| panic!("cannot read `{stat_path}`: {e}"));
    // Fields after the parenthesised command name (which may contain spaces): utime and stime
    // are fields 14 and 15 of the line, i.e. 12 and 13 after `) `.
    let rest = &stat[stat.rfind(')').expect("stat has a command name") + 2..];
    let fields: Vec<u64> = rest.split_whitespace().skip(11).take(2).map(|f| f.parse().expect("numeric CPU ticks")).collect();
    fields.iter().sum()
}

/// Clock ticks to a duration. Linux reports `/proc` CPU times in USER_HZ, which is 100.
pub fn ticks_to_duration(ticks: u64) -> Duration {
    Duration::from_millis(ticks * 10)
}

/// Peak resident set size of this process, in kB.
pub fn vm_hwm_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
