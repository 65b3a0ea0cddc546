//! Finding the SQL: string literals (escape-aware, raw strings, `concat!` of literals, `const`
//! items) passed to `postgres`/`tokio-postgres`/`deadpool` client methods, sqlx's and diesel's
//! query functions, sqlx's macros, `include_str!`/`query_file!` of `.sql` files, and plain
//! `.sql` files. Every byte of the SQL keeps the file position it came from, so a finding
//! points at the offending identifier inside the literal. SQL built at run time (`format!`,
//! `+`) is reported as dynamic, never guessed.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use proc_macro2::Span;
use syn::punctuated::Punctuated;
use syn::visit::Visit;
use syn::{Expr, Lit, Token};

use crate::literal::{decode_literal, Piece};

/// Errors reading sources.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ExtractError {
    /// A `.rs` file does not parse.
    #[error("cannot parse `{file}` at {line}:{column}: {message}; fix the syntax error, or leave the file out of the paths")]
    Parse {
        /// The file.
        file: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// syn's message.
        message: String,
    },
}

/// Where each byte of an SQL text is.
#[derive(Debug, Clone)]
enum PosMap {
    /// One `(line, column)` per byte (1-based), from a Rust literal.
    Bytes(Vec<(u32, u32)>),
    /// A whole `.sql` file: line starts, so positions are computed on demand.
    Lines(Vec<usize>),
}

/// One SQL text found in a source, ready for [`crate::check_sql`].
#[derive(Debug, Clone)]
pub struct SqlSite {
    /// The file the SQL is in (a `.sql` file for `include_str!`/`query_file!`).
    pub file: String,
    /// The SQL text, unescaped.
    pub text: String,
    map: PosMap,
    /// Values bound by the call, when countable.
    pub binds: Option<usize>,
    /// How it was found: `client.query_one`, `sqlx::query`, `query!`, `const`, `.sql file`.
    pub via: String,
    /// Rules allowed here by `pgcanon:allow(...)` comments, with the lines they cover.
    pub allows: Vec<(usize, String)>,
    /// The struct the rows decode into (`query_as!(User, ...)`, `query_as::<_, User>`), with
    /// the 1-based line and column of its name at the call.
    pub row_type: Option<(String, usize, usize)>,
}

/// A struct with named fields, as a row type: its fields and whether each is an `Option`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowStruct {
    /// The struct's name.
    pub name: String,
    /// `(column name, is Option)`, honouring `#[sqlx(rename = "...")]`.
    pub fields: Vec<(String, bool)>,
    /// False when a field uses `#[sqlx(flatten)]` or `#[sqlx(default)]`: not checkable.
    pub checkable: bool,
    /// A `#[model(query = "...")]` struct: fields are renamed with `#[model(column = "...")]`,
    /// and result columns without a field are fine (the derive's mapping reads by name).
    pub model: bool,
}

/// SQL that cannot be checked: built at run time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dynamic {
    /// The file.
    pub file: String,
    /// 1-based line of the expression.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// What it is (`format!` passed to `client.query`).
    pub reason: String,
    /// Rules allowed by comments on this line or the one above.
    pub allowed: Vec<String>,
}

impl SqlSite {
    /// The 1-based `(line, column)` of byte `offset` of [`SqlSite::text`].
    pub fn position(&self, offset: usize) -> (usize, usize) {
        match &self.map {
            PosMap::Bytes(v) => {
                let i = offset.min(v.len().saturating_sub(1));
                v.get(i).map_or((1, 1), |&(l, c)| (l as usize, c as usize))
            }
            PosMap::Lines(starts) => {
                let line = starts.partition_point(|&s| s <= offset);
                let start = starts[line.saturating_sub(1)];
                let col = self.text.get(start..offset.min(self.text.len())).map_or(1, |s| s.chars().count() + 1);
                (line.max(1), col)
            }
        }
    }

    /// True when `rule` is allowed at `line` (a comment on that line or the line above, or
    /// on the line above the call).
    pub fn allowed(&self, rule: &str, line: usize) -> bool {
        self.allows.iter().any(|(l, r)| r == rule && (*l == line || *l + 1 == line))
    }
}

