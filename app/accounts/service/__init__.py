"""Accounts' verbs (every write and its audit event; raises Refused), split by entity:
users (accounts, passwords, roles), signin (password sign-in), people (a team's list),
invitations (links).
Other domains import them from here: `from app.accounts import service as accounts_service`.
"""

from app.accounts.service.invitations import (
    VALID_FOR,
    NewMember,
    create_invitation,
    invitation_url,
    redeem_invitation,
    revoke_invitation,
)
from app.accounts.service.people import add_person, change_person, mark_left, rejoin
from app.accounts.service.signin import sign_in, start_signed_in
from app.accounts.service.users import (
    GLOBAL_ROLE_LABELS,
    change_password,
    create_user,
    deactivate,
    end_all_sessions,
    end_sessions,
    normalise_username,
    reactivate,
    set_language,
    set_password,
    set_role,
)

__all__ = [
    "GLOBAL_ROLE_LABELS",
    "VALID_FOR",
    "NewMember",
    "add_person",
    "change_password",
    "change_person",
    "create_invitation",
    "create_user",
    "deactivate",
    "end_all_sessions",
    "end_sessions",
    "invitation_url",
    "mark_left",
    "normalise_username",
    "reactivate",
    "redeem_invitation",
    "rejoin",
    "revoke_invitation",
    "set_password",
    "set_language",
    "set_role",
    "sign_in",
    "start_signed_in",
]
