//! `saas`: a multi-tenant project-management SaaS (tenants, users, roles and permissions,
//! projects and tasks, billing, API keys, webhooks, audit log). Forty tables.
//!
//! Tenant isolation is enforced by the schema: every tenant-owned table has `tenant_id` and a
//! composite primary key starting with `tenant_id`, and references inside a tenant are
//! composite foreign keys `(tenant_id, x_id) -> (tenant_id, id)`, so a row can never point at
//! another tenant's data. Tables reached through such a composite key do not repeat the plain
//! `tenant_id -> tenants` key.
//!
//! The same design makes it ready for Citus (docs/distribution.md): `crowfoot check
//! --distribution citus` finds nothing under the suggested plan (`tenants` distributed by
//! `id`, every tenant-owned table by `tenant_id`, `permissions` and `plans` reference tables),
//! because every key and unique constraint of a tenant-owned table includes `tenant_id` and
//! every reference between them pairs it. [`build_unsharded`] is the same application
//! designed without sharding in mind (identity keys, global uniques, a nullable `tenant_id`,
//! a few roles stored by hand): every DS rule fires on it for its engine.

use super::social::layout;
use crate::model::FkAction::{self, Cascade, NoAction, Restrict, SetNull};
use crate::model::builder::{ProjectBuilder, TableBuilder};
use crate::model::{Deferrable, LogicalType as T, Project, TableId};

const NOW: &str = "CURRENT_TIMESTAMP";

fn money() -> T {
    T::Decimal(Some(12), Some(2))
}

/// Which design of the application to build.
#[derive(Clone, Copy, PartialEq)]
enum Design {
    /// Keys and references all include `tenant_id`: ready for Citus.
    Sharded,
    /// Designed for one node: identity ids, global uniques (`build_unsharded`).
    Unsharded,
}

/// A tenant-owned table, then whatever `f` adds. Sharded: primary key `(tenant_id, id)`, the
/// `id` allocated by the application (an identity column cannot be part of a composite key
/// on every engine, and Citus needs `tenant_id` in every key). Unsharded: an identity `id`
/// primary key and `UNIQUE (tenant_id, id)` as the target of composite foreign keys.
fn owned(
    b: &mut ProjectBuilder,
    d: Design,
    name: &str,
    f: impl FnOnce(&mut TableBuilder),
) -> TableId {
    b.table(name, |t| {
        if d == Design::Sharded {
            t.col("tenant_id", T::BigInt).pk();
            t.col("id", T::BigInt).pk();
            f(t);
        } else {
            t.col("tenant_id", T::BigInt).not_null();
            t.col("id", T::BigInt).identity().pk();
            f(t);
            t.unique_on(Some(&format!("uq_{name}_tenant_id")), &["tenant_id", "id"]);
        }
    })
}

/// A value unique in its tenant (sharded: `UNIQUE (tenant_id, col)`, as Citus needs) or
/// across tenants (unsharded: `UNIQUE (col)`), on the column just added.
fn unique_in_tenant(t: &mut TableBuilder, d: Design, table: &str, col: &str) {
    match d {
        Design::Sharded => {
            t.unique_on(
                Some(&format!("uq_{table}_tenant_{col}")),
                &["tenant_id", col],
            );
        }
        Design::Unsharded => {
            t.unique();
        }
    }
}

/// The audit log's own columns and indexes (after `tenant_id` and `id`).
fn audit_columns(t: &mut TableBuilder) {
    t.table_comment(
        "Append-only record of security-relevant actions. The actor is not a foreign key: \
         audit rows outlive the users they mention.",
    );
    t.col("actor_user_id", T::BigInt);
    t.col("action", T::Varchar(Some(80))).not_null();
    t.col("entity_type", T::Varchar(Some(60))).not_null();
    t.col("entity_id", T::BigInt);
    t.col("ip_address", T::Varchar(Some(45)))
        .tag("pii")
        .comment("PII: client IP of the request.");
    t.col("user_agent", T::Varchar(Some(255)));
    t.col("details", T::Json);
    t.col("created_at", T::TimestampTz).not_null().default(NOW);
    t.index(
        "ix_audit_log_tenant_time",
        &["tenant_id", "created_at DESC"],
    );
    t.index(
        "ix_audit_log_entity",
        &["tenant_id", "entity_type", "entity_id"],
    );
}

/// Name every foreign key `fk_<table>_<first column without _id>` so that names are unique
/// even where a table references another one twice.
fn fk_name(b: &ProjectBuilder, from: TableId, col: &str) -> String {
    let t = &b.project().table(from).expect("table exists").name;
    format!("fk_{t}_{}", col.strip_suffix("_id").unwrap_or(col))
}

/// `from(tenant_id, col) -> to(tenant_id, id)`.
fn tfk(b: &mut ProjectBuilder, from: TableId, col: &str, to: TableId, on_delete: FkAction) {
    let name = fk_name(b, from, col);
    b.fk_with(from, &["tenant_id", col], to, &["tenant_id", "id"], |f| {
        f.name = Some(name);
        f.on_delete = on_delete;
    });
}

