"""SIRH import of agents: parse → validate every row → preview → apply in one transaction.

One engine serves the `import_agents` command and the HR pages. It reads the whole
file and checks every row against the database, loaded once into dicts (no query
per row), before anything is written: a bad file changes nothing and all its errors
are listed at once, each with its line and column. Writes are bulk ones, so the
audit entries are written here with `record_many` (bulk writes send no signals).

Choices worth knowing:
- A column absent from the file leaves that field untouched; a present column with
  an empty cell empties the field (the SIRH is the reference). One exception: an
  empty Courriel cell keeps the address of the agent's active digital identity, which
  IT created and the SIRH rarely knows yet.
- A cell that starts with = + - or @ is refused, never stored: it could run as a
  formula when the data is exported again. A telephone number may start with +.
  A cell holding only dashes ("-", "--") is a placeholder and reads as empty.
- Units are matched by (parent, name) without regard to case; jobs by code, else by
  title; sites by code, else by name. Missing ones are created.
- A full import says who works there: absent agents are noted departed today, and an
  agent noted departed who is back in the file is present again.
- An HR user limited to some employers or units (`Scope`) may only change agents of
  their scope, only move or create agents into units of it, and a full import only
  notes departures inside it. Anything else is an error of the row.
- The plan is checked again while applying it: if an agent it changes was changed or
  deleted since, nothing is written.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.text import capfirst, slugify

from tremplin.accounts.enums import Role
from tremplin.core import audit
from tremplin.core.bulk import chunks, update_rows
from tremplin.core.enums import AuditAction
from tremplin.core.tabular import TabularError, normalise_header, read_table

from .enums import (
    WEEKDAYS,
    Category,
    ContactChannel,
    EmploymentStatus,
    Gender,
    IdentityStatus,
    SiteKind,
    UnitKind,
    WorkPattern,
)
from .models import Agent, Collectivite, DigitalIdentity, Employer, Job, OrgUnit, Site

MAX_ERRORS_KEPT = 200
SAMPLE_SIZE = 50
BATCH_SIZE = 1000
PROGRESS_EVERY = 1000
IGNORE = "ignore"
AGENT_LABEL = "organisation.agent"

Progress = Callable[[str, int, int], None]  # (phase, done, total)
PHASE_READ = "Lecture et vérification"
PHASE_WRITE = "Enregistrement"


# --- Columns ---------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldSpec:
    key: str
    label: str
    synonyms: str = ""  # other headers seen in SIRH exports, "|"-separated, normalised
    required: bool = False


# fmt: off
FIELD_SPECS = (
    FieldSpec("matricule", "Matricule", "mat|numero agent|n agent|no agent|num agent|numero de matricule", True),
    FieldSpec("last_name", "Nom", "nom de famille|nom d usage|nom usuel|nom patronymique", True),
    FieldSpec("first_name", "Prénom", "prenom usuel", True),
    FieldSpec("employer", "Employeur", "collectivite|code employeur|collectivite employeur|entite employeur"),
    FieldSpec("direction", "Direction", "libelle direction|pole"),
    FieldSpec("service", "Service", "libelle service"),
    FieldSpec("team", "Équipe", "libelle equipe|cellule"),
    FieldSpec("job_title", "Métier", "emploi|libelle metier|libelle emploi|intitule metier|intitule emploi|intitule du poste|poste|fonction"),
    FieldSpec("job_code", "Code métier", "code emploi|code poste"),
    FieldSpec("job_family", "Famille de métiers", "famille de metier|famille metier|famille metiers|famille professionnelle"),
    FieldSpec("category", "Catégorie", "cat|categorie statutaire|categorie hierarchique"),
    FieldSpec("gender", "Sexe", "genre|civilite|sexe de l agent"),
    FieldSpec("employment_status", "Statut", "position statutaire|situation statutaire|type de contrat|nature du contrat"),
    FieldSpec("site", "Site", "lieu de travail|site de travail|site d affectation|affectation geographique"),
    FieldSpec("manager", "Responsable", "matricule responsable|matricule du responsable|responsable hierarchique|encadrant|matricule encadrant|manager|n 1|superieur hierarchique"),
    FieldSpec("email", "Courriel", "email|e mail|mail|mel|adresse mail|adresse e mail|adresse electronique|courriel professionnel"),
    FieldSpec("mobile_phone", "Téléphone mobile", "telephone|mobile|portable|tel|tel mobile|telephone portable|numero de telephone"),
    FieldSpec("contact_channel", "Moyen de contact", "canal de contact|contact prefere"),
    FieldSpec("arrival_date", "Date d'arrivée", "date arrivee|date d entree|date entree|date d embauche|date embauche"),
    FieldSpec("departure_date", "Date de départ", "date depart|date de sortie|date sortie"),
    FieldSpec("part_time_rate", "Quotité de travail", "temps de travail|quotite|taux d activite|temps partiel|taux de temps partiel"),
    FieldSpec("work_pattern", "Horaires", "horaire|cycle|cycle de travail|organisation du travail|rythme de travail"),
    FieldSpec("days_off", "Jours non travaillés", "jour non travaille|jours de repos|jour de repos"),
)
# fmt: on
FIELDS = {spec.key: spec for spec in FIELD_SPECS}
REQUIRED = [spec.key for spec in FIELD_SPECS if spec.required]
UNIT_LEVELS = (
    ("direction", UnitKind.DIRECTION),
    ("service", UnitKind.SERVICE),
    ("team", UnitKind.TEAM),
)


def _synonym_table() -> dict[str, str]:
    table = {}
    for spec in FIELD_SPECS:
        for text in (spec.label, *spec.synonyms.split("|")):
            key = normalise_header(text)
            if table.get(key, spec.key) != spec.key:
                raise ValueError(f"synonym {text!r} given to two fields")
            table[key] = spec.key
    return table


SYNONYMS = _synonym_table()
IGNORE_WORDS = {"ignorer", "ignore", "a ignorer", "ne pas importer", ""}


def field_from_text(text: str) -> str | None:
    """A field key from what a person typed: a key, a French label, a synonym or 'ignorer'."""
    if text in FIELDS:
        return text
    norm = normalise_header(text)
    if norm in IGNORE_WORDS:
        return IGNORE
    return SYNONYMS.get(norm)


def known_fields_text() -> str:
    return ", ".join(f"{spec.key} ({spec.label})" for spec in FIELD_SPECS) + ", ignorer"


@dataclass(frozen=True)
class Column:
    index: int
    header: str
    field: str  # a key of FIELDS, or IGNORE


# --- Errors ----------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Issue:
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        where = []
        if self.line:
            where.append(f"Ligne {self.line}")
        if self.column:
            where.append(f"colonne « {self.column} »")
        return f"{', '.join(where)} : {self.message}" if where else self.message


class Issues:
    """Every error counts; the first ones are kept to be shown (a broken file of 100,000
    rows must not fill the memory with messages)."""

    def __init__(self, keep: int = MAX_ERRORS_KEPT * 5):
        self.kept: list[Issue] = []
        self.total = 0
        self.keep = keep

    def add(self, line: int, column: str, message: str) -> None:
        self.total += 1
        if len(self.kept) < self.keep:
            self.kept.append(Issue(line or 0, column or "", message))

    def __bool__(self) -> bool:
        return self.total > 0

    def shown(self, limit: int = MAX_ERRORS_KEPT) -> list[Issue]:
        return sorted(self.kept)[:limit]


class CellError(ValueError):
    pass


class ImportFailed(Exception):
    """The apply step could not finish; nothing was written. The message is French."""


@dataclass(frozen=True)
class Scope:
    """What an HR user limited by their role assignments may import. Each part is
    (employer id, unit path), either None for "any"; an agent is in scope when one
    part covers both its employer and its unit."""

    parts: tuple[tuple[int | None, str | None], ...]

    def covers_employer(self, employer_id) -> bool:
        return any(employer in (None, employer_id) for employer, _path in self.parts)

    def covers(self, employer_id, unit_path: str) -> bool:
        return any(
            employer in (None, employer_id) and (path is None or unit_path.startswith(path))
            for employer, path in self.parts
        )

    @property
    def employer_ids(self) -> set[int] | None:
        """The employers this scope is limited to; None when it reaches every employer."""
        ids = {employer for employer, _path in self.parts}
        return None if None in ids else ids


def scope_of(user) -> Scope | None:
    """The import scope of a user; None: no limit (and new employers may be created)."""
    if user.is_superuser or user.has_role(Role.ADMIN):
        return None
    parts = tuple(
        user.role_assignments.filter(role=Role.HR)
        .order_by("pk")
        .values_list("employer_id", "org_unit__path")
    )
    if (None, None) in parts:
        return None
    return Scope(parts)


SPLIT_HINT = ", un par employeur"  # how to cut a file over the size limit


def _short(text: str, size: int = 40) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"


# --- Cell parsers (text already stripped, never empty) --------------------------------

FORMULA_START = ("=", "+", "-", "@")
MATRICULE_RE = re.compile(r"[0-9A-Za-z][0-9A-Za-z._/-]{0,29}")
PHONE_STRIP_RE = re.compile(r"[\s.\-()/]")
PHONE_RE = re.compile(r"\+?\d{8,15}")
DATE_DMY_RE = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
DATE_YMD_RE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
# Five digits: 10000 is 18/05/1927. Fewer would read a bare year such as 2020 as 1905.
SERIAL_RE = re.compile(r"\d{5}(?:[.,]\d+)?")
EXCEL_EPOCH = dt.date(1899, 12, 30)
NUMBER_RE = re.compile(r"(\d+(?:[.,]\d+)?)")
EMPLOYER_CODE_RE = re.compile(r"[-a-zA-Z0-9_]{1,30}")


def _refuse_formula(text: str) -> None:
    if text.startswith(FORMULA_START):
        raise CellError(
            f"« {_short(text)} » commence par « {text[0]} » : une cellule ne peut pas "
            "commencer par =, +, - ou @ (risque de formule de tableur). Retirez ce signe."
        )


def _text(max_length: int, what: str) -> Callable[[str], str]:
    def parse(text: str) -> str:
        _refuse_formula(text)
        if len(text) > max_length:
            raise CellError(f"{what} dépasse {max_length} caractères.")
        return text

    return parse


def parse_matricule(text: str) -> str:
    if not MATRICULE_RE.fullmatch(text):
        raise CellError(
            f"« {_short(text)} » n'est pas un matricule valide (lettres, chiffres, points ou "
            "tirets, 30 caractères au plus, commençant par une lettre ou un chiffre)."
        )
    return text


def parse_category(text: str) -> str:
    norm = normalise_header(text)
    for prefix in ("categorie ", "cat "):
        norm = norm.removeprefix(prefix)
    value = norm.upper()
    if value not in Category.values:
        raise CellError(f"« {_short(text)} » n'est pas une catégorie (A, B ou C).")
    return value


GENDER_WORDS = {
    **dict.fromkeys(("f", "femme", "feminin", "mme", "madame", "mlle", "mademoiselle"), "F"),
    **dict.fromkeys(("m", "h", "homme", "masculin", "monsieur", "mr"), "M"),
    **dict.fromkeys(("x", "autre", "non precise", "non binaire", "inconnu", "nc"), "X"),
}


def parse_gender(text: str) -> str:
    value = GENDER_WORDS.get(normalise_header(text))
    if value is None:
        raise CellError(
            f"« {_short(text)} » n'est pas un sexe reconnu (F ou Femme, M ou Homme, X ou Autre)."
        )
    return Gender(value).value


STATUS_WORDS = (
    (("emploi aide", "contrat aide", "pec", "cae", "cui", "parcours emploi"), "emploi_aide"),
    (("non titulaire", "contractuel", "cdd", "cdi", "contrat"), "contractuel"),
    (("apprenti",), "apprenti"),
    (("stagiaire", "stag"), "stagiaire"),
    (("titulaire", "tit", "fonctionnaire"), "titulaire"),
)


def _first_match(norm: str, table) -> str | None:
    words = f" {norm} "
    for keys, value in table:
        for key in keys:
            if f" {key} " in words or (len(key) > 4 and key in norm):
                return value
    return None


def parse_status(text: str) -> str:
    value = _first_match(normalise_header(text), STATUS_WORDS)
    if value is None:
        raise CellError(
            f"« {_short(text)} » n'est pas un statut connu (Titulaire, Stagiaire, Contractuel, "
            "Apprenti ou Contrat aidé)."
        )
    return EmploymentStatus(value).value


PATTERN_WORDS = (
    (("altern", "alterne", "alternes", "cycle", "roulement", "rotation", "2x8", "3x8"), "rotating"),
    (("nuit",), "night"),
    (("apres midi", "apresmidi", "soir"), "afternoon"),
    (("matin",), "morning"),
    (("bureau", "journee", "jour", "normal", "administratif", "standard", "fixe"), "office_hours"),
)


def parse_work_pattern(text: str) -> str:
    norm = normalise_header(text)
    if "matin" in norm and "apres midi" in norm:
        return WorkPattern.ROTATING.value
    value = _first_match(norm, PATTERN_WORDS)
    if value is None:
        raise CellError(
            f"« {_short(text)} » n'est pas un horaire connu (Bureau, Matin, Après-midi, Nuit "
            "ou Alterné)."
        )
    return value


CHANNEL_WORDS = (
    (("courriel", "email", "e mail", "mail", "mel"), ContactChannel.EMAIL.value),
    (("sms", "texto", "mobile", "telephone", "portable"), ContactChannel.SMS.value),
    (("papier", "courrier", "lettre", "encadrant"), ContactChannel.PAPER.value),
)


def parse_channel(text: str) -> str:
    value = _first_match(normalise_header(text), CHANNEL_WORDS)
    if value is None:
        raise CellError(
            f"« {_short(text)} » n'est pas un moyen de contact connu (Courriel, SMS ou Papier)."
        )
    return value


def parse_rate(text: str) -> int:
    _refuse_formula(text)
    norm = normalise_header(text)
    if norm in {"temps complet", "temps plein", "complet", "plein"}:
        return 100
    match = NUMBER_RE.search(text)
    value = float(match.group(1).replace(",", ".")) if match else -1
    if 0 < value <= 1 and "%" not in text:
        value *= 100
    if not 1 <= value <= 100:
        raise CellError(
            f"« {_short(text)} » n'est pas une quotité valide (un pourcentage de 1 à 100, "
            "par exemple 80 ou 80 %)."
        )
    return round(value)


DAY_NAMES = {normalise_header(name): number for number, name in WEEKDAYS}
DAY_NAMES.update({name[:3]: number for name, number in list(DAY_NAMES.items())})


def parse_days_off(text: str) -> str:
    _refuse_formula(text)
    norm = normalise_header(text)
    if norm in {"aucun", "aucune", "non", "sans"}:
        return ""
    days = set()
    for token in norm.replace(" et ", " ").split():
        if token.isdigit() and all(c in "1234567" for c in token):
            days.update(int(c) for c in token)
        elif token in DAY_NAMES:
            days.add(DAY_NAMES[token])
        else:
            raise CellError(
                f"« {_short(text)} » n'est pas une liste de jours (par exemple « mercredi » "
                "ou « 3 » pour le mercredi)."
            )
    return ",".join(str(d) for d in sorted(days))


def parse_email(text: str) -> str:
    _refuse_formula(text)
    value = text.lower()
    try:
        if len(value) > 254:
            raise ValidationError("too long")
        validate_email(value)
    except ValidationError as exc:
        raise CellError(f"« {_short(text)} » n'est pas une adresse de courriel valide.") from exc
    return value


def parse_phone(text: str) -> str:
    value = PHONE_STRIP_RE.sub("", text)
    if value.startswith("00"):
        value = "+" + value[2:]
    if len(value) == 9 and value.isdigit() and value[0] != "0":
        value = "0" + value  # a spreadsheet read "0612345678" as a number
    if not PHONE_RE.fullmatch(value):
        if text.startswith(FORMULA_START) and not text.startswith("+"):
            _refuse_formula(text)
        raise CellError(f"« {_short(text)} » n'est pas un numéro de téléphone valide.")
    return value


def parse_date(text: str) -> dt.date:
    head = text.split(" ")[0].split("T")[0]
    value = None
    try:
        if match := DATE_DMY_RE.fullmatch(head):
            day, month, year = (int(g) for g in match.groups())
            value = dt.date(year, month, day)
        elif match := DATE_YMD_RE.fullmatch(head):
            year, month, day = (int(g) for g in match.groups())
            value = dt.date(year, month, day)
        elif len(head) == 8 and head.isdigit():
            value = dt.date(int(head[:4]), int(head[4:6]), int(head[6:]))
        elif SERIAL_RE.fullmatch(head):  # a date that a spreadsheet wrote as its day number
            value = EXCEL_EPOCH + dt.timedelta(days=int(float(head.replace(",", "."))))
    except (ValueError, OverflowError):
        value = None
    if value is None or not 1900 <= value.year <= 2100:
        raise CellError(f"« {_short(text)} » n'est pas une date valide (JJ/MM/AAAA ou AAAA-MM-JJ).")
    return value


PARSERS: dict[str, Callable[[str], object]] = {
    "matricule": parse_matricule,
    "last_name": _text(100, "Le nom"),
    "first_name": _text(100, "Le prénom"),
    "employer": _text(200, "Le nom de l'employeur"),
    "direction": _text(200, "Le nom de la direction"),
    "service": _text(200, "Le nom du service"),
    "team": _text(200, "Le nom de l'équipe"),
    "job_title": _text(200, "L'intitulé du métier"),
    "job_code": _text(50, "Le code métier"),
    "job_family": _text(120, "La famille de métiers"),
    "category": parse_category,
    "gender": parse_gender,
    "employment_status": parse_status,
    "site": _text(200, "Le site"),
    "manager": parse_matricule,
    "email": parse_email,
    "mobile_phone": parse_phone,
    "contact_channel": parse_channel,
    "arrival_date": parse_date,
    "departure_date": parse_date,
    "part_time_rate": parse_rate,
    "work_pattern": parse_work_pattern,
    "days_off": parse_days_off,
}
REQUIRED_MESSAGES = {
    "matricule": "le matricule est obligatoire.",
    "last_name": "le nom est obligatoire.",
    "first_name": "le prénom est obligatoire.",
}
DASHES = "-–— "
# Fields whose values repeat from row to row (not matricules, names, emails, phones).
MEMO_FIELDS = set(PARSERS) - {"matricule", "last_name", "first_name", "email", "mobile_phone"}
_EMPTY = (True, None)


def _parse_cell(raw: str, key: str, parse) -> tuple[bool, object]:
    text = " ".join(raw.split()) if raw else ""
    if text and text[0] in DASHES and not text.strip(DASHES):
        text = ""  # "-" or "--": a placeholder for nothing
    if not text:
        if key in REQUIRED_MESSAGES:
            return False, REQUIRED_MESSAGES[key]
        return _EMPTY
    try:
        return True, parse(text)
    except CellError as exc:
        return False, str(exc)


# --- Plan ------------------------------------------------------------------------------


class NewRef(NamedTuple):
    """An object the import will create; resolved to its id while applying."""

    kind: str
    key: object


# Agent columns the import writes, in the order of the tuples below.
ATTRS = (
    "employer_id",
    "matricule",
    "last_name",
    "first_name",
    "category",
    "gender",
    "employment_status",
    "job_id",
    "unit_id",
    "site_id",
    "manager_id",
    "work_pattern",
    "part_time_rate",
    "days_off",
    "email",
    "mobile_phone",
    "contact_channel",
    "arrival_date",
    "departure_date",
)
AT = {name: i for i, name in enumerate(ATTRS)}
# A full import departing more than this share of the known agents (and at least this
# many) asks for an explicit confirmation.
MASS_DEPARTURE_SHARE = 0.10
MASS_DEPARTURE_MIN = 10
_AGENT_FIELDS = {f.attname: f for f in Agent._meta.concrete_fields}
ATTR_LABELS = {name: capfirst(_AGENT_FIELDS[name].verbose_name) for name in ATTRS}


def _kept_or_derived_channel(existing, email: str, mobile: str) -> str:
    """Without a contact column, a channel chosen in Tremplin is kept while it still works;
    a new agent, or one whose channel no longer works, gets email, else SMS, else paper.
    Paper is upgraded when an address or a number appears that was not there before."""
    derived = (
        ContactChannel.EMAIL.value
        if email
        else ContactChannel.SMS.value
        if mobile
        else ContactChannel.PAPER.value
    )
    if existing is None:
        return derived
    current = existing[AT["contact_channel"] + 1]
    had_email, had_mobile = existing[AT["email"] + 1], existing[AT["mobile_phone"] + 1]
    if current == ContactChannel.EMAIL:
        return current if email else derived
    if current == ContactChannel.SMS:
        return current if mobile else derived
    new_details = (email and not had_email) or (mobile and not had_mobile)
    return derived if new_details else current


def _agent_label(last_name: str, first_name: str) -> str:
    return f"{last_name.upper()} {first_name}"


@dataclass
class Plan:
    """What importing the file would do. Built by `build_plan`, written by `apply_plan`."""

    filename: str = ""
    full: bool = False
    issues: Issues = field(default_factory=Issues)
    unknown_columns: list[str] = field(default_factory=list)
    columns: list[Column] = field(default_factory=list)
    row_count: int = 0
    employers: dict[str, object] = field(default_factory=dict)  # key -> id or NewRef
    employer_names: dict[str, str] = field(default_factory=dict)
    new_employers: dict[str, str] = field(default_factory=dict)  # code -> name
    # (key, name, kind, parent) where parent is an id, a NewRef or None.
    new_units: list[tuple[tuple, str, str, object]] = field(default_factory=list)
    new_unit_labels: list[str] = field(default_factory=list)
    new_jobs: dict[object, tuple[str, str, str]] = field(default_factory=dict)
    new_sites: dict[str, tuple[str, str]] = field(default_factory=dict)
    creations: list[tuple[int, tuple]] = field(default_factory=list)  # (line, ATTRS values)
    updates: list[tuple[int, str, dict]] = field(default_factory=list)  # (pk, label, changes)
    departures: list[tuple[int, str, object]] = field(default_factory=list)
    unchanged: int = 0
    samples: dict[str, list] = field(
        default_factory=lambda: {"create": [], "update": [], "depart": []}
    )

    @property
    def ok(self) -> bool:
        return not self.issues and not self.unknown_columns

    @property
    def has_changes(self) -> bool:
        return bool(
            self.creations
            or self.updates
            or self.departures
            or self.new_units
            or self.new_jobs
            or self.new_sites
            or self.new_employers
        )

    @property
    def mass_departure(self) -> str:
        """A French warning when a full import would mark many agents departed: a truncated
        export must not empty the workforce by mistake. Empty when nothing is unusual."""
        known = len(self.departures) + len(self.updates) + self.unchanged
        departing = len(self.departures)
        if (
            not self.full
            or departing < MASS_DEPARTURE_MIN
            or departing <= known * MASS_DEPARTURE_SHARE
        ):
            return ""
        return (
            f"Cet import complet noterait {departing} agents partis sur {known} "
            f"({round(100 * departing / known)} %). Vérifiez que le fichier contient bien "
            "tous les agents de l'employeur."
        )

    def counts(self) -> dict[str, int]:
        return {
            "rows": self.row_count,
            "created": len(self.creations),
            "updated": len(self.updates),
            "departed": len(self.departures),
            "unchanged": self.unchanged,
            "units": len(self.new_units),
            "jobs": len(self.new_jobs),
            "sites": len(self.new_sites),
            "employers": len(self.new_employers),
        }

    def preview(self) -> dict:
        """Plain data (JSON-ready) that the pages and the command show before applying."""
        return {
            "filename": self.filename,
            "full": self.full,
            "counts": self.counts(),
            "employers": sorted(self.employer_names.values()),
            "new_employers": sorted(self.new_employers.values()),
            "new_units": self.new_unit_labels,
            "new_jobs": sorted(title for _code, title, _family in self.new_jobs.values())[
                :SAMPLE_SIZE
            ],
            "new_sites": sorted(name for _code, name in self.new_sites.values())[:SAMPLE_SIZE],
            "columns": [
                {"header": c.header, "field": FIELDS[c.field].label if c.field in FIELDS else ""}
                for c in self.columns
            ],
            "unknown_columns": list(self.unknown_columns),
            "samples": self.samples,
            "errors": [
                {"line": i.line, "column": i.column, "message": i.message, "text": str(i)}
                for i in self.issues.shown()
            ],
            "error_total": self.issues.total,
            "mass_departure": self.mass_departure,
        }


# --- Building the plan -----------------------------------------------------------------


def analyse_headers(headers: list[str], mapping: dict[str, str] | None, plan: Plan) -> None:
    """Fills plan.columns, plan.unknown_columns and the header errors (line 1)."""
    mapped = {normalise_header(k): v for k, v in (mapping or {}).items()}
    seen_headers: dict[str, int] = {}
    seen_fields: dict[str, Column] = {}
    for index, header in enumerate(headers):
        norm = normalise_header(header)
        if not norm:
            continue  # a blank header is a spreadsheet leftover
        if norm in seen_headers:
            plan.issues.add(
                1,
                header,
                f"cette colonne est en double (colonnes {seen_headers[norm] + 1} et {index + 1}). "
                "Gardez-en une seule.",
            )
            continue
        seen_headers[norm] = index
        key = mapped[norm] if norm in mapped else SYNONYMS.get(norm)
        if key is None:
            plan.unknown_columns.append(header)
            continue
        column = Column(index, header, key)
        plan.columns.append(column)
        if key == IGNORE:
            continue
        if key in seen_fields:
            first = seen_fields[key]
            plan.issues.add(
                1,
                header,
                f"cette colonne est en double : la colonne « {first.header} » "
                f"(n° {first.index + 1}) donne déjà « {FIELDS[key].label} ». Gardez-en une seule.",
            )
            continue
        seen_fields[key] = column
    if not plan.unknown_columns:
        for key in REQUIRED:
            if key not in seen_fields:
                plan.issues.add(
                    1,
                    "",
                    f"la colonne obligatoire « {FIELDS[key].label} » est absente. Les colonnes "
                    "Matricule, Nom et Prénom sont obligatoires.",
                )


class _Builder:
    """Holds the lookups of one planning run; discarded once the plan is built."""

    def __init__(self, plan: Plan, *, employer_code, employer_name, scope: Scope | None):
        self.plan = plan
        self.employer_code = (employer_code or "").strip()
        self.employer_name = (employer_name or "").strip()
        self.scope = scope
        self.today = timezone.localdate()

    # ---- rows
    def read_rows(self, table, progress: Progress | None) -> list:
        plan, issues = self.plan, self.plan.issues
        columns = [c for c in plan.columns if c.field != IGNORE]
        self.fi = {c.field: i for i, c in enumerate(columns)}
        # Most columns repeat a few values (category, unit, job…): each distinct text is
        # parsed once. Results are (True, value) or (False, error message).
        specs = [
            (c.index, c.field, c.header, PARSERS[c.field], {} if c.field in MEMO_FIELDS else None)
            for c in columns
        ]
        width = len(table.headers)
        total = table.total_hint or 0
        rows = []
        count = 0
        for line, cells in table.rows:
            count += 1
            if progress and count % PROGRESS_EVERY == 0:
                progress(PHASE_READ, count, max(total, count))
            if len(cells) > width and any(cells[width:]):
                issues.add(
                    line,
                    "",
                    f"cette ligne a plus de cellules ({len(cells)}) que la ligne d'en-tête "
                    f"({len(table.headers)}) : vérifiez les séparateurs.",
                )
            values = []
            ok = True
            for index, key, header, parse, memo in specs:
                raw = cells[index] if index < len(cells) else ""
                result = memo.get(raw) if memo is not None else None
                if result is None:
                    result = _parse_cell(raw, key, parse)
                    if memo is not None:
                        memo[raw] = result
                if result[0]:
                    values.append(result[1])
                else:
                    issues.add(line, header, result[1])
                    values.append(None)
                    ok = False
            rows.append((line, values, ok))
        plan.row_count = count
        if progress:
            progress(PHASE_READ, count, count)
        if not count:
            issues.add(0, "", "Le fichier ne contient aucun agent : seulement la ligne d'en-tête.")
        return rows

    def header_of(self, key: str) -> str:
        for column in self.plan.columns:
            if column.field == key:
                return column.header
        return FIELDS[key].label

    # ---- employers
    def resolve_employers(self, rows) -> list:
        """Employer key of each row (None when unresolved)."""
        plan = self.plan
        employers = list(Employer.objects.values_list("pk", "code", "name"))
        by_text = {}
        for _pk, code, name in employers:
            by_text.setdefault(code.casefold(), code)
            by_text.setdefault(name.casefold(), code)
        self.employer_by_code = {code: (pk, name) for pk, code, name in employers}

        def register(code, name=None):
            if code in self.employer_by_code:
                pk, existing_name = self.employer_by_code[code]
                plan.employers[code] = pk
                plan.employer_names[code] = existing_name
            else:
                plan.employers[code] = NewRef("employer", code)
                plan.new_employers[code] = name or code
                plan.employer_names[code] = name or code

        chosen = None
        if self.employer_code:
            code = self.employer_code
            found = by_text.get(code.casefold())
            if found:
                chosen = found
            elif not EMPLOYER_CODE_RE.fullmatch(code):
                plan.issues.add(
                    0,
                    "",
                    f"Le code employeur « {_short(code)} » n'est pas valide : lettres, chiffres "
                    "et tirets, 30 caractères au plus.",
                )
                return [None] * len(rows)
            elif self.scope is not None:
                plan.issues.add(0, "", f"L'employeur « {_short(code)} » n'existe pas.")
                return [None] * len(rows)
            else:
                chosen = code.lower()
            if not self._allowed(chosen, 0, ""):
                return [None] * len(rows)
            register(chosen, self.employer_name)
        index = self.fi.get("employer")
        header = self.header_of("employer")
        keys = []
        unknown_reported = set()
        for line, values, _ok in rows:
            text = values[index] if index is not None else None
            if not text:
                if chosen is None:
                    plan.issues.add(
                        line,
                        header if index is not None else "",
                        "l'employeur n'est pas indiqué : remplissez la colonne Employeur ou "
                        "choisissez l'employeur du fichier.",
                    )
                keys.append(chosen)
                continue
            code = by_text.get(text.casefold()) or by_text.get(slugify(text))
            if code is None:
                code = slugify(text)[:30].strip("-")
                if not code:
                    plan.issues.add(
                        line, header, f"« {_short(text)} » n'est pas un employeur valide."
                    )
                    keys.append(None)
                    continue
                if self.scope is not None:
                    if code not in unknown_reported:
                        unknown_reported.add(code)
                        plan.issues.add(
                            line,
                            header,
                            f"l'employeur « {_short(text)} » n'existe pas : demandez à un "
                            "administrateur de le créer.",
                        )
                    keys.append(None)
                    continue
                by_text[text.casefold()] = code
                by_text[code] = code
            if chosen is not None and code != chosen:
                plan.issues.add(
                    line,
                    header,
                    f"l'employeur « {_short(text)} » n'est pas celui choisi pour cet import "
                    f"(« {plan.employer_names[chosen]} »).",
                )
                keys.append(None)
                continue
            if code not in plan.employers:
                if not self._allowed(code, line, header):
                    keys.append(None)
                    continue
                register(code, text)
            keys.append(code)
        return keys

    def _allowed(self, code: str, line: int, header: str) -> bool:
        if self.scope is None:
            return True
        pk = self.employer_by_code.get(code, (None,))[0]
        if pk is not None and self.scope.covers_employer(pk):
            return True
        self.plan.issues.add(
            line,
            header,
            f"vous ne pouvez pas importer d'agents de l'employeur « {code} » : il est hors de "
            "votre périmètre.",
        )
        return False

    # ---- existing agents
    def load_agents(self) -> None:
        """The agents of the file's employers (only those: the others are out of reach)."""
        self.existing: dict[tuple[int, str], tuple] = {}
        self.node_of_pk: dict[int, tuple[str, str]] = {}
        self.code_of = code_of = {
            pk: code for code, pk in self.plan.employers.items() if isinstance(pk, int)
        }
        intern: dict[object, object] = {}
        queryset = Agent.objects.filter(employer_id__in=code_of).values_list("pk", *ATTRS)
        for values in queryset.iterator(chunk_size=5000):
            # Small repeated values (category, pattern…) are shared, not copied per agent.
            values = tuple(
                intern.setdefault(v, v) if isinstance(v, str) and len(v) <= 12 else v
                for v in values
            )
            pk, employer_id, matricule = values[0], values[1], values[2]
            self.existing[(employer_id, matricule)] = values
            self.node_of_pk[pk] = (code_of[employer_id], matricule)
        identities = DigitalIdentity.objects.filter(
            agent__employer_id__in=code_of, status=IdentityStatus.ACTIVE
        ).exclude(mailbox="")
        self.mailboxes = {pk: m.lower() for pk, m in identities.values_list("agent_id", "mailbox")}

    def existing_row(self, employer_key, matricule):
        employer_id = self.plan.employers.get(employer_key)
        if not isinstance(employer_id, int):
            return None
        return self.existing.get((employer_id, matricule))

    # ---- units, jobs, sites
    def load_references(self) -> None:
        self.units = {}  # (parent_id, casefolded name) -> pk
        self.unit_rows = {}
        self.unit_paths = {}
        units = OrgUnit.objects.values_list("pk", "parent_id", "name", "path")
        for pk, parent_id, name, path in units:
            self.units[(parent_id, name.casefold())] = pk
            self.unit_rows[pk] = (parent_id, name)
            self.unit_paths[pk] = path
        self.unit_refs: dict[tuple, object] = {}
        self.jobs_by_code, self.jobs_by_title, self.job_titles = {}, {}, {}
        for pk, code, title in Job.objects.values_list("pk", "code", "title"):
            self.jobs_by_code[code.casefold()] = pk
            self.jobs_by_title.setdefault(title.casefold(), pk)
            self.job_titles[pk] = title
        self.taken_job_codes = set(self.jobs_by_code)
        self.sites_by_code, self.sites_by_name, self.site_names = {}, {}, {}
        for pk, code, name in Site.objects.values_list("pk", "code", "name"):
            self.sites_by_code[code.casefold()] = pk
            self.sites_by_name.setdefault(name.casefold(), pk)
            self.site_names[pk] = name
        self.taken_site_codes = set(self.sites_by_code)
        self.new_unit_info: dict[tuple, tuple[str, object]] = {}
        self.new_jobs_by_title: dict[str, tuple] = {}

    def unit_ref(self, names_kinds: list[tuple[str, str]]):
        key = tuple(name.casefold() for name, _kind in names_kinds)
        if key in self.unit_refs:
            return self.unit_refs[key]
        parent = ref = None
        for depth, (name, kind) in enumerate(names_kinds):
            prefix = key[: depth + 1]
            ref = self.unit_refs.get(prefix)
            if ref is None:
                if not isinstance(parent, NewRef):
                    ref = self.units.get((parent, name.casefold()))
                if ref is None:
                    ref = NewRef("unit", prefix)
                    self.plan.new_units.append((prefix, name, kind, parent))
                    self.new_unit_info[prefix] = (name, parent)
                self.unit_refs[prefix] = ref
            parent = ref
        return ref

    def _free_code(self, base: str, taken: set, size: int = 50) -> str:
        base = (slugify(base).upper() or "X")[:size]
        code, n = base, 1
        while code.casefold() in taken:
            n += 1
            suffix = f"-{n}"
            code = base[: size - len(suffix)] + suffix
        taken.add(code.casefold())
        return code

    def job_ref(self, code: str | None, title: str | None, family: str | None):
        if code:
            found = self.jobs_by_code.get(code.casefold())
            if found is not None:
                return found
            key = ("code", code.casefold())
            if key not in self.plan.new_jobs:
                self.taken_job_codes.add(code.casefold())
                self.plan.new_jobs[key] = (code, title or code, family or "")
                if title:
                    self.new_jobs_by_title.setdefault(title.casefold(), key)
            return NewRef("job", key)
        if not title:
            return None
        folded = title.casefold()
        found = self.jobs_by_title.get(folded)
        if found is not None:
            return found
        key = self.new_jobs_by_title.get(folded)
        if key is None:
            key = self.new_jobs_by_title[folded] = ("title", folded)
            self.plan.new_jobs[key] = (
                self._free_code(title, self.taken_job_codes),
                title,
                family or "",
            )
        return NewRef("job", key)

    def site_ref(self, text: str | None):
        if not text:
            return None
        folded = text.casefold()
        found = self.sites_by_code.get(folded)
        if found is None:
            found = self.sites_by_name.get(folded)
        if found is not None:
            return found
        if folded not in self.plan.new_sites:
            self.plan.new_sites[folded] = (self._free_code(text, self.taken_site_codes), text)
        return NewRef("site", folded)

    def unit_path(self, ref) -> str:
        """The path of a unit; for a unit to create, that of its nearest existing ancestor
        ("" when there is none): the new unit lies in a scope exactly when it does."""
        while isinstance(ref, NewRef):
            ref = self.new_unit_info[ref.key][1]
        return self.unit_paths.get(ref, "") if ref is not None else ""

    def in_scope(self, employer_key, unit_ref) -> bool:
        if self.scope is None:
            return True
        return self.scope.covers(self.plan.employers[employer_key], self.unit_path(unit_ref))

    # ---- display (preview only)
    def unit_display(self, ref) -> str:
        names = []
        while isinstance(ref, NewRef):
            name, ref = self.new_unit_info[ref.key]
            names.append(name)
        while ref is not None and ref in self.unit_rows:
            ref, name = self.unit_rows[ref]
            names.append(name)
        return " › ".join(reversed(names))

    def display(self, attr: str, value) -> str:
        if value is None or value == "":
            return "—"
        if attr == "unit_id":
            return self.unit_display(value)
        if attr == "job_id":
            if isinstance(value, NewRef):
                return self.plan.new_jobs[value.key][1]
            return self.job_titles.get(value, str(value))
        if attr == "site_id":
            if isinstance(value, NewRef):
                return self.plan.new_sites[value.key][1]
            return self.site_names.get(value, str(value))
        if attr == "manager_id":
            if isinstance(value, NewRef):
                return f"matricule {value.key[1]} (nouvel agent)"
            node = self.node_of_pk.get(value)
            row = self.existing_row(*node) if node else None
            if row is None:
                return f"agent n° {value}"
            return (
                f"{_agent_label(row[AT['last_name'] + 1], row[AT['first_name'] + 1])} ({node[1]})"
            )
        if isinstance(value, dt.date):
            return value.strftime("%d/%m/%Y")
        if attr == "part_time_rate":
            return f"{value} %"
        if attr == "category":
            return value
        choices = _AGENT_FIELDS[attr].choices
        if choices:
            return str(dict(choices).get(value, value))
        return str(value)


