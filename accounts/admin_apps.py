"""The admin app, with the site of accounts/admin_site.py (a module of its own: this one loads before any model)."""

from django.contrib.admin.apps import AdminConfig


class SecureAdminConfig(AdminConfig):
    """Use in INSTALLED_APPS instead of "django.contrib.admin"."""

    default_site = "accounts.admin_site.SecureAdminSite"
