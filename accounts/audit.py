"""Writing the audit trail: one function used by every service, view and signal."""

import logging

from .models import AuditEvent
from .network import client_address

logger = logging.getLogger("audit")

# Keys that must never reach the audit table or the log, whatever a caller passes.
_SECRET_KEYS = {"password", "password1", "password2", "token", "otp_token", "session_key", "secret", "key"}


def client_ip(request) -> str | None:
    if request is None:
        return None
    return client_address(request)


def safe_path(request) -> str:
    """The request's path for the audit, with secret path parameters (tokens in links) left as placeholders."""
    match = getattr(request, "resolver_match", None)
    if match is not None and any(name.lower() in _SECRET_KEYS | {"uidb64"} for name in match.kwargs):
        path = request.path
        for name, value in match.kwargs.items():
            if name.lower() in _SECRET_KEYS | {"uidb64"}:
                path = path.replace(str(value), f"<{name}>")
        return path
    return request.path


def audit(action: str, *, actor=None, target=None, request=None, **data) -> AuditEvent:
    """Record `action` by `actor` on `target` with extra details (secrets are dropped)."""
    clean = {k: v for k, v in data.items() if k.lower() not in _SECRET_KEYS}
    user = actor if getattr(actor, "is_authenticated", False) else None
    event = AuditEvent.objects.create(
        actor=user,
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        ip_address=client_ip(request),
        data=clean,
    )
    # The log line goes to stdout and on to wherever the operator keeps logs: ids only. The details (an address,
    # a reason, a comment) stay in the audit table, which staff read and the retention rules apply to.
    logger.info(
        "%s actor=%s target=%s:%s details=%s",
        action,
        user.pk if user else "-",
        event.target_type or "-",
        event.target_id or "-",
        ",".join(sorted(clean)) or "-",
    )
    return event
