"""Import of Pix Orga exports: parse → validate every row → preview → apply atomically.

Pix Orga (the national digital skills assessment's space for organisations) exports
one CSV per campaign, in two kinds:

- **profiles collection** ("collecte de profils"): per competence, `Niveau pour la
  compétence …` and `Nombre de pix pour la compétence …`, plus `Nombre de pix total`,
  `Certifiable (O/N)`;
- **assessment** ("évaluation"): per competence `% de maitrise des acquis de la
  compétence …`, `Nombre d'acquis du profil cible dans la compétence …`, `Acquis
  maitrisés dans la compétence …`, the same per domain, and optional stage, badge and
  per-skill (`@name`, OK/KO/Non testé) columns.

Every header version since 2020 is read: with or without `Code`; `Nom du Profil Cible`
or `Parcours`; `Date de début`, `Date du partage`, `Date de l'envoi`, with or without
` (Europe/Paris)`; dates `YYYY-MM-DD` or `DD/MM/YYYY[ HH:mm]`; an optional group or
class column; the campaign's external id (whatever its label: the one column after the
participant's names that Pix does not name itself). Cells: UTF-8 with BOM or cp1252
(re-saved by Excel), `;`, decimal comma, Oui/Non, `NA` where results were not shared,
and the `'` Pix puts before a cell starting with = + - @ (removed here; such text is
only ever stored, never exported as is).

Matching a row to an agent (present agents only), first rule that answers:
1. what HR decided before for this participant (PixMatch: this campaign, then global);
2. the external id: a matricule, or an e-mail (agent's address or identity mailbox);
3. the normalised last name + first name, when exactly one agent has it (also when an
   external id was given but matches no agent: a mistyped matricule is common).
Rows left ambiguous or unmatched are stored without an agent and listed in the
preview; `resolve()` records HR's decision (remembered) and the evidence follows.

Evidence (source Pix, the share date, origin = the participation row):
- profiles collection: one per competence with pix > 0 (0 pix means "not played",
  not "level 0"), level = the file's level (pix // 8 when only pix is given), with
  the Pix source's usual uncertainty;
- assessment: the mastery percentages are kept raw in the row. CONSERVATIVE RULE: a
  competence gives evidence only when the target profile has at least
  ASSESSMENT_MIN_SKILLS skills in it; level = floor(4 × mastery) (0–4: a target
  profile rarely reaches past the "Indépendant" band, so full mastery proves level 4
  at most), with a large SD (ASSESSMENT_SD = 1.5, as unsure as a self-declaration).
Unshared rows (NA) only record the participation. Several rows of one person each
give dated evidence; the profile's merge rule makes the latest weigh most.

A file cut in the middle of a line (a cell count that differs from the header's) is
refused; one cut exactly between two lines cannot be told from a shorter file, so a
missing final line break only gives a warning.

Re-importing a file changes nothing: rows are found again by (person, occurrence)
and a participation gives its evidence once.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from tremplin.competences.enums import EvidenceSource
from tremplin.competences.merge import pix_to_level
from tremplin.competences.models import Competence, Evidence
from tremplin.competences.services import EvidenceInput, record_evidence_bulk
from tremplin.core import audit
from tremplin.core.bulk import create_objects, cyclic_gc_paused, update_rows
from tremplin.core.enums import AuditAction
from tremplin.core.tabular import TabularError, normalise_header, read_table

from .models import PixCampaign, PixCampaignKind, PixMatch, PixParticipation

ASSESSMENT_MIN_SKILLS = 5
ASSESSMENT_SD = 1.5
ASSESSMENT_MAX_LEVEL = 4
MAX_ERRORS_KEPT = 200
PARTICIPATION_LABEL = "diagnostic.pixparticipation"
RAW_VALUES = frozenset({"values"})  # the raw results stay in the row, not in the audit log
NOT_SHARED = {"na", "n a", ""}
YES = {"oui", "o", "yes", "y", "vrai", "true", "1"}
NO = {"non", "n", "no", "faux", "false", "0"}
PIX_QUOTED = re.compile(r"^'(?=[=+\-@])")
DATE_YMD = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2}))?")
DATE_DMY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})(?:\s+(\d{1,2})[:h](\d{2}))?")
CAMPAIGN_CODE = re.compile(r"[A-Z0-9]{3,30}")
CRCN_CODE = re.compile(r"\d\.\d")

# Headers Pix writes itself (normalised, without "(Europe/Paris)"): anything else
# between the names and the results is the campaign's external id.
H_ORGANISATION = "nom de l organisation"
H_CAMPAIGN_ID = "id campagne"
H_CODE = "code"
H_CAMPAIGN_NAME = "nom de la campagne"
H_TARGET = ("nom du profil cible", "parcours")
H_LAST = "nom du participant"
H_FIRST = "prenom du participant"
H_GROUPS = ("groupe", "classe", "numero etudiant", "division")
H_PROGRESS = "de progression"
H_STARTED = "date de debut"
H_SHARED = ("partage o n", "envoi o n")
H_SHARED_ON = ("date du partage", "date de l envoi")
H_TOTAL_PIX = "nombre de pix total"
H_CERTIFIABLE = "certifiable o n"
H_CERTIFIABLE_COUNT = "nombre de competences certifiables"
H_MASTERY = "maitrise de l ensemble des acquis du profil"
KNOWN_AFTER_NAMES = {
    H_PROGRESS,
    H_STARTED,
    *H_SHARED,
    *H_SHARED_ON,
    H_TOTAL_PIX,
    H_CERTIFIABLE,
    H_CERTIFIABLE_COUNT,
    H_MASTERY,
}
PER_COMPETENCE = (
    ("level", "niveau pour la competence "),
    ("pix", "nombre de pix pour la competence "),
    ("mastery", "de maitrise des acquis de la competence "),
    ("skills", "nombre d acquis du profil cible dans la competence "),
    ("validated", "acquis maitrises dans la competence "),
)
PER_DOMAIN = (
    ("mastery", "de maitrise des acquis du domaine "),
    ("skills", "nombre d acquis du profil cible du domaine "),
    ("validated", "acquis maitrises du domaine "),
)
STAGE = re.compile(r"palier obtenu (\d+)$")
BADGE_SUFFIX = " obtenu o n"


class PixImportError(ValueError):
    """The file cannot be imported at all; the message is French."""


@dataclass(frozen=True, order=True)
class Issue:
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        where = [f"Ligne {self.line}"] if self.line else []
        if self.column:
            where.append(f"colonne « {self.column} »")
        return f"{', '.join(where)} : {self.message}" if where else self.message


@dataclass
class Row:
    line: int
    last_name: str
    first_name: str
    external_id: str
    started_on: dt.date | None
    shared: bool
    shared_on: dt.date | None
    values: dict
    person_key: str = ""
    occurrence: int = 1
    agent_id: int | None = None
    match: str = ""  # "memory", "external_id", "name", "ambiguous", "unmatched"
    candidates: int = 0


@dataclass
class Plan:
    kind: str = ""
    code: str = ""
    name: str = ""
    target_profile: str = ""
    external_id_label: str = ""
    encoding: str = ""
    rows: list[Row] = field(default_factory=list)
    errors: list[Issue] = field(default_factory=list)
    error_total: int = 0
    warnings: list[str] = field(default_factory=list)
    # Filled by the preview against the database:
    new_participations: int = 0
    changed_participations: int = 0
    evidence: list[EvidenceInput] = field(default_factory=list)
    _pending: list = field(default_factory=list, repr=False)  # (row, participation or None)

    def error(self, line: int, column: str, message: str) -> None:
        self.error_total += 1
        if len(self.errors) < MAX_ERRORS_KEPT:
            self.errors.append(Issue(line, column, message))

    @property
    def ok(self) -> bool:
        return self.error_total == 0

    def count(self, *outcomes: str) -> int:
        return sum(1 for r in self.rows if r.match in outcomes)

    @property
    def counts(self) -> dict[str, int]:
        return {
            "rows": len(self.rows),
            "shared": sum(1 for r in self.rows if r.shared),
            "matched": self.count("memory", "external_id", "name"),
            "ambiguous": self.count("ambiguous"),
            "unmatched": self.count("unmatched"),
            "out_of_scope": self.count("out_of_scope"),
            "new_participations": self.new_participations,
            "changed_participations": self.changed_participations,
            "evidence": len(self.evidence),
        }

    def to_review(self) -> list[Row]:
        return [r for r in self.rows if r.match in ("ambiguous", "unmatched")]


# --- Cells --------------------------------------------------------------------------


def clean_cell(text: str) -> str:
    return PIX_QUOTED.sub("", text.strip())


def parse_yes_no(text: str) -> bool:
    norm = normalise_header(text)
    if norm in YES:
        return True
    if norm in NO:
        return False
    raise ValueError(f"« {text} » : attendu Oui ou Non.")


def parse_date(text: str) -> dt.date:
    text = text.strip()
    if m := DATE_YMD.fullmatch(text):
        year, month, day = int(m[1]), int(m[2]), int(m[3])
    elif m := DATE_DMY.fullmatch(text):
        day, month, year = int(m[1]), int(m[2]), int(m[3])
    else:
        raise ValueError(f"« {text} » n'est pas une date (JJ/MM/AAAA ou AAAA-MM-JJ).")
    try:
        return dt.date(year, month, day)
    except ValueError as exc:
        raise ValueError(f"« {text} » n'est pas une date qui existe.") from exc


def parse_number(text: str) -> float:
    raw = text.replace("\u00a0", "").replace(" ", "").replace("%", "").replace(",", ".")
    try:
        number = Decimal(raw)
    except InvalidOperation as exc:
        raise ValueError(f"« {text} » n'est pas un nombre.") from exc
    if not number.is_finite() or number < 0:
        raise ValueError(f"« {text} » n'est pas un nombre positif.")
    return float(number)


def _not_shared(text: str) -> bool:
    # Most cells are numbers: only text needs normalising ("NA", "N/A", "n.a.").
    if not text or text == "NA":
        return True
    if text[0].isdigit():
        return False
    return normalise_header(text) in NOT_SHARED


def person_key(last_name: str, first_name: str, external_id: str) -> str:
    if external_id:
        return "id:" + external_id.strip().lower()
    return name_key(last_name, first_name)


def name_key(last_name: str, first_name: str) -> str:
    return f"nom:{normalise_header(last_name)}|{normalise_header(first_name)}"


# --- Headers ------------------------------------------------------------------------


@dataclass
class Layout:
    kind: str
    headers: list[str]
    index: dict[str, int]  # normalised known header -> column
    last: int
    first: int
    external: int | None
    groups: list[int]
    competence_cols: dict[str, dict[str, int]]  # competence name -> {"level": i, …}
    domain_cols: dict[str, dict[str, int]]
    stage: tuple[int, int] | None  # (column, out of)
    badges: dict[str, int]
    skills: dict[str, int]

    def find(self, *names: str) -> int | None:
        for name in names:
            if name in self.index:
                return self.index[name]
        return None


def _norm(header: str) -> str:
    norm = normalise_header(clean_cell(header))
    return norm.removesuffix(" europe paris")


def read_layout(headers: list[str]) -> Layout:
    norms = [_norm(h) for h in headers]
    index: dict[str, int] = {}
    for i, norm in enumerate(norms):
        index.setdefault(norm, i)
    if H_LAST not in index or H_FIRST not in index:
        raise PixImportError(
            "Ce fichier ne vient pas de Pix Orga : il n'a pas les colonnes « Nom du "
            "Participant » et « Prénom du Participant ». Téléchargez l'export des "
            "résultats de la campagne dans Pix Orga, sans le modifier."
        )
    if H_TOTAL_PIX in index:
        kind = PixCampaignKind.PROFILES_COLLECTION
    elif H_PROGRESS in index or any(n.startswith(PER_COMPETENCE[2][1]) for n in norms):
        kind = PixCampaignKind.ASSESSMENT
    else:
        raise PixImportError(
            "Ce fichier ne ressemble à aucun export Pix Orga connu : il n'a ni la colonne "
            "« Nombre de pix total » (collecte de profils), ni « % de progression » "
            "(campagne d'évaluation)."
        )
    last, first = index[H_LAST], index[H_FIRST]
    competence_cols: dict[str, dict[str, int]] = defaultdict(dict)
    domain_cols: dict[str, dict[str, int]] = defaultdict(dict)
    stage, badges, skills = None, {}, {}
    external, groups = None, []
    for i, (header, norm) in enumerate(zip(headers, norms, strict=True)):
        for what, prefix in PER_COMPETENCE:
            if norm.startswith(prefix):
                name = clean_cell(header).split("compétence", 1)[-1].strip()
                competence_cols[name][what] = i
                break
        else:
            for what, prefix in PER_DOMAIN:
                if norm.startswith(prefix):
                    domain_cols[clean_cell(header).split("domaine", 1)[-1].strip()][what] = i
                    break
            else:
                if m := STAGE.search(norm):
                    stage = (i, int(m[1]))
                elif norm.endswith(BADGE_SUFFIX) and norm not in KNOWN_AFTER_NAMES:
                    badges[clean_cell(header)[: -len(" (O/N)")].removesuffix(" obtenu")] = i
                elif clean_cell(header).startswith("@"):
                    skills[clean_cell(header)] = i
                elif i > max(last, first) and norm not in KNOWN_AFTER_NAMES:
                    if norm in H_GROUPS:
                        groups.append(i)
                    elif external is None and not (
                        competence_cols or domain_cols or badges or skills
                    ):
                        external = i
    return Layout(
        kind=kind,
        headers=[clean_cell(h) for h in headers],
        index=index,
        last=last,
        first=first,
        external=external,
        groups=groups,
        competence_cols=dict(competence_cols),
        domain_cols=dict(domain_cols),
        stage=stage,
        badges=badges,
        skills=skills,
    )


def _competence_codes(names) -> tuple[dict[str, str], list[str]]:
    """Pix competence names -> CRCN codes (Pix uses the CRCN's names); unknown names."""
    by_name = {normalise_header(c.name): c.code for c in Competence.objects.crcn()}
    codes, unknown = {}, []
    for name in names:
        norm = normalise_header(name)
        code = by_name.get(norm)
        if code is None and (m := re.match(r"(\d\.\d)\s", name)):
            code = m[1] if m[1] in by_name.values() else None
        if code is None:
            unknown.append(name)
        else:
            codes[name] = code
    return codes, unknown


# --- Parsing ------------------------------------------------------------------------


@cyclic_gc_paused()
def parse(data: bytes, filename: str = "", campaign_code: str = "") -> Plan:
    """Reads and checks every row; nothing touches the database but the competence
    names and (later, in preview) the agents."""
    plan = Plan()
    try:
        table = read_table(data, filename)
    except TabularError as exc:
        raise PixImportError(str(exc)) from exc
    if table.kind != "csv":
        raise PixImportError(
            "Pix Orga exporte ses résultats en CSV : importez le fichier CSV tel que "
            "téléchargé, pas un classeur Excel."
        )
    if table.delimiter != ";":
        raise PixImportError(
            "Ce fichier n'est pas un export Pix Orga : ses colonnes ne sont pas séparées "
            "par des points-virgules (;)."
        )
    plan.encoding = table.encoding
    layout = read_layout(table.headers)
    plan.kind = layout.kind
    if layout.external is not None:
        plan.external_id_label = layout.headers[layout.external][:100]
    codes, unknown = _competence_codes(layout.competence_cols)
    if unknown:
        plan.warnings.append(
            "Compétences hors du référentiel, gardées dans les résultats bruts sans créer "
            "d'observation : " + ", ".join(unknown) + "."
        )
    width = len(table.headers)
    code_col = layout.find(H_CODE)
    name_col = layout.find(H_CAMPAIGN_NAME)
    target_col = layout.find(*H_TARGET)
    file_codes: Counter = Counter()
    seen: Counter = Counter()
    try:
        rows = list(table.rows)
    except TabularError as exc:
        raise PixImportError(str(exc)) from exc
    if not data.endswith((b"\n", b"\r")):
        # Pix ends every line, Excel too: a missing end may be a download cut short.
        plan.warnings.append(
            "Le fichier ne finit pas par un retour à la ligne : vérifiez dans Pix Orga "
            f"qu'il a bien {len(rows)} participants."
        )
    for position, (line, cells) in enumerate(rows):
        if len(cells) != width:
            last = position == len(rows) - 1
            raise PixImportError(
                f"Ligne {line} : {len(cells)} cellules au lieu de {width}. "
                + (
                    "Le fichier semble coupé avant la fin : téléchargez-le de nouveau "
                    "depuis Pix Orga."
                    if last
                    else "Le fichier a été modifié ou abîmé : téléchargez-le de nouveau "
                    "depuis Pix Orga."
                )
            )
        cells = [clean_cell(c) for c in cells]
        if code_col is not None:
            file_codes[cells[code_col]] += 1
        if name_col is not None and not plan.name:
            plan.name = cells[name_col][:200]
        if target_col is not None and not plan.target_profile:
            plan.target_profile = cells[target_col][:200]
        row = _parse_row(plan, layout, codes, line, cells)
        if row is not None:
            row.person_key = person_key(row.last_name, row.first_name, row.external_id)
            seen[row.person_key] += 1
            row.occurrence = seen[row.person_key]
            plan.rows.append(row)
    _campaign_code(plan, file_codes, campaign_code)
    if not rows:
        plan.error(0, "", "Le fichier n'a aucune ligne de participant.")
    return plan


def _campaign_code(plan: Plan, file_codes: Counter, given: str) -> None:
    given = given.strip().upper()
    if len(file_codes) > 1:
        plan.error(0, "Code", "Le fichier mélange plusieurs campagnes : un fichier par campagne.")
        return
    in_file = next(iter(file_codes), "").upper()
    if given and in_file and given != in_file:
        plan.error(
            0,
            "Code",
            f"Le fichier est celui de la campagne {in_file}, pas de la campagne {given}.",
        )
    code = given or in_file
    if not code:
        plan.error(
            0,
            "Code",
            "Ce fichier ne donne pas le code de la campagne (export d'avant 2021) : "
            "indiquez-le (option --campaign).",
        )
    elif not CAMPAIGN_CODE.fullmatch(code):
        plan.error(0, "Code", f"« {code} » n'est pas un code de campagne Pix.")
    plan.code = code


def _parse_row(plan: Plan, layout: Layout, codes, line: int, cells: list[str]) -> Row | None:
    headers = layout.headers
    errors_before = plan.error_total

    def cell(i):
        return cells[i] if i is not None else ""

    def fail(i, message):
        plan.error(line, headers[i] if i is not None else "", message)

    last, first = cell(layout.last), cell(layout.first)
    if not last and not first:
        fail(layout.last, "nom et prénom du participant vides.")
    shared_col = layout.find(*H_SHARED)
    shared = False
    if shared_col is not None:
        try:
            shared = parse_yes_no(cell(shared_col))
        except ValueError as exc:
            fail(shared_col, str(exc))
    shared_on = started_on = None
    for names, target in ((H_SHARED_ON, "shared"), ((H_STARTED,), "started")):
        col = layout.find(*names)
        if col is None or _not_shared(cell(col)):
            continue
        try:
            value = parse_date(cell(col))
        except ValueError as exc:
            fail(col, str(exc))
            continue
        if target == "shared":
            shared_on = value
        else:
            started_on = value
    if shared_col is None:  # old profile collections: a share date means shared
        shared = shared_on is not None
    if shared and shared_on is None and plan.error_total == errors_before:
        fail(layout.find(*H_SHARED_ON), "résultats partagés mais sans date de partage.")
    values: dict = {}
    if layout.groups:
        values["groups"] = [cell(i) for i in layout.groups]

    def number(i, key, into):
        text = cell(i)
        if not shared or _not_shared(text):
            return
        try:
            into[key] = parse_number(text)
        except ValueError as exc:
            fail(i, str(exc))

    progress = layout.find(H_PROGRESS)
    if progress is not None and not _not_shared(cell(progress)):
        try:
            values["progress"] = parse_number(cell(progress))
        except ValueError as exc:
            fail(progress, str(exc))
    for key, header in (("total_pix", H_TOTAL_PIX), ("mastery", H_MASTERY)):
        col = layout.find(header)
        if col is not None:
            number(col, key, values)
    certifiable = layout.find(H_CERTIFIABLE)
    if certifiable is not None and shared and not _not_shared(cell(certifiable)):
        try:
            values["certifiable"] = parse_yes_no(cell(certifiable))
        except ValueError as exc:
            fail(certifiable, str(exc))
    competences = {}
    for name, cols in layout.competence_cols.items():
        found: dict = {}
        for what, i in cols.items():
            number(i, what, found)
        if found:
            competences[codes.get(name, name)] = found
    if competences:
        values["competences"] = competences
    domains = {}
    for name, cols in layout.domain_cols.items():
        found = {}
        for what, i in cols.items():
            number(i, what, found)
        if found:
            domains[name] = found
    if domains:
        values["domains"] = domains
    if layout.stage and shared and not _not_shared(cell(layout.stage[0])):
        values["stage"] = f"{cell(layout.stage[0])}/{layout.stage[1]}"
    if layout.badges and shared:
        values["badges"] = {}
        for badge, i in layout.badges.items():
            if not _not_shared(cell(i)):
                try:
                    values["badges"][badge] = parse_yes_no(cell(i))
                except ValueError as exc:
                    fail(i, str(exc))
    if layout.skills and shared:
        values["skills"] = {s: cell(i) for s, i in layout.skills.items() if cell(i)}
    if plan.error_total > errors_before:
        return None
    return Row(
        line=line,
        last_name=last[:150],
        first_name=first[:150],
        external_id=cell(layout.external)[:200],
        started_on=started_on,
        shared=shared,
        shared_on=shared_on,
        values=values,
    )


# --- Matching and preview ------------------------------------------------------------


def _agent_index():
    from tremplin.organisation.models import Agent, DigitalIdentity

    by_matricule, by_email, by_name = defaultdict(set), defaultdict(set), defaultdict(set)
    present = Agent.objects.present()
    for pk, matricule, last, first, email in present.values_list(
        "pk", "matricule", "last_name", "first_name", "email"
    ):
        by_matricule[matricule.strip().lower()].add(pk)
        if email:
            by_email[email.strip().lower()].add(pk)
        by_name[name_key(last, first)].add(pk)
    for pk, mailbox in (
        DigitalIdentity.objects.filter(agent__in=present)
        .exclude(mailbox="")
        .values_list("agent_id", "mailbox")
    ):
        by_email[mailbox.strip().lower()].add(pk)
    return by_matricule, by_email, by_name, set(present.values_list("pk", flat=True))


def match_rows(plan: Plan, campaign: PixCampaign | None, allowed: set[int] | None = None) -> None:
    """Finds each row's agent (module docstring). With `allowed` (the agents an importer
    limited to part of the collectivité may touch), a row whose agent is outside it stays
    without an agent, counted as "out_of_scope": someone with the whole scope links it."""
    by_matricule, by_email, by_name, present = _agent_index()
    memory = dict(PixMatch.objects.filter(campaign__isnull=True).values_list("key", "agent_id"))
    if campaign is not None:
        for key, agent_id in campaign.matches.values_list("key", "agent_id"):
            memory[key] = agent_id  # a decision for this campaign wins over a global one
    for row in plan.rows:
        keys = [name_key(row.last_name, row.first_name)]
        if row.external_id:
            keys.insert(0, "id:" + row.external_id.strip().lower())
        remembered = next((memory[k] for k in keys if k in memory), None)
        if remembered is not None and remembered in present:
            row.agent_id, row.match = remembered, "memory"
            continue
        if row.external_id:
            ext = row.external_id.strip().lower()
            found = by_email[ext] if "@" in ext else by_matricule[ext]
            if len(found) == 1:
                row.agent_id, row.match = next(iter(found)), "external_id"
                continue
        found = by_name[keys[-1]]
        if len(found) == 1:
            row.agent_id, row.match = next(iter(found)), "name"
        else:
            row.match = "ambiguous" if found else "unmatched"
            row.candidates = len(found)
    if allowed is not None:
        for row in plan.rows:
            if row.agent_id is not None and row.agent_id not in allowed:
                row.agent_id, row.match = None, "out_of_scope"


def evidence_of(row: Row, kind: str, code: str, participation=None) -> list[EvidenceInput]:
    """The evidence a shared, matched row gives (see the module's rule)."""
    if not row.shared or row.agent_id is None or row.shared_on is None:
        return []
    out = []
    for competence, found in row.values.get("competences", {}).items():
        if not CRCN_CODE.fullmatch(competence):
            continue  # outside the CRCN: kept raw only
        if kind == PixCampaignKind.PROFILES_COLLECTION:
            pix = found.get("pix")
            if pix is not None and pix <= 0:
                continue
            if "level" in found:
                level = min(int(found["level"]), 8)
            elif pix is not None:
                level = pix_to_level(pix)
            else:
                continue
            sd = None
        else:
            if found.get("skills", 0) < ASSESSMENT_MIN_SKILLS or "mastery" not in found:
                continue
            mastery = found["mastery"]
            mastery = mastery / 100 if mastery > 1 else mastery
            level = min(math.floor(ASSESSMENT_MAX_LEVEL * mastery), ASSESSMENT_MAX_LEVEL)
            sd = ASSESSMENT_SD
        out.append(
            EvidenceInput(
                agent_id=row.agent_id,
                competence=competence,
                level=level,
                source=EvidenceSource.PIX,
                observed_on=row.shared_on,
                sd=sd,
                origin=participation,
                origin_label=f"Pix {code}, ligne {row.line}",
            )
        )
    return out


PARTICIPATION_FIELDS = [
    "agent_id",
    "last_name",
    "first_name",
    "external_id",
    "started_on",
    "shared",
    "shared_on",
    "values",
    "line",
]


def _row_fields(row: Row) -> dict:
    return {
        "agent_id": row.agent_id,
        "last_name": row.last_name,
        "first_name": row.first_name,
        "external_id": row.external_id,
        "started_on": row.started_on,
        "shared": row.shared,
        "shared_on": row.shared_on,
        "values": row.values,
        "line": row.line,
    }


@cyclic_gc_paused()
def preview(plan: Plan, allowed: set[int] | None = None) -> Plan:
    """Matches the rows and counts what applying would write; writes nothing. `allowed`:
    see match_rows."""
    if not plan.ok:
        return plan
    campaign = PixCampaign.objects.filter(code=plan.code).first()
    if campaign is not None and campaign.kind != plan.kind:
        plan.error(
            0,
            "",
            f"La campagne {plan.code} est déjà connue comme "
            f"« {campaign.get_kind_display()} » : ce fichier est d'un autre type.",
        )
        return plan
    match_rows(plan, campaign, allowed)
    existing = {}
    if campaign is not None:
        existing = {(p.person_key, p.occurrence): p for p in campaign.participations.all()}
    with_evidence = _participations_with_evidence([p.pk for p in existing.values()])
    plan._pending, plan.evidence = [], []
    plan.new_participations = plan.changed_participations = 0
    for row in plan.rows:
        current = existing.get((row.person_key, row.occurrence))
        if current is None:
            plan.new_participations += 1
        else:
            fields = _row_fields(row)
            if current.agent_id is not None and row.agent_id is None:
                # HR's earlier decision stays when a later file says nothing new.
                row.agent_id, row.match = current.agent_id, "memory"
                fields["agent_id"] = current.agent_id
            if any(getattr(current, k) != v for k, v in fields.items()):
                plan.changed_participations += 1
        plan._pending.append((row, current))
        if current is None or current.pk not in with_evidence:
            plan.evidence.extend(evidence_of(row, plan.kind, plan.code))
    return plan


def _participations_with_evidence(ids) -> set[int]:
    if not ids:
        return set()
    content_type = ContentType.objects.get_for_model(PixParticipation)
    found = set()
    for origin_id in (
        Evidence.objects.filter(origin_type=content_type, origin_id__in=[str(i) for i in ids])
        .values_list("origin_id", flat=True)
        .distinct()
    ):
        found.add(int(origin_id))
    return found


# --- Apply --------------------------------------------------------------------------


def apply(plan: Plan) -> dict[str, int]:
    """Writes the previewed plan in one transaction; returns what it wrote."""
    if not plan.ok:
        raise PixImportError("Le fichier a des erreurs : rien n'a été enregistré.")
    with cyclic_gc_paused(), transaction.atomic():
        campaign, _created = PixCampaign.objects.get_or_create(
            code=plan.code,
            defaults={
                "name": plan.name,
                "kind": plan.kind,
                "target_profile": plan.target_profile,
                "external_id_label": plan.external_id_label,
            },
        )
        changed_campaign = False
        for attr in ("name", "target_profile", "external_id_label"):
            value = getattr(plan, attr)
            if value and getattr(campaign, attr) != value:
                setattr(campaign, attr, value)
                changed_campaign = True
        if changed_campaign:
            campaign.save()  # audited by its signal
        to_create, to_update = [], []
        for row, current in plan._pending:
            fields = _row_fields(row)
            if current is None:
                to_create.append(
                    PixParticipation(
                        campaign=campaign,
                        person_key=row.person_key,
                        occurrence=row.occurrence,
                        **fields,
                    )
                )
            elif any(getattr(current, k) != v for k, v in fields.items()):
                before = audit.snapshot(current)
                for k, v in fields.items():
                    setattr(current, k, v)
                to_update.append((current, before))
        created = create_objects(to_create)
        update_rows([p for p, _ in to_update], PARTICIPATION_FIELDS)
        audit.record_many(
            [
                (
                    AuditAction.CREATE,
                    PARTICIPATION_LABEL,
                    p.pk,
                    f"Pix {plan.code}, ligne {p.line}",
                    audit.diff(None, audit.snapshot(p, RAW_VALUES)),
                )
                for p in created
            ]
            + [
                (
                    AuditAction.UPDATE,
                    PARTICIPATION_LABEL,
                    p.pk,
                    f"Pix {plan.code}, ligne {p.line}",
                    audit.diff(before, audit.snapshot(p)),
                )
                for p, before in to_update
            ]
        )
        by_key = {(p.person_key, p.occurrence): p for p in created}
        with_evidence = _participations_with_evidence(
            [current.pk for _row, current in plan._pending if current is not None]
        )
        items = []
        for row, current in plan._pending:
            participation = current or by_key[(row.person_key, row.occurrence)]
            if participation.pk in with_evidence:
                continue
            items.extend(evidence_of(row, plan.kind, plan.code, participation))
        result = {"evidence": 0, "profiles_changed": 0}
        if items:
            result = record_evidence_bulk(items)
    return {
        "participations_created": len(created),
        "participations_changed": len(to_update),
        **result,
    }


def import_file(
    data: bytes,
    *,
    filename: str = "",
    campaign_code: str = "",
    wet: bool = False,
    allowed: set[int] | None = None,
):
    """parse → preview → apply when `wet` and the file has no error. Returns (plan, result).
    Each step pauses the cycle collector: the rows and their dicts are long-lived, and
    collecting them over and over cost a tenth of the time."""
    plan = preview(parse(data, filename, campaign_code), allowed)
    result = None
    if wet and plan.ok:
        result = apply(plan)
    return plan, result


def resolve(participation: PixParticipation, agent, *, remember_globally=False, user=None):
    """HR's answer for a row left for review: sets the agent, remembers the decision for
    the next imports, and records the evidence the row gives. Returns the evidence count."""
    key = (
        "id:" + participation.external_id.strip().lower()
        if participation.external_id
        else name_key(participation.last_name, participation.first_name)
    )
    campaign = None if remember_globally else participation.campaign
    with transaction.atomic():
        PixMatch.objects.update_or_create(
            campaign=campaign, key=key, defaults={"agent": agent, "decided_by": user}
        )
        before = audit.snapshot(participation)
        participation.agent = agent
        participation.save(update_fields=["agent"])
        audit.record_many(
            [
                (
                    AuditAction.UPDATE,
                    PARTICIPATION_LABEL,
                    participation.pk,
                    str(participation.line),
                    audit.diff(before, audit.snapshot(participation)),
                )
            ]
        )
        if participation.pk in _participations_with_evidence([participation.pk]):
            return 0
        row = Row(
            line=participation.line,
            last_name=participation.last_name,
            first_name=participation.first_name,
            external_id=participation.external_id,
            started_on=participation.started_on,
            shared=participation.shared,
            shared_on=participation.shared_on,
            values=participation.values,
            agent_id=agent.pk,
        )
        items = evidence_of(
            row, participation.campaign.kind, participation.campaign.code, participation
        )
        return record_evidence_bulk(items, author=user)["evidence"] if items else 0
