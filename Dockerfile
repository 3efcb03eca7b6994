# One image for every service; the command names which one runs:
#   docker run event-platform user_service
FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
RUN python -m venv /venv
COPY pyproject.toml README.md ./
COPY shared ./shared
COPY user_service ./user_service
COPY event_service ./event_service
COPY booking_service ./booking_service
COPY payment_service ./payment_service
COPY notification_service ./notification_service
COPY checkin_service ./checkin_service
RUN /venv/bin/pip install .

FROM python:3.11-slim
RUN useradd --create-home --uid 10001 app
COPY --from=build /venv /venv
ENV PATH=/venv/bin:$PATH PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1 HOST=0.0.0.0
# `docker stop` kills 10 s after SIGTERM: a service finishes its requests within 8 (Compose and the Helm
# chart give it longer, and set their own).
ENV SHUTDOWN_DRAIN_SECONDS=8
USER app
WORKDIR /home/app
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=5 \
  CMD python -c "import os, urllib.request; urllib.request.urlopen(f'http://127.0.0.1:{os.environ[\"PORT\"]}/ready', timeout=2)"
ENTRYPOINT ["python", "-m"]
CMD ["user_service"]
