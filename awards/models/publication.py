"""The public announcement of a cycle's results, its images, and the e-mails that tell nominators the result."""

import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from practices.localisation import localised, shown_language

from .cycles import AwardCycle
from .nominations import Nomination


class Announcement(models.Model):
    """The public announcement of a cycle's results, prepared by staff; shown once the results are public.

    The date and occasion of the announcement are the cycle's own (announcement_on, occasion_*)."""

    cycle = models.OneToOneField(
        AwardCycle, on_delete=models.CASCADE, related_name="announcement", verbose_name=_("award cycle")
    )
    title_fi = models.CharField(_("title in Finnish"), max_length=200)
    title_sv = models.CharField(_("title in Swedish"), max_length=200, blank=True)
    title_en = models.CharField(_("title in English"), max_length=200, blank=True)
    text_fi = models.TextField(_("public text in Finnish"))
    text_sv = models.TextField(_("public text in Swedish"), blank=True)
    text_en = models.TextField(_("public text in English"), blank=True)
    # Set once the nominators have been e-mailed, so the e-mails go out once only.
    notifications_sent_at = models.DateTimeField(_("nominators notified"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")

    def __str__(self) -> str:
        return self.title_fi

    @property
    def title(self) -> str:
        return localised(self, "title")

    @property
    def text(self) -> str:
        return localised(self, "text")

    @property
    def text_language(self) -> str:
        return shown_language(self, "text")


def announcement_image_path(instance, filename: str) -> str:
    # The name is chosen by us, never by the uploader; the extension follows the sniffed content.
    return f"announcements/{instance.announcement.cycle.year}/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


class AnnouncementImage(models.Model):
    """A photo or logo of the announcement; its alternative text is required (WCAG 2.1 AA)."""

    announcement = models.ForeignKey(
        Announcement, on_delete=models.CASCADE, related_name="images", verbose_name=_("announcement")
    )
    image = models.ImageField(_("image"), upload_to=announcement_image_path)
    alt_fi = models.CharField(
        _("alternative text in Finnish"),
        max_length=250,
        help_text=_("What the image shows, for those who cannot see it."),
    )
    alt_sv = models.CharField(_("alternative text in Swedish"), max_length=250, blank=True)
    alt_en = models.CharField(_("alternative text in English"), max_length=250, blank=True)
    caption = models.CharField(_("caption or credit"), max_length=250, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["announcement", "order", "pk"]
        verbose_name = _("announcement image")
        verbose_name_plural = _("announcement images")
        constraints = [models.CheckConstraint(condition=~models.Q(alt_fi=""), name="announcement_image_has_alt")]

    def __str__(self) -> str:
        return self.alt_fi

    @property
    def alt(self) -> str:
        return localised(self, "alt")


class NotificationLog(models.Model):
    """One e-mail to a nominator about the published result of their nomination; its delivery is the outbox's
    (`message`)."""

    class Kind(models.TextChoices):
        WINNER = "winner", _("winner")
        HONOURABLE_MENTION = "honourable_mention", _("honourable mention")
        FINALIST = "finalist", _("finalist")
        NOMINEE = "nominee", _("not awarded")

    cycle = models.ForeignKey(
        AwardCycle, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("award cycle")
    )
    nomination = models.ForeignKey(
        Nomination, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("nomination")
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recipient"),
    )
    email = models.EmailField(_("e-mail address"))
    language = models.CharField(_("language"), max_length=2)
    kind = models.CharField(_("text"), max_length=24, choices=Kind.choices)
    message = models.ForeignKey(
        "background.Email", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("e-mail")
    )
    sent_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["cycle", "nomination", "email"]
        verbose_name = _("notification e-mail")
        verbose_name_plural = _("notification e-mails")
        constraints = [
            models.UniqueConstraint(fields=["nomination", "email"], name="notification_once_per_nomination_email"),
        ]

    def __str__(self) -> str:
        return f"{self.email} – {self.nomination}"
