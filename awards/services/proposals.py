"""Every write of proposals by anyone: the proposal and its verification by an e-mailed link, and staff's
decisions: merge with a duplicate, reject with a reason, or invite the organisation to nominate, starting the
draft nomination for it. The proposer is told each decision in their own language. Nothing here reaches the jury:
only a nomination its organisation submits does.
"""

import hashlib
import hmac
import re
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.audit import audit
from accounts.models import Invitation, OrganisationMembership, User
from accounts.services import invitation_send
from awards.mail import send_templated
from awards.models import AwardCycle, Proposal
from awards.services.nominations import nomination_start
from practices.models import Organisation

VERIFY_SALT = "awards.proposal.verify"
VERIFY_VALID_FOR = timedelta(hours=48)
# Verified proposals from one address within a day before the next ones are held for staff.
FLOOD_COUNT = 3
FLOOD_WINDOW = timedelta(hours=24)
_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)


class ProposalLinkError(Exception):
    """The verification link is unknown, expired or already used; `reason` says which."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def client_hash(ip: str | None) -> str:
    """A keyed hash of the client's address: floods from one address show without keeping the address."""
    if not ip:
        return ""
    return hmac.new(settings.SECRET_KEY.encode(), f"proposal:{ip}".encode(), hashlib.sha256).hexdigest()


def is_links_only(*texts: str) -> bool:
    """The texts are (nearly) nothing but links: fewer than 30 letters outside them, or more than five links."""
    joined = " ".join(texts)
    links = _URL.findall(joined)
    if not links:
        return False
    letters = sum(ch.isalpha() for ch in _URL.sub(" ", joined))
    return letters < 30 or len(links) > 5


def _refuse_unless_staff(user) -> None:
    if not (user.is_authenticated and user.is_active and user.is_staff):
        raise PermissionDenied


def _absolute(path: str) -> str:
    return settings.SITE_URL + path


# E-mails, one small function each -----------------------------------------------------------------------------


