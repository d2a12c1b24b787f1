"""The « Rapports » page and its downloads: the annual training plan (XLSX, PDF), the
Rapport social unique's training indicators (page, CSV, XLSX) and an agent's livret
individuel de formation (PDF)."""

import io

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from tremplin.accounts import perms
from tremplin.core import audit
from tremplin.core.enums import AuditAction
from tremplin.core.pdf import render_pdf
from tremplin.core.tabular import XLSX_CONTENT_TYPE, csv_response, neutralise, xlsx_response
from tremplin.organisation.models import Agent, Collectivite

from . import reports
from .forms_reports import ReportFilterForm


def _crumbs(*items):
    return [
        ("Pilotage", reverse("steering:dashboard")),
        ("Rapports", reverse("steering:reports")),
        *items,
    ]


def _filters(request) -> ReportFilterForm:
    perms.require(perms.can_download_reports(request.user))
    return ReportFilterForm(request.GET or None, user=request.user)


def _suffix(form: ReportFilterForm) -> str:
    """File name tail: the year, and the employer's code when one is chosen."""
    return f"{form.year}" + (f"-{form.employer.code}" if form.employer else "")


def _scope_label(form: ReportFilterForm) -> str:
    return form.employer.name if form.employer else "Tous les employeurs de votre périmètre"


def _min_agents(user) -> int:
    """Figure-only roles never see a line about fewer agents than this."""
    return 0 if perms.can_list_agents(user) else reports.MIN_AGENTS_FOR_FIGURE_ONLY_ROLES


@login_required
def reports_home(request):
    form = _filters(request)
    return render(
        request,
        "steering/reports/home.html",
        {
            "form": form,
            "query": form.query(),
            "year": form.year,
            "crumbs": [("Pilotage", reverse("steering:dashboard")), ("Rapports", None)],
        },
    )


# --- Annual training plan -------------------------------------------------------------------


def _collectivite_name() -> str:
    collectivite = Collectivite.current()
    return collectivite.name if collectivite else "Tremplin"


@login_required
def training_plan_xlsx(request):
    from openpyxl import Workbook
    from openpyxl.styles import Font

    form = _filters(request)
    plan = reports.training_plan(request.user, form.year, form.employer)
    workbook = Workbook()
    cover = workbook.active
    cover.title = "Présentation"
    for line in (
        [_collectivite_name()],
        [f"Plan de formation {plan.year}"],
        [_scope_label(form)],
        [f"Produit le {plan.produced_on:%d/%m/%Y}"],
        [],
        [
            "Agents concernés : agents ayant une étape de parcours sur l'action (à faire, "
            f"ou faite en {plan.year})."
        ],
        [
            "Heures prévues : durée de l'action × agents concernés ; coût estimé : coût "
            "par agent × agents concernés."
        ],
        [
            f"Séances et places : séances de l'action en {plan.year}, non annulées, pour "
            "toute la collectivité."
        ],
        [f"Agents concernés par au moins une action : {plan.agents_concerned}"],
    ):
        cover.append([neutralise(cell) for cell in line])
    cover["A1"].font = Font(bold=True, size=14)
    cover["A2"].font = Font(bold=True, size=12)
    sheet = workbook.create_sheet(f"Plan {plan.year}")
    sheet.append(reports.PLAN_HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in reports.plan_table(plan):
        sheet.append([neutralise(v) if isinstance(v, str) else v for v in row])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "B2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="plan-de-formation-{_suffix(form)}.xlsx"'
    )
    return response


@login_required
def training_plan_pdf(request):
    form = _filters(request)
    plan = reports.training_plan(request.user, form.year, form.employer)
    pdf = render_pdf(
        "steering/reports/training_plan_pdf.html",
        {
            "plan": plan,
            "totals": plan.totals,
            "categories": [label for _value, label in reports.CATEGORY_LINES],
            "scope_label": _scope_label(form),
        },
        base_url=request.build_absolute_uri("/"),
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="plan-de-formation-{_suffix(form)}.pdf"'
    )
    return response


# --- Rapport social unique --------------------------------------------------------------------


def _rsu(request):
    form = _filters(request)
    rsu = reports.rsu_indicators(
        request.user, form.year, form.employer, min_agents=_min_agents(request.user)
    )
    return form, rsu


@login_required
def rsu(request):
    form, indicators = _rsu(request)
    return render(
        request,
        "steering/reports/rsu.html",
        {
            "form": form,
            "query": form.query(),
            "rsu": indicators,
            "scope_label": _scope_label(form),
            "hours_per_day": reports.HOURS_PER_DAY,
            "crumbs": _crumbs((f"Rapport social unique {indicators.year}", None)),
        },
    )


def _french_decimal(value):
    """French Excel reads « 1,5 » as a number, « 1.5 » as text or a date."""
    return f"{value:.1f}".replace(".", ",") if isinstance(value, float) else value


@login_required
def rsu_csv(request):
    form, indicators = _rsu(request)
    rows = ([_french_decimal(v) for v in row] for row in reports.rsu_table(indicators))
    return csv_response(f"rsu-formation-{_suffix(form)}.csv", reports.RSU_HEADERS, rows)


@login_required
def rsu_xlsx(request):
    form, indicators = _rsu(request)
    return xlsx_response(
        f"rsu-formation-{_suffix(form)}.xlsx",
        reports.RSU_HEADERS,
        reports.rsu_table(indicators),
        title=f"RSU formation {indicators.year}",
    )


# --- Livret individuel de formation ------------------------------------------------------------


def _training_record_response(request, agent):
    perms.require(perms.can_view_training_record(request.user, agent))
    if request.user.agent_id != agent.pk:
        audit.record(
            AuditAction.EXPORT,
            obj=agent,
            summary=f"livret individuel de formation de {agent.full_name}",
        )
    pdf = render_pdf(
        "steering/reports/training_record_pdf.html",
        reports.training_record(agent),
        base_url=request.build_absolute_uri("/"),
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="livret-formation-{agent.matricule}.pdf"'
    return response


def _agents():
    return Agent.objects.select_related("job", "unit", "employer")


@login_required
def training_record(request, agent_pk):
    """HR (within scope) and the agent themself: the url HR's agent page links to."""
    return _training_record_response(request, get_object_or_404(_agents(), pk=agent_pk))


@login_required
def my_training_record(request):
    if not request.user.agent_id:
        raise Http404
    return _training_record_response(
        request, get_object_or_404(_agents(), pk=request.user.agent_id)
    )
