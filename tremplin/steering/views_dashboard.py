"""The direction's dashboard: figures of the user's scope (narrowed by employer, unit and
period), each table downloadable as CSV and XLSX with the same figures as the page."""

from __future__ import annotations

import datetime as dt
from functools import cached_property
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from tremplin.accounts import perms
from tremplin.core import audit
from tremplin.core.enums import AuditAction
from tremplin.core.tabular import csv_response, xlsx_response

from . import charts, indicators, precomputed, snapshots
from .forms_dashboard import DashboardFilterForm
from .indicators import PATHWAY_STATES, Period, Scope

HIDDEN = "moins de 5"


class Board:
    """The dashboard's figures for a scope and a period, each computed when first read;
    `precomputed.load` fills them from figures stored a few minutes ago when there are
    (the page and its downloads then show the same), or computes and stores them all."""

    computed_at = None

    def __init__(self, user, scope: Scope, period: Period, today: dt.date):
        self.scope, self.period, self.today = scope, period, today
        # Figure-only roles (the direction) get the competence map's small-cell rule.
        self.small_cell = 0 if perms.can_list_agents(user) else indicators.SMALL_CELL

    @cached_property
    def units(self) -> indicators.UnitTable:
        return indicators.unit_table(
            self.scope, self.period, self.today, small_cell=self.small_cell
        )

    @cached_property
    def levels(self) -> list:
        return indicators.level_distribution(
            self.scope, self.period.end, small_cell=self.small_cell
        )

    @cached_property
    def pathways(self) -> dict:
        return indicators.pathway_states(self.scope, self.period.end)

    @cached_property
    def training(self) -> indicators.Training:
        return indicators.training(self.scope, self.period)

    @cached_property
    def coaching(self) -> indicators.Coaching:
        return indicators.coaching(self.scope, self.period)

    @cached_property
    def goals(self) -> list:
        return indicators.goal_progress(self.scope, self.today)

    @cached_property
    def trend_target(self) -> tuple | None:
        return snapshots.trend_target(self.scope)

    @cached_property
    def trends(self) -> dict:
        if not self.trend_target:
            return {}
        keys = [k for k, _ in snapshots.SHARES] + [k for k, _ in snapshots.MONTHLY]
        keys += list(self.goal_keys)
        return snapshots.trend(self.trend_target, keys)

    # Devices and moves are counted for the whole collectivité only: they are not scoped
    # by unit, and a count in a small unit could point at someone.
    @cached_property
    def equipment(self) -> dict | None:
        from tremplin.equipment.footprint import indicators as equipment_indicators

        return equipment_indicators(None, self.today) if self.scope.is_everything else None

    @cached_property
    def mobility(self) -> dict | None:
        from tremplin.mobility.figures import dashboard_figures

        if not self.scope.is_everything:
            return None
        return dashboard_figures(today=self.today, since=self.period.start)

    @property
    def headline(self) -> indicators.UnitFigures:
        return self.units.total

    @property
    def pathway_rows(self) -> list[tuple[str, int]]:
        return [(label, self.pathways[key]) for key, label in PATHWAY_STATES]

    @property
    def goal_keys(self) -> dict[str, str]:
        return {f"goal:{p.goal.pk}": p.goal.name for p in self.goals}


# --- Tables: the page and the downloads read the same rows ----------------------------------


def _share(value):
    return HIDDEN if value is None else value


def _table_units(board: Board) -> list[indicators.UnitFigures]:
    rows = [*board.units.rows]
    if board.units.elsewhere is not None:
        rows.append(board.units.elsewhere)
    rows.append(board.units.total)
    return rows


def _display(value) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return charts.fmt(value)
    if isinstance(value, dt.date):
        return f"{value:%d/%m/%Y}"
    return value


def _csv_cell(value):
    """French Excel reads 12,5 as a number and 01/03/2032 as a date; the XLSX keeps the
    values themselves."""
    if isinstance(value, float):
        return str(value).replace(".", ",")
    if isinstance(value, dt.date):
        return f"{value:%d/%m/%Y}"
    return value


def _unit_rows(board: Board):
    for row in _table_units(board):
        hidden = row.hidden
        yield [
            row.label,
            row.agents,
            HIDDEN if hidden else row.identities,
            _share(row.identity_share) if row.agents else "",
            HIDDEN if hidden else row.diagnosed,
            HIDDEN if hidden else row.diagnosed_ever,
            _share(row.diagnosed_share) if row.agents else "",
            HIDDEN if hidden else row.pix,
            HIDDEN if hidden else row.pix_ever,
            _share(row.pix_share) if row.agents else "",
            HIDDEN if row.below_hidden else row.assessed,
            HIDDEN if row.below_hidden else row.below,
            _share(row.below_share) if row.assessed else "",
            row.trained_hours,
        ]


