"""Who may open the awards URLs (see accounts/access.py for the levels and how the URL walk uses them)."""

from accounts.access import LOGIN, NOMINATOR, PUBLIC, STAFF, role

JURY = "jury"  # juror or chair of some award cycle
CHAIR = "chair"
PANEL = "panel"  # member of the experts-by-experience panel of some award cycle

ACCESS: dict[str, str] = {
    # public pages
    "awards:about": PUBLIC,
    "awards:call": PUBLIC,
    "awards:archive": PUBLIC,
    "awards:feed": PUBLIC,
    "awards:year": PUBLIC,
    # nominators (their organisations' nominations) and staff
    "awards:nomination_list": LOGIN,
    "awards:nomination_start": LOGIN,
    "awards:nomination_detail": role(NOMINATOR, STAFF),
    "awards:nomination_edit": role(NOMINATOR),
    "awards:nomination_submit": role(NOMINATOR),  # GET: the nomination as the jury reads it; POST submits
    "awards:nomination_reopen": role(NOMINATOR),
    "awards:nomination_withdraw": role(NOMINATOR),
    "awards:nomination_consent": role(NOMINATOR),
    "awards:nomination_pdf": role(NOMINATOR, STAFF),
    "awards:attachment_download": role(NOMINATOR, STAFF),
    "awards:attachment_delete": role(NOMINATOR),
    # staff running the cycles
    "awards:staff_cycles": role(STAFF),
    "awards:staff_cycle": role(STAFF),
    "awards:staff_cycle_transition": role(STAFF),
    "awards:staff_cycle_copy": role(STAFF),
    "awards:staff_nominations": role(STAFF),
    "awards:staff_nominations_csv": role(STAFF),
    "awards:staff_nominations_xlsx": role(STAFF),
    "awards:staff_nomination": role(STAFF),
    # the jury (jurors and chairs of a cycle; staff manage it)
    "awards:jury_home": LOGIN,
    "awards:jury_worklist": role(JURY),
    "awards:jury_review": role(JURY),
    "awards:jury_review_reopen": role(JURY),
    # an attachment of a nomination the juror reviews (PDF inline, others as downloads)
    "awards:jury_attachment": role(JURY),
    "awards:jury_conflict_declare": role(JURY),
    "awards:jury_ranking": role(CHAIR, STAFF),
    "awards:jury_manage": role(STAFF),
    "awards:jury_close": role(CHAIR, STAFF),
    "awards:jury_export_csv": role(STAFF),
    "awards:jury_export_xlsx": role(STAFF),
    # the decision (chair or staff) and its publication (staff)
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
    # the child-data safeguard (staff clear a nomination for the jury)
    "awards:staff_safeguard_clear": role(STAFF),
    # proposals by anyone, and staff's queue of them
    "awards:proposal_create": PUBLIC,
    "awards:proposal_sent": PUBLIC,
    "awards:proposal_verify": PUBLIC,
    "awards:staff_proposals": role(STAFF),
    "awards:staff_proposals_csv": role(STAFF),
    "awards:staff_proposal": role(STAFF),
    # the experts-by-experience panel: signing in with an e-mailed code, the members' pages, staff's management
    "awards:panel_sign_in": PUBLIC,
    "awards:panel_code": PUBLIC,
    "awards:panel_home": role(PANEL),
    "awards:panel_worklist": role(PANEL),
    "awards:panel_review": role(PANEL),
    "awards:panel_attachment": role(PANEL),
    "awards:panel_manage": role(STAFF),
    "awards:panel_clearance": role(STAFF),
    # the follow-up of winners: the organisation answers through an e-mailed link; staff approve
    "awards:followup_answer": PUBLIC,
    "awards:staff_follow_ups": role(STAFF),
    "awards:staff_follow_up_action": role(STAFF),
    "awards:notification_retry": role(STAFF),
}
