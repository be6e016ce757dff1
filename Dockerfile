# One image for every rawbank service and part:
#   rawbank serve <inventory|requests|notifier>    the HTTP API under gunicorn
#   rawbank worker <inventory|requests|notifier>   the consumer and the outbox relay
# Configuration comes only from environment variables (`rawbank env` lists them).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# Copy only what the package is built from (.dockerignore keeps .venv and .git out as well).
WORKDIR /build
COPY pyproject.toml README.md ./
COPY shared/ ./shared/
COPY services/ ./services/

# Runtime dependencies only: the [test] extra stays out of the image.
RUN pip install --root-user-action=ignore . \
    && cd / && rm -rf /build

# gunicorn keeps its control socket under $HOME, so the user needs a home of its own.
RUN useradd --create-home --uid 10001 --user-group --shell /usr/sbin/nologin rawbank
USER rawbank
WORKDIR /home/rawbank

EXPOSE 8001 8002 8003
CMD ["rawbank", "--help"]
