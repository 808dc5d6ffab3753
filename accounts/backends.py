"""Authentication by e-mail address, compared case-insensitively."""

from django.contrib.auth.backends import ModelBackend

from .models import User


class EmailBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        username = username or kwargs.get("email")
        return super().authenticate(request, username=username, password=password, **kwargs)


def axes_username(request, credentials=None) -> str:
    """The address django-axes counts failures for, normalised as stored, so that varying the letter case of
    an address cannot dodge the per-account limit."""
    raw = (credentials or {}).get("username") if credentials else None
    if raw is None and request is not None:
        raw = getattr(request, "POST", {}).get("username")
    return User.objects.normalize_email(raw)
