"""The benchmark's URLconf: the project's own URLs and, under a path production never serves, a bare view, so
that the pages can be compared with `HttpResponse("ok")` passing through the very same middleware."""

from django.http import HttpResponse
from django.urls import path

from config.urls import handler403  # noqa: F401 (handler403 is read by Django)
from config.urls import urlpatterns as project_urlpatterns


def bare(request):
    return HttpResponse("ok")


urlpatterns = [path("__bench__/bare/", bare), *project_urlpatterns]
