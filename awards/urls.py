"""Awards URLs, one include per area so that each area's views live in their own module."""

from django.urls import path

from .views import archive, decisions, public

app_name = "awards"

urlpatterns = [
    path("palkinto/", public.AboutView.as_view(), name="about"),
]

# Nominations (issue 4): the call, the nominators' pages and the staff's pages.
from .views import nominations as nomination_views  # noqa: E402
from .views import staff as staff_views  # noqa: E402

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
        "ehdotukset/<int:pk>/liitteet/<int:attachment_pk>/",
        nomination_views.AttachmentDownloadView.as_view(),
        name="attachment_download",
    ),
    path(
        "ehdotukset/<int:pk>/liitteet/<int:attachment_pk>/poista/",
        nomination_views.AttachmentDeleteView.as_view(),
        name="attachment_delete",
    ),
    path("henkilokunta/kierrokset/", staff_views.CycleListView.as_view(), name="staff_cycles"),
    path("henkilokunta/kierrokset/<int:pk>/", staff_views.CycleDetailView.as_view(), name="staff_cycle"),
    path(
        "henkilokunta/kierrokset/<int:pk>/tila/",
        staff_views.CycleTransitionView.as_view(),
        name="staff_cycle_transition",
    ),
    path("henkilokunta/kierrokset/<int:pk>/kopioi/", staff_views.CycleCopyView.as_view(), name="staff_cycle_copy"),
    path(
        "henkilokunta/kierrokset/<int:pk>/ehdotukset/",
        staff_views.StaffNominationListView.as_view(),
        name="staff_nominations",
    ),
    path(
        "henkilokunta/kierrokset/<int:pk>/ehdotukset.csv",
        staff_views.StaffNominationExportView.as_view(),
        {"fmt": "csv"},
        name="staff_nominations_csv",
    ),
    path(
        "henkilokunta/kierrokset/<int:pk>/ehdotukset.xlsx",
        staff_views.StaffNominationExportView.as_view(),
        {"fmt": "xlsx"},
        name="staff_nominations_xlsx",
    ),
    path(
        "henkilokunta/ehdotukset/<int:pk>/",
        staff_views.StaffNominationDetailView.as_view(),
        name="staff_nomination",
    ),
]

# Decision and publication: the public results, and the chair's and staff's pages.
urlpatterns += [
    path("palkinto/arkisto/", archive.archive_page, name="archive"),
    path("palkinto/arkisto/syote/", archive.feed, name="feed"),
    path("palkinto/<int:year>/", archive.year_page, name="year"),
    path("palkinto/paatokset/", decisions.DecisionIndexView.as_view(), name="decision_index"),
    path("palkinto/<int:year>/paatos/", decisions.DecisionView.as_view(), name="decision"),
    path("palkinto/<int:year>/paatos/vahvista/", decisions.DecisionConfirmView.as_view(), name="decision_confirm"),
    path("palkinto/<int:year>/paatos/avaa/", decisions.DecisionReopenView.as_view(), name="decision_reopen"),
    path("palkinto/<int:year>/julkistus/", decisions.PublicationView.as_view(), name="publication"),
    path("palkinto/<int:year>/julkistus/teksti/", decisions.AnnouncementSaveView.as_view(), name="announcement_save"),
    path("palkinto/<int:year>/julkistus/kuvat/", decisions.AnnouncementImageAddView.as_view(), name="image_add"),
    path(
        "palkinto/<int:year>/julkistus/kuvat/<int:pk>/poista/",
        decisions.AnnouncementImageRemoveView.as_view(),
        name="image_remove",
    ),
    path("palkinto/<int:year>/julkistus/esikatselu/", decisions.PreviewView.as_view(), name="preview"),
    path("palkinto/<int:year>/julkistus/julkaise/", decisions.PublishView.as_view(), name="publish"),
    path("palkinto/<int:year>/julkistus/peru/", decisions.UnpublishView.as_view(), name="unpublish"),
    path("palkinto/<int:year>/julkistus/ilmoitukset/", decisions.NotificationListView.as_view(), name="notifications"),
]

# Jury: a juror's worklist and scoring, the chair's ranking, staff's jury management and export.
from .views import jury  # noqa: E402 (appended per area to keep merges trivial)

urlpatterns += [
    path("tuomaristo/", jury.JuryHomeView.as_view(), name="jury_home"),
    path("tuomaristo/<int:year>/", jury.WorklistView.as_view(), name="jury_worklist"),
    path("tuomaristo/<int:year>/ehdotus/<int:pk>/", jury.ReviewView.as_view(), name="jury_review"),
    path("tuomaristo/<int:year>/ehdotus/<int:pk>/avaa/", jury.ReviewReopenView.as_view(), name="jury_review_reopen"),
    path(
        "tuomaristo/<int:year>/ehdotus/<int:pk>/esteellisyys/",
        jury.ConflictDeclareView.as_view(),
        name="jury_conflict_declare",
    ),
    path("tuomaristo/<int:year>/paremmuus/", jury.RankingView.as_view(), name="jury_ranking"),
    path("tuomaristo/<int:year>/hallinta/", jury.JuryManageView.as_view(), name="jury_manage"),
    path("tuomaristo/<int:year>/pisteet.csv", jury.ScoreExportView.as_view(), {"fmt": "csv"}, name="jury_export_csv"),
    path(
        "tuomaristo/<int:year>/pisteet.xlsx", jury.ScoreExportView.as_view(), {"fmt": "xlsx"}, name="jury_export_xlsx"
    ),
]
