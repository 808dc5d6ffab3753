"""Proposals by anyone: a member of the public proposes a practice for the prize. A proposal is a draft until its
e-mail address is verified by a link; then it waits in the staff's queue, where it is merged with a duplicate,
rejected with a reason, or turned into an invitation to the organisation to nominate. It never reaches the jury."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from practices.models import Municipality, Organisation

from .cycles import AwardCycle
from .nominations import Nomination


class Proposal(models.Model):
    class State(models.TextChoices):
        UNVERIFIED = "unverified", _("e-mail address not yet verified")
        NEW = "new", _("waiting for staff")
        HELD = "held", _("held for staff to check")
        MERGED = "merged", _("merged with another proposal")
        REJECTED = "rejected", _("rejected")
        INVITED = "invited", _("organisation invited to nominate")

    class Held(models.TextChoices):
        LINKS_ONLY = "links_only", _("links only")
        FLOOD = "flood", _("many proposals from one address")

    LANGUAGES = [("fi", _("Finnish")), ("sv", _("Swedish")), ("en", _("English"))]

    cycle = models.ForeignKey(
        AwardCycle,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("award cycle"),
    )
    proposer_name = models.CharField(_("your name"), max_length=150)
    email = models.EmailField(_("your e-mail address"))
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGES, default="fi")
    practice_name = models.CharField(_("name of the practice"), max_length=200)
    organisation_name = models.CharField(
        _("organisation"), max_length=200, help_text=_("The municipality, county or organisation that runs it.")
    )
    municipalities = models.ManyToManyField(
        Municipality, blank=True, related_name="+", verbose_name=_("municipalities it concerns")
    )
    places = models.CharField(
        _("other places it concerns"),
        max_length=300,
        blank=True,
        help_text=_("E.g. a wellbeing services county or a part of a town."),
    )
    description = models.TextField(_("what the practice is"))
    reason = models.TextField(_("why it deserves the prize"))
    link = models.URLField(_("a link to more information"), max_length=500, blank=True)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.UNVERIFIED)
    held_reason = models.CharField(_("why it was held"), max_length=16, choices=Held.choices, blank=True)
    # A keyed hash of the sender's address, to notice a flood from one address without keeping the address.
    client_hash = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    created_at = models.DateTimeField(_("received"), auto_now_add=True)
    verified_at = models.DateTimeField(_("e-mail verified"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    rejection_reason = models.TextField(_("reason for rejecting"), blank=True)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merged",
        verbose_name=_("merged into"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation invited"),
    )
    nomination = models.OneToOneField(
        Nomination,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposal",
        verbose_name=_("nomination started from it"),
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="rejected") | ~Q(rejection_reason=""), name="proposal_rejection_has_reason"
            ),
            models.CheckConstraint(
                condition=~Q(state="merged") | Q(merged_into__isnull=False), name="proposal_merged_has_target"
            ),
            models.CheckConstraint(
                condition=Q(state="unverified") | Q(verified_at__isnull=False), name="proposal_verified_has_time"
            ),
            models.CheckConstraint(condition=~Q(merged_into=models.F("pk")), name="proposal_not_merged_into_self"),
        ]
        indexes = [models.Index(fields=["state", "created_at"], name="proposal_state_idx")]

    def __str__(self) -> str:
        return f"{self.practice_name} ({self.organisation_name})"

    @property
    def is_open(self) -> bool:
        """Staff may still decide on it."""
        return self.state in {self.State.NEW, self.State.HELD}
