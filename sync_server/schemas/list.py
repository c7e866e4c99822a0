"""The list envelope of API.md."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, create_model


def list_envelope(item: type[BaseModel]) -> type[BaseModel]:
    name = item.__name__.replace("Read", "") + "List"
    model: type[BaseModel] = create_model(
        name,
        items=(list[item], ...),  # type: ignore[valid-type]
        next_cursor=(str | None, ...),
        limit=(int, ...),
        total=(int | None, None),
        __config__=ConfigDict(json_schema_serialization_defaults_required=True),
    )
    return model
