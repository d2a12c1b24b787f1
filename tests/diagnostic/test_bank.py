"""The item bank is data written by hand: these checks keep it sound."""

import re
from collections import Counter
from xml.etree import ElementTree

import pytest

from tremplin.diagnostic.bank import COMPETENCE_CODES, all_items
from tremplin.diagnostic.bank.illustrations import ILLUSTRATIONS

ITEMS = all_items()


def test_codes_are_unique_and_well_formed():
    codes = Counter(item.code for item in ITEMS)
    assert [c for c, n in codes.items() if n > 1] == []
    for item in ITEMS:
        assert re.fullmatch(rf"{re.escape(item.competence)}-{item.level}-\d+", item.code), item.code
        assert item.competence in COMPETENCE_CODES and 1 <= item.level <= 5


def test_at_least_three_items_per_competence_and_level():
    cells = Counter((item.competence, item.level) for item in ITEMS)
    missing = [
        (code, level, cells[(code, level)])
        for code in COMPETENCE_CODES
        for level in range(1, 6)
        if cells[(code, level)] < 3
    ]
    assert missing == []


@pytest.mark.parametrize("item", ITEMS, ids=lambda item: item.code)
def test_each_item_is_answerable(item):
    keys = [c.key for c in item.choices]
    correct = [c for c in item.choices if c.correct]
    assert len(set(keys)) == len(keys) >= 2
    assert all(c.text.strip() for c in item.choices)
    if item.kind == "single":
        assert len(correct) == 1
    elif item.kind == "multiple":
        assert 2 <= len(correct) < len(item.choices)
    elif item.kind == "order":
        assert len(item.choices) >= 3 and not correct
    elif item.kind == "zone":
        assert correct and item.illustration
        zone_ids = set(re.findall(r'<g[^>]* id="([^"]+)"', ILLUSTRATIONS[item.illustration]))
        assert set(keys) <= zone_ids
    assert item.stem.strip() and item.explanation.strip()
    assert len(item.stem) <= 280, "une question tient en trois phrases courtes"


@pytest.mark.parametrize("name", sorted(ILLUSTRATIONS))
def test_illustrations_are_accessible_svg(name):
    svg = ILLUSTRATIONS[name]
    root = ElementTree.fromstring(svg)  # noqa: S314 (our own data, not user input)
    assert root.tag.endswith("svg") and root.get("role") == "img"
    assert any(child.tag.endswith("title") and (child.text or "").strip() for child in root)
    assert "<script" not in svg.lower() and 'href="http' not in svg


def test_every_illustration_named_by_an_item_exists():
    assert {i.illustration for i in ITEMS if i.illustration} <= set(ILLUSTRATIONS)


def test_interactive_kinds_are_present():
    kinds = Counter(item.kind for item in ITEMS)
    assert kinds["single"] and kinds["multiple"] and (kinds["order"] + kinds["zone"]) >= 16
