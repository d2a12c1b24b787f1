"""Reading and writing the tables people really exchange: CSV as Excel writes it in
France (`;`, BOM or not, UTF-8 or cp1252) and XLSX.

Readers yield rows with their line number so that every error can name its line
and column. Writers stream and neutralise cells that a spreadsheet would run as
a formula.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.http import StreamingHttpResponse

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
XLSX_MAGIC = b"PK\x03\x04"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class TabularError(ValueError):
    """A file that cannot be read as a table; the message is French and shown as is."""


@dataclass
class Table:
    headers: list[str]
    rows: Iterator[tuple[int, list[str]]]  # (line number in the file, cells)
    encoding: str = ""
    delimiter: str = ""
    kind: str = "csv"
    total_hint: int | None = None  # about how many rows follow, for progress bars


def normalise_header(text: str) -> str:
    """'Prénom ' -> 'prenom'; used to recognise French header synonyms."""
    text = str(text or "").replace("’", "'")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return " ".join("".join(c if c.isalnum() else " " for c in text).split())


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as exc:
        raise TabularError(
            "Encodage du fichier non reconnu : enregistrez-le en CSV UTF-8 ou en CSV "
            "Windows (point-virgule) depuis votre tableur."
        ) from exc


def _sniff_delimiter(first_line: str) -> str:
    counts = {sep: first_line.count(sep) for sep in (";", ",", "\t")}
    sep, count = max(counts.items(), key=lambda item: item[1])
    if count == 0:
        raise TabularError(
            "Séparateur non reconnu à la ligne 1 : les colonnes doivent être séparées par "
            "des points-virgules (;), des virgules (,) ou des tabulations."
        )
    return sep


def read_csv_text(text: str, encoding: str = "utf-8") -> Table:
    if not text.strip():
        raise TabularError("Le fichier est vide.")
    end = text.find("\n")
    first_line = text if end < 0 else text[:end]
    delimiter = _sniff_delimiter(first_line)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        headers = [h.strip() for h in next(reader)]
    except (StopIteration, csv.Error) as exc:
        raise TabularError("Impossible de lire la ligne d'en-tête.") from exc

    def rows():
        try:
            for cells in reader:
                if any(c.strip() for c in cells):
                    yield reader.line_num, [c.strip() for c in cells]
        except csv.Error as exc:
            raise TabularError(
                f"Ligne {reader.line_num} : ligne illisible (caractère interdit ou guillemets "
                "mal placés)."
            ) from exc

    return Table(
        headers,
        rows(),
        encoding=encoding,
        delimiter=delimiter,
        kind="csv",
        total_hint=max(text.count("\n") - 1, 1),
    )


ZERO_PADDED_RE = re.compile(r"0+")


def _cell_text(value, number_format: str = "") -> str:
    if value is None:
        return ""
    # "00123" typed in a cell formatted 00000 is stored as the number 123: the zeros are
    # part of what people read (matricules, postcodes).
    if (
        isinstance(value, int | float)
        and ZERO_PADDED_RE.fullmatch(number_format or "")
        and float(value).is_integer()
    ):
        return str(int(value)).zfill(len(number_format))
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y") if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_xlsx(data: bytes) -> Table:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise TabularError("Le fichier XLSX est illisible ou endommagé.") from exc
    sheet = workbook.worksheets[0]
    iterator = sheet.iter_rows(values_only=True)
    try:
        headers = [_cell_text(v) for v in next(iterator)]
    except StopIteration as exc:
        raise TabularError("Le fichier est vide.") from exc
    while headers and not headers[-1]:
        headers.pop()

    def rows():
        for line, row in enumerate(sheet.iter_rows(min_row=2), start=2):
            cells = [_cell_text(c.value, c.number_format) for c in row[: len(headers)]]
            if any(cells):
                yield line, cells
        workbook.close()

    total = (sheet.max_row or 0) - 1
    return Table(headers, rows(), kind="xlsx", total_hint=total if total > 0 else None)


def read_table(data: bytes, filename: str = "") -> Table:
    """Reads CSV or XLSX bytes; raises TabularError with a French message."""
    if not data:
        raise TabularError("Le fichier est vide.")
    if data.startswith(XLSX_MAGIC) or filename.lower().endswith(".xlsx"):
        return read_xlsx(data)
    head = data[:4096]
    if b"\x00" in head and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # Text saved as UTF-16 without its byte-order mark has a zero byte in every pair.
        if head.count(b"\x00") * 3 >= len(head):
            raise TabularError(
                "Encodage du fichier non reconnu (UTF-16 sans marque d'encodage) : "
                "enregistrez-le en CSV UTF-8 depuis votre tableur."
            )
        raise TabularError("Ce fichier n'est pas un tableau CSV ou XLSX.")
    text, encoding = _decode(data)
    if any(ord(c) < 32 and c not in "\t\r\n" for c in text[:4096]):
        raise TabularError(
            "Ce fichier n'est pas un tableau CSV ou XLSX : il contient des caractères "
            "illisibles. Enregistrez-le en CSV ou en XLSX depuis votre tableur."
        )
    return read_csv_text(text, encoding)


def neutralise(value) -> str:
    """A cell that a spreadsheet would evaluate ('=HYPERLINK(…)') is prefixed with a quote."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def dater(as_text: bool):
    """Dates as dd/mm/yyyy text in CSV (what French Excel reads), as dates in XLSX."""
    if as_text:
        return lambda value: value.strftime("%d/%m/%Y") if value else ""
    return lambda value: value if value else ""


