"""Rate limits kept in the database, so they hold across every worker."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from fastapi import Request
from sqlmodel import Session, delete, func, select

from app.db import OncePerDatabase
from app.models import RateLimitHit


@dataclass(frozen=True)
class Limit:
    name: str
    max_hits: int
    window: timedelta


# Failed sign-ins per username *and* address: a person gets a few tries, then waits. Someone
# else's guesses (another address) never lock the real person out ...
SIGNIN_PER_USER_ADDRESS = Limit("signin-pair", 5, timedelta(minutes=15))
# ... but every failure for a username, from anywhere, makes the next try for it wait a little
# longer (`check_delay`): a growing delay, never a lock.
SIGNIN_PER_USERNAME = Limit("signin-user", 5, timedelta(minutes=15))
SIGNIN_DELAY_CAP = 60  # seconds
# A whole ward may share one address: only a generous backstop per address.
SIGNIN_PER_ADDRESS = Limit("signin-addr", 100, timedelta(minutes=15))
# Failed join-code tries per address (a guessing backstop). A room of phones shares one
# address: 40 people mistyping twice is 80, so the bar sits well above that; only failures
# count, so a right code is never refused.
JOIN_PER_ADDRESS = Limit("join-addr", 200, timedelta(minutes=10))
INVITE_PER_ADDRESS = Limit("invite-addr", 20, timedelta(minutes=15))
# Wrong current passwords when changing a password, per account.
PASSWORD_PER_ACCOUNT = Limit("password-user", 5, timedelta(minutes=15))
PRUNE_EVERY = timedelta(minutes=1)


class RateLimited(Exception):
    def __init__(self, retry_after: int) -> None:
        super().__init__(retry_after)
        self.retry_after = retry_after

    @property
    def minutes(self) -> int:
        return max(1, -(-self.retry_after // 60))

    @property
    def wait(self) -> str:
        """How long to wait, in words: "8 seconds", "1 minute", "15 minutes"."""
        if self.retry_after < 60:
            return f"{self.retry_after} second" + ("" if self.retry_after == 1 else "s")
        return f"{self.minutes} minute" + ("" if self.minutes == 1 else "s")


def client_address(request: Request) -> str:
    # uvicorn's proxy-headers support sets request.client from X-Forwarded-For,
    # but only for the proxies named in FORWARDED_ALLOW_IPS.
    return request.client.host if request.client else "unknown"


def _bucket(limit: Limit, key: str) -> str:
    return f"{limit.name}:{key.lower()[:150]}"


def check(session: Session, limit: Limit, key: str, *, now: datetime) -> None:
    """Raise RateLimited if `key` has used up `limit`."""
    since = now - limit.window
    bucket = _bucket(limit, key)
    count, oldest = session.exec(
        select(func.count(), func.min(RateLimitHit.at)).where(
            RateLimitHit.bucket == bucket, RateLimitHit.at > since
        )
    ).one()
    if count >= limit.max_hits:
        retry = math.ceil((oldest + limit.window - now).total_seconds())
        raise RateLimited(max(retry, 1))


def check_delay(
    session: Session, limit: Limit, key: str, *, now: datetime, cap: int = SIGNIN_DELAY_CAP
) -> None:
    """Raise RateLimited until the delay `key` has earned has passed since its last hit: none
    for the first `limit.max_hits - 1` hits in the window, then 1, 2, 4 ... `cap` seconds.
    A refusal is not a hit: waiting is all it takes."""
    count, latest = session.exec(
        select(func.count(), func.max(RateLimitHit.at)).where(
            RateLimitHit.bucket == _bucket(limit, key), RateLimitHit.at > now - limit.window
        )
    ).one()
    if count < limit.max_hits:
        return
    if latest.tzinfo is None:  # a driver may give naive UTC back
        latest = latest.replace(tzinfo=now.tzinfo)
    delay = min(2 ** (count - limit.max_hits), cap)
    retry = math.ceil((latest + timedelta(seconds=delay) - now).total_seconds())
    if retry > 0:
        raise RateLimited(retry)


_PRUNING = OncePerDatabase(PRUNE_EVERY)


def hit(session: Session, limit: Limit, key: str, *, now: datetime) -> None:
    session.add(RateLimitHit(bucket=_bucket(limit, key), at=now))
    _prune_now_and_then(session, now)


def _prune_now_and_then(session: Session, now: datetime) -> None:
    """Prune old hits, at most once a minute per database (per process)."""
    if _PRUNING.due(session, now):
        prune(session, now=now)


def clear(session: Session, limit: Limit, key: str) -> None:
    session.exec(delete(RateLimitHit).where(RateLimitHit.bucket == _bucket(limit, key)))


def prune(session: Session, *, now: datetime, older_than: timedelta = timedelta(days=1)) -> None:
    session.exec(delete(RateLimitHit).where(RateLimitHit.at < now - older_than))
