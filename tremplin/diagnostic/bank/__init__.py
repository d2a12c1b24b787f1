"""The item bank: every question of the diagnostic, as plain data (see schema.py)."""

import importlib
import pkgutil

from .schema import BankItem

COMPETENCE_CODES = [
    "1.1", "1.2", "1.3",
    "2.1", "2.2", "2.3", "2.4",
    "3.1", "3.2", "3.3", "3.4",
    "4.1", "4.2", "4.3",
    "5.1", "5.2",
]  # fmt: skip


def all_items() -> list[BankItem]:
    """Every item of every competence module (c1_1.py … c5_2.py) present in the package."""
    items = []
    for module in sorted(m.name for m in pkgutil.iter_modules(__path__) if m.name.startswith("c")):
        items.extend(importlib.import_module(f"{__name__}.{module}").ITEMS)
    return items
