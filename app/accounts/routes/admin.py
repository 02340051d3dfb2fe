"""Administrators: the admin home, accounts (roles, switch off, end sessions), the audit log."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from app.accounts import service
from app.accounts.deps import Account
from app.accounts.forms import ButtonForm, RoleForm, SsoEmailForm
from app.accounts.pages import show_accounts, show_admin_home, show_admin_user, show_audit
from app.accounts.routes import router
from app.accounts.service import sso_sessions
from app.db import SessionDep
from app.forms import form_for
from app.security.access import AdminUser
from app.web import redirect

Button = Annotated[ButtonForm, Depends(form_for(ButtonForm, show_admin_user), scope="function")]


@router.get("/admin")
def admin_home(request: Request, user: AdminUser):
    return show_admin_home(request)


@router.get("/admin/users")
def users_page(request: Request, session: SessionDep, user: AdminUser, q: str = ""):
    return show_accounts(request, session, q)


@router.get("/admin/users/{user_id}")
def account_page(request: Request, session: SessionDep, account: Account):
    return show_admin_user(request, session, account)


@router.post("/admin/users/{user_id}/role")
def change_role(
    request: Request,
    session: SessionDep,
    user: AdminUser,
    account: Account,
    form: Annotated[RoleForm, Depends(form_for(RoleForm, show_admin_user), scope="function")],
):
    service.set_role(session, user=account, role=form.role, actor=user)
    label = service.GLOBAL_ROLE_LABELS[form.role]
    return redirect(request, f"/admin/users/{account.id}", flash=f"Role is now: {label}.")


@router.post("/admin/users/{user_id}/sso-email")
def set_sso_email(
    request: Request,
    session: SessionDep,
    user: AdminUser,
    account: Account,
    form: Annotated[
        SsoEmailForm, Depends(form_for(SsoEmailForm, show_admin_user), scope="function")
    ],
):
    settings = request.app.state.settings
    changed = sso_sessions.set_sso_email(
        session, settings, user=account, email=form.sso_email, actor=user
    )
    if not changed:
        flash = "Nothing changed."
    elif account.sso_email:
        flash = f"{account.username}'s first NHS sign-in may now match {account.sso_email}."
    else:
        flash = f"{account.username}'s NHS email address is cleared."
    return redirect(request, f"/admin/users/{account.id}", flash=flash)


@router.post("/admin/users/{user_id}/deactivate")
def deactivate(
    request: Request, session: SessionDep, user: AdminUser, account: Account, form: Button
):
    ended = service.deactivate(session, user=account, actor=user)
    message = f"{account.username} is switched off; {ended} sign-in(s) ended."
    return redirect(request, f"/admin/users/{account.id}", flash=message)


@router.post("/admin/users/{user_id}/reactivate")
def reactivate(
    request: Request, session: SessionDep, user: AdminUser, account: Account, form: Button
):
    service.reactivate(session, user=account, actor=user)
    return redirect(
        request, f"/admin/users/{account.id}", flash=f"{account.username} can sign in again."
    )


@router.post("/admin/users/{user_id}/sessions/end")
def end_sessions(request: Request, session: SessionDep, user: AdminUser, account: Account):
    ended = service.end_sessions(session, user=account, actor=user)
    return redirect(
        request,
        f"/admin/users/{account.id}",
        flash=f"{ended} sign-in(s) ended for {account.username}.",
    )


@router.get("/admin/audit")
def audit_page(request: Request, session: SessionDep, user: AdminUser):
    return show_audit(request, session)
