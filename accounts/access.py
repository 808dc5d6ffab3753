"""Who may open which URL: one declarative registry that every named URL of the project must appear in.

Adding a URL? Add ONE line to ACCESS below, keyed by the URL's full name ("namespace:name"):

    "awards:about": PUBLIC,
    "awards:nomination_list": role(NOMINATOR, JURY, STAFF),  # each listed role may open it; others never get data
    "awards:ranking": role(CHAIR, STAFF),

and, if the URL has path parameters the walk cannot fill by name (see DEFAULT_KWARGS there), give sample values in
SAMPLE_KWARGS of tests/test_url_access.py.

Levels:
- PUBLIC: anyone, signed in or not. Public pages never require the second factor.
- LOGIN: any signed-in user (anonymous users are sent to the sign-in page).
- role(...): signed-in users holding one of the named roles (STAFF, NOMINATOR, JURY, CHAIR); everyone else
  gets 403, 404 or a redirect, never data. Staff are NOT implied: list STAFF too where staff may open the page.
  The view itself must still check the role (rules / permission_required); this registry is the contract the
  URL walk in tests/test_url_access.py holds every view to.

A whole namespace can be classified with "namespace:*" (the admin is). SECOND_FACTOR_EXEMPT lists the non-public
URLs that a juror, chair or staff member may open before passing the second factor (signing out, setting it up).
The walk fails, naming the URL, for any pattern missing here, so no view ships unguarded.
"""

PUBLIC = "public"
LOGIN = "login"

STAFF = "staff"
NOMINATOR = "nominator"
JURY = "jury"  # juror or chair of some award cycle
CHAIR = "chair"


def role(*roles: str) -> str:
    return "role:" + ",".join(roles)


ACCESS: dict[str, str] = {
    # config/urls.py
    "healthz": PUBLIC,
    "set_language": PUBLIC,
    "root": PUBLIC,
    "home": PUBLIC,
    "accessibility": PUBLIC,
    "privacy": PUBLIC,
    "sitemap": PUBLIC,
    # accounts
    "accounts:login": PUBLIC,
    "accounts:logout": PUBLIC,
    "accounts:password_reset": PUBLIC,
    "accounts:password_reset_done": PUBLIC,
    "accounts:password_reset_confirm": PUBLIC,
    "accounts:password_reset_complete": PUBLIC,
    "accounts:password_change": LOGIN,
    "accounts:password_change_done": LOGIN,
    "accounts:profile": LOGIN,
    "accounts:otp_setup": LOGIN,
    "accounts:otp_verify": LOGIN,
    "accounts:otp_recovery_codes": LOGIN,
    "accounts:otp_disable": LOGIN,
    "accounts:invitation_accept": PUBLIC,
    "accounts:account_request": PUBLIC,
    "accounts:account_request_done": PUBLIC,
    "accounts:invitation_list": role(STAFF),
    "accounts:account_request_list": role(STAFF),
    "accounts:account_request_decide": role(STAFF),
    # awards: public pages
    "awards:about": PUBLIC,
    "awards:call": PUBLIC,
    "awards:archive": PUBLIC,
    "awards:feed": PUBLIC,
    "awards:year": PUBLIC,
    # awards: nominators (their organisations' nominations) and staff
    "awards:nomination_list": LOGIN,
    "awards:nomination_start": LOGIN,
    "awards:nomination_detail": role(NOMINATOR, STAFF),
    "awards:nomination_edit": role(NOMINATOR),
    "awards:nomination_submit": role(NOMINATOR),
    "awards:nomination_reopen": role(NOMINATOR),
    "awards:nomination_withdraw": role(NOMINATOR),
    "awards:nomination_pdf": role(NOMINATOR, STAFF),
    "awards:attachment_download": role(NOMINATOR, STAFF),
    "awards:attachment_delete": role(NOMINATOR),
    # awards: staff running the cycles
    "awards:staff_cycles": role(STAFF),
    "awards:staff_cycle": role(STAFF),
    "awards:staff_cycle_transition": role(STAFF),
    "awards:staff_cycle_copy": role(STAFF),
    "awards:staff_nominations": role(STAFF),
    "awards:staff_nominations_csv": role(STAFF),
    "awards:staff_nominations_xlsx": role(STAFF),
    "awards:staff_nomination": role(STAFF),
    # awards: the jury (jurors and chairs of a cycle; staff manage it)
    "awards:jury_home": LOGIN,
    "awards:jury_worklist": role(JURY),
    "awards:jury_review": role(JURY),
    "awards:jury_review_reopen": role(JURY),
    "awards:jury_conflict_declare": role(JURY),
    "awards:jury_ranking": role(CHAIR, STAFF),
    "awards:jury_manage": role(STAFF),
    "awards:jury_export_csv": role(STAFF),
    "awards:jury_export_xlsx": role(STAFF),
    # awards: the decision (chair or staff) and its publication (staff)
    "awards:decision_index": role(CHAIR, STAFF),
    "awards:decision": role(CHAIR, STAFF),
    "awards:decision_confirm": role(CHAIR, STAFF),
    "awards:decision_reopen": role(STAFF),
    "awards:publication": role(STAFF),
    "awards:announcement_save": role(STAFF),
    "awards:image_add": role(STAFF),
    "awards:image_remove": role(STAFF),
    "awards:preview": role(STAFF),
    "awards:publish": role(STAFF),
    "awards:unpublish": role(STAFF),
    "awards:notifications": role(STAFF),
    # practices: the public library, its places and the open-data API
    "practices:library": PUBLIC,
    "practices:municipality_list": PUBLIC,
    "practices:county_list": PUBLIC,
    "practices:region_list": PUBLIC,
    "api:*": PUBLIC,
    "practices:practice_detail": PUBLIC,
    "practices:municipality_detail": PUBLIC,
    "practices:county_detail": PUBLIC,
    "practices:region_detail": PUBLIC,
    # MEDIA_URL: public uploads (announcement images); private attachments live elsewhere.
    "media": PUBLIC,
    # the admin: staff with a verified second factor only (accounts/admin_site.py)
    "admin:*": role(STAFF),
}

SECOND_FACTOR_EXEMPT = {
    "accounts:logout",
    "accounts:otp_setup",
    "accounts:otp_verify",
    "accounts:otp_recovery_codes",
}


def access_for(view_name: str | None) -> str | None:
    """The registered level of a URL name, or None when it is not classified (deny by default)."""
    if not view_name:
        return None
    if view_name in ACCESS:
        return ACCESS[view_name]
    namespace, _sep, _name = view_name.rpartition(":")
    while namespace:
        if f"{namespace}:*" in ACCESS:
            return ACCESS[f"{namespace}:*"]
        namespace, _sep, _name = namespace.rpartition(":")
    return None


def is_public(view_name: str | None) -> bool:
    return access_for(view_name) == PUBLIC
