"""Forms of the registration pages: cancelling a session, registering several agents."""

from django import forms

from tremplin.core.forms import AccessibleFormMixin


class CancelSessionForm(AccessibleFormMixin, forms.Form):
    reason = forms.CharField(
        label="Pourquoi la séance est annulée",
        max_length=200,
        help_text="Les agents liront ce motif dans leur courriel ou leur courrier.",
        widget=forms.TextInput(attrs={"placeholder": "Formateur malade, salle indisponible…"}),
    )


class AgentChoiceForm(AccessibleFormMixin, forms.Form):
    """Several agents at once: the candidates are given by the view (its scope)."""

    agents = forms.ModelMultipleChoiceField(
        label="Agents à inscrire",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Cochez au moins un agent."},
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agents"].queryset = candidates
        self.fields["agents"].widget.attrs["class"] = "form-check-input"