/// What a file holds.
#[derive(Debug, Clone, Default)]
pub struct Extracted {
    /// The SQL texts.
    pub sites: Vec<SqlSite>,
    /// SQL built at run time.
    pub dynamic: Vec<Dynamic>,
    /// The structs with named fields, for row-type checks.
    pub structs: Vec<RowStruct>,
}

/// `pgcanon:allow(a, b)` comments: `(line, rule)` pairs.
fn allow_comments(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let mut rest = line;
        while let Some(at) = rest.find("pgcanon:allow(") {
            let after = &rest[at + "pgcanon:allow(".len()..];
            let Some(end) = after.find(')') else { break };
            out.extend(after[..end].split(',').map(|r| (i + 1, r.trim().to_owned())).filter(|(_, r)| !r.is_empty()));
            rest = &after[end..];
        }
    }
    out
}

fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect()
}

/// A plain `.sql` file (or one named by `include_str!`/`query_file!`).
pub fn sql_file(file: &str, text: &str, binds: Option<usize>, via: &str) -> SqlSite {
    SqlSite { file: file.into(), text: text.into(), map: PosMap::Lines(line_starts(text)), binds, via: via.into(), allows: allow_comments(text), row_type: None }
}

/// What an SQL argument is.
enum Sql {
    /// Known text.
    Text(Piece),
    /// A `.sql` file named by `include_str!`.
    File(PathBuf),
    /// Built at run time.
    Dynamic(&'static str, Span),
    /// Anything else (a variable, a prepared statement): not SQL we can see.
    Opaque,
}

/// postgres / tokio-postgres / deadpool methods: name and the argument count they take.
const CLIENT_METHODS: &[(&str, usize)] = &[
    ("query", 2),
    ("query_one", 2),
    ("query_opt", 2),
    ("query_raw", 2),
    ("query_typed", 2),
    ("query_typed_raw", 2),
    ("execute", 2),
    ("execute_raw", 2),
    ("prepare", 1),
    ("prepare_cached", 1),
    ("prepare_typed", 2),
    ("prepare_typed_cached", 2),
    ("batch_execute", 1),
    ("simple_query", 1),
];

/// sqlx and diesel functions whose first argument is SQL.
const QUERY_FNS: &[&str] = &["query", "query_as", "query_scalar", "query_with", "query_as_with", "query_scalar_with", "sql_query"];

/// sqlx macros: name, whether a type comes first, whether the SQL is a file path.
const QUERY_MACROS: &[(&str, bool, bool)] = &[
    ("query", false, false),
    ("query_unchecked", false, false),
    ("query_scalar", false, false),
    ("query_scalar_unchecked", false, false),
    ("query_as", true, false),
    ("query_as_unchecked", true, false),
    ("query_file", false, true),
    ("query_file_unchecked", false, true),
    ("query_file_scalar", false, true),
    ("query_file_scalar_unchecked", false, true),
    ("query_file_as", true, true),
    ("query_file_as_unchecked", true, true),
];

struct Finder<'a> {
    file: &'a str,
    dir: PathBuf,
    root: PathBuf,
    consts: HashMap<String, Piece>,
    used_consts: std::collections::HashSet<String>,
    handled: std::collections::HashSet<(usize, usize)>,
    allows: Vec<(usize, String)>,
    out: Extracted,
    io_errors: Vec<String>,
    /// The row type of the call being recorded.
    row_type: Option<(String, usize, usize)>,
}

fn lit_piece(lit: &syn::LitStr) -> Piece {
    let start = lit.span().start();
    let token = lit.token().to_string();
    match decode_literal(&token, start.line, start.column) {
        Some(p) if p.text == lit.value() => p,
        // Unexpected spelling: the value, every byte at the literal's start.
        _ => {
            let text = lit.value();
            let pos = vec![(start.line as u32, start.column as u32 + 1); text.len().max(1)];
            Piece { text, pos }
        }
    }
}

fn macro_name(m: &syn::Macro) -> String {
    m.path.segments.last().map(|s| s.ident.to_string()).unwrap_or_default()
}

