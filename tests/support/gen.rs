//! Shared proptest generators for the model tests.
//!
//! * [`project_spec`] + [`build_project`]: random *valid* projects, built only through
//!   [`Command`]s (every command must succeed), with hostile names and text, every logical
//!   type, constraints, indexes, foreign keys (self references and cycles included), enums,
//!   views, notes, areas and settings.
//! * [`cmd_specs`] + [`materialize`]: random edit sequences. A [`CmdSpec`] is abstract (it
//!   selects targets by position); [`materialize`] turns it into a concrete [`Command`]
//!   against the project as it is at that moment. The command may be invalid: applying it
//!   must then return `Err` and leave the project unchanged.
//! * [`check_invariants`]: what every reachable project should satisfy (ids unique, every
//!   reference resolves).
//!
//! Included by several test crates with `#[path = "support/gen.rs"] mod strategies;` (`gen` is a
//! reserved keyword in edition 2024).
#![allow(dead_code)]

use crowfoot::model::command::{remove_column, remove_table};
use crowfoot::model::*;
use proptest::collection::{btree_map, btree_set, vec};
use proptest::prelude::*;
use proptest::sample::Index as Sel;
use std::collections::{BTreeMap, BTreeSet};

// ---------------------------------------------------------------------------------------
// Strings and numbers
// ---------------------------------------------------------------------------------------

/// Fragments that are hard on serializers and SQL quoting.
const NASTY: &[&str] = &[
    "\"",
    "\\",
    "\"#",
    "\"##",
    "r#\"",
    "#",
    "'",
    "''",
    "`",
    "[",
    "]",
    "(",
    ")",
    ",",
    ":",
    "--",
    "/*",
    "*/",
    ";",
    " ",
    "\n",
    "\r\n",
    "\t",
    "\u{0}",
    "\u{7f}",
    "\u{feff}",
    "\u{200d}",
    "\u{202e}",
    "é",
    "ß",
    "日本語",
    "🦀",
    "👩‍👩‍👧",
    "None",
    "Some(",
    "true",
    "inf",
    "NaN",
    "0x1f",
    "\\n",
    "\\u{41}",
    "select",
    "\"quoted\"",
];

fn nasty() -> BoxedStrategy<String> {
    vec(proptest::sample::select(NASTY), 1..5)
        .prop_map(|v| v.concat())
        .boxed()
}

/// A name: usually a plain identifier, sometimes unicode, spaces, quotes, empty or very long.
pub fn name() -> BoxedStrategy<String> {
    prop_oneof![
        8 => "[a-z_][a-z0-9_]{0,12}",
        2 => "[A-Za-z][A-Za-z0-9 ]{0,10}",
        2 => "\\PC{1,10}",
        2 => nasty(),
        1 => Just(String::new()),
        1 => "[a-z]{100,300}",
    ]
    .boxed()
}

/// Free text (comments, SQL, notes): may hold any character, newlines included.
pub fn text() -> BoxedStrategy<String> {
    prop_oneof![
        4 => "[a-z0-9_ ()<>=']{0,30}",
        2 => "(?s).{0,40}",
        2 => any::<String>(),
        2 => nasty(),
        1 => Just(String::new()),
        1 => "[ -~\n]{300,800}",
    ]
    .boxed()
}

/// A native type name the model accepts (issue 13: a type grammar, no statement breakout).
pub fn sql_type_name() -> BoxedStrategy<String> {
    prop_oneof![
        4 => "[a-z_][a-z0-9_]{0,12}",
        2 => "[a-z]{1,8} [a-z]{1,8}",
        1 => "[a-z]{1,8}\\([0-9]{1,3}\\)",
        1 => Just("geometry(Point,4326)".to_string()),
        1 => Just("\"char\"".to_string()),
        1 => Just("enum('a','it''s')".to_string()),
        1 => "[a-z]{1,8}\\[\\]",
    ]
    .boxed()
}

/// SQL text the model holds as one expression: plain words and operators, well-formed
/// calls, and any text at all inside a string literal.
pub fn sql_expr() -> BoxedStrategy<String> {
    prop_oneof![
        4 => "[a-z0-9_ <>=]{0,30}",
        3 => text().prop_map(|s| format!("'{}'", s.replace('\\', "\\\\").replace('\'', "''"))),
        1 => Just("lower(email)".to_string()),
        1 => Just("(a > 0) AND (b < 'x;y')".to_string()),
    ]
    .boxed()
}

/// A finite f32 (any magnitude, subnormals and zeros included).
pub fn coord() -> BoxedStrategy<f32> {
    use proptest::num::f32 as f;
    prop_oneof![
        4 => (-5000i32..5000).prop_map(|v| v as f32 * 0.5),
        2 => -1.0e6f32..1.0e6f32,
        1 => f::POSITIVE | f::NEGATIVE | f::NORMAL | f::SUBNORMAL | f::ZERO,
        1 => Just(-0.0f32),
    ]
    .boxed()
}

pub fn position() -> BoxedStrategy<Position> {
    (coord(), coord())
        .prop_map(|(x, y)| Position { x, y })
        .boxed()
}

// ---------------------------------------------------------------------------------------
// Types and columns
// ---------------------------------------------------------------------------------------

/// `Enum(EnumId(k))` in a generated type is a placeholder: selector `k` picks one of the
/// project's enums when the type is resolved ([`resolve_type`]).
pub fn logical_type() -> BoxedStrategy<LogicalType> {
    use LogicalType as T;
    let leaf = prop_oneof![
        1 => Just(T::TinyInt),
        1 => Just(T::SmallInt),
        1 => Just(T::Integer),
        1 => Just(T::BigInt),
        1 => (
            proptest::option::of(0u32..60),
            proptest::option::of(0u32..30)
        )
            .prop_map(|(p, s)| T::Decimal(p, s)),
        1 => Just(T::Decimal(None, None)),
        1 => Just(T::Real),
        1 => Just(T::Double),
        1 => Just(T::Boolean),
        1 => Just(T::Text),
        1 => proptest::option::of(0u32..100_000).prop_map(T::Varchar),
        1 => (0u32..300).prop_map(T::Char),
        1 => Just(T::Bytes),
        1 => Just(T::Date),
        1 => Just(T::Time),
        1 => Just(T::Timestamp),
        1 => Just(T::TimestampTz),
        1 => Just(T::Interval),
        1 => Just(T::Uuid),
        1 => Just(T::Json),
        3 => (0u64..8).prop_map(|k| T::Enum(EnumId(k))),
        1 => sql_type_name().prop_map(T::Native),
    ];
    leaf.prop_recursive(3, 6, 1, |inner| inner.prop_map(|t| T::Array(Box::new(t))))
        .boxed()
}

/// Resolve enum placeholders against the project's enums (plain `Text` when it has none).
/// With `bogus`, placeholders become ids that exist nowhere.
pub fn resolve_type(ty: &LogicalType, enums: &[EnumId], bogus: bool) -> LogicalType {
    match ty {
        LogicalType::Enum(EnumId(k)) if bogus => LogicalType::Enum(EnumId(9_000_000 + k)),
        LogicalType::Enum(EnumId(k)) => match enums.len() {
            0 => LogicalType::Text,
            n => LogicalType::Enum(enums[*k as usize % n]),
        },
        LogicalType::Array(inner) => {
            LogicalType::Array(Box::new(resolve_type(inner, enums, bogus)))
        }
        other => other.clone(),
    }
}

