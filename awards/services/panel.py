"""Every write of the experts-by-experience panel: seating a member (an accepted invitation does it), staff's
pseudonyms and clearances, the sign-in code e-mailed each time, and a member's answers.

A panel member has no password and no authenticator: django-otp's e-mail device is their second factor, and the
only way they sign in (awards/views/panel.py). The code's e-mail is rendered from one template pair."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_otp.plugins.otp_email.conf import settings as otp_email_settings
from django_otp.plugins.otp_email.models import EmailDevice

from accounts.audit import audit
from accounts.models import User
from awards.mail import send_templated
from awards.models import (
    AwardCycle,
    Nomination,
    PanelAnswer,
    PanelClearance,
    PanelMembership,
    PanelQuestion,
    PanelReview,
)
from awards.models.panel import PANEL_SCALE_MAX, PANEL_SCALE_MIN
from awards.selectors.panel import code_sign_in_allowed, panel_nominations

# The rubric a panel starts with; staff may change the questions in the admin.
DEFAULT_QUESTIONS = [
    (
        "Olisiko tästä ollut apua minulle tai perheelleni?",
        "Skulle det här ha hjälpt mig eller min familj?",
        "Would this have helped me or my family?",
    ),
    (
        "Kuunnellaanko tässä lapsia ja nuoria?",
        "Lyssnar man på barn och unga i det här?",
        "Does it listen to children and young people?",
    ),
    (
        "Kohdellaanko perhettä tässä kunnioittavasti?",
        "Bemöts familjen med respekt?",
        "Is the family treated with respect?",
    ),
    (
        "Suosittelisinko tätä muillekin?",
        "Skulle jag rekommendera det här till andra?",
        "Would I recommend this to others?",
    ),
]

MAX_COMMENT_LENGTH = 3000


def _refuse_unless_staff(user) -> None:
    if not (user.is_authenticated and user.is_active and user.is_staff):
        raise PermissionDenied


# Members ------------------------------------------------------------------------------------------------------


def panel_questions_ensure(*, cycle: AwardCycle) -> None:
    """Give the cycle's panel the default rubric, unless it has questions already."""
    if not PanelQuestion.objects.filter(cycle=cycle).exists():
        PanelQuestion.objects.bulk_create(
            PanelQuestion(cycle=cycle, order=i, text_fi=fi, text_sv=sv, text_en=en)
            for i, (fi, sv, en) in enumerate(DEFAULT_QUESTIONS)
        )


def panel_member_add(*, cycle: AwardCycle, user: User, pseudonym: str = "") -> PanelMembership:
    """Seat `user` on the panel of `cycle` (an accepted invitation does this) under a pseudonym: the one given,
    or "Raatilainen N" until staff choose one. A member without a password gets the e-mail code device."""
    with transaction.atomic():
        AwardCycle.objects.select_for_update().get(pk=cycle.pk)  # numbering pseudonyms one at a time
        membership = PanelMembership.objects.filter(cycle=cycle, user=user).first()
        if membership is None:
            number = PanelMembership.objects.filter(cycle=cycle).count() + 1
            while not pseudonym or PanelMembership.objects.filter(cycle=cycle, pseudonym__iexact=pseudonym).exists():
                with translation.override("fi"):
                    pseudonym = _("Panel member %(number)d") % {"number": number}
                number += 1
            membership = PanelMembership.objects.create(cycle=cycle, user=user, pseudonym=pseudonym)
            audit("role_granted", target=user, role="panel", cycle_id=cycle.pk)
        if not user.has_usable_password():
            EmailDevice.objects.get_or_create(user=user, defaults={"name": "panel", "confirmed": True})
        panel_questions_ensure(cycle=cycle)
    return membership


def panel_member_rename(*, membership: PanelMembership, pseudonym: str, by, request=None) -> PanelMembership:
    _refuse_unless_staff(by)
    pseudonym = " ".join((pseudonym or "").split())
    if not pseudonym:
        raise ValidationError({"pseudonym": _("Give the pseudonym the jury sees.")})
    if pseudonym.lower() in {
        (membership.user.first_name or "").lower(),
        (membership.user.get_full_name() or "").lower(),
        membership.user.email.lower(),
    }:
        raise ValidationError({"pseudonym": _("The pseudonym must not be the member's own name.")})
    try:
        with transaction.atomic():
            membership.pseudonym = pseudonym[:60]
            membership.save(update_fields=["pseudonym"])
    except IntegrityError as exc:
        raise ValidationError({"pseudonym": _("Another member of this panel has that pseudonym.")}) from exc
    audit("panel.pseudonym", actor=by, target=membership, request=request)
    return membership


def panel_member_remove(*, membership: PanelMembership, by, request=None) -> None:
    _refuse_unless_staff(by)
    with transaction.atomic():
        user = membership.user
        cycle_id = membership.cycle_id
        membership.delete()
        if not PanelMembership.objects.filter(user=user).exists():
            EmailDevice.objects.filter(user=user).delete()  # no panel, no way in by code
        audit("role_revoked", actor=by, target=user, request=request, role="panel", cycle_id=cycle_id)


# Staff's clearance --------------------------------------------------------------------------------------------


