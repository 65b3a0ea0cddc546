//! `schema-gen docs`: render the Markdown schema docs from a snapshot.

use std::path::PathBuf;
use std::process::ExitCode;

use schema_gen::docs::{render, write_docs, DocsOptions};
use schema_gen::Snapshot;

use super::EXIT_OK;

/// Rendering flags shared by `docs` and `check` (which must re-render exactly the same way).
#[derive(clap::Args, Debug, Clone)]
pub struct DocsFlags {
    /// The document's top-level heading.
    #[arg(long, default_value = "Database schema")]
    pub title: String,
    /// Omit the Mermaid ER diagrams.
    #[arg(long)]
    pub no_diagrams: bool,
    /// Omit the example query of each table.
    #[arg(long)]
    pub no_examples: bool,
}

impl DocsFlags {
    /// The library options these flags select.
    pub fn options(&self) -> DocsOptions {
        DocsOptions { title: self.title.clone(), diagrams: !self.no_diagrams, example_queries: !self.no_examples, ..DocsOptions::default() }
    }

    /// The flags again, as they must be passed to `schema-gen docs` to reproduce the options
    /// (empty for the defaults), for fix commands.
    pub fn to_command_line(&self) -> String {
        let mut s = String::new();
        if self.title != "Database schema" {
            s.push_str(&format!(" --title '{}'", self.title.replace('\'', "'\\''")));
        }
        if self.no_diagrams {
            s.push_str(" --no-diagrams");
        }
        if self.no_examples {
            s.push_str(" --no-examples");
        }
        s
    }
}

/// Arguments of `schema-gen docs`.
#[derive(clap::Args)]
#[command(after_help = "Examples:\n  schema-gen docs --snapshot schema/snapshot.json --out schema/SCHEMA.md\n  schema-gen docs --snapshot schema/snapshot.json --no-diagrams > SCHEMA.md")]
pub struct Args {
    /// The snapshot file to document.
    #[arg(long, default_value = "schema/snapshot.json")]
    pub snapshot: PathBuf,
    /// Where to write the Markdown (only when its content changes); stdout when omitted or `-`.
    #[arg(long)]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub flags: DocsFlags,
}

/// Runs `schema-gen docs`.
pub fn run(args: Args) -> schema_gen::Result<ExitCode> {
    let snapshot = Snapshot::load(&args.snapshot)?;
    let options = args.flags.options();
    match args.out.as_deref().filter(|o| !super::is_stdout(o)) {
        Some(out) => {
            let written = write_docs(&snapshot, out, &options)?;
            super::note(&format!("{} {}", if written { "wrote" } else { "unchanged:" }, out.display()));
        }
        None => super::emit(&render(&snapshot, &options))?,
    }
    Ok(ExitCode::from(EXIT_OK))
}
