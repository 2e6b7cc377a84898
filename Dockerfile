# syntax=docker/dockerfile:1
# The web image; docker-compose.yml runs the Celery worker and beat from it too.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN groupadd --system wgsom \
    && useradd --system --gid wgsom --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin wgsom

WORKDIR /app

# WeasyPrint lays out the PDF documents with Pango (and HarfBuzz's subsetter) from Debian, in
# the fonts installed here: Liberation (Times New Roman's metrics), DejaVu (other scripts) and
# Noto for the Arabic and Chinese documents (fonts-noto-core, fonts-noto-cjk).
# Documents never fetch fonts from the network. postgresql-client brings pg_dump and
# pg_restore for `scripts/backup.py`.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation fonts-dejavu-core \
        fonts-noto-core fonts-noto-cjk \
        postgresql-client \
    && rm -rf /var/lib/apt/lists/*

# Dependencies first, in a layer of their own, so a code change does not reinstall them.
# The lock pins every package and the hash of every file, so the image holds the versions
# the tests ran with (`make lock` writes it). The project itself packages nothing
# (pyproject.toml: packages = []): the code is the copy below.
COPY requirements/base.txt requirements/base.txt
RUN pip install --no-deps --require-hashes -r requirements/base.txt && pip check

# Everything else; .dockerignore keeps .env, .venv, databases and caches out of the image.
COPY . .

# The settings refuse to start without a secret and hosts when DEBUG is off, and DEBUG must be
# off here so the manifest static storage writes its manifest. These values exist for this
# command only; none is kept in the image.
RUN DJANGO_DEBUG=false \
    DJANGO_SECRET_KEY=build-time-only-not-a-secret-but-as-long-as-the-settings-require \
    DJANGO_ALLOWED_HOSTS=localhost \
    python manage.py collectstatic --noinput --verbosity 0

# Uploads go to /app/media (DJANGO_MEDIA_ROOT's default); docker-compose.yml mounts a volume
# there, which takes this directory's owner.
RUN mkdir -p /app/media /app/private-media \
    && chown wgsom:wgsom /app/media /app/private-media

USER wgsom

EXPOSE 8000

# gunicorn.conf.py (in /app, read from the working directory) holds the worker class,
# timeouts and limits.
CMD ["gunicorn"]