fn dialect() -> impl Strategy<Value = Dialect> {
    proptest::sample::select(Dialect::ALL.to_vec())
}

#[derive(Clone, Debug)]
pub struct ColSpec {
    pub name: String,
    pub ty: LogicalType,
    pub nullable: bool,
    pub default: Option<String>,
    pub identity: Option<Identity>,
    pub generated: Option<Generated>,
    pub comment: Option<String>,
    pub tags: BTreeSet<String>,
    pub type_overrides: BTreeMap<Dialect, String>,
}

pub fn col_spec() -> BoxedStrategy<ColSpec> {
    (
        name(),
        logical_type(),
        any::<bool>(),
        proptest::option::weighted(0.3, sql_expr()),
        proptest::option::weighted(
            0.2,
            prop_oneof![Just(Identity::Always), Just(Identity::ByDefault)],
        ),
        proptest::option::weighted(
            0.15,
            (sql_expr(), any::<bool>()).prop_map(|(expr, stored)| Generated { expr, stored }),
        ),
        proptest::option::weighted(0.3, text()),
        btree_set(name(), 0..3),
        btree_map(dialect(), sql_type_name(), 0..3),
    )
        .prop_map(
            |(name, ty, nullable, default, identity, generated, comment, tags, type_overrides)| {
                ColSpec {
                    name,
                    ty,
                    nullable,
                    default,
                    identity,
                    generated,
                    comment,
                    tags,
                    type_overrides,
                }
            },
        )
        .boxed()
}

impl ColSpec {
    pub fn to_column(&self, id: ColumnId, enums: &[EnumId], bogus_enum: bool) -> Column {
        Column {
            id,
            name: self.name.clone(),
            ty: resolve_type(&self.ty, enums, bogus_enum),
            type_overrides: self.type_overrides.clone(),
            nullable: self.nullable,
            default: self.default.clone(),
            identity: self.identity,
            on_update: None,
            generated: self.generated.clone(),
            comment: self.comment.clone(),
            tags: self.tags.clone(),
        }
    }
}

// ---------------------------------------------------------------------------------------
// Tables, indexes, foreign keys and the rest of a project
// ---------------------------------------------------------------------------------------

#[derive(Clone, Debug)]
pub enum PartSpec {
    Column(Sel),
    Expr(String),
}

#[derive(Clone, Debug)]
pub struct IndexSpec {
    pub name: String,
    pub unique: bool,
    pub parts: Vec<(PartSpec, Option<SortOrder>)>,
    pub where_clause: Option<String>,
    pub include: Vec<Sel>,
    pub method: Option<IndexMethod>,
}

fn sort_order() -> impl Strategy<Value = Option<SortOrder>> {
    prop_oneof![
        2 => Just(None),
        1 => Just(Some(SortOrder::Asc)),
        1 => Just(Some(SortOrder::Desc)),
    ]
}

fn index_method() -> BoxedStrategy<Option<IndexMethod>> {
    use IndexMethod as M;
    proptest::option::weighted(
        0.4,
        prop_oneof![
            Just(M::BTree),
            Just(M::Hash),
            Just(M::Gin),
            Just(M::Gist),
            Just(M::Brin),
            Just(M::SpGist),
            Just(M::FullText),
            Just(M::Spatial),
            sql_type_name().prop_map(M::Other),
        ],
    )
    .boxed()
}

/// `min_parts` 0 allows an empty (invalid) index.
pub fn index_spec(min_parts: usize) -> BoxedStrategy<IndexSpec> {
    let part = prop_oneof![
        3 => any::<Sel>().prop_map(PartSpec::Column),
        1 => sql_expr().prop_map(PartSpec::Expr),
    ];
    (
        name(),
        any::<bool>(),
        vec((part, sort_order()), min_parts..4),
        proptest::option::weighted(0.25, sql_expr()),
        vec(any::<Sel>(), 0..3),
        index_method(),
    )
        .prop_map(
            |(name, unique, parts, where_clause, include, method)| IndexSpec {
                name,
                unique,
                parts,
                where_clause,
                include,
                method,
            },
        )
        .boxed()
}

#[derive(Clone, Debug)]
pub struct TableSpec {
    pub schema: Option<String>,
    pub name: String,
    pub comment: Option<String>,
    pub columns: Vec<ColSpec>,
    /// Columns added one by one with `AddColumn` (at the given index) rather than with the table.
    pub add_columns_separately: bool,
    pub column_slots: Vec<usize>,
    pub pk: Option<(Option<String>, Vec<Sel>)>,
    pub uniques: Vec<(Option<String>, Vec<Sel>)>,
    pub checks: Vec<(Option<String>, String)>,
    pub indexes: Vec<IndexSpec>,
    pub position: Position,
}

pub fn table_spec() -> BoxedStrategy<TableSpec> {
    (
        proptest::option::weighted(0.25, name()),
        name(),
        proptest::option::weighted(0.3, text()),
        vec(col_spec(), 0..6),
        any::<bool>(),
        vec(0usize..8, 6),
        proptest::option::weighted(
            0.7,
            (
                proptest::option::weighted(0.3, name()),
                vec(any::<Sel>(), 1..3),
            ),
        ),
        vec(
            (
                proptest::option::weighted(0.5, name()),
                vec(any::<Sel>(), 1..3),
            ),
            0..3,
        ),
        vec((proptest::option::weighted(0.5, name()), sql_expr()), 0..3),
        vec(index_spec(1), 0..3),
        position(),
    )
        .prop_map(
            |(
                schema,
                name,
                comment,
                columns,
                add_columns_separately,
                column_slots,
                pk,
                uniques,
                checks,
                indexes,
                position,
            )| TableSpec {
                schema,
                name,
                comment,
                columns,
                add_columns_separately,
                column_slots,
                pk,
                uniques,
                checks,
                indexes,
                position,
            },
        )
        .boxed()
}

#[derive(Clone, Debug)]
pub struct FkSpec {
    pub name: Option<String>,
    pub from: Sel,
    pub from_columns: Vec<Sel>,
    pub to: Sel,
    pub to_columns: Vec<Sel>,
    pub on_delete: FkAction,
    pub on_update: FkAction,
    pub deferrable: Deferrable,
}

fn fk_action() -> impl Strategy<Value = FkAction> {
    proptest::sample::select(vec![
        FkAction::NoAction,
        FkAction::Restrict,
        FkAction::Cascade,
        FkAction::SetNull,
        FkAction::SetDefault,
    ])
}

pub fn fk_spec() -> BoxedStrategy<FkSpec> {
    (
        proptest::option::weighted(0.4, name()),
        any::<Sel>(),
        vec(any::<Sel>(), 1..3),
        any::<Sel>(),
        vec(any::<Sel>(), 0..3),
        fk_action(),
        fk_action(),
        proptest::sample::select(vec![
            Deferrable::NotDeferrable,
            Deferrable::InitiallyImmediate,
            Deferrable::InitiallyDeferred,
        ]),
    )
        .prop_map(
            |(name, from, from_columns, to, to_columns, on_delete, on_update, deferrable)| FkSpec {
                name,
                from,
                from_columns,
                to,
                to_columns,
                on_delete,
                on_update,
                deferrable,
            },
        )
        .boxed()
}

#[derive(Clone, Debug)]
pub struct EnumSpec {
    pub schema: Option<String>,
    pub name: String,
    pub values: Vec<String>,
    pub comment: Option<String>,
}

