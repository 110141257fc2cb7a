# The portal's image: gunicorn (web) and manage.py qcluster (worker) run from the same image.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PORTAL_VAR_DIR=/app/var \
    PORTAL_MEDIA_ROOT=/data/media

# Fonts with every Vietnamese glyph (Liberation Serif 2 = Times New Roman metrics, TeX Gyre Termes),
# Pango/HarfBuzz for WeasyPrint (libharfbuzz-subset0 makes PDF rendering ~3x faster), poppler-utils for PDF tools.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        fonts-liberation2 fonts-texgyre libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 poppler-utils \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# Dependencies first (cached while only the code changes). The project has no package of its own
# ([tool.setuptools] packages = []): this installs the dependencies and the Redis client.
COPY pyproject.toml ./
RUN pip install ".[redis]" && rm -rf build *.egg-info

COPY . .
RUN useradd --system --uid 1000 --home-dir /app --shell /usr/sbin/nologin portal \
    && mkdir -p /app/var /data/media \
    && DJANGO_DEBUG=0 python manage.py collectstatic --noinput -v 0 \
    && chown -R portal:portal /app/var /data/media

USER portal
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 CMD ["python", "scripts/healthcheck.py"]

# --no-control-socket: gunicorn >= 23 would otherwise create a control socket under $HOME.
CMD ["sh", "-c", "exec gunicorn portal.wsgi:application --bind 0.0.0.0:${PORT:-8000} --workers ${GUNICORN_WORKERS:-2} --no-control-socket --access-logfile - --timeout 60"]
