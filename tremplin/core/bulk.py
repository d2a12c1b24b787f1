"""Bulk writes for imports, which handle tens of thousands of rows at once."""

from collections.abc import Iterator

from django.db import connection

BATCH = 500


def chunks(items: list, size: int = BATCH) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def update_rows(objects: list, field_names: list[str]) -> None:
    """Saves these fields of many rows with one prepared UPDATE run for every row.

    Every object must carry the final value of every named field: group objects by the
    set of fields that changed before calling. Django's bulk_update() writes one CASE
    WHEN per row and per field: 5.4 s for 3,000 identities on SQLite, against 0.03 s
    here. Values go through the fields' own get_db_prep_save(), as the ORM does, so dates
    and times are adapted per database. No signal is sent: callers write the audit
    entries themselves.
    """
    if not objects:
        return
    meta = objects[0]._meta
    fields = [meta.get_field(name) for name in field_names]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(f.column)} = %s" for f in fields)
    sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote(meta.pk.column)} = %s"  # noqa: S608 (names come from the model, values are parameters)
    params = [
        [*(f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields), obj.pk]
        for obj in objects
    ]
    with connection.cursor() as cursor:
        for chunk in chunks(params):
            cursor.executemany(sql, chunk)
