"""Reminders that arrive: the right people get the right mail once, through a real SMTP server
(aiosmtpd) and through GOV.UK Notify's real client; choices, unsubscribing, the CLI."""

from __future__ import annotations

import os
import shutil
from datetime import UTC, date, datetime, timedelta

import pytest
from babel.dates import format_date
from sqlmodel import select

from app.config import Settings
from app.core import i18n
from app.core.dates import today
from app.models import ReminderChoice, SentNotice, TeamMember
from app.reminders import service
from tests.conftest import soup
from tests.factories import make_person, make_team, make_user
from tests.reminders_world import notify_server, smtp_server, world


def choice_of(session, user_id: int) -> ReminderChoice:
    """Read afresh, then end the read (on SQLite every transaction holds the write lock)."""
    session.expire_all()
    found = session.get(ReminderChoice, user_id)
    session.commit()
    return found


def plan(session, settings, clock):
    return service.plan_run(
        session, today=today(clock), public_url=settings.public_url, secret=settings.secret_key
    )


def run(session, settings, clock, sender):
    return service.send_reminders(
        session, today=today(clock), settings=settings, sender=sender, commit=session.commit
    )


def needs(program: str, why: str) -> None:
    """Skip without `program`, with the reason; with CI set fail, so CI never passes by
    skipping (as the OpenID provider's tests do, tests/oidc_provider.py)."""
    if shutil.which(program):
        return
    reason = f"{program} not found: {why} (apt-get install -y {program})"
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set, so this is a failure)")
    pytest.skip(reason)


@pytest.fixture
def smtp(tmp_path):
    needs("openssl", "it makes the test SMTP server's certificate")
    controller, inbox = smtp_server(tmp_path)
    yield inbox
    controller.stop()


def test_a_missing_program_skips_here_but_fails_in_ci(monkeypatch):
    missing = "trip-no-such-program"
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="trip-no-such-program not found"):
        needs(missing, "a test needs it")
    monkeypatch.setenv("CI", "1")
    with pytest.raises(pytest.fail.Exception, match="CI is set, so this is a failure"):
        needs(missing, "a test needs it")
    needs("sh", "every machine has it")  # present: neither skips nor fails


def smtp_settings(settings: Settings, inbox) -> Settings:
    return settings.model_copy(
        update={
            "reminders_sender": "smtp",
            "reminders_from": "trip@nhs.test",
            "smtp_host": "localhost",
            "smtp_port": inbox.port,
            "smtp_username": "relay",
            "smtp_password": "relay-password",
            "smtp_ca_file": inbox.ca_file,
        }
    )


