//! Database URLs: where they come from, how they are shown, how they connect.

/// Environment variables consulted for a database URL, in order of precedence.
///
/// `PGCANON_DATABASE_URL` lets a project point pgcanon at a schema-only database without
/// disturbing an application's own `DATABASE_URL`.
pub const DATABASE_URL_VARS: [&str; 2] = ["PGCANON_DATABASE_URL", "DATABASE_URL"];

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
        reason: scrub(&e.to_string(), url),
    })?;
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(Duration::from_secs(5));
    }
    if config.get_application_name().is_none() {
        config.application_name("pgcanon");
    }
    config.connect(postgres::NoTls).map_err(|e| crate::Error::Connect {
        url: redacted,
        reason: scrub(&error_chain(&e), url),
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

/// Belt and braces: never let a password from `url` through in a client's message.
#[cfg(feature = "live")]
fn scrub(message: &str, url: &str) -> String {
    match url.parse::<postgres::Config>().ok().and_then(|c| c.get_password().map(<[u8]>::to_vec)) {
        Some(pw) if !pw.is_empty() => message.replace(&*String::from_utf8_lossy(&pw), "***"),
        _ => message.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::redact_url;

    #[test]
    fn redacts_passwords_in_every_spelling() {
        assert_eq!(redact_url("postgres://u:s3cr%40t@h:5432/db"), "postgres://u:***@h:5432/db");
        assert_eq!(redact_url("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(redact_url("postgres://h/db?user=u&password=pw&x=1"), "postgres://h/db?user=u&password=***&x=1");
        assert_eq!(redact_url("host=h password='a b' user=u"), "host=h password=*** user=u");
        assert_eq!(redact_url("host=h PASSWORD=x"), "host=h PASSWORD=***");
    }
}
