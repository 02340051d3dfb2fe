"""Accounts' pages: the template contexts and the show_… functions (a form page's GET and its
failed POST both use the one show_… function: app.forms.form_for). No `from __future__ import
annotations` here: form_for reads the show_… functions' dependencies from their annotations."""

from fastapi import Request
from fastapi.routing import iter_route_contexts

from app.accounts import queries
from app.accounts.deps import Account, FacilitatorAccess, InsideAccess, OpenInvitation, Person
from app.accounts.service import GLOBAL_ROLE_LABELS, invitation_url, sso_sessions
from app.core.codes import qr_svg
from app.core.dates import now
from app.core.i18n import N_, _, use_language
from app.db import SessionDep
from app.models import Invitation, TeamMember
from app.models.base import PERSPECTIVE_LABELS
from app.reminders import queries as reminder_queries
from app.security.access import CurrentUser, TeamAccess, teams_of
from app.security.tokens import hash_token, same
from app.web import language_of, redirect, render, safe_next

LINK_COOKIE = "trip_invitation_link"
LINK_SHOWN_FOR = 15 * 60  # seconds the new link stays readable on its page

# (title, path, what it is for): shown on /admin when the app has that page.
ADMIN_PAGES = [
    (N_("Accounts"), "/admin/users", N_("Change roles, switch accounts off and on, end sign-ins.")),
    (N_("Audit log"), "/admin/audit", N_("Who signed in, who changed what, and refused access.")),
    (N_("Services"), "/admin/services", N_("Add and change services.")),
    (N_("Teams"), "/admin/teams", N_("Add and change teams, and what is kept about them.")),
    (N_("Frameworks"), "/frameworks", N_("The benchmark statement sets teams rate against.")),
    (N_("Compare teams"), "/compare", N_("Teams side by side, without names.")),
]


# --- signing in, your account ---------------------------------------------------------------


def _title(request: Request, message: str, **values: str) -> str:
    """A title with data in it, in the language the page will be in (made here, before
    render sets the language, so the data is not part of the sentence to translate)."""
    use_language(language_of(request))
    return _(message) % values


def show_login(request: Request, *, values=None, errors=None, status=200):
    values = values or {}
    kept = {"username": values.get("username", ""), "next": safe_next(values.get("next"))}
    context = {
        "page_title": N_("Sign in"),
        "values": kept,
        "errors": errors or {},
        "sso": request.app.state.settings.sso_configured,
    }
    return render(request, "accounts/login.html", context, status_code=status)


def show_sso_no_account(request: Request):
    return render(request, "accounts/sso_no_account.html", {"page_title": N_("Ask to be added")})


def show_signed_out(request: Request, provider_url: str):
    context = {"page_title": N_("You have signed out"), "provider_url": provider_url}
    return render(request, "accounts/signed_out.html", context)


def show_account(
    request: Request,
    session: SessionDep,
    user: CurrentUser,
    *,
    values=None,
    errors=None,
    status=200,
):
    context = {
        "page_title": N_("Your account"),
        "memberships": teams_of(session, user),
        "role_label": GLOBAL_ROLE_LABELS.get(user.role, user.role),
        "sso": request.app.state.settings.sso_configured,
        "sso_linked": sso_sessions.is_linked(session, user),
        "offer_reminders": reminder_queries.asks_for_email(session, user),
        "values": {},
        "errors": errors or {},
    }
    return render(request, "accounts/account.html", context, status_code=status)


# --- administrators -------------------------------------------------------------------------


def show_admin_home(request: Request):
    paths = {context.path for context in iter_route_contexts(request.app.routes)}
    seen: set[str] = set()
    links = []
    for title, path, what in ADMIN_PAGES:
        if path in paths and title not in seen:
            seen.add(title)
            links.append((title, path, what))
    return render(request, "accounts/admin.html", {"page_title": N_("Admin"), "links": links})


def show_accounts(request: Request, session, q: str):
    q = q.strip().lower()[:64]
    context = {
        "page_title": N_("Accounts"),
        "rows": queries.accounts_list(session, q),
        "q": q,
        "role_labels": GLOBAL_ROLE_LABELS,
    }
    return render(request, "accounts/admin_users.html", context)


def show_admin_user(
    request: Request, session: SessionDep, account: Account, *, values=None, errors=None, status=200
):
    context = {
        "page_title": _title(request, N_("Account: %(name)s"), name=account.username),
        "account": account,
        "memberships": queries.memberships_of(session, account),
        "sessions": queries.count_sessions(session, account.id),
        "roles": list(GLOBAL_ROLE_LABELS.items()),
        "sso": request.app.state.settings.sso_configured,
        "sso_linked": sso_sessions.is_linked(session, account),
        "values": {"role": account.role, "sso_email": account.sso_email or "", **(values or {})},
        "errors": errors or {},
    }
    return render(request, "accounts/admin_user.html", context, status_code=status)


