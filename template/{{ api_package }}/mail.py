"""Sending e-mail, as EMAIL_URL says: to the log (console://) or through an SMTP server.

    console://                                  log the message (development's default)
    smtp://[user:password@]host[:25]            plain SMTP (Mailpit: smtp://mailpit:1025)
    smtp+starttls://user:password@host[:587]    upgraded to TLS with STARTTLS
    smtps://user:password@host[:465]            TLS from the first byte

The user name and password are URL-encoded (`@` is `%40`). aiosmtplib talks SMTP without
blocking the event loop; the routers send from a background task, after the response.
"""

import logging
from dataclasses import dataclass
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

import aiosmtplib

from .config import Settings

logger = logging.getLogger(__name__)
DEFAULT_PORTS = {"smtp": 25, "smtp+starttls": 587, "smtps": 465}
TIMEOUT_SECONDS = 10


@dataclass(frozen=True)
class SmtpServer:
    """Where EMAIL_URL says to send, and how."""

    host: str
    port: int
    username: str | None
    password: str | None
    starttls: bool
    implicit_tls: bool


def smtp_server(email_url: str) -> SmtpServer | None:
    """The SMTP server EMAIL_URL names; None for console:// (or unset: development)."""
    parts = urlsplit(email_url)
    if parts.scheme in {"", "console"}:
        return None
    return SmtpServer(
        host=parts.hostname or "localhost",
        port=parts.port or DEFAULT_PORTS[parts.scheme],
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        starttls=parts.scheme == "smtp+starttls",
        implicit_tls=parts.scheme == "smtps",
    )


def compose(*, settings: Settings, to: str, subject: str, body: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.email_from
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    return message


async def send_mail(*, settings: Settings, to: str, subject: str, body: str) -> None:
    """Send one plain-text message. A failure is logged, not raised: it runs after the
    response, and the user can ask for the mail again."""
    server = smtp_server(settings.email_url)
    try:
        message = compose(settings=settings, to=to, subject=subject, body=body)
        if server is None:
            # A warning, so Python's default logging level shows it in development too.
            logger.warning("E-mail (EMAIL_URL is console://, not sent):\n%s", message.as_string())
            return
        await aiosmtplib.send(
            message,
            hostname=server.host,
            port=server.port,
            username=server.username,
            password=server.password,
            use_tls=server.implicit_tls,
            # False, not None: aiosmtplib would otherwise upgrade a plain smtp:// by itself.
            start_tls=server.starttls,
            timeout=TIMEOUT_SECONDS,
        )
    except (aiosmtplib.SMTPException, OSError, ValueError) as error:
        logger.error("Could not send %r to %s: %s", subject, to, error)