def _level_rows(board: Board):
    for row in board.levels:
        counts = [HIDDEN] * 9 if row.hidden else row.counts
        yield [f"{row.competence.code} {row.competence.name}", *counts, row.measured]


def _goal_rows(board: Board):
    for p in board.goals:
        yield [
            p.goal.name,
            p.goal.population_label,
            p.population,
            p.reached,
            "" if p.share is None else p.share,
            round(p.pace, 1),
            p.projected,
            "" if p.projected_share is None else p.projected_share,
            p.deadline,
            p.status_label,
        ]


def _training_rows(board: Board):
    t = board.training
    return [
        ["Heures de formation (séances et accompagnements)", t.hours],
        ["dont séances en groupe", t.session_hours],
        ["dont accompagnements individuels (par agent)", t.coaching_hours],
        ["Présences", t.present],
        ["Séances faites", t.sessions],
        ["Places offertes dans ces séances", t.capacity],
        ["Places occupées (présents)", t.seats_taken],
        ["Taux de remplissage (%)", "" if t.fill_rate is None else t.fill_rate],
        ["Absences non excusées", t.no_shows],
    ]


def _coaching_rows(board: Board):
    c = board.coaching
    return [
        ["Accompagnements", c.entries],
        ["Heures d'accompagnement", c.hours],
        ["Conseillers", c.advisors],
        ["Accompagnements finis « Autonome »", c.autonomous],
        ["Part « Autonome » (%)", "" if c.autonomous_share is None else c.autonomous_share],
    ]


def _trend_columns(board: Board) -> list[tuple[str, str]]:
    """(key, label) of the remembered figures this scope has, in the page's order."""
    labels = dict(snapshots.SHARES) | dict(snapshots.MONTHLY) | board.goal_keys
    return [(key, label) for key, label in labels.items() if board.trends.get(key)]


def _trend_headers(board: Board) -> list[str]:
    return ["Arrêté au", *(label for _key, label in _trend_columns(board))]


def _trend_rows(board: Board):
    """One row a date, one column a figure: how a month-by-month table reads (and charts
    in a spreadsheet); a figure not remembered that day stays empty. Snapshots keep
    floats: a whole one is written as a count (« 6 séances », not « 6,0 »)."""
    columns = _trend_columns(board)
    values = {key: dict(board.trends[key]) for key, _label in columns}
    days = sorted({day for points in values.values() for day in points})
    for day in days:
        row = [values[key].get(day, "") for key, _label in columns]
        yield [day, *(int(v) if isinstance(v, float) and v.is_integer() else v for v in row)]


TABLES = {
    "unites": (
        "Indicateurs par unité",
        [
            "Unité",
            "Agents",
            "Identité numérique active",
            "Identité numérique (%)",
            "Diagnostic fait sur la période",
            "Diagnostic fait (depuis le début)",
            "Diagnostic (%)",
            "Pix partagé sur la période",
            "Pix partagé (depuis le début)",
            "Pix (%)",
            "Agents mesurés sur une compétence demandée",
            "Sous le niveau demandé",
            "Sous le niveau demandé (%)",
            "Heures de formation en séance",
        ],
        _unit_rows,
    ),
    "niveaux": (
        "Niveaux par compétence",
        ["Compétence", *[f"Niveau {n}" for n in indicators.LEVELS], "Agents mesurés"],
        _level_rows,
    ),
    "parcours": (
        "Parcours",
        ["État", "Parcours"],
        lambda board: [list(row) for row in board.pathway_rows],
    ),
    "formation": ("Formation", ["Indicateur", "Valeur"], _training_rows),
    "objectifs": (
        "Objectifs de couverture",
        [
            "Objectif",
            "Pour",
            "Agents concernés",
            "Objectif atteint",
            "Part atteinte (%)",
            "Rythme (agents par mois)",
            "Projection à l'échéance",
            "Projection (%)",
            "Échéance",
            "État",
        ],
        _goal_rows,
    ),
    "accompagnement": ("Accompagnements", ["Indicateur", "Valeur"], _coaching_rows),
    "themes": (
        "Thèmes d'accompagnement",
        ["Thème", "Accompagnements"],
        lambda board: [list(row) for row in board.coaching.themes],
    ),
    "tendances": ("Tendances", _trend_headers, _trend_rows),
}


def _headers(headers, board: Board) -> list[str]:
    """A table's headers: fixed, or read from the board when its columns depend on the
    figures (the trends: one column per remembered figure)."""
    return headers(board) if callable(headers) else headers


# --- Charts -------------------------------------------------------------------------------