class _Echo:
    def write(self, value):
        return value


def csv_lines(headers: list[str], rows: Iterable[Iterable]) -> Iterator[str]:
    """CSV as French Excel opens it: BOM, `;`, CRLF."""
    writer = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n")
    yield "\ufeff" + writer.writerow([neutralise(h) for h in headers])
    for row in rows:
        yield writer.writerow([neutralise(v) for v in row])


def csv_response(filename: str, headers: list[str], rows: Iterable[Iterable]):
    response = StreamingHttpResponse(
        csv_lines(headers, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_bytes(headers: list[str], rows: Iterable[Iterable], title: str = "Export") -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append([neutralise(h) for h in headers])
    for row in rows:
        sheet.append([v if isinstance(v, int | float | dt.date) else neutralise(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(filename: str, headers: list[str], rows: Iterable[Iterable], title="Export"):
    from django.http import HttpResponse

    response = HttpResponse(xlsx_bytes(headers, rows, title), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- The opening every import shares --------------------------------------------------------

DATE_FORMATS = ("%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y")


def parse_date(text: str) -> dt.date | None:
    """A date as people type it in France, or as XLSX gives it; None when unreadable."""
    text = text.strip()
    if "T" in text:  # XLSX date-times arrive as ISO text
        text = text.split("T", 1)[0]
    text = text.split(" ", 1)[0]  # "01/03/2025 10:00": the day is what matters
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    message: str

    def __str__(self):
        where = f"Ligne {self.line}"
        if self.column:
            where += f", colonne « {self.column} »"
        return f"{where} : {self.message}"


class Columns:
    """Which column of the file holds each field an import reads. `spec` maps a field
    to its label and the headers accepted for it (normalised, see normalise_header)."""

    def __init__(self, headers: list[str], spec: dict[str, tuple[str, Iterable[str]]], required):
        self.headers = headers
        self.positions: dict[str, int] = {}
        self.errors: list[RowError] = []
        for index, header in enumerate(headers):
            key = normalise_header(header)
            for name, (label, synonyms) in spec.items():
                if key not in synonyms:
                    continue
                if name in self.positions:
                    self.errors.append(
                        RowError(
                            1,
                            header,
                            f"colonne en double : « {headers[self.positions[name]]} » et "
                            f"« {header} » donnent toutes deux « {label} ». Gardez une seule "
                            "de ces colonnes.",
                        )
                    )
                else:
                    self.positions[name] = index
                break
        for name in required:
            if name not in self.positions:
                label, synonyms = spec[name]
                examples = ", ".join(f"« {s.capitalize()} »" for s in sorted(synonyms)[:3])
                self.errors.append(
                    RowError(
                        1,
                        "",
                        f"la colonne « {label} » manque dans la ligne d'en-tête "
                        f"(noms reconnus : {examples}…).",
                    )
                )

    def __contains__(self, name: str) -> bool:
        return name in self.positions

    def header(self, name: str) -> str:
        """The file's own header for a field, to name it in an error; "" when absent."""
        return self.headers[self.positions[name]] if name in self.positions else ""

    def cell(self, cells: list[str], name: str) -> str:
        index = self.positions.get(name)
        return cells[index].strip() if index is not None and index < len(cells) else ""


def open_import(
    data: bytes,
    filename: str,
    spec: dict[str, tuple[str, Iterable[str]]],
    required: Iterable[str],
    *,
    max_bytes: int,
    too_big: str,
) -> tuple[Columns, list[tuple[int, list[str]]], list[RowError]]:
    """Reads an uploaded table for an import: its columns, its rows (line, cells) and the
    errors that stop it before any row is checked (a missing or doubled column, no row).
    Raises TabularError (message `too_big`, or why the file is not a table)."""
    if len(data) > max_bytes:
        raise TabularError(too_big)
    table = read_table(data, filename)
    columns = Columns(table.headers, spec, required)
    if columns.errors:
        return columns, [], columns.errors
    rows = list(table.rows)
    if not rows:
        return columns, [], [RowError(2, "", "le fichier ne contient aucune ligne de données.")]
    return columns, rows, []


def export_response(request, *, name: str, title: str, headers, rows, target_type: str, count: int):
    """A list's download, audited: CSV for French Excel by default, XLSX with
    ?format=xlsx. `rows(as_text)` gives the rows (dates as text for the CSV)."""
    from tremplin.core import audit
    from tremplin.core.enums import AuditAction

    audit.record(AuditAction.EXPORT, target_type=target_type, summary=f"export {title} ({count})")
    if request.GET.get("format") == "xlsx":
        return xlsx_response(f"{name}.xlsx", headers, rows(as_text=False), title=title)
    return csv_response(f"{name}.csv", headers, rows(as_text=True))
