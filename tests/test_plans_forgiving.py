"""Plans that forgive mistakes: reviews and celebrations changed and removed (audited, a
confirmation step first), dates kept in their windows with a plain message, and the "review
before you benchmark again" prompt answered by a recent review."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlmodel import select

from app.models import Action, ActionUpdate, AuditEvent, Celebration, Plan, Review
from tests.conftest import soup
from tests.plans_world import agreed_plan, make_world

TODAY = datetime(2026, 6, 15, 9, tzinfo=UTC)


def _world(session, clock):
    clock.now = TODAY
    w = make_world(session)  # the team started on 6 January 2025
    plan, priorities, actions = agreed_plan(session, w)
    return w, plan, priorities, actions


def _verbs(session) -> list[str]:
    found = list(session.exec(select(AuditEvent.verb)).all())
    session.commit()
    return found


def test_a_review_is_changed_then_removed_after_confirming(client, session, clock):
    w, plan, _p, _a = _world(session, clock)
    client.login("fac")
    made = client.form(f"/plans/{plan.id}/reviews", {"held_on": "2026-06-01", "notes": "Good"})
    review_id = int(made.headers["location"].rsplit("/", 1)[1])
    page = soup(client.get(f"/reviews/{review_id}/edit"))
    assert page.select_one("input[name=held_on]")["value"] == "2026-06-01"
    changed = client.form(f"/reviews/{review_id}", {"held_on": "2026-06-02", "notes": "Better"})
    assert changed.status_code == 303
    review = session.get(Review, review_id)
    assert (review.held_on, review.notes) == (date(2026, 6, 2), "Better")
    session.commit()
    confirm = soup(client.get(f"/reviews/{review_id}/remove"))
    assert "Remove the review of 2 June 2026?" in confirm.select_one("h1").text
    assert session.get(Review, review_id) is not None  # asking removes nothing
    session.commit()
    assert client.form(f"/reviews/{review_id}/remove").status_code == 303
    session.expire_all()
    assert session.get(Review, review_id) is None
    session.commit()
    assert {"review.updated", "review.removed"} <= set(_verbs(session))


def test_a_celebration_is_changed_then_removed_and_only_by_its_people(
    client, make_client, session, clock
):
    w, plan, _p, _a = _world(session, clock)
    client.login("sue")
    client.form(
        f"/teams/{w.team.id}/celebrations", {"text": "First peer group", "on": "2026-06-10"}
    )
    c = session.exec(select(Celebration)).one()
    session.commit()
    other = make_client()
    other.login("member")  # on the team, but neither who added it nor a facilitator
    assert (
        other.form(f"/celebrations/{c.id}", {"text": "Mine now", "on": "2026-06-10"}).status_code
        == 403
    )
    assert (
        client.form(
            f"/celebrations/{c.id}", {"text": "First peer group!", "on": "2026-06-11"}
        ).status_code
        == 303
    )
    session.refresh(c)
    assert (c.text, c.on) == ("First peer group!", date(2026, 6, 11))
    session.commit()
    assert "Yes, remove it" in client.get(f"/celebrations/{c.id}/remove").text
    assert client.form(f"/celebrations/{c.id}/remove").status_code == 303
    assert session.exec(select(Celebration)).all() == []
    session.commit()
    assert {"celebration.updated", "celebration.removed"} <= set(_verbs(session))


def test_dates_outside_their_windows_get_a_plain_message(client, session, clock):
    w, plan, (p1, _p2, _p3), (a1, _a2, _a3) = _world(session, clock)
    client.login("fac")
    cases = [
        (f"/teams/{w.team.id}/celebrations", {"text": "Future", "on": "2030-01-01"}, "on",
         "Enter the date between 6 January 2025 and 15 June 2026"),
        (f"/teams/{w.team.id}/celebrations", {"text": "Before", "on": "2024-12-31"}, "on",
         "Enter the date between 6 January 2025 and 15 June 2026"),
        (f"/plans/{plan.id}/reviews", {"held_on": "0001-01-01"}, "held_on", "between"),
        (f"/plans/{plan.id}/reviews", {"held_on": "2026-06-16"}, "held_on",
         "Enter the date of the review between 6 January 2025 and 15 June 2026"),
        (f"/priorities/{p1.id}/actions", {"what": "Old", "due_on": "2025-06-14"}, "due_on",
         "Enter a due date between 15 June 2025 and 15 June 2031"),
        (f"/priorities/{p1.id}/actions", {"what": "Far", "due_on": "2031-06-16"}, "due_on",
         "Enter a due date between 15 June 2025 and 15 June 2031"),
        (f"/plans/{plan.id}/review-due", {"review_due": "2026-06-15"}, "review_due",
         "Enter a review date between 16 June 2026 and 15 June 2028"),
        (f"/plans/{plan.id}/review-due", {"review_due": "2028-06-16"}, "review_due",
         "Enter a review date between 16 June 2026 and 15 June 2028"),
    ]  # fmt: skip
    for url, data, field, message in cases:
        response = client.form(url, data)
        assert response.status_code == 422, (url, data)
        error = soup(response).select_one(f"#{field}-error")
        assert error is not None and message in error.get_text(), (url, data, error)
        assert soup(response).select_one(f"input[name={field}]")["value"] == data[field]
    assert session.exec(select(Celebration)).all() == []
    assert session.exec(select(Review)).all() == []
    assert session.get(Plan, plan.id).review_due != date(2026, 6, 15)
    # an action keeps an old due date it already had (only a changed one is asked about)
    assert a1.due_on == date(2026, 4, 1)
    session.commit()
    data = {"what": a1.what, "owner_member_id": a1.owner_member_id, "due_on": "2026-04-01",
            "status": "in_progress", "version": a1.version}  # fmt: skip
    assert client.form(f"/actions/{a1.id}/update", data).status_code == 303
    good = client.form(f"/plans/{plan.id}/reviews", {"held_on": "2026-06-15"})
    assert good.status_code == 303


def test_the_review_prompt_hides_after_a_recent_review(client, session, clock):
    w, plan, (p1, _p2, _p3), (a1, _a2, _a3) = _world(session, clock)
    for update in session.exec(select(ActionUpdate)).all():
        update.at = datetime(2026, 3, 10, 9, tzinfo=UTC)  # the actions were made on agreeing
        session.add(update)
    session.commit()
    client.login("fac")
    url = f"/teams/{w.team.id}/open-actions"
    assert "Review before you benchmark again" in client.get(url).text
    client.form(f"/plans/{plan.id}/reviews", {"held_on": "2026-06-15"})
    assert "Review before you benchmark again" not in client.get(url).text  # held today
    clock.now = datetime(2026, 9, 1, 9, tzinfo=UTC)  # 78 days on, nothing changed since
    client.login("fac")  # (signed out meanwhile)
    assert "Actions still open" in client.get(url).text  # the page, without the prompt
    assert "Review before you benchmark again" not in client.get(url).text
    data = {"what": a1.what, "owner_member_id": a1.owner_member_id, "due_on": "2026-04-01",
            "status": "stuck", "version": session.get(Action, a1.id).version}  # fmt: skip
    session.commit()
    assert client.form(f"/actions/{a1.id}/update", data).status_code == 303
    assert "Review before you benchmark again" in client.get(url).text  # changed since


def test_the_open_actions_page_after_a_recent_review_says_so_not_that_none_are_open(
    client, session, clock
):
    w, plan, _p, _a = _world(session, clock)
    client.login("fac")
    client.form(f"/plans/{plan.id}/reviews", {"held_on": "2026-06-15"})
    page = soup(client.get(f"/teams/{w.team.id}/open-actions"))
    main = " ".join(page.select_one("main").get_text(" ").split())
    assert page.select_one(".app-open-actions-callout") is None  # the prompt is answered
    assert "no open actions" not in main
    said = " ".join(page.select_one(".app-open-actions-reviewed").get_text(" ").split())
    assert 'The team\'s plan, "Our plan", still has 3 open actions' in said
    assert "reviewed it recently" in said


def test_the_open_actions_page_says_when_there_is_no_plan(client, session, clock):
    clock.now = TODAY
    w = make_world(session)
    client.login("fac")
    page = soup(client.get(f"/teams/{w.team.id}/open-actions"))
    assert "The team has no current plan." in page.select_one("main").get_text()
