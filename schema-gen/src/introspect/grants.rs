//! `aclitem[]` → [`Grant`]s: who, besides the owner, may do what.
//!
//! The catalog queries send each object's effective ACL as text (`acldefault(...)` when it was
//! never granted or revoked), so decoding lives here once for schemas, relations, columns,
//! sequences and functions. An item reads `grantee=privileges/grantor`: an empty grantee is
//! `PUBLIC`, a name that needs quoting is double-quoted (with `""` inside), and each privilege is
//! one letter, followed by `*` when held with grant option.

use std::collections::BTreeMap;

use schema_core::snapshot::Grant;

/// The privilege a letter of an ACL item stands for (`src/include/utils/acl.h`).
fn privilege(letter: char) -> Option<&'static str> {
    Some(match letter {
        'a' => "INSERT",
        'r' => "SELECT",
        'w' => "UPDATE",
        'd' => "DELETE",
        'D' => "TRUNCATE",
        'x' => "REFERENCES",
        't' => "TRIGGER",
        'X' => "EXECUTE",
        'U' => "USAGE",
        'C' => "CREATE",
        'T' => "TEMPORARY",
        'c' => "CONNECT",
        's' => "SET",
        'A' => "ALTER SYSTEM",
        'm' => "MAINTAIN",
        _ => return None,
    })
}

/// The grants of `acl` to roles other than `owner`, merged per grantee (one item per grantor in
/// the catalog), sorted. An item that cannot be read is an error naming it.
pub(super) fn decode(acl: &[String], owner: Option<&str>) -> Result<Vec<Grant>, String> {
    let mut by_grantee: BTreeMap<String, (Vec<String>, Vec<String>)> = BTreeMap::new();
    for item in acl {
        let (grantee, privileges) = split_item(item).ok_or_else(|| format!("unreadable privilege item `{item}`"))?;
        if Some(grantee.as_str()) == owner {
            continue;
        }
        let entry = by_grantee.entry(grantee).or_default();
        let mut letters = privileges.chars().peekable();
        while let Some(letter) = letters.next() {
            let name = privilege(letter).ok_or_else(|| format!("unknown privilege `{letter}` in `{item}`"))?;
            entry.0.push(name.to_owned());
            if letters.peek() == Some(&'*') {
                letters.next();
                entry.1.push(name.to_owned());
            }
        }
    }
    Ok(by_grantee
        .into_iter()
        .filter(|(_, (privileges, _))| !privileges.is_empty())
        .map(|(grantee, (mut privileges, mut grantable))| {
            for list in [&mut privileges, &mut grantable] {
                list.sort();
                list.dedup();
            }
            Grant { grantee, privileges, grantable }
        })
        .collect())
}

/// `grantee=privileges/grantor` → (grantee, privileges), the grantee unquoted (`PUBLIC` if empty).
fn split_item(item: &str) -> Option<(String, &str)> {
    let (grantee, rest) = if let Some(quoted) = item.strip_prefix('"') {
        // A quoted name ends at a `"` not followed by another.
        let mut name = String::new();
        let mut chars = quoted.char_indices();
        let end = loop {
            let (i, c) = chars.next()?;
            if c == '"' {
                if quoted[i + 1..].starts_with('"') {
                    name.push('"');
                    chars.next();
                    continue;
                }
                break i + 1;
            }
            name.push(c);
        };
        (name, quoted[end..].strip_prefix('=')?)
    } else {
        let (name, rest) = item.split_once('=')?;
        (name.to_owned(), rest)
    };
    let privileges = rest.rsplit_once('/').map_or(rest, |(p, _)| p);
    Some((if grantee.is_empty() { "PUBLIC".to_owned() } else { grantee }, privileges))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn acl(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn decodes_public_quoted_names_and_grant_options() {
        let got = decode(&acl(&["owner=arwdDxt/owner", "=r/owner", "\"Odd \"\"Role\"\"\"=r*w/owner", "app=X/owner", "app=U/other"]), Some("owner")).unwrap();
        let want = vec![
            Grant { grantee: "Odd \"Role\"".into(), privileges: vec!["SELECT".into(), "UPDATE".into()], grantable: vec!["SELECT".into()] },
            Grant { grantee: "PUBLIC".into(), privileges: vec!["SELECT".into()], grantable: vec![] },
            Grant { grantee: "app".into(), privileges: vec!["EXECUTE".into(), "USAGE".into()], grantable: vec![] },
        ];
        assert_eq!(got, want);
    }

    #[test]
    fn an_unknown_letter_is_an_error() {
        assert!(decode(&acl(&["x=Q/y"]), None).unwrap_err().contains("`Q`"));
        assert!(decode(&acl(&["\"unterminated=r/x"]), None).is_err());
    }
}
