//! Two snapshots → an ordered, idempotent plan of DDL steps that turns the first into the second.
//!
//! The plan is driven by the [`diff`](crate::diff): every change it reports either becomes steps
//! (each carrying the change's kind and severity, so there is one taxonomy) or a [`Refusal`]
//! with the reason and the flag that would allow it. Destructive changes need
//! `--allow destructive`, breaking ones `--allow breaking` (or the kind's code); cosmetic and
//! additive ones always go through. Nothing is ever dropped with `CASCADE`.
//!
//! Steps run in two phases: phase 1 is one transaction (every statement guarded, so the script
//! can run twice); phase 2 holds what cannot run in a transaction (`CREATE INDEX CONCURRENTLY`
//! on existing tables, enum labels that later statements use), one statement at a time.
//! [`script`] renders the plan as one SQL file.

use std::collections::{BTreeMap, BTreeSet};

use schema_core::snapshot::Schema;
use schema_core::Snapshot;

use crate::diff::{diff, Change, ChangeKind, Severity};

mod guards;
mod objects;
mod rename;
pub mod script;
mod table_sql;
mod tables;
mod views;

pub use rename::Rename;

/// The schema holding the run log (`pgcanon.schema_changes`); never part of a plan.
pub const LOG_SCHEMA: &str = "pgcanon";

/// Where a step runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Phase {
    /// Inside the single phase-1 transaction.
    One,
    /// After it, one statement at a time, outside any transaction.
    Two,
}

/// What a step may do to a live database beyond the change itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Hazard {
    /// Rewrites the whole table under an `ACCESS EXCLUSIVE` lock.
    TableRewrite,
    /// Scans the table under a lock that blocks writes (e.g. `SET NOT NULL`, a unique key).
    TableScan,
    /// Builds an index (concurrently in phase 2: slow, but does not block writes).
    IndexBuild,
    /// Fails when existing rows do not satisfy it (a unique index, a validation, `NOT NULL`).
    MayFailOnData,
    /// Deletes stored data (a table, a column, a partition, a sequence).
    DeletesData,
    /// Drops and recreates a dependent view (its privileges and comment are restored).
    RecreatesView,
}

impl Hazard {
    /// The stable code, e.g. `table-rewrite`.
    pub fn code(self) -> &'static str {
        match self {
            Hazard::TableRewrite => "table-rewrite",
            Hazard::TableScan => "table-scan",
            Hazard::IndexBuild => "index-build",
            Hazard::MayFailOnData => "may-fail-on-data",
            Hazard::DeletesData => "deletes-data",
            Hazard::RecreatesView => "recreates-view",
        }
    }
}

/// One statement of the plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// The change it serves (none for a rename hint).
    pub kind: Option<ChangeKind>,
    /// The dotted path of the changed object.
    pub path: String,
    /// Phase 1 or 2.
    pub phase: Phase,
    /// Position in the dependency order (see the `rank` constants).
    pub rank: u16,
    /// Order within the rank (a new column's ordinal), else 0.
    pub seq: u32,
    /// One SQL statement (possibly a `DO` block), without the trailing `;`.
    pub sql: String,
    /// The relation the step creates or alters, schema-qualified and quoted, when any.
    pub relation: Option<String>,
}

/// A change the plan does not carry out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// The change.
    pub change: Change,
    /// Why it was refused.
    pub reason: String,
    /// The flag that would allow it, when a flag can.
    pub flag: Option<String>,
}

/// A change the plan carries out, with the hazards of its steps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planned {
    /// The change.
    pub change: Change,
    /// The hazards of its steps, sorted.
    pub hazards: Vec<Hazard>,
}

/// Which non-additive changes may be planned (`--allow`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Allow {
    /// `destructive`: changes that may lose stored data.
    pub destructive: bool,
    /// `breaking`: changes that may break application code.
    pub breaking: bool,
    /// Individual change-kind codes, e.g. `column-type-changed`.
    pub kinds: BTreeSet<String>,
}

impl Allow {
    /// Parses `--allow` values: `destructive`, `breaking` or change-kind codes.
    pub fn parse<'a>(values: impl IntoIterator<Item = &'a str>) -> crate::Result<Allow> {
        let mut allow = Allow::default();
        for v in values.into_iter().flat_map(|v| v.split(',')).map(str::trim).filter(|v| !v.is_empty()) {
            match v {
                "destructive" => allow.destructive = true,
                "breaking" => allow.breaking = true,
                code if ChangeKind::ALL.iter().any(|k| k.code() == code) => {
                    allow.kinds.insert(code.to_owned());
                }
                other => {
                    return Err(crate::Error::Config(format!(
                        "unknown `--allow` value `{other}`; use `destructive`, `breaking` or a change kind such as `column-type-changed`"
                    )))
                }
            }
        }
        Ok(allow)
    }

    /// Whether `change` may be planned, else the flag that would allow it.
    fn permits(&self, change: &Change) -> Result<(), String> {
        if self.kinds.contains(change.kind.code()) {
            return Ok(());
        }
        match change.severity {
            Severity::Destructive if !self.destructive => Err("--allow destructive".to_owned()),
            Severity::Breaking if !self.breaking && !self.destructive => Err("--allow breaking".to_owned()),
            _ => Ok(()),
        }
    }
}

