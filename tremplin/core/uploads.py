"""Uploaded files kept between the steps of an import's pages (upload → preview →
confirm → background task).

The file holds personal data: it lives in a private folder under a random name, only as
long as the import needs it (deleted once applied or cancelled, or after 24 h).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import secrets
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings

UPLOAD_FOLDER = "imports"
UPLOAD_LIFETIME = dt.timedelta(hours=24)
TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{32}")


def _upload_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / UPLOAD_FOLDER


def _upload_path(token: str) -> Path | None:
    if not isinstance(token, str) or not TOKEN_RE.fullmatch(token):
        return None
    return _upload_dir() / f"{token}.upload"


def store_upload(chunks: Iterable[bytes]) -> str:
    """Writes the chunks to a new private file; returns its token."""
    folder = _upload_dir()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    token = secrets.token_urlsafe(24)
    fd = os.open(_upload_path(token), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        for chunk in chunks:
            handle.write(chunk)
    return token


def _live_upload(token: str) -> Path | None:
    path = _upload_path(token)
    if path is None or not path.is_file():
        return None
    if dt.datetime.now().timestamp() - path.stat().st_mtime > UPLOAD_LIFETIME.total_seconds():
        path.unlink(missing_ok=True)
        return None
    return path


def upload_exists(token: str) -> bool:
    return _live_upload(token) is not None


def read_upload(token: str) -> bytes | None:
    path = _live_upload(token)
    return path.read_bytes() if path is not None else None


def delete_upload(token: str) -> None:
    path = _upload_path(token)
    if path is not None:
        path.unlink(missing_ok=True)


def purge_stale_uploads() -> int:
    """Deletes the files left by imports started more than 24 h ago."""
    folder = _upload_dir()
    if not folder.is_dir():
        return 0
    limit = dt.datetime.now().timestamp() - UPLOAD_LIFETIME.total_seconds()
    removed = 0
    for path in folder.glob("*.upload"):
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
                removed += 1
        except FileNotFoundError:
            continue
    return removed


def too_big_message(size: int, limit: int, split_hint: str = "") -> str:
    """`split_hint` says how to cut the file, e.g. ", un par employeur"."""
    mb = 1024 * 1024
    return (
        f"Le fichier pèse {size / mb:.0f} Mo : c'est plus que la limite de {limit / mb:.0f} Mo. "
        f"Vérifiez que c'est le bon fichier, ou découpez-le en plusieurs fichiers{split_hint}."
    )
