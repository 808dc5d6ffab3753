"""Awards URLs, one include per area so that each area's views live in their own module."""

from django.urls import path

from .views import archive, decisions, public

app_name = "awards"

urlpatterns = [
    path("palkinto/", public.AboutView.as_view(), name="about"),
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
