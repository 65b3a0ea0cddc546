//! View definitions in one spelling on every PostgreSQL version.
//!
//! Up to PostgreSQL 15, a view's stored query carried two extra range-table entries (`OLD` and
//! `NEW`), so `pg_get_viewdef` qualified every column of a single-relation view
//! (`SELECT users.id FROM public.users WHERE users.deleted_at IS NULL`). From 16 on they are gone
//! and the same view prints unqualified (`SELECT id FROM public.users WHERE deleted_at IS NULL`).
//! The schema is the same, so the snapshot must be too: definitions read from servers before 16
//! are rewritten to the 16+ spelling here.
//!
//! The rewrite mirrors the deparser's rule (`varprefix` is off when the query has exactly one
//! range-table entry): only when the top-level `FROM` lists exactly one item, and only the
//! column references of the top-level query (not of sub-selects, which are qualified on every
//! version) that use that item's name. Literals, quoted identifiers, schema-qualified function
//! and type names, and whole-row references (`users.*`) are left alone.

/// A lexical token of deparsed SQL; `text` is its exact source text.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    /// An unquoted word (identifier or keyword).
    Word,
    /// A `"quoted"` identifier.
    Quoted,
    /// A string literal, a number, or whitespace: nothing to look into.
    Opaque,
    /// `::`.
    Cast,
    /// Any other single character.
    Punct(char),
}

#[derive(Debug, Clone, Copy)]
struct Token<'a> {
    kind: Kind,
    text: &'a str,
    start: usize,
}

/// Rewrites a definition printed by a server before PostgreSQL 16 into the 16+ spelling.
pub(super) fn unqualify_single_relation(definition: &str) -> String {
    let tokens = tokenize(definition);
    // The significant tokens (no whitespace), each with whether it lies in a sub-select.
    let sig: Vec<Token<'_>> = tokens.iter().copied().filter(|t| !(t.kind == Kind::Opaque && t.text.trim().is_empty())).collect();
    let top = top_level(&sig);
    let Some((from_start, from_end, refname)) = single_from_item(&sig, &top) else { return definition.to_owned() };

    let mut strip = Vec::new(); // byte ranges to remove: `refname.`
    for i in 0..sig.len() {
        let t = sig[i];
        if !top[i].0 || (from_start..from_end).contains(&i) || !matches!(t.kind, Kind::Word | Kind::Quoted) || t.text != refname {
            continue;
        }
        let dot = sig.get(i + 1).is_some_and(|n| n.kind == Kind::Punct('.'));
        let column = sig.get(i + 2).is_some_and(|n| matches!(n.kind, Kind::Word | Kind::Quoted));
        let call = sig.get(i + 3).is_some_and(|n| n.kind == Kind::Punct('('));
        let after_qualifier = i > 0 && (matches!(sig[i - 1].kind, Kind::Cast | Kind::Punct('.')) || sig[i - 1].text == "COLLATE");
        if dot && column && !call && !after_qualifier {
            strip.push(t.start..sig[i + 1].start + 1);
        }
    }
    let mut out = String::with_capacity(definition.len());
    let mut at = 0;
    for range in strip {
        out.push_str(&definition[at..range.start]);
        at = range.end;
    }
    out.push_str(&definition[at..]);
    out
}

/// For each significant token: whether it belongs to the top-level query (not inside a
/// parenthesized sub-select), and its parenthesis depth.
fn top_level(sig: &[Token<'_>]) -> Vec<(bool, usize)> {
    let mut stack: Vec<bool> = Vec::new(); // true = a sub-select's parenthesis
    let mut out = Vec::with_capacity(sig.len());
    for (i, t) in sig.iter().enumerate() {
        match t.kind {
            Kind::Punct('(') => {
                let opens_select = sig.get(i + 1).is_some_and(|n| n.kind == Kind::Word && matches!(n.text, "SELECT" | "VALUES" | "WITH" | "TABLE"));
                out.push((!stack.contains(&true), stack.len()));
                stack.push(opens_select);
            }
            Kind::Punct(')') => {
                stack.pop();
                out.push((!stack.contains(&true), stack.len()));
            }
            _ => out.push((!stack.contains(&true), stack.len())),
        }
    }
    out
}

/// The top-level `FROM` clause's token range and its one item's name, when it lists exactly one
/// item (no comma, no join).
fn single_from_item<'a>(sig: &[Token<'a>], top: &[(bool, usize)]) -> Option<(usize, usize, &'a str)> {
    const CLAUSE_ENDS: [&str; 12] = ["WHERE", "GROUP", "HAVING", "WINDOW", "ORDER", "LIMIT", "OFFSET", "FETCH", "FOR", "UNION", "INTERSECT", "EXCEPT"];
    let at_depth0 = |i: usize| top[i] == (true, 0);
    let from = (0..sig.len()).find(|&i| at_depth0(i) && sig[i].kind == Kind::Word && sig[i].text == "FROM")?;
    // A second top-level FROM means a set operation or something else this rewrite does not model.
    let end = (from + 1..sig.len())
        .find(|&i| at_depth0(i) && (sig[i].kind == Kind::Punct(';') || (sig[i].kind == Kind::Word && CLAUSE_ENDS.contains(&sig[i].text))))
        .unwrap_or(sig.len());
    if (end..sig.len()).any(|i| at_depth0(i) && sig[i].kind == Kind::Word && matches!(sig[i].text, "FROM" | "UNION" | "INTERSECT" | "EXCEPT")) {
        return None;
    }
    let item = &sig[from + 1..end];
    let depth0 = |k: usize| at_depth0(from + 1 + k);
    if item.is_empty() || item.iter().enumerate().any(|(k, t)| depth0(k) && (t.kind == Kind::Punct(',') || (t.kind == Kind::Word && matches!(t.text, "JOIN" | "LATERAL")))) {
        return None;
    }
    // `FROM (a JOIN b ...)`: a parenthesis that does not open a sub-select.
    if item[0].kind == Kind::Punct('(') && !item.get(1).is_some_and(|n| matches!(n.text, "SELECT" | "VALUES" | "WITH" | "TABLE")) {
        return None;
    }
    // The item's name: its alias, else the relation's own name: the last depth-0 name.
    let name = item.iter().enumerate().rfind(|(k, t)| depth0(*k) && matches!(t.kind, Kind::Word | Kind::Quoted) && !matches!(t.text, "ONLY" | "AS"))?.1.text;
    Some((from, end, name))
}

