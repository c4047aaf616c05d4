//! `legacy`: a spreadsheet-shaped order sheet inherited from an old system, with the
//! dependencies its owners know about declared on it; a project to open the Normalize tab on.
//! `order_lines` is in 1NF only (order data depends on part of the key, customer data on a
//! non-key column); `decompose` it to 3NF or BCNF from the studio or the CLI.

use crate::analysis::normalize::apply::parse_declared;
use crate::model::builder::ProjectBuilder;
use crate::model::{Command, LogicalType as T, Project};

pub fn build() -> Project {
    let mut b = ProjectBuilder::new("Legacy order sheet");
    let lines = b.table("order_lines", |t| {
        t.at(60.0, 60.0);
        t.table_comment("One row per product per order, exported from the old order desk.");
        t.col("order_no", T::Integer).pk();
        t.col("product_code", T::Varchar(Some(20))).pk();
        t.col("order_date", T::Date).not_null();
        t.col("customer_no", T::Integer).not_null();
        t.col("customer_name", T::Varchar(Some(120)))
            .not_null()
            .tag("pii");
        t.col("customer_email", T::Varchar(Some(255)))
            .tag("pii")
            .comment("Where invoices are sent.");
        t.col("customer_zip", T::Varchar(Some(10)));
        t.col("customer_city", T::Varchar(Some(80)));
        t.col("phone1", T::Varchar(Some(30))).tag("pii");
        t.col("phone2", T::Varchar(Some(30))).tag("pii");
        t.col("product_title", T::Varchar(Some(200))).not_null();
        t.col("unit_price", T::Decimal(Some(10), Some(2)))
            .not_null();
        t.col("quantity", T::Integer).not_null();
        t.check(Some("ck_order_lines_quantity"), "quantity > 0");
        t.index("ix_order_lines_customer", &["customer_no"]);
    });
    let suppliers = b.table("suppliers", |t| {
        t.at(60.0, 520.0);
        t.col("supplier_id", T::Integer).pk();
        t.col("name", T::Varchar(Some(120))).not_null();
        t.col("product_code", T::Varchar(Some(20))).not_null();
        t.index("ix_suppliers_product", &["product_code"]);
    });
    let _ = suppliers;
    let t = b.project().table(lines).expect("just added").clone();
    let deps = [
        "order_no -> order_date, customer_no",
        "customer_no -> customer_name, customer_email, customer_zip, phone1, phone2",
        "customer_zip -> customer_city",
        "product_code -> product_title, unit_price",
    ]
    .iter()
    .map(|d| parse_declared(&t, d).unwrap_or_else(|e| panic!("{d}: {e:?}")))
    .collect();
    b.apply(Command::SetDependencies {
        table: lines,
        dependencies: deps,
    });
    b.build()
}
