"""The tenant's white-label configuration: read by every user, replaced by admins. A change is
announced to every device (entity ``config`` in their pulls), like records are."""

from __future__ import annotations

import structlog
from pydantic import ValidationError

from sync_server.db.repositories import Repositories
from sync_server.errors import not_found
from sync_server.schemas.tenant_config import TenantConfig
from sync_server.services.sync_events import announce, everyone

log = structlog.get_logger("sync_server.config")


async def load(repos: Repositories) -> TenantConfig:
    tenant = await repos.tenants.get()
    if tenant is None:
        raise not_found("tenant")
    try:
        return TenantConfig.model_validate(tenant.config or {})
    except ValidationError:
        # Only a PUT (validated) writes the config; anything else stored (e.g. by an operator
        # by hand) must not break the app: it gets the defaults, and the log says why.
        log.warning("tenant_config_invalid", tenant_id=str(tenant.id))
        return TenantConfig()


async def save(repos: Repositories, config: TenantConfig) -> TenantConfig:
    await repos.clock.lock()  # every writer takes the tenant clock first (one lock order)
    await repos.tenants.set_config(config.model_dump(mode="json"))
    await announce(repos, "config", repos.ctx.tenant_id, await everyone(repos))
    return config