fn path_key(p: &syn::Path) -> String {
    p.segments.iter().map(|s| s.ident.to_string()).collect::<Vec<_>>().join("::")
}

/// Counts the values of a params argument: `&[&a, &b]`, `[a, b]`, `&[]`.
fn count_params(e: &Expr) -> Option<usize> {
    match e {
        Expr::Reference(r) => count_params(&r.expr),
        Expr::Array(a) => Some(a.elems.len()),
        Expr::Paren(p) => count_params(&p.expr),
        Expr::Cast(c) => count_params(&c.expr),
        Expr::Call(c) if c.args.is_empty() && path_of(&c.func).is_some_and(|p| p.ends_with("empty")) => Some(0),
        _ => None,
    }
}

fn path_of(e: &Expr) -> Option<String> {
    match e {
        Expr::Path(p) => Some(path_key(&p.path)),
        _ => None,
    }
}

impl Finder<'_> {
    fn sql_of(&mut self, e: &Expr) -> Sql {
        match e {
            Expr::Lit(l) => match &l.lit {
                Lit::Str(s) => Sql::Text(lit_piece(s)),
                _ => Sql::Opaque,
            },
            Expr::Reference(r) => self.sql_of(&r.expr),
            Expr::Paren(p) => self.sql_of(&p.expr),
            Expr::Group(g) => self.sql_of(&g.expr),
            Expr::Path(p) => {
                let segs: Vec<String> = p.path.segments.iter().map(|s| s.ident.to_string()).collect();
                for take in (1..=segs.len().min(2)).rev() {
                    let key = segs[segs.len() - take..].join("::");
                    if let Some(piece) = self.consts.get(&key) {
                        self.used_consts.insert(key);
                        return Sql::Text(piece.clone());
                    }
                }
                Sql::Opaque
            }
            Expr::Macro(m) => self.sql_of_macro(&m.mac),
            Expr::Binary(b) if matches!(b.op, syn::BinOp::Add(_)) => Sql::Dynamic("a string built with `+`", span_of(e)),
            Expr::MethodCall(m) if m.method == "as_str" || m.method == "as_ref" => match self.sql_of(&m.receiver) {
                Sql::Opaque => Sql::Opaque,
                other => other,
            },
            _ => Sql::Opaque,
        }
    }

    fn sql_of_macro(&mut self, m: &syn::Macro) -> Sql {
        match macro_name(m).as_str() {
            "format" => Sql::Dynamic("`format!`", m.path.segments.first().map_or_else(Span::call_site, |s| s.ident.span())),
            "concat" => {
                let Ok(args) = m.parse_body_with(Punctuated::<Expr, Token![,]>::parse_terminated) else { return Sql::Opaque };
                let mut piece = Piece { text: String::new(), pos: Vec::new() };
                for a in &args {
                    match self.sql_of(a) {
                        Sql::Text(p) => {
                            piece.text.push_str(&p.text);
                            piece.pos.extend(p.pos);
                        }
                        _ => return Sql::Dynamic("`concat!` of something other than literals", m.path.segments.first().map_or_else(Span::call_site, |s| s.ident.span())),
                    }
                }
                Sql::Text(piece)
            }
            "include_str" => match m.parse_body::<syn::LitStr>() {
                Ok(l) if l.value().ends_with(".sql") => Sql::File(self.dir.join(l.value())),
                _ => Sql::Opaque,
            },
            _ => Sql::Opaque,
        }
    }

    fn record(&mut self, sql: Sql, binds: Option<usize>, via: String) {
        match sql {
            Sql::Text(p) => {
                let site = SqlSite { file: self.file.into(), text: p.text, map: PosMap::Bytes(p.pos), binds, via, allows: self.allows.clone(), row_type: self.row_type.take() };
                self.out.sites.push(site);
            }
            Sql::File(path) => self.record_file(&path, binds, via),
            Sql::Dynamic(what, span) => {
                let s = span.start();
                let allowed = self.allows.iter().filter(|(l, _)| *l == s.line || *l + 1 == s.line).map(|(_, r)| r.clone()).collect();
                self.out.dynamic.push(Dynamic { file: self.file.into(), line: s.line, column: s.column + 1, reason: format!("{what} passed to `{via}`"), allowed });
            }
            Sql::Opaque => {}
        }
    }

    fn record_file(&mut self, path: &Path, binds: Option<usize>, via: String) {
        match std::fs::read_to_string(path) {
            Ok(text) => {
                let mut site = sql_file(&path.display().to_string(), &text, binds, &via);
                site.row_type = self.row_type.take();
                self.out.sites.push(site);
            }
            Err(e) => self.io_errors.push(format!("cannot read `{}` (named in `{}`): {e}", path.display(), self.file)),
        }
    }

    /// A `sqlx::query(..)`-style call at the bottom of a method chain: `.bind()`s counted.
    fn chain(&mut self, m: &syn::ExprMethodCall) -> bool {
        let mut binds = usize::from(m.method == "bind");
        let mut at: &Expr = &m.receiver;
        loop {
            match at {
                Expr::MethodCall(mc) => {
                    if mc.method == "bind" {
                        binds += 1;
                    }
                    at = &mc.receiver;
                }
                Expr::Call(c) => return self.query_fn(c, Some(binds)),
                _ => return false,
            }
        }
    }

    fn query_fn(&mut self, c: &syn::ExprCall, binds: Option<usize>) -> bool {
        let Expr::Path(p) = &*c.func else { return false };
        let segs: Vec<String> = p.path.segments.iter().map(|s| s.ident.to_string()).collect();
        let Some(last) = segs.last() else { return false };
        if !QUERY_FNS.contains(&last.as_str()) {
            return false;
        }
        let qualified = segs.len() >= 2 && (segs[0] == "sqlx" || segs[0] == "diesel");
        let key = (span_of(&c.func).start().line, span_of(&c.func).start().column);
        if self.handled.contains(&key) {
            return true;
        }
        let Some(first) = c.args.first() else { return false };
        let sql = self.sql_of(first);
        if !qualified && !matches!(sql, Sql::Text(_) | Sql::File(_)) {
            return false;
        }
        self.handled.insert(key);
        if last == "query_as" {
            if let Some(syn::PathArguments::AngleBracketed(a)) = p.path.segments.last().map(|s| &s.arguments) {
                if let Some(syn::GenericArgument::Type(syn::Type::Path(tp))) = a.args.iter().nth(1) {
                    self.row_type = row_type_of(&tp.path);
                }
            }
        }
        let binds = if last.ends_with("_with") { None } else { binds };
        self.record(sql, binds, segs.join("::"));
        true
    }
}

