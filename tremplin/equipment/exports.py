"""Exports of the stock and of the allocations, as CSV (French Excel) or XLSX; cells a
spreadsheet would run as formulas are neutralised by core/tabular.py."""

from __future__ import annotations

from collections.abc import Iterator

from tremplin.core.tabular import dater

from .footprint import rounded
from .models import FootprintReference

STOCK_HEADERS = [
    "Type",
    "Modèle",
    "Numéro de série",
    "IMEI",
    "Date d'achat",
    "Prix",
    "État",
    "Situation",
    "Site",
    "Matricule du détenteur",
    "Détenteur",
    "Fin de garantie",
    "Fin de vie prévue",
    "Fin de vie réelle",
    "Empreinte de fabrication par an (kg CO2e)",
]

ALLOCATION_HEADERS = [
    "Type",
    "Modèle",
    "Numéro de série",
    "IMEI",
    "Matricule",
    "Agent",
    "Site partagé",
    "Remis le",
    "Rendu le",
    "Charte acceptée le",
    "État au retour",
    "Pourquoi un second appareil",
]


def stock_rows(devices, *, as_text: bool = False) -> Iterator[list]:
    _date = dater(as_text)
    references = FootprintReference.by_kind()
    for d in devices.select_related("site", "holder").iterator(chunk_size=500):
        yearly = d.yearly_footprint(references.get(d.kind))
        yield [
            d.get_kind_display(),
            d.model_name,
            d.serial_number,
            d.imei,
            _date(d.purchase_date),
            float(d.purchase_price) if d.purchase_price is not None else "",
            d.get_condition_display(),
            d.get_state_display(),
            d.site.code if d.site else "",
            d.holder.matricule if d.holder else "",
            d.holder.full_name if d.holder else "",
            _date(d.warranty_end),
            _date(d.expected_end_of_life),
            _date(d.actual_end_of_life),
            float(rounded(yearly)) if yearly is not None else "",
        ]


def allocation_rows(allocations, *, as_text: bool = False) -> Iterator[list]:
    _date = dater(as_text)
    for a in allocations.select_related("device", "agent", "site").iterator(chunk_size=500):
        yield [
            a.device.get_kind_display(),
            a.device.model_name,
            a.device.serial_number,
            a.device.imei,
            a.agent.matricule if a.agent else "",
            a.agent.full_name if a.agent else "",
            a.site.name if a.site else "",
            _date(a.starts_on),
            _date(a.ends_on),
            _date(a.charter_accepted_at.date() if a.charter_accepted_at else None),
            a.get_return_condition_display() if a.return_condition else "",
            a.second_device_reason,
        ]
