"""Printable documents (letters, sheets, attestations) as PDF, with WeasyPrint.

Templates extend `core/pdf/base.html`, which sets A4 pages, the collectivité's name,
logo and colour, fonts installed with the system (DejaVu, from fonts-dejavu-core) and
the print stylesheet shared by every letter (`core/pdf/print.css`).

WeasyPrint never fetches anything over the network here: the static files and the
uploaded logo that a template points to are read from disk (see `LocalFetcher`), and any
other address is refused. A worker renders without a request, a one-process dev server
would wait on itself, and a text typed by a user cannot make the server fetch a URL.
"""

from __future__ import annotations

import logging

# Set before the import, which already parses WeasyPrint's own stylesheets: it logs each
# rendering step at INFO and each CSS property it does not know at WARNING. Errors
# (a file that cannot be read) still show.
logging.getLogger("weasyprint").setLevel(logging.ERROR)

import mimetypes  # noqa: E402
from pathlib import Path  # noqa: E402
from urllib.parse import unquote, urlsplit  # noqa: E402

import weasyprint  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.staticfiles import finders  # noqa: E402
from django.template.loader import render_to_string  # noqa: E402
from django.utils._os import safe_join  # noqa: E402
from weasyprint.urls import URLFetcherResponse  # noqa: E402

from .context_processors import branding  # noqa: E402


class LocalFetcher(weasyprint.URLFetcher):
    """Serves `data:` URLs and, under `base_url`, STATIC_URL and MEDIA_URL from disk."""

    def __init__(self, base_url: str):
        super().__init__()
        self._origin = urlsplit(base_url)[:2]

    def _local_path(self, url: str) -> Path | None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or parts[:2] != self._origin:
            return None
        path = unquote(parts.path)
        static_url = urlsplit(settings.STATIC_URL).path
        media_url = urlsplit(settings.MEDIA_URL).path
        if static_url and path.startswith(static_url):
            found = finders.find(path.removeprefix(static_url))
            if found:
                return Path(found)
            if settings.STATIC_ROOT:
                return Path(safe_join(settings.STATIC_ROOT, path.removeprefix(static_url)))
        if media_url and path.startswith(media_url):
            return Path(safe_join(settings.MEDIA_ROOT, path.removeprefix(media_url)))
        return None

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        path = self._local_path(url)
        if path is None or not path.is_file():
            raise ValueError("PDF: only local static and media files may be used")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})


def render_pdf(template_name: str, context: dict | None = None, *, base_url: str) -> bytes:
    """The template rendered to an A4 PDF (tagged, for screen readers).

    `base_url` is the site's address (`request.build_absolute_uri("/")`, or the public
    address in a background task): relative links in the document resolve against it,
    and static and media files under it are read from disk. The context gets
    `branding` (name, short_name, logo_url, primary) unless it brings its own."""
    html = render_to_string(template_name, {**branding(None), **(context or {})})
    document = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=LocalFetcher(base_url))
    return document.write_pdf(pdf_tags=True)
