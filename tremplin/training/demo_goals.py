"""Demo fragility segments and coverage goals: the two groups HR watch first, and the
goals of the plan (Fresque du Climat for all before the end of the mandate, numérique
responsable for office agents within 18 months, a search level for field agents).

Runs after demo_catalogue (the modules are looked up by code, or by title as a fallback)
and before demo_pathways. Written through the ORM: a handful of rows, each audited.
Running it again changes nothing.
"""

from __future__ import annotations

import calendar
import datetime as dt

from django.utils import timezone

from tremplin.competences.models import Competence

from .enums import GoalPopulation, SegmentMatch
from .models import CoverageGoal, FragilitySegment, Module

FRESQUE_CODE = "fresque-du-climat"
RESPONSIBLE_CODE = "numerique-responsable"
END_OF_MANDATE = dt.date(2032, 3, 1)

SEGMENTS = [
    {
        "name": "Éloignés du numérique",
        "description": "Les agents qui ont le plus besoin d'un premier accompagnement : pas de "
        "compte actif, jamais mesurés, ou un niveau moyen faible.",
        "match": SegmentMatch.ANY,
        "no_active_identity": True,
        "never_measured": True,
        "low_level": 2,
    },
    {
        "name": "Terrain jamais formé",
        "description": "Les agents de terrain qui n'ont encore suivi aucune formation.",
        "match": SegmentMatch.ALL,
        "field_job": True,
        "never_trained": True,
    },
]


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (the month's last day when it is shorter)."""
    year, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def find_module(code: str, title_word: str) -> Module | None:
    """The catalogue's module by code, or else by a word of its title."""
    return (
        Module.objects.filter(code=code).first()
        or Module.objects.filter(title__icontains=title_word).order_by("pk").first()
    )


def seed(*, seed: int = 1, today: dt.date | None = None) -> dict:
    today = today or timezone.localdate()
    segments = {}
    for fields in SEGMENTS:
        name = fields["name"]
        segments[name], _created = FragilitySegment.objects.get_or_create(
            name=name, defaults={k: v for k, v in fields.items() if k != "name"}
        )

    fresque = find_module(FRESQUE_CODE, "Fresque")
    responsible = find_module(RESPONSIBLE_CODE, "responsable")
    search = Competence.objects.filter(code="1.1").first()
    planned = [
        (
            fresque,
            {
                "name": "Tous les agents ont fait la Fresque du Climat avant la fin du mandat",
                "module": fresque,
                "population": GoalPopulation.ALL,
                "deadline": END_OF_MANDATE,
                "priority": 1,
            },
        ),
        (
            responsible,
            {
                "name": "Les gros utilisateurs du numérique ont suivi Numérique responsable "
                "en 18 mois",
                "module": responsible,
                "population": GoalPopulation.OFFICE,
                "deadline": add_months(today, 18),
                "priority": 2,
            },
        ),
        (
            search,
            {
                "name": "Tous les agents de terrain au niveau 2 en 1.1 (recherche d'information)",
                "competence": search,
                "level": 2,
                "population": GoalPopulation.FIELD,
                "deadline": add_months(today, 24),
                "priority": 2,
            },
        ),
    ]
    goals = skipped = 0
    for needed, fields in planned:
        if needed is None or fields["deadline"] <= today:
            skipped += 1
            continue
        name = fields.pop("name")
        CoverageGoal.objects.get_or_create(name=name, defaults={**fields, "starts_on": today})
        goals += 1
    # Keys in French: seed_demo prints « 2 groupes, 3 objectifs ».
    counts = {"groupes": len(segments), "objectifs": goals}
    if skipped:
        counts["objectifs non créés (module absent du catalogue)"] = skipped
    return counts
