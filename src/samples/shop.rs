//! `shop`: an e-commerce back office (catalog, customers, carts, orders, payments,
//! fulfillment, purchasing). Twenty-five tables showing enums, composite keys and a composite
//! foreign key, check constraints, partial / expression / descending / covering indexes, money
//! as `decimal(12,2)`, UUID public ids, JSON attributes and a stored generated column.

use super::social::layout;
use crate::model::FkAction::{Cascade, Restrict, SetNull};
use crate::model::builder::ProjectBuilder;
use crate::model::{LogicalType as T, Project};

const NOW: &str = "CURRENT_TIMESTAMP";

fn money() -> T {
    T::Decimal(Some(12), Some(2))
}

pub fn build() -> Project {
    let mut b = ProjectBuilder::new("Shop");

    let order_status = b.enum_type(
        "order_status",
        &[
            "pending",
            "paid",
            "shipped",
            "delivered",
            "cancelled",
            "refunded",
        ],
    );
    let payment_method = b.enum_type(
        "payment_method",
        &["card", "paypal", "bank_transfer", "gift_card"],
    );
    let payment_status = b.enum_type(
        "payment_status",
        &["pending", "authorized", "captured", "failed", "refunded"],
    );
    let shipment_status = b.enum_type(
        "shipment_status",
        &["preparing", "shipped", "delivered", "returned"],
    );

    // ----- customers -----
    let customers = b.table("customers", |t| {
        t.table_comment("People who buy. Email is matched case-insensitively.");
        t.col("id", T::BigInt).identity().pk();
        t.col("public_id", T::Uuid)
            .not_null()
            .unique()
            .comment("Id exposed in URLs and APIs instead of the sequential id.");
        t.col("email", T::Varchar(Some(255))).not_null().tag("pii");
        t.col("full_name", T::Varchar(Some(120))).tag("pii");
        t.col("phone", T::Varchar(Some(30))).tag("pii");
        t.col("accepts_marketing", T::Boolean)
            .not_null()
            .default("FALSE");
        t.col("created_at", T::TimestampTz).not_null().default(NOW);
        t.expr_index("ix_customers_email_lower", "lower(email)", true);
    });

    let addresses = b.table("addresses", |t| {
        t.table_comment("Postal addresses of a customer (shipping and billing).");
        t.col("id", T::BigInt).identity().pk();
        t.col("customer_id", T::BigInt).not_null();
        t.col("line1", T::Varchar(Some(200))).not_null().tag("pii");
        t.col("line2", T::Varchar(Some(200))).tag("pii");
        t.col("city", T::Varchar(Some(100))).not_null();
        t.col("region", T::Varchar(Some(100)));
        t.col("postal_code", T::Varchar(Some(20))).tag("pii");
        t.col("country_code", T::Char(2))
            .not_null()
            .comment("ISO 3166-1 alpha-2.");
        t.col("is_default", T::Boolean).not_null().default("FALSE");
        t.index("ix_addresses_customer", &["customer_id"]);
    });

    let carts = b.table("carts", |t| {
        t.table_comment("Shopping carts; anonymous until the customer signs in.");
        t.col("id", T::BigInt).identity().pk();
        t.col("public_id", T::Uuid).not_null().unique();
        t.col("customer_id", T::BigInt);
        t.col("created_at", T::TimestampTz).not_null().default(NOW);
        t.col("updated_at", T::TimestampTz).not_null().default(NOW);
        t.index("ix_carts_customer", &["customer_id"]);
    });

    let cart_items = b.table("cart_items", |t| {
        t.col("cart_id", T::BigInt).pk();
        t.col("variant_id", T::BigInt).pk();
        t.col("quantity", T::Integer).not_null().default("1");
        t.col("added_at", T::TimestampTz).not_null().default(NOW);
        t.check(Some("ck_cart_items_quantity"), "quantity > 0");
        t.index("ix_cart_items_variant", &["variant_id"]);
    });

    let wishlists = b.table("wishlists", |t| {
        t.col("id", T::BigInt).identity().pk();
        t.col("customer_id", T::BigInt).not_null();
        t.col("name", T::Varchar(Some(100))).not_null();
        t.col("is_public", T::Boolean).not_null().default("FALSE");
        t.col("created_at", T::TimestampTz).not_null().default(NOW);
        t.unique_on(Some("uq_wishlists_customer_name"), &["customer_id", "name"]);
    });

    let wishlist_items = b.table("wishlist_items", |t| {
        t.col("wishlist_id", T::BigInt).pk();
        t.col("variant_id", T::BigInt).pk();
        t.col("added_at", T::TimestampTz).not_null().default(NOW);
        t.index("ix_wishlist_items_variant", &["variant_id"]);
    });

    // ----- catalog -----
    let suppliers = b.table("suppliers", |t| {
        t.table_comment("Companies we buy stock from.");
        t.col("id", T::BigInt).identity().pk();
        t.col("name", T::Varchar(Some(150))).not_null().unique();
        t.col("contact_name", T::Varchar(Some(120))).tag("pii");
        t.col("contact_email", T::Varchar(Some(255))).tag("pii");
        t.col("phone", T::Varchar(Some(30))).tag("pii");
        t.col("country_code", T::Char(2));
    });

    let categories = b.table("categories", |t| {
        t.table_comment("Category tree; roots have no parent.");
        t.col("id", T::BigInt).identity().pk();
        t.col("parent_id", T::BigInt);
        t.col("name", T::Varchar(Some(100))).not_null();
        t.col("slug", T::Varchar(Some(120))).not_null().unique();
        t.col("sort_order", T::Integer).not_null().default("0");
        t.index("ix_categories_parent", &["parent_id", "sort_order"]);
    });

    let products = b.table("products", |t| {
        t.table_comment("What we sell. Purchasable units are the variants.");
        t.col("id", T::BigInt).identity().pk();
        t.col("public_id", T::Uuid).not_null().unique();
        t.col("supplier_id", T::BigInt);
        t.col("name", T::Varchar(Some(200))).not_null();
        t.col("slug", T::Varchar(Some(200))).not_null().unique();
        t.col("description", T::Text);
        t.col("attributes", T::Json)
            .comment("Free-form attributes (material, care instructions...).");
        t.col("is_active", T::Boolean).not_null().default("TRUE");
        t.col("created_at", T::TimestampTz).not_null().default(NOW);
        t.index_with("ix_products_active_name", &["name"], |i| {
            i.where_clause = Some("is_active = TRUE".into())
        });
        t.index("ix_products_supplier", &["supplier_id"]);
    });

    let product_categories = b.table("product_categories", |t| {
        t.col("product_id", T::BigInt).pk();
        t.col("category_id", T::BigInt).pk();
        t.index("ix_product_categories_category", &["category_id"]);
    });

    let variants = b.table("variants", |t| {
        t.table_comment("A purchasable version of a product (size, color...).");
        t.col("id", T::BigInt).identity().pk();
        t.col("product_id", T::BigInt).not_null();
        t.col("sku", T::Varchar(Some(64)))
            .not_null()
            .unique()
            .comment("Stock keeping unit, printed on labels.");
        t.col("title", T::Varchar(Some(120))).not_null();
        t.col("weight_grams", T::Integer);
        t.col("attributes", T::Json);
        t.check(Some("ck_variants_weight"), "weight_grams >= 0");
        t.index("ix_variants_product", &["product_id"]);
    });

    let prices = b.table("prices", |t| {
        t.table_comment("Price history per variant and currency.");
        t.col("id", T::BigInt).identity().pk();
        t.col("variant_id", T::BigInt).not_null();
        t.col("currency", T::Char(3))
            .not_null()
            .comment("ISO 4217 code.");
        t.col("amount", money()).not_null();
        t.col("valid_from", T::TimestampTz).not_null().default(NOW);
        t.col("valid_to", T::TimestampTz)
            .comment("NULL while the price is current.");
        t.check(Some("ck_prices_amount"), "amount >= 0");
        t.check(
            Some("ck_prices_period"),
            "valid_to IS NULL OR valid_to > valid_from",
        );
        t.unique_on(
            Some("uq_prices_variant_currency_from"),
            &["variant_id", "currency", "valid_from"],
        );
        t.index_with("ix_prices_current", &["variant_id", "currency"], |i| {
            i.where_clause = Some("valid_to IS NULL".into())
        });
    });

    let reviews = b.table("reviews", |t| {
        t.col("id", T::BigInt).identity().pk();
        t.col("product_id", T::BigInt).not_null();
        t.col("customer_id", T::BigInt)
            .comment("NULL once the author's account is deleted.");
        t.col("rating", T::SmallInt).not_null();
        t.col("title", T::Varchar(Some(150)));
        t.col("body", T::Text);
        t.col("is_published", T::Boolean)
            .not_null()
            .default("FALSE");
        t.col("created_at", T::TimestampTz).not_null().default(NOW);
        t.check(Some("ck_reviews_rating"), "rating BETWEEN 1 AND 5");
        t.unique_on(
            Some("uq_reviews_product_customer"),
            &["product_id", "customer_id"],
        );
        t.index_with(
            "ix_reviews_product_published",
            &["product_id", "created_at DESC"],
            |i| i.where_clause = Some("is_published = TRUE".into()),
        );
    });

    // ----- orders and payments -----
    let coupons = b.table("coupons", |t| {
        t.table_comment("Discount codes: either a percentage or a fixed amount off.");
        t.col("id", T::BigInt).identity().pk();
        t.col("code", T::Varchar(Some(40))).not_null().unique();
        t.col("description", T::Varchar(Some(255)));
        t.col("percent_off", T::Decimal(Some(5), Some(2)));
        t.col("amount_off", money());
        t.col("valid_from", T::TimestampTz).not_null().default(NOW);
        t.col("valid_to", T::TimestampTz);
        t.col("max_redemptions", T::Integer);
        t.col("is_active", T::Boolean).not_null().default("TRUE");
        t.check(
            Some("ck_coupons_percent"),
            "percent_off > 0 AND percent_off <= 100",
        );
        t.check(Some("ck_coupons_amount"), "amount_off > 0");
        t.check(
            Some("ck_coupons_one_discount"),
            "percent_off IS NULL OR amount_off IS NULL",
        );
    });

    let orders = b.table("orders", |t| {
        t.table_comment("A placed order. Totals are copied at checkout and never recomputed.");
        t.col("id", T::BigInt).identity().pk();
        t.col("public_id", T::Uuid).not_null().unique();
        t.col("customer_id", T::BigInt).not_null();
        t.col("status", T::Enum(order_status))
            .not_null()
            .default("'pending'");
        t.col("currency", T::Char(3)).not_null().default("'USD'");
        t.col("subtotal", money()).not_null().default("0");
        t.col("discount_total", money()).not_null().default("0");
        t.col("shipping_total", money()).not_null().default("0");
        t.col("tax_total", money()).not_null().default("0");
        t.col("grand_total", money()).not_null().default("0");
        t.col("shipping_address_id", T::BigInt);
        t.col("billing_address_id", T::BigInt);
        t.col("coupon_id", T::BigInt);
        t.col("placed_at", T::TimestampTz).not_null().default(NOW);
        t.col("notes", T::Text)
            .comment("Free text from the customer at checkout.");
        t.check(Some("ck_orders_grand_total"), "grand_total >= 0");
        t.check(
            Some("ck_orders_discount"),
            "discount_total >= 0 AND discount_total <= subtotal",
        );
        t.index_with("ix_orders_customer_pending", &["customer_id"], |i| {
            i.where_clause = Some("status = 'pending'".into())
        });
        t.index(
            "ix_orders_customer_placed",
            &["customer_id", "placed_at DESC"],
        );
        t.index("ix_orders_placed_at", &["placed_at DESC"]);
    });

    let order_items = b.table("order_items", |t| {
        t.table_comment("Order lines. Prices are copied from `prices` when the order is placed.");
        t.col("order_id", T::BigInt).pk();
        t.col("line_no", T::SmallInt).pk();
        t.col("variant_id", T::BigInt).not_null();
        t.col("quantity", T::Integer).not_null();
        t.col("unit_price", money()).not_null();
        t.col("line_total", T::Decimal(Some(14), Some(2)))
            .generated("quantity * unit_price", true)
            .comment("Computed by the database.");
        t.check(Some("ck_order_items_quantity"), "quantity > 0");
        t.check(Some("ck_order_items_unit_price"), "unit_price >= 0");
        t.check(Some("ck_order_items_line_no"), "line_no > 0");
        t.index("ix_order_items_variant", &["variant_id"]);
    });

    let coupon_redemptions = b.table("coupon_redemptions", |t| {
        t.col("coupon_id", T::BigInt).pk();
        t.col("order_id", T::BigInt).pk();
        t.col("redeemed_at", T::TimestampTz).not_null().default(NOW);
        t.index("ix_coupon_redemptions_order", &["order_id"]);
    });

    let payments = b.table("payments", |t| {
        t.col("id", T::BigInt).identity().pk();
        t.col("order_id", T::BigInt).not_null();
        t.col("method", T::Enum(payment_method)).not_null();
        t.col("status", T::Enum(payment_status))
            .not_null()
            .default("'pending'");
        t.col("amount", money()).not_null();
        t.col("provider_ref", T::Varchar(Some(100)))
            .unique()
            .comment("Transaction id at the payment provider.");
        t.col("created_at", T::TimestampTz).not_null().default(NOW);
        t.col("captured_at", T::TimestampTz);
        t.check(Some("ck_payments_amount"), "amount > 0");
        t.index("ix_payments_order", &["order_id"]);
    });

    let refunds = b.table("refunds", |t| {
        t.col("id", T::BigInt).identity().pk();
        t.col("payment_id", T::BigInt).not_null();
        t.col("amount", money()).not_null();
        t.col("reason", T::Varchar(Some(255)));
        t.col("created_at", T::TimestampTz).not_null().default(NOW);
        t.check(Some("ck_refunds_amount"), "amount > 0");
        t.index("ix_refunds_payment", &["payment_id"]);
    });

    // ----- fulfillment and purchasing -----
    let warehouses = b.table("warehouses", |t| {
        t.col("id", T::BigInt).identity().pk();
        t.col("code", T::Varchar(Some(20))).not_null().unique();
        t.col("name", T::Varchar(Some(100))).not_null();
        t.col("address_line", T::Varchar(Some(200)));
        t.col("city", T::Varchar(Some(100)));
        t.col("country_code", T::Char(2)).not_null();
    });

    let inventory = b.table("inventory", |t| {
        t.table_comment("Stock per variant and warehouse.");
        t.col("warehouse_id", T::BigInt).pk();
        t.col("variant_id", T::BigInt).pk();
        t.col("on_hand", T::Integer).not_null().default("0");
        t.col("reserved", T::Integer)
            .not_null()
            .default("0")
            .comment("Units promised to open orders.");
        t.col("updated_at", T::TimestampTz).not_null().default(NOW);
        t.check(Some("ck_inventory_on_hand"), "on_hand >= 0");
        t.check(
            Some("ck_inventory_reserved"),
            "reserved >= 0 AND reserved <= on_hand",
        );
        let include = t.column_ids(&["on_hand", "reserved"]);
        t.index_with("ix_inventory_variant", &["variant_id"], |i| {
            i.include = include
        });
    });

    let shipments = b.table("shipments", |t| {
        t.col("id", T::BigInt).identity().pk();
        t.col("order_id", T::BigInt).not_null();
        t.col("warehouse_id", T::BigInt).not_null();
        t.col("status", T::Enum(shipment_status))
            .not_null()
            .default("'preparing'");
        t.col("carrier", T::Varchar(Some(50)));
        t.col("tracking_number", T::Varchar(Some(100)));
        t.col("shipped_at", T::TimestampTz);
        t.col("delivered_at", T::TimestampTz);
        t.index("ix_shipments_order", &["order_id"]);
        t.index_with("ix_shipments_undelivered", &["warehouse_id"], |i| {
            i.where_clause = Some("delivered_at IS NULL".into())
        });
    });

    let shipment_items = b.table("shipment_items", |t| {
        t.table_comment("Which order lines (and how many units) a shipment carries.");
        t.col("shipment_id", T::BigInt).pk();
        t.col("order_id", T::BigInt).pk();
        t.col("line_no", T::SmallInt).pk();
        t.col("quantity", T::Integer).not_null();
        t.check(Some("ck_shipment_items_quantity"), "quantity > 0");
        t.index("ix_shipment_items_order_line", &["order_id", "line_no"]);
    });

    let purchase_orders = b.table("purchase_orders", |t| {
        t.table_comment("Stock ordered from a supplier for a warehouse.");
        t.col("id", T::BigInt).identity().pk();
        t.col("supplier_id", T::BigInt).not_null();
        t.col("warehouse_id", T::BigInt).not_null();
        t.col("status", T::Varchar(Some(20)))
            .not_null()
            .default("'draft'");
        t.col("ordered_at", T::TimestampTz);
        t.col("expected_on", T::Date);
        t.col("received_at", T::TimestampTz);
        t.check(
            Some("ck_purchase_orders_status"),
            "status IN ('draft', 'sent', 'received', 'cancelled')",
        );
        t.index_with(
            "ix_purchase_orders_open",
            &["warehouse_id", "expected_on"],
            |i| i.where_clause = Some("status IN ('draft', 'sent')".into()),
        );
        t.index("ix_purchase_orders_supplier", &["supplier_id"]);
    });

    let po_lines = b.table("purchase_order_lines", |t| {
        t.col("purchase_order_id", T::BigInt).pk();
        t.col("line_no", T::SmallInt).pk();
        t.col("variant_id", T::BigInt).not_null();
        t.col("quantity", T::Integer).not_null();
        t.col("unit_cost", money()).not_null();
        t.check(Some("ck_purchase_order_lines_quantity"), "quantity > 0");
        t.check(Some("ck_purchase_order_lines_cost"), "unit_cost >= 0");
        t.index("ix_purchase_order_lines_variant", &["variant_id"]);
    });

    // ----- foreign keys -----
    let on_delete = |a| move |f: &mut crate::model::ForeignKey| f.on_delete = a;
    b.fk_with(
        addresses,
        &["customer_id"],
        customers,
        &["id"],
        on_delete(Cascade),
    );
    b.fk_with(
        carts,
        &["customer_id"],
        customers,
        &["id"],
        on_delete(SetNull),
    );
    b.fk_with(cart_items, &["cart_id"], carts, &["id"], on_delete(Cascade));
    b.fk_with(
        cart_items,
        &["variant_id"],
        variants,
        &["id"],
        on_delete(Cascade),
    );
    b.fk_with(
        wishlists,
        &["customer_id"],
        customers,
        &["id"],
        on_delete(Cascade),
    );
    b.fk_with(
        wishlist_items,
        &["wishlist_id"],
        wishlists,
        &["id"],
        on_delete(Cascade),
    );
    b.fk_with(
        wishlist_items,
        &["variant_id"],
        variants,
        &["id"],
        on_delete(Cascade),
    );
    b.fk_with(
        categories,
        &["parent_id"],
        categories,
        &["id"],
        on_delete(SetNull),
    );
    b.fk_with(
        products,
        &["supplier_id"],
        suppliers,
        &["id"],
        on_delete(SetNull),
    );
    b.fk_with(
        product_categories,
        &["product_id"],
        products,
        &["id"],
        on_delete(Cascade),
    );
    b.fk_with(
        product_categories,
        &["category_id"],
        categories,
        &["id"],
        on_delete(Cascade),
    );
    b.fk_with(
        variants,
        &["product_id"],
        products,
        &["id"],
        on_delete(Cascade),
    );
    b.fk_with(
        prices,
        &["variant_id"],
        variants,
        &["id"],
        on_delete(Cascade),
    );
    b.fk_with(
        reviews,
        &["product_id"],
        products,
        &["id"],
        on_delete(Cascade),
    );
    b.fk_with(
        reviews,
        &["customer_id"],
        customers,
        &["id"],
        on_delete(SetNull),
    );
    b.fk_with(
        orders,
        &["customer_id"],
        customers,
        &["id"],
        on_delete(Restrict),
    );
    b.fk_with(orders, &["shipping_address_id"], addresses, &["id"], |f| {
        f.name = Some("fk_orders_shipping_address".into());
        f.on_delete = SetNull;
    });
    b.fk_with(orders, &["billing_address_id"], addresses, &["id"], |f| {
        f.name = Some("fk_orders_billing_address".into());
        f.on_delete = SetNull;
    });
    b.fk_with(orders, &["coupon_id"], coupons, &["id"], on_delete(SetNull));
    b.fk_with(
        order_items,
        &["order_id"],
        orders,
        &["id"],
        on_delete(Cascade),
    );
    b.fk_with(
        order_items,
        &["variant_id"],
        variants,
        &["id"],
        on_delete(Restrict),
    );
    b.fk_with(
        coupon_redemptions,
        &["coupon_id"],
        coupons,
        &["id"],
        on_delete(Cascade),
    );
    b.fk_with(
        coupon_redemptions,
        &["order_id"],
        orders,
        &["id"],
        on_delete(Cascade),
    );
    b.fk_with(
        payments,
        &["order_id"],
        orders,
        &["id"],
        on_delete(Restrict),
    );
    b.fk_with(
        refunds,
        &["payment_id"],
        payments,
        &["id"],
        on_delete(Restrict),
    );
    b.fk_with(
        inventory,
        &["warehouse_id"],
        warehouses,
        &["id"],
        on_delete(Cascade),
    );
    b.fk_with(
        inventory,
        &["variant_id"],
        variants,
        &["id"],
        on_delete(Cascade),
    );
    b.fk_with(
        shipments,
        &["order_id"],
        orders,
        &["id"],
        on_delete(Cascade),
    );
    b.fk_with(
        shipments,
        &["warehouse_id"],
        warehouses,
        &["id"],
        on_delete(Restrict),
    );
    b.fk_with(
        shipment_items,
        &["shipment_id"],
        shipments,
        &["id"],
        on_delete(Cascade),
    );
    // The composite foreign key: a shipped unit points at one order line.
    b.fk_with(
        shipment_items,
        &["order_id", "line_no"],
        order_items,
        &["order_id", "line_no"],
        |f| {
            f.name = Some("fk_shipment_items_order_line".into());
            f.on_delete = Cascade;
        },
    );
    b.fk_with(
        purchase_orders,
        &["supplier_id"],
        suppliers,
        &["id"],
        on_delete(Restrict),
    );
    b.fk_with(
        purchase_orders,
        &["warehouse_id"],
        warehouses,
        &["id"],
        on_delete(Restrict),
    );
    b.fk_with(
        po_lines,
        &["purchase_order_id"],
        purchase_orders,
        &["id"],
        on_delete(Cascade),
    );
    b.fk_with(
        po_lines,
        &["variant_id"],
        variants,
        &["id"],
        on_delete(Restrict),
    );

    b.view(
        "pending_orders",
        "SELECT id, customer_id, placed_at, grand_total FROM orders WHERE status = 'pending'",
        &[orders],
    );
    b.view(
        "low_stock",
        "SELECT warehouse_id, variant_id, on_hand, reserved FROM inventory \
         WHERE on_hand - reserved < 5",
        &[inventory],
    );

    // ----- canvas -----
    let gap = layout::AREA_GAP;
    let cust = layout::area(
        &mut b,
        "Customers",
        [0x4a, 0x90, 0xd9],
        [0.0, 0.0],
        &[
            &[customers, addresses],
            &[carts, cart_items, wishlists, wishlist_items],
        ],
    );
    let x1 = cust[0] + gap;
    let catalog = layout::area(
        &mut b,
        "Catalog",
        [0x5c, 0xb8, 0x5c],
        [x1, 0.0],
        &[
            &[categories, product_categories, suppliers],
            &[products, reviews],
            &[variants, prices],
        ],
    );
    let y2 = cust[1].max(catalog[1]) + gap;
    let sales = layout::area(
        &mut b,
        "Orders & payments",
        [0xe8, 0xa3, 0x3d],
        [0.0, y2],
        &[
            &[orders],
            &[order_items, coupon_redemptions],
            &[payments, refunds, coupons],
        ],
    );
    let x2 = sales[0] + gap;
    let fulfil = layout::area(
        &mut b,
        "Fulfillment & purchasing",
        [0x9b, 0x59, 0xb6],
        [x2, y2],
        &[
            &[warehouses, inventory],
            &[shipments, shipment_items],
            &[purchase_orders, po_lines],
        ],
    );
    let right = (x1 + catalog[0]).max(x2 + fulfil[0]) + 60.0;
    b.note(
        "Money is decimal(12,2) in the order's currency. Order totals and line prices are \
         copied at checkout, so later price changes never alter a placed order.",
        right,
        0.0,
    );
    b.note(
        "shipment_items -> order_items is a composite foreign key (order_id, line_no): \
         a shipment can split an order line across several parcels.",
        right,
        y2,
    );

    b.build()
}
