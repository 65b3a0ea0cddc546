//! Sequences, functions, extensions, range types and collations.

use schema_core::snapshot::{Extension, Function, Schema, Volatility};

use super::access::privileges;
use super::escape::{code, fenced, text};
use super::Ctx;

/// The sequences of a schema, as one table.
pub fn sequences(ctx: &Ctx<'_>, schema: &Schema, out: &mut String) {
    if schema.sequences.is_empty() {
        return;
    }
    out.push_str(&ctx.anchors.tag("sequences", &schema.name, ""));
    out.push_str(&format!("### Sequences of {}\n\n", code(&schema.name)));
    out.push_str("| Sequence | Type | Start | Increment | Range | Owned by | Comment |\n|---|---|---|---|---|---|---|\n");
    for q in &schema.sequences {
        out.push_str(&format!(
            "| {} | {} | {} | {} | {}–{}{}{} | {} | {} |\n",
            code(&q.name),
            code(&q.data_type),
            q.start,
            q.increment,
            q.min,
            q.max,
            if q.cycle { ", cycles" } else { "" },
            if q.cache != 1 { format!(", cache {}", q.cache) } else { String::new() },
            q.owned_by.as_deref().map(code).unwrap_or_default(),
            q.comment.as_deref().map(text).unwrap_or_default(),
        ));
    }
    out.push('\n');
    for q in schema.sequences.iter().filter(|q| !q.grants.is_empty()) {
        out.push_str(&format!("Sequence {}:\n\n", code(&q.name)));
        privileges(&q.grants, "sequence", &[], out);
    }
}

/// `Function`, `Procedure`, ...: the kind as a heading word.
fn kind(f: &Function) -> String {
    let noun = f.kind.noun();
    noun[..1].to_uppercase() + &noun[1..]
}

/// `name(arguments) → result`, the signature line of a routine.
pub fn signature(f: &Function) -> String {
    match &f.result {
        Some(r) => format!("{}({}) → {r}", f.name, f.arguments),
        None => format!("{}({})", f.name, f.arguments),
    }
}

/// One section per function, procedure or aggregate.
pub fn functions(ctx: &Ctx<'_>, schema: &Schema, out: &mut String) {
    for f in &schema.functions {
        out.push_str(&ctx.anchors.tag("function", &schema.name, &format!("{}({})", f.name, f.arguments)));
        out.push_str(&format!("### {} {}\n\n", kind(f), code(&format!("{}.{}", schema.name, signature(f)))));
        if let Some(c) = &f.comment {
            out.push_str(&format!("{}\n\n", text(c)));
        }
        let mut traits = vec![format!("language {}", code(&f.language))];
        match f.volatility {
            Volatility::Immutable => traits.push("immutable".into()),
            Volatility::Stable => traits.push("stable".into()),
            Volatility::Volatile => {}
        }
        if f.strict {
            traits.push("strict (NULL in, NULL out)".into());
        }
        if f.security_definer {
            traits.push("**security definer** (runs with its owner's rights)".into());
        }
        if let Some(a) = &f.aggregate {
            traits.push(format!("built from {}", code(&a.options_sql())));
        }
        out.push_str(&format!("- {}\n\n", traits.join(", ")));
        privileges(&f.grants, f.kind.noun(), &[], out);
        if let Some(body) = &f.body {
            out.push_str(&fenced(if f.language == "sql" { "sql" } else { "" }, body.trim()));
            out.push('\n');
        }
    }
}

/// The extensions installed in the database.
pub fn extensions(extensions: &[Extension], out: &mut String) {
    if extensions.is_empty() {
        return;
    }
    out.push_str("## Extensions\n\n| Extension | Version | Schema |\n|---|---|---|\n");
    for e in extensions {
        out.push_str(&format!("| {} | {} | {} |\n", code(&e.name), code(&e.version), code(&e.schema)));
    }
    out.push('\n');
}

/// Range types and collations of a schema, one short list each.
pub fn ranges_and_collations(schema: &Schema, out: &mut String) {
    if !schema.ranges.is_empty() {
        out.push_str(&format!("### Range types of {}\n\n", code(&schema.name)));
        for r in &schema.ranges {
            let multi = r.multirange.as_deref().map(|m| format!(", multirange {}", code(m))).unwrap_or_default();
            let comment = r.comment.as_deref().map(|c| format!(": {}", text(c))).unwrap_or_default();
            out.push_str(&format!("- {} of {}{multi}{comment}\n", code(&r.name), code(&r.subtype)));
        }
        out.push('\n');
    }
    if !schema.collations.is_empty() {
        out.push_str(&format!("### Collations of {}\n\n| Collation | Provider | Locale | Ctype | Deterministic |\n|---|---|---|---|---|\n", code(&schema.name)));
        for c in &schema.collations {
            out.push_str(&format!(
                "| {} | {} | {} | {} | {} |\n",
                code(&c.name),
                c.provider,
                c.locale.as_deref().map(code).unwrap_or_default(),
                c.ctype.as_deref().map(code).unwrap_or_default(),
                if c.nondeterministic { "no" } else { "yes" }
            ));
        }
        out.push('\n');
    }
}
