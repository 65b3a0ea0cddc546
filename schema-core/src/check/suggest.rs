//! "did you mean `users`?": the closest candidate by edit distance.

/// Levenshtein distance over chars, case-insensitive (a model written `Users` for `users` should
/// get the hint, not an unrelated name).
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.to_lowercase().chars().collect();
    let b: Vec<char> = b.to_lowercase().chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

/// The candidate closest to `wanted`, when it is close enough to be a plausible typo (at most a
/// third of the longer name, rounded up, like rustc's own suggestions).
pub fn closest<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        let d = distance(wanted, c);
        let limit = wanted.chars().count().max(c.chars().count()).div_ceil(3);
        if d <= limit && best.is_none_or(|(bd, bc)| d < bd || (d == bd && c < bc)) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c)
}

/// `"; did you mean `x`?"` or an empty string.
pub fn did_you_mean<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    closest(wanted, candidates).map(|c| format!("; did you mean `{c}`?")).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        assert_eq!(closest("user", ["users", "orders"]), Some("users"));
        assert_eq!(closest("emial", ["email", "id"]), Some("email"));
        assert_eq!(closest("Users", ["users"]), Some("users"));
        assert_eq!(closest("payments", ["users", "media"]), None);
        assert_eq!(distance("kitten", "sitting"), 3);
    }
}
