//! A lazy view of the snapshot: one scan records where each table and view is, and only the
//! relations that models name are deserialized.
//!
//! The derive runs as unoptimized code in the default dev profile, where deserializing a
//! 15 MB snapshot with serde_json dominated its cost. Skipping over JSON is far cheaper than
//! building it: the scan only tracks strings and nesting, and serde_json then reads just the
//! schemas' small parts (enums, domains, composites) and the few relations that are checked.
//! Anything the scan does not expect (another format version, an unknown key, malformed
//! JSON) makes it give up, and the caller parses the whole file, which reports the error.
//!
//! A build script can do the scan once and store its result, an [`Index`], beside its outputs
//! (`schema_gen::Config::compile()` does): the derive then skips the scan too, when the index
//! carries the stamp of the very file it reads (see [`super::stamp`]). Each relation taken
//! from an index is checked to be the one named, so an index of other content can only make
//! the derive fall back, never check against the wrong relation.

use std::collections::{BTreeSet, HashMap};
use std::ops::Range;

use serde::{Deserialize, Serialize};

use super::{Schema, Snapshot, FORMAT_VERSION, OLDEST_READABLE_FORMAT};

/// The variable a build script sets (`cargo:rustc-env=`) to the path of the [`Index`] it wrote.
pub const INDEX_ENV: &str = "PGCANON_SNAPSHOT_INDEX";
/// The index's file name in the build script's `OUT_DIR`.
pub const INDEX_FILE: &str = "pgcanon_snapshot_index.json";

/// The scanned snapshot text and where its relations are.
pub struct Lazy {
    text: String,
    schemas: Vec<Indexed>,
    /// Relation name → (schema index, is a view, index in that schema's list): a model's
    /// lookup without comparing its name to every relation (500 models × 2,000 tables of string
    /// comparisons were a visible part of the derive in an unoptimized build).
    by_name: HashMap<String, Vec<(usize, bool, usize)>>,
}

/// One schema: everything but its relations, parsed; its relations, located.
struct Indexed {
    skeleton: Schema,
    /// The skeleton's JSON, for the [`Index`].
    skeleton_json: String,
    tables: Vec<(String, Range<usize>)>,
    views: Vec<(String, Range<usize>)>,
}

/// The scan's result, to store and reuse without scanning: per schema the JSON of everything
/// but its relations, and each relation's name and byte range in the snapshot text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Index {
    /// The stamp of the file the index was made from (see [`super::stamp::file_stamp`]).
    pub stamp: String,
    schemas: Vec<IndexedSchema>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct IndexedSchema {
    skeleton: String,
    tables: Vec<(String, usize, usize)>,
    views: Vec<(String, usize, usize)>,
}

impl Lazy {
    /// Scans `text`; gives it back when it is not a snapshot of this format as the scan expects.
    pub fn scan(text: String) -> Result<Lazy, String> {
        match Self::index_text(&text) {
            Some(schemas) => Ok(Lazy::new(text, schemas)),
            None => Err(text),
        }
    }

    fn new(text: String, schemas: Vec<Indexed>) -> Lazy {
        let mut by_name: HashMap<String, Vec<(usize, bool, usize)>> = HashMap::new();
        for (s, indexed) in schemas.iter().enumerate() {
            for (is_view, list) in [(false, &indexed.tables), (true, &indexed.views)] {
                for (i, (name, _)) in list.iter().enumerate() {
                    by_name.entry(name.clone()).or_default().push((s, is_view, i));
                }
            }
        }
        Lazy { text, schemas, by_name }
    }

    /// The index of this scan, for a file of stamp `stamp`.
    pub fn index(&self, stamp: &str) -> Index {
        let spans = |v: &[(String, Range<usize>)]| v.iter().map(|(n, r)| (n.clone(), r.start, r.end)).collect();
        let schemas = self
            .schemas
            .iter()
            .map(|s| IndexedSchema { skeleton: s.skeleton_json.clone(), tables: spans(&s.tables), views: spans(&s.views) })
            .collect();
        Index { stamp: stamp.to_owned(), schemas }
    }

    /// The lazy view of `text` from a stored `index` instead of a scan; gives `text` back when
    /// the index does not fit it (a range outside the text, a skeleton that does not parse).
    /// The caller checks the stamps; [`Lazy::subset`] checks every relation it takes.
    pub fn from_index(text: String, index: &Index) -> Result<Lazy, String> {
        let fits = |&(_, start, end): &(String, usize, usize)| start < end && end <= text.len() && text.is_char_boundary(start) && text.is_char_boundary(end);
        let mut schemas = Vec::with_capacity(index.schemas.len());
        for s in &index.schemas {
            let Ok(skeleton) = serde_json::from_str::<Schema>(&s.skeleton) else { return Err(text) };
            if !s.tables.iter().chain(&s.views).all(fits) {
                return Err(text);
            }
            let ranges = |v: &[(String, usize, usize)]| v.iter().map(|(n, a, b)| (n.clone(), *a..*b)).collect();
            schemas.push(Indexed { skeleton, skeleton_json: s.skeleton.clone(), tables: ranges(&s.tables), views: ranges(&s.views) });
        }
        Ok(Lazy::new(text, schemas))
    }

