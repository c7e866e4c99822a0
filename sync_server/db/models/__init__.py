"""All ORM models; importing this module registers every table on ``Base.metadata``."""

from sync_server.db.models.base import Base, TenantScoped, tenant_tables
from sync_server.db.models.platform import (
    ActivityLog,
    LoginIdentity,
    PasswordReset,
    Role,
    Tenant,
    TenantClock,
    TokenRevocation,
    User,
    UserPreference,
    UserRole,
)
from sync_server.db.models.records import (
    Account,
    Client,
    Contact,
    Interaction,
    Lead,
    Note,
    Project,
    RecordBase,
    Subscription,
)
from sync_server.db.models.search import SearchTerm
from sync_server.db.models.sync import ChangeAudience, ChangeLog, Conflict, SyncClient, SyncResult

__all__ = [
    "Account",
    "ActivityLog",
    "Base",
    "ChangeAudience",
    "ChangeLog",
    "Client",
    "Conflict",
    "Contact",
    "Interaction",
    "Lead",
    "LoginIdentity",
    "Note",
    "PasswordReset",
    "Project",
    "RecordBase",
    "Role",
    "SearchTerm",
    "Subscription",
    "SyncClient",
    "SyncResult",
    "Tenant",
    "TenantClock",
    "TenantScoped",
    "TokenRevocation",
    "User",
    "UserPreference",
    "UserRole",
    "tenant_tables",
]