pub fn enum_spec() -> BoxedStrategy<EnumSpec> {
    (
        proptest::option::weighted(0.2, name()),
        name(),
        vec(name(), 0..5),
        proptest::option::weighted(0.3, text()),
    )
        .prop_map(|(schema, name, values, comment)| EnumSpec {
            schema,
            name,
            values,
            comment,
        })
        .boxed()
}

#[derive(Clone, Debug)]
pub struct ViewSpec {
    pub schema: Option<String>,
    pub name: String,
    pub sql: String,
    pub materialized: bool,
    pub depends_on: Vec<Sel>,
    pub comment: Option<String>,
}

pub fn view_spec() -> BoxedStrategy<ViewSpec> {
    (
        proptest::option::weighted(0.2, name()),
        name(),
        prop_oneof![
            Just("SELECT o.id,\n       o.total\n  FROM \"order\" AS o\n WHERE o.note <> 'it''s \"#'\n".to_string()),
            sql_expr().prop_map(|e| format!("SELECT {e}")),
        ],
        any::<bool>(),
        vec(any::<Sel>(), 0..3),
        proptest::option::weighted(0.3, text()),
    )
        .prop_map(
            |(schema, name, sql, materialized, depends_on, comment)| ViewSpec {
                schema,
                name,
                sql,
                materialized,
                depends_on,
                comment,
            },
        )
        .boxed()
}

pub fn settings() -> BoxedStrategy<Settings> {
    (
        dialect(),
        proptest::sample::select(vec![
            NamingCase::SnakeCase,
            NamingCase::CamelCase,
            NamingCase::PascalCase,
            NamingCase::AsTyped,
        ]),
        prop_oneof![Just("ix_{table}_{columns}".to_string()), name()],
        prop_oneof![Just("fk_{table}_{ref_table}".to_string()), name()],
        proptest::collection::btree_map(
            prop_oneof![
                Just("DL013".to_string()),
                Just("IX004".to_string()),
                Just("CF005".to_string())
            ],
            prop_oneof![
                Just(RuleLevel::Off),
                Just(RuleLevel::Info),
                Just(RuleLevel::Warning),
                Just(RuleLevel::Error)
            ],
            0..3,
        ),
    )
        .prop_map(
            |(target_dialect, case, index_pattern, fk_pattern, lint)| Settings {
                target_dialect,
                naming: NamingConventions {
                    case,
                    index_pattern,
                    fk_pattern,
                },
                expression_dialect: None,
                lint,
                saved_views: Vec::new(),
            },
        )
        .boxed()
}

pub fn note_spec() -> BoxedStrategy<(String, Position)> {
    (text(), position()).boxed()
}

pub fn area_spec() -> BoxedStrategy<(String, [u8; 3], Position, [f32; 2])> {
    (
        name(),
        any::<[u8; 3]>(),
        position(),
        (coord(), coord()).prop_map(|(w, h)| [w, h]),
    )
        .boxed()
}

#[derive(Clone, Debug)]
pub struct ProjectSpec {
    pub name: String,
    pub settings: Option<Settings>,
    pub enums: Vec<EnumSpec>,
    pub tables: Vec<TableSpec>,
    pub fks: Vec<FkSpec>,
    pub views: Vec<ViewSpec>,
    pub notes: Vec<(String, Position)>,
    pub areas: Vec<(String, [u8; 3], Position, [f32; 2])>,
}

/// A random valid project description; see [`build_project`].
pub fn project_spec() -> BoxedStrategy<ProjectSpec> {
    (
        name(),
        proptest::option::of(settings()),
        vec(enum_spec(), 0..3),
        vec(table_spec(), 0..7),
        vec(fk_spec(), 0..7),
        vec(view_spec(), 0..3),
        vec(note_spec(), 0..3),
        vec(area_spec(), 0..3),
    )
        .prop_map(
            |(name, settings, enums, tables, fks, views, notes, areas)| ProjectSpec {
                name,
                settings,
                enums,
                tables,
                fks,
                views,
                notes,
                areas,
            },
        )
        .boxed()
}

/// A random valid project (shorthand for [`build_project`] over [`project_spec`]).
pub fn project() -> BoxedStrategy<Project> {
    project_spec().prop_map(|s| build_project(&s)).boxed()
}

fn must(p: &mut Project, cmd: Command) {
    let label = format!("{cmd:?}");
    if let Err(e) = cmd.apply(p) {
        panic!("generator command failed: {e}\n{label}");
    }
}

fn pick<T: Copy>(items: &[T], s: &Sel) -> Option<T> {
    (!items.is_empty()).then(|| items[s.index(items.len())])
}

fn dedup<T: Ord + Copy>(v: Vec<T>) -> Vec<T> {
    let mut seen = BTreeSet::new();
    v.into_iter().filter(|x| seen.insert(*x)).collect()
}

fn enum_ids(p: &Project) -> Vec<EnumId> {
    p.enums().map(|e| e.id).collect()
}

fn table_ids(p: &Project) -> Vec<TableId> {
    p.tables().map(|t| t.id).collect()
}

fn column_ids(p: &Project, t: TableId) -> Vec<ColumnId> {
    p.table(t)
        .map(|t| t.columns.iter().map(|c| c.id).collect())
        .unwrap_or_default()
}

fn make_index(spec: &IndexSpec, id: IndexId, cols: &[ColumnId]) -> Index {
    Index {
        id,
        name: spec.name.clone(),
        unique: spec.unique,
        parts: spec
            .parts
            .iter()
            .map(|(part, order)| IndexPart {
                target: match part {
                    PartSpec::Column(s) => match pick(cols, s) {
                        Some(c) => IndexTarget::Column(c),
                        None => IndexTarget::Expr("1".into()),
                    },
                    PartSpec::Expr(e) => IndexTarget::Expr(e.clone()),
                },
                order: *order,
                prefix: None,
                opclass: None,
            })
            .collect(),
        where_clause: spec.where_clause.clone(),
        include: dedup(spec.include.iter().filter_map(|s| pick(cols, s)).collect()),
        method: spec.method.clone(),
    }
}

fn make_fk(spec: &FkSpec, id: ForeignKeyId, p: &Project) -> Option<ForeignKey> {
    let tables = table_ids(p);
    let from = pick(&tables, &spec.from)?;
    let to = pick(&tables, &spec.to)?;
    let from_cols = column_ids(p, from);
    let to_cols = column_ids(p, to);
    let from_columns: Vec<ColumnId> = spec
        .from_columns
        .iter()
        .filter_map(|s| pick(&from_cols, s))
        .collect();
    if from_columns.is_empty() {
        return None;
    }
    // Usually as many referenced columns as referencing ones (the referenced table's PK if
    // it has one of the right width); sometimes an arbitrary list.
    let to_columns = match p.table(to).and_then(|t| t.primary_key.as_ref()) {
        Some(pk) if pk.columns.len() == from_columns.len() && spec.to_columns.len() != 2 => {
            pk.columns.clone()
        }
        _ => spec
            .to_columns
            .iter()
            .filter_map(|s| pick(&to_cols, s))
            .collect(),
    };
    Some(ForeignKey {
        id,
        name: spec.name.clone(),
        from_table: from,
        from_columns,
        to_table: to,
        to_columns,
        on_delete: spec.on_delete,
        on_update: spec.on_update,
        deferrable: spec.deferrable,
    })
}

