//! Structural checks of rendered Markdown, shared by the docs tests.

use std::collections::BTreeSet;

/// Counts the cells of a GFM table row: unescaped pipes, minus the outer two.
fn cells(row: &str) -> usize {
    let mut n = 0;
    let mut escaped = false;
    for c in row.chars() {
        match c {
            '\\' if !escaped => escaped = true,
            '|' if !escaped => n += 1,
            _ => escaped = false,
        }
        if c != '\\' {
            escaped = false;
        }
    }
    n - 1
}

/// Checks tables, anchors and fences of a rendered document; returns the number of tables.
pub fn assert_well_formed(md: &str) -> usize {
    let mut tables = 0;
    let mut in_fence: Option<String> = None;
    let mut header_cells: Option<usize> = None;
    for (i, line) in md.lines().enumerate() {
        let trimmed = line.trim_start();
        if let Some(fence) = &in_fence {
            if trimmed == fence {
                in_fence = None;
            }
            continue;
        }
        if trimmed.starts_with("```") {
            let fence: String = trimmed.chars().take_while(|c| *c == '`').collect();
            in_fence = Some(fence);
            continue;
        }
        if line.starts_with('|') {
            assert!(line.ends_with('|'), "line {}: table row must end with a pipe: {line}", i + 1);
            match header_cells {
                None => {
                    header_cells = Some(cells(line));
                    tables += 1;
                }
                Some(n) => assert_eq!(cells(line), n, "line {}: cell count differs from the header: {line}", i + 1),
            }
        } else {
            header_cells = None;
        }
    }
    assert!(in_fence.is_none(), "unterminated code fence");

    let ids: BTreeSet<&str> = md.match_indices("<a id=\"").map(|(i, _)| {
        let rest = &md[i + 7..];
        &rest[..rest.find('"').unwrap()]
    }).collect();
    let mut links = 0;
    for (i, _) in md.match_indices("](#") {
        let rest = &md[i + 3..];
        let target = &rest[..rest.find(')').unwrap()];
        assert!(ids.contains(target), "link to missing anchor #{target}");
        links += 1;
    }
    assert!(links > 0, "expected cross-reference links");
    tables
}