def _charts(board: Board) -> dict:
    rows = board.units.rows
    found = {
        "identity": charts.hbars(
            [(r.label, r.identity_share) for r in rows], max_value=100, suffix=" %"
        ),
        "below": charts.hbars(
            [(r.label, r.below_share) for r in rows if r.assessed], max_value=100, suffix=" %"
        ),
        "levels": charts.stacked(
            [
                (f"{r.competence.code} {r.competence.name}", r.bands)
                for r in board.levels
                if not r.hidden
            ]
        ),
        "pathways": charts.hbars(board.pathway_rows),
        "goals": charts.hbars(
            [(p.goal.name, p.share) for p in board.goals], max_value=100, suffix=" %"
        ),
        "themes": charts.hbars(board.coaching.themes),
    }
    shares = [
        (label, board.trends[key]) for key, label in snapshots.SHARES if board.trends.get(key)
    ]
    fresque = [p for p in board.goals if indicators.is_fresque_goal(p.goal)]
    for p in fresque[:1]:
        points = board.trends.get(f"goal:{p.goal.pk}")
        if points:
            shares.append((p.goal.name, points))
    found["trend_shares"] = charts.lines(shares, max_value=100, suffix=" %") if shares else None
    hours = board.trends.get("training_hours")
    found["trend_hours"] = charts.lines([("Heures de formation", hours)]) if hours else None
    return found


def _filters(request) -> tuple[DashboardFilterForm, dt.date]:
    today = timezone.localdate()
    return DashboardFilterForm(request.GET or None, user=request.user, today=today), today


def _scope_and_period(form, user) -> tuple[Scope, Period] | None:
    if form.is_bound and not form.is_valid():
        return None
    data = form.cleaned_data if form.is_bound else {}
    period = data.get("period") or form.default
    return Scope(user, data.get("employer"), data.get("unit")), period


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def dashboard(request):
    """GET shows the figures (stored ones when recent); POST « Recalculer » computes them
    again for the same filters, then shows them."""
    user = request.user
    perms.require(perms.can_view_steering(user))
    form, today = _filters(request)
    found = _scope_and_period(form, user)
    context = {"form": form, "crumbs": [("Pilotage", None)], "board": None}
    if found is not None:
        scope, period = found
        board = Board(user, scope, period, today)
        refresh = request.method == "POST"
        precomputed.load(board, refresh=refresh)
        if refresh:
            return redirect(request.get_full_path())
        query = {k: v for k, v in request.GET.items() if k in form.fields and v}
        crumbs = [("Pilotage", reverse("steering:dashboard") if scope.unit else None)]
        if scope.unit is not None:
            visible = {u.pk: u for u in scope.unit.ancestors()}
            allowed = set(
                form.fields["unit"].queryset.filter(pk__in=visible).values_list("pk", flat=True)
            )
            for ancestor in visible.values():
                if ancestor.pk in allowed:
                    crumbs.append((ancestor.name, _url({**query, "unit": ancestor.pk})))
            crumbs.append((scope.unit.name, None))
        context.update(
            board=board,
            charts=_charts(board),
            crumbs=crumbs,
            drill_query=urlencode({k: v for k, v in query.items() if k != "unit"}),
            export_query=urlencode(query),
            minutes=settings.TREMPLIN_DASHBOARD_MINUTES,
            tables={
                name: (
                    title,
                    _headers(headers, board),
                    [[_display(v) for v in row] for row in rows(board)],
                )
                for name, (title, headers, rows) in TABLES.items()
            },
        )
        links = [
            _url({**query, "unit": row.unit.pk}) if row.drill and row.unit != scope.unit else None
            for row in _table_units(board)
        ]
        context["unit_rows"] = list(zip(links, context["tables"]["unites"][2], strict=True))
    return render(request, "steering/dashboard.html", context)


def _url(query: dict) -> str:
    return f"{reverse('steering:dashboard')}?{urlencode(query)}"


@login_required
def export(request, table: str, file_format: str):
    user = request.user
    perms.require(perms.can_view_steering(user))
    if table not in TABLES or file_format not in ("csv", "xlsx"):
        raise Http404
    form, today = _filters(request)
    found = _scope_and_period(form, user)
    if found is None:
        return redirect(_url(request.GET.dict()))
    scope, period = found
    board = Board(user, scope, period, today)
    precomputed.load(board)
    title, headers, rows = TABLES[table]
    headers = _headers(headers, board)
    # Figures only, but a download leaves the application: it is logged like the others.
    audit.record(
        AuditAction.EXPORT,
        target_type="steering.indicatorsnapshot",
        summary=f"export du tableau de bord « {title} » ({file_format})",
        changes={"filtres": request.GET.dict()},
    )
    name = f"pilotage-{table}-{period.start:%Y%m%d}-{period.end:%Y%m%d}.{file_format}"
    if file_format == "csv":
        return csv_response(name, headers, [[_csv_cell(v) for v in row] for row in rows(board)])
    return xlsx_response(name, headers, list(rows(board)), title=title)