/// Options of [`plan`].
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// What may be planned beyond additive and cosmetic changes.
    pub allow: Allow,
    /// Explicit rename hints (renames are never guessed).
    pub renames: Vec<Rename>,
}

/// The plan: what will be done, what was refused, and the steps in execution order.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// Planned changes, in diff order.
    pub planned: Vec<Planned>,
    /// Refused changes, in diff order.
    pub refused: Vec<Refusal>,
    /// The steps, phase 1 first, each phase in dependency order.
    pub steps: Vec<Step>,
}

impl Plan {
    /// True when there is nothing to do and nothing was refused.
    pub fn is_empty(&self) -> bool {
        self.steps.is_empty() && self.refused.is_empty()
    }
}

/// Dependency-order ranks: creations from schemas to comments, then removals in reverse.
pub(crate) mod rank {
    pub const RENAME: u16 = 5;
    pub const DROP_VIEW: u16 = 10;
    pub const DROP_TRIGGER: u16 = 11;
    pub const DROP_POLICY: u16 = 12;
    pub const DROP_FK: u16 = 13;
    pub const DROP_CONSTRAINT: u16 = 14;
    pub const DROP_INDEX: u16 = 15;
    pub const SCHEMA: u16 = 20;
    pub const EXTENSION: u16 = 21;
    pub const TYPE: u16 = 22;
    pub const ENUM_LABEL: u16 = 23;
    pub const TYPE_ALTER: u16 = 24;
    pub const SEQUENCE: u16 = 25;
    pub const FUNCTION_EARLY: u16 = 26;
    pub const TABLE: u16 = 30;
    pub const PARTITION: u16 = 31;
    pub const COLUMN_ADD: u16 = 32;
    pub const COLUMN_ALTER: u16 = 33;
    pub const SEQUENCE_OWNED: u16 = 35;
    pub const KEY: u16 = 40;
    pub const CHECK: u16 = 41;
    pub const INDEX: u16 = 45;
    pub const FK: u16 = 50;
    pub const VALIDATE: u16 = 51;
    pub const FUNCTION: u16 = 55;
    pub const VIEW: u16 = 60;
    pub const VIEW_EXTRA: u16 = 69;
    pub const TRIGGER: u16 = 70;
    pub const ROW_SECURITY: u16 = 72;
    pub const POLICY: u16 = 73;
    pub const GRANT: u16 = 75;
    pub const COMMENT: u16 = 80;
    pub const DROP_COLUMN: u16 = 85;
    pub const DROP_TABLE: u16 = 86;
    pub const DROP_SEQUENCE: u16 = 87;
    pub const DROP_FUNCTION: u16 = 88;
    pub const DROP_TYPE: u16 = 89;
    pub const DROP_EXTENSION: u16 = 90;
    pub const DROP_SCHEMA: u16 = 91;
}

/// What a step builder returns for one change.
pub(crate) enum Outcome {
    /// The steps, with their hazards.
    Steps(Vec<Step>, Vec<Hazard>),
    /// Not expressible safely: the reason.
    Refuse(String),
    /// Nothing to do here: another change's steps cover it.
    Covered,
}

/// The context every step builder reads: both sides and the views being recreated.
pub(crate) struct Ctx<'a> {
    /// The current state.
    pub from: &'a Snapshot,
    /// The desired state.
    pub to: &'a Snapshot,
    /// Views (`schema`, `name`) that are dropped and created again.
    pub recreated_views: BTreeSet<(String, String)>,
}

impl<'a> Ctx<'a> {
    /// The schema `name` of the old side.
    pub fn old_schema(&self, name: &str) -> Option<&'a Schema> {
        self.from.schema(name)
    }

    /// The schema `name` of the new side.
    pub fn new_schema(&self, name: &str) -> Option<&'a Schema> {
        self.to.schema(name)
    }
}

/// A copy of `s` without the log schema.
pub fn without_log_schema(s: &Snapshot) -> Snapshot {
    let mut s = s.clone();
    s.schemas.retain(|x| x.name != LOG_SCHEMA);
    s
}

/// Plans the steps that turn `from` into `to`.
pub fn plan(from: &Snapshot, to: &Snapshot, options: &Options) -> crate::Result<Plan> {
    let mut from = without_log_schema(from);
    let to = without_log_schema(to);
    let mut steps = rename::apply(&mut from, &to, &options.renames)?;
    let changes = diff(&from, &to);
    let mut ctx = Ctx { from: &from, to: &to, recreated_views: BTreeSet::new() };
    ctx.recreated_views = views::recreated(&ctx, &changes);
    let mut plan = Plan::default();
    for change in changes {
        if let Err(flag) = options.allow.permits(&change) {
            let reason = format!("{} change", change.severity);
            plan.refused.push(Refusal { change, reason, flag: Some(flag) });
            continue;
        }
        match build(&ctx, &change) {
            Outcome::Steps(s, mut hazards) => {
                hazards.sort();
                hazards.dedup();
                steps.extend(s);
                plan.planned.push(Planned { change, hazards });
            }
            Outcome::Refuse(reason) => plan.refused.push(Refusal { change, reason, flag: None }),
            Outcome::Covered => plan.planned.push(Planned { change, hazards: Vec::new() }),
        }
    }
    steps.extend(views::recreate_steps(&ctx));
    enum_labels_first(&mut steps);
    dedup(&mut steps);
    steps.sort_by_key(|s| (s.phase, s.rank, s.seq));
    plan.steps = steps;
    Ok(plan)
}

