"""Authentication by e-mail address, compared case-insensitively."""

from django.contrib.auth.backends import ModelBackend


class EmailBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        username = username or kwargs.get("email")
        return super().authenticate(request, username=username, password=password, **kwargs)
