"""A local SMTP sink for the smoke matrix: what the production servers send, kept as files.

The servers under test get `EMAIL_URL=smtp://127.0.0.1:<port>` (see
`tests.helpers.production_env`); every message they send lands in a folder as one `.eml` file,
so any process (pytest, the typed-client runner) can read the mail sent to an address it made
up, follow the link in it, and go on, as a user would from their inbox.

One sink per test process (xdist workers each start their own), started on first use.
"""

from __future__ import annotations

import email
import email.policy
import re
import tempfile
import time
import uuid
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller

from tests.helpers import free_port

LINK = re.compile(r"https?://[^\s\"'<>]+")


class _Handler:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        """Keep the message (aiosmtpd calls handle_<VERB>), names sorted in order of arrival."""
        name = f"{time.time_ns()}-{uuid.uuid4().hex[:8]}"
        content = envelope.original_content or envelope.content
        (self.folder / f"{name}.tmp").write_bytes(content)
        (self.folder / f"{name}.tmp").rename(self.folder / f"{name}.eml")  # readers see it whole
        return "250 Message accepted for delivery"


class MailSink:
    """An SMTP server on 127.0.0.1 that keeps every message in `folder`."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="scaffold-mail-"))
        self.port = free_port()
        self._controller = Controller(_Handler(self.folder), hostname="127.0.0.1", port=self.port)
        self._controller.start()

    @property
    def url(self) -> str:
        """The `EMAIL_URL` that sends here (plain SMTP, no authentication)."""
        return f"smtp://127.0.0.1:{self.port}"


_sink: MailSink | None = None


def mail_sink() -> MailSink:
    """This process's sink, started on first use (it stops with the process)."""
    global _sink
    if _sink is None:
        _sink = MailSink()
    return _sink


def messages_to(folder: Path, address: str) -> list[EmailMessage]:
    """The messages sent to `address` so far, oldest first."""
    found = []
    for path in sorted(folder.glob("*.eml")):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        recipients = ",".join(str(value) for value in message.get_all("To", []))
        if address.lower() in recipients.lower():
            found.append(message)
    return found


def wait_for_mail(
    folder: Path, address: str, *, after: int = 0, timeout: float = 15
) -> EmailMessage:
    """The first message to `address` beyond the `after` already seen; fails after `timeout`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = messages_to(folder, address)
        if len(found) > after:
            return found[after]
        time.sleep(0.1)
    raise AssertionError(f"no e-mail to {address} within {timeout} s (folder {folder})")


def text_of(message: EmailMessage) -> str:
    """The plain-text body (or the HTML one when there is no plain text)."""
    body = message.get_body(preferencelist=("plain", "html"))
    assert body is not None, message
    content = body.get_content()
    assert isinstance(content, str)
    return content


def links_in(message: EmailMessage) -> list[str]:
    """Every http(s) link in the message's text, in order."""
    return LINK.findall(text_of(message))
