"""SIRH import pages for HR: upload → columns (when some are unknown) → preview →
confirm → progress and result. The checks and the writes live in sirh_import.py;
the writes run in a background task (tasks.run_agent_import)."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from tremplin.accounts import perms
from tremplin.core import uploads
from tremplin.core.forms import AccessibleFormMixin
from tremplin.core.models import BackgroundJob
from tremplin.core.tabular import TabularError, read_table

from . import sirh_import
from .models import Employer
from .tasks import IMPORT_JOB_KIND, run_agent_import

SESSION_KEY = "agent_import"
EXAMPLES_PER_COLUMN = 3
# Room for the form fields and multipart boundaries around the file itself.
MULTIPART_OVERHEAD = 64 * 1024


def _require_import_right(user) -> None:
    if not perms.can_import_agents(user):
        raise PermissionDenied


def _crumbs(*steps):
    return [("Import des agents", reverse("organisation:import_agents")), *steps]


class UploadForm(AccessibleFormMixin, forms.Form):
    file = forms.FileField(
        label="Fichier des agents",
        help_text="L'export du SIRH, en CSV (séparé par des points-virgules ou des virgules) "
        "ou en XLSX. 30 Mo au plus.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.xlsx"}),
    )
    employer = forms.ModelChoiceField(
        label="Employeur des agents du fichier",
        queryset=Employer.objects.none(),
        required=False,
        empty_label="Indiqué dans le fichier (colonne « Employeur »)",
    )
    new_employer = forms.CharField(
        label="Ou un nouvel employeur",
        required=False,
        max_length=200,
        help_text="Son nom, s'il n'est pas dans la liste. Il sera créé avec l'import.",
    )
    full = forms.BooleanField(
        label="Import complet",
        required=False,
        help_text="Cochez si le fichier contient tous les agents de l'employeur. Les agents "
        "absents du fichier seront notés comme partis aujourd'hui. Ils ne sont pas supprimés.",
    )

    def __init__(self, *args, user, oversize: int = 0, **kwargs):
        self.oversize = oversize
        super().__init__(*args, **kwargs)
        scope = sirh_import.scope_of(user)
        employers = Employer.objects.order_by("name")
        if scope is not None:
            if scope.employer_ids is not None:
                employers = employers.filter(pk__in=scope.employer_ids)
            del self.fields["new_employer"]
        self.fields["employer"].queryset = employers
        if oversize:
            # The body was not read: the file is refused before it reaches the server's disk.
            self.fields["file"].required = False

    def clean_file(self):
        limit = settings.TREMPLIN_IMPORT_MAX_BYTES
        if self.oversize:
            raise forms.ValidationError(
                uploads.too_big_message(self.oversize, limit, sirh_import.SPLIT_HINT)
            )
        upload = self.cleaned_data["file"]
        if upload.size > limit:
            raise forms.ValidationError(
                uploads.too_big_message(upload.size, limit, sirh_import.SPLIT_HINT)
            )
        return upload

    def clean(self):
        data = super().clean()
        name = (data.get("new_employer") or "").strip()
        if name and data.get("employer"):
            self.add_error(
                "new_employer",
                "Choisissez un employeur dans la liste ou écrivez un nouveau nom, pas les deux.",
            )
        elif name:
            code = slugify(name)[:30].strip("-")
            if not code:
                self.add_error("new_employer", "Écrivez le nom de l'employeur en lettres.")
            elif Employer.objects.filter(Q(code=code) | Q(name__iexact=name)).exists():
                self.add_error(
                    "new_employer", "Cet employeur existe déjà : choisissez-le dans la liste."
                )
        return data

    def employer_choice(self) -> tuple[str | None, str]:
        """(code, name) handed to the import: an existing employer, a new one, or none."""
        employer = self.cleaned_data.get("employer")
        if employer is not None:
            return employer.code, employer.name
        name = (self.cleaned_data.get("new_employer") or "").strip()
        if name:
            return slugify(name)[:30].strip("-"), name
        return None, ""


class MappingForm(AccessibleFormMixin, forms.Form):
    """One choice per unknown column: the field it holds, or ignore it."""

    def __init__(self, *args, columns: list[str], examples: dict[str, list[str]], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [
            ("", "— Choisissez —"),
            (sirh_import.IGNORE, "Ne pas importer cette colonne"),
            *[(spec.key, spec.label) for spec in sirh_import.FIELD_SPECS],
        ]
        self.columns = columns
        for n, header in enumerate(columns):
            samples = examples.get(header) or []
            self.fields[f"col_{n}"] = forms.ChoiceField(
                label=f"Colonne « {header} »",
                choices=choices,
                help_text=(
                    "Exemples dans le fichier : " + ", ".join(f"« {s} »" for s in samples)
                    if samples
                    else "Cette colonne est vide dans les premières lignes."
                ),
                error_messages={"required": "Choisissez ce que contient cette colonne."},
            )

    def mapping(self) -> dict[str, str]:
        return {header: self.cleaned_data[f"col_{n}"] for n, header in enumerate(self.columns)}


def _examples(data: bytes, filename: str, columns: list[str]) -> dict[str, list[str]]:
    """A few values of each unknown column, to help recognise it."""
    try:
        table = read_table(data, filename)
    except TabularError:
        return {}
    indexes = {h: i for i, h in enumerate(table.headers) if h in columns}
    examples: dict[str, list[str]] = {h: [] for h in columns}
    for n, (_line, cells) in enumerate(table.rows):
        for header, index in indexes.items():
            value = cells[index] if index < len(cells) else ""
            if value and value not in examples[header] and len(examples[header]) < 3:
                examples[header].append(value[:40])
        if n >= 50 or all(len(v) >= EXAMPLES_PER_COLUMN for v in examples.values()):
            break
    return examples


def _plan_from_draft(draft: dict, user, data: bytes):
    return sirh_import.build_plan(
        data,
        draft["filename"],
        employer_code=draft["employer_code"],
        employer_name=draft["employer_name"],
        full=draft["full"],
        mapping=draft["mapping"],
        scope=sirh_import.scope_of(user),
    )


def _tie_errors_to_file_field(form: UploadForm, total: int) -> None:
    """The file field says it is wrong and points at the list of the file's errors."""
    bound = form["file"]
    described = ["erreurs-import", f"{bound.auto_id}_helptext"]
    if form.is_bound:
        form.add_error(
            "file",
            f"Le fichier contient {total} erreur{'s' if total > 1 else ''} : rien n'a été "
            "enregistré. Corrigez-le, puis envoyez-le à nouveau.",
        )
        described.insert(0, f"{bound.auto_id}-erreur")
    attrs = form.fields["file"].widget.attrs
    attrs["aria-invalid"] = "true"
    attrs["aria-describedby"] = " ".join(described)
    attrs["class"] = f"{attrs.get('class', '')} is-invalid"