fn add_table_cmds(p: &mut Project, spec: &TableSpec) -> Vec<Command> {
    let enums = enum_ids(p);
    let id = TableId(p.alloc_id());
    let mut table = Table::new(id, spec.name.clone());
    table.schema = spec.schema.clone();
    table.comment = spec.comment.clone();
    table.position = spec.position;
    let columns: Vec<Column> = spec
        .columns
        .iter()
        .map(|c| c.to_column(ColumnId(p.alloc_id()), &enums, false))
        .collect();
    let col_ids: Vec<ColumnId> = columns.iter().map(|c| c.id).collect();
    let mut cmds = Vec::new();
    if spec.add_columns_separately {
        cmds.push(Command::AddTable(Box::new(table)));
        for (k, c) in columns.into_iter().enumerate() {
            // Any index; past the end means "append".
            let at = spec.column_slots[k % spec.column_slots.len()];
            cmds.push(Command::AddColumn {
                table: id,
                index: at,
                column: Box::new(c),
            });
        }
    } else {
        table.columns = columns;
        cmds.push(Command::AddTable(Box::new(table)));
    }
    if col_ids.is_empty() {
        // Only expression indexes are possible.
        for ix in &spec.indexes {
            if ix
                .parts
                .iter()
                .all(|(part, _)| matches!(part, PartSpec::Expr(_)))
            {
                cmds.push(Command::AddIndex {
                    table: id,
                    at: None,
                    index: Box::new(make_index(ix, IndexId(p.alloc_id()), &col_ids)),
                });
            }
        }
        for (name, expr) in &spec.checks {
            cmds.push(Command::AddCheck {
                table: id,
                at: None,
                check: CheckConstraint {
                    id: ConstraintId(p.alloc_id()),
                    name: name.clone(),
                    expr: expr.clone(),
                },
            });
        }
        return cmds;
    }
    if let Some((name, cols)) = &spec.pk {
        cmds.push(Command::SetPrimaryKey {
            table: id,
            primary_key: Some(PrimaryKey {
                name: name.clone(),
                columns: dedup(cols.iter().filter_map(|s| pick(&col_ids, s)).collect()),
            }),
        });
    }
    for (name, cols) in &spec.uniques {
        cmds.push(Command::AddUnique {
            table: id,
            at: None,
            unique: UniqueConstraint {
                id: ConstraintId(p.alloc_id()),
                name: name.clone(),
                columns: dedup(cols.iter().filter_map(|s| pick(&col_ids, s)).collect()),
            },
        });
    }
    for (name, expr) in &spec.checks {
        cmds.push(Command::AddCheck {
            table: id,
            at: None,
            check: CheckConstraint {
                id: ConstraintId(p.alloc_id()),
                name: name.clone(),
                expr: expr.clone(),
            },
        });
    }
    for ix in &spec.indexes {
        cmds.push(Command::AddIndex {
            table: id,
            at: None,
            index: Box::new(make_index(ix, IndexId(p.alloc_id()), &col_ids)),
        });
    }
    cmds
}

fn make_view(spec: &ViewSpec, id: ViewId, p: &Project) -> View {
    let tables = table_ids(p);
    View {
        id,
        schema: spec.schema.clone(),
        name: spec.name.clone(),
        sql: spec.sql.clone(),
        materialized: spec.materialized,
        depends_on: dedup(
            spec.depends_on
                .iter()
                .filter_map(|s| pick(&tables, s))
                .collect(),
        ),
        comment: spec.comment.clone(),
    }
}

fn make_enum(spec: &EnumSpec, id: EnumId) -> EnumType {
    EnumType {
        id,
        schema: spec.schema.clone(),
        name: spec.name.clone(),
        values: spec.values.clone(),
        comment: spec.comment.clone(),
    }
}

/// Build the project through commands; every command must succeed.
pub fn build_project(spec: &ProjectSpec) -> Project {
    let mut p = Project::new(spec.name.clone());
    if let Some(s) = &spec.settings {
        must(&mut p, Command::SetSettings(Box::new(s.clone())));
    }
    for e in &spec.enums {
        let id = EnumId(p.alloc_id());
        must(&mut p, Command::PutEnum(make_enum(e, id)));
    }
    for (k, t) in spec.tables.iter().enumerate() {
        let cmds = add_table_cmds(&mut p, t);
        // Alternate between single commands and one batch per table.
        if k % 2 == 0 {
            for c in cmds {
                must(&mut p, c);
            }
        } else {
            must(&mut p, Command::Batch(cmds));
        }
    }
    for f in &spec.fks {
        let id = ForeignKeyId(p.alloc_id());
        if let Some(fk) = make_fk(f, id, &p) {
            must(&mut p, Command::AddForeignKey(Box::new(fk)));
        }
    }
    for v in &spec.views {
        let id = ViewId(p.alloc_id());
        let view = make_view(v, id, &p);
        must(&mut p, Command::PutView(view));
    }
    for (text, position) in &spec.notes {
        let id = NoteId(p.alloc_id());
        must(
            &mut p,
            Command::PutNote(Note {
                id,
                text: text.clone(),
                position: *position,
            }),
        );
    }
    for (name, color, position, size) in &spec.areas {
        let id = AreaId(p.alloc_id());
        must(
            &mut p,
            Command::PutArea(Area {
                id,
                name: name.clone(),
                color: *color,
                position: *position,
                size: *size,
            }),
        );
    }
    p
}

// ---------------------------------------------------------------------------------------
// Edit sequences
// ---------------------------------------------------------------------------------------

/// An abstract edit; [`materialize`] makes it concrete against a project.
#[derive(Clone, Debug)]
pub enum CmdSpec {
    AddTable(Box<TableSpec>),
    RemoveTable(Sel),
    RemoveTableCascade(Sel),
    /// `ReplaceTable` with the table renamed, its columns reversed and maybe one dropped.
    ReplaceTable(Sel, String, Option<Sel>),
    RenameTable(Sel, Option<String>, String),
    SetTableComment(Sel, Option<String>),
    AddColumn(Sel, usize, Box<ColSpec>),
    /// `AddColumn` reusing the id of an existing column (always invalid).
    AddColumnDuplicateId(Sel, Sel, Box<ColSpec>),
    RemoveColumn(Sel, Sel),
    RemoveColumnCascade(Sel, Sel),
    UpdateColumn(Sel, Sel, Box<ColSpec>),
    MoveColumn(Sel, Sel, usize),
    /// `None` clears the key; an empty list is invalid.
    SetPrimaryKey(Sel, Option<Vec<Sel>>),
    AddUnique(Sel, Option<String>, Vec<Sel>),
    RemoveUnique(Sel, Sel),
    AddCheck(Sel, Option<String>, String),
    RemoveCheck(Sel, Sel),
    AddIndex(Sel, Box<IndexSpec>),
    UpdateIndex(Sel, Sel, Box<IndexSpec>),
    RemoveIndex(Sel, Sel),
    AddForeignKey(Box<FkSpec>),
    RemoveForeignKey(Sel),
    UpdateForeignKey(Sel, Box<FkSpec>),
    /// Replace an existing enum (`Some`) or add a new one.
    PutEnum(Option<Sel>, EnumSpec),
    RemoveEnum(Sel),
    /// Replace an existing sequence (`Some`) or add one: name, increment (0 is invalid),
    /// owner (table, column) and whether that column's default then reads it.
    PutSequence(Option<Sel>, String, i64, Option<(Sel, Sel)>, bool),
    RemoveSequence(Sel),
    RemoveSequenceCascade(Sel),
    PutView(Option<Sel>, Box<ViewSpec>),
    RemoveView(Sel),
    PutNote(Option<Sel>, String, Position),
    RemoveNote(Sel),
    PutArea(Option<Sel>, String, [u8; 3], Position, [f32; 2]),
    RemoveArea(Sel),
    /// Moves; the same table may appear several times.
    MoveTables(Vec<(Sel, Position)>),
    SetSettings(Box<Settings>),
    SetProjectName(String),
    /// A command on an object that does not exist (always invalid).
    Missing(u8),
    Batch(Vec<CmdSpec>),
}

