"""Digital identities: coverage per unit, the accounts IT has to create, and the import
of the accounts IT created.

Views stay thin: they check permissions, read forms and render what this module
returns. Nothing here loops over agents to count them; counting is SQL's job.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import ClassVar

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Count, Q, Value
from django.db.models.functions import Lower, StrIndex, Substr
from django.utils import timezone

from tremplin.accounts.scopes import AGENT_COUNT_ROLES, agent_scope_q
from tremplin.core import audit
from tremplin.core.bulk import chunks, update_rows
from tremplin.core.enums import AuditAction
from tremplin.core.tabular import RowError, open_import, parse_date

from .enums import ContactChannel, IdentityStatus
from .models import Agent, DigitalIdentity, Employer, OrgUnit
from .unit_figures import UnitRow, UnitTable, share_percent, unit_table

IDENTITY_TYPE = "organisation.digitalidentity"
AGENT_TYPE = "organisation.agent"
BATCH = 500


# --- Coverage ---------------------------------------------------------------------------


@dataclass
class UnitCoverage(UnitRow):
    present: int = 0
    active: int = 0
    requested: int = 0

    FIGURES: ClassVar[tuple[str, ...]] = ("present", "active", "requested")

    @property
    def missing(self) -> int:
        return self.present - self.active

    @property
    def share(self) -> int | None:
        return share_percent(self.active, self.present)


def coverage_for(user, unit: OrgUnit | None = None) -> UnitTable:
    """Present agents and active identities per unit, for the user's counting scope."""
    per_unit = (
        Agent.objects.present()
        .filter(agent_scope_q(user, AGENT_COUNT_ROLES))
        .values("unit_id")
        .annotate(
            present=Count("pk"),
            active=Count("pk", filter=Q(identity__status=IdentityStatus.ACTIVE)),
            requested=Count("pk", filter=Q(identity__status=IdentityStatus.REQUESTED)),
        )
        .order_by()
    )
    return unit_table(user, {row["unit_id"]: row for row in per_unit}, UnitCoverage, unit)


# --- Agents without an active identity ---------------------------------------------------


def without_active_identity(agents):
    return agents.with_identity_status().exclude(identity_status_value=IdentityStatus.ACTIVE)


def accounts_to_create(user, unit: OrgUnit | None = None):
    """Present agents of the user's scope who have no identity at all (status none)."""
    agents = (
        Agent.objects.visible_to(user)
        .present()
        .with_identity_status()
        .filter(identity_status_value=IdentityStatus.NONE)
    )
    if unit is not None:
        agents = agents.filter(unit__path__startswith=unit.path)
    return agents


# --- Export for IT -------------------------------------------------------------------------

EXPORT_HEADERS = [
    "Employeur",
    "Matricule",
    "Nom",
    "Prénom",
    "Unité",
    "Site",
    "Métier",
    "Identifiant proposé",
    "Messagerie proposée",
    "Responsable",
]
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss"})


def login_part(text: str) -> str:
    """'Marie-Hélène' -> 'marie-helene', "D'Arc" -> 'darc', 'Le Goff' -> 'le-goff'."""
    text = unicodedata.normalize("NFKD", (text or "").translate(_LIGATURES))
    text = text.encode("ascii", "ignore").decode().lower()
    text = re.sub(r"['’`]", "", text)
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def suggest_login(first_name: str, last_name: str, taken: set[str]) -> str:
    """`prenom.nom`, then `prenom.nom2`, `prenom.nom3`… until free; the result is taken."""
    base = ".".join(p for p in (login_part(first_name), login_part(last_name)) if p) or "agent"
    candidate, number = base, 1
    while candidate in taken:
        number += 1
        candidate = f"{base}{number}"
    taken.add(candidate)
    return candidate


def taken_logins() -> set[str]:
    """Logins in use, and mailbox local parts: a new login must not look like either."""
    taken = set()
    for login, mailbox in DigitalIdentity.objects.values_list("login", "mailbox"):
        if login:
            taken.add(login.lower())
        if mailbox:
            taken.add(mailbox.split("@", 1)[0].lower())
    return taken


def mail_domains_by_employer() -> dict[int, str]:
    """The most used mailbox domain of each employer, counted in SQL."""
    rows = (
        DigitalIdentity.objects.exclude(mailbox="")
        .annotate(domain=Lower(Substr("mailbox", StrIndex("mailbox", Value("@")) + 1)))
        .values("agent__employer_id", "domain")
        .annotate(n=Count("pk"))
        .order_by("agent__employer_id", "-n", "domain")
    )
    domains: dict[int, str] = {}
    for row in rows:
        domains.setdefault(row["agent__employer_id"], row["domain"])
    return domains