def _after_planning(request, draft: dict, plan, form=None):
    """Next step once a plan is built: errors on the upload form, the columns page, or the
    preview."""
    if plan.unknown_columns:
        draft["unknown"] = plan.unknown_columns
        request.session[SESSION_KEY] = draft
        return redirect("organisation:import_agents_mapping")
    if plan.issues:
        uploads.delete_upload(draft["token"])
        request.session.pop(SESSION_KEY, None)
        form = form or UploadForm(user=request.user)
        _tie_errors_to_file_field(form, plan.issues.total)
        preview = plan.preview()
        return render(
            request,
            "organisation/import_upload.html",
            {
                "form": form,
                "errors": preview["errors"],
                "error_total": preview["error_total"],
                "more_errors": preview["error_total"] - len(preview["errors"]),
                "crumbs": _crumbs(),
            },
        )
    draft["preview"] = plan.preview()
    draft.pop("unknown", None)
    request.session[SESSION_KEY] = draft
    return redirect("organisation:import_agents_preview")


@login_required
def import_agents(request):
    user = request.user
    _require_import_right(user)
    uploads.purge_stale_uploads()
    context = {"crumbs": [("Import des agents", None)]}
    if request.method != "POST":
        context["form"] = UploadForm(user=user)
        return render(request, "organisation/import_upload.html", context)
    limit = settings.TREMPLIN_IMPORT_MAX_BYTES
    length = int(request.META.get("CONTENT_LENGTH") or 0)
    if length > limit + MULTIPART_OVERHEAD:
        # Refused on its announced size, before Django reads the body.
        form = UploadForm({}, user=user, oversize=length)
        form.is_valid()
        context["form"] = form
        return render(request, "organisation/import_upload.html", context, status=413)
    form = UploadForm(request.POST, request.FILES, user=user)
    if not form.is_valid():
        context["form"] = form
        return render(request, "organisation/import_upload.html", context)
    upload = form.cleaned_data["file"]
    previous = request.session.get(SESSION_KEY)
    if previous:
        uploads.delete_upload(previous.get("token", ""))
    token = uploads.store_upload(upload.chunks())
    employer_code, employer_name = form.employer_choice()
    draft = {
        "token": token,
        "filename": upload.name[:200],
        "employer_code": employer_code,
        "employer_name": employer_name,
        "full": form.cleaned_data["full"],
        "mapping": {},
    }
    plan = _plan_from_draft(draft, user, uploads.read_upload(token) or b"")
    return _after_planning(request, draft, plan, form)


