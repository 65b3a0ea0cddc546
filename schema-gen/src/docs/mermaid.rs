//! Mermaid `erDiagram`s, one or more per schema.
//!
//! Legibility rules: a schema with more than `diagram_full_columns_max` tables shows only key
//! columns (primary and foreign keys), and more than `diagram_tables_max` tables are split into
//! several diagrams in name order, because one diagram with hundreds of boxes renders as noise
//! (and past Mermaid's default 50,000-character limit, not at all).

use std::collections::{BTreeMap, BTreeSet};

use schema_core::snapshot::{Schema, Table};

use super::escape::{mermaid_label, mermaid_token, mermaid_type};
use super::Ctx;

/// Renders the diagram(s) of `schema` into `out`.
pub fn render(ctx: &Ctx<'_>, schema: &Schema, out: &mut String) {
    let opts = ctx.options;
    let keys_only = schema.tables.len() > opts.diagram_full_columns_max;
    let per = opts.diagram_tables_max.max(1);
    let chunks: Vec<&[Table]> = schema.tables.chunks(per).collect();
    let tokens = entity_tokens(&schema.tables);
    out.push_str("### Diagram\n\n");
    if keys_only {
        out.push_str(&format!(
            "_{} tables: diagrams show key columns only{}._\n\n",
            schema.tables.len(),
            if chunks.len() > 1 { format!(", {per} tables per diagram; see each table for relationships across diagrams") } else { String::new() }
        ));
    }
    for (i, chunk) in chunks.iter().enumerate() {
        if chunks.len() > 1 {
            let first = &chunk[0].name;
            let last = &chunk[chunk.len() - 1].name;
            out.push_str(&format!("Part {} of {}: {} … {}\n\n", i + 1, chunks.len(), super::escape::code(first), super::escape::code(last)));
        }
        diagram(schema, chunk, &tokens, keys_only, out);
    }
}

/// Unique Mermaid tokens per table name: sanitizing can map two names to one token
/// (`order items`, `order_items`), so later ones (in name order) get a numeric suffix.
fn entity_tokens(tables: &[Table]) -> BTreeMap<&str, String> {
    let mut used = BTreeSet::new();
    let mut map = BTreeMap::new();
    for t in tables {
        let base = mermaid_token(&t.name);
        let mut tok = base.clone();
        let mut n = 2;
        while !used.insert(tok.clone()) {
            tok = format!("{base}_{n}");
            n += 1;
        }
        map.insert(t.name.as_str(), tok);
    }
    map
}

fn diagram(schema: &Schema, tables: &[Table], tokens: &BTreeMap<&str, String>, keys_only: bool, out: &mut String) {
    let in_chunk: BTreeSet<&str> = tables.iter().map(|t| t.name.as_str()).collect();
    out.push_str("```mermaid\nerDiagram\n");
    for t in tables {
        let tok = &tokens[t.name.as_str()];
        // An alias shows the real name when the token had to be sanitized.
        let head = if *tok == t.name { tok.clone() } else { format!("{tok}[\"{}\"]", mermaid_label(&t.name)) };
        let pk: BTreeSet<&str> = t.primary_key.iter().flat_map(|p| p.columns.iter().map(String::as_str)).collect();
        let fk: BTreeSet<&str> = t.foreign_keys.iter().flat_map(|f| f.columns.iter().map(String::as_str)).collect();
        let uk: BTreeSet<&str> = t.uniques.iter().filter(|u| u.columns.len() == 1).map(|u| u.columns[0].as_str()).collect();
        let cols: Vec<_> = t.columns.iter().filter(|c| !keys_only || pk.contains(c.name.as_str()) || fk.contains(c.name.as_str())).collect();
        if cols.is_empty() {
            out.push_str(&format!("    {head} {{\n    }}\n"));
            continue;
        }
        out.push_str(&format!("    {head} {{\n"));
        for c in cols {
            let mut keys = Vec::new();
            if pk.contains(c.name.as_str()) {
                keys.push("PK");
            }
            if fk.contains(c.name.as_str()) {
                keys.push("FK");
            }
            if uk.contains(c.name.as_str()) {
                keys.push("UK");
            }
            let keys = if keys.is_empty() { String::new() } else { format!(" {}", keys.join(", ")) };
            // Mermaid needs a token for the name; the real name goes in the comment when they differ.
            let name_tok = mermaid_token(&c.name);
            let note = if name_tok != c.name { format!(" \"{}\"", mermaid_label(&c.name)) } else { String::new() };
            out.push_str(&format!("        {} {name_tok}{keys}{note}\n", mermaid_type(&c.sql_type)));
        }
        out.push_str("    }\n");
    }
    for t in tables {
        for fk in &t.foreign_keys {
            if fk.references.schema != schema.name || !in_chunk.contains(fk.references.name.as_str()) {
                continue;
            }
            let optional = fk.columns.iter().any(|c| t.columns.iter().any(|col| &col.name == c && col.nullable));
            let parent_card = if optional { "o|" } else { "||" };
            out.push_str(&format!(
                "    {} }}o--{parent_card} {} : \"{}\"\n",
                tokens[t.name.as_str()],
                tokens[fk.references.name.as_str()],
                mermaid_label(&fk.name)
            ));
        }
    }
    out.push_str("```\n\n");
}
