//! Rust string literals decoded with the source position of every output byte: escapes
//! (`\n`, `\"`, `\u{..}`, `\x..`), `\` line continuations and raw strings (`r#"..."#`).

/// A decoded literal: text and per-byte positions.
#[derive(Debug, Clone)]
pub(crate) struct Piece {
    pub(crate) text: String,
    pub(crate) pos: Vec<(u32, u32)>,
}

/// Decodes a Rust string literal token (`"..."` or `r#"..."#`) that starts at `line`/`col`
/// (1-based line, 0-based char column), recording where each output byte came from.
pub(crate) fn decode_literal(token: &str, line: usize, col: usize) -> Option<Piece> {
    let chars: Vec<char> = token.chars().collect();
    let (mut l, mut c) = (line as u32, col as u32);
    let mut i = 0;
    let mut out = Piece { text: String::new(), pos: Vec::new() };
    let advance = |ch: char, l: &mut u32, c: &mut u32| {
        if ch == '\n' {
            *l += 1;
            *c = 0;
        } else {
            *c += 1;
        }
    };
    let push = |out: &mut Piece, ch: char, l: u32, c: u32| {
        let mut buf = [0u8; 4];
        let s = ch.encode_utf8(&mut buf);
        out.text.push_str(s);
        out.pos.extend(std::iter::repeat_n((l, c + 1), s.len()));
    };
    if chars.first() == Some(&'r') {
        let hashes = chars[1..].iter().take_while(|&&ch| ch == '#').count();
        if chars.get(1 + hashes) != Some(&'"') {
            return None;
        }
        for &ch in &chars[..2 + hashes] {
            advance(ch, &mut l, &mut c);
        }
        let end = chars.len().checked_sub(1 + hashes)?;
        for &ch in &chars[2 + hashes..end] {
            push(&mut out, ch, l, c);
            advance(ch, &mut l, &mut c);
        }
        return Some(out);
    }
    if chars.first() != Some(&'"') {
        return None;
    }
    advance('"', &mut l, &mut c);
    i += 1;
    let end = token.rfind('"').map(|b| token[..b].chars().count())?;
    while i < end {
        let ch = chars[i];
        if ch != '\\' {
            push(&mut out, ch, l, c);
            advance(ch, &mut l, &mut c);
            i += 1;
            continue;
        }
        let (sl, sc) = (l, c);
        let next = *chars.get(i + 1)?;
        let (value, used) = match next {
            'n' => (Some('\n'), 2),
            't' => (Some('\t'), 2),
            'r' => (Some('\r'), 2),
            '0' => (Some('\0'), 2),
            '\\' | '"' | '\'' => (Some(next), 2),
            'x' => {
                let hex: String = chars.get(i + 2..i + 4)?.iter().collect();
                (char::from_u32(u32::from_str_radix(&hex, 16).ok()?), 4)
            }
            'u' => {
                let close = chars[i..].iter().position(|&x| x == '}')?;
                let hex: String = chars[i + 3..i + close].iter().filter(|&&x| x != '_').collect();
                (char::from_u32(u32::from_str_radix(&hex, 16).ok()?), close + 1)
            }
            '\n' | '\r' => {
                // Line continuation: the newline and the next line's leading whitespace vanish.
                let mut j = i + 1;
                while j < end && chars[j].is_whitespace() {
                    j += 1;
                }
                (None, j - i)
            }
            _ => return None,
        };
        for &ch in &chars[i..i + used] {
            advance(ch, &mut l, &mut c);
        }
        if let Some(v) = value {
            push(&mut out, v, sl, sc);
        }
        i += used;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_keep_their_source_columns() {
        let p = decode_literal(r#""a\"b\n\u{41}c""#, 3, 4).unwrap();
        assert_eq!(p.text, "a\"b\nAc");
        // `"` at col 5 (1-based), a at 6, \" at 7, b at 9, \n at 10, \u{41} at 12, c at 18.
        let cols: Vec<u32> = p.pos.iter().map(|&(_, c)| c).collect();
        assert_eq!(cols, vec![6, 7, 9, 10, 12, 18]);
    }

    #[test]
    fn raw_strings_and_continuations() {
        let p = decode_literal("r#\"x\ny\"#", 1, 0).unwrap();
        assert_eq!(p.text, "x\ny");
        assert_eq!(p.pos[2], (2, 1));
        let p = decode_literal("\"a \\\n    b\"", 1, 0).unwrap();
        assert_eq!(p.text, "a b");
        assert_eq!(p.pos[2], (2, 5));
    }
}
