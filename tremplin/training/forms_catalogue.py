"""Forms of the catalogue: the list's filters, and a module with its outcomes and
prerequisites (two inline formsets) on one page."""

from django import forms
from django.db.models import Q

from tremplin.competences.models import Competence, level_label
from tremplin.core.forms import AccessibleFormMixin
from tremplin.organisation.models import Job

from . import catalogue
from .enums import Audience, ModuleFormat, TrainerKind
from .models import Module, ModuleOutcome, ModulePrerequisite


def _competence_label(competence: Competence) -> str:
    return f"{competence.code} {competence.name}"


def _level_choices(levels, empty: str | None = None):
    choices = [(n, f"{n} — {level_label(n)}") for n in levels]
    return [("", empty), *choices] if empty is not None else choices


# --- The list's filters ------------------------------------------------------------------------


class CatalogueFilterForm(AccessibleFormMixin, forms.Form):
    format = forms.ChoiceField(
        label="Format", choices=[("", "Tous"), *ModuleFormat.choices], required=False
    )
    audience = forms.ChoiceField(
        label="Public",
        choices=[("", "Tous"), *Audience.choices],
        required=False,
        help_text="Les modules pour tous les agents sont toujours inclus.",
    )
    trainer_kind = forms.ChoiceField(
        label="Formateur", choices=[("", "Tous"), *TrainerKind.choices], required=False
    )
    competence = forms.ModelChoiceField(
        label="Compétence travaillée",
        queryset=Competence.objects.none(),
        required=False,
        empty_label="Toutes",
    )
    retired = forms.BooleanField(label="Voir aussi les modules retirés", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        competence = self.fields["competence"]
        competence.queryset = Competence.objects.only("pk", "code", "name")
        competence.label_from_instance = _competence_label

    def filter(self, modules):
        if not self.is_valid():
            return modules.active()
        data = self.cleaned_data
        if not data["retired"]:
            modules = modules.active()
        if data["format"]:
            modules = modules.filter(format=data["format"])
        if data["audience"]:
            modules = modules.filter(audience__in=[data["audience"], Audience.ALL])
        if data["trainer_kind"]:
            modules = modules.filter(trainer_kind=data["trainer_kind"])
        if data["competence"]:
            modules = modules.filter(outcomes__competence=data["competence"])
        return modules


# --- A module ----------------------------------------------------------------------------------


def job_family_choices(current=()) -> list[tuple[str, str]]:
    """The job families of the workforce, plus those a module still names after the jobs
    were renamed (so that editing it does not silently drop them)."""
    families = set(Job.objects.exclude(family="").values_list("family", flat=True).distinct())
    families.update(current or ())
    return [(family, family) for family in sorted(families, key=str.casefold)]


class ModuleForm(AccessibleFormMixin, forms.ModelForm):
    job_families = forms.MultipleChoiceField(
        label="Familles de métiers",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Rien de coché : le module est pour toutes les familles de métiers.",
    )

    class Meta:
        model = Module
        fields = [
            "title",
            "code",
            "objective",
            "format",
            "duration_minutes",
            "group_min",
            "group_max",
            "trainer_kind",
            "provider",
            "audience",
            "job_families",
            "place_need",
            "cost_per_agent",
            "needs_device",
            "needs_manager_approval",
            "gives_evidence",
            "position",
        ]
        widgets = {"objective": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "duration_minutes": "Par exemple 90 pour 1 h 30.",
            "group_max": "Pour un accompagnement individuel : 1 et 1.",
            "position": "Les plus petits nombres viennent en premier.",
        }
        error_messages = {
            "code": {
                "unique": "Ce code est déjà pris par un autre module.",
                "invalid": "Seulement des lettres sans accent, des chiffres et des tirets.",
            },
            "duration_minutes": {
                "min_value": "Une formation dure au moins 15 minutes.",
                "max_value": "Au plus 2 400 minutes (40 heures).",
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        families = self.fields["job_families"]
        families.choices = job_family_choices(self.instance.job_families)
        families.widget.attrs["class"] = "form-check-input"
        self.fields["duration_minutes"].widget.attrs.update({"min": 15, "step": 15})
        for name in ("group_min", "group_max"):
            self.fields[name].widget.attrs["min"] = 1

    def clean(self):
        data = super().clean()
        group_min, group_max = data.get("group_min"), data.get("group_max")
        if group_min is not None and group_min < 1:
            self.add_error("group_min", "Il faut au moins 1 participant.")
        elif group_min is not None and group_max is not None and group_min > group_max:
            self.add_error(
                "group_min",
                f"Le minimum ({group_min}) ne peut pas dépasser le maximum ({group_max}).",
            )
        if data.get("trainer_kind") == TrainerKind.EXTERNAL and not data.get("provider"):
            self.add_error("provider", "Indiquez l'organisme qui donne la formation.")
        return data


class OutcomeForm(AccessibleFormMixin, forms.ModelForm):
    level_from = forms.TypedChoiceField(
        label="Niveau de départ", coerce=int, choices=_level_choices(range(0, 8)), initial=0
    )
    level_to = forms.TypedChoiceField(
        label="Niveau atteint", coerce=int, choices=_level_choices(range(1, 9), empty="—")
    )

    class Meta:
        model = ModuleOutcome
        fields = ["competence", "level_from", "level_to"]
        error_messages = {"level_to": {"required": "Indiquez le niveau atteint."}}

    def __init__(self, *args, competences=None, **kwargs):
        super().__init__(*args, **kwargs)
        competence = self.fields["competence"]
        if competences is not None:
            competence.queryset = competences
        competence.label_from_instance = _competence_label
        competence.empty_label = "—"
        competence.error_messages["required"] = "Choisissez la compétence."

    def clean(self):
        data = super().clean()
        level_from, level_to = data.get("level_from"), data.get("level_to")
        if level_from is not None and level_to is not None and level_to <= level_from:
            self.add_error(
                "level_to",
                f"Le niveau atteint ({level_to}) doit être plus haut que le niveau de départ "
                f"({level_from}) : une formation fait progresser.",
            )
        return data

    def validate_unique(self):
        """Duplicates are checked across the whole formset, with a message on the field
        (OutcomeFormSet.clean): the per-row check would only give a generic message."""


class RowsFormSet(forms.BaseInlineFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "Retirer cette ligne"

    def kept_forms(self):
        """Rows that will be kept: saved ones and filled-in new ones, valid, not marked
        for removal."""
        return [
            form
            for form in self.forms
            if (form.instance.pk is not None or form.has_changed())
            and not self._should_delete_form(form)
            and form.is_valid()
        ]


class OutcomeFormSetBase(RowsFormSet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.competences = Competence.objects.only("pk", "code", "name")

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "competences": self.competences}

    def clean(self):
        # Not super().clean(): its uniqueness check says "données en double" outside any field.
        seen = set()
        for form in self.kept_forms():
            competence = form.cleaned_data.get("competence")
            if competence is None:
                continue
            if competence.pk in seen:
                form.add_error(
                    "competence",
                    f"La compétence {competence.code} figure déjà plus haut : "
                    "une seule ligne par compétence.",
                )
            seen.add(competence.pk)

    def lines(self) -> list[str]:
        """The outcomes as they will be saved, in words, for the module's history."""
        return sorted(
            f"{f.cleaned_data['competence'].code} : niveau {f.cleaned_data['level_from']} → "
            f"{f.cleaned_data['level_to']}"
            for f in self.kept_forms()
        )


OutcomeFormSet = forms.inlineformset_factory(
    Module,
    ModuleOutcome,
    form=OutcomeForm,
    formset=OutcomeFormSetBase,
    fields=["competence", "level_from", "level_to"],
    extra=3,
    can_delete=True,
    can_delete_extra=False,
)


class PrerequisiteForm(AccessibleFormMixin, forms.ModelForm):
    min_level = forms.TypedChoiceField(
        label="Niveau au moins",
        coerce=int,
        empty_value=None,
        required=False,
        choices=_level_choices(range(1, 9), empty="—"),
    )

    class Meta:
        model = ModulePrerequisite
        fields = ["required_module", "competence", "min_level"]
        labels = {"competence": "ou compétence"}

    def __init__(self, *args, modules=None, competences=None, **kwargs):
        super().__init__(*args, **kwargs)
        required = self.fields["required_module"]
        if modules is not None:
            required.queryset = modules
        required.empty_label = "—"
        competence = self.fields["competence"]
        if competences is not None:
            competence.queryset = competences
        competence.label_from_instance = _competence_label
        competence.empty_label = "—"

    def clean(self):
        data = super().clean()
        module = data.get("required_module")
        competence, level = data.get("competence"), data.get("min_level")
        if any(name in self.errors for name in ("required_module", "competence", "min_level")):
            return data
        if module is not None and (competence is not None or level is not None):
            self.add_error(
                "required_module",
                "Choisissez soit un module, soit une compétence avec son niveau, pas les deux : "
                "faites deux lignes.",
            )
        elif module is not None:
            if self.instance.module_id is not None and module.pk == self.instance.module_id:
                self.add_error(
                    "required_module", "Un module ne peut pas être son propre prérequis."
                )
        elif competence is not None and level is None:
            self.add_error("min_level", "Indiquez le niveau demandé dans cette compétence.")
        elif competence is None and level is not None:
            self.add_error("competence", "Choisissez la compétence de ce niveau.")
        elif competence is None:
            self.add_error(
                "required_module",
                "Choisissez un module, ou une compétence avec un niveau. Pour retirer la ligne, "
                "cochez « Retirer ».",
            )
        return data


class PrerequisiteFormSetBase(RowsFormSet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Modules still offered, and those already chosen here (kept after retirement).
        chosen = Q(pk__in=self.get_queryset().values("required_module"))
        self.modules = Module.objects.filter(Q(active=True) | chosen).only("pk", "title")
        self.competences = Competence.objects.only("pk", "code", "name")

    def get_form_kwargs(self, index):
        return {
            **super().get_form_kwargs(index),
            "modules": self.modules,
            "competences": self.competences,
        }

    def clean(self):
        # Not super().clean(): duplicates get a message on their field below.
        kept = self.kept_forms()
        modules, levels = set(), set()
        for form in kept:
            module = form.cleaned_data.get("required_module")
            competence = form.cleaned_data.get("competence")
            if module is not None:
                if module.pk in modules:
                    form.add_error("required_module", "Ce module est déjà demandé plus haut.")
                modules.add(module.pk)
            elif competence is not None:
                if competence.pk in levels:
                    form.add_error(
                        "competence",
                        f"La compétence {competence.code} est déjà demandée plus haut.",
                    )
                levels.add(competence.pk)
        self._refuse_cycles(kept)

    def _refuse_cycles(self, kept):
        """A module cannot need, through its prerequisites, a module that needs it back.
        A new module is required by nobody yet: it cannot close a cycle."""
        module = self.instance
        if module.pk is None:
            return
        graph = catalogue.saved_requires()
        required = []
        for form in kept:
            other = form.cleaned_data.get("required_module")
            if other is None or other.pk == module.pk:
                continue
            required.append(other.pk)
            cycle = catalogue.cycle_through(graph, module.pk, required)
            if cycle is not None:
                titles = dict(Module.objects.filter(pk__in=cycle).values_list("pk", "title"))
                titles[module.pk] = module.title
                form.add_error(
                    "required_module",
                    "Ce prérequis ferait une boucle : "
                    f"{catalogue.describe_cycle(cycle, titles)}. Chaque flèche se lit « demande "
                    "d'avoir suivi ». Retirez l'un de ces prérequis.",
                )
                required.pop()

    def lines(self) -> list[str]:
        """The prerequisites as they will be saved, in words, for the module's history."""
        words = []
        for form in self.kept_forms():
            data = form.cleaned_data
            if data.get("required_module") is not None:
                words.append(f"module « {data['required_module'].title} »")
            else:
                words.append(f"{data['competence'].code} niveau {data['min_level']} au moins")
        return sorted(words)


PrerequisiteFormSet = forms.inlineformset_factory(
    Module,
    ModulePrerequisite,
    fk_name="module",
    form=PrerequisiteForm,
    formset=PrerequisiteFormSetBase,
    fields=["required_module", "competence", "min_level"],
    extra=3,
    can_delete=True,
    can_delete_extra=False,
)