def test_smtp_the_right_people_get_the_right_mail_once(session, settings, clock, smtp):
    w = world(session, today(clock))
    mail_settings = smtp_settings(settings, smtp)
    sender = service.sender_for(mail_settings)

    report = run(session, mail_settings, clock, sender)

    assert sorted(m.to for m in report.mails) == [
        "colin@example.test",
        "fay@nhs.test",
        "olive@nhs.test",
    ]
    assert smtp.logins == ["relay", "relay", "relay"]  # STARTTLS then AUTH, every time
    # at most one mail a person a run
    for address in ("olive@nhs.test", "colin@example.test", "fay@nhs.test"):
        assert len(smtp.to(address)) == 1
    assert smtp.to("quinn@nhs.test") == []  # an address but nothing chosen
    olive = smtp.to("olive@nhs.test")[0]
    text = olive.get_content()
    assert olive["Subject"] == "An action is past its due date"
    assert "Ask the ward for a notice board (Ward 7) – was due on" in text
    assert "Print the welcome leaflet (Ward 7) – due on" in text
    assert f"{settings.public_url}/actions/{w.late.id}" in text
    assert "Already finished" not in text  # done actions are not chased
    assert "Your week" in text  # olive chose the digest too: in the same mail
    assert "Plan the open day" not in text  # more than four weeks away
    token = service.unsubscribe_token(settings.secret_key, w.owner.id)
    assert olive["List-Unsubscribe"] == f"<{settings.public_url}/reminders/unsubscribe?t={token}>"
    assert olive["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    colin = smtp.to("colin@example.test")[0].get_content()
    assert "you own or co-lead" in colin and "Your week" not in colin
    fay = smtp.to("fay@nhs.test")[0]
    assert fay["Subject"] == "A plan review is due"
    assert "Ward 7 plan (Ward 7) – review due on" in fay.get_content()
    assert f"{settings.public_url}/plans/{w.plan.id}" in fay.get_content()

    # a second run the same day, and the next day: nothing new, nothing twice
    assert run(session, mail_settings, clock, sender).mails == []
    clock.advance(days=1)
    assert run(session, mail_settings, clock, sender).mails == []
    assert len(smtp.mails) == 3


def test_each_person_gets_their_mail_in_their_own_language(session, settings, clock, smtp):
    """User.language: olive chose Welsh, fay did not; one run, each mail in its own language
    (the run's language is put back after each)."""
    w = world(session, today(clock))
    w.owner.language = "cy"
    session.add(w.owner)
    session.commit()
    mail_settings = smtp_settings(settings, smtp)

    run(session, mail_settings, clock, service.sender_for(mail_settings))

    olive = smtp.to("olive@nhs.test")[0]
    text = olive.get_content()
    assert olive["Subject"] == "Mae cam gweithredu wedi mynd heibio i'w ddyddiad"
    assert text.startswith("Helo olive,")
    assert "Ask the ward for a notice board (Ward 7)" in text  # the team's words stay
    assert "was due on" not in text and "Your week" not in text
    late = w.late.due_on
    assert f"{late.day} {format_date(late, 'MMMM', locale='cy')} {late.year}" in text
    fay = smtp.to("fay@nhs.test")[0]
    assert fay["Subject"] == "A plan review is due"
    assert fay.get_content().startswith("Hello fay,")
    assert i18n.current_language() == "en"


def test_a_changed_due_date_is_a_new_notice(session, settings, clock, smtp):
    w = world(session, today(clock))
    mail_settings = smtp_settings(settings, smtp)
    sender = service.sender_for(mail_settings)
    run(session, mail_settings, clock, sender)
    before = len(smtp.to("olive@nhs.test"))

    w.soon.due_on = today(clock) + timedelta(days=5)
    session.add(w.soon)
    session.commit()
    report = run(session, mail_settings, clock, sender)

    assert [m.to for m in report.mails] == ["colin@example.test", "olive@nhs.test"]
    again = smtp.to("olive@nhs.test")[before]
    assert "Print the welcome leaflet" in again.get_content()
    assert "notice board" not in again.get_content()  # that one already went


def test_the_digest_goes_once_a_week(session, settings, clock, smtp):
    team = make_team(session, "Ward 9")
    digest_only, _ = make_person(session, team, "dora", role="facilitator")
    session.add(ReminderChoice(user_id=digest_only.id, email="dora@nhs.test", weekly_digest=True))
    session.commit()
    world(session, today(clock))
    mail_settings = smtp_settings(settings, smtp)
    sender = service.sender_for(mail_settings)
    first = {m.to for m in run(session, mail_settings, clock, sender).mails}
    assert "olive@nhs.test" in first
    assert "dora@nhs.test" not in first  # nothing due for dora: no empty digest
    keys = session.exec(select(SentNotice.kind, SentNotice.due_key)).all()
    assert ("digest", service.iso_week(today(clock))) in keys

    clock.advance(days=7)  # a new ISO week: the digest again, nothing else new for olive
    again = [
        m for m in run(session, mail_settings, clock, sender).mails if m.to == "olive@nhs.test"
    ]
    assert len(again) == 1 and again[0].digest


def test_a_sender_that_fails_gives_the_notices_back(session, settings, clock, caplog):
    world(session, today(clock))

    class Broken:
        name = "broken"

        def send(self, mail):
            raise OSError("the relay is down")

    with caplog.at_level("WARNING", logger="app.reminders.service.run"):
        report = run(session, settings, clock, Broken())
    assert len(report.failed) == 3 and report.mails == []
    assert "a reminder was not sent by broken: OSError" in caplog.messages
    assert session.exec(select(SentNotice)).all() == []


def test_notify_sender_uses_the_real_client(session, settings, clock):
    w = world(session, today(clock))
    server, seen = notify_server()
    try:
        notify = settings.model_copy(
            update={
                "reminders_sender": "notify",
                "notify_api_key": "trip_test-11111111-1111-4111-8111-111111111111-"
                "22222222-2222-4222-8222-222222222222",
                "notify_base_url": f"http://127.0.0.1:{server.server_port}",
                "notify_template_digest": "aaaaaaaa-0000-4000-8000-000000000001",
                "notify_template_notice": "aaaaaaaa-0000-4000-8000-000000000002",
            }
        )
        assert service.sender_problem(notify) is None
        report = run(session, notify, clock, service.sender_for(notify))
        assert run(session, notify, clock, service.sender_for(notify)).mails == []
    finally:
        server.shutdown()
    assert len(report.mails) == 3 and len(seen) == 3
    assert {r["path"] for r in seen} == {"/v2/notifications/email"}
    assert all(r["headers"]["Authorization"].startswith("Bearer ") for r in seen)
    by_address = {r["body"]["email_address"]: r["body"] for r in seen}
    olive = by_address["olive@nhs.test"]
    assert olive["template_id"].endswith("0001")  # the digest is in olive's mail
    assert by_address["fay@nhs.test"]["template_id"].endswith("0002")
    assert olive["personalisation"]["subject"] == "An action is past its due date"
    assert "Print the welcome leaflet" in olive["personalisation"]["body"]
    token = service.unsubscribe_token(settings.secret_key, w.owner.id)
    assert olive["one_click_unsubscribe_url"].endswith(f"/reminders/unsubscribe?t={token}")


def test_removed_priorities_and_closed_plans_are_not_chased(session, settings, clock):
    from app.models import Priority

    w = world(session, today(clock))
    priority = session.get(Priority, w.soon.priority_id)
    priority.removed_at = clock.now
    session.add(priority)
    session.commit()
    planned = {m.to: m for _p, _k, m in plan(session, settings, clock)}
    # the actions' priority is removed: nobody hears of them; the plan's review still stands
    assert sorted(planned) == ["fay@nhs.test"]

    priority.removed_at = None
    w.plan.status = "closed"
    session.add_all([priority, w.plan])
    session.commit()
    assert plan(session, settings, clock) == []  # a closed plan: no actions, no review


def test_nobody_who_left_or_is_switched_off_is_mailed(session, settings, clock):
    """A reminder must not go to someone who no longer works on the plan (dcb0129 HZ-21)."""
    w = world(session, today(clock))
    assert sorted(m.to for _p, _k, m in plan(session, settings, clock)) == [
        "colin@example.test",
        "fay@nhs.test",
        "olive@nhs.test",
    ]
    olive = session.exec(select(TeamMember).where(TeamMember.user_id == w.owner.id)).one()
    olive.left_at = clock.now  # olive left the team: her actions no longer reach her
    w.facilitator.active = False  # fay's account is switched off
    session.add_all([olive, w.facilitator])
    session.commit()
    assert [m.to for _p, _k, m in plan(session, settings, clock)] == ["colin@example.test"]


def test_one_mail_a_person_even_with_every_reason(session, settings, clock):
    w = world(session, today(clock))
    # fay facilitates the plan and also owns an overdue action
    fay_member = session.exec(
        select(TeamMember).where(TeamMember.user_id == w.facilitator.id)
    ).one()
    w.late.owner_member_id = fay_member.id
    session.add(w.late)
    choice = session.get(ReminderChoice, w.facilitator.id)
    choice.action_notices = choice.weekly_digest = True
    session.add(choice)
    session.commit()
    mails = [m for _p, _k, m in plan(session, settings, clock) if m.to == "fay@nhs.test"]
    assert len(mails) == 1
    body = mails[0].body
    assert "notice board" in body and "Ward 7 plan" in body and "Your week" in body


def test_days_are_counted_in_london(session, settings, clock):
    # Sunday 5 July 2026, 23:30 UTC is already Monday 6 July, 00:30 in London (BST)
    clock.now = datetime(2026, 7, 5, 23, 30, tzinfo=UTC)
    assert today(clock) == date(2026, 7, 6)
    w = world(session, today(clock))
    w.soon.due_on = date(2026, 7, 5)  # "today" in UTC, but yesterday in London: overdue
    session.add(w.soon)
    session.commit()
    olive = next(k for p, k, _m in plan(session, settings, clock) if p.user_id == w.owner.id)
    assert ("overdue", f"action:{w.soon.id}", "2026-07-05") in olive
    assert ("digest", "week", "2026-W28") in olive  # the London week, not UTC's W27


def test_nothing_is_sent_unless_configured(settings):
    assert settings.reminders_sender == "none"
    assert service.sender_for(settings) is None
    half = settings.model_copy(update={"reminders_sender": "smtp"})
    assert service.sender_problem(half) == "Set SMTP_HOST, REMINDERS_FROM to send reminders."


# --- choosing on the account page -----------------------------------------------------------


def test_staff_choose_their_reminders(client, session):
    team = make_team(session)
    make_person(session, team, "sam")
    client.login("sam")
    account = soup(client.get("/account"))
    assert account.select_one("a[href='/account/reminders']")
    page = soup(client.get("/account/reminders"))
    assert page.select_one("input#email[type=email]")
    assert len(page.select("input[name=notices][type=checkbox]")) == 3
    assert page.select_one(".app-reminders-not-sending")  # honest: this site sends nothing yet

    refused = client.form("/account/reminders", {"notices": ["weekly_digest"]})
    assert refused.status_code == 422
    assert "Enter an email address" in soup(refused).select_one(".nhsuk-error-message").text

    bad = client.form("/account/reminders", {"email": "not an address"})
    assert bad.status_code == 422

    saved = client.form(
        "/account/reminders",
        {"email": "sam@nhs.test", "notices": ["weekly_digest", "review_notices"]},
    )
    assert saved.status_code == 303
    page = soup(client.get("/account/reminders"))
    assert page.select_one("input#email")["value"] == "sam@nhs.test"
    checked = [i["value"] for i in page.select("input[name=notices][checked]")]
    assert checked == ["weekly_digest", "review_notices"]


def test_people_who_use_the_service_are_never_asked(client, session):
    team = make_team(session)
    make_person(session, team, "sue", perspective="service_user")
    client.login("sue")
    account = soup(client.get("/account"))
    assert account.select_one("#email-reminders") is None
    assert account.select_one("a[href='/account/reminders']") is None


# --- unsubscribing --------------------------------------------------------------------------


def test_unsubscribe_link_confirms_then_stops(client, session, settings):
    user = make_user(session, "una")
    session.add(ReminderChoice(user_id=user.id, email="una@nhs.test", action_notices=True))
    session.commit()
    token = service.unsubscribe_token(settings.secret_key, user.id)

    page = client.get(f"/reminders/unsubscribe?t={token}")
    assert page.status_code == 200
    assert soup(page).select_one("h1").text == "Stop reminder emails"
    assert choice_of(session, user.id).action_notices  # a GET changes nothing

    done = client.form("/reminders/unsubscribe", {"t": token})
    assert done.status_code == 303
    page = soup(client.get(done.headers["location"]))
    assert page.select_one(".app-unsubscribed")
    assert not choice_of(session, user.id).action_notices

    assert client.get(f"/reminders/unsubscribe?t={user.id}.{'0' * 64}").status_code == 404
    assert client.get("/reminders/unsubscribe?t=nonsense").status_code == 404


def test_one_click_unsubscribe_is_the_one_csrf_exception(app, session, settings):
    from fastapi.testclient import TestClient

    user = make_user(session, "otto")
    session.add(ReminderChoice(user_id=user.id, email="otto@nhs.test", weekly_digest=True))
    session.commit()
    token = service.unsubscribe_token(settings.secret_key, user.id)
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    # a mail provider's server: no cookie, no token, no Origin, cross-site
    with TestClient(app, base_url=settings.public_url) as mailer:
        other = mailer.post(
            f"/reminders/unsubscribe?t={token}",
            content=b"List-Unsubscribe=One-Click&x=1",
            headers=form,
        )
        assert other.status_code == 403  # not the RFC's body: the CSRF check stands
        elsewhere = mailer.post(
            f"/account/reminders?t={token}", content=b"List-Unsubscribe=One-Click", headers=form
        )
        assert elsewhere.status_code == 403  # not the path: the CSRF check stands
        assert choice_of(session, user.id).weekly_digest

        one_click = mailer.post(
            f"/reminders/unsubscribe?t={token}",
            content=b"List-Unsubscribe=One-Click",
            headers={**form, "Sec-Fetch-Site": "cross-site"},
        )
        assert one_click.status_code == 200
        assert not choice_of(session, user.id).weekly_digest

        forged = mailer.post(
            f"/reminders/unsubscribe?t={user.id}.{'f' * 64}",
            content=b"List-Unsubscribe=One-Click",
            headers=form,
        )
        assert forged.status_code == 404


# --- the command --------------------------------------------------------------------------


def test_cli_dry_run_prints_what_would_go_and_sends_nothing(
    monkeypatch, database_url, session, clock
):
    from typer.testing import CliRunner

    from app.cli import app as trip
    from app.config import get_settings

    world(session, today(clock))  # the command reads the real clock: the clock fixture is now
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("TRIP_ENV", "development")
    monkeypatch.setenv("REMINDERS_SENDER", "none")
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(trip, ["reminders", "send", "--dry-run"])
        plain = CliRunner().invoke(trip, ["reminders", "send"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    assert "--- to olive@nhs.test: An action is past its due date" in result.stdout
    assert "3 email(s) would go." in result.stdout
    assert "No sender is set (REMINDERS_SENDER), so nothing was sent." in plain.stdout
    assert session.exec(select(SentNotice)).all() == []


def test_cli_sends_through_the_relay_once(monkeypatch, database_url, session, clock, smtp):
    from typer.testing import CliRunner

    from app.cli import app as trip
    from app.config import get_settings

    world(session, today(clock))
    env = {
        "DATABASE_URL": database_url,
        "TRIP_ENV": "development",
        "REMINDERS_SENDER": "smtp",
        "REMINDERS_FROM": "trip@nhs.test",
        "SMTP_HOST": "localhost",
        "SMTP_PORT": str(smtp.port),
        "SMTP_USERNAME": "relay",
        "SMTP_PASSWORD": "relay-password",
        "SMTP_CA_FILE": smtp.ca_file,
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    try:
        first = CliRunner().invoke(trip, ["reminders", "send"])
        second = CliRunner().invoke(trip, ["reminders", "send"])
        monkeypatch.delenv("SMTP_HOST")
        get_settings.cache_clear()
        half = CliRunner().invoke(trip, ["reminders", "send"])
    finally:
        get_settings.cache_clear()
    assert first.exit_code == 0, first.output
    assert "sent to olive@nhs.test: An action is past its due date" in first.stdout
    assert "3 email(s) sent." in first.stdout
    assert sorted(r for rcpt, _m in smtp.mails for r in rcpt) == [
        "colin@example.test",
        "fay@nhs.test",
        "olive@nhs.test",
    ]
    assert second.exit_code == 0 and "0 email(s) sent." in second.stdout
    assert len(smtp.mails) == 3  # nothing twice
    assert half.exit_code != 0 and "Set SMTP_HOST" in half.output
