"""The shape of a question of the diagnostic's item bank, as written in the bank modules.

The bank is plain data (one module per competence, `c1_1.py` … `c5_2.py`, each with a list
`ITEMS`), checked by tests/diagnostic/test_bank.py and loaded into the database by the
diagnostic app. Questions are original, in plain French (FALC spirit): short sentences, one
idea per sentence, everyday work situations of agents far from digital tools.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Kind = Literal["single", "multiple", "order", "zone"]


@dataclass(frozen=True)
class Choice:
    key: str  # "a", "b", … (for "zone": the id of a zone in the illustration)
    text: str  # what the agent reads (for "zone": the zone's accessible name)
    correct: bool = False


@dataclass(frozen=True)
class BankItem:
    code: str  # stable and unique: "<competence>-<level>-<n>", e.g. "4.1-2-3"
    competence: str  # CRCN code, "1.1" … "5.2"
    level: int  # intended level, 1 … 5
    kind: Kind
    stem: str  # the question, 1 to 3 short sentences, ends with "?" or ":"
    choices: tuple[Choice, ...]
    explanation: str  # shown after answering: why, in one or two plain sentences
    illustration: str = ""  # name of an SVG in bank/illustrations.py, or ""
    # "order": choices are listed in the right order; the screen shuffles them.
    # "single": exactly one correct choice; "multiple": at least two correct choices.
    # "zone": the illustration has <g id="…"> zones, one per choice; the right one(s) correct.
    tags: tuple[str, ...] = field(default_factory=tuple)  # e.g. ("telephone", "paie")