    fn index_text(text: &str) -> Option<Vec<Indexed>> {
        let schemas = {
            let mut scan = Scan { b: text.as_bytes(), i: 0 };
            let mut version = None;
            let mut schemas = Vec::new();
            scan.object(|key, s| match key {
                "format_version" => {
                    version = serde_json::from_slice::<u32>(&s.b[s.value()?]).ok();
                    Some(())
                }
                "schemas" => s.array(|s| {
                    schemas.push(s.schema()?);
                    Some(())
                }),
                // Database-wide facts no model check reads.
                "extensions" => s.value().map(|_| ()),
                _ => None,
            })?;
            // An older readable format reads as the current one (its newer facts are absent).
            if !scan.at_end() || !version.is_some_and(|v| (OLDEST_READABLE_FORMAT..=FORMAT_VERSION).contains(&v)) {
                return None;
            }
            schemas
        };
        Some(schemas)
    }

    /// The part of the snapshot a model of `wanted` needs: every schema's types, and the
    /// relations [`Snapshot::relation`] could resolve `wanted` to (so lookups give the same
    /// answer as on the whole snapshot). `None` when no relation matches: the caller falls back
    /// to the whole snapshot, which the unknown-table diagnostic needs anyway.
    pub fn subset(&self, wanted: &str) -> Option<Snapshot> {
        // The relations named `wanted` in any schema, and `name` in schema `s` for `s.name`; in
        // snapshot order (per schema its tables, then its views), each once.
        let mut hits: BTreeSet<(usize, bool, usize)> = self.by_name.get(wanted).into_iter().flatten().copied().collect();
        if let Some((s, name)) = wanted.split_once('.') {
            let in_schema = |hit: &&(usize, bool, usize)| schema_name(&self.schemas[hit.0]) == s;
            hits.extend(self.by_name.get(name).into_iter().flatten().filter(in_schema).copied());
        }
        if hits.is_empty() {
            return None;
        }
        let mut schemas: Vec<Schema> = self.schemas.iter().map(|indexed| indexed.skeleton.clone()).collect();
        // A relation must be the one its entry names (an index of other content fails here).
        for (s, is_view, i) in hits {
            let indexed = &self.schemas[s];
            if is_view {
                let (name, range) = &indexed.views[i];
                let view: super::View = serde_json::from_str(&self.text[range.clone()]).ok()?;
                if view.name != *name {
                    return None;
                }
                schemas[s].views.push(view);
            } else {
                let (name, range) = &indexed.tables[i];
                let table: super::Table = serde_json::from_str(&self.text[range.clone()]).ok()?;
                if table.name != *name {
                    return None;
                }
                schemas[s].tables.push(table);
            }
        }
        Some(Snapshot { format_version: FORMAT_VERSION, extensions: Vec::new(), schemas })
    }

    /// The whole text, for the full parse.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The subset when it resolves `wanted` (see [`Lazy::subset`]).
    pub fn resolving(&self, wanted: &str) -> Option<Snapshot> {
        self.subset(wanted).filter(|s| s.relation(wanted).is_some())
    }
}

fn schema_name(indexed: &Indexed) -> &str {
    &indexed.skeleton.name
}

/// A cursor over JSON text that skips values without building them.
struct Scan<'a> {
    b: &'a [u8],
    i: usize,
}

