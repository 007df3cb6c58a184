"""Django's e-mail settings from one URL, EMAIL_URL (read by config/settings/base.py).

    console://                                  print each message to the log (development)
    smtp://[user:password@]host[:25]            plain SMTP (Mailpit: smtp://mailpit:1025)
    smtp+starttls://user:password@host[:587]    upgraded to TLS with STARTTLS
    smtps://user:password@host[:465]            TLS from the first byte

The user name and password are URL-encoded (`@` is `%40`). The FastAPI side reads the same
forms, so one value serves both. Not django-environ's `email_url`: there `smtps` means
STARTTLS, not implicit TLS.
"""

from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

SMTP = "django.core.mail.backends.smtp.EmailBackend"
CONSOLE = "django.core.mail.backends.console.EmailBackend"
DEFAULT_PORTS = {"smtp": 25, "smtp+starttls": 587, "smtps": 465}


@dataclass(frozen=True)
class EmailConfig:
    """The EMAIL_* settings one URL stands for."""

    backend: str
    host: str = "localhost"
    port: int = 25
    user: str = ""
    password: str = ""
    use_tls: bool = False  # STARTTLS
    use_ssl: bool = False  # implicit TLS


def email_config(url: str) -> EmailConfig:
    """Parse EMAIL_URL; ImproperlyConfigured for a scheme it does not know."""
    parts = urlsplit(url)
    if parts.scheme == "console":
        return EmailConfig(backend=CONSOLE)
    if parts.scheme not in DEFAULT_PORTS:
        raise ImproperlyConfigured(
            f"EMAIL_URL must start with console://, smtp://, smtp+starttls:// or smtps://, "
            f"not {parts.scheme or url!r}"
        )
    return EmailConfig(
        backend=SMTP,
        host=parts.hostname or "localhost",
        port=parts.port or DEFAULT_PORTS[parts.scheme],
        user=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        use_tls=parts.scheme == "smtp+starttls",
        use_ssl=parts.scheme == "smtps",
    )