def unit_labels() -> dict[int, str]:
    """'Direction A › Service A1 › Équipe A1a' for every unit, from one query."""
    units = list(OrgUnit.objects.values_list("pk", "name", "path"))
    names = {pk: name for pk, name, _path in units}
    return {
        pk: " › ".join(names.get(int(part), "?") for part in path.strip("/").split("/") if part)
        for pk, _name, path in units
    }


def export_rows(agents, *, domain: str = "") -> Iterator[list[str]]:
    """One row per account to create; `domain` forces the mailbox domain for everybody."""
    taken = taken_logins()
    domains = {} if domain else mail_domains_by_employer()
    labels = unit_labels()
    agents = agents.select_related("employer", "site", "job", "manager").order_by(
        "employer__name", "unit__path", "last_name", "first_name", "pk"
    )
    for agent in agents.iterator(chunk_size=2000):
        login = suggest_login(agent.first_name, agent.last_name, taken)
        agent_domain = domain or domains.get(agent.employer_id, "")
        yield [
            agent.employer.code,
            agent.matricule,
            agent.last_name,
            agent.first_name,
            labels.get(agent.unit_id, ""),
            agent.site.name if agent.site else "",
            agent.job.title if agent.job else "",
            login,
            f"{login}@{agent_domain}" if agent_domain else "",
            agent.manager.full_name if agent.manager else "",
        ]


# --- Mark as requested ---------------------------------------------------------------------


def mark_requested(agents, *, on: dt.date | None = None) -> int:
    """Status `requested` for the given agents who have no identity yet; bulk, audited."""
    on = on or timezone.localdate()
    with transaction.atomic():
        agents = agents.filter(
            Q(identity__isnull=True) | Q(identity__status=IdentityStatus.NONE)
        ).order_by()
        existing = list(
            DigitalIdentity.objects.filter(
                agent__in=agents, status=IdentityStatus.NONE
            ).values_list("pk", flat=True)
        )
        for chunk in chunks(existing):
            DigitalIdentity.objects.filter(pk__in=chunk).update(
                status=IdentityStatus.REQUESTED, requested_at=on
            )
        new_ids = list(agents.filter(identity__isnull=True).values_list("pk", flat=True))
        created = DigitalIdentity.objects.bulk_create(
            [
                DigitalIdentity(agent_id=pk, status=IdentityStatus.REQUESTED, requested_at=on)
                for pk in new_ids
            ],
            batch_size=BATCH,
        )
        change = {
            "status": [IdentityStatus.NONE.value, IdentityStatus.REQUESTED.value],
            "requested_at": [None, on.isoformat()],
        }
        audit.record_many(
            [
                *(
                    (AuditAction.UPDATE, IDENTITY_TYPE, pk, "identité demandée", change)
                    for pk in existing
                ),
                *(
                    (
                        AuditAction.CREATE,
                        IDENTITY_TYPE,
                        identity.pk,
                        "identité demandée",
                        {"agent_id": [None, identity.agent_id], **change},
                    )
                    for identity in created
                ),
            ]
        )
    return len(existing) + len(created)


# --- Import of the accounts IT created -----------------------------------------------------

MAX_IMPORT_BYTES = 2 * 1024 * 1024
LOGIN_RE = re.compile(r"^\S{1,100}$")
COLUMNS = {
    "matricule": ("Matricule", {"matricule", "matricule agent", "n matricule", "no matricule"}),
    "employer": (
        "Employeur",
        {"employeur", "code employeur", "employeur code", "employeur (code)"},
    ),
    "login": ("Identifiant", {"identifiant", "login", "identifiant de connexion", "compte"}),
    "mailbox": (
        "Messagerie",
        {
            "messagerie",
            "courriel",
            "mail",
            "e mail",
            "email",
            "adresse mail",
            "adresse de messagerie",
            "adresse electronique",
            "boite aux lettres",
        },
    ),
    "activated_at": (
        "Date d'activation",
        {"date d activation", "date activation", "activation", "active le", "activee le"},
    ),
}
REQUIRED_COLUMNS = ("matricule", "login", "mailbox")


@dataclass
class PlannedIdentity:
    line: int
    agent: Agent
    identity: DigitalIdentity | None
    login: str
    mailbox: str
    activated_at: dt.date
    action: str  # "activate", "update" or "unchanged"
    fills_email: bool = False
    switches_to_email: bool = False


@dataclass
class IdentityImportPlan:
    rows: list[PlannedIdentity] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    def _count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def to_activate(self) -> int:
        return self._count("activate")

    @property
    def to_update(self) -> int:
        return self._count("update")

    @property
    def unchanged(self) -> int:
        return self._count("unchanged")

    @property
    def emails_filled(self) -> int:
        return sum(1 for row in self.rows if row.fills_email)

    @property
    def switched_to_email(self) -> int:
        return sum(1 for row in self.rows if row.switches_to_email)

    @property
    def changes_anything(self) -> bool:
        return any(row.action != "unchanged" for row in self.rows)


