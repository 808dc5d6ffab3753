"""Awards URLs, one include per area so that each area's views live in their own module."""

from django.urls import path

from .views import public

app_name = "awards"

urlpatterns = [
    path("palkinto/", public.AboutView.as_view(), name="about"),
]
