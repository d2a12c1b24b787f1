"""Bulk writes for imports, which handle tens of thousands of rows at once."""

import gc
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection

BATCH = 500


def chunks(items: list, size: int = BATCH) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@contextmanager
def cyclic_gc_paused():
    """Pauses Python's cycle collector for a bulk write. Building hundreds of thousands
    of rows, tuples and dicts sets it off again and again, each time walking every live
    object: up to a tenth of a Pix import's time. Reference counting still frees what
    the work drops; the few cycles wait for the collector, which starts again after."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


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
    attnames = [meta.get_field(name).attname for name in field_names]
    update_values(
        type(objects[0]),
        field_names,
        [(*(getattr(obj, name) for name in attnames), obj.pk) for obj in objects],
    )


def update_values(model, field_names: list[str], rows: list[tuple]) -> None:
    """update_rows() for rows given as tuples: the values of `field_names` in order, then
    the primary key. Spares building a model instance per row to be saved."""
    if not rows:
        return
    meta = model._meta
    fields = [meta.get_field(name) for name in field_names]
    adapters = [column_adapter(f, every_value=True) for f in fields]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(f.column)} = %s" for f in fields)
    sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote(meta.pk.column)} = %s"  # noqa: S608 (names come from the model, values are parameters)
    with connection.cursor() as cursor:
        for chunk in chunks(rows):
            cursor.executemany(sql, _prepared(chunk, [*adapters, None]))


# Fields whose Python values the database driver cannot take as they are.
_ADAPTED = {"DateField", "DateTimeField", "TimeField", "DecimalField", "JSONField", "UUIDField"}


def column_adapter(field, every_value: bool = False):
    """The function turning a column of values (a sequence) into the list of values the
    driver takes, through the field's own get_db_prep_save() as the ORM does, but once
    per distinct value: imports repeat a few dates, levels and one timestamp over tens
    of thousands of rows, and the column is then read from the cache at C speed. None
    when the driver takes the field's values as they are (unless `every_value`). JSON
    values are prepared one by one: they are rarely equal, and True and 1, equal as
    dict keys, are not the same JSON."""
    if not every_value and field.get_internal_type() not in _ADAPTED:
        return None

    def prepare(value):
        return None if value is None else field.get_db_prep_save(value, connection)

    def each(values) -> list:
        return [prepare(v) for v in values]

    if field.get_internal_type() == "JSONField":
        return each
    cache: dict = {None: None}

    def adapt(values) -> list:
        try:
            missing = set(values).difference(cache)
        except TypeError:  # an unhashable value: no cache for this column
            return each(values)
        for value in missing:
            cache[value] = prepare(value)
        return list(map(cache.__getitem__, values))

    return adapt


def _prepared(rows: list[tuple], adapters: list) -> list:
    """The rows with the values of adapted columns replaced by what the driver takes,
    column by column (see column_adapter)."""
    if not rows or all(a is None for a in adapters):
        return rows
    columns = list(zip(*rows, strict=True))
    for i, adapt in enumerate(adapters):
        if adapt is not None:
            columns[i] = adapt(columns[i])
    return list(zip(*columns, strict=True))


def insert_rows(model, field_names: list[str], rows: list[tuple], progress=None) -> None:
    """Inserts rows (tuples of values in `field_names` order) with one prepared INSERT run
    for every row. bulk_create() prepares each value of each object through the SQL
    compiler: 9 of the 10 s the competences demo took for 45,000 rows, and half of an
    import's audit writing. Only values the driver cannot take as they are (dates,
    decimals, JSON…) go through the field's own get_db_prep_save(). No primary keys come
    back and no signal is sent: callers that need either use bulk_create()."""
    meta = model._meta
    fields = [meta.get_field(name) for name in field_names]
    adapters = [column_adapter(f) for f in fields]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608 (names come from the model, values are parameters)
    with connection.cursor() as cursor:
        for chunk in chunks(rows):
            cursor.executemany(sql, _prepared(chunk, adapters))
            if progress is not None:
                progress(len(chunk))


def insert_rows_returning_pks(model, field_names: list[str], rows: list[tuple]) -> list:
    """Like insert_rows, and gives back the new primary keys in row order: multi-row
    INSERT … RETURNING, the guarantee bulk_create itself relies on with SQLite and
    PostgreSQL. Where the database cannot return them, bulk_create does the work."""
    meta = model._meta
    fields = [meta.get_field(name) for name in field_names]
    if not connection.features.can_return_rows_from_bulk_insert:
        created = model.objects.bulk_create(
            [model(**{f.attname: v for f, v in zip(fields, row, strict=True)}) for row in rows],
            batch_size=1000,
        )
        return [obj.pk for obj in created]
    adapters = [column_adapter(f) for f in fields]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    one_row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    size = max(connection.ops.bulk_batch_size(fields, rows), 1)
    pks: list = []
    with connection.cursor() as cursor:
        for chunk in chunks(rows, size):
            params = [v for row in _prepared(chunk, adapters) for v in row]
            sql = (
                f"INSERT INTO {quote(meta.db_table)} ({columns}) "  # noqa: S608 (names come from the model, values are parameters)
                f"VALUES {', '.join([one_row] * len(chunk))} RETURNING {quote(meta.pk.column)}"
            )
            cursor.execute(sql, params)
            pks.extend(pk for (pk,) in cursor.fetchall())
    if len(pks) != len(rows):  # never expected; a silent mismatch would mislabel callers' links
        raise RuntimeError(f"The database returned {len(pks)} ids for {len(rows)} rows.")
    return pks


def copy_rows(model, target, field_names: list[str], pks: list, **values) -> None:
    """Copies these fields of the rows of `model` with these primary keys into new rows
    of `target` (fields of the same names), its other fields given by `values`: one
    INSERT … SELECT per batch, inside the database. Keeping the rows about to change in
    a history table this way spares reading them into Python and writing them back.
    No signal is sent."""
    if not pks:
        return
    source, meta = model._meta, target._meta
    quote = connection.ops.quote_name
    extra = [meta.get_field(name) for name in values]
    columns = [quote(meta.get_field(name).column) for name in field_names]
    columns += [quote(field.column) for field in extra]
    selected = [quote(source.get_field(name).column) for name in field_names]
    selected += ["%s"] * len(extra)
    params = [
        field.get_db_prep_save(value, connection)
        for field, value in zip(extra, values.values(), strict=True)
    ]
    with connection.cursor() as cursor:
        for chunk in chunks(pks):
            cursor.execute(
                f"INSERT INTO {quote(meta.db_table)} ({', '.join(columns)}) "  # noqa: S608 (names come from the models, values are parameters)
                f"SELECT {', '.join(selected)} FROM {quote(source.db_table)} "
                f"WHERE {quote(source.pk.column)} IN ({', '.join(['%s'] * len(chunk))})",
                [*params, *chunk],
            )


def create_objects(objects: list) -> list:
    """bulk_create() for new instances of one model, through insert_rows_returning_pks:
    fills the auto_now / auto_now_add fields, inserts, and gives each instance its
    primary key; returns the list. bulk_create() compiles every value of every object
    (see insert_rows): about twice as long for a Pix import's 6,000 participations. No
    signal is sent: callers write the audit entries themselves."""
    if not objects:
        return objects
    meta = objects[0]._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    for field in fields:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            # One time for the whole batch (save() would give each its own): written in
            # one transaction, and prepared for the database once rather than per row.
            now = field.pre_save(objects[0], add=True)
            for obj in objects[1:]:
                setattr(obj, field.attname, now)
    attnames = [f.attname for f in fields]
    pks = insert_rows_returning_pks(
        type(objects[0]),
        [f.name for f in fields],
        [tuple(getattr(obj, name) for name in attnames) for obj in objects],
    )
    for obj, pk in zip(objects, pks, strict=True):
        obj.pk = pk
        obj._state.adding = False
        obj._state.db = connection.alias
    return objects