fn span_of(e: &Expr) -> Span {
    use syn::spanned::Spanned;
    e.span()
}

impl<'ast> Visit<'ast> for Finder<'_> {
    fn visit_expr_method_call(&mut self, m: &'ast syn::ExprMethodCall) {
        if !self.chain(m) {
            let name = m.method.to_string();
            if let Some(&(_, nargs)) = CLIENT_METHODS.iter().find(|(n, _)| *n == name) {
                if m.args.len() == nargs {
                    let key = (m.method.span().start().line, m.method.span().start().column);
                    if self.handled.insert(key) {
                        let sql = self.sql_of(&m.args[0]);
                        let binds = match name.as_str() {
                            "batch_execute" | "simple_query" => Some(0),
                            "prepare" | "prepare_cached" | "prepare_typed" | "prepare_typed_cached" => None,
                            _ => count_params(&m.args[1]),
                        };
                        self.record(sql, binds, format!(".{name}"));
                    }
                }
            }
        }
        syn::visit::visit_expr_method_call(self, m);
    }

    fn visit_expr_call(&mut self, c: &'ast syn::ExprCall) {
        self.query_fn(c, None);
        syn::visit::visit_expr_call(self, c);
    }

    fn visit_macro(&mut self, m: &'ast syn::Macro) {
        let name = macro_name(m);
        if let Some(&(_, typed, file)) = QUERY_MACROS.iter().find(|(n, _, _)| *n == name) {
            if let Ok(args) = m.parse_body_with(Punctuated::<Expr, Token![,]>::parse_terminated) {
                let skip = usize::from(typed);
                if let (true, Some(Expr::Path(tp))) = (typed, args.first()) {
                    self.row_type = row_type_of(&tp.path);
                }
                if let Some(sql_arg) = args.iter().nth(skip) {
                    let binds = Some(args.len() - skip - 1);
                    let via = format!("{name}!");
                    if file {
                        if let Expr::Lit(syn::ExprLit { lit: Lit::Str(s), .. }) = sql_arg {
                            let path = self.root.join(s.value());
                            self.record_file(&path, binds, via);
                        }
                    } else {
                        let sql = self.sql_of(sql_arg);
                        self.record(sql, binds, via);
                    }
                }
            }
        }
        self.row_type = None;
        syn::visit::visit_macro(self, m);
    }

    fn visit_item_struct(&mut self, s: &'ast syn::ItemStruct) {
        if self.model_query(s) {
            return syn::visit::visit_item_struct(self, s);
        }
        if let syn::Fields::Named(named) = &s.fields {
            let mut fields = Vec::new();
            let mut checkable = true;
            for f in &named.named {
                let Some(ident) = &f.ident else { continue };
                let mut name = ident.to_string().trim_start_matches("r#").to_owned();
                for attr in f.attrs.iter().filter(|a| a.path().is_ident("sqlx")) {
                    let _ = attr.parse_nested_meta(|meta| {
                        if meta.path.is_ident("rename") {
                            name = meta.value()?.parse::<syn::LitStr>()?.value();
                        } else if meta.path.is_ident("flatten") || meta.path.is_ident("default") || meta.path.is_ident("skip") {
                            checkable = false;
                        }
                        Ok(())
                    });
                }
                let is_option = matches!(&f.ty, syn::Type::Path(tp) if tp.path.segments.last().is_some_and(|s| s.ident == "Option"));
                fields.push((name, is_option));
            }
            self.out.structs.push(RowStruct { name: s.ident.to_string(), fields, checkable, model: false });
        }
        syn::visit::visit_item_struct(self, s);
    }
}

