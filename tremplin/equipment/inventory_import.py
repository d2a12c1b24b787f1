"""Import of an existing inventory (CSV or XLSX), with the same rules as every import:
read and check every row, show what would change, apply in one transaction. A bad
file changes nothing and says which line and column is wrong; the same file imported
twice changes nothing the second time.

A device is recognised by its IMEI, else by its serial number. A row may name the
agent who holds the device (« Matricule du détenteur »): the allocation is then taken
over as it stands, without a charter accepted in Tremplin (the page says how many are
to have it signed).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from tremplin.core import audit
from tremplin.core.enums import AuditAction
from tremplin.core.tabular import RowError, normalise_header, open_import, parse_date
from tremplin.organisation.models import Agent, Site

from .enums import Condition, DeviceKind, DeviceState
from .models import Allocation, Device, FootprintReference, add_years, imei_is_valid

MAX_IMPORT_BYTES = 5 * 1024 * 1024

# Each column: its label, and the headers accepted for it (normalised).
COLUMNS = {
    "kind": ("Type", ("type", "type d appareil", "type de materiel", "categorie", "materiel")),
    "model_name": ("Modèle", ("modele", "marque et modele", "marque modele", "designation")),
    "serial_number": (
        "Numéro de série",
        ("numero de serie", "n de serie", "no de serie", "serie", "sn", "serial"),
    ),
    "imei": ("IMEI", ("imei", "numero imei")),
    "purchase_date": ("Date d'achat", ("date d achat", "achete le", "date achat")),
    "purchase_price": ("Prix", ("prix", "prix d achat", "prix ttc", "prix ht", "montant")),
    "condition": ("État", ("etat", "etat physique")),
    "site": ("Site", ("site", "code site", "lieu")),
    "warranty_end": ("Fin de garantie", ("fin de garantie", "garantie jusqu au", "fin garantie")),
    "expected_end_of_life": (
        "Fin de vie prévue",
        ("fin de vie prevue", "renouvellement prevu", "fin de vie"),
    ),
    "actual_end_of_life": (
        "Fin de vie réelle",
        ("fin de vie reelle", "reforme le", "date de reforme"),
    ),
    "holder": (
        "Matricule du détenteur",
        ("matricule du detenteur", "matricule", "detenteur", "matricule agent"),
    ),
    "allocated_on": ("Remis le", ("remis le", "date de remise", "attribue le")),
}
COLUMN_LABELS = {name: label for name, (label, _headers) in COLUMNS.items()}
REQUIRED = ("kind", "model_name", "purchase_date")

KIND_WORDS = {
    "smartphone": DeviceKind.SMARTPHONE,
    "telephone": DeviceKind.SMARTPHONE,
    "telephone mobile": DeviceKind.SMARTPHONE,
    "mobile": DeviceKind.SMARTPHONE,
    "tablette": DeviceKind.TABLET,
    "ordinateur portable": DeviceKind.LAPTOP,
    "portable": DeviceKind.LAPTOP,
    "pc portable": DeviceKind.LAPTOP,
    "laptop": DeviceKind.LAPTOP,
    "tablette partagee": DeviceKind.KIOSK_TABLET,
    "tablette partagee kiosque": DeviceKind.KIOSK_TABLET,
    "kiosque": DeviceKind.KIOSK_TABLET,
}
CONDITION_WORDS = {normalise_header(label): value for value, label in Condition.choices}
CONDITION_WORDS.update({"bon": Condition.GOOD, "use": Condition.WORN, "abime": Condition.DAMAGED})

# Fields compared with the database to tell an update from an unchanged row.
COMPARED = (
    "kind",
    "model_name",
    "serial_number",
    "imei",
    "purchase_date",
    "purchase_price",
    "condition",
    "site_id",
    "warranty_end",
    "expected_end_of_life",
)


@dataclass
class PlannedDevice:
    line: int
    action: str  # create, update, unchanged
    values: dict
    device: Device | None = None
    holder: Agent | None = None
    allocated_on: dt.date | None = None
    retire_on: dt.date | None = None
    changed: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return self.values.get("imei") or self.values.get("serial_number") or ""


@dataclass
class InventoryPlan:
    rows: list[PlannedDevice] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    def _count(self, action):
        return sum(1 for r in self.rows if r.action == action)

    @property
    def to_create(self) -> int:
        return self._count("create")

    @property
    def to_update(self) -> int:
        return self._count("update")

    @property
    def unchanged(self) -> int:
        return self._count("unchanged")

    @property
    def allocations(self) -> int:
        return sum(1 for r in self.rows if r.holder is not None and r.allocated_on is not None)

    @property
    def retirements(self) -> int:
        return sum(1 for r in self.rows if r.retire_on is not None)

    @property
    def changes_anything(self) -> bool:
        return bool(self.to_create or self.to_update or self.allocations or self.retirements)

    def changing_rows(self, limit: int = 20) -> list[PlannedDevice]:
        return [r for r in self.rows if r.action != "unchanged" or r.allocated_on][:limit]


def parse_price(text: str) -> Decimal | None:
    cleaned = re.sub(r"[\s\u202f\u00a0€]", "", text).replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    return value if value >= 0 and value == value.quantize(Decimal("0.01")) else None


def plan_inventory_import(data: bytes, filename: str, *, user=None) -> InventoryPlan:
    """Reads and checks every row; holders are looked up among the agents `user` may see
    (all agents without a user). Raises TabularError for a file that is not a table."""
    columns, rows, opening_errors = open_import(
        data,
        filename,
        COLUMNS,
        REQUIRED,
        max_bytes=MAX_IMPORT_BYTES,
        too_big="Le fichier dépasse 5 Mo : vérifiez que c'est le bon fichier.",
    )
    plan = InventoryPlan(errors=opening_errors)
    if "serial_number" not in columns and "imei" not in columns:
        plan.errors.append(
            RowError(1, "", "il faut une colonne « Numéro de série » ou une colonne « IMEI ».")
        )
    if plan.errors:
        return plan
    cell = columns.cell

    today = timezone.localdate()
    by_imei = {d.imei: d for d in Device.objects.exclude(imei="")}
    by_serial = {d.serial_number.lower(): d for d in Device.objects.exclude(serial_number="")}
    sites = {}
    for site in Site.objects.all():
        sites[site.code.lower()] = site
        sites[site.name.lower()] = site
    open_allocations = {
        a.device_id: a for a in Allocation.objects.open().select_related("agent", "site")
    }
    matricules = {cell(c, "holder") for _line, c in rows} - {""}
    holders: dict[str, list[Agent]] = {}
    # No user: the command line, which runs for the whole collectivité.
    agents = Agent.objects.all() if user is None else Agent.objects.visible_to(user)
    for agent in agents.present().filter(matricule__in=matricules):
        holders.setdefault(agent.matricule, []).append(agent)
    references = FootprintReference.by_kind()
    seen_imei: dict[str, int] = {}
    seen_serial: dict[str, int] = {}

    for line, cells in rows:
        before = len(plan.errors)

        def error(name: str, message: str, line=line) -> None:
            plan.errors.append(RowError(line, columns.header(name), message))

        values: dict = {}
        kind_text = cell(cells, "kind")
        kind = KIND_WORDS.get(normalise_header(kind_text)) or (
            kind_text if kind_text in DeviceKind.values else None
        )
        if not kind_text:
            error("kind", "le type est vide.")
        elif kind is None:
            error(
                "kind",
                f"type inconnu : « {kind_text} ». Écrivez Smartphone, Tablette, "
                "Ordinateur portable ou Tablette partagée.",
            )
        values["kind"] = kind
        model_name = cell(cells, "model_name")
        if not model_name:
            error("model_name", "le modèle est vide.")
        elif len(model_name) > 120:
            error("model_name", "le modèle dépasse 120 caractères.")
        values["model_name"] = model_name[:120]

        imei = re.sub(r"\s", "", cell(cells, "imei"))
        serial = cell(cells, "serial_number")
        if not imei and not serial:
            error(
                "imei" if "imei" in columns else "serial_number",
                "il faut un IMEI ou un numéro de série pour reconnaître l'appareil.",
            )
        if imei:
            if not imei_is_valid(imei):
                error("imei", f"IMEI mal formé : « {imei} » (15 chiffres avec la clé de contrôle).")
            elif imei in seen_imei:
                error("imei", f"cet IMEI figure déjà à la ligne {seen_imei[imei]}.")
            else:
                seen_imei[imei] = line
        if serial:
            if len(serial) > 60:
                error("serial_number", "le numéro de série dépasse 60 caractères.")
            elif serial.lower() in seen_serial:
                error(
                    "serial_number",
                    f"ce numéro de série figure déjà à la ligne {seen_serial[serial.lower()]}.",
                )
            else:
                seen_serial[serial.lower()] = line
        values["imei"], values["serial_number"] = imei, serial

        existing = by_imei.get(imei) if imei else None
        by_sn = by_serial.get(serial.lower()) if serial else None
        if existing and by_sn and existing.pk != by_sn.pk:
            error(
                "serial_number",
                "cet IMEI et ce numéro de série sont ceux de deux appareils différents.",
            )
        existing = existing or by_sn

        dates = {}
        for name in (
            "purchase_date",
            "warranty_end",
            "expected_end_of_life",
            "actual_end_of_life",
            "allocated_on",
        ):
            text = cell(cells, name)
            if not text:
                dates[name] = None
                continue
            parsed = parse_date(text)
            if parsed is None:
                error(name, f"date illisible : « {text} ». Écrivez-la comme 31/01/2025.")
            dates[name] = parsed
        purchase = dates["purchase_date"]
        if not cell(cells, "purchase_date"):
            error("purchase_date", "la date d'achat est vide.")
        elif purchase and purchase > today:
            error("purchase_date", "la date d'achat est dans le futur.")
        if purchase:
            for name, label in (
                ("warranty_end", "la fin de garantie"),
                ("expected_end_of_life", "la fin de vie prévue"),
                ("actual_end_of_life", "la fin de vie réelle"),
                ("allocated_on", "la date de remise"),
            ):
                if dates[name] and dates[name] < purchase:
                    error(name, f"{label} précède la date d'achat.")
        for name in ("actual_end_of_life", "allocated_on"):
            if dates[name] and dates[name] > today:
                error(name, "cette date est dans le futur.")
        values["purchase_date"] = purchase
        values["warranty_end"] = dates["warranty_end"]
        values["expected_end_of_life"] = dates["expected_end_of_life"]
        if values["expected_end_of_life"] is None and purchase and kind in references:
            values["expected_end_of_life"] = add_years(purchase, references[kind].expected_years)

        price_text = cell(cells, "purchase_price")
        values["purchase_price"] = None
        if price_text:
            price = parse_price(price_text)
            if price is None or price >= Decimal("1000000"):
                error(
                    "purchase_price", f"prix illisible : « {price_text} ». Écrivez-le comme 249,90."
                )
            values["purchase_price"] = price
        condition_text = cell(cells, "condition")
        values["condition"] = Condition.NEW if existing is None else existing.condition
        if condition_text:
            condition = CONDITION_WORDS.get(normalise_header(condition_text))
            if condition is None:
                error(
                    "condition",
                    f"état inconnu : « {condition_text} ». Écrivez Neuf, Bon état, Usé ou Abîmé.",
                )
            values["condition"] = condition
        site_text = cell(cells, "site")
        values["site_id"] = existing.site_id if existing is not None else None
        if site_text:
            site = sites.get(site_text.lower())
            if site is None:
                error("site", f"site inconnu : « {site_text} » (code ou nom d'un site).")
            else:
                values["site_id"] = site.pk

        holder = None
        holder_text = cell(cells, "holder")
        if holder_text:
            candidates = holders.get(holder_text, [])
            if not candidates:
                error(
                    "holder",
                    f"aucun agent présent de votre périmètre n'a le matricule « {holder_text} ».",
                )
            elif len(candidates) > 1:
                error("holder", f"le matricule « {holder_text} » existe chez plusieurs employeurs.")
            else:
                holder = candidates[0]
            if kind == DeviceKind.KIOSK_TABLET:
                error("holder", "une tablette partagée se confie à un site, pas à un agent.")
            if dates["actual_end_of_life"]:
                error("holder", "un appareil réformé n'a plus de détenteur.")

        if len(plan.errors) != before:
            continue
        planned = PlannedDevice(line=line, action="create", values=values, device=existing)
        current = open_allocations.get(existing.pk) if existing is not None else None
        if existing is not None:
            planned.changed = [name for name in COMPARED if getattr(existing, name) != values[name]]
            planned.action = "update" if planned.changed else "unchanged"
            if existing.state == DeviceState.RETIRED and (planned.changed or holder):
                error("", "cet appareil est réformé dans Tremplin : retirez cette ligne.")
                continue
        if holder is not None:
            if current is not None and current.agent_id != holder.pk:
                error(
                    "holder",
                    f"cet appareil est attribué à {current.agent or current.site} dans Tremplin : "
                    "reprenez-le d'abord.",
                )
                continue
            if current is None:
                planned.holder = holder
                planned.allocated_on = dates["allocated_on"] or purchase
        if dates["actual_end_of_life"]:
            if current is not None:
                error(
                    "actual_end_of_life", "cet appareil est encore attribué : reprenez-le d'abord."
                )
                continue
            if existing is None or existing.state != DeviceState.RETIRED:
                planned.retire_on = dates["actual_end_of_life"]
        plan.rows.append(planned)
    return plan


def apply_inventory_import(plan: InventoryPlan, *, user=None) -> dict[str, int]:
    """Writes the plan (call inside transaction.atomic, after checking it has no error)."""
    counts = {"created": 0, "updated": 0, "unchanged": 0, "allocated": 0, "retired": 0}
    with transaction.atomic():
        for row in plan.rows:
            device = row.device
            if row.action == "create":
                device = Device.objects.create(**row.values)
                counts["created"] += 1
            elif row.action == "update":
                for name in row.changed:
                    setattr(device, name, row.values[name])
                device.save()
                counts["updated"] += 1
            else:
                counts["unchanged"] += 1
            if row.holder is not None and row.allocated_on is not None:
                Allocation.objects.create(
                    device=device, agent=row.holder, starts_on=row.allocated_on
                )
                device.state = DeviceState.ALLOCATED
                device.holder = row.holder
                device.save()
                counts["allocated"] += 1
            if row.retire_on is not None:
                device._write_retired(row.retire_on)
                counts["retired"] += 1
        audit.record(
            AuditAction.IMPORT,
            target_type="equipment.device",
            summary="import de l'inventaire du matériel",
            changes=counts,
        )
    return counts
