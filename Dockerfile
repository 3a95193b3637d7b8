# syntax=docker/dockerfile:1
#
# my-store's images, from one file:
#   --target functions   every Python function (MYSTORE_FUNCTION picks one), the migrations, the jobs
#   --target bff         the same plus the built storefront (frontend/dist), for the bff function
#   --target functions-dev, bff-dev   the same for Tilt: the process restarts after a live update
#
# Runtime stages hold the Python interpreter, the virtualenv and the code: no compiler, no pip, no uv,
# no Node. They run as a numeric non-root user, so Kubernetes can check runAsNonRoot.
#   docker build --target functions -t dev.local/my-store-functions:dev .
#   docker build --target bff -t dev.local/my-store-bff:dev .

ARG PYTHON_IMAGE=python:3.11-slim-bookworm
ARG NODE_IMAGE=node:22-bookworm-slim

# --- build: the dependencies of pyproject.toml into /opt/venv (wheels only, nothing compiled) ---
FROM ${PYTHON_IMAGE} AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1 \
    UV_LINK_MODE=copy UV_COMPILE_BYTECODE=1 UV_PYTHON_DOWNLOADS=never
RUN pip install "uv>=0.13,<0.14"
COPY pyproject.toml /src/pyproject.toml
RUN --mount=type=cache,target=/root/.cache/uv \
    uv venv /opt/venv --python /usr/local/bin/python \
    && uv pip install --python /opt/venv/bin/python --only-binary :all: -r /src/pyproject.toml

# --- storefront: npm ci && npm run build -> /src/frontend/dist ---
# The built storefront is the same on every platform: build it once, natively (no emulation).
FROM --platform=$BUILDPLATFORM ${NODE_IMAGE} AS storefront
WORKDIR /src/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
COPY frontend/ ./
RUN npm run build

# --- functions: the runtime image of every function ---
FROM ${PYTHON_IMAGE} AS functions
# Who owns the code. Root (the default) keeps it read-only for the process; Tilt builds with
# APP_OWNER=10001 so that live updates can sync files into running containers.
ARG APP_OWNER=0
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    MYSTORE_HOST=0.0.0.0 \
    MYSTORE_VAR_DIR=/tmp/mystore \
    MYSTORE_STATIC_DIR=/app/frontend/dist
# The base image's own pip and setuptools go: nothing installs packages at run time.
RUN python -m pip uninstall --yes --quiet pip setuptools wheel \
    && groupadd --system --gid 10001 mystore \
    && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent mystore
COPY --from=build /opt/venv /opt/venv
COPY --chown=${APP_OWNER}:${APP_OWNER} functions/ /app/functions/
# Bytecode compiled at build time: a cold start imports without compiling (Knative scales to zero).
RUN python -m compileall -q /app/functions
WORKDIR /app/functions
USER 10001:10001
EXPOSE 8080
# Knative sets PORT; the Knative Service sets MYSTORE_FUNCTION. `python -m mystore_kit.migrate SERVICE`
# (the migrations Job) runs from the same image.
CMD ["python", "-m", "mystore_kit.serve"]

# --- bff: the functions image plus the storefront it serves at / ---
FROM functions AS bff
COPY --from=storefront /src/frontend/dist /app/frontend/dist
ENV MYSTORE_FUNCTION=bff

# --- dev images (Tilt): the same, restarted in place after a live update ---------------------------
# Tilt syncs functions/ into the running container, then touches /tmp/.restart-proc; the wrapper
# restarts the function's process so that it imports the new code (knative/dev/restart-on-sync).
FROM functions AS functions-dev
COPY --chmod=0755 knative/dev/restart-on-sync /usr/local/bin/restart-on-sync
CMD ["restart-on-sync", "python", "-m", "mystore_kit.serve"]

FROM bff AS bff-dev
COPY --chmod=0755 knative/dev/restart-on-sync /usr/local/bin/restart-on-sync
CMD ["restart-on-sync", "python", "-m", "mystore_kit.serve"]
