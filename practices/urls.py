"""Public pages of the practice library and the places."""

from django.urls import path

from . import views

app_name = "practices"

urlpatterns = [
    path("kaytannot/", views.LibraryView.as_view(), name="library"),
    path("kaytannot/<slug:slug>/", views.PracticeDetailView.as_view(), name="practice_detail"),
    path("kunnat/", views.MunicipalityListView.as_view(), name="municipality_list"),
    path("kunnat/<str:code>/", views.MunicipalityDetailView.as_view(), name="municipality_detail"),
    path("hyvinvointialueet/", views.CountyListView.as_view(), name="county_list"),
    path("hyvinvointialueet/<str:code>/", views.CountyDetailView.as_view(), name="county_detail"),
    path("maakunnat/", views.RegionListView.as_view(), name="region_list"),
    path("maakunnat/<str:code>/", views.RegionDetailView.as_view(), name="region_detail"),
]
