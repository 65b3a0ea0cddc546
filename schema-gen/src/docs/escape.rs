//! Escaping for Markdown, HTML anchors, SQL identifiers and Mermaid tokens.
//!
//! Names, comments and defaults come straight from the catalog, so they may contain anything:
//! pipes that would split a table cell, backticks that would close a code span, `<` that GitHub
//! would read as HTML, newlines that would end a table row. Every piece of catalog text goes
//! through one of these helpers before it reaches the document.

/// Escapes free text (comments) for use inline or in a table cell: Markdown punctuation is
/// backslash-escaped, HTML-significant characters become entities and newlines become `<br>`.
pub fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '#' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push_str("<br>");
                }
            }
            '\n' => out.push_str("<br>"),
            _ => out.push(c),
        }
    }
    out
}

/// Renders `s` as an inline code span that is safe inside a GFM table cell.
///
/// The fence is one backtick longer than the longest backtick run inside, padded with spaces
/// when the content starts or ends with a backtick (CommonMark's rule). Pipes are escaped
/// because GFM splits table rows on them even inside code spans; newlines become spaces because
/// a code span cannot hold a line break in a table row.
pub fn code(s: &str) -> String {
    code_span(&s.replace('|', "\\|"))
}

/// Like [`code`] for use outside tables (lists, paragraphs), where a pipe needs no escape.
pub fn code_span(s: &str) -> String {
    let flat: String = s.chars().map(|c| if c == '\n' || c == '\r' { ' ' } else { c }).collect();
    if flat.is_empty() {
        return "` `".to_owned();
    }
    let longest = longest_run(&flat, '`');
    let fence = "`".repeat(longest + 1);
    let pad = if flat.starts_with('`') || flat.ends_with('`') || (flat.starts_with(' ') && flat.ends_with(' ')) { " " } else { "" };
    format!("{fence}{pad}{flat}{pad}{fence}")
}

/// A fenced code block (```` ```lang ````), with a fence longer than any backtick run inside.
pub fn fenced(lang: &str, body: &str) -> String {
    let fence = "`".repeat((longest_run(body, '`') + 1).max(3));
    let body = body.trim_end_matches(['\n', '\r']);
    format!("{fence}{lang}\n{body}\n{fence}\n")
}

fn longest_run(s: &str, ch: char) -> usize {
    let (mut best, mut cur) = (0, 0);
    for c in s.chars() {
        if c == ch {
            cur += 1;
            best = best.max(cur);
        } else {
            cur = 0;
        }
    }
    best
}

/// A deterministic anchor slug: ASCII letters and digits lower-cased, `-` and `_` kept, anything
/// else (spaces, dots, punctuation) becomes `-`, and non-ASCII characters are spelled as
/// `uXXXX` so two different names can only collide through case or punctuation (which
/// [`super::anchors::Anchors`] resolves with a numeric suffix).
pub fn slug(parts: &[&str]) -> String {
    let mut out = String::new();
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            out.push('-');
        }
        for c in part.chars() {
            match c {
                'a'..='z' | '0'..='9' | '-' | '_' => out.push(c),
                'A'..='Z' => out.push(c.to_ascii_lowercase()),
                c if c.is_ascii() => out.push('-'),
                c => out.push_str(&format!("u{:04x}", c as u32)),
            }
        }
    }
    out
}


/// A token Mermaid accepts as an entity or attribute name: ASCII letters, digits and `_`;
/// anything else becomes `_`, and a leading digit gets a `_` prefix.
pub fn mermaid_token(s: &str) -> String {
    let mut out: String = s.chars().map(|c| if c.is_ascii_alphanumeric() || c == '_' { c } else { '_' }).collect();
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, '_');
    }
    out
}

/// A Mermaid attribute type: like [`mermaid_token`] but keeping `[]` and `()` which Mermaid
/// allows (and which carry meaning: `integer[]`, `varchar(120)`); commas and spaces become `_`.
pub fn mermaid_type(s: &str) -> String {
    let mut out: String = s
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '_' | '[' | ']' | '(' | ')') { c } else { '_' })
        .collect();
    if out.is_empty() || !out.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
        out.insert(0, '_');
    }
    out
}

/// Text inside a Mermaid double-quoted string: Mermaid has no escape for `"`, so it becomes `'`;
/// newlines become spaces.
pub fn mermaid_label(s: &str) -> String {
    s.chars().map(|c| match c {
        '"' => '\'',
        '\n' | '\r' => ' ',
        c => c,
    }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_spans_survive_pipes_and_backticks() {
        assert_eq!(code("a|b"), "`a\\|b`");
        assert_eq!(code("x`y"), "``x`y``");
        assert_eq!(code("`x"), "`` `x ``");
        assert_eq!(code("a\nb"), "`a b`");
        assert_eq!(code(""), "` `");
    }

    #[test]
    fn text_escapes_markdown_and_html() {
        assert_eq!(text("a|b <i> *c*\nd"), "a\\|b &lt;i&gt; \\*c\\*<br>d");
        assert_eq!(text("x\r\ny"), "x<br>y");
    }

    #[test]
    fn slugs_are_ascii_and_deterministic() {
        assert_eq!(slug(&["table", "public", "Order Items"]), "table-public-order-items");
        assert_eq!(slug(&["t", "café"]), "t-cafu00e9");
    }

    #[test]
    fn mermaid_tokens_are_valid() {
        assert_eq!(mermaid_token("order items"), "order_items");
        assert_eq!(mermaid_token("1st"), "_1st");
        assert_eq!(mermaid_type("character varying(120)"), "character_varying(120)");
        assert_eq!(mermaid_type("numeric(12,2)"), "numeric(12_2)");
    }

    #[test]
    fn fences_outgrow_their_content() {
        assert_eq!(fenced("sql", "select 1\n"), "```sql\nselect 1\n```\n");
        assert_eq!(fenced("", "a ```` b"), "`````\na ```` b\n`````\n");
    }
}
