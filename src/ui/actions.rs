//! Every user action of the studio, with its menu text, tooltip and shortcut, in one enum
//! (after rerun's `UICommand`). Menus, the command palette and keyboard handling are all
//! generated from this list, so an action cannot exist in one place and be missing in another.
//! Whether an action can run now is one question, `Studio::is_enabled`, asked by menus, the
//! palette and `Studio::run` alike.

use egui::{Key, KeyboardShortcut, Modifiers};
use strum::IntoEnumIterator;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, strum::EnumIter)]
pub enum Action {
    NewProject,
    Open,
    ImportSql,
    ImportServer,
    ImportReport,
    Save,
    SaveAs,
    Undo,
    Redo,
    Delete,
    Copy,
    Paste,
    ManyToMany,
    AddNote,
    AddArea,
    SelectAll,
    ClearSelection,
    NewTable,
    AddColumn,
    Rename,
    Fit,
    ZoomToSelection,
    ZoomIn,
    ZoomOut,
    ZoomReset,
    NudgeLeft,
    NudgeRight,
    NudgeUp,
    NudgeDown,
    NudgeLeftFar,
    NudgeRightFar,
    NudgeUpFar,
    NudgeDownFar,
    LayoutLayered,
    LayoutForce,
    ToggleLeftPanel,
    ToggleInspector,
    Normalize,
    Indexes,
    ClassifySensitive,
    ApplyPattern,
    ExploreRelations,
    FindPath,
    Focus,
    SuggestAreas,
    PlanDistribution,
    Present,
    SaveView,
    CompareWithFile,
    CompareWithRevision,
    ClearComparison,
    ToggleBottomPanel,
    ToggleTheme,
    CommandPalette,
    Find,
    CopyDdl,
    ExportDdl,
    ExportSvg,
    ExportPng,
    ExportPdf,
    ExportDbml,
    ExportMermaid,
    ExportDoc,
    ExportPrivacy,
    ExportReviewPage,
    Quit,
}

impl Action {
    /// Every action, in declaration order (derived: a new variant cannot be missed).
    pub fn all() -> impl Iterator<Item = Action> {
        Action::iter()
    }

