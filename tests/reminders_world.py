"""Helpers for the reminders tests: a team with a plan, dated actions, and people who chose
reminders; a real SMTP server (aiosmtpd, STARTTLS and AUTH); a recording HTTP server for
GOV.UK Notify. (Helpers only; pytest collects no tests here.)"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import threading
from dataclasses import dataclass, field
from datetime import date, timedelta
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from sqlmodel import Session

from app.models import Action, Plan, Priority, ReminderChoice, TeamMember, User
from tests.factories import make_person, make_team


@dataclass
class World:
    owner: User
    colead: User
    facilitator: User
    quiet: User
    plan: Plan
    soon: Action
    late: Action
    later: Action


def choose(session: Session, user: User, email: str, **kinds: bool) -> None:
    session.add(ReminderChoice(user_id=user.id, email=email, **kinds))
    session.commit()


def world(session: Session, today: date) -> World:
    team = make_team(session, "Ward 7")
    owner, owner_m = make_person(session, team, "olive")
    colead, colead_m = make_person(session, team, "colin", perspective="service_user")
    facilitator, _ = make_person(session, team, "fay", role="facilitator")
    quiet, _ = make_person(session, team, "quinn")
    plan = Plan(
        team_id=team.id,
        title="Ward 7 plan",
        status="agreed",
        agreed_on=today - timedelta(days=80),
        review_due=today + timedelta(days=3),
    )
    session.add(plan)
    session.flush()
    priority = Priority(plan_id=plan.id, title="Welcome", service_user_colead_id=colead_m.id)
    session.add(priority)
    session.flush()

    def action(what: str, due: date, owner_member: TeamMember = owner_m) -> Action:
        a = Action(priority_id=priority.id, what=what, owner_member_id=owner_member.id, due_on=due)
        session.add(a)
        return a

    soon = action("Print the welcome leaflet", today + timedelta(days=2))
    late = action("Ask the ward for a notice board", today - timedelta(days=1))
    later = action("Plan the open day", today + timedelta(days=60))
    done = action("Already finished", today + timedelta(days=1))
    done.status = "done"
    session.commit()
    choose(session, owner, "olive@nhs.test", action_notices=True, weekly_digest=True)
    choose(session, colead, "colin@example.test", action_notices=True)
    choose(session, facilitator, "fay@nhs.test", review_notices=True)
    choose(session, quiet, "quinn@nhs.test")  # an address, but nothing chosen
    return World(owner, colead, facilitator, quiet, plan, soon, late, later)


# --- a real SMTP server -----------------------------------------------------------------------


@dataclass
class Inbox:
    port: int = 0
    ca_file: str = ""
    logins: list[str] = field(default_factory=list)
    mails: list = field(default_factory=list)  # (envelope recipients, parsed message)

    def to(self, address: str) -> list:
        return [m for rcpt, m in self.mails if address in rcpt]


def self_signed(folder: Path) -> tuple[Path, Path] | None:
    if not shutil.which("openssl"):
        return None
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


def smtp_server(folder: Path):
    """An aiosmtpd server on loopback that insists on STARTTLS, then AUTH (user relay, password
    "relay-password"), and records every mail. Yields an Inbox."""
    import ssl

    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult

    cert, key = self_signed(folder)
    inbox = Inbox(ca_file=str(cert))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            inbox.mails.append(
                (
                    list(envelope.rcpt_tos),
                    message_from_bytes(envelope.content, policy=policy.default),
                )
            )
            return "250 OK"

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = auth_data.login == b"relay" and auth_data.password == b"relay-password"
        if ok:
            inbox.logins.append(auth_data.login.decode())
        return AuthResult(success=ok)

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(
        Handler(),
        hostname="127.0.0.1",
        port=port,
        tls_context=context,
        require_starttls=True,
        authenticator=authenticator,
        auth_required=True,
        auth_require_tls=True,
    )
    controller.start()
    inbox.port = port
    return controller, inbox


# --- a stand-in for GOV.UK Notify's API ---------------------------------------------------------


def notify_server():
    """A loopback HTTP server answering POST /v2/notifications/email as Notify does, keeping
    every request (path, headers, JSON body)."""
    seen: list[dict] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            length = int(self.headers.get("content-length", 0))
            body = json.loads(self.rfile.read(length) or b"{}")
            seen.append({"path": self.path, "headers": dict(self.headers), "body": body})
            answer = json.dumps(
                {"id": f"00000000-0000-4000-8000-{len(seen):012d}", "reference": None,
                 "content": {"subject": "x", "body": "x", "from_email": "x@notify.test"},
                 "uri": "http://notify.test", "template": {"id": body.get("template_id")}}
            ).encode()  # fmt: skip
            self.send_response(201)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, seen
