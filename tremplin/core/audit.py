"""Audit log: who changed what (before/after), and who read which sensitive page.

Writes through the ORM are captured by signals on the models registered with
`audited()`. Bulk writes (imports) call `record_many()` themselves, because
`bulk_create` and `update` send no signals. Written by hand rather than with
django-auditlog because that library skips bulk operations, which are exactly
how imports write, and does not log reads.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import decimal
import uuid
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import models
from django.db.models.fields.files import FieldFile
from django.db.models.signals import post_delete, post_save, pre_save
from django.utils import timezone

from .enums import AuditAction


@dataclass(frozen=True)
class Actor:
    user: object | None
    label: str


_actor: contextvars.ContextVar[Actor | None] = contextvars.ContextVar("audit_actor", default=None)
_registered: dict[type[models.Model], tuple[frozenset[str], frozenset[str]]] = {}
MASKED = "••••"


def current_actor() -> Actor:
    actor = _actor.get()
    return actor if actor is not None else Actor(None, "système")


@contextmanager
def acting_as(user=None, label: str = ""):
    """Attributes the writes inside the block to a user, or to a label such as a command."""
    if user is not None and getattr(user, "is_authenticated", False):
        actor = Actor(user, label or user.get_username())
    else:
        actor = Actor(None, label or "système")
    token = _actor.set(actor)
    try:
        yield actor
    finally:
        _actor.reset(token)


# Types snapshot() keeps as they are: most values, checked first.
_AS_IS = frozenset({str, int, float, bool, type(None)})
_snapshot_fields: dict[tuple[type, frozenset[str]], list[str]] = {}


def _plain(value):
    if type(value) in _AS_IS:
        return value
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, FieldFile):
        return value.name or ""
    return value


def _fields_of(model: type[models.Model], ignored: frozenset[str]) -> list[str]:
    """The attnames snapshot() gives, worked out once per model: imports snapshot
    thousands of rows of one model."""
    key = (model, ignored)
    if key not in _snapshot_fields:
        _snapshot_fields[key] = [
            field.attname
            for field in model._meta.concrete_fields
            if field.attname not in ignored
            and not getattr(field, "auto_now", False)
            and not getattr(field, "auto_now_add", False)
        ]
    return _snapshot_fields[key]


def snapshot(instance: models.Model, ignored: frozenset[str] = frozenset()) -> dict:
    """Field values as JSON-ready data; timestamps the database sets itself are left out."""
    return {
        name: _plain(getattr(instance, name))
        for name in _fields_of(type(instance), frozenset(ignored))
    }


def diff(before: dict | None, after: dict | None, masked: frozenset[str] = frozenset()) -> dict:
    """{field: [before, after]} for the fields that changed; secrets shown as MASKED."""
    before, after = before or {}, after or {}
    changes = {}
    for key in dict.fromkeys([*before, *after]):
        old, new = before.get(key), after.get(key)
        if old != new:
            changes[key] = [
                MASKED if key in masked and old else old,
                MASKED if key in masked and new else new,
            ]
    return changes


def _entry(action, target_type, target_id, summary, changes):
    from .models import AuditEntry

    actor = current_actor()
    return AuditEntry(
        actor=actor.user,
        actor_label=actor.label[:150],
        action=action,
        target_type=target_type,
        target_id=str(target_id or "")[:64],
        summary=summary[:255],
        changes=changes or {},
    )


def label_of(obj_or_model) -> str:
    return obj_or_model._meta.label_lower


def record(action: str, *, obj=None, target_type: str = "", summary: str = "", changes=None):
    """Writes one audit entry now."""
    if obj is not None:
        target_type = target_type or label_of(obj)
    entry = _entry(action, target_type, getattr(obj, "pk", ""), summary, changes)
    entry.save()
    return entry


AUDIT_COLUMNS = [
    "at",
    "actor",
    "actor_label",
    "action",
    "target_type",
    "target_id",
    "summary",
    "changes",
]


def record_many(entries: Iterable[tuple[str, str, object, str, dict]]):
    """Bulk version for imports: (action, target_type, target_id, summary, changes), all at
    the same time and by the current actor."""
    from .bulk import insert_rows
    from .models import AuditEntry

    actor = current_actor()
    actor_id = getattr(actor.user, "pk", None)
    label = actor.label[:150]
    now = timezone.now()
    rows = [
        (
            now,
            actor_id,
            label,
            action,
            target_type,
            str(target_id or "")[:64],
            summary[:255],
            changes or {},
        )
        for action, target_type, target_id, summary, changes in entries
    ]
    insert_rows(AuditEntry, AUDIT_COLUMNS, rows)


def record_read(obj, summary: str = "") -> None:
    record(
        AuditAction.READ, obj=obj, summary=summary or f"consultation de {obj._meta.verbose_name}"
    )


def _before_save(sender, instance, raw=False, **kwargs):
    if raw:
        return
    _masked, ignored = _registered[sender]
    instance._audit_before = None
    if instance.pk is not None:
        old = sender._default_manager.filter(pk=instance.pk).first()
        if old is not None:
            instance._audit_before = snapshot(old, ignored)


def _after_save(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    masked, ignored = _registered[sender]
    after = snapshot(instance, ignored)
    before = None if created else getattr(instance, "_audit_before", None)
    changes = diff(before, after, masked)
    if not changes and not created:
        return
    action = AuditAction.CREATE if created or before is None else AuditAction.UPDATE
    record(action, obj=instance, summary=str(instance)[:255], changes=changes)


def _after_delete(sender, instance, **kwargs):
    masked, ignored = _registered[sender]
    record(
        AuditAction.DELETE,
        obj=instance,
        summary=str(instance)[:255],
        changes=diff(snapshot(instance, ignored), None, masked),
    )


def audited(*, masked: Iterable[str] = (), ignored: Iterable[str] = ()):
    """Class decorator: every save and delete of the model is audited with before/after.
    `masked` fields are logged as changed without their values; `ignored` ones not at all."""

    def register(model):
        _registered[model] = (frozenset(masked), frozenset(ignored))
        uid = f"audit-{model._meta.label_lower}"
        pre_save.connect(_before_save, sender=model, dispatch_uid=uid + "-pre", weak=False)
        post_save.connect(_after_save, sender=model, dispatch_uid=uid + "-post", weak=False)
        post_delete.connect(_after_delete, sender=model, dispatch_uid=uid + "-del", weak=False)
        return model

    return register