    /// (menu text, tooltip)
    pub fn text(self) -> (&'static str, &'static str) {
        use Action as A;
        match self {
            A::NewProject => ("New project", "Start an empty project"),
            A::Open => ("Open…", "Open a Crowfoot project (.ron)"),
            A::ImportSql => (
                "Import SQL…",
                "Import a SQL script or SQLite database as a new project (dialect detected or chosen; a report lists what was skipped)",
            ),
            A::ImportServer => (
                "Import from server…",
                "Read the schema of a live PostgreSQL or MySQL/MariaDB server (pg_dump / mariadb-dump) into a new project; the password is used once and never saved",
            ),
            A::ImportReport => (
                "Import report",
                "Show what the last import skipped or only partly understood",
            ),
            A::Save => (
                "Save",
                "Save the project (atomically, keeping NAME.ron.bak)",
            ),
            A::SaveAs => ("Save as…", "Save the project to a new file"),
            A::Undo => ("Undo", "Undo the last edit"),
            A::Redo => ("Redo", "Redo the last undone edit"),
            A::Delete => (
                "Delete",
                "Delete the selected tables (asks when other tables reference them)",
            ),
            A::Copy => (
                "Copy tables",
                "Copy the selected tables (paste with Ctrl+V here or in another project)",
            ),
            A::Paste => (
                "Paste tables",
                "Paste tables copied in this or another Crowfoot window",
            ),
            A::NudgeLeft => ("Nudge left", "Move the selected tables a little left"),
            A::NudgeRight => ("Nudge right", "Move the selected tables a little right"),
            A::NudgeUp => ("Nudge up", "Move the selected tables a little up"),
            A::NudgeDown => ("Nudge down", "Move the selected tables a little down"),
            A::NudgeLeftFar => ("Nudge left ×5", "Move the selected tables left, five steps"),
            A::NudgeRightFar => (
                "Nudge right ×5",
                "Move the selected tables right, five steps",
            ),
            A::NudgeUpFar => ("Nudge up ×5", "Move the selected tables up, five steps"),
            A::NudgeDownFar => ("Nudge down ×5", "Move the selected tables down, five steps"),
            A::ManyToMany => (
                "Many-to-many…",
                "Create a junction table between the two selected tables",
            ),
            A::AddNote => ("Add note", "Add a sticky note at the centre of the view"),
            A::AddArea => (
                "Add area",
                "Add a coloured area around the selected tables (or at the centre)",
            ),
            A::SelectAll => ("Select all", "Select every table"),
            A::ClearSelection => ("Clear selection", "Select nothing"),
            A::NewTable => (
                "New table",
                "Add a table at the centre of the view (or double-click the canvas)",
            ),
            A::AddColumn => ("Add column", "Add a column to the selected table"),
            A::Rename => ("Rename table", "Rename the selected table in place"),
            A::Fit => ("Fit all", "Zoom and pan so every table is visible"),
            A::ZoomToSelection => ("Zoom to selection", "Zoom and pan to the selected tables"),
            A::ZoomIn => ("Zoom in", "Zoom in at the centre of the view"),
            A::ZoomOut => ("Zoom out", "Zoom out at the centre of the view"),
            A::ZoomReset => ("Zoom 100%", "Actual size"),
            A::LayoutLayered => (
                "Auto-layout: layered",
                "Arrange tables in layers along their foreign keys (undoable)",
            ),
            A::LayoutForce => (
                "Auto-layout: force",
                "Arrange tables with a force-directed layout (undoable)",
            ),
            A::ToggleLeftPanel => ("Tables panel", "Show or hide the table list"),
            A::ToggleInspector => ("Inspector", "Show or hide the inspector"),
            A::CompareWithFile => (
                "Compare with file…",
                "Compare with another version (project, SQL script or SQLite file): added tables outlined green, changed amber, every change listed",
            ),
            A::CompareWithRevision => (
                "Compare with git revision…",
                "What changed since a git revision of the project file (HEAD, HEAD~3, a branch): the changes outlined on the canvas and listed",
            ),
            A::ClearComparison => (
                "Clear comparison",
                "Remove the comparison's outlines and list",
            ),
            A::Present => (
                "Present",
                "Full-screen presenter mode: saved views with the Left/Right arrow keys, click a table to highlight it and its neighbours, L for a laser pointer, Esc to leave",
            ),
            A::SaveView => (
                "Save view",
                "Save the current viewport (and the selected tables as its highlight) as a named view for presenting",
            ),
            A::ExploreRelations => (
                "Explore relations…",
                "The selected tables and their neighbourhood, 1–3 foreign keys away, in a graph \
                 window (click a card to select it, double-click to re-centre)",
            ),
            A::FindPath => (
                "Find path…",
                "The shortest foreign-key paths between two tables (the two selected), \
                 highlighted on the canvas, with Copy as JOIN",
            ),
            A::ClassifySensitive => (
                "Classify sensitive data…",
                "Find the columns holding personal data (contact, identity, financial, \
                 credentials, network, location, health, free text) and the tables whose rows are \
                 people; review, then tag and mark them as one undoable edit",
            ),
            A::ApplyPattern => (
                "Apply pattern…",
                "A design pattern in one undoable edit: history (a history table filled by \
                 triggers), soft-delete, outbox or event store, with a preview of what it adds; \
                 or take one out again",
            ),
            A::PlanDistribution => (
                "Plan distribution…",
                "Each table's role on a distributed database (distributed by a column, \
                 reference, local), suggested from the foreign-key graph and editable, with the \
                 findings for Citus, Vitess or CockroachDB/YugabyteDB; Accept stores the roles \
                 as one undoable edit",
            ),
            A::SuggestAreas => (
                "Suggest subject areas…",
                "Group the tables by the foreign-key graph (Louvain communities, named by their \
                 prefix or main table); preview, then apply as one undoable edit",
            ),
            A::Focus => (
                "Focus on selection",
                "Show the selection and the tables one foreign key away, veil the rest \
                 (Esc leaves; + and − in the banner change the distance)",
            ),
            A::Indexes => (
                "Index design…",
                "Indexes, estimates, index lint and the workload advisor of the selected table",
            ),
            A::Normalize => (
                "Normalization…",
                "Dependencies, keys, normal form and 3NF/BCNF decomposition of the selected table",
            ),
            A::ToggleBottomPanel => ("Problems / DDL panel", "Show or hide the bottom panel"),
            A::ToggleTheme => ("Dark / light theme", "Switch between dark and light theme"),
            A::CommandPalette => (
                "Command palette…",
                "Run any action or jump to a table or column",
            ),
            A::Find => ("Find table or column…", "Jump to a table or column by name"),
            A::CopyDdl => (
                "Copy DDL",
                "Copy the selection's DDL (or the whole project's) to the clipboard",
            ),
            A::ExportDdl => (
                "Export DDL…",
                "Write the project's DDL for the preview dialect to a file",
            ),
            A::ExportSvg => (
                "Diagram as SVG…",
                "The diagram as SVG, as on the canvas (light theme; the selection only when tables are selected)",
            ),
            A::ExportPng => (
                "Diagram as PNG…",
                "The diagram as a PNG picture at 2× (the selection only when tables are selected)",
            ),
            A::ExportPdf => (
                "Diagram as PDF…",
                "The diagram as a vector PDF with searchable text, on A4 landscape: one page, or \
                 tiled pages after an overview when larger (the selection only when tables are \
                 selected)",
            ),
            A::ExportDbml => ("DBML…", "The schema as DBML (dbdiagram.io)"),
            A::ExportMermaid => ("Mermaid ER diagram…", "The schema as a Mermaid erDiagram"),
            A::ExportDoc => (
                "Data dictionary (Markdown)…",
                "Tables, columns, keys, comments, PII tags and a Mermaid ER block as Markdown",
            ),
            A::ExportPrivacy => (
                "Privacy report (Markdown)…",
                "Per data subject, every table holding data about the person and what erasing one \
                 does along each foreign key (deleted, nulled, blocked); personal data no erasure \
                 reaches; retention notes",
            ),
            A::ExportReviewPage => (
                "Review page (HTML)…",
                "One self-contained HTML file for people without Crowfoot: the diagram with pan, \
                 zoom and search, each table's columns, keys and DDL, saved views, problems, and \
                 the changes of the current comparison; opens offline in any browser",
            ),
            A::Quit => ("Quit", "Close Crowfoot (asks about unsaved changes)"),
        }
    }

