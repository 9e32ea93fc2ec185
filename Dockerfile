# syntax=docker/dockerfile:1
# The MKBA calculation service. Build: docker build -t mkba-service .
# Run:   docker run -p 8000:8000 mkba-service
# Without an image registry (CI here), `make image` builds it with podman from a base made
# of Debian packages (deploy/image/base.sh) passed as PYTHON_IMAGE; tests/ops/test_image.py
# builds and runs it. tests/api/test_container.py runs its CMD and HEALTHCHECK on the host.

ARG PYTHON_IMAGE=python:3.11-slim-bookworm

FROM ${PYTHON_IMAGE} AS build
# pip's index and CA bundle, for builds behind a proxy (deploy/image/build.sh passes the
# host's); unset, pip uses PyPI and the base's certificates. Build stage only.
ARG PIP_INDEX_URL
ARG PIP_CERT
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
# A C compiler for the native engine, in this stage only.
RUN apt-get update \
    && apt-get install -y --no-install-recommends gcc libc6-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Runtime dependencies only, the locked versions, every file hash-checked (no `compile`
# or `dev` extras; `formulas` is a runtime dependency for the functions a model may
# delegate to it, docs/compiler.md).
COPY requirements/runtime.txt ./requirements/runtime.txt
RUN python3 -m venv /opt/venv \
    && /opt/venv/bin/pip install --require-hashes --no-deps -r requirements/runtime.txt
COPY service ./service
# The native engine: each model's C source built into its shared library (`make native`).
COPY formulas_spec ./formulas_spec
RUN /opt/venv/bin/python -m service.compiler --native formulas_spec
# pip and setuptools installed the above; the runtime has no use for them.
RUN /opt/venv/bin/python -m pip uninstall --quiet --yes pip setuptools

FROM ${PYTHON_IMAGE} AS runtime
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONPATH=/app \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    HOST=0.0.0.0 \
    PORT=8000 \
    MKBA_MODELS_DIR=/app/formulas_spec \
    MKBA_OPENAPI_PATH=/app/openapi.yaml \
    MPLCONFIGDIR=/tmp/matplotlib \
    XDG_CACHE_HOME=/tmp/cache
# The council report (WeasyPrint): pango lays out the text, harfbuzz subsets the embedded
# fonts (the font itself is vendored in service/report/fonts).
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 \
        libharfbuzz-subset0 \
    && rm -rf /var/lib/apt/lists/*
RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --no-create-home --shell /usr/sbin/nologin app
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
COPY --chown=root:root gunicorn.conf.py openapi.yaml ./
COPY --from=build --chown=root:root /src/service ./service
COPY --from=build --chown=root:root /src/formulas_spec ./formulas_spec
# Bytecode of the service and the compiled models (earlier versions too), made once here: the runtime
# writes none, and compiling the model at every start costs ~0.3 s and ~40 MiB of peak memory.
RUN python -m compileall -q /app/service /app/formulas_spec/compiled /app/formulas_spec/versions/compiled
USER app
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-m", "service.api.healthcheck"]
CMD ["gunicorn", "-c", "gunicorn.conf.py", "service:create_app()"]
