"""``TenantContext``: who is acting, for which tenant. It cannot be built by accident.

The constructor refuses any caller that does not hold the module's private mint key, so the only
ways to get one are the three named functions below; a test (tests/unit/test_structure.py) fails
the build if any of them is called outside the module allowed to call it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import NoReturn

_MINT_KEY = object()

ADMIN = "admin"


class TenantContext:
    """Immutable. Not a dataclass on purpose: ``dataclasses.replace`` would hand the mint key to a
    copy with another tenant, and copy/pickle could rebuild one without ``__init__``."""

    __slots__ = ("roles", "tenant_id", "user_id")
    tenant_id: uuid.UUID
    user_id: uuid.UUID | None
    roles: frozenset[str]

    def __init__(
        self,
        tenant_id: uuid.UUID,
        user_id: uuid.UUID | None,
        roles: frozenset[str],
        _key: object = None,
    ) -> None:
        if _key is not _MINT_KEY:
            raise TypeError("TenantContext is minted by the auth layer only")
        object.__setattr__(self, "tenant_id", tenant_id)
        object.__setattr__(self, "user_id", user_id)
        object.__setattr__(self, "roles", roles)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("TenantContext is immutable")

    def __delattr__(self, name: str) -> None:
        raise AttributeError("TenantContext is immutable")

    def __reduce__(self) -> NoReturn:
        raise TypeError("a TenantContext cannot be pickled")

    def __copy__(self) -> TenantContext:
        return self

    def __deepcopy__(self, memo: dict[int, object]) -> TenantContext:
        return self

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, TenantContext):
            return NotImplemented
        return (self.tenant_id, self.user_id, self.roles) == (
            other.tenant_id,
            other.user_id,
            other.roles,
        )

    def __hash__(self) -> int:
        return hash((self.tenant_id, self.user_id, self.roles))

    def __repr__(self) -> str:
        return (
            f"TenantContext(tenant_id={self.tenant_id}, user_id={self.user_id}, "
            f"roles={sorted(self.roles)})"
        )

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
