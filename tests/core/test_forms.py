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


def test_help_text_and_error_ids_exist_on_the_page():
    from django.template.loader import render_to_string

    class HelpForm(AccessibleFormMixin, forms.Form):
        code = forms.CharField(label="Code", help_text="Six chiffres.")

    form = HelpForm({"code": ""})
    form.is_valid()
    html = render_to_string("core/_field.html", {"field": form["code"]})
    assert 'aria-describedby="id_code-erreur id_code_helptext"' in html
    assert 'id="id_code-erreur"' in html and 'id="id_code_helptext"' in html


def test_shared_templates_leak_no_comment_text():
    """Django's {# #} comments are one line only: a longer one is printed on the page."""
    from pathlib import Path

    import tremplin

    for path in Path(tremplin.__file__).parent.rglob("templates/**/*.html"):
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if "{#" in line:
                assert "#}" in line, f"{path}:{number}"


def test_an_error_added_after_validation_is_tied_to_its_field_too():
    # Views add errors after is_valid() (a file refused by the import): the field must
    # still point screen readers at the message core/_field.html writes (<id>-erreur).
    form = Form({"colour": "c"})
    assert form.is_valid()
    form.add_error("colour", "Ce fichier ne vient pas de Pix Orga.")
    html = str(form["colour"])
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_colour-erreur"' in html
    assert html.count("is-invalid") == 1
