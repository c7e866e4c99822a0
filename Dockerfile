# PathSix CRM server image (Fly.io: see fly.toml). Build: docker build -t pathsix-crm .
# Two stages: Node builds the PWA (its build checks that the generated Zod matches contracts/),
# then the Python image serves it at / (PATHSIX_STATIC_DIR) beside the API, as `./scripts/run` does.

FROM node:20-slim AS pwa
WORKDIR /src
COPY contracts ./contracts
COPY pwa/package.json pwa/package-lock.json ./pwa/
RUN cd pwa && npm install --no-audit --no-fund --loglevel=error
COPY pwa ./pwa
RUN cd pwa && npm run build

FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN useradd --system --uid 10001 --user-group --home-dir /app --no-create-home pathsix
WORKDIR /app

COPY pyproject.toml alembic.ini ./
COPY sync_server ./sync_server
COPY conflict ./conflict
COPY migrations ./migrations
COPY --from=pwa /src/pwa/dist ./pwa/dist

# Installed in place (--editable) from /app: `pathsix db upgrade` finds alembic.ini and
# migrations/ next to the package (sync_server/db/migrate.py), which a site-packages copy would not.
# ./var is where the embedded default keeps its SQLite file and generated secrets; in production
# the database and PATHSIX_JWT_SECRET come from the environment.
RUN pip install --editable . \
    && mkdir -p /app/var \
    && chown pathsix:pathsix /app/var

ENV PATHSIX_STATIC_DIR=/app/pwa/dist
USER pathsix
EXPOSE 8080
CMD ["pathsix", "serve", "--host", "0.0.0.0", "--port", "8080"]