/// A single-column foreign key `from(col) -> to(to_col)`.
fn sfk(
    b: &mut ProjectBuilder,
    from: TableId,
    col: &str,
    to: TableId,
    to_col: &str,
    on_delete: FkAction,
) {
    let name = fk_name(b, from, col);
    b.fk_with(from, &[col], to, &[to_col], |f| {
        f.name = Some(name);
        f.on_delete = on_delete;
    });
}

/// The sample: the sharded design, ready for Citus.
pub fn build() -> Project {
    build_design(Design::Sharded)
}

/// The same application designed for one node: every DS rule fires on it
/// (`projects/saas-unsharded.ron`, `tests/distribution.rs`).
pub fn build_unsharded() -> Project {
    build_design(Design::Unsharded)
}

fn build_design(d: Design) -> Project {
    let sharded = d == Design::Sharded;
    let mut b = ProjectBuilder::new(if sharded { "SaaS" } else { "SaaS (unsharded)" });

    let task_status = b.enum_type(
        "task_status",
        &["todo", "in_progress", "in_review", "done", "cancelled"],
    );
    let subscription_status = b.enum_type(
        "subscription_status",
        &["trialing", "active", "past_due", "canceled"],
    );
    let invoice_status = b.enum_type(
        "invoice_status",
        &["draft", "open", "paid", "void", "uncollectible"],
    );

    // ----- tenancy and identity -----
    let tenants = b.table("tenants", |t| {
        t.table_comment("Customer organizations. Everything else belongs to exactly one tenant.");
        t.col("id", T::BigInt).identity().pk();
        t.col("public_id", T::Uuid).not_null();
        if !sharded {
            t.unique();
        }
        t.col("name", T::Varchar(Some(120))).not_null();
        t.col("slug", T::Varchar(Some(63)))
            .not_null()
            .comment("Subdomain: <slug>.example.app");
        if sharded {
            // Citus enforces uniqueness only with the distribution column (`id`): the global
            // uniqueness of slugs and public ids is the sign-up service's, indexed here.
            t.index("ix_tenants_public_id", &["public_id"]);
            t.index("ix_tenants_slug", &["slug"]);
        } else {
            t.unique();
        }
        t.col("owner_user_id", T::BigInt).comment(
            "The user who owns the account. Nullable and deferred: the tenant and its \
             first user are created in one transaction.",
        );
        t.col("created_at", T::TimestampTz).not_null().default(NOW);
        t.col("suspended_at", T::TimestampTz);
        t.index("ix_tenants_owner", &["owner_user_id"]);
    });

    let users = owned(&mut b, d, "users", |t| {
        t.table_comment("Accounts. A user belongs to one tenant.");
        t.col("email", T::Varchar(Some(255)))
            .not_null()
            .tag("pii")
            .comment("PII: login address, unique per tenant (case-insensitive).");
        t.col("full_name", T::Varchar(Some(120)))
            .tag("pii")
            .comment("PII: shown to teammates.");
        t.col("phone", T::Varchar(Some(30)))
            .tag("pii")
            .comment("PII: used for two-factor SMS only.");
        t.col("password_hash", T::Varchar(Some(255)));
        t.col("is_active", T::Boolean).not_null().default("TRUE");
        t.col("created_at", T::TimestampTz).not_null().default(NOW);
        t.col("last_login_at", T::TimestampTz);
        t.unique_on(Some("uq_users_tenant_email"), &["tenant_id", "email"]);
        t.expr_index("ix_users_email_lower", "lower(email)", false);
    });

    let roles = owned(&mut b, d, "roles", |t| {
        t.table_comment("Named sets of permissions, defined per tenant.");
        t.col("name", T::Varchar(Some(60))).not_null();
        t.col("description", T::Varchar(Some(255)));
        t.col("is_system", T::Boolean)
            .not_null()
            .default("FALSE")
            .comment("Built-in roles (owner, admin, member) cannot be deleted.");
        t.unique_on(Some("uq_roles_tenant_name"), &["tenant_id", "name"]);
    });

    let permissions = b.table("permissions", |t| {
        t.table_comment("Global catalog of permissions, e.g. `task.update`.");
        t.col("id", T::BigInt).identity().pk();
        t.col("code", T::Varchar(Some(100))).not_null().unique();
        t.col("description", T::Varchar(Some(255)));
    });

    let role_permissions = b.table("role_permissions", |t| {
        t.col("tenant_id", T::BigInt).pk();
        t.col("role_id", T::BigInt).pk();
        t.col("permission_id", T::BigInt).pk();
        t.index("ix_role_permissions_permission", &["permission_id"]);
    });

    let memberships = owned(&mut b, d, "memberships", |t| {
        t.table_comment("Role grants: which user holds which role in the tenant.");
        t.col("user_id", T::BigInt).not_null();
        t.col("role_id", T::BigInt).not_null();
        t.col("granted_by_user_id", T::BigInt);
        t.col("granted_at", T::TimestampTz).not_null().default(NOW);
        t.unique_on(
            Some("uq_memberships_user_role"),
            &["tenant_id", "user_id", "role_id"],
        );
        t.index("ix_memberships_role", &["tenant_id", "role_id"]);
    });

    let invitations = owned(&mut b, d, "invitations", |t| {
        t.col("email", T::Varchar(Some(255)))
            .not_null()
            .tag("pii")
            .comment("PII: address the invitation was sent to.");
        t.col("role_id", T::BigInt).not_null();
        t.col("invited_by_user_id", T::BigInt).not_null();
        t.col("token_hash", T::Varchar(Some(255))).not_null();
        unique_in_tenant(t, d, "invitations", "token_hash");
        t.col("expires_at", T::TimestampTz).not_null();
        t.col("accepted_at", T::TimestampTz);
        t.index_with("ix_invitations_pending", &["tenant_id", "email"], |i| {
            i.where_clause = Some("accepted_at IS NULL".into())
        });
    });

    let sessions = owned(&mut b, d, "sessions", |t| {
        t.col("user_id", T::BigInt).not_null();
        t.col("token_hash", T::Varchar(Some(255))).not_null();
        unique_in_tenant(t, d, "sessions", "token_hash");
        t.col("ip_address", T::Varchar(Some(45)))
            .tag("pii")
            .comment("PII: client IP (IPv4 or IPv6 text) at sign-in.");
        t.col("user_agent", T::Varchar(Some(255)));
        t.col("created_at", T::TimestampTz).not_null().default(NOW);
        t.col("expires_at", T::TimestampTz).not_null();
        t.col("revoked_at", T::TimestampTz);
        t.index("ix_sessions_user", &["tenant_id", "user_id"]);
    });

    let api_keys = owned(&mut b, d, "api_keys", |t| {
        t.table_comment("Keys for the public API. Only a hash of the secret is stored.");
        t.col("created_by_user_id", T::BigInt);
        t.col("name", T::Varchar(Some(100))).not_null();
        t.col("prefix", T::Varchar(Some(12)))
            .not_null()
            .comment("First characters of the key, shown in the UI to identify it.");
        unique_in_tenant(t, d, "api_keys", "prefix");
        t.col("key_hash", T::Varchar(Some(255))).not_null();
        t.col("created_at", T::TimestampTz).not_null().default(NOW);
        t.col("last_used_at", T::TimestampTz);
        t.col("expires_at", T::TimestampTz);
        t.col("revoked_at", T::TimestampTz);
        t.index_with("ix_api_keys_live", &["tenant_id"], |i| {
            i.where_clause = Some("revoked_at IS NULL".into())
        });
    });

    let teams = owned(&mut b, d, "teams", |t| {
        t.col("name", T::Varchar(Some(100))).not_null();
        t.col("created_at", T::TimestampTz).not_null().default(NOW);
        t.unique_on(Some("uq_teams_tenant_name"), &["tenant_id", "name"]);
    });

    let team_members = b.table("team_members", |t| {
        t.col("tenant_id", T::BigInt).pk();
        t.col("team_id", T::BigInt).pk();
        t.col("user_id", T::BigInt).pk();
        t.col("is_lead", T::Boolean).not_null().default("FALSE");
        t.index("ix_team_members_user", &["tenant_id", "user_id"]);
    });

    let departments = owned(&mut b, d, "departments", |t| {
        t.col("name", T::Varchar(Some(100))).not_null();
        t.col("cost_center", T::Varchar(Some(20)));
        t.unique_on(Some("uq_departments_tenant_name"), &["tenant_id", "name"]);
    });

    let employees = owned(&mut b, d, "employees", |t| {
        t.table_comment("HR view of users: reporting lines and departments.");
        t.col("user_id", T::BigInt).not_null();
        t.col("department_id", T::BigInt);
        t.col("manager_id", T::BigInt)
            .comment("Another employee of the same tenant; NULL at the top.");
        t.col("job_title", T::Varchar(Some(100)));
        t.col("work_phone", T::Varchar(Some(30)))
            .tag("pii")
            .comment("PII: direct line.");
        t.col("hired_on", T::Date);
        t.unique_on(Some("uq_employees_user"), &["tenant_id", "user_id"]);
        t.index("ix_employees_manager", &["tenant_id", "manager_id"]);
    });

    // ----- work -----
    let projects = owned(&mut b, d, "projects", |t| {
        t.col("team_id", T::BigInt);
        t.col("lead_user_id", T::BigInt);
        t.col("code", T::Varchar(Some(10)))
            .not_null()
            .comment("Short prefix of task numbers, e.g. WEB-42.");
        t.col("name", T::Varchar(Some(150))).not_null();
        t.col("description", T::Text);
        t.col("created_at", T::TimestampTz).not_null().default(NOW);
        t.col("archived_at", T::TimestampTz);
        t.unique_on(Some("uq_projects_tenant_code"), &["tenant_id", "code"]);
        t.index_with("ix_projects_active", &["tenant_id", "name"], |i| {
            i.where_clause = Some("archived_at IS NULL".into())
        });
    });

    let project_members = b.table("project_members", |t| {
        t.col("tenant_id", T::BigInt).pk();
        t.col("project_id", T::BigInt).pk();
        t.col("user_id", T::BigInt).pk();
        t.col("added_at", T::TimestampTz).not_null().default(NOW);
        t.index("ix_project_members_user", &["tenant_id", "user_id"]);
    });

    let milestones = owned(&mut b, d, "milestones", |t| {
        t.col("project_id", T::BigInt).not_null();
        t.col("name", T::Varchar(Some(120))).not_null();
        t.col("due_on", T::Date);
        t.col("closed_at", T::TimestampTz);
        t.index("ix_milestones_project", &["tenant_id", "project_id"]);
    });

    let labels = owned(&mut b, d, "labels", |t| {
        t.col("project_id", T::BigInt).not_null();
        t.col("name", T::Varchar(Some(50))).not_null();
        t.col("color", T::Char(7)).not_null().default("'#888888'");
        t.unique_on(
            Some("uq_labels_project_name"),
            &["tenant_id", "project_id", "name"],
        );
    });

    let tasks = owned(&mut b, d, "tasks", |t| {
        t.table_comment("Units of work. Subtasks point at their parent task.");
        t.col("project_id", T::BigInt).not_null();
        t.col("parent_task_id", T::BigInt)
            .comment("Parent task (same tenant); NULL for top-level tasks.");
        t.col("milestone_id", T::BigInt);
        t.col("task_number", T::Integer)
            .not_null()
            .comment("Sequential per project, shown as CODE-number.");
        t.col("title", T::Varchar(Some(200))).not_null();
        t.col("description", T::Text);
        t.col("status", T::Enum(task_status))
            .not_null()
            .default("'todo'");
        t.col("priority", T::SmallInt).not_null().default("2");
        t.col("assignee_id", T::BigInt);
        t.col("reporter_id", T::BigInt).not_null();
        t.col("due_on", T::Date);
        t.col("created_at", T::TimestampTz).not_null().default(NOW);
        t.col("completed_at", T::TimestampTz);
        t.check(Some("ck_tasks_priority"), "priority BETWEEN 0 AND 4");
        t.unique_on(
            Some("uq_tasks_project_task_number"),
            &["tenant_id", "project_id", "task_number"],
        );
        t.index(
            "ix_tasks_project_status",
            &["tenant_id", "project_id", "status"],
        );
        t.index("ix_tasks_parent", &["tenant_id", "parent_task_id"]);
        t.index_with(
            "ix_tasks_open_by_assignee",
            &["tenant_id", "assignee_id"],
            |i| i.where_clause = Some("completed_at IS NULL".into()),
        );
    });

    let task_labels = b.table("task_labels", |t| {
        t.col("tenant_id", T::BigInt).pk();
        t.col("task_id", T::BigInt).pk();
        t.col("label_id", T::BigInt).pk();
        t.index("ix_task_labels_label", &["tenant_id", "label_id"]);
    });

    let task_watchers = b.table("task_watchers", |t| {
        t.col("tenant_id", T::BigInt).pk();
        t.col("task_id", T::BigInt).pk();
        t.col("user_id", T::BigInt).pk();
        t.index("ix_task_watchers_user", &["tenant_id", "user_id"]);
    });

    let comments = owned(&mut b, d, "comments", |t| {
        t.col("task_id", T::BigInt).not_null();
        t.col("author_id", T::BigInt).not_null();
        t.col("body", T::Text).not_null();
        t.col("created_at", T::TimestampTz).not_null().default(NOW);
        t.col("edited_at", T::TimestampTz);
        t.index("ix_comments_task", &["tenant_id", "task_id", "created_at"]);
    });

    let attachments = owned(&mut b, d, "attachments", |t| {
        t.table_comment("Files attached to tasks; the bytes live in object storage.");
        t.col("task_id", T::BigInt).not_null();
        t.col("uploaded_by_user_id", T::BigInt).not_null();
        t.col("file_name", T::Varchar(Some(255))).not_null();
        t.col("content_type", T::Varchar(Some(100))).not_null();
        t.col("size_bytes", T::BigInt).not_null();
        t.col("storage_key", T::Varchar(Some(255)))
            .not_null()
            .comment("Object-storage key.");
        unique_in_tenant(t, d, "attachments", "storage_key");
        t.col("created_at", T::TimestampTz).not_null().default(NOW);
        t.check(Some("ck_attachments_size"), "size_bytes >= 0");
        t.index("ix_attachments_task", &["tenant_id", "task_id"]);
    });

    let time_entries = owned(&mut b, d, "time_entries", |t| {
        t.col("task_id", T::BigInt).not_null();
        t.col("user_id", T::BigInt).not_null();
        t.col("started_at", T::TimestampTz).not_null();
        t.col("ended_at", T::TimestampTz);
        t.col("minutes", T::Integer).not_null().default("0");
        t.col("note", T::Varchar(Some(255)));
        t.col("is_billable", T::Boolean).not_null().default("TRUE");
        t.check(Some("ck_time_entries_minutes"), "minutes >= 0");
        t.check(
            Some("ck_time_entries_period"),
            "ended_at IS NULL OR ended_at >= started_at",
        );
        t.index(
            "ix_time_entries_user",
            &["tenant_id", "user_id", "started_at DESC"],
        );
        t.index("ix_time_entries_task", &["tenant_id", "task_id"]);
    });

    let custom_fields = owned(&mut b, d, "custom_fields", |t| {
        t.col("project_id", T::BigInt).not_null();
        t.col("name", T::Varchar(Some(80))).not_null();
        t.col("field_type", T::Varchar(Some(20))).not_null();
        t.col("is_required", T::Boolean).not_null().default("FALSE");
        t.check(
            Some("ck_custom_fields_type"),
            "field_type IN ('text', 'number', 'date', 'select')",
        );
        t.unique_on(
            Some("uq_custom_fields_project_name"),
            &["tenant_id", "project_id", "name"],
        );
    });

    let custom_field_values = b.table("custom_field_values", |t| {
        t.col("tenant_id", T::BigInt).pk();
        t.col("task_id", T::BigInt).pk();
        t.col("field_id", T::BigInt).pk();
        t.col("value_text", T::Varchar(Some(255)));
        t.col("value_number", T::Decimal(Some(18), Some(4)));
        t.col("value_date", T::Date);
        t.index("ix_custom_field_values_field", &["tenant_id", "field_id"]);
    });

    // ----- billing -----
    let plans = b.table("plans", |t| {
        t.table_comment("Global price list.");
        t.col("id", T::BigInt).identity().pk();
        t.col("code", T::Varchar(Some(40))).not_null().unique();
        t.col("name", T::Varchar(Some(80))).not_null();
        t.col("monthly_price", money()).not_null();
        t.col("max_seats", T::Integer)
            .comment("NULL means unlimited.");
        t.col("is_public", T::Boolean).not_null().default("TRUE");
        t.check(Some("ck_plans_price"), "monthly_price >= 0");
        t.check(Some("ck_plans_seats"), "max_seats > 0");
    });

    let plan_features = b.table("plan_features", |t| {
        t.col("plan_id", T::BigInt).pk();
        t.col("feature_code", T::Varchar(Some(80))).pk();
        t.col("quota", T::Integer)
            .comment("NULL: the feature is included without a quota.");
    });

    let subscriptions = owned(&mut b, d, "subscriptions", |t| {
        t.col("plan_id", T::BigInt).not_null();
        t.col("status", T::Enum(subscription_status))
            .not_null()
            .default("'trialing'");
        t.col("seats", T::Integer).not_null().default("1");
        t.col("current_period_start", T::TimestampTz).not_null();
        t.col("current_period_end", T::TimestampTz).not_null();
        t.col("canceled_at", T::TimestampTz);
        t.col("created_at", T::TimestampTz).not_null().default(NOW);
        t.check(Some("ck_subscriptions_seats"), "seats > 0");
        t.check(
            Some("ck_subscriptions_period"),
            "current_period_end > current_period_start",
        );
        t.index_with("ix_subscriptions_active", &["tenant_id"], |i| {
            i.where_clause = Some("status IN ('trialing', 'active', 'past_due')".into())
        });
    });

    let invoices = owned(&mut b, d, "invoices", |t| {
        t.col("subscription_id", T::BigInt).not_null();
        t.col("invoice_number", T::Varchar(Some(30))).not_null();
        t.col("status", T::Enum(invoice_status))
            .not_null()
            .default("'draft'");
        t.col("currency", T::Char(3)).not_null().default("'USD'");
        t.col("subtotal", money()).not_null().default("0");
        t.col("tax", money()).not_null().default("0");
        t.col("total", money()).not_null().default("0");
        t.col("issued_at", T::TimestampTz);
        t.col("due_at", T::TimestampTz);
        t.col("paid_at", T::TimestampTz);
        t.check(Some("ck_invoices_total"), "total >= 0 AND tax >= 0");
        t.unique_on(
            Some("uq_invoices_tenant_number"),
            &["tenant_id", "invoice_number"],
        );
        t.index(
            "ix_invoices_subscription",
            &["tenant_id", "subscription_id"],
        );
        t.index_with("ix_invoices_unpaid_due", &["due_at"], |i| {
            i.where_clause = Some("paid_at IS NULL".into())
        });
    });

    let invoice_lines = b.table("invoice_lines", |t| {
        t.col("tenant_id", T::BigInt).pk();
        t.col("invoice_id", T::BigInt).pk();
        t.col("line_no", T::SmallInt).pk();
        t.col("description", T::Varchar(Some(255))).not_null();
        t.col("quantity", T::Integer).not_null().default("1");
        t.col("unit_amount", money()).not_null();
        t.col("amount", money()).not_null();
        t.check(Some("ck_invoice_lines_quantity"), "quantity > 0");
    });

    let payment_methods = owned(&mut b, d, "payment_methods", |t| {
        t.col("kind", T::Varchar(Some(20))).not_null();
        t.col("brand", T::Varchar(Some(30)));
        t.col("last4", T::Char(4));
        t.col("exp_month", T::SmallInt);
        t.col("exp_year", T::SmallInt);
        t.col("billing_email", T::Varchar(Some(255)))
            .tag("pii")
            .comment("PII: where receipts are sent.");
        t.col("is_default", T::Boolean).not_null().default("FALSE");
        t.check(
            Some("ck_payment_methods_kind"),
            "kind IN ('card', 'sepa', 'invoice')",
        );
        t.check(
            Some("ck_payment_methods_exp_month"),
            "exp_month BETWEEN 1 AND 12",
        );
    });

    let payments = owned(&mut b, d, "payments", |t| {
        t.col("invoice_id", T::BigInt).not_null();
        t.col("payment_method_id", T::BigInt);
        t.col("amount", money()).not_null();
        t.col("provider_ref", T::Varchar(Some(100)));
        unique_in_tenant(t, d, "payments", "provider_ref");
        t.col("paid_at", T::TimestampTz).not_null().default(NOW);
        t.check(Some("ck_payments_amount"), "amount > 0");
        t.index("ix_payments_invoice", &["tenant_id", "invoice_id"]);
    });

    let usage_records = owned(&mut b, d, "usage_records", |t| {
        t.table_comment("Metered usage reported during a billing period.");
        t.col("subscription_id", T::BigInt).not_null();
        t.col("metric", T::Varchar(Some(60))).not_null();
        t.col("quantity", T::BigInt).not_null();
        t.col("recorded_at", T::TimestampTz).not_null().default(NOW);
        t.check(Some("ck_usage_records_quantity"), "quantity >= 0");
        t.index(
            "ix_usage_records_metric",
            &["tenant_id", "metric", "recorded_at DESC"],
        );
    });

    // ----- platform -----
    let audit_log = if sharded {
        owned(&mut b, d, "audit_log", audit_columns)
    } else {
        // On one node: system events have no tenant (a nullable tenant_id) and the log
        // needs no key.
        b.table("audit_log", |t| {
            t.col("tenant_id", T::BigInt)
                .comment("NULL for system events.");
            t.col("id", T::BigInt).not_null();
            audit_columns(t);
        })
    };

    let notifications = owned(&mut b, d, "notifications", |t| {
        t.col("user_id", T::BigInt).not_null();
        t.col("kind", T::Varchar(Some(40))).not_null();
        t.col("payload", T::Json);
        t.col("created_at", T::TimestampTz).not_null().default(NOW);
        t.col("read_at", T::TimestampTz);
        t.index_with("ix_notifications_unread", &["tenant_id", "user_id"], |i| {
            i.where_clause = Some("read_at IS NULL".into())
        });
    });

    let webhooks = owned(&mut b, d, "webhooks", |t| {
        t.col("url", T::Varchar(Some(500))).not_null();
        t.col("secret_hash", T::Varchar(Some(255))).not_null();
        t.col("event_types", T::Varchar(Some(500)))
            .not_null()
            .default("'*'")
            .comment("Comma-separated event types, or * for all.");
        t.col("is_active", T::Boolean).not_null().default("TRUE");
        t.col("created_at", T::TimestampTz).not_null().default(NOW);
    });

    let webhook_events = owned(&mut b, d, "webhook_events", |t| {
        t.col("webhook_id", T::BigInt).not_null();
        t.col("event_type", T::Varchar(Some(80))).not_null();
        t.col("payload", T::Json).not_null();
        t.col("state", T::Varchar(Some(20)))
            .not_null()
            .default("'pending'");
        t.col("attempts", T::Integer).not_null().default("0");
        t.col("next_attempt_at", T::TimestampTz);
        t.col("created_at", T::TimestampTz).not_null().default(NOW);
        t.check(
            Some("ck_webhook_events_state"),
            "state IN ('pending', 'delivered', 'failed')",
        );
        t.check(Some("ck_webhook_events_attempts"), "attempts >= 0");
        t.index_with("ix_webhook_events_due", &["next_attempt_at"], |i| {
            i.where_clause = Some("state = 'pending'".into())
        });
    });

    let webhook_deliveries = owned(&mut b, d, "webhook_deliveries", |t| {
        t.col("event_id", T::BigInt).not_null();
        t.col("response_code", T::SmallInt);
        t.col("duration_ms", T::Integer);
        t.col("error_message", T::Varchar(Some(500)));
        t.col("delivered_at", T::TimestampTz)
            .not_null()
            .default(NOW);
        t.index("ix_webhook_deliveries_event", &["tenant_id", "event_id"]);
    });

    let integrations = owned(&mut b, d, "integrations", |t| {
        t.col("provider", T::Varchar(Some(40))).not_null();
        t.col("installed_by_user_id", T::BigInt);
        t.col("config", T::Json);
        t.col("created_at", T::TimestampTz).not_null().default(NOW);
        t.unique_on(
            Some("uq_integrations_tenant_provider"),
            &["tenant_id", "provider"],
        );
    });

    let feature_flags = b.table("feature_flags", |t| {
        t.table_comment("Per-tenant switches for features being rolled out.");
        t.col("tenant_id", T::BigInt).pk();
        t.col("flag", T::Varchar(Some(80))).pk();
        t.col("is_enabled", T::Boolean).not_null().default("FALSE");
        t.col("updated_at", T::TimestampTz).not_null().default(NOW);
    });

    // ----- foreign keys -----
    // The cycle tenants <-> users: the owner edge is nullable and checked at commit.
    // Sharded, it pairs the tenant too ((id, owner_user_id) -> users (tenant_id, id)): the
    // owner is one of the tenant's users, and Citus can check the key on one node.
    let name = fk_name(&b, tenants, "owner_user_id");
    let (from, to, on_delete): (&[&str], &[&str], _) = if sharded {
        (&["id", "owner_user_id"], &["tenant_id", "id"], NoAction)
    } else {
        (&["owner_user_id"], &["id"], SetNull)
    };
    b.fk_with(tenants, from, users, to, |f| {
        f.name = Some(name);
        f.on_delete = on_delete;
        f.deferrable = Deferrable::InitiallyDeferred;
    });
    // Tables not reached through a composite key get the plain tenant key.
    for t in [
        users,
        roles,
        api_keys,
        teams,
        departments,
        projects,
        subscriptions,
        payment_methods,
        audit_log,
        webhooks,
        integrations,
        feature_flags,
    ] {
        sfk(&mut b, t, "tenant_id", tenants, "id", Cascade);
    }

    tfk(&mut b, role_permissions, "role_id", roles, Cascade);
    sfk(
        &mut b,
        role_permissions,
        "permission_id",
        permissions,
        "id",
        Cascade,
    );
    tfk(&mut b, memberships, "user_id", users, Cascade);
    tfk(&mut b, memberships, "role_id", roles, Cascade);
    tfk(&mut b, memberships, "granted_by_user_id", users, NoAction);
    tfk(&mut b, invitations, "role_id", roles, Cascade);
    tfk(&mut b, invitations, "invited_by_user_id", users, Cascade);
    tfk(&mut b, sessions, "user_id", users, Cascade);
    tfk(&mut b, api_keys, "created_by_user_id", users, NoAction);
    tfk(&mut b, team_members, "team_id", teams, Cascade);
    tfk(&mut b, team_members, "user_id", users, Cascade);
    tfk(&mut b, employees, "user_id", users, Cascade);
    tfk(&mut b, employees, "department_id", departments, NoAction);
    tfk(&mut b, employees, "manager_id", employees, NoAction);

    tfk(&mut b, projects, "team_id", teams, NoAction);
    tfk(&mut b, projects, "lead_user_id", users, NoAction);
    tfk(&mut b, project_members, "project_id", projects, Cascade);
    tfk(&mut b, project_members, "user_id", users, Cascade);
    tfk(&mut b, milestones, "project_id", projects, Cascade);
    tfk(&mut b, labels, "project_id", projects, Cascade);
    tfk(&mut b, tasks, "project_id", projects, Cascade);
    tfk(&mut b, tasks, "parent_task_id", tasks, Cascade);
    tfk(&mut b, tasks, "milestone_id", milestones, NoAction);
    tfk(&mut b, tasks, "assignee_id", users, NoAction);
    tfk(&mut b, tasks, "reporter_id", users, Restrict);
    tfk(&mut b, task_labels, "task_id", tasks, Cascade);
    tfk(&mut b, task_labels, "label_id", labels, Cascade);
    tfk(&mut b, task_watchers, "task_id", tasks, Cascade);
    tfk(&mut b, task_watchers, "user_id", users, Cascade);
    tfk(&mut b, comments, "task_id", tasks, Cascade);
    tfk(&mut b, comments, "author_id", users, Cascade);
    tfk(&mut b, attachments, "task_id", tasks, Cascade);
    tfk(&mut b, attachments, "uploaded_by_user_id", users, Restrict);
    tfk(&mut b, time_entries, "task_id", tasks, Cascade);
    tfk(&mut b, time_entries, "user_id", users, Restrict);
    tfk(&mut b, custom_fields, "project_id", projects, Cascade);
    tfk(&mut b, custom_field_values, "task_id", tasks, Cascade);
    tfk(
        &mut b,
        custom_field_values,
        "field_id",
        custom_fields,
        Cascade,
    );

    sfk(&mut b, plan_features, "plan_id", plans, "id", Cascade);
    sfk(&mut b, subscriptions, "plan_id", plans, "id", Restrict);
    tfk(&mut b, invoices, "subscription_id", subscriptions, Restrict);
    tfk(&mut b, invoice_lines, "invoice_id", invoices, Cascade);
    tfk(&mut b, payments, "invoice_id", invoices, Restrict);
    tfk(
        &mut b,
        payments,
        "payment_method_id",
        payment_methods,
        NoAction,
    );
    tfk(
        &mut b,
        usage_records,
        "subscription_id",
        subscriptions,
        Cascade,
    );

    tfk(&mut b, notifications, "user_id", users, Cascade);
    tfk(&mut b, webhook_events, "webhook_id", webhooks, Cascade);
    tfk(
        &mut b,
        webhook_deliveries,
        "event_id",
        webhook_events,
        Cascade,
    );
    tfk(
        &mut b,
        integrations,
        "installed_by_user_id",
        users,
        NoAction,
    );

    // ----- views -----
    b.view(
        "open_tasks",
        "SELECT tenant_id, id, project_id, title, assignee_id, due_on FROM tasks \
         WHERE completed_at IS NULL",
        &[tasks],
    );
    b.view(
        "active_subscriptions",
        "SELECT tenant_id, id, plan_id, seats, current_period_end FROM subscriptions \
         WHERE status = 'active'",
        &[subscriptions],
    );
    b.view(
        "overdue_invoices",
        "SELECT tenant_id, id, invoice_number, total, due_at FROM invoices \
         WHERE paid_at IS NULL AND due_at < CURRENT_TIMESTAMP",
        &[invoices],
    );
    b.view(
        "project_task_counts",
        "SELECT p.tenant_id, p.id AS project_id, p.name, COUNT(t.id) AS task_count \
         FROM projects p LEFT JOIN tasks t ON t.tenant_id = p.tenant_id AND t.project_id = p.id \
         GROUP BY p.tenant_id, p.id, p.name",
        &[projects, tasks],
    );

    // ----- canvas -----
    let gap = layout::AREA_GAP;
    let identity = layout::area(
        &mut b,
        "Tenancy & identity",
        [0x4a, 0x90, 0xd9],
        [0.0, 0.0],
        &[
            &[tenants, feature_flags, api_keys],
            &[users, sessions],
            &[roles, permissions, role_permissions],
            &[memberships, invitations],
            &[teams, team_members, departments],
            &[employees],
        ],
    );
    let y = identity[1] + gap;
    let work = layout::area(
        &mut b,
        "Work",
        [0x5c, 0xb8, 0x5c],
        [0.0, y],
        &[
            &[projects, project_members],
            &[milestones, labels, task_labels],
            &[tasks],
            &[comments, attachments],
            &[time_entries, task_watchers],
            &[custom_fields, custom_field_values],
        ],
    );
    let y = y + work[1] + gap;
    let billing = layout::area(
        &mut b,
        "Billing",
        [0xe8, 0xa3, 0x3d],
        [0.0, y],
        &[
            &[plans, plan_features],
            &[subscriptions, usage_records],
            &[invoices],
            &[invoice_lines, payments],
            &[payment_methods],
        ],
    );
    let x = billing[0] + gap;
    layout::area(
        &mut b,
        "Platform",
        [0x9b, 0x59, 0xb6],
        [x, y],
        &[
            &[audit_log],
            &[webhooks, webhook_deliveries],
            &[webhook_events],
            &[notifications, integrations],
        ],
    );
    let right = identity[0].max(work[0]) + 60.0;
    if sharded {
        b.note(
            "Tenant isolation: every tenant-owned table has the primary key (tenant_id, id), \
             and references inside a tenant are composite foreign keys (tenant_id, x_id) -> \
             (tenant_id, id). Citus-ready: `crowfoot check --distribution citus` finds nothing \
             (tenants distributed by id, the rest by tenant_id, permissions and plans as \
             reference tables).",
            right,
            0.0,
        );
    } else {
        b.note(
            "Designed for one node: identity ids, uniques across tenants, an audit log without \
             a key or tenant, and a few roles stored by hand (feature_flags as a reference \
             table, permissions local, usage_records distributed by metric). `crowfoot check --distribution citus|vitess|cockroach` shows \
             every DS rule; the saas sample is the sharded design.",
            right,
            0.0,
        );
    }
    b.note(
        "tenants.owner_user_id -> users closes a cycle with users.tenant_id -> tenants. \
         It is nullable and DEFERRABLE INITIALLY DEFERRED so a tenant and its owner can be \
         created in one transaction.",
        right,
        200.0,
    );
    b.note(
        "Columns tagged pii (emails, names, phones, IP addresses) are erased on account \
         deletion and excluded from analytics exports.",
        right,
        400.0,
    );

    let mut p = b.build();
    if !sharded {
        // Roles stored by hand that the engine refuses: a small table that references
        // tenants as a reference table (DS003), the permissions kept local (DS004), and the
        // usage records spread by their metric (DS002, DS005).
        use crate::model::{Command, Distribution};
        let table =
            |p: &Project, name: &str| p.table_by_name(None, name).expect("sample table").clone();
        let usage = table(&p, "usage_records");
        let metric = usage.column_by_name("metric").expect("sample column").id;
        let roles = [
            (table(&p, "feature_flags").id, Distribution::Reference),
            (table(&p, "permissions").id, Distribution::Local),
            (usage.id, Distribution::Distributed(metric)),
        ];
        let edits = roles
            .into_iter()
            .map(|(table, role)| Command::SetDistribution {
                table,
                distribution: Some(role),
            })
            .collect();
        Command::Batch(edits)
            .apply(&mut p)
            .expect("valid sample roles");
    }
    p
}
