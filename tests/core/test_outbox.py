import datetime as dt
import email
import email.policy
import io
import smtplib
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_tasks import task_backends

from tremplin.core import ics, outbox
from tremplin.core.models import AuditEntry, OutboxMessage, OutboxStatus

ADDRESS = "zoe.lefevre@ville-exemple.fr"
# Bytes a text conversion would damage: CRLF, a lone LF, NUL, high bytes.
PDF_BYTES = b"%PDF-1.7\r\n%\xe2\xe3\xcf\xd3\n" + bytes(range(256)) + b"\r\n%%EOF\n"

# What each fake SMTP backend saw, reset by the autouse fixture.
SMTP_LOG = {"opened": 0}


class CountingBackend(LocmemBackend):
    """The locmem backend, counting the connections opened as the SMTP backend opens
    them: once, until closed."""

    connected = False

    def open(self):
        if self.connected:
            return False
        self.connected = True
        SMTP_LOG["opened"] += 1
        return True

    def close(self):
        self.connected = False


class DownBackend(LocmemBackend):
    """An SMTP server that cannot be reached."""

    def open(self):
        raise ConnectionRefusedError(111, "Connection refused")


class RefusingBackend(LocmemBackend):
    """A server that refuses one address and quotes it in its error, as servers do."""

    def send_messages(self, messages):
        for message in messages:
            if "refuse" in message.to[0]:
                raise smtplib.SMTPRecipientsRefused({message.to[0]: (550, b"unknown user")})
        return super().send_messages(messages)


class DroppingBackend(CountingBackend):
    """A server that drops the connection during the first message, then is fine. As
    with Django's SMTP backend, the dropped connection still looks open, and every send
    on it fails, until it is closed."""

    dropped_once = False
    dead = False

    def send_messages(self, messages):
        if self.dead:
            raise smtplib.SMTPServerDisconnected("please run connect() first")
        if not DroppingBackend.dropped_once:
            DroppingBackend.dropped_once = self.dead = True
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)

    def close(self):
        super().close()
        self.dead = False


@pytest.fixture(autouse=True)
def _reset_smtp_log():
    DroppingBackend.dropped_once = False
    SMTP_LOG["opened"] = 0


def ics_bytes(sequence=0) -> bytes:
    paris = ZoneInfo("Europe/Paris")
    return ics.request_ics(
        ics.Invitation(
            uid=ics.session_uid(1, 2, "formation@ville-exemple.fr"),
            sequence=sequence,
            start=dt.datetime(2026, 3, 16, 9, tzinfo=paris),
            end=dt.datetime(2026, 3, 16, 12, tzinfo=paris),
            summary="Fresque du Climat",
            organizer_email="formation@ville-exemple.fr",
            attendee_email=ADDRESS,
        )
    )


def queue(to=ADDRESS, **kwargs) -> OutboxMessage:
    values = {
        "subject": "Votre formation du 16 mars",
        "body": "Bonjour,\nVous êtes inscrite à la Fresque du Climat.",
        "kind": "convocation",
        "related_label": "planning.registration:7",
    }
    return outbox.queue_email(to=to, **{**values, **kwargs})


def make_due(*messages):
    OutboxMessage.objects.filter(pk__in=[m.pk for m in messages]).update(
        next_attempt_at=timezone.now()
    )


@pytest.mark.django_db
def test_the_email_leaves_once_the_transaction_commits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        message = queue()
        assert mail.outbox == []  # nothing leaves before the change is committed

    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT
    assert message.sent_at is not None
    assert message.attempts == 1
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == [ADDRESS]
    assert sent.subject == "Votre formation du 16 mars"
    assert "Fresque du Climat" in sent.body


