from django import forms
from django.test.html import parse_html

from tremplin.core.forms import AccessibleFormMixin, FastSelect


class Form(AccessibleFormMixin, forms.Form):
    colour = forms.ChoiceField(
        label="Couleur",
        choices=[("", "Toutes"), ("r", "Rouge & rose"), ("Bleus", [("b", "Bleu"), ("c", "Cyan")])],
    )


def test_fast_select_renders_what_django_renders():
    form = Form({"colour": "c"})
    fast = str(form["colour"])
    field = form.fields["colour"]
    assert isinstance(field.widget, FastSelect)
    field.widget.__class__ = forms.Select
    django = str(form["colour"])
    assert parse_html(fast) == parse_html(django)
    assert "Rouge &amp; rose" in fast and 'value="c" selected' in fast


def test_invalid_field_points_at_its_error():
    form = Form({"colour": "z"})
    assert not form.is_valid()
    html = str(form["colour"])
    assert 'aria-invalid="true"' in html and 'aria-describedby="id_colour-erreur"' in html
