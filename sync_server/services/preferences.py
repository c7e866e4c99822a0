"""A user's own view preferences (page size, sort and columns per list view)."""

from __future__ import annotations

from pydantic import ValidationError

from sync_server.db.repositories import Repositories
from sync_server.schemas.preferences import Preferences


async def load(repos: Repositories) -> Preferences:
    try:
        return Preferences.model_validate(await repos.preferences.get())
    except ValidationError:
        # Stored before a view lost a column or sort: start again from the defaults rather
        # than failing the app's start-up.
        return Preferences()


async def save(repos: Repositories, prefs: Preferences) -> Preferences:
    await repos.preferences.put(prefs.model_dump(mode="json", exclude_none=True))
    return prefs
