"""Demo pathways: a template per main job family, the pathways of every demo agent
computed by the generator (pathways.generate_for), then a believable life for them —
some steps validated or started, and Fresque du Climat sessions attended over the
last six months so that the goals have a pace.

Runs after demo_catalogue and demo_goals, inside seed_demo's transaction. Modules are
looked up by code: a code missing from the catalogue is skipped. Reproducible for a
given seed (its own random.Random). Bulk writes, each row audited (audit.record_many).
"""

from __future__ import annotations

import datetime as dt
import random

from django.db.models import Count
from django.utils import timezone

from tremplin.accounts.models import User
from tremplin.core import audit, bulk
from tremplin.core.enums import AuditAction
from tremplin.organisation.enums import WorkKind
from tremplin.organisation.models import Agent

from . import pathways
from .enums import DoneReason, StepStatus
from .models import Module, PathwayStep, PathwayTemplate, PathwayTemplateStep

FRESQUE_CODE = "fresque-du-climat"
# A job family is "main" when it holds at least this share of the agents.
MAIN_FAMILY_SHARE = 0.04
MAX_TEMPLATES = 8
# What a template holds, by the kind of work of the family (module codes, in order).
FIELD_TEMPLATE = ["smartphone", "intranet-paie", "signalement", "securite", "demarches"]
OFFICE_TEMPLATE = ["document", "fichiers-partage", "securite", "rgpd", "numerique-responsable"]
MANAGER_TEMPLATE = ["visio", "fichiers-partage", "rgpd", "cnfpt-manager-numerique"]
MANAGER_FAMILIES = ("Direction et encadrement", "Encadrement de proximité")
# Share of pathways whose first open step was validated, or started.
VALIDATED_SHARE = 0.25
STARTED_SHARE = 0.08
# Share of Fresque du Climat steps attended over the last FRESQUE_DAYS days.
FRESQUE_DONE_SHARE = 0.09
FRESQUE_DAYS = 182


def _main_families() -> list[tuple[str, str]]:
    """(family, work kind of most of its agents), biggest first."""
    rows = list(
        Agent.objects.present()
        .exclude(job__family="")
        .exclude(job__isnull=True)
        .values_list("job__family", "job__work_kind")
        .annotate(n=Count("pk"))
        .order_by()
    )
    total = sum(n for _f, _k, n in rows) or 1
    families: dict[str, dict[str, int]] = {}
    for family, kind, n in rows:
        families.setdefault(family, {}).setdefault(kind, 0)
        families[family][kind] += n
    ranked = sorted(families.items(), key=lambda item: (-sum(item[1].values()), item[0]))
    return [
        (family, max(kinds, key=kinds.get))
        for family, kinds in ranked[:MAX_TEMPLATES]
        if sum(kinds.values()) >= MAIN_FAMILY_SHARE * total
    ]


def _templates(modules: dict[str, Module]) -> int:
    """One template per main family, written through the ORM (a few dozen audited rows).
    Running again adds nothing."""
    created = 0
    for family, kind in _main_families():
        if family in MANAGER_FAMILIES:
            name, codes = f"Encadrer avec le numérique — {family}", MANAGER_TEMPLATE
        elif kind == WorkKind.FIELD:
            name, codes = f"Bien démarrer avec le numérique — {family}", FIELD_TEMPLATE
        else:
            name, codes = f"Les outils du bureau — {family}", OFFICE_TEMPLATE
        chosen = [
            modules[code]
            for code in codes
            if code in modules
            and (not modules[code].job_families or family in modules[code].job_families)
        ]
        if not chosen or PathwayTemplate.objects.filter(job_family=family).exists():
            continue
        template = PathwayTemplate.objects.create(name=name, job_family=family)
        for position, module in enumerate(chosen, start=1):
            PathwayTemplateStep.objects.create(template=template, module=module, position=position)
        created += 1
    return created


def _life(rng: random.Random, today: dt.date, fresque: Module | None) -> dict:
    """Validates or starts the first open step of some pathways, and marks some
    Fresque du Climat steps attended: bulk updates, each change audited."""
    now = timezone.now()
    validator = User.objects.filter(username="rh").first()
    validator_id = validator.pk if validator else None
    first_steps: dict[int, PathwayStep] = {}
    fresque_steps: list[PathwayStep] = []
    for step in (
        PathwayStep.objects.filter(status=StepStatus.PROPOSED, pathway__target_job__isnull=True)
        .select_related("pathway__agent", "module")
        .order_by("pathway_id", "position")
    ):
        first_steps.setdefault(step.pathway_id, step)
        if fresque is not None and step.module_id == fresque.pk:
            fresque_steps.append(step)
    changed: list[tuple[PathwayStep, dict]] = []
    validated = started = attended = 0
    for step in fresque_steps:
        if rng.random() >= FRESQUE_DONE_SHARE:
            continue
        before = audit.snapshot(step)
        step.status = StepStatus.DONE
        # More sessions lately: the plan gathers pace.
        step.done_on = today - dt.timedelta(days=int(rng.triangular(0, FRESQUE_DAYS, 0)))
        step.done_reason = DoneReason.ATTENDANCE
        changed.append((step, before))
        attended += 1
    for step in first_steps.values():
        draw = rng.random()
        if draw >= VALIDATED_SHARE + STARTED_SHARE or step.status != StepStatus.PROPOSED:
            continue
        before = audit.snapshot(step)
        step.status = StepStatus.VALIDATED if draw < VALIDATED_SHARE else StepStatus.IN_PROGRESS
        step.validated_by_id = validator_id
        step.validated_at = now - dt.timedelta(days=rng.randint(1, 45))
        changed.append((step, before))
        if step.status == StepStatus.VALIDATED:
            validated += 1
        else:
            started += 1
    for step, _before in changed:
        step.updated_at = now
    bulk.update_rows(
        [step for step, _before in changed],
        ["status", "validated_by", "validated_at", "done_on", "done_reason", "updated_at"],
    )
    audit.record_many(
        (
            AuditAction.UPDATE,
            pathways.STEP_TYPE,
            step.pk,
            f"{step.pathway.agent} — {step.module} ({step.get_status_display()})",
            audit.diff(before, audit.snapshot(step)),
        )
        for step, before in changed
    )
    return {"validated": validated, "started": started, "attended": attended}


def seed(*, seed: int = 1, today: dt.date | None = None) -> dict:
    today = today or timezone.localdate()
    rng = random.Random(seed)
    modules = {m.code: m for m in Module.objects.active()}
    templates = _templates(modules)
    report = pathways.generate_for(Agent.objects.present(), ctx=pathways.Context(today=today))
    life = _life(rng, today, modules.get(FRESQUE_CODE))
    # Keys in French: seed_demo prints them.
    return {
        "parcours types": templates,
        "parcours": report.pathways_created,
        "étapes proposées": report.steps_added,
        "étapes validées": life["validated"],
        "étapes en cours": life["started"],
        "Fresques du Climat suivies": life["attended"],
    }
