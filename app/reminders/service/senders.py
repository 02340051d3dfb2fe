"""The two ways a mail leaves: SMTP (an NHSmail relay: STARTTLS and auth) or GOV.UK Notify.

`sender_for(settings)` is None unless REMINDERS_SENDER names one, so in development nothing
is sent unless it is configured.
"""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Protocol

from app.config import Settings
from app.reminders.service.mail import ONE_CLICK_BODY, Mail


class Sender(Protocol):
    name: str

    def send(self, mail: Mail) -> None: ...


class SmtpSender:
    name = "smtp"

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def message(self, mail: Mail) -> EmailMessage:
        message = EmailMessage()
        message["From"] = self.settings.reminders_from
        message["To"] = mail.to
        message["Subject"] = mail.subject
        message["Date"] = formatdate(localtime=False)
        message["Message-ID"] = make_msgid(domain=self.settings.reminders_from.partition("@")[2])
        message["List-Unsubscribe"] = f"<{mail.unsubscribe_url}>"
        message["List-Unsubscribe-Post"] = ONE_CLICK_BODY
        message["Auto-Submitted"] = "auto-generated"
        message.set_content(mail.body)
        return message

    def send(self, mail: Mail) -> None:
        s = self.settings
        with smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=30) as smtp:
            if s.smtp_starttls:
                smtp.starttls(context=ssl.create_default_context(cafile=s.smtp_ca_file or None))
            if s.smtp_username:
                smtp.login(s.smtp_username, s.smtp_password)
            smtp.send_message(self.message(mail))


class NotifySender:
    name = "notify"

    def __init__(self, settings: Settings) -> None:
        from notifications_python_client.notifications import NotificationsAPIClient

        self.settings = settings
        self.client = NotificationsAPIClient(
            settings.notify_api_key, base_url=settings.notify_base_url
        )

    def send(self, mail: Mail) -> None:
        s = self.settings
        self.client.send_email_notification(
            email_address=mail.to,
            template_id=s.notify_template_digest if mail.digest else s.notify_template_notice,
            # the templates show ((subject)) as the subject line and ((body)) as the text
            personalisation={"subject": mail.subject, "body": mail.body},
            one_click_unsubscribe_url=mail.unsubscribe_url,
        )


def sender_problem(settings: Settings) -> str | None:
    """What is missing for the chosen sender, in plain words, or None."""
    if settings.reminders_sender == "smtp":
        missing = [n for n in ("smtp_host", "reminders_from") if not getattr(settings, n)]
    elif settings.reminders_sender == "notify":
        names = ("notify_api_key", "notify_template_digest", "notify_template_notice")
        missing = [n for n in names if not getattr(settings, n)]
    else:
        return None
    if missing:
        return "Set " + ", ".join(n.upper() for n in missing) + " to send reminders."
    return None


def sender_for(settings: Settings) -> Sender | None:
    if settings.reminders_sender == "smtp":
        return SmtpSender(settings)
    if settings.reminders_sender == "notify":
        return NotifySender(settings)
    return None
