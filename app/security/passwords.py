"""Argon2id password hashing (OWASP minimum: 19 MiB, 2 iterations, 1 lane) and policy."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

from app.core.i18n import N_

MIN_LENGTH = 8
MAX_LENGTH = 128
COMMON_PASSWORDS_FILE = Path(__file__).with_name("common_passwords.txt")

password_hash = PasswordHash((Argon2Hasher(memory_cost=19456, time_cost=2, parallelism=1),))

# Verifying against this keeps the time for an unknown username the same as a known one.
_DUMMY_HASH = password_hash.hash("not-a-real-password-for-timing")


def hash_password(password: str) -> str:
    return password_hash.hash(password)


def verify_password(password: str, stored: str | None) -> tuple[bool, str | None]:
    """(matches, new hash if the stored one used old parameters)."""
    if not stored:
        password_hash.verify(password, _DUMMY_HASH)
        return False, None
    try:
        return password_hash.verify_and_update(password, stored)
    except Exception:  # a malformed stored hash never signs anyone in
        return False, None


@lru_cache
def common_passwords() -> frozenset[str]:
    if not COMMON_PASSWORDS_FILE.exists():
        return frozenset()
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(
        line.strip().lower() for line in lines if line.strip() and not line.startswith("#")
    )


def password_rule_broken(password: str, *, username: str | None = None) -> tuple[str, dict]:
    """The rule the password breaks, as (sentence, its values) for `Refused(…, values=…)`
    (translated where shown), or ("", {}) when it is allowed."""
    if len(password) < MIN_LENGTH:
        return N_("Your password must be at least %(least)s characters"), {"least": MIN_LENGTH}
    if len(password) > MAX_LENGTH:
        return N_("Your password must be %(most)s characters or fewer"), {"most": MAX_LENGTH}
    lowered = password.lower()
    if lowered in common_passwords():
        return N_("This password is too common and easy to guess. Choose another"), {}
    if username and lowered == username.lower():
        return N_("Your password must not be the same as your username"), {}
    return "", {}


def password_problem(password: str, *, username: str | None = None) -> str | None:
    """A plain message (English) if the password is not allowed, else None."""
    sentence, values = password_rule_broken(password, username=username)
    return (sentence % values if values else sentence) or None
