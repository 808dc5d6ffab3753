"""Awards URLs, one include per area so that each area's views live in their own module."""

from django.urls import path

from .views import public

app_name = "awards"

urlpatterns = [
    path("palkinto/", public.AboutView.as_view(), name="about"),
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
