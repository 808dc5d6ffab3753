"""Storage limitation (GDPR art. 5(1)(e)): how long each kind of record is kept, and the run that applies it.

Each kind is registered with its default period and the function that removes or anonymises what is older; the
apps above register theirs in AppConfig.ready() (awards: nominations' contact details, jurors' reviews). Staff
change the periods on their page; the queue's due work applies them daily and the audit log records each run
with its counts. The privacy notice lists the periods in force.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from background.models import Email

from .audit import audit
from .models import AccountRequest, Invitation, RetentionPeriod


@dataclass(frozen=True)
class Kind:
    name: str
    label: object
    default_days: int
    apply: Callable[[datetime], int]  # removes or anonymises what is older than the cut-off; returns how many
    order: int = 0


_KINDS: dict[str, Kind] = {}


def register(name: str, label, *, default_days: int, apply: Callable[[datetime], int], order: int = 0) -> None:
    _KINDS[name] = Kind(name, label, default_days, apply, order)


def kinds() -> list[Kind]:
    return sorted(_KINDS.values(), key=lambda kind: (kind.order, kind.name))


def periods() -> list[tuple[Kind, int]]:
    """Each kind with the period in force (staff's, or the default)."""
    chosen = dict(RetentionPeriod.objects.values_list("kind", "days"))
    return [(kind, chosen.get(kind.name, kind.default_days)) for kind in kinds()]


def period_set(*, kind: str, days: int, by, request=None) -> None:
    if kind not in _KINDS:
        raise ValueError(kind)
    with transaction.atomic():
        row, _created = RetentionPeriod.objects.update_or_create(kind=kind, defaults={"days": days})
        audit("retention.period_set", actor=by, target=row, request=request, kind=kind, days=days)


def retention_apply(now: datetime | None = None) -> dict[str, int]:
    """Apply every period; one audit entry with the counts. Due work, daily."""
    now = now or timezone.now()
    counts = {}
    with transaction.atomic():
        for kind, days in periods():
            counts[kind.name] = kind.apply(now - timedelta(days=days))
        audit("retention.applied", **counts)
    return counts


# The kinds of accounts ----------------------------------------------------------------------------------------


def _account_requests(cutoff: datetime) -> int:
    """Requests decided before the cut-off, or left waiting since before it."""
    old = AccountRequest.objects.filter(
        Q(decided_at__lt=cutoff) | Q(state=AccountRequest.State.PENDING, created_at__lt=cutoff)
    )
    return old.delete()[1].get("accounts.AccountRequest", 0)


def _expired_invitations(cutoff: datetime) -> int:
    """Invitations never accepted, expired before the cut-off (accepted ones record who invited whom)."""
    old = Invitation.objects.filter(accepted_at__isnull=True, expires_at__lt=cutoff)
    return old.delete()[1].get("accounts.Invitation", 0)


def _emails(cutoff: datetime) -> int:
    """The outbox's record of e-mails (address, subject, state) once they are this old."""
    old = Email.objects.filter(created_at__lt=cutoff).exclude(state__in=[Email.State.QUEUED, Email.State.RETRYING])
    return old.delete()[1].get("background.Email", 0)


def register_own() -> None:
    register(
        "account_requests",
        _("Account requests, after their decision"),
        default_days=365,
        apply=_account_requests,
        order=10,
    )
    register(
        "expired_invitations",
        _("Invitations never accepted, after they expired"),
        default_days=365,
        apply=_expired_invitations,
        order=11,
    )
    register(
        "emails", _("Records of e-mails sent (address, subject, state)"), default_days=365, apply=_emails, order=12
    )
