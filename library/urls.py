"""Public pages of the practice library and the places."""

from django.urls import path, re_path

from . import views

app_name = "library"

urlpatterns = [
    path("kaytannot/", views.LibraryView.as_view(), name="library"),
    path("kaytannot/ehdotukset/", views.SuggestionsView.as_view(), name="suggestions"),
    path("kaytannot/avoin-data/", views.OpenDataView.as_view(), name="open_data"),
    path("kaytannot/<slug:slug>/", views.PracticeDetailView.as_view(), name="practice_detail"),
    path("kunnat/", views.MunicipalityListView.as_view(), name="municipality_list"),
    # Codes are digits: anything else (NUL bytes included) is a 404 at the resolver, never a database error.
    re_path(r"^kunnat/(?P<code>[0-9]{3})/$", views.MunicipalityDetailView.as_view(), name="municipality_detail"),
    path("hyvinvointialueet/", views.CountyListView.as_view(), name="county_list"),
    re_path(r"^hyvinvointialueet/(?P<code>[0-9]{2})/$", views.CountyDetailView.as_view(), name="county_detail"),
    path("maakunnat/", views.RegionListView.as_view(), name="region_list"),
    re_path(r"^maakunnat/(?P<code>[0-9]{2})/$", views.RegionDetailView.as_view(), name="region_detail"),
]
