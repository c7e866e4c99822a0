"""bcrypt password hashing. Passwords over 72 bytes are refused upstream, never truncated."""

from __future__ import annotations

import asyncio

import bcrypt

MIN_LENGTH, MAX_LENGTH, MAX_BYTES = 8, 64, 72

# A real hash to compare against when the email is unknown, so both failures cost one bcrypt check.
_DUMMY_HASH = bcrypt.hashpw(b"pathsix-timing-equaliser", bcrypt.gensalt(rounds=12))


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


def _check(password: str, hashed: str | None) -> bool:
    target = hashed.encode() if hashed else _DUMMY_HASH
    ok = bcrypt.checkpw(password.encode()[:MAX_BYTES], target)
    return ok and hashed is not None


async def hash_password(password: str, rounds: int) -> str:
    # bcrypt is CPU-bound (~250 ms at cost 12): keep it off the event loop.
    return await asyncio.to_thread(_hash, password, rounds)


async def verify_password(password: str, hashed: str | None) -> bool:
    """Constant-shape check: with ``hashed=None`` it still spends one bcrypt comparison."""
    return await asyncio.to_thread(_check, password, hashed)
