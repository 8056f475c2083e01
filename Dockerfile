# Learnward's production image: `learnward serve` (gunicorn) by default; the same image runs the
# worker (`learnward worker`) and the release step (`learnward deploy`). compose.yaml shows the
# whole topology; docs/operator-guide.md ("Containers") says what each service needs.
FROM python:3.11-slim-bookworm

# Fonts for certificate PDFs (DejaVu; WenQuanYi for CJK names) and pg_dump/psql 15 for backups.
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        fonts-dejavu-core fonts-wqy-zenhei postgresql-client-15 \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --system --create-home --home-dir /home/learnward --uid 10001 learnward
WORKDIR /app
COPY pyproject.toml constraints.txt README.md ./
COPY learnward ./learnward
RUN pip install --no-cache-dir -c constraints.txt . \
    && rm -rf /root/.cache

# Static files are collected into the image with hashed names; WhiteNoise serves them.
ENV LEARNWARD_STATIC_ROOT=/app/static \
    LEARNWARD_STATIC_MANIFEST=true
RUN LEARNWARD_DATA_DIR=/tmp/build learnward collectstatic --noinput --verbosity 0 \
    && rm -rf /tmp/build

ENV LEARNWARD_ENV=production \
    LEARNWARD_DATA_DIR=/var/lib/learnward \
    LEARNWARD_BIND=0.0.0.0:8000 \
    PYTHONUNBUFFERED=1
RUN mkdir -p /var/lib/learnward && chown learnward /var/lib/learnward
USER learnward
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
    CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2)"
CMD ["learnward", "serve"]
