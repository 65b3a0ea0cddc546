//! Database URLs: where they come from, how they are shown, how they connect.

/// Environment variables consulted for a database URL, in order of precedence.
///
/// `PGCANON_DATABASE_URL` lets a project point pgcanon at a schema-only database without
/// disturbing an application's own `DATABASE_URL`.
pub const DATABASE_URL_VARS: [&str; 2] = ["PGCANON_DATABASE_URL", "DATABASE_URL"];

/// The password for a URL that has none, as libpq reads it. Never watched by build scripts, so
/// it never reaches cargo's fingerprint files.
pub const PASSWORD_ENV: &str = "PGPASSWORD";

/// The first non-empty URL among `vars`, with the variable it came from.
pub fn database_url_from_env(vars: &[&str]) -> Option<(String, String)> {
    vars.iter().find_map(|v| match std::env::var(v) {
        Ok(url) if !url.trim().is_empty() => Some(((*v).to_owned(), url)),
        _ => None,
    })
}

/// Replaces any password in a connection string with `***`, so it can be printed.
///
/// Handles URLs (`postgres://user:secret@host/db`, `?password=secret`) and key/value strings
/// (`host=h password=secret`).
pub fn redact_url(url: &str) -> String {
    let mut out = url.to_owned();
    if let Some(scheme_end) = out.find("://") {
        let rest_start = scheme_end + 3;
        let authority_end = out[rest_start..].find(['/', '?']).map(|i| rest_start + i).unwrap_or(out.len());
        if let Some(at) = out[rest_start..authority_end].rfind('@') {
            let userinfo = &out[rest_start..rest_start + at];
            if let Some(colon) = userinfo.find(':') {
                let start = rest_start + colon + 1;
                out.replace_range(start..rest_start + at, "***");
            }
        }
    }
    redact_key_value(&out)
}

/// Masks `password=...` pairs (query parameters or key/value connection strings).
fn redact_key_value(s: &str) -> String {
    let lower = s.to_ascii_lowercase();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while let Some(pos) = lower[i..].find("password=") {
        let start = i + pos + "password=".len();
        out.push_str(&s[i..start]);
        let bytes = s.as_bytes();
        let mut end = start;
        if bytes.get(start) == Some(&b'\'') {
            end += 1;
            while end < bytes.len() && bytes[end] != b'\'' {
                end += if bytes[end] == b'\\' { 2 } else { 1 };
            }
            end = (end + 1).min(bytes.len());
        } else {
            while end < bytes.len() && !matches!(bytes[end], b'&' | b' ' | b'\t') {
                end += 1;
            }
        }
        out.push_str("***");
        i = end;
    }
    out.push_str(&s[i..]);
    out
}

/// Opens a connection with a connect timeout, turning failures into an error whose message
/// carries the redacted URL and never the password.
#[cfg(feature = "live")]
pub fn connect(url: &str) -> crate::Result<postgres::Client> {
    use std::time::Duration;
    let redacted = redact_url(url);
    let mut config: postgres::Config = url.parse().map_err(|e: postgres::Error| crate::Error::Connect {
        url: redacted.clone(),
        reason: redact_message(&e.to_string()),
    })?;
    // As libpq does: a URL without a password takes it from `PGPASSWORD`. This keeps the
    // password out of the URL, which cargo records in clear text under `target/` when a build
    // script watches the URL's variable (`rerun-if-env-changed`); `PGPASSWORD` is not watched.
    if config.get_password().is_none() {
        if let Ok(password) = std::env::var(PASSWORD_ENV) {
            config.password(password);
        }
    }
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(Duration::from_secs(5));
    }
    if config.get_application_name().is_none() {
        config.application_name("pgcanon");
    }
    config.connect(postgres::NoTls).map_err(|e| crate::Error::Connect {
        url: redacted,
        reason: redact_message(&error_chain(&e)),
    })
}

/// The error and its sources, joined: `postgres` errors often put the useful part in a source.
#[cfg(feature = "live")]
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut msg = e.to_string();
    let mut src = e.source();
    while let Some(s) = src {
        let text = s.to_string();
        if !msg.contains(&text) {
            msg.push_str(": ");
            msg.push_str(&text);
        }
        src = s.source();
    }
    msg
}

/// Belt and braces: redacts any connection string a client message quotes back.
///
/// Structural, never by substring: replacing the password's text wherever it occurs garbles
/// every word that contains it (password `e`: `db ***rror`) and so reveals the password to
/// anyone who reads the message, or rewrites a user name that equals it (`user "***"`). Only
/// the password component of each embedded URL and each `password=` value are masked.
pub fn redact_message(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(start) = ["postgres://", "postgresql://"].iter().filter_map(|s| rest.find(s)).min() {
        out.push_str(&rest[..start]);
        // A URL ends where the message's punctuation around it begins.
        let len = rest[start..].find(|c: char| c.is_whitespace() || "\"'`<>".contains(c)).unwrap_or(rest.len() - start);
        out.push_str(&redact_url(&rest[start..start + len]));
        rest = &rest[start + len..];
    }
    out.push_str(rest);
    redact_key_value(&out)
}

/// Replaces the database name (the URL path) of a `postgres://` URL, keeping its query string:
/// the URL of a scratch database on the same server, with the same credentials.
pub fn with_database(url: &str, db: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let scheme_end = base.find("://").map(|i| i + 3).unwrap_or(0);
    let base = match base[scheme_end..].find('/') {
        Some(i) => &base[..scheme_end + i],
        None => base,
    };
    match query {
        Some(q) => format!("{base}/{db}?{q}"),
        None => format!("{base}/{db}"),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn with_database_replaces_only_the_path() {
        assert_eq!(super::with_database("postgres://u:p@h:5/app?sslmode=disable", "scratch"), "postgres://u:p@h:5/scratch?sslmode=disable");
        assert_eq!(super::with_database("postgres://h", "x"), "postgres://h/x");
    }

    use super::{redact_message, redact_url};

    #[test]
    fn messages_are_redacted_structurally_not_by_substring() {
        // Neither the user name nor words that contain the password's text are touched.
        let m = "db error: FATAL: password authentication failed for user \"postgres\"";
        assert_eq!(redact_message(m), m);
        assert_eq!(
            redact_message("cannot use `postgres://postgres:postgres@h/db` or host=h password=e user=e"),
            "cannot use `postgres://postgres:***@h/db` or host=h password=*** user=e"
        );
        assert_eq!(redact_message("see postgresql://u:p@h/x?password=q"), "see postgresql://u:***@h/x?password=***");
    }

    #[test]
    fn redacts_passwords_in_every_spelling() {
        assert_eq!(redact_url("postgres://u:s3cr%40t@h:5432/db"), "postgres://u:***@h:5432/db");
        assert_eq!(redact_url("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(redact_url("postgres://h/db?user=u&password=pw&x=1"), "postgres://h/db?user=u&password=***&x=1");
        assert_eq!(redact_url("host=h password='a b' user=u"), "host=h password=*** user=u");
        assert_eq!(redact_url("host=h PASSWORD=x"), "host=h PASSWORD=***");
    }
}
