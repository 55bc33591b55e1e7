# Kopgroep bot: slim image, non-root user, data on a volume, migrations applied at start.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DATA_DIR=/data

RUN useradd --create-home --uid 10001 kopgroep \
    && mkdir -p /data \
    && chown kopgroep:kopgroep /data

WORKDIR /app
# The dependencies at the versions the tests ran on, each checked against its hash
# (requirements.lock, made by pip-compile from pyproject.toml; README: "Dependencies").
COPY requirements.lock ./
RUN pip install --no-cache-dir --require-hashes -r requirements.lock
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY conversations ./conversations
COPY storage ./storage
COPY method ./method
RUN pip install --no-cache-dir --no-deps .

USER kopgroep
VOLUME ["/data"]
EXPOSE 8443
# /healthz of the running bot (the database and the update worker; bot/health.py): beside the
# webhook on WEBHOOK_LISTEN, or in polling mode beside the screen on SCREEN_LISTEN.
HEALTHCHECK --interval=30s --timeout=15s --start-period=60s --retries=3 CMD ["kopgroep", "healthcheck"]
# `kopgroep run` applies the migrations, then polls (or serves the webhook when WEBHOOK_URL is set).
CMD ["kopgroep", "run"]