/// Sends one change to the builder of its object kind.
fn build(ctx: &Ctx<'_>, change: &Change) -> Outcome {
    use ChangeKind as K;
    match change.kind {
        K::SchemaAdded | K::SchemaRemoved | K::SchemaCommentChanged | K::ExtensionAdded | K::ExtensionRemoved | K::ExtensionChanged => {
            objects::schema_level(ctx, change)
        }
        K::EnumAdded
        | K::EnumRemoved
        | K::EnumLabelAdded
        | K::EnumLabelRemoved
        | K::EnumLabelsReordered
        | K::EnumCommentChanged
        | K::DomainAdded
        | K::DomainRemoved
        | K::DomainTypeChanged
        | K::DomainNullabilityChanged
        | K::DomainDefaultChanged
        | K::DomainCollationChanged
        | K::DomainCheckAdded
        | K::DomainCheckRemoved
        | K::DomainCheckChanged
        | K::DomainCommentChanged
        | K::CompositeAdded
        | K::CompositeRemoved
        | K::CompositeFieldAdded
        | K::CompositeFieldRemoved
        | K::CompositeFieldTypeChanged
        | K::CompositeFieldCommentChanged
        | K::CompositeCommentChanged => objects::types(ctx, change),
        K::SequenceAdded | K::SequenceRemoved | K::SequenceChanged | K::FunctionAdded | K::FunctionRemoved | K::FunctionChanged | K::FunctionBodyChanged | K::FunctionCommentChanged => {
            objects::routines(ctx, change)
        }
        K::GrantAdded | K::GrantRemoved | K::GrantChanged => objects::grant(ctx, change),
        K::ViewAdded | K::ViewRemoved | K::ViewKindChanged | K::ViewDefinitionChanged | K::ViewColumnsChanged | K::ViewCommentChanged => views::view(ctx, change),
        K::RangeAdded | K::RangeRemoved | K::RangeChanged | K::CollationAdded | K::CollationRemoved | K::CollationChanged => {
            Outcome::Refuse(format!("reconcile does not write {} statements yet; change it by hand", change.kind.noun()))
        }
        _ if views::is_view(ctx, &change.schema, &change.object) => views::view(ctx, change),
        _ => tables::table(ctx, change),
    }
}

/// Moves the steps that use an enum label added to an existing enum into phase 2, after the
/// label (a label added in a transaction cannot be used before it commits). Steps on the same
/// relation as a moved step follow it.
fn enum_labels_first(steps: &mut [Step]) {
    let labels: Vec<(String, usize)> =
        steps.iter().enumerate().filter(|(_, s)| s.kind == Some(ChangeKind::EnumLabelAdded)).filter_map(|(i, s)| guards::label_use(&s.sql).map(|u| (u, i))).collect();
    if labels.is_empty() {
        return;
    }
    let mut moved_relations = BTreeSet::new();
    let mut moved = BTreeSet::new();
    for (i, s) in steps.iter().enumerate() {
        if s.kind != Some(ChangeKind::EnumLabelAdded) && labels.iter().any(|(u, _)| s.sql.contains(u.as_str())) {
            moved.insert(i);
            if let Some(r) = &s.relation {
                moved_relations.insert(r.clone());
            }
        }
    }
    if moved.is_empty() {
        return;
    }
    for (_, i) in &labels {
        moved.insert(*i);
    }
    for (i, s) in steps.iter_mut().enumerate() {
        let follows = s.relation.as_ref().is_some_and(|r| moved_relations.contains(r)) && s.rank >= rank::TABLE;
        if moved.contains(&i) || follows {
            s.phase = Phase::Two;
        }
    }
}

/// Drops exact duplicate statements (two changes may need the same guarded step), keeping the
/// first.
fn dedup(steps: &mut Vec<Step>) {
    let mut seen: BTreeMap<(Phase, String), ()> = BTreeMap::new();
    steps.retain(|s| seen.insert((s.phase, s.sql.clone()), ()).is_none());
}

/// A phase-1 step.
pub(crate) fn step(change: &Change, rank: u16, sql: String) -> Step {
    Step { kind: Some(change.kind), path: change.path.clone(), phase: Phase::One, rank, seq: 0, sql, relation: None }
}

/// A phase-1 step that creates or alters `relation`.
pub(crate) fn rel_step(change: &Change, rank: u16, relation: &str, sql: String) -> Step {
    Step { relation: Some(relation.to_owned()), ..step(change, rank, sql) }
}