def build_plan(
    data: bytes,
    filename: str = "",
    *,
    employer_code: str | None = None,
    employer_name: str = "",
    full: bool = False,
    mapping: dict[str, str] | None = None,
    scope: Scope | None = None,
    progress: Progress | None = None,
) -> Plan:
    """Reads and checks the whole file; writes nothing. `scope` limits the agents a scoped
    HR user may touch (and forbids creating employers); see `scope_of`."""
    plan = Plan(filename=filename, full=full)
    try:
        table = read_table(data, filename)
    except TabularError as exc:
        plan.issues.add(0, "", str(exc))
        return plan
    analyse_headers(table.headers, mapping, plan)
    if plan.issues or plan.unknown_columns:
        return plan
    builder = _Builder(
        plan,
        employer_code=employer_code,
        employer_name=employer_name,
        scope=scope,
    )
    try:
        rows = builder.read_rows(table, progress)
    except TabularError as exc:
        plan.issues.add(0, "", str(exc))
        return plan
    if not rows:
        return plan
    keys = builder.resolve_employers(rows)
    _plan_rows(builder, rows, keys)
    plan.new_unit_labels = [
        builder.unit_display(NewRef("unit", key)) for key, *_rest in plan.new_units[:SAMPLE_SIZE]
    ]
    return plan


