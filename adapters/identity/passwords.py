"""Argon2id password hashing, off the event loop."""

from __future__ import annotations

import asyncio

from argon2 import PasswordHasher as _Argon2
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from argon2.profiles import CHEAPEST, RFC_9106_LOW_MEMORY

__all__ = ("Argon2PasswordHasher",)


class Argon2PasswordHasher:
    """Hashes in a worker thread; at most ``max_concurrency`` hashes run at once (each uses ~64 MiB)."""

    __slots__ = ("_hasher", "_semaphore")

    def __init__(self, *, cheap: bool = False, max_concurrency: int = 4) -> None:
        self._hasher = _Argon2.from_parameters(CHEAPEST if cheap else RFC_9106_LOW_MEMORY)
        self._semaphore = asyncio.Semaphore(max_concurrency)

    async def hash(self, password: str) -> str:
        async with self._semaphore:
            return await asyncio.to_thread(self._hasher.hash, password)

    async def verify(self, password_hash: str, password: str) -> bool:
        async with self._semaphore:
            try:
                return await asyncio.to_thread(self._hasher.verify, password_hash, password)
            except (VerifyMismatchError, VerificationError, InvalidHashError):
                return False