impl Finder<'_> {
    /// A `#[model(query = "...")]` struct: its query is a site whose rows decode into it, and
    /// its fields are the columns the derive's attribute parser gives them (`column = "..."`,
    /// `rename_all`, `skip`), so the row check sees what the generated mapping reads. False for
    /// any other struct (including a model whose attributes do not parse: the derive reports
    /// those).
    fn model_query(&mut self, s: &syn::ItemStruct) -> bool {
        if !s.attrs.iter().any(|a| a.path().is_ident(schema_core::check::syntax::ATTR)) {
            return false;
        }
        let Ok(model) = schema_core::check::syntax::parse_model(&s.ident, &s.attrs, &s.fields) else { return false };
        let Some(query) = &model.query else { return false };
        let fields = model
            .def
            .fields
            .iter()
            .zip(&model.fields)
            .filter(|(def, _)| !def.skip)
            .map(|(def, parsed)| {
                let is_option = matches!(&parsed.ty, syn::Type::Path(tp) if tp.path.segments.last().is_some_and(|s| s.ident == "Option"));
                (def.column.clone(), is_option)
            })
            .collect();
        self.out.structs.push(RowStruct { name: s.ident.to_string(), fields, checkable: true, model: true });
        let at = s.ident.span().start();
        self.row_type = Some((s.ident.to_string(), at.line, at.column + 1));
        let sql = self.sql_of(&Expr::Lit(syn::ExprLit { attrs: Vec::new(), lit: syn::Lit::Str(query.clone()) }));
        self.record(sql, None, "#[model(query)]".to_owned());
        self.row_type = None;
        true
    }
}

fn row_type_of(p: &syn::Path) -> Option<(String, usize, usize)> {
    let seg = p.segments.last()?;
    let at = seg.ident.span().start();
    Some((seg.ident.to_string(), at.line, at.column + 1))
}

