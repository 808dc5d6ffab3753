"""Who may open which URL: one declarative registry that every named URL of the project must appear in.

Each app declares the URLs it owns in its own `access.py` (`ACCESS`, keyed by the URL's full name) and registers
them in its AppConfig.ready(); the site's own pages are declared in config/access.py. Adding a URL? Add ONE line to
the ACCESS of the app that owns it:

    "awards:about": PUBLIC,
    "awards:nomination_list": role(NOMINATOR, JURY, STAFF),  # each listed role may open it; others never get data
    "awards:ranking": role(CHAIR, STAFF),

and, if the URL has path parameters the walk cannot fill by name (see DEFAULT_KWARGS there), give sample values in
SAMPLE_KWARGS of tests/test_url_access.py.

Levels:
- PUBLIC: anyone, signed in or not. Public pages never require the second factor.
- LOGIN: any signed-in user (anonymous users are sent to the sign-in page).
- role(...): signed-in users holding one of the named roles (STAFF, NOMINATOR here; the apps above name theirs,
  e.g. awards' JURY and CHAIR); everyone else gets 403, 404 or a redirect, never data. Staff are NOT implied:
  list STAFF too where staff may open the page. The view itself must still check the role (rules /
  permission_required); this registry is the contract the URL walk in tests/test_url_access.py holds every view to.

A whole namespace can be classified with "namespace:*" (the admin is). SECOND_FACTOR_EXEMPT lists the non-public
URLs that a juror, chair or staff member may open before passing the second factor (signing out, setting it up).
The walk fails, naming the URL, for any pattern missing here, so no view ships unguarded.
"""

PUBLIC = "public"
LOGIN = "login"

STAFF = "staff"
NOMINATOR = "nominator"


def role(*roles: str) -> str:
    return "role:" + ",".join(roles)


# Filled by register(): the URL name (or "namespace:*") → its level.
_REGISTRY: dict[str, str] = {}


def register(entries: dict[str, str]) -> None:
    """Add an app's URLs. A name registered twice with two levels is a mistake, said at start-up."""
    for name, level in entries.items():
        if _REGISTRY.setdefault(name, level) != level:
            raise ValueError(f"{name} is classified twice: {_REGISTRY[name]} and {level}")


# The URLs of accounts; registered in AccountsConfig.ready().
ACCESS: dict[str, str] = {
    "accounts:login": PUBLIC,
    "accounts:logout": PUBLIC,
    "accounts:password_reset": PUBLIC,
    "accounts:password_reset_done": PUBLIC,
    "accounts:password_reset_confirm": PUBLIC,
    "accounts:password_reset_complete": PUBLIC,
    "accounts:password_change": LOGIN,
    "accounts:password_change_done": LOGIN,
    "accounts:profile": LOGIN,
    "accounts:session_status": LOGIN,  # JSON: is the session on (asking renews it); for long forms
    "accounts:otp_setup": LOGIN,
    "accounts:otp_verify": LOGIN,
    "accounts:otp_recovery_codes": LOGIN,
    "accounts:otp_disable": LOGIN,
    "accounts:invitation_open": PUBLIC,
    "accounts:invitation_accept": PUBLIC,
    "accounts:account_request": PUBLIC,
    "accounts:account_request_done": PUBLIC,
    # the link e-mailed to an address at an organisation's domain (signed token), and asking for it when signed in
    "accounts:domain_confirm": PUBLIC,
    "accounts:domain_request": LOGIN,
    "accounts:invitation_list": role(STAFF),
    "accounts:account_request_list": role(STAFF),
    "accounts:account_request_decide": role(STAFF),
    "accounts:retention": role(STAFF),
    # the admin: staff with a verified second factor only (accounts/admin_site.py)
    "admin:*": role(STAFF),
}

SECOND_FACTOR_EXEMPT = {
    "accounts:logout",
    "accounts:session_status",
    "accounts:otp_setup",
    "accounts:otp_verify",
    "accounts:otp_recovery_codes",
}


def access_for(view_name: str | None) -> str | None:
    """The registered level of a URL name, or None when it is not classified (deny by default)."""
    if not view_name:
        return None
    if view_name in _REGISTRY:
        return _REGISTRY[view_name]
    namespace, _sep, _name = view_name.rpartition(":")
    while namespace:
        if f"{namespace}:*" in _REGISTRY:
            return _REGISTRY[f"{namespace}:*"]
        namespace, _sep, _name = namespace.rpartition(":")
    return None


def is_public(view_name: str | None) -> bool:
    return access_for(view_name) == PUBLIC
