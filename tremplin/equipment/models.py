"""Equipment: the devices handed to agents (or shared on a site), who holds them, their
repairs and their end of life, and the footprint reference table.

Every state change goes through a domain method (`device.allocate`, `allocation.close`,
`device.send_to_repair`, `repair.close`, `device.retire`, `device.extend_life`): each one
checks its rules first and raises a ValidationError in French (keyed by the form field
it concerns) before writing anything, then writes in one transaction with the device row
locked, so that two HR officers cannot hand the same phone to two agents.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone

from tremplin.core.audit import audited

from .charter import CHARTER_VERSION
from .enums import (
    AVAILABLE_STATES,
    Condition,
    DeviceKind,
    DeviceState,
    NeedPriority,
    NeedReason,
    NeedStatus,
    RepairOutcome,
)

# A device whose expected end of life falls within this many days is "due for renewal":
# HR sees it first to repair or extend it rather than replace it.
RENEWAL_WINDOW_DAYS = 90
DAYS_PER_YEAR = Decimal("365.25")
# A device retired within weeks would show an absurd yearly figure: its manufacturing is
# spread over three months at least.
MIN_LIFE_YEARS = Decimal("0.25")


def french_date(day: dt.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def imei_is_valid(imei: str) -> bool:
    """15 digits whose last one is the Luhn check digit (3GPP TS 23.003)."""
    if len(imei) != 15 or not imei.isdigit():
        return False
    total = 0
    for position, char in enumerate(reversed(imei)):
        digit = int(char)
        if position % 2:
            digit *= 2
            digit = digit - 9 if digit > 9 else digit
        total += digit
    return total % 10 == 0


SIGNATURE_PREFIX = "data:image/png;base64,"
MAX_SIGNATURE_BYTES = 300_000


def signature_is_valid(data_url: str) -> bool:
    """A PNG drawn on the tablet, sent as a data: URL, small enough to keep in the row."""
    if not data_url.startswith(SIGNATURE_PREFIX) or len(data_url) > MAX_SIGNATURE_BYTES:
        return False
    try:
        png = base64.b64decode(data_url[len(SIGNATURE_PREFIX) :], validate=True)
    except (binascii.Error, ValueError):
        return False
    return png.startswith(b"\x89PNG\r\n\x1a\n") and png[12:16] == b"IHDR"


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


# --- Footprint reference ------------------------------------------------------------------


@audited()
class FootprintReference(models.Model):
    """Manufacturing footprint and expected life per kind of device: public figures
    (ADEME and others, see `source`) that HR may correct."""

    kind = models.CharField(
        "type d'appareil", max_length=20, choices=DeviceKind.choices, unique=True
    )
    manufacturing_kg = models.DecimalField(
        "empreinte de fabrication (kg CO₂e)",
        max_digits=7,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.1"))],
    )
    expected_years = models.PositiveSmallIntegerField(
        "durée de vie prévue (années)", validators=[MinValueValidator(1), MaxValueValidator(15)]
    )
    source = models.TextField("source", help_text="D'où vient le chiffre, avec sa date.")
    updated_at = models.DateTimeField("mis à jour le", auto_now=True)

    class Meta:
        verbose_name = "référence d'empreinte"
        verbose_name_plural = "références d'empreinte"
        ordering = ["kind"]

    def __str__(self):
        return f"{self.get_kind_display()} : {self.manufacturing_kg} kg CO₂e"

    @classmethod
    def by_kind(cls) -> dict[str, FootprintReference]:
        return {ref.kind: ref for ref in cls.objects.all()}


# --- Devices ------------------------------------------------------------------------------


class DeviceQuerySet(models.QuerySet):
    def visible_to(self, user):
        """HR see the pool (devices nobody holds) and the devices held within their
        scope; managers the devices their team holds; an agent their own."""
        from tremplin.accounts.enums import Role
        from tremplin.accounts.scopes import NOTHING, agent_scope_q

        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_superuser or user.has_role(Role.ADMIN):
            return self.all()
        q = NOTHING
        if user.has_role(Role.HR):
            scope = agent_scope_q(user, (Role.HR,), prefix="holder__")
            if not scope:  # an unscoped HR officer: everything (Q() | x would drop it)
                return self.all()
            q |= Q(holder__isnull=True) | scope
        if user.has_role(Role.MANAGER):
            q |= Q(holder__isnull=False) & agent_scope_q(user, (Role.MANAGER,), prefix="holder__")
        if user.agent_id:
            q |= Q(holder_id=user.agent_id)
        return self.filter(q)

    def due_for_renewal(self, today: dt.date | None = None):
        today = today or timezone.localdate()
        return self.exclude(state=DeviceState.RETIRED).filter(
            expected_end_of_life__lte=today + dt.timedelta(days=RENEWAL_WINDOW_DAYS)
        )

    def held_by_departed(self, today: dt.date | None = None):
        """Devices still held by agents who have left: to get back."""
        today = today or timezone.localdate()
        return self.filter(holder__departure_date__lte=today)

    def available(self):
        return self.filter(state__in=AVAILABLE_STATES)


@audited()
class Device(models.Model):
    kind = models.CharField("type", max_length=20, choices=DeviceKind.choices)
    model_name = models.CharField("modèle", max_length=120)
    serial_number = models.CharField("numéro de série", max_length=60, blank=True)
    imei = models.CharField(
        "IMEI", max_length=15, blank=True, help_text="15 chiffres, pour un appareil avec carte SIM."
    )
    purchase_date = models.DateField("date d'achat")
    purchase_price = models.DecimalField(
        "prix d'achat (€)",
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    condition = models.CharField(
        "état physique", max_length=10, choices=Condition.choices, default=Condition.NEW
    )
    state = models.CharField(
        "situation",
        max_length=15,
        choices=DeviceState.choices,
        default=DeviceState.IN_STOCK,
        db_index=True,
    )
    site = models.ForeignKey(
        "organisation.Site",
        verbose_name="site",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="devices",
    )
    # Who holds the device now: kept by allocate() and close(), so that lists and
    # scopes are one join instead of a search among allocations.
    holder = models.ForeignKey(
        "organisation.Agent",
        verbose_name="détenteur",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="devices",
    )
    warranty_end = models.DateField("fin de garantie", null=True, blank=True)
    expected_end_of_life = models.DateField(
        "fin de vie prévue",
        null=True,
        blank=True,
        help_text="Laissée vide : date d'achat plus la durée de vie de référence du type.",
    )
    actual_end_of_life = models.DateField("fin de vie réelle", null=True, blank=True)
    notes = models.TextField("remarques", blank=True)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("mis à jour le", auto_now=True)

    objects = DeviceQuerySet.as_manager()

    class Meta:
        verbose_name = "appareil"
        verbose_name_plural = "appareils"
        ordering = ["kind", "model_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["imei"], condition=~Q(imei=""), name="device_unique_imei"
            ),
            models.UniqueConstraint(
                fields=["serial_number"],
                condition=~Q(serial_number=""),
                name="device_unique_serial",
            ),
        ]
        indexes = [models.Index(fields=["expected_end_of_life"])]

    def __str__(self):
        label = self.serial_number or self.imei or f"n° {self.pk}"
        return f"{self.get_kind_display()} {self.model_name} ({label})"

    # -- properties

    @property
    def is_available(self) -> bool:
        return self.state in AVAILABLE_STATES

    @property
    def under_warranty(self) -> bool:
        return bool(self.warranty_end and self.warranty_end >= timezone.localdate())

    def due_for_renewal(self, today: dt.date | None = None) -> bool:
        today = today or timezone.localdate()
        return (
            self.state != DeviceState.RETIRED
            and self.expected_end_of_life is not None
            and self.expected_end_of_life <= today + dt.timedelta(days=RENEWAL_WINDOW_DAYS)
        )

    def life_years(self, reference: FootprintReference | None) -> Decimal | None:
        """The life its manufacturing is spread over: actual once retired, else expected."""
        end = self.actual_end_of_life or self.expected_end_of_life
        if end is not None:
            years = Decimal((end - self.purchase_date).days) / DAYS_PER_YEAR
            return max(years, MIN_LIFE_YEARS)
        if reference is not None:
            return Decimal(reference.expected_years)
        return None

    def yearly_footprint(self, reference: FootprintReference | None) -> Decimal | None:
        """kg CO₂e of manufacturing per year of use."""
        years = self.life_years(reference)
        if reference is None or not years:
            return None
        return reference.manufacturing_kg / years

    def open_allocation(self):
        return self.allocations.filter(ends_on__isnull=True).select_related("agent", "site").first()

    # -- validation

    def clean(self):
        errors = {}
        if self.imei:
            self.imei = self.imei.replace(" ", "")
            if not imei_is_valid(self.imei):
                errors["imei"] = (
                    "IMEI mal formé : il faut 15 chiffres, le dernier étant la clé de contrôle."
                )
            elif Device.objects.filter(imei=self.imei).exclude(pk=self.pk).exists():
                errors["imei"] = f"Un autre appareil a déjà l'IMEI {self.imei}."
        if (
            self.serial_number
            and Device.objects.filter(serial_number=self.serial_number).exclude(pk=self.pk).exists()
        ):
            errors["serial_number"] = (
                f"Un autre appareil a déjà le numéro de série {self.serial_number}."
            )
        if self.purchase_date:
            if self.purchase_date > timezone.localdate():
                errors["purchase_date"] = "La date d'achat est dans le futur."
            for name, label in (
                ("warranty_end", "La fin de garantie"),
                ("expected_end_of_life", "La fin de vie prévue"),
                ("actual_end_of_life", "La fin de vie réelle"),
            ):
                value = getattr(self, name)
                if value and value < self.purchase_date:
                    errors[name] = f"{label} précède la date d'achat."
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        if self.expected_end_of_life is None and self.purchase_date:
            reference = FootprintReference.objects.filter(kind=self.kind).first()
            if reference is not None:
                self.expected_end_of_life = add_years(self.purchase_date, reference.expected_years)
        super().save(*args, **kwargs)

    # -- domain methods

    def _locked(self) -> Device:
        return Device.objects.select_for_update().get(pk=self.pk)

    def allocation_errors(
        self,
        *,
        agent=None,
        site=None,
        on: dt.date,
        charter_accepted: bool = False,
        second_device_reason: str = "",
    ) -> dict[str, str]:
        """Why this device cannot be handed over as asked ({} when it can)."""
        errors: dict[str, str] = {}
        if self.state == DeviceState.RETIRED:
            errors[NON_FIELD_ERRORS] = "Cet appareil est réformé : il ne peut plus être attribué."
            return errors
        if self.state in (DeviceState.ALLOCATED, DeviceState.SHARED):
            current = self.open_allocation()
            who = (current.agent or current.site) if current else "quelqu'un"
            since = f" depuis le {french_date(current.starts_on)}" if current else ""
            errors[NON_FIELD_ERRORS] = (
                f"Cet appareil est déjà attribué à {who}{since}. Reprenez-le d'abord."
            )
            return errors
        if self.state == DeviceState.IN_REPAIR:
            errors[NON_FIELD_ERRORS] = "Cet appareil est en réparation : attendez son retour."
            return errors
        if (agent is None) == (site is None):
            errors[NON_FIELD_ERRORS] = "Indiquez soit un agent, soit un site (pas les deux)."
            return errors
        if agent is not None and self.kind == DeviceKind.KIOSK_TABLET:
            errors["agent"] = "Une tablette partagée (kiosque) se confie à un site, pas à un agent."
        if on < self.purchase_date:
            errors["starts_on"] = (
                "L'attribution ne peut pas commencer avant l'achat de l'appareil "
                f"(acheté le {french_date(self.purchase_date)})."
            )
        last_end = (
            self.allocations.filter(ends_on__isnull=False)
            .order_by("-ends_on")
            .values_list("ends_on", flat=True)
            .first()
        )
        if last_end and on < last_end and "starts_on" not in errors:
            errors["starts_on"] = (
                f"Cet appareil a été rendu le {french_date(last_end)} : la nouvelle attribution "
                "ne peut pas commencer avant."
            )
        if agent is not None:
            if agent.departure_date and agent.departure_date <= on:
                errors["agent"] = (
                    f"Cet agent a quitté la collectivité le {french_date(agent.departure_date)}."
                )
            if not charter_accepted:
                errors["charter_accepted"] = (
                    "L'agent doit accepter la charte d'utilisation avant de recevoir l'appareil."
                )
            same_kind = (
                Allocation.objects.filter(agent=agent, ends_on__isnull=True, device__kind=self.kind)
                .select_related("device")
                .first()
            )
            if same_kind is not None and not second_device_reason.strip():
                errors["second_device_reason"] = (
                    f"Cet agent a déjà un appareil de ce type ({same_kind.device}). "
                    "Indiquez pourquoi il lui en faut un second."
                )
        return errors

    def allocate(
        self,
        *,
        agent=None,
        site=None,
        on: dt.date | None = None,
        by=None,
        charter_accepted: bool = False,
        second_device_reason: str = "",
        need: DeviceNeed | None = None,
    ) -> Allocation:
        """Hands the device to an agent (charter accepted) or to a site as a shared kiosk."""
        on = on or timezone.localdate()
        with transaction.atomic():
            device = self._locked()
            if agent is not None:
                # Two officers handing two phones to one agent at once: the second waits
                # and then sees the first one's allocation (the one-per-kind rule).
                type(agent).objects.select_for_update().filter(pk=agent.pk).first()
            errors = device.allocation_errors(
                agent=agent,
                site=site,
                on=on,
                charter_accepted=charter_accepted,
                second_device_reason=second_device_reason,
            )
            if need is not None and need.status != NeedStatus.WAITING:
                errors.setdefault(NON_FIELD_ERRORS, "Cette demande n'est plus en attente.")
            if errors:
                raise ValidationError(errors)
            allocation = Allocation.objects.create(
                device=device,
                agent=agent,
                site=site,
                starts_on=on,
                charter_accepted_at=timezone.now() if agent is not None else None,
                charter_version=CHARTER_VERSION if agent is not None else "",
                second_device_reason=second_device_reason.strip(),
                handed_over_by=by if getattr(by, "is_authenticated", False) else None,
            )
            device.state = DeviceState.SHARED if site is not None else DeviceState.ALLOCATED
            device.holder = agent
            if site is not None:
                device.site = site
            elif agent.site_id:
                device.site_id = agent.site_id
            device.save()
            if need is not None:
                need.status = NeedStatus.SERVED
                need.allocation = allocation
                need.closed_on = on
                need.save()
        self.refresh_from_db()
        return allocation

    def send_to_repair(
        self, *, problem: str, on: dt.date | None = None, by=None, provider: str = ""
    ) -> Repair:
        """Opens a repair; an agent's allocation stays open (they get their device back)."""
        on = on or timezone.localdate()
        with transaction.atomic():
            device = self._locked()
            errors = {}
            if device.state == DeviceState.RETIRED:
                errors[NON_FIELD_ERRORS] = "Cet appareil est réformé : on ne le répare plus."
            elif device.state == DeviceState.IN_REPAIR:
                current = device.repairs.filter(returned_on__isnull=True).first()
                since = f" depuis le {french_date(current.requested_on)}" if current else ""
                errors[NON_FIELD_ERRORS] = f"Cet appareil est déjà en réparation{since}."
            if not problem.strip():
                errors["problem"] = "Décrivez la panne en quelques mots."
            if on < device.purchase_date:
                errors["requested_on"] = "La demande précède la date d'achat de l'appareil."
            if errors:
                raise ValidationError(errors)
            repair = Repair.objects.create(
                device=device,
                requested_on=on,
                problem=problem.strip(),
                provider=provider.strip(),
                requested_by=by if getattr(by, "is_authenticated", False) else None,
            )
            device.state = DeviceState.IN_REPAIR
            device.save()
        self.refresh_from_db()
        return repair

    def retire(self, *, on: dt.date | None = None, by=None, note: str = "") -> None:
        """Ends the device's life (given back to the recycling channel)."""
        on = on or timezone.localdate()
        with transaction.atomic():
            device = self._locked()
            errors = device._retire_errors(on)
            if errors:
                raise ValidationError(errors)
            device._write_retired(on, note)
        self.refresh_from_db()

    def _retire_errors(self, on: dt.date) -> dict[str, str]:
        if self.state == DeviceState.RETIRED:
            return {
                NON_FIELD_ERRORS: f"Cet appareil est déjà réformé depuis le "
                f"{french_date(self.actual_end_of_life)}."
            }
        if self.state in (DeviceState.ALLOCATED, DeviceState.SHARED):
            current = self.open_allocation()
            who = (current.agent or current.site) if current else "quelqu'un"
            return {
                NON_FIELD_ERRORS: f"Cet appareil est encore attribué à {who} : reprenez-le d'abord."
            }
        if self.state == DeviceState.IN_REPAIR:
            return {NON_FIELD_ERRORS: "Clôturez d'abord la réparation en cours."}
        if on < self.purchase_date:
            return {"on": "La date de réforme précède la date d'achat."}
        return {}

    def _write_retired(self, on: dt.date, note: str = "") -> None:
        self.state = DeviceState.RETIRED
        self.actual_end_of_life = on
        if note.strip():
            self.notes = f"{self.notes}\n{note.strip()}".strip()
        self.save()

    def extend_life(self, *, years: int = 1, by=None) -> None:
        """Pushes the expected end of life back: the first answer to a renewal."""
        with transaction.atomic():
            device = self._locked()
            if device.state == DeviceState.RETIRED:
                raise ValidationError(
                    {
                        NON_FIELD_ERRORS: "Cet appareil est réformé : sa vie ne peut plus être prolongée."
                    }
                )
            start = device.expected_end_of_life or timezone.localdate()
            device.expected_end_of_life = add_years(start, years)
            device.save()
        self.refresh_from_db()