    /// The main shortcut (shown in menus): the first of [`Action::shortcuts`].
    pub fn shortcut(self) -> Option<KeyboardShortcut> {
        self.shortcuts().first().copied()
    }

    /// Every shortcut of the action, the main one first (Redo is also Ctrl+Y, Delete also
    /// Backspace). Copy and Paste also come as the platform's clipboard events.
    pub fn shortcuts(self) -> Vec<KeyboardShortcut> {
        use Action as A;
        let cmd = Modifiers::COMMAND;
        let ks = |list: &[(Modifiers, Key)]| {
            list.iter()
                .map(|(m, k)| KeyboardShortcut::new(*m, *k))
                .collect::<Vec<_>>()
        };
        let none = Modifiers::NONE;
        let shift = Modifiers::SHIFT;
        match self {
            A::Redo => ks(&[(cmd.plus(shift), Key::Z), (cmd, Key::Y)]),
            A::Delete => ks(&[(none, Key::Delete), (none, Key::Backspace)]),
            A::Paste => ks(&[(cmd, Key::V)]),
            A::NudgeLeft => ks(&[(none, Key::ArrowLeft)]),
            A::NudgeRight => ks(&[(none, Key::ArrowRight)]),
            A::NudgeUp => ks(&[(none, Key::ArrowUp)]),
            A::NudgeDown => ks(&[(none, Key::ArrowDown)]),
            A::NudgeLeftFar => ks(&[(shift, Key::ArrowLeft)]),
            A::NudgeRightFar => ks(&[(shift, Key::ArrowRight)]),
            A::NudgeUpFar => ks(&[(shift, Key::ArrowUp)]),
            A::NudgeDownFar => ks(&[(shift, Key::ArrowDown)]),
            other => other.single_shortcut().into_iter().collect(),
        }
    }