def panel_clearance_save(
    *,
    nomination: Nomination,
    by,
    plain_summary_fi: str = "",
    plain_summary_sv: str = "",
    plain_summary_en: str = "",
    show_contact: bool = False,
    attachments=(),
    request=None,
) -> PanelClearance:
    """Let the panel read a submitted nomination, with a plain-language summary and the attachments (their
    cleaned copies) and contact details staff have looked at."""
    _refuse_unless_staff(by)
    if nomination.state != Nomination.State.SUBMITTED:
        raise ValidationError(_("Only a submitted nomination can be given to the panel."))
    chosen = list(attachments)
    if any(a.nomination_id != nomination.pk for a in chosen):
        raise PermissionDenied
    with transaction.atomic():
        clearance, _created = PanelClearance.objects.update_or_create(
            nomination=nomination,
            defaults={
                "plain_summary_fi": plain_summary_fi.strip(),
                "plain_summary_sv": plain_summary_sv.strip(),
                "plain_summary_en": plain_summary_en.strip(),
                "show_contact": show_contact,
                "cleared_by": by,
            },
        )
        clearance.attachments.set(chosen)
        audit(
            "panel.cleared",
            actor=by,
            target=nomination,
            request=request,
            attachments=[a.pk for a in chosen],
            contact=show_contact,
        )
    return clearance


def panel_clearance_remove(*, nomination: Nomination, by, request=None) -> None:
    _refuse_unless_staff(by)
    with transaction.atomic():
        PanelClearance.objects.filter(nomination=nomination).delete()
        audit("panel.uncleared", actor=by, target=nomination, request=request)


# Signing in with a code ---------------------------------------------------------------------------------------


def panel_code_email_send(*, device: EmailDevice) -> None:
    """The one-time sign-in code, in the member's language."""
    user = device.user
    send_templated(
        to=[device.email or user.email],
        language=user.preferred_language,
        template="awards/panel/email/code",
        context={
            "user": user,
            "code": device.token,
            "minutes": max(1, otp_email_settings.OTP_EMAIL_TOKEN_VALIDITY // 60),
        },
        # One e-mail per code: the code's validity identifies it (the code itself never leaves the e-mail).
        purpose="panel_code",
        key=f"{device.pk}:{device.valid_until.isoformat()}",
    )


def panel_code_send(*, email: str, request=None) -> bool:
    """E-mail a fresh sign-in code to the panel member with this address. Says nothing (returns False) for any
    other address, so the form never reveals who is on a panel; a code asked again within a minute is not sent."""
    user = User.objects.filter(email__iexact=User.objects.normalize_email(email)).first()
    if user is None or not code_sign_in_allowed(user):
        return False
    device = EmailDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        return False
    allowed, _details = device.generate_is_allowed()
    if not allowed:
        return False
    device.cooldown_set(commit=False)
    device.generate_token(valid_secs=otp_email_settings.OTP_EMAIL_TOKEN_VALIDITY, commit=True)
    audit("panel.code_sent", actor=None, target=user, request=request)
    panel_code_email_send(device=device)
    return True


def panel_code_verify(*, email: str, code: str, request=None) -> tuple[User, EmailDevice] | None:
    """The member and their device when `code` is the one e-mailed to them and still valid; None otherwise.
    Wrong codes slow further tries down (django-otp's throttling)."""
    user = User.objects.filter(email__iexact=User.objects.normalize_email(email)).first()
    if user is None or not code_sign_in_allowed(user):
        return None
    device = EmailDevice.objects.filter(user=user, confirmed=True).first()
    code = "".join((code or "").split())
    if device is None or not code.isdigit():
        return None
    if device.verify_token(code):
        audit("second_factor_passed", actor=user, target=user, request=request, method="email_code")
        return user, device
    audit("second_factor_failed", actor=user, target=user, request=request, method="email_code")
    return None


def panel_code_throttled_until(*, email: str):
    user = User.objects.filter(email__iexact=User.objects.normalize_email(email)).first()
    device = EmailDevice.objects.filter(user=user).first() if user else None
    if device is None:
        return None
    allowed, details = device.verify_is_allowed()
    return None if allowed else (details or {}).get("locked_until")


# Answers ------------------------------------------------------------------------------------------------------


def panel_review_save(
    *,
    user: User,
    nomination: Nomination,
    answers: dict[int, int | None],
    comment: str,
    submit: bool,
    request=None,
) -> PanelReview:
    """Save the member's answers (a draft, or sent to the jury with `submit`), while the jury period is open.
    Answers may change until it closes."""
    with transaction.atomic():
        cycle = AwardCycle.objects.select_for_update(no_key=True).get(pk=nomination.cycle_id)
        if not cycle.is_jury_open():
            raise ValidationError(_("The panel's time to answer has ended; nothing was saved."))
        if not panel_nominations(user, cycle).filter(pk=nomination.pk).exists():
            raise PermissionDenied
        member = PanelMembership.objects.get(user=user, cycle=cycle)
        questions = {q.pk: q for q in PanelQuestion.objects.filter(cycle=cycle)}
        for question_id, value in answers.items():
            if question_id not in questions:
                raise ValidationError(_("The questions have changed; reload the page."))
            if value is not None and not PANEL_SCALE_MIN <= value <= PANEL_SCALE_MAX:
                raise ValidationError(_("Choose one of the answers."))
        review, _created = PanelReview.objects.select_for_update().get_or_create(member=member, nomination=nomination)
        review.comment = (comment or "").strip()[:MAX_COMMENT_LENGTH]
        if submit:
            review.state = PanelReview.State.SUBMITTED
            review.submitted_at = timezone.now()
        review.save()
        for question_id, value in answers.items():
            PanelAnswer.objects.update_or_create(review=review, question_id=question_id, defaults={"value": value})
        audit(
            "panel.review_submitted" if submit else "panel.review_saved",
            actor=user,
            target=review,
            request=request,
        )
    return review
