"""Staff passwords: argon2id hashes (argon2-cffi, its recommended parameters), never the
password itself; the login throttle that stops guessing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

HASHER = PasswordHasher()
MIN_LENGTH = 8


@cache
def _nobody() -> str:
    """Verified when the name is unknown, so that an unknown name costs as long as a known
    one. Made on first use: hashing costs 64 MiB and a tenth of a second, which every
    command paid at import (issue 21: `intake --help`)."""
    return HASHER.hash("no such user: this hash verifies nothing anyone types")


def hash_password(password: str) -> str:
    return HASHER.hash(password)


def password_problem(password: str, repeated: str) -> str | None:
    """Why a new password cannot be taken (Chinese), or None."""
    if password != repeated:
        return "两次输入的密码不一致"
    if len(password) < MIN_LENGTH:
        return f"密码至少需要{MIN_LENGTH}个字符"
    return None


def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether ``password`` is the one hashed; an unknown user (None) takes as long."""
    try:
        return HASHER.verify(password_hash or _nobody(), password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return HASHER.check_needs_rehash(password_hash)


@dataclass(frozen=True)
class LoginThrottle:
    """Wrong passwords for one name from one address slow that pair down, never anyone
    else: after ``max_failures`` within ``window`` (since the name's last good log-in) the
    pair waits ``first_delay`` after the last failure, and twice as long after each
    further one, at most ``window``. An address gets ``address_max`` failures over all
    names in the window, against guessing many names; then that address waits."""

    max_failures: int = 5
    window: dt.timedelta = dt.timedelta(minutes=15)
    first_delay: dt.timedelta = dt.timedelta(minutes=1)
    address_max: int = 20

    def throttled_until(self, failures: list[dt.datetime], address_failures: int,
                        now: dt.datetime) -> dt.datetime | None:
        if address_failures >= self.address_max:
            return now + self.window
        recent = [moment for moment in failures if moment > now - self.window]
        beyond = len(recent) - self.max_failures
        if beyond < 0:
            return None
        until = max(recent) + min(self.first_delay * 2 ** beyond, self.window)
        return until if until > now else None
