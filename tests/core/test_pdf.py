import copy
import io
import shutil
import subprocess

import pytest
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.base import ContentFile
from PIL import Image

from tremplin.core.pdf import LocalFetcher, render_pdf
from tremplin.organisation.models import Collectivite

SITE = "https://tremplin.ville-exemple.fr/"
LETTER = """{% extends "core/pdf/base.html" %}
{% block title %}Convocation{% endblock %}
{% block content %}
{% for name in names %}
<article class="letter">
  {% include "core/pdf/_letterhead.html" with office="Service formation" %}
  <h1>Votre formation</h1>
  <p>Bonjour {{ name }},</p>
  <p>Rendez-vous à l'école Léo-Lagrange, bâtiment Œ, à 9 h.</p>
</article>
{% endfor %}
{% endblock %}
"""


@pytest.fixture
def letter_template(settings, tmp_path):
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "test_letter.html").write_text(LETTER, encoding="utf-8")
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [folder]
    settings.TEMPLATES = templates
    return "test_letter.html"


def poppler(tool: str, *args: str, pdf: bytes) -> str:
    """Runs one of Debian's poppler-utils on the PDF; skips the test when it is missing."""
    path = shutil.which(tool)
    if path is None:
        pytest.skip(f"{tool} (Debian's poppler-utils) is not installed: cannot read the PDF back")
    done = subprocess.run(  # noqa: S603 - a fixed program, our own bytes on stdin
        [path, *args], input=pdf, capture_output=True, check=True
    )
    return done.stdout.decode("utf-8")


def png_logo() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (120, 60), "#7a1f5c").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.django_db
def test_a_letter_renders_to_pdf_with_branding_and_french_text(letter_template):
    Collectivite.objects.create(name="Ville d'Évreux-sur-Mer", primary_color="#7a1f5c")

    pdf = render_pdf(letter_template, {"names": ["Zoé Lefèvre", "Jérôme Müller"]}, base_url=SITE)

    assert pdf.startswith(b"%PDF-")
    text = poppler("pdftotext", "-enc", "UTF-8", "-", "-", pdf=pdf)
    assert "Bonjour Zoé Lefèvre," in text
    assert "Bonjour Jérôme Müller," in text
    assert "Rendez-vous à l'école Léo-Lagrange, bâtiment Œ, à 9 h." in text
    assert "Ville d'Évreux-sur-Mer" in text
    assert "Service formation" in text
    # One letter per sheet: the second starts on page 2.
    pages = text.split("\f")
    assert "Zoé" in pages[0] and "Jérôme" not in pages[0]
    assert "Jérôme" in pages[1]


@pytest.mark.django_db
def test_the_uploaded_logo_is_read_from_disk(letter_template):
    collectivite = Collectivite(name="Ville d'Évreux-sur-Mer")
    collectivite.logo.save("logo.png", ContentFile(png_logo()), save=False)
    collectivite.save()

    pdf = render_pdf(letter_template, {"names": ["Zoé"]}, base_url=SITE)

    rows = poppler("pdfimages", "-list", "-", pdf=pdf).splitlines()[2:]
    assert [row.split()[3:5] for row in rows] == [["120", "60"]]


def test_the_fetcher_reads_static_and_media_files_and_nothing_else(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "branding").mkdir()
    (tmp_path / "branding" / "logo.png").write_bytes(png_logo())
    fetcher = LocalFetcher(SITE)

    logo = fetcher.fetch(SITE + "media/branding/logo.png")
    assert logo.read() == png_logo()
    assert logo.content_type == "image/png"
    css = fetcher.fetch(SITE + "static/core/tremplin.css")
    assert b"tp-" in css.read()

    for refused in [
        "https://autre-site.example.org/static/core/tremplin.css",
        "http://169.254.169.254/latest/meta-data/",
        "file:///etc/passwd",
        SITE + "admin/",
        SITE + "media/branding/absent.png",
    ]:
        with pytest.raises(ValueError):
            fetcher.fetch(refused)
    with pytest.raises(SuspiciousFileOperation):
        fetcher.fetch(SITE + "media/../../../etc/passwd")