/// Collects `const NAME: &str = "..."` items (free, and `Type::NAME` in impls).
struct Consts {
    out: HashMap<String, Piece>,
    impl_of: Option<String>,
}

fn const_piece(e: &Expr) -> Option<Piece> {
    match e {
        Expr::Lit(syn::ExprLit { lit: Lit::Str(s), .. }) => Some(lit_piece(s)),
        Expr::Macro(m) if macro_name(&m.mac) == "concat" => {
            let args = m.mac.parse_body_with(Punctuated::<Expr, Token![,]>::parse_terminated).ok()?;
            let mut piece = Piece { text: String::new(), pos: Vec::new() };
            for a in &args {
                let p = const_piece(a)?;
                piece.text.push_str(&p.text);
                piece.pos.extend(p.pos);
            }
            Some(piece)
        }
        _ => None,
    }
}

impl<'ast> Visit<'ast> for Consts {
    fn visit_item_const(&mut self, c: &'ast syn::ItemConst) {
        if let Some(p) = const_piece(&c.expr) {
            self.out.insert(c.ident.to_string(), p);
        }
        syn::visit::visit_item_const(self, c);
    }

    fn visit_item_impl(&mut self, i: &'ast syn::ItemImpl) {
        let prev = self.impl_of.take();
        if let syn::Type::Path(tp) = &*i.self_ty {
            self.impl_of = tp.path.segments.last().map(|s| s.ident.to_string());
        }
        syn::visit::visit_item_impl(self, i);
        self.impl_of = prev;
    }

    fn visit_impl_item_const(&mut self, c: &'ast syn::ImplItemConst) {
        if let (Some(p), Some(ty)) = (const_piece(&c.expr), &self.impl_of) {
            self.out.insert(format!("{ty}::{}", c.ident), p);
        }
        syn::visit::visit_impl_item_const(self, c);
    }
}

/// True when a constant's text starts like a query (`SELECT`, `WITH`, `INSERT`...).
fn looks_like_sql(text: &str) -> bool {
    let head: String = text.trim_start().chars().take(7).collect::<String>().to_ascii_uppercase();
    ["SELECT ", "SELECT\n", "WITH ", "INSERT ", "UPDATE ", "DELETE "].iter().any(|k| head.starts_with(k.trim_end()) && head.len() > k.trim_end().len())
}

/// The nearest directory above `dir` with a `Cargo.toml` (sqlx's `query_file!` paths are
/// relative to it), else `dir`.
fn crate_root(dir: &Path) -> PathBuf {
    let mut at = Some(dir);
    while let Some(d) = at {
        if d.join("Cargo.toml").is_file() {
            return d.to_path_buf();
        }
        at = d.parent();
    }
    dir.to_path_buf()
}

