//! `event-store`: `events` (one row per event, `UNIQUE (stream_id, version)`: two writers
//! appending the same version of a stream, one is refused) and `snapshots` (a stream's state
//! at a version).

use super::*;

pub(super) fn apply(d: &mut Draft) -> Result<(), String> {
    use LogicalType as T;
    let mut ev = Table::new(TableId(d.id()), "events");
    ev.comment = Some(
        "Event store (crowfoot pattern event-store): append-only, one row per event; \
         (stream_id, version) is unique, so concurrent appends of a version conflict."
            .into(),
    );
    let id = Column {
        identity: Some(Identity::ByDefault),
        comment: Some("Global order of the events (projections read in this order).".into()),
        ..d.column("id", T::BigInt, false)
    };
    let stream = d.column("stream_id", T::Varchar(Some(200)), false);
    let version = Column {
        comment: Some("1, 2, 3… within the stream.".into()),
        ..d.column("version", T::BigInt, false)
    };
    let ty = d.column("type", T::Varchar(Some(200)), false);
    let payload = d.column("payload", T::Json, false);
    let metadata = d.column("metadata", T::Json, true);
    let recorded = Column {
        default: Some(NOW.into()),
        ..d.column("recorded_at", T::TimestampTz, false)
    };
    ev.primary_key = pk(&[&id]);
    ev.uniques.push(UniqueConstraint {
        id: ConstraintId(d.id()),
        name: Some("uq_events_stream_version".into()),
        columns: vec![stream.id, version.id],
    });
    ev.checks.push(CheckConstraint {
        id: ConstraintId(d.id()),
        name: Some("ck_events_version".into()),
        expr: "version > 0".into(),
    });
    ev.columns = vec![id, stream, version, ty, payload, metadata, recorded];
    d.add_table(ev)?;

    let mut snap = Table::new(TableId(d.id()), "snapshots");
    snap.comment = Some(
        "Snapshots of event streams (crowfoot pattern event-store): the state after `version`."
            .into(),
    );
    let stream = d.column("stream_id", T::Varchar(Some(200)), false);
    let version = d.column("version", T::BigInt, false);
    let state = d.column("state", T::Json, false);
    let taken = Column {
        default: Some(NOW.into()),
        ..d.column("taken_at", T::TimestampTz, false)
    };
    snap.primary_key = pk(&[&stream, &version]);
    snap.columns = vec![stream, version, state, taken];
    d.add_table(snap)
}

pub(super) fn remove(d: &mut Draft) {
    d.remove_table(None, "snapshots");
    d.remove_table(None, "events");
}