@pytest.mark.django_db
def test_a_rolled_back_change_leaves_no_email(django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        queue()
        raise RuntimeError("the registration failed")
    assert callbacks == []
    assert not OutboxMessage.objects.exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_many_messages_in_one_transaction_go_out_in_one_run_over_one_connection(
    settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.core.test_outbox.CountingBackend"
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        for n in range(5):
            queue(to=f"agent{n}@ville-exemple.fr")
    assert len(callbacks) == 1
    assert SMTP_LOG["opened"] == 1
    assert sorted(m.to[0] for m in mail.outbox) == [f"agent{n}@ville-exemple.fr" for n in range(5)]
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {OutboxStatus.SENT}


@pytest.mark.django_db
def test_server_down_keeps_the_message_for_later_without_logging_the_address(
    settings, caplog, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.core.test_outbox.DownBackend"
    with django_capture_on_commit_callbacks(execute=True):
        message = queue()
    message.refresh_from_db()

    assert message.status == OutboxStatus.PENDING
    assert message.attempts == 1
    assert message.last_error == "ConnectionRefusedError"
    assert message.next_attempt_at > timezone.now()
    assert mail.outbox == []
    assert ADDRESS not in caplog.text

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert outbox.send_due().sent == []  # not due yet
    make_due(message)
    assert outbox.send_due().sent == [message.pk]
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxStatus.SENT, 2)
    assert [m.to for m in mail.outbox] == [[ADDRESS]]


@pytest.mark.django_db
def test_retries_back_off_then_give_up_and_nothing_is_lost(settings, caplog):
    settings.EMAIL_BACKEND = "tests.core.test_outbox.DownBackend"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    message = queue()
    waits = []
    for _attempt in range(outbox.MAX_ATTEMPTS - 1):
        make_due(message)
        before = timezone.now()
        report = outbox.send_due()
        after = timezone.now()
        message.refresh_from_db()
        assert report.retried == [message.pk]
        assert message.status == OutboxStatus.PENDING
        waits.append((message.next_attempt_at - before, message.next_attempt_at - after))
    for (longest, shortest), delay in zip(waits, outbox.RETRY_DELAYS, strict=True):
        assert shortest <= delay <= longest

    make_due(message)
    assert outbox.send_due().failed == [message.pk]
    message.refresh_from_db()
    assert message.status == OutboxStatus.FAILED
    assert message.attempts == outbox.MAX_ATTEMPTS == 6
    assert message.last_error == "ConnectionRefusedError"
    assert ADDRESS not in caplog.text

    # Given up on, not lost: once the server is back, the operator puts it back in the queue.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert outbox.send_due().sent == []
    call_command("send_outbox", "--retry-failed", "--wet-run", stdout=io.StringIO())
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT
    assert [m.to for m in mail.outbox] == [[ADDRESS]]
    assert AuditEntry.objects.filter(target_type="core.outboxmessage").exists()


@pytest.mark.django_db
def test_a_refused_address_does_not_stop_the_others(settings, caplog):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    settings.EMAIL_BACKEND = "tests.core.test_outbox.RefusingBackend"
    refused = queue(to="refuse.moi@ville-exemple.fr")
    fine = queue()

    report = outbox.send_due()

    assert (report.sent, report.retried) == ([fine.pk], [refused.pk])
    refused.refresh_from_db()
    assert refused.last_error == "SMTPRecipientsRefused"
    assert "refuse.moi" not in caplog.text
    assert [m.to for m in mail.outbox] == [[ADDRESS]]


@pytest.mark.django_db
def test_a_dropped_connection_is_reopened_for_the_next_message(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    settings.EMAIL_BACKEND = "tests.core.test_outbox.DroppingBackend"
    first = queue(to="premier@ville-exemple.fr")
    second = queue()

    report = outbox.send_due()

    assert (report.retried, report.sent) == ([first.pk], [second.pk])
    assert SMTP_LOG["opened"] == 2
    first.refresh_from_db()
    assert first.last_error == "SMTPServerDisconnected"
    assert [m.to for m in mail.outbox] == [[ADDRESS]]


@pytest.mark.django_db
def test_the_task_schedules_its_next_run_when_it_had_to_postpone(
    settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    backend = task_backends["default"]
    settings.EMAIL_BACKEND = "tests.core.test_outbox.DownBackend"
    with django_capture_on_commit_callbacks(execute=True):
        message = queue()
    assert len(backend.results) == 1

    result = outbox.send_outbox.call()

    message.refresh_from_db()
    assert result == {"sent": 0, "retried": 1, "failed": 0}
    assert len(backend.results) == 2
    assert backend.results[-1].task.run_after == message.next_attempt_at

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    make_due(message)
    assert outbox.send_outbox.call() == {"sent": 1, "retried": 0, "failed": 0}
    assert len(backend.results) == 2  # nothing left: no run scheduled


@pytest.mark.django_db
def test_a_claimed_message_is_not_sent_twice(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    message = queue()
    claimed = outbox._claim(timezone.now(), 10)  # another worker is sending it
    assert [m.pk for m in claimed] == [message.pk]
    assert outbox.send_due().sent == []
    assert mail.outbox == []


@pytest.mark.django_db
def test_invitation_and_letter_arrive_intact(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    invitation = ics_bytes(sequence=3)
    queue(
        html="<p>Bonjour,</p><p>Vous êtes inscrite.</p>",
        attachments=[
            outbox.Attachment.ics(invitation),
            outbox.Attachment.pdf(PDF_BYTES, "convocation-zoé.pdf"),
        ],
    )
    assert outbox.send_due().sent

    # What an SMTP server would receive, parsed as a mail client would.
    raw = mail.outbox[0].message().as_bytes(linesep="\r\n")
    received = email.message_from_bytes(raw, policy=email.policy.default)
    assert received["To"] == ADDRESS
    files = {
        part.get_filename(): (part.get_content_type(), part.get_payload(decode=True))
        for part in received.iter_attachments()
    }
    assert files == {
        "convocation.ics": ("application/ics", invitation),
        "convocation-zoé.pdf": ("application/pdf", PDF_BYTES),
    }
    body = received.get_body(preferencelist=("plain",))
    assert "Fresque du Climat" in body.get_content()
    assert "Vous êtes inscrite." in received.get_body(preferencelist=("html",)).get_content()
    # The invitation is also an alternative of the text: clients show its buttons.
    inline = next(p for p in received.walk() if p.get_content_type() == "text/calendar")
    assert inline.get_param("method") == "REQUEST"
    assert inline.get_payload(decode=True).replace(b"\r\n", b"\n") == invitation.replace(
        b"\r\n", b"\n"
    )


@pytest.mark.django_db
def test_a_bad_address_is_refused_and_nothing_is_stored():
    with pytest.raises(ValidationError):
        queue(to="pas-une-adresse")
    assert not OutboxMessage.objects.exists()


@pytest.mark.django_db
def test_the_command_sends_only_with_wet_run(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    message = queue()
    out = io.StringIO()
    call_command("send_outbox", stdout=out)
    assert "1 courriel(s) à envoyer maintenant" in out.getvalue()
    assert mail.outbox == []

    call_command("send_outbox", "--wet-run", stdout=io.StringIO())
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_admin_lists_messages_without_letting_anyone_edit_them(admin_client, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    message = queue(attachments=[outbox.Attachment.ics(ics_bytes())])
    response = admin_client.get("/admin/core/outboxmessage/")
    assert response.status_code == 200
    assert "planning.registration:7" in response.text
    detail = admin_client.get(f"/admin/core/outboxmessage/{message.pk}/change/")
    assert detail.status_code == 200
    assert "convocation.ics" in detail.text
    assert "Enregistrer" not in detail.text
    assert admin_client.get("/admin/core/outboxmessage/add/").status_code == 403
    assert admin_client.post(f"/admin/core/outboxmessage/{message.pk}/delete/").status_code == 403


@pytest.mark.django_db
def test_sent_messages_are_deleted_after_the_retention_period(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    settings.TREMPLIN_OUTBOX_RETENTION_DAYS = 90
    old, recent, failed = queue(), queue(), queue()
    now = timezone.now()
    OutboxMessage.objects.filter(pk=old.pk).update(
        status=OutboxStatus.SENT, sent_at=now - dt.timedelta(days=91)
    )
    OutboxMessage.objects.filter(pk=recent.pk).update(
        status=OutboxStatus.SENT, sent_at=now - dt.timedelta(days=89)
    )
    OutboxMessage.objects.filter(pk=failed.pk).update(status=OutboxStatus.FAILED)
    out = io.StringIO()
    call_command("send_outbox", "--wet-run", stdout=out)
    assert "1 courriel(s) envoyé(s) il y a plus de 90 jours effacé(s)." in out.getvalue()
    assert set(OutboxMessage.objects.values_list("pk", flat=True)) == {recent.pk, failed.pk}
