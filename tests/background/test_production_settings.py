"""What production settings choose for the shared cache and e-mail, read in a fresh interpreter."""

import json
import subprocess
import sys

from .conftest import ROOT

SHOW = (
    "import json, django; from django.conf import settings; django.setup(); "
    "print(json.dumps({'cache': settings.CACHES['default']['BACKEND'], 'mail': settings.MAILERS['default']}))"
)


def settings_with(**env) -> dict:
    base = {"DJANGO_SETTINGS_MODULE": "config.settings", "PATH": "/usr/bin:/bin", "DATABASE_URL": "postgres://x@y/z"}
    out = subprocess.run(  # noqa: S603
        [sys.executable, "-c", SHOW], cwd=ROOT, env={**base, **env}, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_production_uses_starttls_on_587_and_the_shared_cache():
    chosen = settings_with(DJANGO_ENV="production", SECRET_KEY="x" * 50, REDIS_URL="redis://redis:6379/0")
    assert chosen["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert chosen["mail"]["OPTIONS"]["use_tls"] is True
    assert chosen["mail"]["OPTIONS"]["port"] == 587


def test_implicit_tls_when_asked_and_plain_only_when_said():
    options = settings_with(DJANGO_ENV="production", SECRET_KEY="x" * 50, EMAIL_USE_SSL="true")["mail"]["OPTIONS"]
    assert (options["use_ssl"], options["use_tls"], options["port"]) == (True, False, 465)
    relay = settings_with(DJANGO_ENV="production", SECRET_KEY="x" * 50, EMAIL_USE_TLS="false", EMAIL_PORT="25")
    assert relay["mail"]["OPTIONS"]["use_tls"] is False


def test_development_without_redis_keeps_the_in_memory_cache():
    assert settings_with()["cache"] == "django.core.cache.backends.locmem.LocMemCache"
