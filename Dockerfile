# syntax=docker/dockerfile:1
# The MKBA calculation service. Build: docker build -t mkba-service .
# Run:   docker run -p 8000:8000 mkba-service
# The commands below (pip install of the project, the gunicorn CMD, the HEALTHCHECK)
# are the ones tests/api/test_container.py runs; see the README for what was checked.

ARG PYTHON_IMAGE=python:3.11-slim-bookworm

FROM ${PYTHON_IMAGE} AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
# A C compiler for the native engine, in this stage only.
RUN apt-get update \
    && apt-get install -y --no-install-recommends gcc libc6-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
RUN python -m venv /opt/venv
COPY pyproject.toml ./
COPY service ./service
# Runtime dependencies only (no `compile`/`dev` extras).
RUN /opt/venv/bin/pip install .
# The native engine: each model's C source built into its shared library (`make native`).
COPY formulas_spec ./formulas_spec
RUN /opt/venv/bin/python -m service.compiler --native formulas_spec

FROM ${PYTHON_IMAGE} AS runtime
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    HOST=0.0.0.0 \
    PORT=8000 \
    MKBA_MODELS_DIR=/app/formulas_spec \
    MKBA_OPENAPI_PATH=/app/openapi.yaml \
    MPLCONFIGDIR=/tmp/matplotlib
RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --no-create-home --shell /usr/sbin/nologin app
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
COPY --chown=root:root gunicorn.conf.py openapi.yaml ./
COPY --from=build --chown=root:root /src/formulas_spec ./formulas_spec
# Bytecode of the 13k-line compiled model, made once here: the runtime writes none, and
# compiling it at every start costs ~0.3 s and ~40 MiB of peak memory.
RUN python -m compileall -q /app/formulas_spec/compiled
USER app
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-m", "service.api.healthcheck"]
CMD ["gunicorn", "-c", "gunicorn.conf.py", "service:create_app()"]