# --- Allocations --------------------------------------------------------------------------


class AllocationQuerySet(models.QuerySet):
    def open(self):
        return self.filter(ends_on__isnull=True)

    def visible_to(self, user):
        """Allocations to agents the user may see; shared (site) ones for HR."""
        from tremplin.accounts.enums import Role
        from tremplin.accounts.scopes import agent_scope_q

        if not getattr(user, "is_authenticated", False):
            return self.none()
        if user.is_superuser or user.has_role(Role.ADMIN):
            return self.all()
        q = Q(agent_id=user.agent_id) if user.agent_id else Q(pk__in=[])
        if user.has_role(Role.HR):
            scope = agent_scope_q(user, (Role.HR,), prefix="agent__")
            if not scope:
                return self.all()
            q |= Q(agent__isnull=True) | scope
        if user.has_role(Role.MANAGER):
            q |= Q(agent__isnull=False) & agent_scope_q(user, (Role.MANAGER,), prefix="agent__")
        return self.filter(q)


@audited(masked=("handover_signature", "return_signature"))
class Allocation(models.Model):
    device = models.ForeignKey(
        Device, verbose_name="appareil", on_delete=models.PROTECT, related_name="allocations"
    )
    agent = models.ForeignKey(
        "organisation.Agent",
        verbose_name="agent",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="device_allocations",
    )
    site = models.ForeignKey(
        "organisation.Site",
        verbose_name="site (appareil partagé)",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="device_allocations",
    )
    starts_on = models.DateField("remis le")
    ends_on = models.DateField("rendu le", null=True, blank=True)
    charter_accepted_at = models.DateTimeField("charte acceptée le", null=True, blank=True)
    charter_version = models.CharField("version de la charte", max_length=20, blank=True)
    second_device_reason = models.TextField("pourquoi un second appareil du même type", blank=True)
    handed_over_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="remis par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    returned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="rendu à",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    return_condition = models.CharField(
        "état au retour", max_length=10, choices=Condition.choices, blank=True
    )
    return_note = models.TextField("remarques au retour", blank=True)
    # A signature drawn on the tablet (PNG as a data: URL), for receipts not signed on
    # paper; the audit log records that it changed, never the drawing.
    handover_signature = models.TextField("signature à la remise", blank=True)
    handover_signed_at = models.DateTimeField("signé à la remise le", null=True, blank=True)
    return_signature = models.TextField("signature au retour", blank=True)
    return_signed_at = models.DateTimeField("signé au retour le", null=True, blank=True)
    created_at = models.DateTimeField("créée le", auto_now_add=True)

    objects = AllocationQuerySet.as_manager()

    class Meta:
        verbose_name = "attribution"
        verbose_name_plural = "attributions"
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(agent__isnull=False, site__isnull=True)
                | Q(agent__isnull=True, site__isnull=False),
                name="allocation_agent_or_site",
            ),
            models.UniqueConstraint(
                fields=["device"],
                condition=Q(ends_on__isnull=True),
                name="allocation_one_open_per_device",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="allocation_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.device} → {self.agent or self.site} ({french_date(self.starts_on)})"

    @property
    def is_open(self) -> bool:
        return self.ends_on is None

    @property
    def holder_label(self) -> str:
        return self.agent.full_name if self.agent_id else f"Site : {self.site}"

    @property
    def handover_number(self) -> str:
        return f"REM-{self.pk:06d}"

    @property
    def return_number(self) -> str:
        return f"RET-{self.pk:06d}"

    def sign(self, *, moment: str, data_url: str) -> None:
        """Keeps the signature drawn on the tablet for the handover or the return."""
        if moment not in ("remise", "retour"):
            raise ValueError(moment)
        if moment == "retour" and self.ends_on is None:
            raise ValidationError(
                {NON_FIELD_ERRORS: "L'appareil n'a pas encore été rendu : rien à signer."}
            )
        if not signature_is_valid(data_url):
            raise ValidationError(
                {"signature": "La signature n'a pas été reçue. Signez dans le cadre puis validez."}
            )
        prefix = "handover" if moment == "remise" else "return"
        setattr(self, f"{prefix}_signature", data_url)
        setattr(self, f"{prefix}_signed_at", timezone.now())
        self.save(update_fields=[f"{prefix}_signature", f"{prefix}_signed_at"])

    def close(
        self, *, on: dt.date | None = None, by=None, condition: str = "", note: str = ""
    ) -> None:
        """The device comes back: to stock, or stays in repair if it is there."""
        on = on or timezone.localdate()
        with transaction.atomic():
            allocation = Allocation.objects.select_for_update().get(pk=self.pk)
            if allocation.ends_on is not None:
                raise ValidationError(
                    {
                        NON_FIELD_ERRORS: "Cet appareil a déjà été rendu le "
                        f"{french_date(allocation.ends_on)}."
                    }
                )
            if on < allocation.starts_on:
                raise ValidationError(
                    {
                        "ends_on": "La date de retour précède la date de remise "
                        f"({french_date(allocation.starts_on)})."
                    }
                )
            if condition and condition not in Condition.values:
                raise ValidationError({"return_condition": "État inconnu."})
            allocation.ends_on = on
            allocation.returned_to = by if getattr(by, "is_authenticated", False) else None
            allocation.return_condition = condition
            allocation.return_note = note.strip()
            allocation.save()
            device = Device.objects.select_for_update().get(pk=allocation.device_id)
            device.holder = None
            if device.state != DeviceState.IN_REPAIR:
                device.state = DeviceState.IN_STOCK
            if condition:
                device.condition = condition
            device.save()
        self.refresh_from_db()


# --- Needs --------------------------------------------------------------------------------


def priority_for(agent) -> int:
    """High for an agent an active fragility segment flags, medium for a field job."""
    from tremplin.organisation.enums import WorkKind
    from tremplin.organisation.models import Agent
    from tremplin.training.models import FragilitySegment
    from tremplin.training.segments import segment_q

    segments = list(FragilitySegment.objects.filter(active=True))
    if segments:
        flagged = Q(pk__in=[])
        for segment in segments:
            flagged |= segment_q(segment)
        if Agent.objects.filter(pk=agent.pk).filter(flagged).exists():
            return NeedPriority.HIGH
    if agent.job_id and agent.job.work_kind == WorkKind.FIELD:
        return NeedPriority.MEDIUM
    return NeedPriority.NORMAL


class DeviceNeedQuerySet(models.QuerySet):
    def waiting(self):
        return self.filter(status=NeedStatus.WAITING)

    def queue(self):
        """The order HR works through: most fragile first, then the oldest request."""
        return self.waiting().order_by("priority", "created_at", "pk")

    def visible_to(self, user):
        from tremplin.accounts.enums import Role
        from tremplin.accounts.scopes import agent_scope_q

        if not getattr(user, "is_authenticated", False):
            return self.none()
        roles = (Role.HR, Role.ADMIN, Role.MANAGER, Role.ADVISOR)
        if not (user.is_superuser or user.has_role(*roles)):
            return self.filter(requested_by=user)
        scope = agent_scope_q(user, roles, prefix="agent__")
        if not scope:  # unscoped: every need (Q() | x would keep x alone)
            return self.all()
        return self.filter(scope | Q(requested_by=user))


@audited()
class DeviceNeed(models.Model):
    agent = models.ForeignKey(
        "organisation.Agent",
        verbose_name="agent",
        on_delete=models.CASCADE,
        related_name="device_needs",
    )
    kind = models.CharField(
        "appareil demandé", max_length=20, choices=DeviceKind.choices, default=DeviceKind.SMARTPHONE
    )
    reason = models.CharField("motif", max_length=12, choices=NeedReason.choices)
    priority = models.PositiveSmallIntegerField(
        "priorité", choices=NeedPriority.choices, default=NeedPriority.NORMAL
    )
    status = models.CharField(
        "état", max_length=10, choices=NeedStatus.choices, default=NeedStatus.WAITING, db_index=True
    )
    note = models.TextField("précisions", blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="demandé par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    allocation = models.OneToOneField(
        Allocation,
        verbose_name="attribution",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="need",
    )
    created_at = models.DateTimeField("demandé le", default=timezone.now)
    closed_on = models.DateField("close le", null=True, blank=True)

    objects = DeviceNeedQuerySet.as_manager()

    class Meta:
        verbose_name = "besoin d'appareil"
        verbose_name_plural = "besoins d'appareils"
        ordering = ["priority", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["agent", "kind"],
                condition=Q(status="waiting"),
                name="need_one_waiting_per_agent_and_kind",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} pour {self.agent}"

    @classmethod
    def open_for(
        cls, *, agent, kind: str, reason: str, by=None, note: str = "", on: dt.date | None = None
    ) -> DeviceNeed:
        """Records a need, its priority read from the agent's fragility segments."""
        on = on or timezone.localdate()
        errors = {}
        if agent.departure_date and agent.departure_date <= on:
            errors["agent"] = (
                f"Cet agent a quitté la collectivité le {french_date(agent.departure_date)}."
            )
        existing = cls.objects.waiting().filter(agent=agent, kind=kind).first()
        if existing is not None:
            errors["agent"] = (
                "Une demande est déjà en attente pour cet agent et ce type d'appareil "
                f"(depuis le {french_date(timezone.localdate(existing.created_at))})."
            )
        if reason not in NeedReason.values:
            errors["reason"] = "Choisissez un motif."
        if errors:
            raise ValidationError(errors)
        return cls.objects.create(
            agent=agent,
            kind=kind,
            reason=reason,
            note=note.strip(),
            priority=priority_for(agent),
            requested_by=by if getattr(by, "is_authenticated", False) else None,
        )

    def cancel(self, *, by=None, on: dt.date | None = None) -> None:
        if self.status != NeedStatus.WAITING:
            raise ValidationError({NON_FIELD_ERRORS: "Cette demande n'est plus en attente."})
        self.status = NeedStatus.CANCELLED
        self.closed_on = on or timezone.localdate()
        self.save()


# --- Repairs ------------------------------------------------------------------------------


@audited()
class Repair(models.Model):
    device = models.ForeignKey(
        Device, verbose_name="appareil", on_delete=models.PROTECT, related_name="repairs"
    )
    requested_on = models.DateField("demandée le")
    problem = models.TextField("panne")
    provider = models.CharField("réparateur", max_length=120, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="demandée par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    returned_on = models.DateField("revenu le", null=True, blank=True)
    outcome = models.CharField("résultat", max_length=15, choices=RepairOutcome.choices, blank=True)
    cost = models.DecimalField(
        "coût (€)",
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )

    class Meta:
        verbose_name = "réparation"
        verbose_name_plural = "réparations"
        ordering = ["-requested_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(returned_on__isnull=True) | Q(returned_on__gte=F("requested_on")),
                name="repair_returns_after_request",
            )
        ]

    def __str__(self):
        return f"Réparation de {self.device} ({french_date(self.requested_on)})"

    @property
    def is_open(self) -> bool:
        return self.returned_on is None

    def close(
        self,
        *,
        outcome: str,
        on: dt.date | None = None,
        cost: Decimal | None = None,
        by=None,
    ) -> None:
        """The device is back: to its holder, to stock (reconditioned or not), or retired
        when it cannot be repaired (its allocation then ends the same day)."""
        on = on or timezone.localdate()
        with transaction.atomic():
            repair = Repair.objects.select_for_update().get(pk=self.pk)
            errors = {}
            if repair.returned_on is not None:
                errors[NON_FIELD_ERRORS] = (
                    f"Cette réparation est déjà close (le {french_date(repair.returned_on)})."
                )
            elif on < repair.requested_on:
                errors["returned_on"] = (
                    "La date de retour précède la demande de réparation "
                    f"({french_date(repair.requested_on)})."
                )
            if outcome not in RepairOutcome.values:
                errors["outcome"] = "Choisissez le résultat de la réparation."
            if cost is not None and cost < 0:
                errors["cost"] = "Le coût ne peut pas être négatif."
            if errors:
                raise ValidationError(errors)
            repair.returned_on, repair.outcome, repair.cost = on, outcome, cost
            repair.save()
            device = Device.objects.select_for_update().get(pk=repair.device_id)
            current = device.allocations.filter(ends_on__isnull=True).first()
            if outcome == RepairOutcome.BEYOND_REPAIR:
                if current is not None:
                    current.close(on=max(on, current.starts_on), by=by, condition=Condition.DAMAGED)
                    device.refresh_from_db()
                device._write_retired(on, "Irréparable.")
            else:
                if current is not None:
                    device.state = DeviceState.SHARED if current.site_id else DeviceState.ALLOCATED
                elif outcome == RepairOutcome.RECONDITIONED:
                    device.state = DeviceState.RECONDITIONED
                else:
                    device.state = DeviceState.IN_STOCK
                device.condition = Condition.GOOD
                device.save()
        self.refresh_from_db()
