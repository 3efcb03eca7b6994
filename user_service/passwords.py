"""Passwords, hashed with Argon2 (64 MiB and a few hundred milliseconds of several cores each).

New passwords are hashed a bounded number at a time, with a bounded queue, on threads of their own
that yield the CPU to everything else: a flood of registrations gets 503s instead of every core and
gigabytes of memory, and logins, whose verification runs at normal priority, keep answering.
"""

import asyncio
import os
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher
from starlette.concurrency import run_in_threadpool

password_hash = PasswordHash((Argon2Hasher(),))
# Verified against when the user does not exist, so both failures take the same time.
_DUMMY_HASH = password_hash.hash("not-a-real-password")
BUSY_RETRY_AFTER_SECONDS = 1
# Niceness of the hashing threads (and of the threads Argon2 starts from them, which inherit it).
HASHING_NICENESS = 10


class HashingBusyError(Exception):
    """Every hashing slot is taken and the queue is full."""

    def __init__(self) -> None:
        super().__init__("Too many registrations in progress; try again shortly")
        self.retry_after_seconds = BUSY_RETRY_AFTER_SECONDS


def _yield_the_cpu() -> None:
    """Lowers the calling thread's priority; on Linux niceness is per thread, elsewhere per process."""
    if sys.platform == "linux":
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), HASHING_NICENESS)


class Passwords:
    """Hashes new passwords at most `concurrency` at once with at most `queue_size` waiting; verifies any."""

    def __init__(self, *, concurrency: int, queue_size: int) -> None:
        self._slots = asyncio.Semaphore(concurrency)
        self._capacity = concurrency + queue_size
        self._admitted = 0
        self._hashing = ThreadPoolExecutor(
            max_workers=concurrency, thread_name_prefix="password-hash", initializer=_yield_the_cpu
        )

    async def hash(self, password: str) -> str:
        """Returns the hash of `password`; raises `HashingBusyError` when the slots and the queue are full."""
        if self._admitted >= self._capacity:
            raise HashingBusyError
        self._admitted += 1
        try:
            async with self._slots:
                return await asyncio.get_running_loop().run_in_executor(
                    self._hashing, password_hash.hash, password
                )
        finally:
            self._admitted -= 1

    async def verify(self, password: str, stored: str | None) -> bool:
        """Returns whether `password` matches `stored`; with nothing stored, False in the same time."""
        valid = await run_in_threadpool(password_hash.verify, password, stored or _DUMMY_HASH)
        return valid and stored is not None

    def close(self) -> None:
        self._hashing.shutdown(wait=False, cancel_futures=True)
