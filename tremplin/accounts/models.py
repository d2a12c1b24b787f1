import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from tremplin.core.audit import audited

from .enums import SCOPED_ROLES, Role

# Letters and digits that cannot be mistaken for one another when read aloud or on paper.
CODE_ALPHABET = "ACDEFHJKMNPRTUVWXY34679"


def new_login_code() -> str:
    """'KX7-P9Q-3TM': 9 symbols of 23 (about 40 bits), grouped by three to copy from paper."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(9))
    return f"{raw[:3]}-{raw[3:6]}-{raw[6:]}"


# last_login changes at each login, which the LOGIN entries already record.
@audited(masked=("password",), ignored=("last_login",))
class User(AbstractUser):
    agent = models.OneToOneField(
        "organisation.Agent",
        verbose_name="agent",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="user",
    )
    login_code_issued_at = models.DateTimeField("code personnel remis le", null=True, blank=True)

    objects = UserManager()

    class Meta:
        verbose_name = "utilisateur"
        verbose_name_plural = "utilisateurs"

    def __str__(self):
        return self.get_full_name() or self.username

    @property
    def role_set(self) -> set[str]:
        if not hasattr(self, "_role_cache"):
            self._role_cache = set(self.role_assignments.values_list("role", flat=True))
            if self.agent_id:
                self._role_cache.add(Role.AGENT)
        return self._role_cache

    def has_role(self, *roles: str) -> bool:
        return self.is_authenticated and bool(self.role_set.intersection(roles))

    def issue_login_code(self) -> str:
        """A new personal code replaces the old one; only its hash is kept."""
        code = new_login_code()
        self.set_password(code)
        self.login_code_issued_at = timezone.now()
        self.save(update_fields=["password", "login_code_issued_at"])
        return code


@audited()
class RoleAssignment(models.Model):
    """A role held by a user, limited to an employer and/or an org-unit subtree when set."""

    user = models.ForeignKey(
        User, verbose_name="utilisateur", on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField("rôle", max_length=20, choices=Role.choices)
    employer = models.ForeignKey(
        "organisation.Employer",
        verbose_name="employeur",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        help_text="Vide : tous les employeurs.",
    )
    org_unit = models.ForeignKey(
        "organisation.OrgUnit",
        verbose_name="unité (et ses sous-unités)",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        help_text="Vide : toutes les unités.",
    )

    class Meta:
        verbose_name = "rôle attribué"
        verbose_name_plural = "rôles attribués"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "employer", "org_unit"],
                name="role_assignment_unique",
                nulls_distinct=False,
            )
        ]

    def __str__(self):
        scope = []
        if self.employer_id:
            scope.append(str(self.employer))
        if self.org_unit_id:
            scope.append(str(self.org_unit))
        suffix = f" ({', '.join(scope)})" if scope else ""
        return f"{self.get_role_display()}{suffix}"

    def clean(self):
        if self.role not in SCOPED_ROLES and (self.employer_id or self.org_unit_id):
            raise ValidationError(
                {
                    "role": "Ce rôle ne se limite pas à un employeur ou à une unité : laissez-les vides."
                }
            )
        if self.role == Role.AGENT:
            raise ValidationError(
                {
                    "role": "Le rôle agent découle du lien avec une fiche agent : reliez l'utilisateur à son agent."
                }
            )


class KioskTokenQuerySet(models.QuerySet):
    def usable(self):
        return self.filter(used_at__isnull=True, expires_at__gt=timezone.now())


def new_kiosk_code() -> str:
    return f"{secrets.randbelow(1_000_000):06d}"


def new_kiosk_token() -> str:
    return secrets.token_urlsafe(24)


class KioskToken(models.Model):
    """A one-time code an advisor opens so that an agent can use a shared tablet."""

    agent_user = models.ForeignKey(
        User, verbose_name="agent", on_delete=models.CASCADE, related_name="kiosk_tokens"
    )
    created_by = models.ForeignKey(
        User, verbose_name="ouvert par", on_delete=models.CASCADE, related_name="+"
    )
    code = models.CharField("code", max_length=6, default=new_kiosk_code)
    token = models.CharField(max_length=64, unique=True, default=new_kiosk_token)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    expires_at = models.DateTimeField("valable jusqu'à")
    used_at = models.DateTimeField("utilisé le", null=True, blank=True)
    session_minutes = models.PositiveSmallIntegerField("durée de la session (minutes)")

    objects = KioskTokenQuerySet.as_manager()

    class Meta:
        verbose_name = "code kiosque"
        verbose_name_plural = "codes kiosque"
        ordering = ["-created_at"]

    def __str__(self):
        return f"Kiosque pour {self.agent_user} ({self.created_at:%d/%m/%Y %H:%M})"

    @classmethod
    def open_for(cls, *, agent_user, advisor):
        now = timezone.now()
        # Codes are short: retry until this code is unused among the live ones.
        while True:
            code = new_kiosk_code()
            if not cls.objects.usable().filter(code=code).exists():
                break
        return cls.objects.create(
            agent_user=agent_user,
            created_by=advisor,
            code=code,
            expires_at=now + timezone.timedelta(minutes=settings.KIOSK_CODE_VALID_MINUTES),
            session_minutes=settings.KIOSK_SESSION_MINUTES,
        )


def user_for_agent(agent) -> User:
    """The agent's account, created on first need (most field agents never had one)."""
    try:
        return agent.user
    except User.DoesNotExist:
        return User.objects.create_user(
            username=f"{agent.employer.code}-{agent.matricule}",
            first_name=agent.first_name,
            last_name=agent.last_name,
            agent=agent,
        )
