"""Every write of the accounts app: roles, invitations, account requests and second-factor devices."""

import base64
import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from background import outbox
from practices.models import Organisation

from .audit import audit
from .models import AccountRequest, Invitation, OrganisationMembership, User
from .roles import scoped_role
from .rules import role_requires_second_factor

INVITATION_VALID_FOR = timedelta(days=14)
RECOVERY_CODE_COUNT = 10


class InvitationInvalidError(Exception):
    """The invitation link is unknown, expired or already used. `reason` is one of those words."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _absolute(path: str) -> str:
    return settings.SITE_URL + path


# The e-mails of accounts (background/outbox.py): their purposes, as staff see them.
PURPOSES = {
    "invitation": gettext_lazy("invitation"),
    "account_approved": gettext_lazy("account approved"),
    "account_rejected": gettext_lazy("account request rejected"),
    "account_request_received": gettext_lazy("account request received"),
    "account_request_staff_notice": gettext_lazy("new account request, to staff"),
    "password_reset": gettext_lazy("password reset"),
    "domain_proof": gettext_lazy("proof of an address at an organisation's domain"),
}


# Roles -------------------------------------------------------------------------------------------------------


def role_grant(
    *, user: User, role: str, organisation: Organisation | None = None, scope=None, by: User | None = None
) -> None:
    """Give `user` a role: a nominator's for `organisation`, staff, or a role registered by an app above for its
    `scope` (accounts/roles.py). Audited by signals on the rows that hold the role."""
    if role == Invitation.Role.NOMINATOR:
        OrganisationMembership.objects.update_or_create(
            user=user, organisation=organisation, defaults={"can_nominate": True}
        )
    elif role == Invitation.Role.STAFF:
        if not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
    elif (scoped := scoped_role(role)) is not None:
        scoped.grant(user=user, scope=scope)
    else:
        raise ValueError(role)


# Invitations -------------------------------------------------------------------------------------------------


def invitation_send(
    *,
    email: str,
    role: str,
    by: User,
    organisation: Organisation | None = None,
    scope=None,
    language: str | None = None,
    request=None,
) -> Invitation:
    """Invite `email` to `role` (for `organisation`, or for the `scope` of a registered role); the e-mail holds the
    only copy of the link's token."""
    if not (by.is_active and by.is_staff):
        raise PermissionDenied
    email = User.objects.normalize_email(email)
    existing = User.objects.filter(email=email).first()
    language = language or (existing.preferred_language if existing else settings.LANGUAGE_CODE)
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        invitation = Invitation.objects.create(
            email=email,
            role=role,
            organisation=organisation if role == Invitation.Role.NOMINATOR else None,
            scope=scope if scoped_role(role) is not None else None,
            language=language,
            token_hash=hash_token(token),
            invited_by=by,
            expires_at=timezone.now() + INVITATION_VALID_FOR,
        )
        audit("invitation_sent", actor=by, target=invitation, request=request, role=role, email=email)
        with translation.override(language):
            # The token travels after '#': browsers never send that part, so it appears in no access log (the
            # page posts it, accounts/views.py). The e-mail also gives the page and the code apart.
            page = _absolute(reverse("accounts:invitation_open"))
            link = f"{page}#{token}"
        outbox.send(
            to=email,
            purpose="invitation",
            key=str(invitation.pk),
            language=language,
            subject=gettext_lazy("Invitation to the Kunnallinen lastensuojeluteko service"),
            template="accounts/email/invitation",
            context={
                "invitation": invitation,
                "link": link,
                "page": page,
                "code": token,
                "inviter": by,
                "passwordless": bool(getattr(scoped_role(role), "sign_in_url", "")),
            },
            recipient=existing,
        )
    return invitation


def invitation_for_token(token: str = "", *, token_hash: str = "") -> Invitation:
    """The usable invitation behind a link's token (or the token's hash), or InvitationInvalidError saying why
    not."""
    invitation = Invitation.objects.filter(token_hash=token_hash or hash_token(token)).first()
    if invitation is None:
        raise InvitationInvalidError("unknown")
    if invitation.accepted_at is not None:
        raise InvitationInvalidError("used")
    if invitation.is_expired:
        raise InvitationInvalidError("expired")
    return invitation


