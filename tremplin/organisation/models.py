import re

from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, RegexValidator
from django.db import models, transaction
from django.db.models import Q
from django.db.models.functions import Concat, Substr
from django.utils import timezone

from tremplin.core.audit import audited

from .enums import (
    Category,
    ContactChannel,
    EmploymentStatus,
    Gender,
    IdentityStatus,
    SiteKind,
    UnitKind,
    WorkKind,
    WorkPattern,
)

HEX_COLOUR = RegexValidator(r"^#[0-9a-fA-F]{6}$", "Saisissez une couleur au format #RRGGBB.")


def _luminance(hex_colour: str) -> float:
    channels = []
    for i in (1, 3, 5):
        c = int(hex_colour[i : i + 2], 16) / 255
        channels.append(c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4)
    r, g, b = channels
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_with_white(hex_colour: str) -> float:
    return 1.05 / (_luminance(hex_colour) + 0.05)


@audited()
class Collectivite(models.Model):
    """The organisation running this instance: its name, logo and colour theme the app."""

    name = models.CharField("nom", max_length=200)
    short_name = models.CharField("nom court", max_length=60, blank=True)
    # No SVG: an uploaded SVG served from our domain could carry scripts.
    logo = models.FileField(
        "logo",
        upload_to="branding/",
        blank=True,
        validators=[FileExtensionValidator(["png", "jpg", "jpeg", "webp"])],
        help_text="Image PNG, JPEG ou WebP, affichée en haut de chaque page.",
    )
    primary_color = models.CharField(
        "couleur principale", max_length=7, default="#0b5a78", validators=[HEX_COLOUR]
    )

    class Meta:
        verbose_name = "collectivité"
        verbose_name_plural = "collectivités"

    def __str__(self):
        return self.name

    def clean(self):
        # White text sits on the main colour (header, buttons): RGAA asks 4.5:1.
        if HEX_COLOUR.regex.match(self.primary_color or "") and (
            contrast_with_white(self.primary_color) < 4.5
        ):
            raise ValidationError(
                {
                    "primary_color": "Cette couleur est trop claire : le texte blanc posé "
                    "dessus serait illisible (contraste inférieur à 4,5:1). Choisissez une "
                    "teinte plus foncée."
                }
            )

    @classmethod
    def current(cls):
        return cls.objects.order_by("pk").first()


class EmployerQuerySet(models.QuerySet):
    def visible_to(self, user, roles):
        """Employers whose agents the user counts through these roles (all of them for an
        assignment without employer)."""
        from tremplin.accounts.scopes import employer_ids

        allowed = employer_ids(user, roles)
        return self if allowed is None else self.filter(pk__in=allowed)


@audited()
class Employer(models.Model):
    """A legal employer (a city, a metropolis…) whose agents the instance serves."""

    collectivite = models.ForeignKey(
        Collectivite,
        verbose_name="collectivité",
        on_delete=models.PROTECT,
        related_name="employers",
    )
    code = models.SlugField("code", max_length=30, unique=True)
    name = models.CharField("nom", max_length=200)

    objects = EmployerQuerySet.as_manager()

    class Meta:
        verbose_name = "employeur"
        verbose_name_plural = "employeurs"
        ordering = ["name"]

    def __str__(self):
        return self.name


class OrgUnitQuerySet(models.QuerySet):
    def subtree(self, unit):
        return self.filter(path__startswith=unit.path)

    def visible_to(self, user):
        from tremplin.accounts.scopes import unit_scope_q

        return self.filter(unit_scope_q(user, "path"))