def _plan_rows(b: _Builder, rows: list, keys: list) -> None:
    plan, issues, fi = b.plan, b.plan.issues, b.fi
    get = fi.get
    i_mat, i_last, i_first = fi["matricule"], fi["last_name"], fi["first_name"]

    # Duplicates, and where each agent of the file is.
    where: dict[tuple[str, str], int] = {}
    mat_header = b.header_of("matricule")
    for n, (line, values, _ok) in enumerate(rows):
        matricule, key = values[i_mat], keys[n]
        if matricule is None or key is None:
            continue
        node = (key, matricule)
        if node in where:
            issues.add(
                line,
                mat_header,
                f"le matricule « {matricule} » figure déjà à la ligne {rows[where[node]][0]}.",
            )
        else:
            where[node] = n

    b.load_agents()
    b.load_references()

    # Rows that name their job's code first, whatever their place in the file: a job then
    # created from a title alone joins the coded one of the same title, and the code it
    # is given never takes one that a later row names.
    i_code, i_title, i_family = get("job_code"), get("job_title"), get("job_family")
    if i_code is not None:
        for n, (_line, values, ok) in enumerate(rows):
            if ok and keys[n] is not None and values[i_code]:
                b.job_ref(
                    values[i_code],
                    values[i_title] if i_title is not None else None,
                    values[i_family] if i_family is not None else None,
                )

    # Managers: in the file (even further down) or already known, same employer.
    i_mgr = get("manager")
    mgr_header = b.header_of("manager")
    manager_refs: dict[int, object] = {}
    if i_mgr is not None:
        for n, (line, values, _ok) in enumerate(rows):
            matricule, key = values[i_mgr], keys[n]
            if matricule is None or key is None:
                continue
            node = (key, matricule)
            existing = b.existing_row(key, matricule)
            if existing is not None:
                manager_refs[n] = existing[0]
            elif node in where:
                manager_refs[n] = NewRef("agent", node)
            else:
                issues.add(
                    line,
                    mgr_header,
                    f"aucun agent de matricule « {matricule} » chez cet employeur, ni dans le "
                    "fichier ni déjà connu.",
                )
        _check_cycles(b, rows, keys, where, i_mgr, mgr_header)

    # Each row against what is known.
    has = {name: name in fi for name in FIELDS}
    unit_levels = [(fi[name], kind) for name, kind in UNIT_LEVELS if name in fi]
    unit_columns = [name for name, _kind in UNIT_LEVELS if name in fi]
    unit_header = b.header_of(unit_columns[-1]) if unit_columns else mat_header
    has_job = has["job_title"] or has["job_code"]
    contact_known = has["email"] or has["mobile_phone"] or has["contact_channel"]
    i_site, i_channel = get("site"), get("contact_channel")
    channel_header = b.header_of("contact_channel")
    date_header = b.header_of("departure_date" if has["departure_date"] else "arrival_date")
    # What a new agent gets for a column absent from the file, and any agent for an empty cell.
    defaults = {
        "category": "",
        "gender": "",
        "employment_status": "",
        "job_id": None,
        "unit_id": None,
        "site_id": None,
        "manager_id": None,
        "work_pattern": WorkPattern.OFFICE_HOURS.value,
        "part_time_rate": 100,
        "days_off": "",
        "email": "",
        "mobile_phone": "",
        "contact_channel": ContactChannel.PAPER.value,
        "arrival_date": None,
        "departure_date": None,
    }
    # Columns whose cell is the field's value (the field and the column share their name).
    simple = [
        (attr, fi[attr])
        for attr in (
            "category",
            "gender",
            "employment_status",
            "work_pattern",
            "part_time_rate",
            "days_off",
            "email",
            "mobile_phone",
            "arrival_date",
            "departure_date",
        )
        if attr in fi
    ]
    samples = plan.samples
    for n, (line, values, ok) in enumerate(rows):
        key = keys[n]
        if not ok or key is None:
            continue
        matricule = values[i_mat]
        existing = b.existing_row(key, matricule)
        target = {"last_name": values[i_last], "first_name": values[i_first]}
        for attr, index in simple:
            value = values[index]
            target[attr] = defaults[attr] if value is None else value
        if existing is not None and target.get("email") == "":
            email = existing[AT["email"] + 1]
            if email and email.lower() == b.mailboxes.get(existing[0]):
                del target["email"]  # the mailbox IT created, unknown to the SIRH yet
        if unit_levels:
            names = [(values[i], kind) for i, kind in unit_levels if values[i]]
            target["unit_id"] = b.unit_ref(names) if names else None
        if has_job:
            target["job_id"] = b.job_ref(
                values[i_code] if i_code is not None else None,
                values[i_title] if i_title is not None else None,
                values[i_family] if i_family is not None else None,
            )
        if i_site is not None:
            target["site_id"] = b.site_ref(values[i_site])
        if i_mgr is not None:
            target["manager_id"] = manager_refs.get(n)

        def final(attr, target=target, existing=existing):
            if attr in target:
                return target[attr]
            return existing[AT[attr] + 1] if existing is not None else defaults[attr]

        if existing is not None and not b.in_scope(key, existing[AT["unit_id"] + 1]):
            issues.add(
                line,
                mat_header,
                f"l'agent de matricule « {matricule} » est hors de votre périmètre : vous ne "
                "pouvez pas le modifier.",
            )
            continue
        unit = final("unit_id")
        if not b.in_scope(key, unit):
            issues.add(
                line,
                unit_header,
                f"l'unité « {b.unit_display(unit)} » est hors de votre périmètre : vous ne "
                "pouvez pas y rattacher un agent."
                if unit is not None
                else "sans unité, cet agent serait hors de votre périmètre : indiquez sa "
                "direction, son service ou son équipe.",
            )
            continue
        if plan.full and existing is not None and "departure_date" not in target:
            departure = existing[AT["departure_date"] + 1]
            if departure is not None and departure <= b.today:
                target["departure_date"] = None  # noted departed, but back in the file

        if contact_known:
            email, mobile = final("email"), final("mobile_phone")
            channel = values[i_channel] if i_channel is not None else None
            if channel is None:
                channel = _kept_or_derived_channel(existing, email, mobile)
            elif channel == ContactChannel.EMAIL and not email:
                issues.add(line, channel_header, "moyen de contact « courriel » sans courriel.")
                continue
            elif channel == ContactChannel.SMS and not mobile:
                issues.add(line, channel_header, "moyen de contact « SMS » sans téléphone mobile.")
                continue
            target["contact_channel"] = channel
        arrival, departure = final("arrival_date"), final("departure_date")
        if arrival and departure and departure < arrival:
            issues.add(
                line,
                date_header,
                f"la date de départ ({departure:%d/%m/%Y}) précède la date d'arrivée "
                f"({arrival:%d/%m/%Y}).",
            )
            continue
        if issues:
            continue  # keep checking for errors, but build nothing more
        label = _agent_label(target["last_name"], target["first_name"])
        if existing is None:
            record = tuple(
                plan.employers[key]
                if attr == "employer_id"
                else matricule
                if attr == "matricule"
                else target.get(attr, defaults.get(attr))
                for attr in ATTRS
            )
            plan.creations.append((line, record))
            if len(samples["create"]) < SAMPLE_SIZE:
                samples["create"].append(
                    {
                        "line": line,
                        "matricule": matricule,
                        "name": label,
                        "unit": b.unit_display(target.get("unit_id")) or "—",
                        "job": b.display("job_id", target.get("job_id")),
                        "category": target.get("category") or "—",
                    }
                )
            continue
        changes = {}
        for attr, value in target.items():
            old = existing[AT[attr] + 1]
            if attr == "days_off":
                if _days(old) != _days(value):
                    changes[attr] = (old, value)
            elif isinstance(value, NewRef) or old != value:
                changes[attr] = (old, value)
        if not changes:
            plan.unchanged += 1
            continue
        plan.updates.append((existing[0], label, changes))
        if len(samples["update"]) < SAMPLE_SIZE:
            samples["update"].append(
                {
                    "line": line,
                    "matricule": matricule,
                    "name": label,
                    "changes": [
                        {
                            "field": ATTR_LABELS[attr],
                            "before": b.display(attr, old),
                            "after": b.display(attr, new),
                        }
                        for attr, (old, new) in changes.items()
                    ],
                }
            )

    if plan.full and not issues:
        _plan_departures(b, where)
    if issues:
        plan.creations, plan.updates, plan.departures = [], [], []
        plan.new_units, plan.new_jobs, plan.new_sites = [], {}, {}


