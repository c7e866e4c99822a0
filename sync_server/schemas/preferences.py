"""Per-user view preferences (``GET/PUT /api/v1/preferences``): page size, sort and columns of
each list view. Built from the entity descriptions, so a view can only name sort fields the list
accepts and columns the record has (the exported schema says which, for the PWA's Zod)."""

from __future__ import annotations

from typing import Annotated, Any, Literal, cast

from pydantic import BaseModel, Field, create_model, field_validator

from sync_server.entities import ENTITIES, EntitySpec
from sync_server.schemas.admin import OVERVIEW_ENTITIES, shown_columns
from sync_server.schemas.base import Strict

MIN_PAGE_SIZE, MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE = 10, 100, 25
PageSize = Annotated[int, Field(ge=MIN_PAGE_SIZE, le=MAX_PAGE_SIZE)]


def _literal(values: tuple[str, ...]) -> Any:
    return cast(Any, Literal)[values]


def _list_of(item: Any) -> Any:
    return cast(Any, list)[item]


class ViewPrefsBase(Strict):
    @field_validator("columns", check_fields=False)
    @classmethod
    def _distinct(cls, columns: list[str] | None) -> list[str] | None:
        if columns is not None and len(set(columns)) != len(columns):
            raise ValueError("must not repeat a column")
        return columns


def _view(name: str, sorts: tuple[str, ...], columns: tuple[str, ...]) -> type[BaseModel]:
    sort: Any = _literal((*sorts, *(f"-{s}" for s in sorts)))
    column: Any = _literal(columns)
    model: type[BaseModel] = create_model(
        "".join(w.title() for w in name.split("_")) + "ViewPrefs",
        __base__=ViewPrefsBase,
        page_size=(PageSize | None, None),
        sort=(sort | None, None),
        columns=(_list_of(column) | None, Field(default=None, min_length=1)),
    )
    return model


def _views() -> dict[str, tuple[EntitySpec, tuple[str, ...]]]:
    """View name -> (entity, sort fields): each record list, then each admin overview."""
    views = {spec.path: (spec, spec.sortable) for spec in ENTITIES.values()}
    for name in OVERVIEW_ENTITIES:
        spec = ENTITIES[name]
        views[f"admin_{spec.path}"] = (spec, shown_columns(spec))
    return views


VIEWS = _views()
_VIEW_FIELDS: dict[str, Any] = {
    name: (_view(name, sorts, shown_columns(spec)) | None, None)
    for name, (spec, sorts) in VIEWS.items()
}
ViewsPrefs: type[Strict] = create_model("ViewsPrefs", __base__=Strict, **_VIEW_FIELDS)


class Preferences(Strict):
    """The user's whole preferences; ``PUT`` replaces them. A view without its own
    ``page_size`` uses the top-level one."""

    page_size: PageSize = DEFAULT_PAGE_SIZE
    views: ViewsPrefs = Field(default_factory=ViewsPrefs)
