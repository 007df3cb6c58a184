"""EMAIL_URL: the forms it takes, and what production requires."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from ..email_url import CONSOLE, SMTP, EmailConfig, email_config


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("console://", EmailConfig(backend=CONSOLE)),
        ("smtp://mailpit:1025", EmailConfig(backend=SMTP, host="mailpit", port=1025)),
        ("smtp://mail.example.com", EmailConfig(backend=SMTP, host="mail.example.com")),
        (
            "smtp+starttls://me%40example.com:p%3Ass@smtp.example.com",
            EmailConfig(SMTP, "smtp.example.com", 587, "me@example.com", "p:ss", use_tls=True),
        ),
        (
            "smtps://me:secret@smtp.example.com",
            EmailConfig(SMTP, "smtp.example.com", 465, "me", "secret", use_ssl=True),
        ),
    ],
)
def test_the_forms_of_email_url(url: str, expected: EmailConfig) -> None:
    assert email_config(url) == expected


def test_an_unknown_scheme_is_refused() -> None:
    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL must start with"):
        email_config("imap://mail.example.com")
