"""bcrypt password hashing. Passwords over 72 bytes are refused upstream, never truncated."""

from __future__ import annotations

import asyncio
import functools

import bcrypt

MIN_LENGTH, MAX_LENGTH, MAX_BYTES = 8, 64, 72


@functools.lru_cache(maxsize=8)
def _dummy_hash(rounds: int) -> bytes:
    """A real hash to compare against when the email is unknown, at the same cost as real hashes,
    so both failures cost the same bcrypt check."""
    return bcrypt.hashpw(b"pathsix-timing-equaliser", bcrypt.gensalt(rounds=rounds))


_dummy_hash(12)


def password_problems(password: str) -> list[str]:
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append(f"must be at least {MIN_LENGTH} characters")
    if len(password) > MAX_LENGTH:
        problems.append(f"must be at most {MAX_LENGTH} characters")
    if len(password.encode()) > MAX_BYTES:
        problems.append(f"must be at most {MAX_BYTES} bytes in UTF-8")
    return problems


def _hash(password: str, rounds: int) -> str:
    return bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds=rounds)).decode()


def _check(password: str, hashed: str | None, rounds: int) -> bool:
    target = hashed.encode() if hashed else _dummy_hash(rounds)
    candidate = password.encode()
    # bcrypt reads 72 bytes at most: a longer candidate can never be a stored password, so it is
    # refused (after the same one check, for timing) instead of matching on its first 72 bytes.
    ok = bcrypt.checkpw(candidate[:MAX_BYTES], target)
    return ok and hashed is not None and len(candidate) <= MAX_BYTES


async def hash_password(password: str, rounds: int) -> str:
    # bcrypt is CPU-bound (~250 ms at cost 12): keep it off the event loop.
    return await asyncio.to_thread(_hash, password, rounds)


async def verify_password(password: str, hashed: str | None, rounds: int = 12) -> bool:
    """Constant-shape check: with ``hashed=None`` it still spends one bcrypt comparison, at cost
    ``rounds`` (pass the cost real hashes are made with)."""
    return await asyncio.to_thread(_check, password, hashed, rounds)