def invitation_accept(
    *,
    token: str = "",
    token_hash: str = "",
    user: User | None = None,
    first_name: str = "",
    last_name: str = "",
    password: str = "",
    request=None,
) -> User:
    """Accept an invitation: for a new person create the account (name, password), then grant the role.
    A role that signs in with e-mailed codes (ScopedRole.sign_in_url) gets an account without a password.

    An existing account accepts by being signed in as the invited address (`user`). The invitation is locked
    so that two tabs accepting at once grant the role once and the second gets InvitationInvalidError("used").
    """
    with transaction.atomic():
        found = Invitation.objects.filter(token_hash=token_hash or hash_token(token)).select_for_update().first()
        if found is None:
            raise InvitationInvalidError("unknown")
        if found.accepted_at is not None:
            raise InvitationInvalidError("used")
        if found.is_expired:
            raise InvitationInvalidError("expired")
        existing = User.objects.filter(email__iexact=found.email).first()
        if existing is not None:
            if user is None or user.pk != existing.pk:
                raise PermissionDenied
            account = existing
        else:
            account = User(email=found.email, first_name=first_name, last_name=last_name)
            account.preferred_language = found.language
            role = scoped_role(found.role)
            if role is not None and role.sign_in_url:
                account.set_unusable_password()
            else:
                validate_password(password, account)
                account.set_password(password)
            account.save()
        role_grant(user=account, role=found.role, organisation=found.organisation, scope=found.scope, by=None)
        found.accepted_at = timezone.now()
        found.accepted_by = account
        found.save(update_fields=["accepted_at", "accepted_by"])
        audit("invitation_accepted", actor=account, target=found, request=request, role=found.role)
    return account


# Account requests --------------------------------------------------------------------------------------------


def account_request_create(*, data: dict, language: str, request=None) -> AccountRequest:
    """Record a request for an account. An address at the chosen organisation's own e-mail domain gets a link that
    proves it, and so nominating rights at once, without staff (`proved_by_domain` is then true); otherwise the
    person gets a receipt and every active staff member a notice with the number of requests now waiting, each in
    their own language."""
    with transaction.atomic():
        account_request = AccountRequest.objects.create(language=language, **data)
        audit("account_requested", target=account_request, request=request)
        organisation = (
            domain_organisation(account_request.email, account_request.organisation)
            if account_request.organisation_id
            else None
        )
        account_request.proved_by_domain = organisation is not None
        if organisation is not None:
            domain_proof_send(
                email=account_request.email,
                organisation=organisation,
                language=language,
                account_request=account_request,
                request=request,
            )
            return account_request
        outbox.send(
            to=account_request.email,
            purpose="account_request_received",
            key=str(account_request.pk),
            language=language,
            template="accounts/email/account_request_received",
            context={"account_request": account_request},
        )
        pending = AccountRequest.objects.filter(state=AccountRequest.State.PENDING).count()
        for member in User.objects.filter(is_staff=True, is_active=True).order_by("pk"):
            with translation.override(member.preferred_language):
                list_url = _absolute(reverse("accounts:account_request_list"))
            outbox.send(
                to=member.email,
                purpose="account_request_staff_notice",
                key=str(account_request.pk),
                language=member.preferred_language,
                template="accounts/email/account_request_staff_notice",
                context={"account_request": account_request, "pending": pending, "list_url": list_url},
                recipient=member,
            )
    return account_request


def password_reset_email(*, user: User, context: dict) -> None:
    """The e-mail with a link to set a new password (Django's reset form calls this with its context: the
    address, uid and token of the link)."""
    outbox.send(
        to=user.email,
        purpose="password_reset",
        # Each request is an e-mail of its own; the key never holds the link's token.
        key=f"{user.pk}:{timezone.now().isoformat()}:{secrets.token_hex(4)}",
        language=user.preferred_language,
        template="accounts/email/password_reset",
        context=context,
        recipient=user,
    )


