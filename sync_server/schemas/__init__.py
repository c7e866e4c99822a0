"""Pydantic models: the source of truth for every wire shape (contracts/ is generated from them)."""
