"""Outside channels that carry a notification beyond the app; email over SMTP is the one there is."""

from email.message import EmailMessage
from typing import Protocol

import aiosmtplib

from notification_service.models import Contact
from notification_service.settings import NotificationSettings


class Channel(Protocol):
    """Sends one notification to one person; raises if it did not go out, so it is retried."""

    async def send(self, *, contact: Contact, title: str, body: str) -> None: ...


class SmtpEmailChannel:
    """Email through an SMTP server (STARTTLS when offered, or implicit TLS)."""

    def __init__(self, settings: NotificationSettings) -> None:
        if settings.smtp_host is None:
            raise ValueError("SmtpEmailChannel needs SMTP_HOST")
        self.settings = settings
        self.hostname = settings.smtp_host

    async def send(self, *, contact: Contact, title: str, body: str) -> None:
        message = EmailMessage()
        message["From"] = self.settings.email_sender
        message["To"] = f"{contact.full_name} <{contact.email}>"
        message["Subject"] = title
        message.set_content(f"Hello {contact.full_name},\n\n{body}\n")
        await aiosmtplib.send(
            message,
            hostname=self.hostname,
            port=self.settings.smtp_port,
            username=self.settings.smtp_username,
            password=self.settings.smtp_password,
            use_tls=self.settings.smtp_use_tls,
            timeout=self.settings.smtp_timeout_seconds,
        )


def enabled_channels(settings: NotificationSettings) -> dict[str, Channel]:
    """Returns the outside channels the settings configure, by name."""
    return {"email": SmtpEmailChannel(settings)} if settings.smtp_host else {}