def _plan_departures(b: _Builder, where: dict) -> None:
    """Full import: the employers' present agents that the file leaves out are leaving."""
    plan, samples = b.plan, b.plan.samples
    for (employer_id, matricule), values in b.existing.items():
        employer_key = b.code_of[employer_id]
        if (employer_key, matricule) in where:
            continue
        departure = values[AT["departure_date"] + 1]
        if departure is not None and departure <= b.today:
            continue  # already gone
        if not b.in_scope(employer_key, values[AT["unit_id"] + 1]):
            continue  # the file of a scoped HR user lists the agents of their scope only
        label = _agent_label(values[AT["last_name"] + 1], values[AT["first_name"] + 1])
        plan.departures.append((values[0], label, departure))
        if len(samples["depart"]) < SAMPLE_SIZE:
            samples["depart"].append(
                {
                    "matricule": matricule,
                    "name": label,
                    "unit": b.unit_display(values[AT["unit_id"] + 1]) or "—",
                }
            )
    plan.departures.sort()
    samples["depart"].sort(key=lambda s: s["name"])


def _days(value) -> list[int]:
    return sorted({int(d) for d in re.findall(r"[1-7]", value or "")})


def _check_cycles(b: _Builder, rows, keys, where, i_mgr, header) -> None:
    """A chain of managers that comes back to its start (A manages B manages A)."""

    def manager_of(node):
        n = where.get(node)
        if n is not None:
            matricule = rows[n][1][i_mgr]
            return (node[0], matricule) if matricule else None
        existing = b.existing_row(*node)
        if existing is None:
            return None
        return b.node_of_pk.get(existing[AT["manager_id"] + 1])

    state: dict[tuple, int] = {}
    for start in where:
        path, position = [], {}
        node = start
        while node is not None and node not in state:
            state[node] = 1
            position[node] = len(path)
            path.append(node)
            node = manager_of(node)
        if node is not None and node in position:
            cycle = path[position[node] :]
            lines = sorted(rows[where[c]][0] for c in cycle if c in where)
            if lines:
                steps = [
                    f"{c[1]} (ligne {rows[where[c]][0]})" if c in where else f"{c[1]} (déjà connu)"
                    for c in cycle
                ]
                if len(cycle) == 1:
                    message = f"l'agent {cycle[0][1]} ne peut pas être son propre responsable."
                else:
                    message = (
                        f"boucle hiérarchique : {' → '.join(steps)} → {cycle[0][1]}. Un agent ne "
                        "peut pas dépendre de lui-même, même indirectement (lignes "
                        f"{', '.join(str(line) for line in lines)})."
                    )
                b.plan.issues.add(lines[0], header, message)
        for visited in path:
            state[visited] = 2


