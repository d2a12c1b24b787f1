"""The outbox: emails are stored with the change that causes them, then sent by a
background task that retries, so that none is lost while the SMTP server is down.

    with transaction.atomic():
        registration.save()
        queue_email(to=agent.email, subject=..., body=..., kind="convocation",
                    related_label=f"planning.registration:{registration.pk}",
                    attachments=[Attachment.ics(ics_bytes), Attachment.pdf(pdf, "convocation.pdf")])

`queue_email` writes the message in the caller's transaction and, once it commits,
enqueues `send_outbox`; a rolled-back registration leaves no email behind. The task
sends every message whose time has come over one SMTP connection. A failed attempt
waits 1 min, 5 min, 30 min, 2 h, then 12 h before the next; after the sixth the
message is marked failed and stays visible in the admin. The `send_outbox`
management command does the same from cron, as a safety net for a stopped worker.

Messages are claimed before being sent (attempts + 1 and the next attempt pushed
`CLAIM` ahead, in one short transaction), so two workers never send the same message,
and a worker that dies mid-send leaves it to be retried once the claim expires.
Delivery is therefore at least once: a crash between the SMTP server's "OK" and the
status update can send a message twice, never zero times.

Logs carry ids, kinds, labels and exception types, never an address or a subject.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from email import encoders
from email.mime.base import MIMEBase

from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F, Min
from django.utils import timezone
from django_tasks import task

from .models import OutboxMessage, OutboxStatus

logger = logging.getLogger(__name__)

# Wait before attempt n + 1 after attempt n failed; one more attempt than delays.
RETRY_DELAYS = (
    dt.timedelta(minutes=1),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=30),
    dt.timedelta(hours=2),
    dt.timedelta(hours=12),
)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
# How long a claimed message is left to the worker sending it.
CLAIM = dt.timedelta(minutes=15)
BATCH_SIZE = 100
# Seconds to wait for the SMTP server when settings.EMAIL_TIMEOUT is not set: without
# a limit a server that accepts the connection and then says nothing blocks the worker.
DEFAULT_SMTP_TIMEOUT = 30

CALENDAR_TYPE = "text/calendar"
_METHOD = re.compile(rb"^METHOD:([A-Za-z-]+)\r?$", re.MULTILINE)


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    content_type: str = "application/octet-stream"

    @classmethod
    def ics(cls, content: bytes, filename: str = "convocation.ics") -> Attachment:
        """A calendar file from tremplin.core.ics: also offered inline, so that mail
        clients show it as an invitation with its buttons (see `_email`)."""
        return cls(filename, content, CALENDAR_TYPE)

    @classmethod
    def pdf(cls, content: bytes, filename: str) -> Attachment:
        return cls(filename, content, "application/pdf")

    def as_json(self) -> dict:
        return {
            "filename": self.filename,
            "content_type": self.content_type,
            "base64": base64.b64encode(self.content).decode("ascii"),
        }

    @classmethod
    def from_json(cls, data: dict) -> Attachment:
        return cls(data["filename"], base64.b64decode(data["base64"]), data["content_type"])


def attachments_of(message: OutboxMessage) -> list[Attachment]:
    return [Attachment.from_json(item) for item in message.attachments]


def queue_email(
    *,
    to: str,
    subject: str,
    body: str,
    kind: str,
    html: str = "",
    attachments: Sequence[Attachment] = (),
    related_label: str = "",
) -> OutboxMessage:
    """Stores one email for one recipient and has it sent once the current transaction
    commits (at once outside a transaction). Call it inside the transaction that makes
    the change the email tells about.

    `kind` names the sort of message ("convocation", "rappel", "annulation"…) and
    `related_label` what it is about, as "app.model:pk": both appear in logs, so
    neither may hold a name or an address. Raises ValidationError for an address that
    cannot receive mail."""
    to = to.strip()
    validate_email(to)
    if "\n" in subject or "\r" in subject:
        raise ValidationError("L'objet d'un courriel tient sur une ligne.")
    message = OutboxMessage.objects.create(
        to=to,
        subject=subject[:255],
        body=body,
        html=html,
        attachments=[attachment.as_json() for attachment in attachments],
        kind=kind[:50],
        related_label=related_label[:100],
    )
    _send_after_commit()
    return message


def _enqueue_sending() -> None:
    try:
        send_outbox.enqueue()
    except Exception as exc:
        # The messages are stored: the next run of the task or of the command sends them.
        logger.error("outbox: could not enqueue send_outbox: %s", type(exc).__name__)


def _send_after_commit() -> None:
    """One task per transaction, however many messages it queued (a session's 200
    convocations), hence the look at the callbacks already registered."""
    connection = transaction.get_connection()
    pending_callbacks = getattr(connection, "run_on_commit", None) or []
    if connection.in_atomic_block and any(
        callback is _enqueue_sending for _sids, callback, *_rest in pending_callbacks
    ):
        return
    transaction.on_commit(_enqueue_sending)


@dataclass
class SendReport:
    sent: list[int] = field(default_factory=list)
    retried: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"sent": len(self.sent), "retried": len(self.retried), "failed": len(self.failed)}


def _claim(now: dt.datetime, limit: int) -> list[OutboxMessage]:
    with transaction.atomic():
        ids = list(
            OutboxMessage.objects.due(now)
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)[:limit]
        )
        if not ids:
            return []
        OutboxMessage.objects.filter(pk__in=ids).update(
            attempts=F("attempts") + 1, next_attempt_at=now + CLAIM
        )
    return list(OutboxMessage.objects.filter(pk__in=ids).order_by("next_attempt_at", "pk"))


def _filename_param(filename: str):
    try:
        filename.encode("ascii")
    except UnicodeEncodeError:
        return ("utf-8", "", filename)
    return filename


def _email(message: OutboxMessage, connection) -> mail.EmailMultiAlternatives:
    """The MIME layout Google Calendar itself sends: text, HTML and the calendar as
    alternatives of one another (Outlook and Gmail then show the invitation with its
    buttons), and the same calendar again as an `application/ics` attachment, for
    clients that only import files. Attachments are base64, so they arrive byte for byte."""
    email = mail.EmailMultiAlternatives(
        subject=message.subject,
        body=message.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.to],
        connection=connection,
    )
    if message.html:
        email.attach_alternative(message.html, "text/html")
    for attachment in attachments_of(message):
        content_type = attachment.content_type.split(";")[0].strip().lower()
        if content_type == CALENDAR_TYPE:
            found = _METHOD.search(attachment.content)
            method = found.group(1).decode("ascii").upper() if found else "PUBLISH"
            email.attach_alternative(
                attachment.content.decode("utf-8"), f"{CALENDAR_TYPE}; method={method}"
            )
            part = MIMEBase("application", "ics", name=_filename_param(attachment.filename))
        else:
            maintype, _, subtype = content_type.partition("/")
            part = MIMEBase(maintype or "application", subtype or "octet-stream")
        part.set_payload(attachment.content)
        encoders.encode_base64(part)
        part.add_header(
            "Content-Disposition", "attachment", filename=_filename_param(attachment.filename)
        )
        email.attach(part)
    return email


def _record_success(message: OutboxMessage, report: SendReport) -> None:
    now = timezone.now()
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxStatus.SENT, sent_at=now, last_error="", next_attempt_at=now
    )
    report.sent.append(message.pk)


def _record_failure(message: OutboxMessage, error: BaseException, report: SendReport) -> None:
    error_type = type(error).__name__[:100]
    if message.attempts >= MAX_ATTEMPTS:
        OutboxMessage.objects.filter(pk=message.pk).update(
            status=OutboxStatus.FAILED, last_error=error_type
        )
        report.failed.append(message.pk)
        logger.error(
            "outbox: message %s (%s, %s) failed for good after %s attempts: %s",
            message.pk,
            message.kind,
            message.related_label or "-",
            message.attempts,
            error_type,
        )
        return
    delay = RETRY_DELAYS[max(message.attempts, 1) - 1]
    OutboxMessage.objects.filter(pk=message.pk).update(
        last_error=error_type, next_attempt_at=timezone.now() + delay
    )
    report.retried.append(message.pk)
    logger.warning(
        "outbox: message %s (%s) attempt %s failed (%s), next in %s",
        message.pk,
        message.kind,
        message.attempts,
        error_type,
        delay,
    )


class NothingSent(Exception):
    """The backend returned without error but said it sent nothing."""


def _close_quietly(connection) -> None:
    # A dead connection cannot be closed cleanly; the next message opens a new one.
    with contextlib.suppress(Exception):
        connection.close()


def _send_batch(messages: Iterable[OutboxMessage], connection, report: SendReport) -> bool:
    """Sends the claimed messages; False when the server cannot be reached, in which case
    every message left counts a failed attempt and the run stops."""
    messages = list(messages)
    for position, message in enumerate(messages):
        try:
            connection.open()
        except Exception as exc:
            for left in messages[position:]:
                _record_failure(left, exc, report)
            return False
        try:
            if connection.send_messages([_email(message, connection)]) != 1:
                raise NothingSent
        except Exception as exc:
            _record_failure(message, exc, report)
            # The server may have dropped the connection: the next message reopens one.
            _close_quietly(connection)
        else:
            _record_success(message, report)
    return True


def send_due(*, batch_size: int = BATCH_SIZE) -> SendReport:
    """Sends every pending message whose time has come, over one SMTP connection."""
    report = SendReport()
    connection = mail.get_connection(
        fail_silently=False,
        timeout=getattr(settings, "EMAIL_TIMEOUT", None) or DEFAULT_SMTP_TIMEOUT,
    )
    try:
        while messages := _claim(timezone.now(), batch_size):
            if not _send_batch(messages, connection, report):
                break
    finally:
        _close_quietly(connection)
    if report.sent or report.retried or report.failed:
        logger.info(
            "outbox: %s sent, %s to retry, %s failed",
            len(report.sent),
            len(report.retried),
            len(report.failed),
        )
    return report


def next_attempt_at() -> dt.datetime | None:
    return OutboxMessage.objects.filter(status=OutboxStatus.PENDING).aggregate(
        at=Min("next_attempt_at")
    )["at"]


def purge_sent(now: dt.datetime | None = None) -> int:
    """Deletes the messages sent more than TREMPLIN_OUTBOX_RETENTION_DAYS ago: their
    bodies hold names, addresses and dates the register of processing does not keep.
    Failed messages stay until someone looks at them."""
    now = now or timezone.now()
    limit = now - dt.timedelta(days=settings.TREMPLIN_OUTBOX_RETENTION_DAYS)
    deleted, _ = OutboxMessage.objects.filter(status=OutboxStatus.SENT, sent_at__lt=limit).delete()
    if deleted:
        logger.info("outbox: %s sent message(s) past retention deleted", deleted)
    return deleted


@task()
def send_outbox() -> dict:
    """Sends the messages whose time has come. A run that had to postpone some enqueues
    the next run for when the first of them is due (on backends that can defer a task;
    elsewhere the cron command does it). Runs that postponed nothing schedule nothing,
    so retries form one chain, not one per message queued."""
    report = send_due()
    backend = send_outbox.get_backend()
    if report.retried and backend.supports_defer:
        when = next_attempt_at()
        if when is not None:
            send_outbox.using(run_after=when).enqueue()
    return report.as_dict()
