from django import forms
from django.contrib.auth.forms import AuthenticationForm

from tremplin.core.forms import AccessibleFormMixin


class LoginForm(AccessibleFormMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": "Identifiant ou mot de passe incorrect. Vérifiez et recommencez.",
        "inactive": "Ce compte est désactivé. Contactez le service des ressources humaines.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Identifiant ou matricule"
        self.fields["password"].label = "Mot de passe ou code personnel"
        self.fields[
            "password"
        ].help_text = "Le code personnel est écrit sur votre courrier, par exemple KX7-P9Q-3TM."
        self.fields["username"].widget.attrs.update(
            {"autocomplete": "username", "autocapitalize": "none"}
        )


class KioskCodeForm(AccessibleFormMixin, forms.Form):
    code = forms.CharField(
        label="Code donné par le conseiller",
        max_length=7,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "class": "tp-code"}
        ),
    )

    def clean_code(self):
        code = "".join(c for c in self.cleaned_data["code"] if c.isdigit())
        if len(code) != 6:
            raise forms.ValidationError("Le code a 6 chiffres.")
        return code


class KioskOpenForm(AccessibleFormMixin, forms.Form):
    agent = forms.IntegerField(widget=forms.HiddenInput)
