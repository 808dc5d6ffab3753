# Production image: the app under gunicorn, static files collected at build time and served by whitenoise.

# Build stage: resolve the locked dependencies into /opt/venv with uv, which stays behind in this stage.
FROM python:3.13-slim AS build
ENV UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/opt/venv
RUN pip install --no-cache-dir uv==0.13.8
WORKDIR /app
COPY pyproject.toml uv.lock .python-version ./
RUN uv sync --frozen --no-dev --no-install-project --no-cache


FROM python:3.13-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/venv/bin:$PATH \
    DJANGO_ENV=production \
    STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/data/media \
    PRIVATE_MEDIA_ROOT=/data/private_media \
    WEB_CONCURRENCY=3

# Voikko and its Finnish dictionary: Finnish search lemmatises words and splits compounds with them.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libvoikko1 voikko-fi \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system app \
    && useradd --system --gid app --home-dir /app --no-create-home --shell /usr/sbin/nologin app

COPY --from=build /opt/venv /opt/venv
WORKDIR /app
COPY . .

# Settings must import to collect static files; these throwaway values exist only in this build step.
# The upload folders are created here so that new named volumes mounted on them belong to the app user.
RUN SECRET_KEY=collectstatic-only DATABASE_URL=postgres://build@localhost/build \
        python manage.py collectstatic --no-input \
    && mkdir -p /data/media /data/private_media \
    && chown -R app:app /data

USER app
EXPOSE 8000

# Migrations, reference data and the search index update run once per start in their own service
# (docker-compose.yml), not in each replica.
# gunicorn takes its worker count from WEB_CONCURRENCY; its access log leaves out query strings.
CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000", "--access-logfile", "-", "--error-logfile", "-", \
     "--access-logformat", "%({x-forwarded-for}i)s %(t)s \"%(m)s %(U)s %(H)s\" %(s)s %(b)s %(M)sms"]