fn tokenize(s: &str) -> Vec<Token<'_>> {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        let c = bytes[i];
        let kind = if c == b'\'' || ((c == b'E' || c == b'e') && bytes.get(i + 1) == Some(&b'\'') && !prev_is_word(bytes, i)) {
            // A string literal; `E'...'` honours backslash escapes, both double `''`.
            let escapes = c != b'\'';
            i += if escapes { 2 } else { 1 };
            while i < bytes.len() {
                match bytes[i] {
                    b'\\' if escapes => i += 2,
                    b'\'' if bytes.get(i + 1) == Some(&b'\'') => i += 2,
                    b'\'' => {
                        i += 1;
                        break;
                    }
                    _ => i += 1,
                }
            }
            Kind::Opaque
        } else if c == b'"' {
            i += 1;
            while i < bytes.len() {
                if bytes[i] == b'"' {
                    if bytes.get(i + 1) == Some(&b'"') {
                        i += 2;
                        continue;
                    }
                    i += 1;
                    break;
                }
                i += 1;
            }
            Kind::Quoted
        } else if c.is_ascii_alphabetic() || c == b'_' || c >= 0x80 {
            while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_' || bytes[i] == b'$' || bytes[i] >= 0x80) {
                i += 1;
            }
            Kind::Word
        } else if c.is_ascii_digit() {
            while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'.') {
                i += 1;
            }
            Kind::Opaque
        } else if c.is_ascii_whitespace() {
            while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            Kind::Opaque
        } else if c == b':' && bytes.get(i + 1) == Some(&b':') {
            i += 2;
            Kind::Cast
        } else {
            // One character (UTF-8 aware: multi-byte characters are words above).
            i += 1;
            Kind::Punct(c as char)
        };
        out.push(Token { kind, text: &s[start..i.min(s.len())], start });
    }
    out
}

fn prev_is_word(bytes: &[u8], i: usize) -> bool {
    i > 0 && (bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_' || bytes[i - 1] >= 0x80)
}

#[cfg(test)]
mod tests {
    use super::unqualify_single_relation as fix;

    #[test]
    fn drops_the_qualifier_of_a_single_relation() {
        assert_eq!(
            fix(" SELECT users.id,\n    users.\"Name\"\n   FROM public.users\n  WHERE users.deleted_at IS NULL;"),
            " SELECT id,\n    \"Name\"\n   FROM public.users\n  WHERE deleted_at IS NULL;"
        );
        assert_eq!(fix(" SELECT u.id\n   FROM public.users u\n  WHERE (u.id + 1) > 2;"), " SELECT id\n   FROM public.users u\n  WHERE (id + 1) > 2;");
        assert_eq!(fix(" SELECT \"U\".id\n   FROM public.\"U\";"), " SELECT id\n   FROM public.\"U\";");
    }

    #[test]
    fn keeps_sub_selects_literals_types_functions_and_whole_rows() {
        let def = " SELECT users.id,\n    'users.id'::text AS s,\n    users.id::users.t AS c,\n    users.f(users.id) AS g,\n    \
                   row_to_json(users.*) AS j,\n    ( SELECT max(v.id) AS max\n           FROM public.users v\n          WHERE v.id < users.id) AS prev\n   FROM public.users;";
        let want = " SELECT id,\n    'users.id'::text AS s,\n    id::users.t AS c,\n    users.f(id) AS g,\n    \
                    row_to_json(users.*) AS j,\n    ( SELECT max(v.id) AS max\n           FROM public.users v\n          WHERE v.id < users.id) AS prev\n   FROM public.users;";
        assert_eq!(fix(def), want);
    }

    #[test]
    fn leaves_joins_lists_and_set_operations_qualified() {
        for def in [
            " SELECT a.id\n   FROM public.a\n     JOIN public.b ON a.id = b.id;",
            " SELECT a.id\n   FROM public.a,\n    public.b;",
            " SELECT a.id\n   FROM public.a\nUNION\n SELECT b.id\n   FROM public.b;",
            " SELECT 1 AS one;",
        ] {
            assert_eq!(fix(def), def);
        }
    }

    #[test]
    fn handles_ctes_subqueries_and_functions_in_from() {
        assert_eq!(
            fix(" WITH x AS (\n         SELECT users.id\n           FROM public.users\n        )\n SELECT x.id\n   FROM x;"),
            " WITH x AS (\n         SELECT users.id\n           FROM public.users\n        )\n SELECT id\n   FROM x;"
        );
        assert_eq!(fix(" SELECT s.id\n   FROM ( SELECT users.id\n           FROM public.users) s;"), " SELECT id\n   FROM ( SELECT users.id\n           FROM public.users) s;");
        assert_eq!(fix(" SELECT g.g\n   FROM generate_series(1, 2) g(g);"), " SELECT g\n   FROM generate_series(1, 2) g(g);");
    }
}
