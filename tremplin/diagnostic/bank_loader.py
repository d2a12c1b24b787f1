"""Loads the item bank modules into the database (idempotent: by item code)."""

from dataclasses import asdict

from tremplin.competences.models import Competence

from . import engine
from .bank import all_items
from .models import Item


def load_bank(*, update_text: bool = True) -> dict[str, int]:
    """Creates missing items with their initial IRT parameters; refreshes the text of
    existing ones (never their calibrated a and b, never their retired flag)."""
    competences = {c.code: c for c in Competence.objects.filter(is_crcn=True)}
    existing = {item.code: item for item in Item.objects.all()}
    created = updated = 0
    for bank_item in all_items():
        fields = {
            "competence": competences[bank_item.competence],
            "level": bank_item.level,
            "kind": bank_item.kind,
            "stem": bank_item.stem,
            "choices": [asdict(c) for c in bank_item.choices],
            "explanation": bank_item.explanation,
            "illustration": bank_item.illustration,
            "tags": list(bank_item.tags),
        }
        item = existing.get(bank_item.code)
        if item is None:
            a, b = engine.initial_parameters(bank_item.level)
            Item.objects.create(code=bank_item.code, a=a, b=b, **fields)
            created += 1
        elif update_text and any(getattr(item, k) != v for k, v in fields.items()):
            for key, value in fields.items():
                setattr(item, key, value)
            item.save()
            updated += 1
    return {"created": created, "updated": updated, "total": Item.objects.count()}