def account_approved_context(*, user: User) -> dict:
    """What the approval e-mail says: a link to set the password, and when that link stops working."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    with translation.override(user.preferred_language):
        link = _absolute(reverse("accounts:password_reset_confirm", kwargs={"uidb64": uid, "token": token}))
    expires_at = timezone.now() + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT)
    return {"user": user, "link": link, "expires_at": expires_at}


def _send_set_password(*, user: User, account_request: AccountRequest) -> None:
    outbox.send(
        to=user.email,
        purpose="account_approved",
        key=str(account_request.pk),
        language=user.preferred_language,
        subject=gettext_lazy("Your account in the Kunnallinen lastensuojeluteko service"),
        template="accounts/email/account_approved",
        context=account_approved_context(user=user),
        recipient=user,
    )


def _organisation_as_typed(*, name: str, kind: str, by: User, request=None) -> Organisation:
    """The organisation a person typed: an existing one of that name and type (a colleague asked first, or staff
    added it meanwhile) is reused, never created twice; a new one is created and audited."""
    name = " ".join(name.split())
    existing = Organisation.objects.filter(name__iexact=name, kind=kind).order_by("pk").first()
    if existing is not None:
        return existing
    # Two approvals of the same new organisation at once: get_or_create meets the unique constraint and reads the
    # row the other one made, instead of failing.
    organisation, created = Organisation.objects.get_or_create(name=name, kind=kind)
    if created:
        audit("organisation_created", actor=by, target=organisation, request=request)
    return organisation


def account_request_approve(
    *,
    account_request: AccountRequest,
    by: User,
    organisation: Organisation | None = None,
    new_organisation_kind: str | None = None,
    request=None,
) -> User:
    """Create the account (or reuse one with the address), make it a nominator for `organisation` (or for a new
    organisation of `new_organisation_kind` named as the person typed it), and e-mail a link to set the password."""
    if not (by.is_active and by.is_staff):
        raise PermissionDenied
    with transaction.atomic():
        locked = AccountRequest.objects.select_for_update().get(pk=account_request.pk)
        if locked.state != AccountRequest.State.PENDING:
            raise ValidationError(_("This request has already been decided."))
        if organisation is None:
            if not (new_organisation_kind and locked.organisation_name.strip()):
                raise ValidationError(_("Choose the organisation the new nominator acts for."))
            organisation = _organisation_as_typed(
                name=locked.organisation_name, kind=new_organisation_kind, by=by, request=request
            )
        user, _is_new = _approve(locked, organisation=organisation, by=by, request=request)
        _send_set_password(user=user, account_request=locked)
    return user


def _approve(locked: AccountRequest, *, organisation: Organisation, by: User | None, request, via: str = "staff"):
    """The account of an approved request (created, or the one with the address), a nominator for `organisation`."""
    user = User.objects.filter(email__iexact=locked.email).first()
    is_new = user is None
    if user is None:
        user = User.objects.create_user(
            locked.email,
            None,  # unusable until the person sets it through the e-mailed link
            first_name=locked.first_name,
            last_name=locked.last_name,
            title=locked.title,
            phone=locked.phone,
            preferred_language=locked.language,
        )
    role_grant(user=user, role=Invitation.Role.NOMINATOR, organisation=organisation, by=by)
    locked.state = AccountRequest.State.APPROVED
    locked.organisation = organisation
    locked.decided_at = timezone.now()
    locked.decided_by = by
    locked.user = user
    locked.save()
    audit("account_request_approved", actor=by, target=locked, request=request, user_id=user.pk, via=via)
    return user, is_new


def set_password_url(user: User) -> str:
    """The page where `user` sets a password (the password-reset link), for one who has just proved their address."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse(
        "accounts:password_reset_confirm", kwargs={"uidb64": uid, "token": default_token_generator.make_token(user)}
    )


# Nominating rights by an organisation's e-mail domain ------------------------------------------------------------

DOMAIN_PROOF_SALT = "accounts.domain-proof"
DOMAIN_LINK_VALID = timedelta(days=3)