/// Finds the SQL in one `.rs` file's text (`file` names it in positions). Files named by
/// `include_str!`/`query_file!` are read; one that cannot be read is an entry of the
/// returned warnings.
pub fn rust_file(file: &str, text: &str) -> Result<(Extracted, Vec<String>), ExtractError> {
    let parsed = syn::parse_file(text).map_err(|e| {
        let at = e.span().start();
        ExtractError::Parse { file: file.into(), line: at.line, column: at.column + 1, message: e.to_string() }
    })?;
    let mut consts = Consts { out: HashMap::new(), impl_of: None };
    consts.visit_file(&parsed);
    let dir = Path::new(file).parent().map(Path::to_path_buf).unwrap_or_default();
    let root = crate_root(&dir);
    let mut f = Finder {
        file,
        dir,
        root,
        consts: consts.out,
        used_consts: Default::default(),
        handled: Default::default(),
        allows: allow_comments(text),
        out: Extracted::default(),
        io_errors: Vec::new(),
        row_type: None,
    };
    f.visit_file(&parsed);
    // Constants that look like queries are checked where they are defined when no call
    // uses them (the generator's `SELECT` constants, a derive's queries).
    let mut unused: Vec<(String, Piece)> = f.consts.iter().filter(|(k, p)| !f.used_consts.contains(*k) && looks_like_sql(&p.text)).map(|(k, p)| (k.clone(), p.clone())).collect();
    unused.sort_by_key(|(_, p)| p.pos.first().copied());
    for (name, p) in unused {
        f.record(Sql::Text(p), None, format!("const {name}"));
    }
    Ok((f.out, f.io_errors))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_query_model_is_a_site_decoding_into_its_struct() {
        let src = r#"
#[derive(schema_derive::Model)]
#[model(query = "SELECT id, email AS mail FROM users", rename_all = "camelCase")]
struct UserRow {
    id: i64,
    #[model(column = "mail")]
    email: Option<String>,
    #[model(skip)]
    cache: u8,
    created_at: String,
}
#[derive(schema_derive::Model)]
#[model(table = "users")]
struct User { id: i64 }
"#;
        let (x, errs) = rust_file("src/m.rs", src).unwrap();
        assert!(errs.is_empty());
        let sites: Vec<(&str, &str, Option<&str>)> = x.sites.iter().map(|s| (s.via.as_str(), s.text.as_str(), s.row_type.as_ref().map(|r| r.0.as_str()))).collect();
        assert_eq!(sites, vec![("#[model(query)]", "SELECT id, email AS mail FROM users", Some("UserRow"))]);
        assert_eq!(x.sites[0].row_type.as_ref().map(|r| (r.1, r.2)), Some((4, 8)));
        let row = x.structs.iter().find(|s| s.name == "UserRow").unwrap();
        let fields: Vec<(&str, bool)> = row.fields.iter().map(|(n, o)| (n.as_str(), *o)).collect();
        assert_eq!(fields, vec![("id", false), ("mail", true), ("createdAt", false)]);
        // The position of the SQL is the literal's, inside the attribute.
        assert_eq!(x.sites[0].position(0), (3, 18));
    }

    #[test]
    fn finds_calls_macros_consts_and_dynamic_sql() {
        let src = r#"
const Q: &str = "SELECT id FROM users WHERE id = $1";
fn f(c: &mut Client, id: i32) {
    c.query_one(Q, &[&id]).unwrap();
    c.execute(&format!("DELETE FROM {t}"), &[]).unwrap();
    let _ = sqlx::query("SELECT $1, $2").bind(1).bind(2).fetch_one(&pool);
    let _ = sqlx::query_as!(User, "SELECT id FROM users WHERE id = $1", id);
    c.batch_execute(concat!("SELECT 1;", " SELECT 2")).unwrap();
}
"#;
        let (x, errs) = rust_file("src/a.rs", src).unwrap();
        assert!(errs.is_empty());
        let got: Vec<(&str, Option<usize>, &str)> = x.sites.iter().map(|s| (s.via.as_str(), s.binds, s.text.as_str())).collect();
        assert_eq!(
            got,
            vec![
                (".query_one", Some(1), "SELECT id FROM users WHERE id = $1"),
                ("sqlx::query", Some(2), "SELECT $1, $2"),
                ("query_as!", Some(1), "SELECT id FROM users WHERE id = $1"),
                (".batch_execute", Some(0), "SELECT 1; SELECT 2"),
            ]
        );
        assert_eq!(x.dynamic.len(), 1);
        assert_eq!((x.dynamic[0].line, x.dynamic[0].column), (5, 16));
        assert_eq!(x.sites[0].position(15), (2, 33));
    }

    #[test]
    fn row_types_and_structs() {
        let src = r#"
struct User { id: i64, #[sqlx(rename = "email")] mail: Option<String> }
fn f() {
    let _ = sqlx::query_as!(User, "SELECT id, email FROM users");
    let _ = sqlx::query_as::<_, User>("SELECT id FROM users").fetch_all(&pool);
}
"#;
        let (x, _) = rust_file("a.rs", src).unwrap();
        assert_eq!(x.structs, vec![RowStruct { name: "User".into(), fields: vec![("id".into(), false), ("email".into(), true)], checkable: true, model: false }]);
        let rows: Vec<_> = x.sites.iter().map(|s| s.row_type.clone()).collect();
        assert_eq!(rows, vec![Some(("User".into(), 4, 29)), Some(("User".into(), 5, 33))]);
    }
}