impl Scan<'_> {
    fn ws(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.b.get(self.i) {
            self.i += 1;
        }
    }

    fn at_end(&mut self) -> bool {
        self.ws();
        self.i == self.b.len()
    }

    /// Consumes `c` after whitespace.
    fn eat(&mut self, c: u8) -> Option<()> {
        self.ws();
        (self.b.get(self.i) == Some(&c)).then(|| self.i += 1)
    }

    /// At an opening quote: moves past the closing one.
    ///
    /// This and [`Scan::value`] are the hot loops (every byte of the file passes through
    /// them), written with plain slice indexing on locals: in an unoptimized build each
    /// `get()` or iterator adapter is a function call per byte, several times slower.
    fn skip_string(&mut self) -> Option<()> {
        let b = self.b;
        let mut i = self.i + 1;
        while i < b.len() {
            let c = b[i];
            if c == b'"' {
                self.i = i + 1;
                return Some(());
            }
            i += if c == b'\\' { 2 } else { 1 };
        }
        None
    }

    /// A string value, unescaped by serde_json (names may contain escapes).
    fn string(&mut self) -> Option<String> {
        self.ws();
        let start = self.i;
        if self.b.get(start) != Some(&b'"') {
            return None;
        }
        self.skip_string()?;
        serde_json::from_slice(&self.b[start..self.i]).ok()
    }

    /// Skips any value, returning its byte range.
    fn value(&mut self) -> Option<Range<usize>> {
        self.ws();
        let start = self.i;
        match *self.b.get(self.i)? {
            b'"' => self.skip_string()?,
            b'{' | b'[' => {
                let b = self.b;
                let (mut i, mut depth) = (self.i, 0usize);
                loop {
                    if i >= b.len() {
                        return None;
                    }
                    let c = b[i];
                    if c == b'"' {
                        // Inline string skip: strings are most of the bytes.
                        i += 1;
                        while i < b.len() && b[i] != b'"' {
                            i += if b[i] == b'\\' { 2 } else { 1 };
                        }
                    } else if c == b'{' || c == b'[' {
                        depth += 1;
                    } else if c == b'}' || c == b']' {
                        depth = depth.checked_sub(1)?;
                        if depth == 0 {
                            self.i = i + 1;
                            break;
                        }
                    }
                    i += 1;
                }
            }
            _ => {
                while let Some(c) = self.b.get(self.i) {
                    if matches!(c, b',' | b'}' | b']' | b' ' | b'\n' | b'\r' | b'\t') {
                        break;
                    }
                    self.i += 1;
                }
            }
        }
        (self.i > start).then_some(start..self.i)
    }

    /// An object: `member` is called with each key and must consume the value.
    fn object(&mut self, mut member: impl FnMut(&str, &mut Self) -> Option<()>) -> Option<()> {
        self.eat(b'{')?;
        if self.eat(b'}').is_some() {
            return Some(());
        }
        loop {
            let key = self.string()?;
            self.eat(b':')?;
            member(&key, self)?;
            if self.eat(b',').is_none() {
                return self.eat(b'}');
            }
        }
    }

    /// An array: `element` is called for each element and must consume it.
    fn array(&mut self, mut element: impl FnMut(&mut Self) -> Option<()>) -> Option<()> {
        self.eat(b'[')?;
        if self.eat(b']').is_some() {
            return Some(());
        }
        loop {
            element(self)?;
            if self.eat(b',').is_none() {
                return self.eat(b']');
            }
        }
    }

    /// A relation: its name and byte range.
    fn relation(&mut self) -> Option<(String, Range<usize>)> {
        self.ws();
        let start = self.i;
        let mut name = None;
        self.object(|key, s| {
            if key == "name" {
                name = Some(s.string()?);
            } else {
                s.value()?;
            }
            Some(())
        })?;
        Some((name?, start..self.i))
    }

    /// A schema: relations located, every other member parsed into the skeleton (so fields
    /// added to `Schema` later are read without changes here).
    fn schema(&mut self) -> Option<Indexed> {
        let mut rest = String::from("{");
        let (mut tables, mut views) = (Vec::new(), Vec::new());
        self.object(|key, s| {
            match key {
                "tables" => s.array(|s| {
                    tables.push(s.relation()?);
                    Some(())
                })?,
                "views" => s.array(|s| {
                    views.push(s.relation()?);
                    Some(())
                })?,
                _ => {
                    let value = s.value()?;
                    if rest.len() > 1 {
                        rest.push(',');
                    }
                    rest.push_str(&serde_json::to_string(key).ok()?);
                    rest.push(':');
                    rest.push_str(std::str::from_utf8(&s.b[value]).ok()?);
                }
            }
            Some(())
        })?;
        rest.push('}');
        let skeleton: Schema = serde_json::from_str(&rest).ok()?;
        Some(Indexed { skeleton, skeleton_json: rest, tables, views })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIXTURE: &str = include_str!("../../../schema-derive/tests/fixtures/snapshot.json");

    /// Every lookup the checker makes gives the same relation on the subset as on the whole.
    #[test]
    fn subsets_resolve_like_the_whole_snapshot() {
        let whole = Snapshot::from_json(FIXTURE, "fixture").unwrap();
        let lazy = Lazy::scan(FIXTURE.to_owned()).expect("the fixture scans");
        for wanted in ["users", "public.users", "audit.events", "events", "active_users", "archive.audit_log", "measurements"] {
            let subset = lazy.subset(wanted).unwrap_or_else(|| panic!("{wanted}"));
            let (a, b) = (whole.relation(wanted).unwrap(), subset.relation(wanted).unwrap());
            assert_eq!((a.0.name.as_str(), a.1.name(), a.1.columns()), (b.0.name.as_str(), b.1.name(), b.1.columns()), "{wanted}");
            assert_eq!(a.0.enums, b.0.enums);
            assert_eq!(a.0.domains, b.0.domains);
        }
        // Ambiguous or unknown: no subset resolves them, so the caller uses the whole snapshot.
        let ambiguous = lazy.subset("audit_log").unwrap();
        assert!(ambiguous.relation("audit_log").is_none() && whole.relation("audit_log").is_none());
        assert!(lazy.subset("nosuch").is_none() && lazy.subset("events_2024").is_none());
    }

    /// An index reproduces the scan; an index of other content never yields a wrong relation.
    #[test]
    fn an_index_stands_in_for_the_scan_and_never_misleads() {
        let scanned = Lazy::scan(FIXTURE.to_owned()).expect("the fixture scans");
        let index = scanned.index("1-2.3");
        let json = serde_json::to_string(&index).unwrap();
        let back: Index = serde_json::from_str(&json).unwrap();
        assert_eq!(back, index);
        let indexed = Lazy::from_index(FIXTURE.to_owned(), &back).expect("the index fits");
        for wanted in ["users", "public.users", "audit.events", "active_users", "measurements"] {
            let (a, b) = (scanned.resolving(wanted).unwrap(), indexed.resolving(wanted).unwrap());
            assert_eq!(a, b, "{wanted}");
        }
        // The same index over edited text: a range outside it is refused at once; shifted
        // ranges give no subset (so the caller parses the whole file), never another relation.
        assert!(Lazy::from_index(FIXTURE[..100].to_owned(), &index).is_err());
        let shifted = FIXTURE.replacen("\"users\"", "\"users_renamed_to_shift_offsets\"", 1);
        let lazy = Lazy::from_index(shifted, &index).expect("the ranges still lie inside the longer text");
        let mut refused = 0;
        for wanted in ["users", "audit.events", "measurements", "active_users"] {
            match lazy.subset(wanted) {
                Some(subset) => {
                    let (_, rel) = subset.relation(wanted).expect("a subset resolves what it was asked for");
                    assert!(wanted.ends_with(rel.name()), "{wanted} gave {}", rel.name());
                }
                None => refused += 1,
            }
        }
        assert!(refused > 0, "shifted ranges must be noticed");
    }

    #[test]
    fn gives_up_on_anything_unexpected() {
        assert!(Lazy::scan(FIXTURE.replacen("\"format_version\": 1", "\"format_version\": 99", 1)).is_err());
        assert!(Lazy::scan(FIXTURE.replacen("\"schemas\"", "\"schemaz\"", 1)).is_err());
        assert!(Lazy::scan(FIXTURE[..FIXTURE.len() / 2].to_owned()).is_err());
        assert!(Lazy::scan("[]".to_owned()).is_err());
        assert!(Lazy::scan(format!("{FIXTURE} x")).is_err());
        let escaped = r#"{"format_version": 1, "schemas": [{"name": "p\u0075b", "tables": [{"name": "a\"b", "columns": []}]}]}"#;
        let lazy = Lazy::scan(escaped.to_owned()).unwrap();
        assert_eq!(lazy.subset("pub.a\"b").unwrap().relation("pub.a\"b").unwrap().1.name(), "a\"b");
    }
}

