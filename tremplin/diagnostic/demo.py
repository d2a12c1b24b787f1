"""Demo data for the diagnostic: the item bank, an open campaign for field agents with
their invitations, and a few diagnostics already taken (so that the participation and
bank statistics pages show something); a Pix profiles collection for two directions,
imported from an export written as Pix Orga writes it, with a few rows to review.
Reproducible for a given seed."""

import datetime as dt
import random

from django.db import connection
from django.utils import timezone

from tremplin.competences.models import Competence

from . import adapter
from .bank_loader import load_bank
from .campaigns import channel_for
from .enums import CampaignStatus, ItemKind
from .models import (
    Attempt,
    Campaign,
    Participation,
    PixCampaign,
    PixCampaignKind,
    PixMatch,
    PixParticipation,
    PixReminder,
    Response,
)

CAMPAIGN_NAME = "Diagnostic numérique 2026 — agents de terrain"
# One invited agent in 180 has already taken the diagnostic (24 in the 6,000-agent demo);
# each simulated diagnostic costs about half a second.
TAKEN_SHARE = 1 / 180


def _answer_for(item, knows: bool) -> list[str] | None:
    """What an agent who knows (or not) answers: the right keys, or a plausible mistake."""
    right = item.correct_keys
    if knows:
        return right
    if item.kind == ItemKind.ORDER:
        return list(reversed(right))
    wrong = [c["key"] for c in item.choices if c["key"] not in right]
    return [wrong[0]] if wrong else None


def seed(*, seed: int = 1, today: dt.date | None = None, demo_agent=None) -> dict[str, int]:
    """Call inside seed_demo's transaction, after the workforce and the competences."""
    today = today or timezone.localdate()
    rng = random.Random(f"diagnostic-{seed}")
    bank = load_bank()
    campaign = Campaign.objects.create(
        name=CAMPAIGN_NAME,
        description=(
            "Ce petit questionnaire nous aide à vous proposer les bonnes formations. "
            "Ce n'est pas un examen : répondez « je ne sais pas » quand vous ne savez pas."
        ),
        precision=0.5,
        max_items=30,
        field_only=True,
        opens_on=today - dt.timedelta(days=14),
        closes_on=today + dt.timedelta(days=75),
        status=CampaignStatus.OPEN,
    )
    campaign.competences.set(Competence.objects.crcn())
    agents = list(campaign.population().order_by("pk"))
    Participation.objects.bulk_create(
        [
            Participation(
                campaign=campaign,
                agent=agent,
                channel=channel_for(agent),
                code=f"demo{seed}-{agent.pk}-{rng.getrandbits(64):016x}",
            )
            for agent in agents
        ],
        batch_size=1000,
    )
    taken = list(Participation.objects.filter(campaign=campaign).order_by("pk"))
    taken = [p for p in taken if demo_agent is None or p.agent_id != demo_agent.pk]
    count = min(int(len(agents) * TAKEN_SHARE), len(taken))
    for participation in rng.sample(taken, count):
        ability = rng.gauss(1.8, 1.0)  # field agents far from digital: mostly levels 1 and 2
        attempt = adapter.start_or_resume(participation, seed=rng.getrandbits(32))
        while (item := adapter.current_item(attempt)) is not None:
            knows = rng.random() < 1 / (1 + 2.7 ** (-1.7 * (ability - item.b)))
            adapter.submit(
                attempt,
                position=attempt.position,
                item_code=item.code,
                answer=_answer_for(item, knows),
            )
            attempt.refresh_from_db()
    pix = seed_pix(seed=seed, today=today)
    return {"items": bank["total"], "invited": len(agents), "taken": count, **pix}


PIX_CODE = "DEMOPROF26"
PIX_NAME = "Profils numériques 2026"
PIX_DIRECTIONS = 2  # the population: the directions with the most office agents
PIX_STARTED = 0.6  # of the population, found in the export
PIX_SHARED = 0.85  # of those, results sent
PIX_TYPO = 0.04  # matricule mistyped in Pix: found again by name