def _agents_by_matricule(user, matricules: set[str]) -> dict[str, list[Agent]]:
    found: dict[str, list[Agent]] = {}
    visible = Agent.objects.visible_to(user).select_related("employer", "identity")
    for chunk in chunks(sorted(matricules)):
        for agent in visible.filter(matricule__in=chunk):
            found.setdefault(agent.matricule, []).append(agent)
    return found


def _identity_of(agent: Agent) -> DigitalIdentity | None:
    try:
        return agent.identity
    except DigitalIdentity.DoesNotExist:
        return None


def plan_identity_import(data: bytes, filename: str, *, user) -> IdentityImportPlan:
    """Reads and checks every row; the plan says what applying would change.

    Raises TabularError for a file that is not a readable table.
    """
    columns, rows, opening_errors = open_import(
        data,
        filename,
        COLUMNS,
        REQUIRED_COLUMNS,
        max_bytes=MAX_IMPORT_BYTES,
        too_big=(
            "Le fichier dépasse 2 Mo. Un fichier de comptes créés est bien plus petit : "
            "vérifiez que c'est le bon fichier."
        ),
    )
    plan = IdentityImportPlan(errors=opening_errors)
    if plan.errors:
        return plan
    cell = columns.cell

    agents = _agents_by_matricule(user, {cell(c, "matricule") for _line, c in rows})
    employers: dict[str, Employer] = {}
    for employer in Employer.objects.all():
        employers[employer.code.lower()] = employer
        employers[employer.name.lower()] = employer
    login_owner = {
        login.lower(): agent_id
        for agent_id, login in DigitalIdentity.objects.exclude(login="").values_list(
            "agent_id", "login"
        )
    }
    mailbox_owner = {
        mailbox.lower(): agent_id
        for agent_id, mailbox in DigitalIdentity.objects.exclude(mailbox="").values_list(
            "agent_id", "mailbox"
        )
    }
    today = timezone.localdate()
    seen_agent: dict[int, int] = {}
    seen_login: dict[str, int] = {}
    seen_mailbox: dict[str, int] = {}

    for line, cells in rows:
        errors_before = len(plan.errors)

        def error(name: str, message: str, line=line) -> None:
            plan.errors.append(RowError(line, columns.header(name) if name else "", message))

        matricule = cell(cells, "matricule")
        agent = None
        if not matricule:
            error("matricule", "le matricule est vide.")
        else:
            candidates = agents.get(matricule, [])
            employer_text = cell(cells, "employer")
            if employer_text:
                employer = employers.get(employer_text.lower())
                if employer is None:
                    error("employer", f"employeur inconnu : « {employer_text} ».")
                    candidates = None
                else:
                    candidates = [a for a in candidates if a.employer_id == employer.pk]
            if candidates is None:
                pass
            elif not candidates:
                where = " chez cet employeur" if employer_text else ""
                error(
                    "matricule",
                    f"aucun agent de votre périmètre n'a le matricule « {matricule} »{where}.",
                )
            elif len(candidates) > 1:
                error(
                    "matricule",
                    f"le matricule « {matricule} » existe chez plusieurs employeurs : "
                    "ajoutez une colonne « Employeur » avec le code de l'employeur.",
                )
            elif candidates[0].pk in seen_agent:
                error(
                    "matricule", f"cet agent figure déjà à la ligne {seen_agent[candidates[0].pk]}."
                )
            else:
                agent = candidates[0]
                seen_agent[agent.pk] = line

        login = cell(cells, "login")
        if not login:
            error("login", "l'identifiant est vide.")
        elif not LOGIN_RE.match(login):
            error("login", "identifiant mal formé : pas d'espace, 100 caractères au plus.")
        elif login.lower() in seen_login:
            error("login", f"cet identifiant figure déjà à la ligne {seen_login[login.lower()]}.")
        else:
            seen_login[login.lower()] = line
            owner = login_owner.get(login.lower())
            if owner is not None and (agent is None or owner != agent.pk):
                error("login", f"l'identifiant « {login} » est déjà celui d'un autre agent.")

        mailbox = cell(cells, "mailbox")
        if mailbox:
            try:
                validate_email(mailbox)
            except ValidationError:
                error("mailbox", f"adresse de messagerie mal formée : « {mailbox} ».")
            else:
                if mailbox.lower() in seen_mailbox:
                    error(
                        "mailbox",
                        f"cette adresse figure déjà à la ligne {seen_mailbox[mailbox.lower()]}.",
                    )
                else:
                    seen_mailbox[mailbox.lower()] = line
                    owner = mailbox_owner.get(mailbox.lower())
                    if owner is not None and (agent is None or owner != agent.pk):
                        error(
                            "mailbox",
                            f"l'adresse « {mailbox} » est déjà celle d'un autre agent.",
                        )

        activated_at = today
        date_text = cell(cells, "activated_at")
        if date_text:
            parsed = parse_date(date_text)
            if parsed is None:
                error(
                    "activated_at",
                    f"date illisible : « {date_text} ». Écrivez-la comme 31/01/2025.",
                )
            elif parsed > today:
                error("activated_at", "la date d'activation est dans le futur.")
            else:
                activated_at = parsed

        if agent is not None and len(plan.errors) == errors_before:
            row = _plan_row(line, agent, login, mailbox, activated_at)
            if row.action != "unchanged" and not agent.is_present:
                # IT worked from an older list: the account is to disable, not to activate.
                error(
                    "matricule",
                    f"cet agent est parti le {agent.departure_date:%d/%m/%Y} : retirez cette "
                    "ligne (son compte est à désactiver, pas à activer).",
                )
            else:
                plan.rows.append(row)
    return plan