@audited()
class OrgUnit(models.Model):
    """A node of the organisation chart: direction › service › team, any depth.

    `path` holds the ids from the root ("/3/17/42/") so that a whole subtree is one
    indexed prefix query. Written by hand rather than with django-treebeard because
    imports and seeding create thousands of units in bulk, which treebeard's
    one-node-at-a-time API does not allow.
    """

    name = models.CharField("nom", max_length=200)
    code = models.CharField("code", max_length=50, blank=True)
    kind = models.CharField(
        "niveau", max_length=20, choices=UnitKind.choices, default=UnitKind.OTHER
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="rattachée à",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")
    depth = models.PositiveSmallIntegerField(editable=False, default=0)
    continuity_max_absent_share = models.PositiveSmallIntegerField(
        "part maximale d'absents en même temps (%)",
        null=True,
        blank=True,
        help_text="Continuité de service : laissé vide, la règle de l'unité parente s'applique.",
    )

    objects = OrgUnitQuerySet.as_manager()

    class Meta:
        verbose_name = "unité"
        verbose_name_plural = "unités"
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "name"], name="orgunit_unique_name_under_parent"
            ),
            models.UniqueConstraint(
                fields=["name"], condition=Q(parent=None), name="orgunit_unique_root_name"
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.parent_id and self.pk:
            parent = OrgUnit.objects.get(pk=self.parent_id)
            if parent.pk == self.pk or (self.path and parent.path.startswith(self.path)):
                raise ValidationError(
                    {
                        "parent": "Une unité ne peut pas être rattachée à elle-même ni à une de ses sous-unités."
                    }
                )

    def computed_path(self) -> str:
        prefix = self.parent.path if self.parent_id else "/"
        return f"{prefix}{self.pk}/"

    def save(self, *args, **kwargs):
        old_path = self.path
        with transaction.atomic():
            super().save(*args, **kwargs)
            new_path = self.computed_path()
            if new_path != old_path:
                self.path, self.depth = new_path, new_path.count("/") - 2
                OrgUnit.objects.filter(pk=self.pk).update(path=self.path, depth=self.depth)
                if old_path:
                    # Moving a unit carries its whole subtree along.
                    OrgUnit.objects.filter(path__startswith=old_path).exclude(pk=self.pk).update(
                        path=Concat(models.Value(new_path), Substr("path", len(old_path) + 1)),
                        depth=models.F("depth") + (self.depth - (old_path.count("/") - 2)),
                    )

    @property
    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/") if part][:-1]

    def ancestors(self):
        ids = self.ancestor_ids
        return sorted(OrgUnit.objects.filter(pk__in=ids), key=lambda u: ids.index(u.pk))

    def breadcrumb(self) -> str:
        return " › ".join([*(u.name for u in self.ancestors()), self.name])


@audited()
class Site(models.Model):
    code = models.CharField("code", max_length=50, unique=True)
    name = models.CharField("nom", max_length=200)
    kind = models.CharField(
        "type", max_length=20, choices=SiteKind.choices, default=SiteKind.OFFICE
    )
    address = models.CharField("adresse", max_length=255, blank=True)
    postcode = models.CharField("code postal", max_length=10, blank=True)
    city = models.CharField("commune", max_length=100, blank=True)
    has_training_room = models.BooleanField("salle de formation", default=False)

    class Meta:
        verbose_name = "site"
        verbose_name_plural = "sites"
        ordering = ["name"]

    def __str__(self):
        return self.name


@audited()
class Job(models.Model):
    """A job (métier) as the SIRH names it; later issues attach the digital profile it requires."""

    code = models.CharField("code", max_length=50, unique=True)
    title = models.CharField("intitulé", max_length=200)
    family = models.CharField("famille de métiers", max_length=120, blank=True)
    work_kind = models.CharField(
        "nature du travail", max_length=10, choices=WorkKind.choices, default=WorkKind.OFFICE
    )

    class Meta:
        verbose_name = "métier"
        verbose_name_plural = "métiers"
        ordering = ["title"]

    def __str__(self):
        return self.title


class AgentQuerySet(models.QuerySet):
    def present(self, on=None):
        on = on or timezone.localdate()
        return self.filter(Q(departure_date__isnull=True) | Q(departure_date__gt=on))

    def visible_to(self, user):
        """The only door to lists of agents: what this user's roles and scopes let them see."""
        from tremplin.accounts.scopes import agent_scope_q

        return self.filter(agent_scope_q(user))

    def with_identity_status(self):
        return self.annotate(
            identity_status_value=models.functions.Coalesce(
                "identity__status", models.Value(IdentityStatus.NONE)
            )
        )


def _weekday_list(value: str) -> list[int]:
    return [int(d) for d in re.findall(r"[1-7]", value or "")]


@audited()
class Agent(models.Model):
    employer = models.ForeignKey(
        Employer, verbose_name="employeur", on_delete=models.PROTECT, related_name="agents"
    )
    matricule = models.CharField("matricule", max_length=30)
    last_name = models.CharField("nom", max_length=100)
    first_name = models.CharField("prénom", max_length=100)
    category = models.CharField("catégorie", max_length=1, choices=Category.choices, blank=True)
    gender = models.CharField(
        "sexe",
        max_length=1,
        choices=Gender.choices,
        blank=True,
        help_text="Fourni par le SIRH pour le Rapport social unique ; vide s'il ne le fournit pas.",
    )
    employment_status = models.CharField(
        "statut", max_length=20, choices=EmploymentStatus.choices, blank=True
    )
    job = models.ForeignKey(
        Job,
        verbose_name="métier",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agents",
    )
    unit = models.ForeignKey(
        OrgUnit,
        verbose_name="unité",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="agents",
    )
    site = models.ForeignKey(
        Site,
        verbose_name="site",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agents",
    )
    manager = models.ForeignKey(
        "self",
        verbose_name="responsable",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
    )
    work_pattern = models.CharField(
        "organisation du travail",
        max_length=20,
        choices=WorkPattern.choices,
        default=WorkPattern.OFFICE_HOURS,
    )
    part_time_rate = models.PositiveSmallIntegerField("quotité de travail (%)", default=100)
    days_off = models.CharField(
        "jours non travaillés",
        max_length=20,
        blank=True,
        help_text="Numéros des jours (1 = lundi … 7 = dimanche), par exemple « 3 » pour le mercredi.",
    )
    email = models.EmailField("courriel professionnel", blank=True)
    mobile_phone = models.CharField("téléphone mobile", max_length=20, blank=True)
    contact_channel = models.CharField(
        "moyen de contact",
        max_length=10,
        choices=ContactChannel.choices,
        default=ContactChannel.PAPER,
    )
    arrival_date = models.DateField("date d'arrivée", null=True, blank=True)
    departure_date = models.DateField("date de départ", null=True, blank=True)
    updated_at = models.DateTimeField("mis à jour le", auto_now=True)

    objects = AgentQuerySet.as_manager()

    class Meta:
        verbose_name = "agent"
        verbose_name_plural = "agents"
        ordering = ["last_name", "first_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["employer", "matricule"], name="agent_unique_matricule")
        ]
        indexes = [models.Index(fields=["last_name", "first_name"])]

    def __str__(self):
        return f"{self.last_name.upper()} {self.first_name}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def is_present(self) -> bool:
        return self.departure_date is None or self.departure_date > timezone.localdate()

    @property
    def days_off_list(self) -> list[int]:
        return _weekday_list(self.days_off)

    def clean(self):
        if self.manager_id and self.pk:
            seen, current = {self.pk}, self.manager
            while current is not None:
                if current.pk in seen:
                    raise ValidationError(
                        {
                            "manager": "Ce responsable dépend lui-même de cet agent : boucle hiérarchique."
                        }
                    )
                seen.add(current.pk)
                current = current.manager
        if self.contact_channel == ContactChannel.EMAIL and not self.email:
            raise ValidationError(
                {"email": "Indiquez un courriel, ou choisissez un autre moyen de contact."}
            )
        if self.contact_channel == ContactChannel.SMS and not self.mobile_phone:
            raise ValidationError(
                {
                    "mobile_phone": "Indiquez un téléphone mobile, ou choisissez un autre moyen de contact."
                }
            )
        if self.arrival_date and self.departure_date and self.departure_date < self.arrival_date:
            raise ValidationError(
                {"departure_date": "La date de départ précède la date d'arrivée."}
            )


@audited()
class DigitalIdentity(models.Model):
    """The agent's account on the collectivité's network: intranet login and mailbox."""

    agent = models.OneToOneField(Agent, on_delete=models.CASCADE, related_name="identity")
    login = models.CharField("identifiant", max_length=100, blank=True)
    mailbox = models.EmailField("boîte aux lettres", blank=True)
    status = models.CharField(
        "état",
        max_length=10,
        choices=IdentityStatus.choices,
        default=IdentityStatus.NONE,
        db_index=True,
    )
    requested_at = models.DateField("demandée le", null=True, blank=True)
    activated_at = models.DateField("activée le", null=True, blank=True)
    disabled_at = models.DateField("désactivée le", null=True, blank=True)

    class Meta:
        verbose_name = "identité numérique"
        verbose_name_plural = "identités numériques"
        constraints = [
            models.UniqueConstraint(
                fields=["login"], condition=~Q(login=""), name="identity_unique_login"
            )
        ]

    def __str__(self):
        return f"Identité numérique de {self.agent}"