def profiles_export(code: str, name: str, rows, competences) -> bytes:
    """A profiles-collection export as Pix Orga writes it (UTF-8 BOM, `;`, quoted text,
    a `Matricule` external id). rows: (last name, first name, matricule, share date or
    None when not shared, pix per competence). Used by the demo and bench/pix_import.py."""
    headers = [
        "Nom de l'organisation",
        "ID Campagne",
        "Code",
        "Nom de la campagne",
        "Nom du Participant",
        "Prénom du Participant",
        "Matricule",
        "Envoi (O/N)",
        "Date de l'envoi (Europe/Paris)",
        "Nombre de pix total",
        "Certifiable (O/N)",
        "Nombre de compétences certifiables",
    ]
    for competence in competences:
        headers += [
            f"Niveau pour la compétence {competence.name}",
            f"Nombre de pix pour la compétence {competence.name}",
        ]
    lines = [";".join(f'"{h}"' for h in headers)]
    for last, first, matricule, shared_on, pix in rows:
        start = ["Collectivité", "91234", code, name, last, first, matricule]
        if shared_on is None:
            cells = [*start, "Non", "NA", "NA", "NA", "NA"] + ["NA", "NA"] * len(competences)
        else:
            cells = [*start, "Oui", f"{shared_on:%d/%m/%Y} 10:{len(last) % 60:02d}"]
            cells += [str(sum(pix)), "Non", str(sum(1 for p in pix if p >= 8))]
            for p in pix:
                cells += [str(min(p // 8, 8)), str(p)]
        lines.append(";".join(c if c.isdigit() else f'"{c}"' for c in cells))
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")


def seed_pix(*, seed: int = 1, today: dt.date) -> dict[str, int]:
    """A declared Pix campaign for two directions and the import of its export."""
    from tremplin.organisation.enums import UnitKind, WorkKind
    from tremplin.organisation.models import Agent, OrgUnit

    from . import pix_import

    rng = random.Random(f"pix-{seed}")
    campaign = PixCampaign.objects.create(
        code=PIX_CODE,
        name=PIX_NAME,
        kind=PixCampaignKind.PROFILES_COLLECTION,
        external_id_label="Matricule",
        closes_on=today + dt.timedelta(days=45),
    )
    # The directions with the most office agents: Pix is for the agents closer to digital.
    directions = sorted(
        OrgUnit.objects.filter(kind=UnitKind.DIRECTION).order_by("name"),
        key=lambda d: (
            -Agent.objects.present()
            .filter(unit__path__startswith=d.path, job__work_kind=WorkKind.OFFICE)
            .count()
        ),
    )
    campaign.units.set(directions[:PIX_DIRECTIONS])
    population = list(campaign.population().select_related("job").order_by("pk"))
    competences = list(Competence.objects.crcn().order_by("code"))
    rows = []
    # Pix is for the agents closer to digital: in these directions, office agents start
    # it; field agents (care homes, sports grounds) wait for the reminder or a diagnostic.
    started = [
        a
        for a in population
        if a.job is not None and a.job.work_kind == WorkKind.OFFICE and rng.random() < PIX_STARTED
    ]
    for agent in started:
        matricule = agent.matricule
        if rng.random() < PIX_TYPO:
            matricule = matricule[:-1] + str((int(matricule[-1]) + 1) % 10)
        shared_on = None
        pix = []
        if rng.random() < PIX_SHARED:
            shared_on = today - dt.timedelta(days=rng.randint(1, 40))
            ability = rng.gauss(3.0, 1.0)
            pix = [max(0, int(rng.gauss(ability * 8, 6))) for _ in competences]
        rows.append((agent.last_name, agent.first_name, matricule, shared_on, pix))
    # People HR will have to look at: a trainee unknown to the SIRH, a mistyped name.
    rows.append(("STAGIAIRE", "Léa", "", today - dt.timedelta(days=3), [12] * len(competences)))
    if population:
        other = started[len(started) // 2] if started else population[0]
        rows.append((other.last_name + "E", other.first_name, "", None, []))
    plan, _result = pix_import.import_file(
        profiles_export(PIX_CODE, PIX_NAME, rows, competences), filename="demo.csv", wet=True
    )
    campaign.refresh_from_db()
    campaign.last_import_at = timezone.now()
    campaign.save(update_fields=["last_import_at"])
    return {
        "pix_population": len(population),
        "pix_rows": len(rows),
        "pix_shared": plan.counts["shared"],
        "pix_to_review": campaign.participations.to_review().count(),
    }


def wipe() -> None:
    """Empties the campaigns and what hangs from them (not the item bank), before
    seed_demo --reset deletes the agents."""
    tables = (
        PixReminder,
        PixMatch,
        PixParticipation,
        PixCampaign.units.through,
        PixCampaign.jobs.through,
        PixCampaign,
        Response,
        Attempt,
        Participation,
        Campaign.competences.through,
        Campaign.units.through,
        Campaign.jobs.through,
        Campaign,
    )
    with connection.cursor() as cursor:
        for model in tables:
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 (a model's own table name)
