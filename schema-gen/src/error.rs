//! The library's error type.

/// A `Result` with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything schema-gen can fail with. Messages are lower-case, name the object or file in
/// backticks, and end with a hint at the fix. Database URLs in messages are always redacted.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A snapshot or file error from the core.
    #[error(transparent)]
    Core(#[from] schema_core::Error),
    /// The database could not be reached.
    #[cfg(feature = "live")]
    #[error("cannot connect to `{url}`: {reason}; check the URL and that the server is running")]
    Connect {
        /// The URL with any password replaced by `***`.
        url: String,
        /// The client's explanation (never contains the password).
        reason: String,
    },
    /// A catalog query failed.
    #[cfg(feature = "live")]
    #[error("catalog query `{query}` failed{}: {detail}{hint}", server.as_ref().map(|v| format!(" on {v}")).unwrap_or_default())]
    Query {
        /// Which query (its file name).
        query: &'static str,
        /// The server's version, once known.
        server: Option<crate::introspect::ServerVersion>,
        /// The error in full: the server's message and SQLSTATE, or the client's error chain.
        detail: String,
        /// A hint at the fix for the errors that have one (`; ...`), else empty.
        hint: &'static str,
        /// The database error.
        source: postgres::Error,
    },
    /// The server is older than the oldest supported major.
    #[cfg(feature = "live")]
    #[error("{version} is not supported: pgcanon reads PostgreSQL {}–{} catalogs; upgrade the server, or snapshot a copy restored on a supported version", crate::introspect::OLDEST_SUPPORTED_MAJOR, crate::introspect::NEWEST_TESTED_MAJOR)]
    UnsupportedServer {
        /// The server's version, e.g. `PostgreSQL 12.22`.
        version: String,
    },
    /// The catalog returned something the snapshot model cannot represent.
    #[error("unexpected catalog data for `{object}`: {detail}")]
    Catalog {
        /// The object (schema-qualified).
        object: String,
        /// What was unexpected.
        detail: String,
    },
    /// No database URL was given where one is required.
    #[error("no database URL: pass `--database-url` or set `{}`", .env.join("` or `"))]
    NoDatabaseUrl {
        /// The environment variables that were consulted, in order of precedence.
        env: &'static [&'static str],
    },
    /// Invalid configuration (a bad option value, an unparsable override path, ...).
    #[error("invalid configuration: {0}")]
    Config(String),
    /// A reconcile plan or script could not be made or run (the message says why and what to do).
    #[error("{0}")]
    Reconcile(String),
    /// Generated code failed to parse (a bug in the generator; the message says where).
    #[error("generated code for `{object}` does not parse: {detail}; please report this")]
    Codegen {
        /// The object being generated.
        object: String,
        /// The parser's message.
        detail: String,
    },
    /// A Rust source file could not be parsed (models report, audits).
    #[error("cannot parse `{path}`: {detail}")]
    RustParse {
        /// The file.
        path: String,
        /// The parser's message with line and column.
        detail: String,
    },
    /// No snapshot file exists and no database was available to create it.
    #[error(
        "snapshot `{path}` does not exist; create it with `schema-gen snapshot --database-url <url> --out {path}` \
         or set `PGCANON_DATABASE_URL` so the build introspects the database"
    )]
    NoSnapshot {
        /// The snapshot path that was looked for.
        path: String,
    },
    /// Strict mode: the configured database could not be introspected.
    #[error("strict mode: cannot introspect `{url}` (from `{var}`): {reason}; start the database, fix the URL, or unset `PGCANON_STRICT`")]
    LiveUnavailable {
        /// The environment variable the URL came from.
        var: String,
        /// The URL with any password replaced by `***`.
        url: String,
        /// Why introspection failed.
        reason: String,
    },
    /// Strict mode: the live database looks unrelated to the committed snapshot.
    #[error("strict mode: {0}")]
    Refused(String),
    /// An I/O error outside snapshot handling.
    #[error("cannot {action} `{path}`: {source}")]
    Io {
        /// What was being done.
        action: &'static str,
        /// The file or directory.
        path: String,
        /// The underlying error.
        source: std::io::Error,
    },
    /// `schema-gen snapshot` found nothing to snapshot; writing it would wipe every model.
    #[error(
        "the database `{url}` has no tables, views or types{detail}; refusing to write an empty snapshot to `{path}`; \
         point `--database-url` at the right database, or pass `--allow-empty` if an empty schema is intended"
    )]
    EmptySnapshot {
        /// The database URL, password redacted.
        url: String,
        /// The snapshot file that was not written.
        path: String,
        /// Extra context, e.g. ` in schemas `app``, or empty.
        detail: String,
    },
    /// A `--schema` filter named schemas the database does not have.
    #[error("`--schema {missing}` matched no schema in `{url}`; check the spelling (names are case-sensitive){found}")]
    SchemaNotFound {
        /// The missing names, joined with `, `.
        missing: String,
        /// The database URL, password redacted.
        url: String,
        /// A list of the schemas that exist, or empty.
        found: String,
    },
    /// A lint configuration, `--rule` or baseline error.
    #[error(transparent)]
    Lint(#[from] crate::lint::LintError),
    /// `schema-gen models` found no model to check; a report on nothing must not pass.
    #[error(
        "no `#[derive(Model)]` structs found in {paths}; check the paths (directories are searched recursively for `.rs` files), \
         or pass `--allow-empty` if none is expected yet"
    )]
    NoModels {
        /// The scanned paths, each in backticks, joined with `, `.
        paths: String,
    },
}

