"""Administrators: the admin home, accounts (roles, switch off, end sessions), the audit log."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, HTTPException, Request
from fastapi.routing import iter_route_contexts
from pydantic import BaseModel, Field
from sqlmodel import func, select

from app.accounts import audit_log
from app.accounts import service as accounts
from app.db import SessionDep
from app.forms import invalid, parse_form
from app.models import LoginSession, Team, TeamMember, User
from app.security.access import AdminUser
from app.web import redirect, render

router = APIRouter()

# (title, path, what it is for): shown on /admin when the app has that page.
ADMIN_PAGES = [
    ("Accounts", "/admin/users", "Change roles, switch accounts off and on, end sign-ins."),
    ("Audit log", "/admin/audit", "Who signed in, who changed what, and refused access."),
    ("Services", "/admin/services", "Add and change services."),
    ("Teams", "/admin/teams", "Add and change teams, and what is kept about them."),
    ("Frameworks", "/frameworks", "The benchmark statement sets teams rate against."),
    ("Compare teams", "/compare", "Teams side by side, without names."),
]


class RoleForm(BaseModel):
    role: Literal["user", "recovery_lead", "admin"] = Field(title="Role")


@router.get("/admin")
def admin_home(request: Request, user: AdminUser):
    paths = {context.path for context in iter_route_contexts(request.app.routes)}
    seen: set[str] = set()
    links = []
    for title, path, what in ADMIN_PAGES:
        if path in paths and title not in seen:
            seen.add(title)
            links.append((title, path, what))
    return render(request, "accounts/admin.html", {"page_title": "Admin", "links": links})


@router.get("/admin/users")
def users_page(request: Request, session: SessionDep, user: AdminUser, q: str = ""):
    sessions = (
        select(LoginSession.user_id, func.count().label("n"))
        .group_by(LoginSession.user_id)
        .subquery()
    )
    teams = (
        select(TeamMember.user_id, func.count().label("n"))
        .where(TeamMember.left_at.is_(None), TeamMember.user_id.is_not(None))
        .group_by(TeamMember.user_id)
        .subquery()
    )
    query = (
        select(User, sessions.c.n, teams.c.n)
        .join(sessions, sessions.c.user_id == User.id, isouter=True)
        .join(teams, teams.c.user_id == User.id, isouter=True)
        .order_by(User.username)
    )
    q = q.strip().lower()[:64]
    if q:
        query = query.where(User.username.contains(q))
    context = {
        "page_title": "Accounts",
        "rows": session.exec(query).all(),
        "q": q,
        "role_labels": accounts.GLOBAL_ROLE_LABELS,
    }
    return render(request, "accounts/admin_users.html", context)


def _account_or_404(session, user_id: int) -> User:
    account = session.get(User, user_id)
    if account is None:
        raise HTTPException(404)
    return account


def _account_context(session, account: User) -> dict:
    memberships = session.exec(
        select(TeamMember, Team)
        .join(Team, Team.id == TeamMember.team_id)
        .where(TeamMember.user_id == account.id)
        .order_by(Team.name)
    ).all()
    return {
        "page_title": f"Account: {account.username}",
        "account": account,
        "memberships": memberships,
        "sessions": accounts.count_sessions(session, account.id),
        "roles": list(accounts.GLOBAL_ROLE_LABELS.items()),
    }


@router.get("/admin/users/{user_id}")
def account_page(request: Request, session: SessionDep, user: AdminUser, user_id: int):
    account = _account_or_404(session, user_id)
    context = _account_context(session, account)
    values = {"role": account.role}
    return render(request, "accounts/admin_user.html", {**context, "values": values, "errors": {}})


@router.post("/admin/users/{user_id}/role")
def change_role(request: Request, session: SessionDep, user: AdminUser, user_id: int):
    account = _account_or_404(session, user_id)
    context = _account_context(session, account)
    form = parse_form(request, RoleForm, template="accounts/admin_user.html", context=context)
    try:
        accounts.set_role(session, user=account, role=form.role, actor=user)
    except accounts.AccountError as exc:
        raise invalid("accounts/admin_user.html", form, context, role=exc.message) from None
    session.commit()
    label = accounts.GLOBAL_ROLE_LABELS[form.role]
    return redirect(request, f"/admin/users/{account.id}", flash=f"Role is now: {label}.")


def _switch(request: Request, session, user: User, user_id: int, on: bool):
    account = _account_or_404(session, user_id)
    try:
        if on:
            accounts.reactivate(session, user=account, actor=user)
            message = f"{account.username} can sign in again."
        else:
            ended = accounts.deactivate(session, user=account, actor=user)
            message = f"{account.username} is switched off; {ended} sign-in(s) ended."
    except accounts.AccountError as exc:
        context = _account_context(session, account)
        values = {"role": account.role}
        raise invalid("accounts/admin_user.html", values, context, active=exc.message) from None
    session.commit()
    return redirect(request, f"/admin/users/{account.id}", flash=message)


@router.post("/admin/users/{user_id}/deactivate")
def deactivate(request: Request, session: SessionDep, user: AdminUser, user_id: int):
    return _switch(request, session, user, user_id, on=False)


@router.post("/admin/users/{user_id}/reactivate")
def reactivate(request: Request, session: SessionDep, user: AdminUser, user_id: int):
    return _switch(request, session, user, user_id, on=True)


@router.post("/admin/users/{user_id}/sessions/end")
def end_sessions(request: Request, session: SessionDep, user: AdminUser, user_id: int):
    account = _account_or_404(session, user_id)
    ended = accounts.end_sessions(session, user=account, actor=user)
    session.commit()
    return redirect(
        request,
        f"/admin/users/{account.id}",
        flash=f"{ended} sign-in(s) ended for {account.username}.",
    )


@router.get("/admin/audit")
def audit_page(request: Request, session: SessionDep, user: AdminUser):
    filters = audit_log.parse_filters(request.query_params)
    events, total = audit_log.search(session, filters)
    pages = max(1, -(-total // audit_log.PAGE_SIZE))
    context = {
        "page_title": "Audit log",
        "events": events,
        "total": total,
        "filters": filters,
        "pages": pages,
        "verbs": audit_log.verbs(session),
        "teams": audit_log.team_names(session),
        "errors": filters.problems,
    }
    return render(request, "accounts/admin_audit.html", context)