# --- Applying the plan -----------------------------------------------------------------


def _json(value):
    return value.isoformat() if isinstance(value, dt.date) else value


def _audit_created(objects) -> None:
    audit.record_many(
        (
            AuditAction.CREATE,
            audit.label_of(obj),
            obj.pk,
            str(obj),
            audit.diff(None, audit.snapshot(obj)),
        )
        for obj in objects
    )


def apply_plan(plan: Plan, *, progress: Progress | None = None) -> dict[str, int]:
    """Writes the plan in one transaction; returns the counts. Audit entries are
    attributed to the current actor (audit.acting_as)."""
    if not plan.ok:
        raise ImportFailed("Le fichier contient des erreurs : rien n'a été écrit.")
    counts = plan.counts()
    if not plan.has_changes:
        return counts
    try:
        with transaction.atomic():
            _apply(plan, progress)
    except IntegrityError as exc:
        raise ImportFailed(
            "Les données ont changé pendant l'import (un agent, une unité ou un métier a été "
            "ajouté entre-temps) : rien n'a été écrit. Relancez l'import."
        ) from exc
    return counts


STALE_MESSAGE = (
    "Les données ont changé depuis la vérification du fichier (un agent a été modifié ou "
    "supprimé entre-temps) : rien n'a été écrit. Relancez l'import."
)