def show_audit(request: Request, session):
    filters = queries.parse_filters(request.query_params)
    events, total = queries.search(session, filters)
    context = {
        "page_title": N_("Audit log"),
        "events": events,
        "total": total,
        "filters": filters,
        "pages": max(1, -(-total // queries.PAGE_SIZE)),
        "verbs": queries.verbs(session),
        "teams": queries.team_names(session),
        "errors": filters.problems,
    }
    return render(request, "accounts/admin_audit.html", context)


# --- a team's people ------------------------------------------------------------------------


def _choices() -> dict:
    return {
        "perspectives": list(PERSPECTIVE_LABELS.items()),
        "roles": [
            ("member", N_("Member: sees the team's work and plan")),
            ("facilitator", N_("Facilitator: runs workshops and manages this list")),
        ],
    }


def show_members(
    request: Request,
    session: SessionDep,
    access: InsideAccess,
    *,
    values=None,
    errors=None,
    status=200,
):
    context = {
        "page_title": _title(request, N_("People – %(team)s"), team=access.team.name),
        "team": access.team,
        "access": access,
        "rows": queries.list_people(session, access.team.id, now=now(request)),
        **_choices(),
        "values": values or {},
        "errors": errors or {},
    }
    return render(request, "accounts/members.html", context, status_code=status)


def show_person(
    request: Request,
    session: SessionDep,
    access: FacilitatorAccess,
    member: Person,
    *,
    values=None,
    errors=None,
    status=200,
):
    at = now(request)
    shown = {"display_name": member.display_name, "perspective": member.perspective}
    shown["role"] = member.role
    context = {
        "page_title": f"{member.display_name} – {access.team.name}",
        "team": access.team,
        "member": member,
        "invitations": [
            (i, queries.status_of(i, now=at)) for i in queries.invitations_of(session, member)
        ],
        "refusal": queries.reissue_refusal(session, actor=access.user, member=member),
        **_choices(),
        "values": {**shown, **(values or {})},
        "errors": errors or {},
    }
    return render(request, "accounts/person.html", context, status_code=status)


def show_invitation(
    request: Request, access: TeamAccess, invitation: Invitation, member: TeamMember
):
    """A link's page; the link itself (and its QR code) only to the browser that made it,
    for a few minutes after (the token is kept nowhere else)."""
    state = queries.status_of(invitation, now=now(request))
    link = qr = None
    saved_id, _, token = request.cookies.get(LINK_COOKIE, "").partition(":")
    if state == "open" and saved_id == str(invitation.id) and token:
        if same(hash_token(token), invitation.token_hash):
            link = invitation_url(request.app.state.settings, token)
            qr = qr_svg(
                link,
                label=_title(
                    request,
                    N_("QR code for the invitation link of %(name)s"),
                    name=member.display_name,
                ),
            )
    context = {
        "page_title": _title(request, N_("Invitation for %(name)s"), name=member.display_name),
        "team": access.team,
        "member": member,
        "invitation": invitation,
        "state": state,
        "link": link,
        "qr": qr,
    }
    return render(request, "accounts/invitation.html", context)


def to_link_page(request: Request, invitation: Invitation, token: str, flash: str):
    """Redirect to the new link's page, carrying the token in a short-lived cookie."""
    url = f"/teams/{invitation.team_id}/invitations/{invitation.id}"
    response = redirect(request, url, flash=flash)
    response.set_cookie(
        LINK_COOKIE,
        f"{invitation.id}:{token}",
        max_age=LINK_SHOWN_FOR,
        path=url,
        httponly=True,
        samesite="strict",
        secure=request.app.state.settings.secure_cookies,
    )
    return response


def forget_link(response, invitation: Invitation) -> None:
    path = f"/teams/{invitation.team_id}/invitations/{invitation.id}"
    response.delete_cookie(LINK_COOKIE, path=path)


# --- using a link ---------------------------------------------------------------------------


def show_invite(
    request: Request,
    session: SessionDep,
    found: OpenInvitation,
    *,
    values=None,
    errors=None,
    status=200,
):
    context = {
        "page_title": N_("Set up your account"),
        "team": found.team,
        "member": found.member,
        "existing": found.user,
        "sso": request.app.state.settings.sso_configured,
        "values": {"username": (values or {}).get("username", "")},
        "errors": errors or {},
    }
    return render(request, "accounts/invite.html", context, status_code=status)