/// What the edit generator may produce beyond ordinary edits.
#[derive(Clone, Copy, Debug)]
pub struct CmdConfig {
    /// Remove any unique/check/index, not only the last one of its table. Removing an
    /// earlier one exposes the undo-order bug (undo appends instead of re-inserting).
    pub remove_any_constraint: bool,
    /// Also produce edits that the model accepts although they break its invariants
    /// (dangling enum references, table-level constraints on missing columns, ids that
    /// collide with another kind of object).
    pub probe_validation_gaps: bool,
}

impl CmdConfig {
    pub const ALL: CmdConfig = CmdConfig {
        remove_any_constraint: true,
        probe_validation_gaps: true,
    };
    /// Everything except the inputs that hit the known bugs reported for the model.
    pub const AVOID_KNOWN_BUGS: CmdConfig = CmdConfig {
        remove_any_constraint: false,
        probe_validation_gaps: false,
    };
}

fn leaf_cmd_spec() -> BoxedStrategy<CmdSpec> {
    let s = any::<Sel>;
    prop_oneof![
        3 => table_spec().prop_map(|t| CmdSpec::AddTable(Box::new(t))),
        2 => s().prop_map(CmdSpec::RemoveTable),
        2 => s().prop_map(CmdSpec::RemoveTableCascade),
        1 => (s(), name(), proptest::option::of(s()))
            .prop_map(|(t, n, d)| CmdSpec::ReplaceTable(t, n, d)),
        2 => (s(), proptest::option::weighted(0.2, name()), name())
            .prop_map(|(t, sc, n)| CmdSpec::RenameTable(t, sc, n)),
        1 => (s(), proptest::option::of(text())).prop_map(|(t, c)| CmdSpec::SetTableComment(t, c)),
        4 => (s(), 0usize..10, col_spec()).prop_map(|(t, i, c)| CmdSpec::AddColumn(t, i, Box::new(c))),
        1 => (s(), s(), col_spec())
            .prop_map(|(t, c, spec)| CmdSpec::AddColumnDuplicateId(t, c, Box::new(spec))),
        2 => (s(), s()).prop_map(|(t, c)| CmdSpec::RemoveColumn(t, c)),
        3 => (s(), s()).prop_map(|(t, c)| CmdSpec::RemoveColumnCascade(t, c)),
        3 => (s(), s(), col_spec()).prop_map(|(t, c, spec)| CmdSpec::UpdateColumn(t, c, Box::new(spec))),
        2 => (s(), s(), 0usize..10).prop_map(|(t, c, to)| CmdSpec::MoveColumn(t, c, to)),
        2 => (s(), proptest::option::weighted(0.85, vec(s(), 0..3)))
            .prop_map(|(t, cols)| CmdSpec::SetPrimaryKey(t, cols)),
        2 => (s(), proptest::option::of(name()), vec(s(), 0..3))
            .prop_map(|(t, n, cols)| CmdSpec::AddUnique(t, n, cols)),
        2 => (s(), s()).prop_map(|(t, u)| CmdSpec::RemoveUnique(t, u)),
        2 => (s(), proptest::option::of(name()), sql_expr()).prop_map(|(t, n, e)| CmdSpec::AddCheck(t, n, e)),
        2 => (s(), s()).prop_map(|(t, c)| CmdSpec::RemoveCheck(t, c)),
        3 => (s(), index_spec(0)).prop_map(|(t, i)| CmdSpec::AddIndex(t, Box::new(i))),
        2 => (s(), s(), index_spec(0)).prop_map(|(t, i, spec)| CmdSpec::UpdateIndex(t, i, Box::new(spec))),
        2 => (s(), s()).prop_map(|(t, i)| CmdSpec::RemoveIndex(t, i)),
        4 => fk_spec().prop_map(|f| CmdSpec::AddForeignKey(Box::new(f))),
        2 => s().prop_map(CmdSpec::RemoveForeignKey),
        2 => (s(), fk_spec()).prop_map(|(k, f)| CmdSpec::UpdateForeignKey(k, Box::new(f))),
        2 => (proptest::option::of(s()), enum_spec()).prop_map(|(e, spec)| CmdSpec::PutEnum(e, spec)),
        1 => s().prop_map(CmdSpec::RemoveEnum),
        2 => (proptest::option::of(s()), name(), -3i64..4, proptest::option::of((s(), s())), any::<bool>())
            .prop_map(|(q, n, inc, owner, feed)| CmdSpec::PutSequence(q, n, inc, owner, feed)),
        1 => s().prop_map(CmdSpec::RemoveSequence),
        1 => s().prop_map(CmdSpec::RemoveSequenceCascade),
        2 => (proptest::option::of(s()), view_spec()).prop_map(|(v, spec)| CmdSpec::PutView(v, Box::new(spec))),
        1 => s().prop_map(CmdSpec::RemoveView),
        1 => (proptest::option::of(s()), text(), position())
            .prop_map(|(n, t, pos)| CmdSpec::PutNote(n, t, pos)),
        1 => s().prop_map(CmdSpec::RemoveNote),
        1 => (proptest::option::of(s()), area_spec())
            .prop_map(|(a, (n, c, pos, size))| CmdSpec::PutArea(a, n, c, pos, size)),
        1 => s().prop_map(CmdSpec::RemoveArea),
        2 => vec((s(), position()), 0..4).prop_map(CmdSpec::MoveTables),
        1 => settings().prop_map(|s| CmdSpec::SetSettings(Box::new(s))),
        1 => name().prop_map(CmdSpec::SetProjectName),
        1 => any::<u8>().prop_map(CmdSpec::Missing),
    ]
    .boxed()
}

/// One abstract edit; about one in ten is a batch, which may hold one nested batch level.
pub fn cmd_spec() -> BoxedStrategy<CmdSpec> {
    let inner = prop_oneof![
        6 => leaf_cmd_spec(),
        1 => vec(leaf_cmd_spec(), 0..4).prop_map(CmdSpec::Batch),
    ];
    prop_oneof![
        10 => leaf_cmd_spec(),
        1 => vec(inner, 0..6).prop_map(CmdSpec::Batch),
    ]
    .boxed()
}

/// A sequence of abstract edits.
pub fn cmd_specs(max_len: usize) -> BoxedStrategy<Vec<CmdSpec>> {
    vec(cmd_spec(), 0..max_len).boxed()
}

const NOWHERE: u64 = 8_888_888_888;