def proposal_verification_email_send(*, proposal: Proposal, link: str) -> None:
    send_templated(
        to=[proposal.email],
        language=proposal.language,
        template="awards/proposals/email/verify",
        context={"proposal": proposal, "link": link, "valid_hours": int(VERIFY_VALID_FOR.total_seconds() // 3600)},
        purpose="proposal_verification",
        key=str(proposal.pk),
    )


def proposal_decision_email_send(*, proposal: Proposal) -> None:
    """Tell the proposer what staff decided (merged, rejected with the reason, or the organisation invited)."""
    send_templated(
        to=[proposal.email],
        language=proposal.language,
        template="awards/proposals/email/decision",
        context={"proposal": proposal},
        purpose="proposal_decision",
        key=f"{proposal.pk}:{proposal.state}",
    )


def proposal_invitation_email_send(*, proposal: Proposal, to: str, language: str, has_account: bool) -> None:
    """Tell the organisation's person about the proposal and the draft nomination waiting for them."""
    with translation.override(language):
        link = _absolute(reverse("awards:nomination_edit", args=[proposal.nomination_id]))
    send_templated(
        to=[to],
        language=language,
        template="awards/proposals/email/organisation",
        context={"proposal": proposal, "link": link, "has_account": has_account},
        purpose="proposal_organisation",
        key=str(proposal.pk),
    )


# The public -------------------------------------------------------------------------------------------------


def proposal_create(*, data: dict, municipalities, language: str, ip: str | None = None, request=None) -> Proposal:
    """Store the proposal as a draft and e-mail the link that verifies the address; until then staff do not see
    it, and an unverified draft is deleted after two days (proposals_purge_unverified)."""
    with transaction.atomic():
        proposal = Proposal.objects.create(
            **data,
            language=language if language in {"fi", "sv", "en"} else "fi",
            cycle=AwardCycle.objects.open_for_nominations().order_by("-year").first(),
            client_hash=client_hash(ip),
        )
        proposal.municipalities.set(municipalities)
        token = signing.dumps(proposal.pk, salt=VERIFY_SALT)
        with translation.override(proposal.language):
            link = _absolute(reverse("awards:proposal_verify", kwargs={"token": token}))
        audit("proposal.created", target=proposal, request=request)
        proposal_verification_email_send(proposal=proposal, link=link)
    return proposal


def proposal_for_token(token: str) -> Proposal:
    try:
        pk = signing.loads(token, salt=VERIFY_SALT, max_age=VERIFY_VALID_FOR)
    except signing.SignatureExpired as exc:
        raise ProposalLinkError("expired") from exc
    except signing.BadSignature as exc:
        raise ProposalLinkError("unknown") from exc
    proposal = Proposal.objects.filter(pk=pk).first()
    if proposal is None:
        raise ProposalLinkError("unknown")
    if proposal.state != Proposal.State.UNVERIFIED:
        raise ProposalLinkError("used")
    return proposal


def proposal_verify(*, token: str, request=None) -> Proposal:
    """The proposer followed the link: the proposal joins the staff's queue, or is held when it has links only or
    comes in a flood from one address."""
    with transaction.atomic():
        proposal = proposal_for_token(token)
        proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
        if proposal.state != Proposal.State.UNVERIFIED:
            raise ProposalLinkError("used")
        now = timezone.now()
        recent = (
            Proposal.objects.filter(client_hash=proposal.client_hash, verified_at__gte=now - FLOOD_WINDOW)
            .exclude(client_hash="")
            .count()
        )
        if is_links_only(proposal.description, proposal.reason, proposal.practice_name):
            proposal.state, proposal.held_reason = Proposal.State.HELD, Proposal.Held.LINKS_ONLY
        elif recent >= FLOOD_COUNT:
            proposal.state, proposal.held_reason = Proposal.State.HELD, Proposal.Held.FLOOD
        else:
            proposal.state = Proposal.State.NEW
        proposal.verified_at = now
        proposal.save(update_fields=["state", "held_reason", "verified_at"])
        audit("proposal.verified", target=proposal, request=request, state=proposal.state)
    return proposal


def proposals_purge_unverified(now=None) -> int:
    """Delete drafts whose address was never verified: nothing of them is kept beyond the link's validity."""
    now = now or timezone.now()
    deleted, _per_model = Proposal.objects.filter(
        state=Proposal.State.UNVERIFIED, created_at__lt=now - VERIFY_VALID_FOR
    ).delete()
    return deleted


# Staff ------------------------------------------------------------------------------------------------------


def _lock_open(proposal: Proposal) -> Proposal:
    locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if not locked.is_open:
        raise ValidationError(_("This proposal has already been handled."), code="decided")
    return locked


def _decided(proposal: Proposal, by, state: str) -> None:
    proposal.state = state
    proposal.decided_at = timezone.now()
    proposal.decided_by = by


def proposal_release(*, proposal: Proposal, by, request=None) -> Proposal:
    """A held proposal turned out to be fine: it joins the queue."""
    _refuse_unless_staff(by)
    with transaction.atomic():
        locked = _lock_open(proposal)
        if locked.state != Proposal.State.HELD:
            raise ValidationError(_("Only a held proposal can be released."), code="not_held")
        locked.state = Proposal.State.NEW
        locked.save(update_fields=["state"])
        audit("proposal.released", actor=by, target=locked, request=request)
    return locked


def proposal_merge(*, proposal: Proposal, into: Proposal, by, request=None) -> Proposal:
    """The proposal repeats another: it is closed, pointing at the one it duplicates; its proposer is told."""
    _refuse_unless_staff(by)
    if into.pk == proposal.pk:
        raise ValidationError({"into": _("A proposal cannot be merged into itself.")})
    with transaction.atomic():
        locked = _lock_open(proposal)
        target = Proposal.objects.select_for_update().get(pk=into.pk)
        if target.state in {Proposal.State.UNVERIFIED, Proposal.State.REJECTED}:
            raise ValidationError({"into": _("Choose a verified proposal that has not been rejected.")})
        while target.merged_into_id is not None:  # always point at the surviving proposal
            target = target.merged_into
        if target.pk == locked.pk:
            raise ValidationError({"into": _("A proposal cannot be merged into itself.")})
        _decided(locked, by, Proposal.State.MERGED)
        locked.merged_into = target
        locked.save()
        audit("proposal.merged", actor=by, target=locked, request=request, into=target.pk)
        proposal_decision_email_send(proposal=locked)
    return locked


def proposal_reject(*, proposal: Proposal, reason: str, by, request=None) -> Proposal:
    _refuse_unless_staff(by)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason; the proposer is told it.")})
    with transaction.atomic():
        locked = _lock_open(proposal)
        _decided(locked, by, Proposal.State.REJECTED)
        locked.rejection_reason = reason
        locked.save()
        audit("proposal.rejected", actor=by, target=locked, request=request)
        proposal_decision_email_send(proposal=locked)
    return locked


def proposal_invite(
    *, proposal: Proposal, organisation: Organisation, email: str, language: str, by, request=None
) -> Proposal:
    """Invite `organisation` to turn the proposal into a full nomination: a draft nomination of the open cycle is
    started for it from the proposal (the proposer credited on it), the person at `email` becomes the
    organisation's nominator through an invitation unless they already are, and the proposer is told."""
    _refuse_unless_staff(by)
    email = User.objects.normalize_email(email)
    with transaction.atomic():
        locked = _lock_open(proposal)
        cycle = AwardCycle.objects.open_for_nominations().order_by("-year").first()
        if cycle is None:
            raise ValidationError(_("No award cycle is open for nominations, so no nomination can be started."))
        nomination = nomination_start(
            cycle=cycle,
            organisation=organisation,
            practice_name=locked.practice_name,
            by=by,
            on_behalf=True,
            request=request,
        )
        # The proposer's words start the description; the organisation rewrites it as its own nomination.
        nomination.summary = locked.description
        nomination.save(update_fields=["summary", "updated_at"])
        if locked.municipalities.exists():
            nomination.municipalities.set(locked.municipalities.all())
        _decided(locked, by, Proposal.State.INVITED)
        locked.organisation = organisation
        locked.nomination = nomination
        locked.save()
        person = User.objects.filter(email__iexact=email).first()
        nominates = (
            person is not None
            and OrganisationMembership.objects.filter(
                user=person, organisation=organisation, can_nominate=True
            ).exists()
        )
        if not nominates:
            invitation_send(
                email=email,
                role=Invitation.Role.NOMINATOR,
                organisation=organisation,
                language=language,
                by=by,
                request=request,
            )
        audit("proposal.invited", actor=by, target=locked, request=request, nomination=nomination.pk)
        has_account = person is not None
        proposal_decision_email_send(proposal=locked)
        proposal_invitation_email_send(proposal=locked, to=email, language=language, has_account=has_account)
    return locked
