//! `outbox`: `outbox` rows written in the same transaction as the change they announce; a
//! relay reads the unpublished ones in order (the partial index) and sets `published_at`.

use super::*;

pub(super) fn apply(d: &mut Draft) -> Result<(), String> {
    use LogicalType as T;
    let mut t = Table::new(TableId(d.id()), "outbox");
    t.comment = Some(
        "Transactional outbox (crowfoot pattern outbox): written with the change it announces; \
         the relay publishes rows where published_at IS NULL, then sets it."
            .into(),
    );
    let id = Column {
        identity: Some(Identity::ByDefault),
        ..d.column("id", T::BigInt, false)
    };
    let created = Column {
        default: Some(NOW.into()),
        ..d.column("created_at", T::TimestampTz, false)
    };
    t.primary_key = pk(&[&id]);
    t.indexes.push(Index {
        id: IndexId(d.id()),
        name: "ix_outbox_unpublished".into(),
        unique: false,
        parts: vec![IndexPart::column(created.id), IndexPart::column(id.id)],
        where_clause: Some("published_at IS NULL".into()),
        include: Vec::new(),
        method: None,
    });
    t.columns = vec![
        id,
        d.column("aggregate_type", T::Varchar(Some(100)), false),
        d.column("aggregate_id", T::Varchar(Some(200)), false),
        d.column("event_type", T::Varchar(Some(200)), false),
        d.column("payload", T::Json, false),
        created,
        d.column("published_at", T::TimestampTz, true),
    ];
    d.notes.push(
        "MySQL/MariaDB have no partial indexes: the export writes ix_outbox_unpublished over \
         every row (with a warning)"
            .into(),
    );
    d.add_table(t)
}

pub(super) fn remove(d: &mut Draft) {
    d.remove_table(None, "outbox");
}