/// Times the lazy scan plus 500 subsets against the full parse, in this (unoptimized) build:
/// `PGCANON_BENCH_SNAPSHOT=path cargo test -p schema-derive --lib lazy_vs_full -- --ignored --nocapture`.
#[cfg(test)]
#[test]
#[ignore = "needs PGCANON_BENCH_SNAPSHOT (the benchmark's 2,000-table snapshot)"]
fn lazy_vs_full() {
    let path = std::env::var("PGCANON_BENCH_SNAPSHOT").expect("PGCANON_BENCH_SNAPSHOT");
    let text = std::fs::read_to_string(&path).unwrap();
    let t0 = std::time::Instant::now();
    let full = Snapshot::from_json(&text, &path).unwrap();
    let t_full = t0.elapsed();
    let t0 = std::time::Instant::now();
    let lazy = Lazy::scan(text).expect("scans");
    let t_scan = t0.elapsed();
    let names: Vec<String> = full.schemas[0].tables.iter().take(500).map(|t| t.name.clone()).collect();
    let t0 = std::time::Instant::now();
    for name in &names {
        assert!(lazy.resolving(name).is_some());
    }
    let t_subsets = t0.elapsed();
    eprintln!("full parse {t_full:?}; lazy scan {t_scan:?} + 500 subsets {t_subsets:?}");
}