class DomainProofInvalidError(Exception):
    """The link is unknown, expired, used, or no longer matches a domain of the organisation."""


def email_domain(email: str) -> str:
    return User.objects.normalize_email(email).rpartition("@")[2]


def domain_organisation(email: str, organisation: Organisation | None = None) -> Organisation | None:
    """The organisation an address at its e-mail domain proves one works for: `organisation` itself if it has the
    address's domain; without one, the only organisation that has it. None otherwise."""
    domain = email_domain(email)
    if not domain:
        return None
    matching = Organisation.objects.filter(email_domains__domain=domain)
    if organisation is not None:
        return matching.filter(pk=organisation.pk).first()
    found = list(matching[:2])
    return found[0] if len(found) == 1 else None


def domain_proof_context(*, email: str, organisation: Organisation, language: str, **ids) -> dict:
    """What the e-mail with the proof link says (rendering only; sending is _send)."""
    token = signing.dumps({"e": email, "o": organisation.pk, **ids}, salt=DOMAIN_PROOF_SALT)
    with translation.override(language):
        link = _absolute(reverse("accounts:domain_confirm", kwargs={"token": token}))
    return {
        "email": email,
        "organisation": organisation,
        "link": link,
        "expires_at": timezone.now() + DOMAIN_LINK_VALID,
    }


def domain_proof_send(
    *, email: str, organisation: Organisation, language: str, account_request=None, user=None, request=None
) -> None:
    """E-mail a link to `email`: opening it proves the address, and so nominating rights for `organisation`."""
    ids = {"r": account_request.pk} if account_request is not None else {"u": user.pk}
    context = domain_proof_context(email=email, organisation=organisation, language=language, **ids)
    audit("domain_proof_sent", actor=user, request=request, email=email, organisation=organisation.pk)
    outbox.send(
        to=email,
        purpose="domain_proof",
        # Each asking is an e-mail of its own (the form is limited per address); the key holds no token.
        key=f"{organisation.pk}:{timezone.now().isoformat()}:{secrets.token_hex(4)}",
        language=language,
        subject=gettext_lazy("Confirm your address to nominate in the Kunnallinen lastensuojeluteko service"),
        template="accounts/email/domain_proof",
        context=context,
        recipient=user,
    )


def domain_proof_read(token: str) -> tuple[dict, Organisation]:
    """The content of a valid proof link, or DomainProofInvalidError. The domain is re-checked now: a domain staff
    removed meanwhile proves nothing any more."""
    try:
        data = signing.loads(token, salt=DOMAIN_PROOF_SALT, max_age=DOMAIN_LINK_VALID)
    except signing.BadSignature as exc:
        raise DomainProofInvalidError from exc
    organisation = Organisation.objects.filter(pk=data.get("o")).first()
    if organisation is None or domain_organisation(data.get("e", ""), organisation) is None:
        raise DomainProofInvalidError
    return data, organisation


def domain_proof_confirm(*, token: str, request=None) -> tuple[User, Organisation, bool]:
    """The person opened the link and confirmed: they may nominate for the organisation from now on. For an
    account request the account is created (as staff approval would); returns (user, organisation, is_new)."""
    data, organisation = domain_proof_read(token)
    email = User.objects.normalize_email(data["e"])
    with transaction.atomic():
        if "r" in data:
            locked = AccountRequest.objects.select_for_update().filter(pk=data["r"], email__iexact=email).first()
            if locked is None or locked.state == AccountRequest.State.REJECTED:
                raise DomainProofInvalidError
            if locked.state == AccountRequest.State.APPROVED and locked.user_id:
                return locked.user, organisation, False  # the link opened twice
            user, is_new = _approve(locked, organisation=organisation, by=None, request=request, via="domain")
        else:
            user = User.objects.filter(pk=data.get("u"), email__iexact=email, is_active=True).first()
            if user is None:
                raise DomainProofInvalidError
            is_new = False
        role_grant(user=user, role=Invitation.Role.NOMINATOR, organisation=organisation)
        audit("nominator_by_domain", actor=user, target=user, request=request, organisation=organisation.pk)
    return user, organisation, is_new


