"""Users (e-mail as the login), their organisations, and the audit log of security-relevant events."""

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .roles import scoped_role


class UserManager(BaseUserManager):
    use_in_migrations = True

    @classmethod
    def normalize_email(cls, email: str | None) -> str:
        # The whole address is compared case-insensitively, so store it lower-cased.
        return (email or "").strip().lower()

    def get_by_natural_key(self, username):
        return self.get(email__iexact=self.normalize_email(username))

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in. Staff (is_staff) are the organisers; other roles come from memberships."""

    class Language(models.TextChoices):
        FINNISH = "fi", _("Finnish")
        SWEDISH = "sv", _("Swedish")
        ENGLISH = "en", _("English")

    email = models.EmailField(_("e-mail address"), unique=True)
    first_name = models.CharField(_("first name"), max_length=150, blank=True)
    last_name = models.CharField(_("last name"), max_length=150, blank=True)
    title = models.CharField(_("title"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=2, choices=Language.choices, default=Language.FINNISH
    )
    organisations = models.ManyToManyField(
        "practices.Organisation",
        through="OrganisationMembership",
        related_name="members",
        blank=True,
        verbose_name=_("organisations"),
    )
    is_staff = models.BooleanField(
        _("organisers' staff"),
        default=False,
        help_text=_("Staff run the award cycles and may use the admin."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        ordering = ["last_name", "first_name", "email"]
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def clean(self):
        super().clean()
        self.email = type(self).objects.normalize_email(self.email)

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self) -> str:
        return self.first_name or self.email


class OrganisationMembership(models.Model):
    """A user acts for an organisation: as a nominator, and as a member for conflicts of interest."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    organisation = models.ForeignKey(
        "practices.Organisation",
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    can_nominate = models.BooleanField(_("may nominate"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("organisation membership")
        verbose_name_plural = _("organisation memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="membership_user_organisation_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.organisation}"


class AuditEvent(models.Model):
    """One security-relevant or decision-relevant event. Never holds passwords, tokens or session keys."""

    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    action = models.CharField(_("action"), max_length=64, db_index=True)
    target_type = models.CharField(_("target type"), max_length=64, blank=True)
    target_id = models.CharField(_("target id"), max_length=64, blank=True)
    ip_address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["target_type", "target_id"], name="audit_target_idx")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}"


class Invitation(models.Model):
    """An organiser invites a person by e-mail to a role. Only a hash of the link's token is stored.

    A nominator is invited for an organisation, staff for the whole service; the roles of the apps above accounts
    (accounts/roles.py) are invited for one object of theirs, the invitation's scope (a jury's award cycle)."""

    class Role(models.TextChoices):
        NOMINATOR = "nominator", _("nominator for an organisation")
        STAFF = "staff", _("organisers' staff")

    email = models.EmailField(_("e-mail address"))
    # Role.values, or the value of a role registered in accounts/roles.py.
    role = models.CharField(_("role"), max_length=16)
    organisation = models.ForeignKey(
        "practices.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    scope_type = models.ForeignKey(
        ContentType,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("type of what the role is for"),
    )
    scope_id = models.PositiveBigIntegerField(_("what the role is for"), null=True, blank=True)
    scope = GenericForeignKey("scope_type", "scope_id")
    language = models.CharField(
        _("language of the e-mail"), max_length=2, choices=User.Language.choices, default=User.Language.FINNISH
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted by"),
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role="nominator") | models.Q(organisation__isnull=False),
                name="invitation_nominator_has_organisation",
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=["nominator", "staff"])
                | models.Q(scope_type__isnull=False, scope_id__isnull=False),
                name="invitation_scoped_role_has_scope",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} ({self.role_label})"

    @property
    def role_label(self) -> str:
        if self.role in self.Role.values:
            return str(self.Role(self.role).label)
        role = scoped_role(self.role)
        return str(role.label) if role else self.role

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at

    @property
    def target_display(self) -> str:
        return str(self.organisation or self.scope or "")


class AccountRequest(models.Model):
    """A would-be nominator asks for an account for their organisation; staff approve or reject it."""

    class State(models.TextChoices):
        PENDING = "pending", _("waiting for a decision")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")

    first_name = models.CharField(_("first name"), max_length=150)
    last_name = models.CharField(_("last name"), max_length=150)
    email = models.EmailField(_("e-mail address"))
    title = models.CharField(_("title"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    organisation = models.ForeignKey(
        "practices.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    organisation_name = models.CharField(
        _("organisation not in the list"),
        max_length=200,
        blank=True,
        help_text=_("If your organisation is not in the list, type its name here."),
    )
    message = models.TextField(_("message to the organisers"), blank=True)
    language = models.CharField(
        _("language"), max_length=2, choices=User.Language.choices, default=User.Language.FINNISH
    )
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.PENDING)
    created_at = models.DateTimeField(_("received"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("account created"),
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("account request")
        verbose_name_plural = _("account requests")
        constraints = [
            models.UniqueConstraint(
                Lower("email"), condition=models.Q(state="pending"), name="account_request_one_pending_per_email"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name} <{self.email}>"

    @property
    def organisation_display(self) -> str:
        return str(self.organisation) if self.organisation_id else self.organisation_name


class RetentionPeriod(models.Model):
    """How long one kind of record is kept (accounts/retention.py lists the kinds); staff set it."""

    kind = models.CharField(_("kind of record"), max_length=64, unique=True)
    days = models.PositiveIntegerField(_("kept for (days)"))
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("retention period")
        verbose_name_plural = _("retention periods")

    def __str__(self) -> str:
        return f"{self.kind}: {self.days}"