/// Turn an abstract edit into a concrete command against `p` (fresh ids come from
/// `p.alloc_id()`, which does not change the project's content). The command may be invalid.
pub fn materialize(p: &mut Project, spec: &CmdSpec, cfg: CmdConfig) -> Command {
    use CmdSpec as S;
    let tables = table_ids(p);
    let table = |s: &Sel| pick(&tables, s).unwrap_or(TableId(NOWHERE));
    let cols_of = |p: &Project, t: TableId| column_ids(p, t);
    let col =
        |p: &Project, t: TableId, s: &Sel| pick(&cols_of(p, t), s).unwrap_or(ColumnId(NOWHERE));
    let enums = enum_ids(p);
    // A column type placeholder is made dangling one time in four when probing.
    let bogus_enum = |s: &ColSpec| cfg.probe_validation_gaps && s.name.len() % 4 == 1;
    match spec {
        S::AddTable(t) => {
            if cfg.probe_validation_gaps && t.name.len() % 3 == 1 {
                // Gap probe: AddTable checks neither enum references, nor that its own
                // constraints name existing columns, nor that its ids are unused.
                let mut tb = Table::new(TableId(p.alloc_id()), t.name.clone());
                tb.columns = t
                    .columns
                    .iter()
                    .map(|c| c.to_column(ColumnId(p.alloc_id()), &enums, false))
                    .collect();
                match t.name.len() % 9 {
                    1 => tb.columns.push(Column::new(
                        ColumnId(p.alloc_id()),
                        "dangling_enum",
                        LogicalType::Enum(EnumId(NOWHERE)),
                    )),
                    4 => {
                        tb.primary_key = Some(PrimaryKey {
                            name: None,
                            columns: vec![ColumnId(NOWHERE)],
                        })
                    }
                    _ => match (enums.first(), p.tables().find_map(|t| t.columns.first())) {
                        (Some(e), _) => tb.id = TableId(e.0),
                        (None, Some(c)) => {
                            tb.columns.push(Column::new(c.id, "dup", LogicalType::Text))
                        }
                        (None, None) => tb.id = TableId(p.next_id() + 100),
                    },
                }
                return Command::AddTable(Box::new(tb));
            }
            Command::Batch(add_table_cmds(p, t))
        }
        S::RemoveTable(s) => Command::RemoveTable(table(s)),
        S::RemoveTableCascade(s) => remove_table(p, table(s)),
        S::ReplaceTable(s, name, drop) => {
            let id = table(s);
            match p.table(id) {
                None => Command::ReplaceTable(Box::new(Table::new(id, name.clone()))),
                Some(t) => {
                    let mut nt = t.clone();
                    nt.name = name.clone();
                    nt.columns.reverse();
                    if let Some(d) = drop
                        && !nt.columns.is_empty()
                    {
                        let at = d.index(nt.columns.len());
                        let removed = nt.columns.remove(at).id;
                        // Without probing, only drop columns nothing in the table uses.
                        if !cfg.probe_validation_gaps
                            && t.referenced_column_ids().any(|c| c == removed)
                        {
                            nt.columns.insert(at, t.column(removed).unwrap().clone());
                        }
                    }
                    Command::ReplaceTable(Box::new(nt))
                }
            }
        }
        S::RenameTable(s, schema, name) => Command::RenameTable {
            table: table(s),
            schema: schema.clone(),
            name: name.clone(),
        },
        S::SetTableComment(s, c) => Command::SetTableComment {
            table: table(s),
            comment: c.clone(),
        },
        S::AddColumn(s, at, c) => {
            let t = table(s);
            let id = ColumnId(p.alloc_id());
            Command::AddColumn {
                table: t,
                index: *at,
                column: Box::new(c.to_column(id, &enums, bogus_enum(c))),
            }
        }
        S::AddColumnDuplicateId(s, cs, c) => {
            // Reuse a column id from anywhere in the project.
            let all: Vec<ColumnId> = p
                .tables()
                .flat_map(|t| t.columns.iter().map(|c| c.id))
                .collect();
            let id = pick(&all, cs).unwrap_or(ColumnId(NOWHERE));
            let t = if all.is_empty() {
                TableId(NOWHERE)
            } else {
                table(s)
            };
            Command::AddColumn {
                table: t,
                index: 0,
                column: Box::new(c.to_column(id, &enums, false)),
            }
        }
        S::RemoveColumn(s, c) => {
            let t = table(s);
            Command::RemoveColumn {
                table: t,
                column: col(p, t, c),
            }
        }
        S::RemoveColumnCascade(s, c) => {
            let t = table(s);
            let c = col(p, t, c);
            remove_column(p, t, c).unwrap_or(Command::RemoveColumn {
                table: t,
                column: c,
            })
        }
        S::UpdateColumn(s, c, spec) => {
            let t = table(s);
            let c = col(p, t, c);
            Command::UpdateColumn {
                table: t,
                column: Box::new(spec.to_column(c, &enums, bogus_enum(spec))),
            }
        }
        S::MoveColumn(s, c, to) => {
            let t = table(s);
            Command::MoveColumn {
                table: t,
                column: col(p, t, c),
                to: *to,
            }
        }
        S::SetPrimaryKey(s, cols) => {
            let t = table(s);
            Command::SetPrimaryKey {
                table: t,
                primary_key: cols.as_ref().map(|cols| PrimaryKey {
                    name: None,
                    columns: dedup(cols.iter().map(|c| col(p, t, c)).collect()),
                }),
            }
        }
        S::AddUnique(s, name, cols) => {
            let t = table(s);
            let mut id = ConstraintId(p.alloc_id());
            if cfg.probe_validation_gaps && cols.len() == 2 {
                // Gap probe: reuse the table's id for the constraint.
                id = ConstraintId(t.0);
            }
            let mut columns: Vec<ColumnId> = dedup(cols.iter().map(|c| col(p, t, c)).collect());
            if columns.is_empty() && !cfg.probe_validation_gaps {
                // Gap probe only: AddUnique accepts an empty column list.
                columns.push(cols_of(p, t).first().copied().unwrap_or(ColumnId(NOWHERE)));
            }
            Command::AddUnique {
                table: t,
                at: None,
                unique: UniqueConstraint {
                    id,
                    name: name.clone(),
                    columns,
                },
            }
        }
        S::RemoveUnique(s, u) => {
            let t = table(s);
            let ids: Vec<ConstraintId> = p
                .table(t)
                .map(|t| t.uniques.iter().map(|u| u.id).collect())
                .unwrap_or_default();
            Command::RemoveUnique {
                table: t,
                id: pick_removal(&ids, u, cfg).unwrap_or(ConstraintId(NOWHERE)),
            }
        }
        S::AddCheck(s, name, expr) => Command::AddCheck {
            table: table(s),
            at: None,
            check: CheckConstraint {
                id: ConstraintId(p.alloc_id()),
                name: name.clone(),
                expr: expr.clone(),
            },
        },
        S::RemoveCheck(s, c) => {
            let t = table(s);
            let ids: Vec<ConstraintId> = p
                .table(t)
                .map(|t| t.checks.iter().map(|c| c.id).collect())
                .unwrap_or_default();
            Command::RemoveCheck {
                table: t,
                id: pick_removal(&ids, c, cfg).unwrap_or(ConstraintId(NOWHERE)),
            }
        }
        S::AddIndex(s, spec) => {
            let t = table(s);
            let cols = cols_of(p, t);
            let mut id = IndexId(p.alloc_id());
            if cfg.probe_validation_gaps && spec.include.len() == 2 {
                // Gap probe: reuse an id of another kind (a column, else the table).
                id = IndexId(cols.first().map_or(t.0, |c| c.0));
            }
            Command::AddIndex {
                table: t,
                at: None,
                index: Box::new(make_index(spec, id, &cols)),
            }
        }
        S::UpdateIndex(s, i, spec) => {
            let t = table(s);
            let cols = cols_of(p, t);
            let ids: Vec<IndexId> = p
                .table(t)
                .map(|t| t.indexes.iter().map(|i| i.id).collect())
                .unwrap_or_default();
            let id = pick(&ids, i).unwrap_or(IndexId(NOWHERE));
            Command::UpdateIndex {
                table: t,
                index: Box::new(make_index(spec, id, &cols)),
            }
        }
        S::RemoveIndex(s, i) => {
            let t = table(s);
            let ids: Vec<IndexId> = p
                .table(t)
                .map(|t| t.indexes.iter().map(|i| i.id).collect())
                .unwrap_or_default();
            Command::RemoveIndex {
                table: t,
                id: pick_removal(&ids, i, cfg).unwrap_or(IndexId(NOWHERE)),
            }
        }
        S::AddForeignKey(f) => {
            let id = ForeignKeyId(p.alloc_id());
            match make_fk(f, id, p) {
                Some(fk) => Command::AddForeignKey(Box::new(fk)),
                None => Command::AddForeignKey(Box::new(ForeignKey {
                    id,
                    name: None,
                    from_table: tables.first().copied().unwrap_or(TableId(NOWHERE)),
                    from_columns: vec![],
                    to_table: TableId(NOWHERE),
                    to_columns: vec![],
                    on_delete: FkAction::NoAction,
                    on_update: FkAction::NoAction,
                    deferrable: Deferrable::NotDeferrable,
                })),
            }
        }
        S::RemoveForeignKey(s) => {
            let fks: Vec<ForeignKeyId> = p.foreign_keys().map(|f| f.id).collect();
            Command::RemoveForeignKey(pick(&fks, s).unwrap_or(ForeignKeyId(NOWHERE)))
        }
        S::UpdateForeignKey(s, f) => {
            let fks: Vec<ForeignKeyId> = p.foreign_keys().map(|f| f.id).collect();
            let id = pick(&fks, s).unwrap_or(ForeignKeyId(NOWHERE));
            match make_fk(f, id, p) {
                Some(fk) => Command::UpdateForeignKey(Box::new(fk)),
                None => {
                    let mut fk = p.foreign_key(id).cloned().unwrap_or_else(|| ForeignKey {
                        id,
                        name: None,
                        from_table: TableId(NOWHERE),
                        from_columns: vec![],
                        to_table: TableId(NOWHERE),
                        to_columns: vec![],
                        on_delete: FkAction::NoAction,
                        on_update: FkAction::NoAction,
                        deferrable: Deferrable::NotDeferrable,
                    });
                    // Invalid: a referenced column that does not exist.
                    fk.to_columns.push(ColumnId(NOWHERE));
                    Command::UpdateForeignKey(Box::new(fk))
                }
            }
        }
        S::PutEnum(e, spec) => {
            let id = e
                .as_ref()
                .and_then(|s| pick(&enums, s))
                .unwrap_or_else(|| EnumId(p.alloc_id()));
            Command::PutEnum(make_enum(spec, id))
        }
        S::RemoveEnum(s) => Command::RemoveEnum(pick(&enums, s).unwrap_or(EnumId(NOWHERE))),
        S::PutView(v, spec) => {
            let views: Vec<ViewId> = p.views().map(|v| v.id).collect();
            let id = v
                .as_ref()
                .and_then(|s| pick(&views, s))
                .unwrap_or_else(|| ViewId(p.alloc_id()));
            let mut view = make_view(spec, id, p);
            if spec.name.len() % 7 == 3 {
                // Invalid: depends on a table that does not exist.
                view.depends_on.push(TableId(NOWHERE));
            }
            Command::PutView(view)
        }
        S::PutSequence(q, name, increment, owner, feed) => {
            let seqs: Vec<SequenceId> = p.sequences().map(|s| s.id).collect();
            let id = q
                .as_ref()
                .and_then(|s| pick(&seqs, s))
                .unwrap_or_else(|| SequenceId(p.alloc_id()));
            let mut seq = Sequence::new(id, name.clone());
            seq.increment = *increment;
            let owner = owner.as_ref().map(|(t, c)| {
                let t = table(t);
                (t, col(p, t, c))
            });
            seq.owned_by = owner.map(|(table, column)| SequenceOwner { table, column });
            let mut cmds = vec![Command::PutSequence(Box::new(seq))];
            if *feed
                && let Some((t, c)) = owner
                && let Some(column) = p.table(t).and_then(|tt| tt.column(c))
            {
                let mut nc = column.clone();
                nc.default = Some(crowfoot::model::sequence::nextval_default(None, name));
                nc.identity = None;
                nc.generated = None;
                cmds.push(Command::UpdateColumn {
                    table: t,
                    column: Box::new(nc),
                });
            }
            Command::Batch(cmds)
        }
        S::RemoveSequence(s) => {
            let seqs: Vec<SequenceId> = p.sequences().map(|s| s.id).collect();
            Command::RemoveSequence(pick(&seqs, s).unwrap_or(SequenceId(NOWHERE)))
        }
        S::RemoveSequenceCascade(s) => {
            let seqs: Vec<SequenceId> = p.sequences().map(|s| s.id).collect();
            match pick(&seqs, s) {
                Some(id) => {
                    crowfoot::model::command::remove_sequence(p, id).expect("the sequence exists")
                }
                None => Command::RemoveSequence(SequenceId(NOWHERE)),
            }
        }
        S::RemoveView(s) => {
            let views: Vec<ViewId> = p.views().map(|v| v.id).collect();
            Command::RemoveView(pick(&views, s).unwrap_or(ViewId(NOWHERE)))
        }
        S::PutNote(n, text, position) => {
            let notes: Vec<NoteId> = p.notes().map(|n| n.id).collect();
            let id = n
                .as_ref()
                .and_then(|s| pick(&notes, s))
                .unwrap_or_else(|| NoteId(p.alloc_id()));
            Command::PutNote(Note {
                id,
                text: text.clone(),
                position: *position,
            })
        }
        S::RemoveNote(s) => {
            let notes: Vec<NoteId> = p.notes().map(|n| n.id).collect();
            Command::RemoveNote(pick(&notes, s).unwrap_or(NoteId(NOWHERE)))
        }
        S::PutArea(a, name, color, position, size) => {
            let areas: Vec<AreaId> = p.areas().map(|a| a.id).collect();
            let id = a
                .as_ref()
                .and_then(|s| pick(&areas, s))
                .unwrap_or_else(|| AreaId(p.alloc_id()));
            Command::PutArea(Area {
                id,
                name: name.clone(),
                color: *color,
                position: *position,
                size: *size,
            })
        }
        S::RemoveArea(s) => {
            let areas: Vec<AreaId> = p.areas().map(|a| a.id).collect();
            Command::RemoveArea(pick(&areas, s).unwrap_or(AreaId(NOWHERE)))
        }
        S::MoveTables(moves) => {
            Command::MoveTables(moves.iter().map(|(s, pos)| (table(s), *pos)).collect())
        }
        S::SetSettings(s) => Command::SetSettings(s.clone()),
        S::SetProjectName(n) => Command::SetProjectName(n.clone()),
        S::Missing(k) => {
            let t = TableId(NOWHERE);
            match k % 12 {
                0 => Command::RemoveTable(t),
                1 => Command::RenameTable {
                    table: t,
                    schema: None,
                    name: "x".into(),
                },
                2 => Command::RemoveForeignKey(ForeignKeyId(NOWHERE)),
                3 => Command::RemoveEnum(EnumId(NOWHERE)),
                4 => Command::RemoveView(ViewId(NOWHERE)),
                5 => Command::RemoveNote(NoteId(NOWHERE)),
                6 => Command::RemoveArea(AreaId(NOWHERE)),
                7 => Command::MoveTables(
                    tables
                        .iter()
                        .map(|t| (*t, Position::default()))
                        .chain([(t, Position::default())])
                        .collect(),
                ),
                8 => Command::ReplaceTable(Box::new(Table::new(t, "x"))),
                9 => Command::SetTableComment {
                    table: t,
                    comment: None,
                },
                10 => match tables.first() {
                    // A key with no columns.
                    Some(&t) => Command::SetPrimaryKey {
                        table: t,
                        primary_key: Some(PrimaryKey {
                            name: None,
                            columns: vec![],
                        }),
                    },
                    None => Command::RemoveTable(t),
                },
                _ => Command::AddColumn {
                    table: tables.first().copied().unwrap_or(t),
                    index: 0,
                    column: Box::new(Column::new(
                        ColumnId(p.alloc_id()),
                        "e",
                        LogicalType::Enum(EnumId(NOWHERE)),
                    )),
                },
            }
        }
        S::Batch(items) => {
            // Materialize each item against the state the earlier items leave, so batches
            // are usually valid; an item that fails there makes the whole batch fail.
            let mut scratch = p.clone();
            let mut cmds = Vec::with_capacity(items.len());
            for item in items {
                let c = materialize(&mut scratch, item, cfg);
                let _ = c.clone().apply(&mut scratch);
                cmds.push(c);
            }
            // Keep ids handed out on the scratch copy unused in `p` too.
            while p.next_id() < scratch.next_id() {
                p.alloc_id();
            }
            Command::Batch(cmds)
        }
    }
}

