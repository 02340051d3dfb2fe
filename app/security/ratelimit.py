"""Rate limits kept in the database, so they hold across every worker."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from fastapi import Request
from sqlmodel import Session, delete, func, select

from app.models import RateLimitHit


@dataclass(frozen=True)
class Limit:
    name: str
    max_hits: int
    window: timedelta


# Failed sign-ins per username: a person gets a few tries, then waits.
SIGNIN_PER_USERNAME = Limit("signin-user", 5, timedelta(minutes=15))
# A whole ward may share one address: only a generous backstop per address.
SIGNIN_PER_ADDRESS = Limit("signin-addr", 100, timedelta(minutes=15))
# Wrong join codes per address (a guessing backstop; a room of phones shares one address).
JOIN_PER_ADDRESS = Limit("join-addr", 60, timedelta(minutes=10))
INVITE_PER_ADDRESS = Limit("invite-addr", 20, timedelta(minutes=15))


class RateLimited(Exception):
    def __init__(self, retry_after: int) -> None:
        super().__init__(retry_after)
        self.retry_after = retry_after

    @property
    def minutes(self) -> int:
        return max(1, -(-self.retry_after // 60))


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


def hit(session: Session, limit: Limit, key: str, *, now: datetime) -> None:
    session.add(RateLimitHit(bucket=_bucket(limit, key), at=now))


def clear(session: Session, limit: Limit, key: str) -> None:
    session.exec(delete(RateLimitHit).where(RateLimitHit.bucket == _bucket(limit, key)))


def prune(session: Session, *, now: datetime, older_than: timedelta = timedelta(days=1)) -> None:
    session.exec(delete(RateLimitHit).where(RateLimitHit.at < now - older_than))