#[cfg(feature = "live")]
impl Error {
    /// A failed catalog query `query`, with the whole error (the `postgres` crate's own
    /// `Display` of a server error is just `db error`) and a hint where one applies.
    pub fn query(query: &'static str, server: Option<crate::introspect::ServerVersion>, source: postgres::Error) -> Error {
        use postgres::error::SqlState;
        let (detail, hint) = match source.as_db_error() {
            Some(db) => {
                let code = db.code();
                let hint = if *code == SqlState::QUERY_CANCELED {
                    "; the statement timed out: raise it with `--timeout`"
                } else if *code == SqlState::INSUFFICIENT_PRIVILEGE {
                    "; the role cannot read a system catalog the snapshot needs: connect as a role that can \
                     (the catalogs are readable by every role unless an administrator revoked it), or grant SELECT on it"
                } else if code.code().starts_with("57") || code.code().starts_with("08") {
                    "; the server went away mid-snapshot: nothing was written; run it again once the server is back"
                } else {
                    ""
                };
                // The severity only when it says more than "error" (e.g. `fatal`).
                let severity = match db.severity() {
                    "ERROR" => String::new(),
                    other => format!("{}: ", other.to_lowercase()),
                };
                (format!("{severity}{} (SQLSTATE {})", db.message(), code.code()), hint)
            }
            None => {
                let mut detail = source.to_string();
                let mut io = false;
                let mut next = std::error::Error::source(&source);
                while let Some(e) = next {
                    detail.push_str(": ");
                    detail.push_str(&e.to_string());
                    io |= e.is::<std::io::Error>();
                    next = e.source();
                }
                let hint = if source.is_closed() || io {
                    "; the server went away mid-snapshot: nothing was written; run it again once the server is back"
                } else if detail.contains("deserializing") {
                    "; the catalog differs from what this version of pgcanon expects: please report it with the server version"
                } else {
                    ""
                };
                (detail, hint)
            }
        };
        Error::Query { query, server, detail, hint, source }
    }

    /// Names the server version in a catalog query error that was raised without it.
    pub(crate) fn on_server(mut self, version: crate::introspect::ServerVersion) -> Error {
        if let Error::Query { server, .. } = &mut self {
            server.get_or_insert(version);
        }
        self
    }
}
