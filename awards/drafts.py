"""Saves of a nomination that arrive after the session has ended, kept until the person signs in again.

A nominator idle past SESSION_IDLE_SECONDS, or whose browser was closed, still has the form open; their save (the
button, or the automatic save) then arrives without a signed-in user. It must not be dropped, nor applied blindly:

- Only a request that passed Django's CSRF check reaches the view, so the save came from our own page in this
  browser; it is kept in that browser's (new, anonymous) session, which sign-in carries over (django.contrib.auth
  cycles the session key and keeps its data). Nothing is written to the nomination while nobody is signed in.
- The form carries a signed token naming the user who opened it and the nomination. After sign-in, the kept save
  is applied only for that same user, through the ordinary nomination_save service: its rights, deadline and the
  optimistic version check all apply, so a save based on an older version is refused and the typed text is shown
  beside the saved one, as for a save from another window. Anyone else signing in at that browser gets nothing
  applied, and the kept save is discarded.
- Kept saves expire (DRAFT_KEEP_SECONDS) and at most MAX_KEPT are kept per browser; files are never kept (they
  cannot be stored in a session), and the person is told to add them again.
"""

from dataclasses import dataclass

from django.core import signing
from django.utils import timezone

SESSION_KEY = "awards_kept_saves"
SALT = "awards.nomination-draft-owner"
DRAFT_KEEP_SECONDS = 2 * 24 * 60 * 60
MAX_KEPT = 3
# Fields of the form that are not the person's text.
_NOT_KEPT = {"csrfmiddlewaretoken", "draft_owner"}


def owner_token(*, user, nomination) -> str:
    """The token the edit form carries: who opened it, for which nomination."""
    return signing.dumps({"u": user.pk, "n": nomination.pk}, salt=SALT)


def _owner(token: str, nomination_pk: int) -> int | None:
    try:
        data = signing.loads(token or "", salt=SALT, max_age=DRAFT_KEEP_SECONDS)
    except signing.BadSignature:
        return None
    return data.get("u") if data.get("n") == nomination_pk else None


def keep(request, nomination_pk: int, *, had_files: bool) -> bool:
    """Keep the POST of an anonymous request (the session had ended) for after sign-in. False when the form
    carried no valid owner token: then there is no one it could ever be applied for."""
    owner = _owner(request.POST.get("draft_owner", ""), nomination_pk)
    if owner is None:
        return False
    kept = dict(request.session.get(SESSION_KEY, {}))
    kept[str(nomination_pk)] = {
        "owner": owner,
        "data": {key: request.POST.getlist(key) for key in request.POST if key not in _NOT_KEPT},
        "at": timezone.now().timestamp(),
        "had_files": had_files,
    }
    # The newest few only: a browser cannot pile up kept text in the session table.
    newest = sorted(kept.items(), key=lambda item: item[1]["at"], reverse=True)[:MAX_KEPT]
    request.session[SESSION_KEY] = dict(newest)
    return True


@dataclass
class KeptSave:
    data: dict[str, list[str]]
    had_files: bool


class NotYours(Exception):  # noqa: N818 (a refusal)
    """A save was kept in this browser, but for another account: discarded."""


def take(request, nomination_pk: int) -> KeptSave | None:
    """The kept save of the nomination for the signed-in user, removed from the session; None when there is
    none (or it has expired); NotYours when it was made by someone else."""
    kept = dict(request.session.get(SESSION_KEY, {}))
    entry = kept.pop(str(nomination_pk), None)
    if entry is None:
        return None
    request.session[SESSION_KEY] = kept
    if timezone.now().timestamp() - entry["at"] > DRAFT_KEEP_SECONDS:
        return None
    if entry["owner"] != request.user.pk:
        raise NotYours
    return KeptSave(data=entry["data"], had_files=entry["had_files"])


def has_kept(request, nomination_pk: int) -> bool:
    return str(nomination_pk) in request.session.get(SESSION_KEY, {})