    fn single_shortcut(self) -> Option<KeyboardShortcut> {
        use Action as A;
        let cmd = Modifiers::COMMAND;
        let cmd_shift = Modifiers::COMMAND.plus(Modifiers::SHIFT);
        let k = |m, key| Some(KeyboardShortcut::new(m, key));
        match self {
            A::NewProject => k(cmd, Key::N),
            A::Open => k(cmd, Key::O),
            A::ImportSql => k(cmd_shift, Key::I),
            A::Save => k(cmd, Key::S),
            A::SaveAs => k(cmd_shift, Key::S),
            A::Undo => k(cmd, Key::Z),
            A::Copy => k(cmd, Key::C),
            A::SelectAll => k(cmd, Key::A),
            A::ClearSelection => k(Modifiers::NONE, Key::Escape),
            A::NewTable => k(Modifiers::NONE, Key::T),
            A::AddColumn => k(Modifiers::NONE, Key::C),
            A::Rename => k(Modifiers::NONE, Key::F2),
            A::Fit => k(Modifiers::NONE, Key::F),
            A::ZoomToSelection => k(Modifiers::SHIFT, Key::F),
            A::ZoomIn => k(cmd, Key::Equals),
            A::ZoomOut => k(cmd, Key::Minus),
            A::ZoomReset => k(cmd, Key::Num0),
            A::LayoutLayered => k(Modifiers::NONE, Key::L),
            A::CommandPalette => k(cmd, Key::K),
            A::Normalize => k(cmd_shift, Key::N),
            A::Indexes => k(cmd_shift, Key::E),
            A::ExploreRelations => k(Modifiers::NONE, Key::E),
            A::FindPath => k(Modifiers::NONE, Key::P),
            A::Focus => k(Modifiers::NONE, Key::O),
            A::Present => k(Modifiers::NONE, Key::F5),
            A::Find => k(cmd, Key::F),
            A::CopyDdl => k(cmd_shift, Key::C),
            A::Quit => k(cmd, Key::Q),
            _ => None,
        }
    }

    /// Shortcuts that are plain keys must not fire while the user types in a text field.
    pub fn is_plain_key(self) -> bool {
        self.shortcut()
            .is_some_and(|s| s.modifiers == Modifiers::NONE || s.modifiers == Modifiers::SHIFT)
    }

    /// A shown/hidden setting: menus draw it as a checkbox (see `Studio::is_checked`).
    pub fn is_toggle(self) -> bool {
        matches!(
            self,
            Action::ToggleLeftPanel | Action::ToggleInspector | Action::ToggleBottomPanel
        )
    }

    /// The nudge direction in canvas units, for the Nudge actions.
    pub fn nudge(self) -> Option<(f32, f32)> {
        use Action as A;
        let (step, far) = (8.0, 40.0);
        Some(match self {
            A::NudgeLeft => (-step, 0.0),
            A::NudgeRight => (step, 0.0),
            A::NudgeUp => (0.0, -step),
            A::NudgeDown => (0.0, step),
            A::NudgeLeftFar => (-far, 0.0),
            A::NudgeRightFar => (far, 0.0),
            A::NudgeUpFar => (0.0, -far),
            A::NudgeDownFar => (0.0, far),
            _ => return None,
        })
    }
}