def _check_still_current(plan: Plan) -> None:
    """The plan holds the values read when it was built; the agents it changes must still
    hold them, or its writes and their audit 'before' would rest on stale data. The rows
    stay locked until the end of the transaction on databases that lock rows."""
    expected: dict[int, dict[str, object]] = {}
    for pk, _label, changes in plan.updates:
        expected[pk] = {attr: old for attr, (old, _new) in changes.items()}
    for pk, _label, old in plan.departures:
        expected[pk] = {"departure_date": old}
    attrs = sorted({attr for values in expected.values() for attr in values})
    for chunk in chunks(list(expected)):
        rows = Agent.objects.select_for_update().filter(pk__in=chunk).order_by()
        current = {
            pk: dict(zip(attrs, values, strict=True))
            for pk, *values in rows.values_list("pk", *attrs)
        }
        for pk in chunk:
            found = current.get(pk)
            if found is None or any(found[attr] != old for attr, old in expected[pk].items()):
                raise ImportFailed(STALE_MESSAGE)


def _apply(plan: Plan, progress: Progress | None) -> None:
    _check_still_current(plan)
    now, today = timezone.now(), timezone.localdate()
    created: dict[str, dict] = {"employer": {}, "unit": {}, "job": {}, "site": {}, "agent": {}}

    def resolve(value):
        return created[value.kind][value.key] if isinstance(value, NewRef) else value

    if plan.new_employers:
        collectivite = Collectivite.current()
        if collectivite is None:
            first_name = next(iter(plan.new_employers.values()))
            collectivite = Collectivite.objects.create(name=first_name)
        for code, name in plan.new_employers.items():
            employer = Employer.objects.create(collectivite=collectivite, code=code, name=name)
            created["employer"][code] = employer.pk

    if plan.new_sites:
        sites = [
            Site(code=code, name=name, kind=SiteKind.OTHER)
            for code, name in plan.new_sites.values()
        ]
        Site.objects.bulk_create(sites, batch_size=BATCH_SIZE)
        created["site"] = {key: site.pk for key, site in zip(plan.new_sites, sites, strict=True)}
        _audit_created(sites)

    if plan.new_jobs:
        jobs = [
            Job(code=code, title=title, family=family)
            for code, title, family in plan.new_jobs.values()
        ]
        Job.objects.bulk_create(jobs, batch_size=BATCH_SIZE)
        created["job"] = {key: job.pk for key, job in zip(plan.new_jobs, jobs, strict=True)}
        _audit_created(jobs)

    if plan.new_units:
        # Level by level: a unit's path holds its parent's, known once the parent exists.
        paths = dict(OrgUnit.objects.values_list("pk", "path"))
        unit_levels: dict[int, list] = {}
        for key, name, kind, parent in plan.new_units:
            unit_levels.setdefault(len(key), []).append((key, name, kind, parent))
        for length in sorted(unit_levels):
            units, keys = [], []
            for key, name, kind, parent in unit_levels[length]:
                units.append(OrgUnit(name=name, kind=kind, parent_id=resolve(parent)))
                keys.append(key)
            OrgUnit.objects.bulk_create(units, batch_size=BATCH_SIZE)
            siblings: dict[int | None, list[int]] = {}
            for key, unit in zip(keys, units, strict=True):
                prefix = paths[unit.parent_id] if unit.parent_id else "/"
                unit.path = f"{prefix}{unit.pk}/"
                unit.depth = unit.path.count("/") - 2
                paths[unit.pk] = unit.path
                created["unit"][key] = unit.pk
                siblings.setdefault(unit.parent_id, []).append(unit.pk)
            # One UPDATE per parent (siblings share the path prefix) rather than a CASE per row.
            for parent_id, ids in siblings.items():
                prefix = paths[parent_id] if parent_id else "/"
                for chunk in chunks(ids):
                    OrgUnit.objects.filter(pk__in=chunk).update(
                        path=Concat(Value(prefix), Cast("pk", CharField()), Value("/")),
                        depth=prefix.count("/") - 1,
                    )
            _audit_created(units)

    total = len(plan.creations) + len(plan.updates) + len(plan.departures)
    done = 0
    if progress:
        progress(PHASE_WRITE, 0, total)

    # New agents, managers first so that every manager id is known when its reports are written.
    employer_keys = {v: k for k, v in plan.employers.items()}
    depth_of: dict[tuple, int] = {}
    node_line = {}
    records = {}
    for line, record in plan.creations:
        employer = record[AT["employer_id"]]
        node = (employer_keys[employer], record[AT["matricule"]])
        records[node] = record
        node_line[node] = line

    def depth(node) -> int:
        chain = []  # the planning refused cycles, so this walk ends
        while node not in depth_of:
            manager = records[node][AT["manager_id"]]
            if isinstance(manager, NewRef) and manager.key in records:
                chain.append(node)
                node = manager.key
            else:
                depth_of[node] = 0
        level = depth_of[node]
        for child in reversed(chain):
            level += 1
            depth_of[child] = level
        return level

    levels: dict[int, list] = {}
    for node in sorted(records, key=node_line.__getitem__):
        levels.setdefault(depth(node), []).append(node)
    batches = [batch for level in sorted(levels) for batch in chunks(levels[level])]
    # Positional construction skips Django's keyword handling: 100,000 agents add up.
    fields = Agent._meta.concrete_fields
    slots = [AT.get(f.attname) for f in fields]
    fixed = [None if f.primary_key else f.get_default() for f in fields]
    audited_fields = [f.attname for f in fields if not getattr(f, "auto_now", False)]
    for batch in batches:
        agents = []
        for node in batch:
            record = records[node]
            agents.append(
                Agent(
                    *(
                        fixed[i] if slot is None else resolve(record[slot])
                        for i, slot in enumerate(slots)
                    )
                )
            )
        Agent.objects.bulk_create(agents, batch_size=BATCH_SIZE)
        for node, agent in zip(batch, agents, strict=True):
            created["agent"][node] = agent.pk
        audit.record_many(
            (
                AuditAction.CREATE,
                AGENT_LABEL,
                agent.pk,
                str(agent),
                {
                    name: [None, _json(value)]
                    for name in audited_fields
                    if (value := getattr(agent, name)) is not None
                },
            )
            for agent in agents
        )
        done += len(agents)
        if progress:
            progress(PHASE_WRITE, done, total)
    records.clear()

    for batch in chunks(plan.updates, 500):
        # Agents are grouped by the fields that changed: an UPDATE must never write a
        # field the row did not change (the object only carries the changed values).
        by_fields: dict[tuple[str, ...], list[Agent]] = {}
        entries = []
        for pk, label, changes in batch:
            agent = Agent(pk=pk, updated_at=now)
            plain = {}
            for attr, (old, new) in changes.items():
                new = resolve(new)
                setattr(agent, attr, new)
                plain[attr] = [_json(old), _json(new)]
            by_fields.setdefault(tuple(sorted(changes)), []).append(agent)
            entries.append((AuditAction.UPDATE, AGENT_LABEL, pk, label, plain))
        for fields, agents in by_fields.items():
            update_rows(agents, [*fields, "updated_at"])
        audit.record_many(entries)
        done += len(batch)
        if progress:
            progress(PHASE_WRITE, done, total)

    for batch in chunks(plan.departures):
        Agent.objects.filter(pk__in=[pk for pk, _label, _old in batch]).update(
            departure_date=today, updated_at=now
        )
        audit.record_many(
            (
                AuditAction.UPDATE,
                AGENT_LABEL,
                pk,
                label,
                {"departure_date": [_json(old), today.isoformat()]},
            )
            for pk, label, old in batch
        )
        done += len(batch)
        if progress:
            progress(PHASE_WRITE, done, total)

    counts = plan.counts()
    audit.record(
        AuditAction.IMPORT,
        target_type=AGENT_LABEL,
        summary=(
            f"Import SIRH « {plan.filename} » : {counts['created']} créé(s), "
            f"{counts['updated']} modifié(s), {counts['departed']} parti(s)"
        ),
        changes={
            "file": plan.filename,
            "employers": sorted(plan.employer_names),
            "full": plan.full,
            **counts,
        },
    )
