"""Accounts' routes: one router; each module registers its routes on it."""

from fastapi import APIRouter

router = APIRouter()

from app.accounts.routes import admin, invite, people, signin, sso  # noqa: E402, F401
