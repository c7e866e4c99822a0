"""``TenantContext``: who is acting, for which tenant. It cannot be built by accident.

The constructor refuses any caller that does not hold the module's private mint key, so the only
ways to get one are the three named functions below; a test (tests/unit/test_structure.py) fails
the build if any of them is called outside the module allowed to call it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

_MINT_KEY = object()

ADMIN = "admin"


@dataclass(frozen=True, slots=True)
class TenantContext:
    tenant_id: uuid.UUID
    user_id: uuid.UUID | None
    roles: frozenset[str]
    _key: object = field(repr=False, compare=False, default=None)

    def __post_init__(self) -> None:
        if self._key is not _MINT_KEY:
            raise TypeError("TenantContext is minted by the auth layer only")

    @property
    def is_admin(self) -> bool:
        return ADMIN in self.roles

    @property
    def actor_id(self) -> uuid.UUID:
        if self.user_id is None:
            raise RuntimeError("this operation needs a user")
        return self.user_id


def _mint(tenant_id: uuid.UUID, user_id: uuid.UUID | None, roles: Iterable[str]) -> TenantContext:
    return TenantContext(tenant_id, user_id, frozenset(roles), _MINT_KEY)


def mint_from_token(
    tenant_id: uuid.UUID, user_id: uuid.UUID, roles: Iterable[str]
) -> TenantContext:
    """For the auth middleware: from a verified, unrevoked token of an active user."""
    return _mint(tenant_id, user_id, roles)


def mint_for_login(tenant_id: uuid.UUID, user_id: uuid.UUID | None = None) -> TenantContext:
    """For the auth service: the tenant found by the login lookup, before any token exists."""
    return _mint(tenant_id, user_id, ())


def mint_for_platform(
    tenant_id: uuid.UUID, user_id: uuid.UUID | None = None, roles: Iterable[str] = (ADMIN,)
) -> TenantContext:
    """For platform operators (CLI: tenant create, user create, demo seed)."""
    return _mint(tenant_id, user_id, roles)