def _draft_or_restart(request, *, need: str, read: bool):
    """The import in progress in this session, and its file's bytes when `read`."""
    draft = request.session.get(SESSION_KEY)
    if not draft or need not in draft:
        messages.info(request, "Aucun import en cours : envoyez d'abord le fichier.")
        return None, None
    if read:
        data = uploads.read_upload(draft["token"])
    else:
        data = b"" if uploads.upload_exists(draft["token"]) else None
    if data is None:
        request.session.pop(SESSION_KEY, None)
        messages.error(
            request, "Le fichier n'est plus disponible (plus de 24 h). Envoyez-le à nouveau."
        )
        return None, None
    return draft, data


@login_required
def import_agents_mapping(request):
    user = request.user
    _require_import_right(user)
    draft, data = _draft_or_restart(request, need="unknown", read=True)
    if draft is None:
        return redirect("organisation:import_agents")
    columns = draft["unknown"]
    form = MappingForm(
        request.POST or None,
        columns=columns,
        examples=_examples(data, draft["filename"], columns),
    )
    if request.method == "POST" and form.is_valid():
        draft["mapping"] = {**draft["mapping"], **form.mapping()}
        plan = _plan_from_draft(draft, user, data)
        return _after_planning(request, draft, plan)
    return render(
        request,
        "organisation/import_mapping.html",
        {
            "form": form,
            "filename": draft["filename"],
            "crumbs": _crumbs(("Colonnes à préciser", None)),
        },
    )


@login_required
def import_agents_preview(request):
    user = request.user
    _require_import_right(user)
    draft, _data = _draft_or_restart(request, need="preview", read=False)
    if draft is None:
        return redirect("organisation:import_agents")
    preview = draft["preview"]
    confirm_error = ""
    if (
        request.method == "POST"
        and preview.get("mass_departure")
        and not request.POST.get("confirm_departures")
    ):
        confirm_error = "Cochez la case pour confirmer ces départs, ou annulez l'import."
    elif request.method == "POST":
        job = BackgroundJob.objects.create(
            kind=IMPORT_JOB_KIND, created_by=user, total=100, message="En attente de démarrage…"
        )
        request.session.pop(SESSION_KEY, None)
        run_agent_import.enqueue(
            job_id=job.pk,
            token=draft["token"],
            filename=draft["filename"],
            employer_code=draft["employer_code"],
            employer_name=draft["employer_name"],
            full=draft["full"],
            mapping=draft["mapping"],
        )
        return redirect("organisation:import_agents_job", pk=job.pk)
    counts = preview["counts"]
    return render(
        request,
        "organisation/import_preview.html",
        {
            "preview": preview,
            "counts": counts,
            "changes": any(
                counts[k]
                for k in ("created", "updated", "departed", "units", "jobs", "sites", "employers")
            ),
            "ignored": [c["header"] for c in preview["columns"] if not c["field"]],
            "confirm_error": confirm_error,
            "crumbs": _crumbs(("Vérification", None)),
        },
    )


@require_POST
@login_required
def import_agents_cancel(request):
    _require_import_right(request.user)
    draft = request.session.pop(SESSION_KEY, None)
    if draft:
        uploads.delete_upload(draft.get("token", ""))
    messages.info(request, "Import annulé. Le fichier envoyé a été effacé.")
    return redirect("organisation:import_agents")


@login_required
def import_agents_job(request, pk):
    _require_import_right(request.user)
    job = get_object_or_404(BackgroundJob, pk=pk, kind=IMPORT_JOB_KIND)
    if job.created_by_id != request.user.pk:
        raise Http404
    result = job.result or {}
    errors = result.get("errors") or []
    return render(
        request,
        "organisation/import_job.html",
        {
            "job": job,
            "counts": result.get("counts"),
            "errors": errors,
            "error_total": result.get("error_total") or 0,
            "more_errors": (result.get("error_total") or 0) - len(errors),
            "crumbs": _crumbs(("Avancement", None)),
        },
    )
