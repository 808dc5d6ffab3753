"""Awards URLs, grouped by area as the views are: cycles, nominations, publication, decisions, jury."""

from django.urls import path

from .views import cycles, decisions, jury, publication
from .views import nominations as nomination_views

app_name = "awards"

urlpatterns = [
    path("palkinto/", cycles.AboutView.as_view(), name="about"),
]

# Nominations: the call, the nominators' pages and the staff's pages; the staff's pages of cycles.
urlpatterns += [
    path("palkinto/haku/", nomination_views.CallView.as_view(), name="call"),
    path("ehdotukset/", nomination_views.NominationListView.as_view(), name="nomination_list"),
    path("ehdotukset/uusi/", nomination_views.NominationStartView.as_view(), name="nomination_start"),
    path("ehdotukset/<int:pk>/", nomination_views.NominationDetailView.as_view(), name="nomination_detail"),
    path("ehdotukset/<int:pk>/muokkaa/", nomination_views.NominationEditView.as_view(), name="nomination_edit"),
    path("ehdotukset/<int:pk>/laheta/", nomination_views.NominationSubmitView.as_view(), name="nomination_submit"),
    path("ehdotukset/<int:pk>/avaa/", nomination_views.NominationReopenView.as_view(), name="nomination_reopen"),
    path("ehdotukset/<int:pk>/peru/", nomination_views.NominationWithdrawView.as_view(), name="nomination_withdraw"),
    path("ehdotukset/<int:pk>/pdf/", nomination_views.NominationPdfView.as_view(), name="nomination_pdf"),
    path(
        "ehdotukset/<int:pk>/suostumus/",
        nomination_views.NominationConsentView.as_view(),
        name="nomination_consent",
    ),
    path(
        "ehdotukset/<int:pk>/liitteet/<int:attachment_pk>/",
        nomination_views.AttachmentDownloadView.as_view(),
        name="attachment_download",
    ),
    path(
        "ehdotukset/<int:pk>/liitteet/<int:attachment_pk>/poista/",
        nomination_views.AttachmentDeleteView.as_view(),
        name="attachment_delete",
    ),
    path("henkilokunta/kierrokset/", cycles.CycleListView.as_view(), name="staff_cycles"),
    path("henkilokunta/kierrokset/<int:pk>/", cycles.CycleDetailView.as_view(), name="staff_cycle"),
    path(
        "henkilokunta/kierrokset/<int:pk>/tila/",
        cycles.CycleTransitionView.as_view(),
        name="staff_cycle_transition",
    ),
    path("henkilokunta/kierrokset/<int:pk>/kopioi/", cycles.CycleCopyView.as_view(), name="staff_cycle_copy"),
    path(
        "henkilokunta/kierrokset/<int:pk>/ehdotukset/",
        nomination_views.StaffNominationListView.as_view(),
        name="staff_nominations",
    ),
    path(
        "henkilokunta/kierrokset/<int:pk>/ehdotukset.csv",
        nomination_views.StaffNominationExportView.as_view(),
        {"fmt": "csv"},
        name="staff_nominations_csv",
    ),
    path(
        "henkilokunta/kierrokset/<int:pk>/ehdotukset.xlsx",
        nomination_views.StaffNominationExportView.as_view(),
        {"fmt": "xlsx"},
        name="staff_nominations_xlsx",
    ),
    path(
        "henkilokunta/ehdotukset/<int:pk>/",
        nomination_views.StaffNominationDetailView.as_view(),
        name="staff_nomination",
    ),
]

# Decision and publication: the public results, and the chair's and staff's pages.
urlpatterns += [
    path("palkinto/arkisto/", publication.archive_page, name="archive"),
    path("palkinto/arkisto/syote/", publication.feed, name="feed"),
    path("palkinto/<int:year>/", publication.year_page, name="year"),
    path("palkinto/paatokset/", decisions.DecisionIndexView.as_view(), name="decision_index"),
    path("palkinto/<int:year>/paatos/", decisions.DecisionView.as_view(), name="decision"),
    path("palkinto/<int:year>/paatos/vahvista/", decisions.DecisionConfirmView.as_view(), name="decision_confirm"),
    path("palkinto/<int:year>/paatos/avaa/", decisions.DecisionReopenView.as_view(), name="decision_reopen"),
    path("palkinto/<int:year>/julkistus/", publication.PublicationView.as_view(), name="publication"),
    path("palkinto/<int:year>/julkistus/teksti/", publication.AnnouncementSaveView.as_view(), name="announcement_save"),
    path("palkinto/<int:year>/julkistus/kuvat/", publication.AnnouncementImageAddView.as_view(), name="image_add"),
    path(
        "palkinto/<int:year>/julkistus/kuvat/<int:pk>/poista/",
        publication.AnnouncementImageRemoveView.as_view(),
        name="image_remove",
    ),
    path("palkinto/<int:year>/julkistus/esikatselu/", publication.PreviewView.as_view(), name="preview"),
    path("palkinto/<int:year>/julkistus/julkaise/", publication.PublishView.as_view(), name="publish"),
    path("palkinto/<int:year>/julkistus/peru/", publication.UnpublishView.as_view(), name="unpublish"),
    path(
        "palkinto/<int:year>/julkistus/ilmoitukset/", publication.NotificationListView.as_view(), name="notifications"
    ),
    path(
        "palkinto/<int:year>/julkistus/ilmoitukset/<int:pk>/uudelleen/",
        publication.NotificationRetryView.as_view(),
        name="notification_retry",
    ),
]

