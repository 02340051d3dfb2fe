"""One person's mail for one run: plain-English text, every sentence marked for translation."""

from __future__ import annotations

from dataclasses import dataclass

from babel.dates import format_date

from app.core.dates import long_date
from app.core.i18n import ENGLISH, _, current_language, ngettext
from app.reminders.queries import Item, Person

ONE_CLICK_BODY = "List-Unsubscribe=One-Click"  # RFC 8058


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    body: str
    unsubscribe_url: str
    digest: bool  # the weekly digest is in it (Notify picks its digest template)


def _line(item: Item, public_url: str) -> str:
    return _("{what} ({team}) – {when}\n  {url}").format(
        what=item.what,
        team=item.team,
        when=_when(item),
        url=public_url + item.path,
    )


def _day(day) -> str:
    """1 January 2025, or in Welsh 1 Ionawr 2025 (the mail's language)."""
    language = current_language()
    return long_date(day) if language == ENGLISH else format_date(day, "d MMMM y", locale=language)


def _when(item: Item) -> str:
    day = _day(item.due)
    if item.kind == "overdue":
        return _("was due on {day}").format(day=day)
    if item.kind in ("review_due", "digest_review"):
        return _("review due on {day}").format(day=day)
    return _("due on {day}").format(day=day)


def compose(
    person: Person, notices: list[Item], digest: list[Item] | None, *, public_url: str, token: str
) -> Mail:
    overdue = [i for i in notices if i.kind == "overdue"]
    soon = [i for i in notices if i.kind == "due_soon"]
    reviews = [i for i in notices if i.kind == "review_due"]
    parts = [_("Hello {name},").format(name=person.username)]
    if overdue:
        parts.append(
            ngettext(
                "This action you own or co-lead is past its due date:",
                "These actions you own or co-lead are past their due dates:",
                len(overdue),
            )
        )
        parts += [_line(i, public_url) for i in overdue]
    if soon:
        parts.append(
            ngettext(
                "This action you own or co-lead is due in the next week:",
                "These actions you own or co-lead are due in the next week:",
                len(soon),
            )
        )
        parts += [_line(i, public_url) for i in soon]
    if reviews:
        parts.append(
            ngettext(
                "A plan you facilitate is due for its review:",
                "Plans you facilitate are due for their review:",
                len(reviews),
            )
        )
        parts += [_line(i, public_url) for i in reviews]
    if digest:
        parts.append(_("Your week: what is due in the next four weeks."))
        parts += [_line(i, public_url) for i in digest]
    parts.append(
        _("If something has changed, open the link and update it. Thank you for keeping it going.")
    )
    unsubscribe_url = f"{public_url}/reminders/unsubscribe?t={token}"
    parts.append(
        _(
            "You get these emails because you chose them on your account page: {account}\n"
            "To stop them all: {unsubscribe}"
        ).format(account=public_url + "/account/reminders", unsubscribe=unsubscribe_url)
    )
    if overdue:
        subject = _("An action is past its due date")
    elif soon:
        subject = _("An action is due soon")
    elif reviews:
        subject = _("A plan review is due")
    else:
        subject = _("Your week in TRIP benchmarking")
    return Mail(person.email, subject, "\n\n".join(parts) + "\n", unsubscribe_url, bool(digest))