def _plan_row(line, agent, login, mailbox, activated_at) -> PlannedIdentity:
    identity = _identity_of(agent)
    is_active = identity is not None and identity.status == IdentityStatus.ACTIVE
    new_mailbox = mailbox or (identity.mailbox if identity else "")
    if not is_active:
        action = "activate"
    elif identity.login != login or identity.mailbox != new_mailbox:
        action = "update"
    else:
        action = "unchanged"
    # The agent's card follows only when a mailbox arrives, so that re-importing the
    # same file never overrides a contact choice made since.
    mailbox_arrives = bool(mailbox) and (identity is None or identity.mailbox != mailbox)
    return PlannedIdentity(
        line=line,
        agent=agent,
        identity=identity,
        login=login,
        mailbox=new_mailbox,
        activated_at=activated_at,
        action=action,
        fills_email=mailbox_arrives and not agent.email,
        switches_to_email=mailbox_arrives and agent.contact_channel == ContactChannel.PAPER,
    )


def apply_identity_import(plan: IdentityImportPlan) -> dict[str, int]:
    """Writes a plan without errors, in one transaction, with one audit entry per change."""
    if plan.errors:
        raise ValueError("a plan with errors cannot be applied")
    counts = {
        "activated": plan.to_activate,
        "updated": plan.to_update,
        "unchanged": plan.unchanged,
        "emails_filled": plan.emails_filled,
        "switched_to_email": plan.switched_to_email,
    }
    if not plan.changes_anything:
        return counts
    entries = []
    to_create, to_update, agents = [], [], []
    now = timezone.now()
    with transaction.atomic():
        for row in plan.rows:
            if row.action == "unchanged":
                continue
            identity = row.identity or DigitalIdentity(agent=row.agent)
            before = audit.snapshot(identity) if row.identity else None
            identity.login = row.login
            identity.mailbox = row.mailbox
            if row.action == "activate":
                identity.status = IdentityStatus.ACTIVE
                identity.activated_at = row.activated_at
            (to_update if row.identity else to_create).append((identity, before))
            if row.fills_email or row.switches_to_email:
                agent_before = audit.snapshot(row.agent)
                if row.fills_email:
                    row.agent.email = row.mailbox
                if row.switches_to_email:
                    row.agent.contact_channel = ContactChannel.EMAIL
                row.agent.updated_at = now
                agents.append(row.agent)
                entries.append(
                    (
                        AuditAction.UPDATE,
                        AGENT_TYPE,
                        row.agent.pk,
                        str(row.agent),
                        audit.diff(agent_before, audit.snapshot(row.agent)),
                    )
                )
        update_rows(
            [identity for identity, _ in to_update], ["login", "mailbox", "status", "activated_at"]
        )
        DigitalIdentity.objects.bulk_create(
            [identity for identity, _ in to_create], batch_size=BATCH
        )
        update_rows(agents, ["email", "contact_channel", "updated_at"])
        for identity, before in [*to_update, *to_create]:
            entries.append(
                (
                    AuditAction.UPDATE if before else AuditAction.CREATE,
                    IDENTITY_TYPE,
                    identity.pk,
                    str(identity),
                    audit.diff(before, audit.snapshot(identity)),
                )
            )
        entries.append(
            (
                AuditAction.IMPORT,
                IDENTITY_TYPE,
                "",
                f"import des comptes créés : {counts['activated']} activée(s), "
                f"{counts['updated']} mise(s) à jour, {counts['unchanged']} inchangée(s)",
                counts,
            )
        )
        audit.record_many(entries)
    return counts


def changing_rows(plan: IdentityImportPlan, limit: int = 20) -> list[PlannedIdentity]:
    """The first rows that change something, shown in the preview for HR to check."""
    return [row for row in plan.rows if row.action != "unchanged"][:limit]