fn pick_removal<T: Copy>(ids: &[T], s: &Sel, cfg: CmdConfig) -> Option<T> {
    if cfg.remove_any_constraint {
        pick(ids, s)
    } else {
        ids.last().copied()
    }
}

// ---------------------------------------------------------------------------------------
// Invariants
// ---------------------------------------------------------------------------------------

/// What every project reachable by commands should satisfy. Returns every violation.
pub fn check_invariants(p: &Project) -> Vec<String> {
    let mut errs = Vec::new();
    let mut seen: BTreeMap<u64, String> = BTreeMap::new();
    let mut claim = |id: u64, what: String, errs: &mut Vec<String>| {
        if id >= p.next_id() {
            errs.push(format!("{what} has id {id} >= next_id {}", p.next_id()));
        }
        if let Some(prev) = seen.insert(id, what.clone()) {
            errs.push(format!("id {id} used by both {prev} and {what}"));
        }
    };
    for e in p.enums() {
        claim(e.id.0, format!("enum {}", e.id), &mut errs);
    }
    for t in p.tables() {
        claim(t.id.0, format!("table {}", t.id), &mut errs);
        for c in &t.columns {
            claim(
                c.id.0,
                format!("column {} of table {}", c.id, t.id),
                &mut errs,
            );
            check_enum_refs(p, &c.ty, &format!("column {}", c.id), &mut errs);
        }
        for u in &t.uniques {
            claim(u.id.0, format!("unique {}", u.id), &mut errs);
            if u.columns.is_empty() {
                errs.push(format!("unique {} has no columns", u.id));
            }
        }
        for c in &t.checks {
            claim(c.id.0, format!("check {}", c.id), &mut errs);
        }
        for i in &t.indexes {
            claim(i.id.0, format!("index {}", i.id), &mut errs);
            if i.parts.is_empty() {
                errs.push(format!("index {} has no parts", i.id));
            }
        }
        if let Some(pk) = &t.primary_key
            && pk.columns.is_empty()
        {
            errs.push(format!("table {} has an empty primary key", t.id));
        }
        for c in t.referenced_column_ids() {
            if t.column(c).is_none() {
                errs.push(format!(
                    "table {} refers to column {c}, which it does not have",
                    t.id
                ));
            }
        }
    }
    for fk in p.foreign_keys() {
        claim(fk.id.0, format!("foreign key {}", fk.id), &mut errs);
        let ends = [
            (fk.from_table, &fk.from_columns),
            (fk.to_table, &fk.to_columns),
        ];
        for (t, cols) in ends {
            match p.table(t) {
                None => errs.push(format!("foreign key {} names missing table {t}", fk.id)),
                Some(tb) => {
                    for c in cols {
                        if tb.column(*c).is_none() {
                            errs.push(format!(
                                "foreign key {} names missing column {c} of table {t}",
                                fk.id
                            ));
                        }
                    }
                }
            }
        }
    }
    // The graph's edges agree with the keys' own table ids.
    for t in p.tables() {
        let out: Vec<ForeignKeyId> = p.foreign_keys_from(t.id).iter().map(|f| f.id).collect();
        let inc: Vec<ForeignKeyId> = p.foreign_keys_to(t.id).iter().map(|f| f.id).collect();
        let want_out: Vec<ForeignKeyId> = p
            .foreign_keys()
            .filter(|f| f.from_table == t.id)
            .map(|f| f.id)
            .collect();
        let want_in: Vec<ForeignKeyId> = p
            .foreign_keys()
            .filter(|f| f.to_table == t.id)
            .map(|f| f.id)
            .collect();
        if out != want_out || inc != want_in {
            errs.push(format!(
                "graph edges of table {} disagree with its keys",
                t.id
            ));
        }
    }
    if p.graph().node_count() != p.table_count() || p.graph().edge_count() != p.foreign_key_count()
    {
        errs.push("graph size disagrees with the id maps".into());
    }
    for v in p.views() {
        claim(v.id.0, format!("view {}", v.id), &mut errs);
        for t in &v.depends_on {
            if p.table(*t).is_none() {
                errs.push(format!("view {} depends on missing table {t}", v.id));
            }
        }
    }
    for n in p.notes() {
        claim(n.id.0, format!("note {}", n.id), &mut errs);
    }
    for a in p.areas() {
        claim(a.id.0, format!("area {}", a.id), &mut errs);
    }
    let mut names = BTreeSet::new();
    for s in p.sequences() {
        claim(s.id.0, format!("sequence {}", s.id), &mut errs);
        if !names.insert((s.schema.clone(), s.name.clone())) {
            errs.push(format!("sequence name {} used twice", s.name));
        }
        if let Err(e) = s.validate() {
            errs.push(format!("sequence {}: {e}", s.id));
        }
        if let Some(o) = s.owned_by
            && p.table(o.table).and_then(|t| t.column(o.column)).is_none()
        {
            errs.push(format!("sequence {} is owned by a missing column", s.id));
        }
    }
    errs
}

fn check_enum_refs(p: &Project, ty: &LogicalType, what: &str, errs: &mut Vec<String>) {
    match ty {
        LogicalType::Enum(e) if p.enum_type(*e).is_none() => {
            errs.push(format!("{what} uses missing enum {e}"))
        }
        LogicalType::Array(inner) => check_enum_refs(p, inner, what, errs),
        _ => {}
    }
}