def account_request_reject(*, account_request: AccountRequest, by: User, request=None) -> AccountRequest:
    if not (by.is_active and by.is_staff):
        raise PermissionDenied
    with transaction.atomic():
        locked = AccountRequest.objects.select_for_update().get(pk=account_request.pk)
        if locked.state != AccountRequest.State.PENDING:
            raise ValidationError(_("This request has already been decided."))
        locked.state = AccountRequest.State.REJECTED
        locked.decided_at = timezone.now()
        locked.decided_by = by
        locked.save()
        audit("account_request_rejected", actor=by, target=locked, request=request)
        outbox.send(
            to=locked.email,
            purpose="account_rejected",
            key=str(locked.pk),
            language=locked.language,
            subject=gettext_lazy("Your account request to the Kunnallinen lastensuojeluteko service"),
            template="accounts/email/account_rejected",
            context={"account_request": locked},
        )
    return locked


# Profile -----------------------------------------------------------------------------------------------------


def profile_update(*, user: User, data: dict, request=None) -> User:
    with transaction.atomic():
        for field, value in data.items():
            setattr(user, field, value)
        user.save(update_fields=list(data))
        audit("profile_updated", actor=user, target=user, request=request, fields=sorted(data))
    return user


# Second factor -----------------------------------------------------------------------------------------------


def totp_secret_base32(device: TOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode()


def totp_device_pending(*, user: User) -> TOTPDevice:
    """The unconfirmed authenticator being set up (one per user, reused until confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=_("Authenticator app"), confirmed=False)
    return device


def totp_device_confirm(*, user: User, token: str, request=None) -> tuple[TOTPDevice, list[str]] | None:
    """Confirm the pending authenticator with a code from it; returns the device and fresh recovery codes,
    or None when the code is wrong."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).order_by("pk").first()
        if device is None or not device.verify_token(token):
            return None
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        codes = recovery_codes_regenerate(user=user, request=request, audit_event=False)
        audit("second_factor_added", actor=user, target=user, request=request)
    return device, codes


def recovery_codes_regenerate(*, user: User, request=None, audit_event: bool = True) -> list[str]:
    """Replace the user's recovery codes; each one works once. Only the caller sees them, once."""
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name=_("Recovery codes"), confirmed=True)
        codes = [StaticToken.random_token() for _i in range(RECOVERY_CODE_COUNT)]
        StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
        if audit_event:
            audit("recovery_codes_regenerated", actor=user, target=user, request=request)
    return codes


def second_factor_verify(*, user: User, token: str, request=None):
    """The device accepting `token` (an authenticator code or an unused recovery code), or None.

    Six digits are an authenticator code, anything else a recovery code, so that a recovery code never counts
    as a wrong authenticator code (which would slow the next try down)."""
    token = (token or "").replace(" ", "").strip()
    if not token:
        return None
    is_totp = token.isdigit() and len(token) == 6
    devices = (
        TOTPDevice.objects.filter(user=user, confirmed=True) if is_totp else StaticDevice.objects.filter(user=user)
    )
    for device in devices:
        allowed, _details = device.verify_is_allowed()
        if allowed and device.verify_token(token):
            audit(
                "second_factor_passed",
                actor=user,
                target=user,
                request=request,
                method="totp" if is_totp else "recovery_code",
            )
            return device
    audit("second_factor_failed", actor=user, target=user, request=request)
    return None


def second_factor_throttled_until(*, user: User):
    """When wrong codes have been tried, the authenticator refuses further tries until this time (or None)."""
    for device in TOTPDevice.objects.filter(user=user):
        allowed, details = device.verify_is_allowed()
        if not allowed and details and details.get("locked_until"):
            return details["locked_until"]
    return None


def second_factor_remove(*, user: User, request=None) -> None:
    """Turn the voluntary second factor off. Staff and holders of an elevated role cannot: they must keep one."""
    if role_requires_second_factor(user):
        raise PermissionDenied
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        audit("second_factor_removed", actor=user, target=user, request=request)