# Jury: a juror's worklist and scoring, the chair's ranking, staff's jury management and export.

urlpatterns += [
    path("tuomaristo/", jury.JuryHomeView.as_view(), name="jury_home"),
    path("tuomaristo/<int:year>/", jury.WorklistView.as_view(), name="jury_worklist"),
    path("tuomaristo/<int:year>/ehdotus/<int:pk>/", jury.ReviewView.as_view(), name="jury_review"),
    path("tuomaristo/<int:year>/ehdotus/<int:pk>/avaa/", jury.ReviewReopenView.as_view(), name="jury_review_reopen"),
    path(
        "tuomaristo/<int:year>/ehdotus/<int:pk>/liitteet/<int:attachment_pk>/",
        jury.JuryAttachmentView.as_view(),
        name="jury_attachment",
    ),
    path(
        "tuomaristo/<int:year>/ehdotus/<int:pk>/esteellisyys/",
        jury.ConflictDeclareView.as_view(),
        name="jury_conflict_declare",
    ),
    path("tuomaristo/<int:year>/paremmuus/", jury.RankingView.as_view(), name="jury_ranking"),
    path("tuomaristo/<int:year>/hallinta/", jury.JuryManageView.as_view(), name="jury_manage"),
    path("tuomaristo/<int:year>/sulje/", jury.JuryCloseView.as_view(), name="jury_close"),
    path("tuomaristo/<int:year>/pisteet.csv", jury.ScoreExportView.as_view(), {"fmt": "csv"}, name="jury_export_csv"),
    path(
        "tuomaristo/<int:year>/pisteet.xlsx", jury.ScoreExportView.as_view(), {"fmt": "xlsx"}, name="jury_export_xlsx"
    ),
]

# Beyond the award platforms (issue 16): the child-data safeguard, proposals by anyone, the experts-by-experience
# panel and the follow-up of winners, each in its own modules (views/safeguard.py, proposals.py, panel.py, followup.py).
from .views import followup, panel, proposals, safeguard  # noqa: E402 (grouped with the URLs they serve)

urlpatterns += [
    path("seuranta/<str:token>/", followup.FollowUpAnswerView.as_view(), name="followup_answer"),
    path("henkilokunta/seuranta/", followup.StaffFollowUpListView.as_view(), name="staff_follow_ups"),
    path("henkilokunta/seuranta/<int:pk>/", followup.StaffFollowUpActionView.as_view(), name="staff_follow_up_action"),
    path("asiakasraati/kirjaudu/", panel.PanelSignInView.as_view(), name="panel_sign_in"),
    path("asiakasraati/kirjaudu/koodi/", panel.PanelCodeView.as_view(), name="panel_code"),
    path("asiakasraati/", panel.PanelHomeView.as_view(), name="panel_home"),
    path("asiakasraati/<int:year>/", panel.PanelWorklistView.as_view(), name="panel_worklist"),
    path("asiakasraati/<int:year>/ehdotus/<int:pk>/", panel.PanelReviewView.as_view(), name="panel_review"),
    path(
        "asiakasraati/<int:year>/ehdotus/<int:pk>/liitteet/<int:attachment_pk>/",
        panel.PanelAttachmentView.as_view(),
        name="panel_attachment",
    ),
    path("asiakasraati/<int:year>/hallinta/", panel.PanelManageView.as_view(), name="panel_manage"),
    path("henkilokunta/ehdotukset/<int:pk>/asiakasraati/", panel.PanelClearanceView.as_view(), name="panel_clearance"),
    path("ehdota/", proposals.ProposalCreateView.as_view(), name="proposal_create"),
    path("ehdota/lahetetty/", proposals.ProposalSentView.as_view(), name="proposal_sent"),
    path("ehdota/vahvista/<str:token>/", proposals.ProposalVerifyView.as_view(), name="proposal_verify"),
    path("henkilokunta/yleisoehdotukset/", proposals.StaffProposalListView.as_view(), name="staff_proposals"),
    path("henkilokunta/yleisoehdotukset.csv", proposals.StaffProposalExportView.as_view(), name="staff_proposals_csv"),
    path("henkilokunta/yleisoehdotukset/<int:pk>/", proposals.StaffProposalDetailView.as_view(), name="staff_proposal"),
    path(
        "henkilokunta/ehdotukset/<int:pk>/henkilotiedot/",
        safeguard.SafeguardClearView.as_view(),
        name="staff_safeguard_clear",
    ),
]
