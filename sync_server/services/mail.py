"""Outgoing mail: printed to the log on the embedded default, SMTP when PATHSIX_SMTP_URL is set."""

from __future__ import annotations

from dataclasses import dataclass
from email.message import EmailMessage
from typing import Protocol
from urllib.parse import unquote, urlparse

import aiosmtplib
import structlog

log = structlog.get_logger("sync_server.mail")


@dataclass(frozen=True, slots=True)
class Mail:
    to: str
    subject: str
    body: str


class Mailer(Protocol):
    async def send(self, mail: Mail) -> None: ...


class LogMailer:
    """Development mailer. The body is printed so a developer can follow a reset link locally."""

    def __init__(self) -> None:
        self.outbox: list[Mail] = []

    async def send(self, mail: Mail) -> None:
        self.outbox.append(mail)
        log.info("mail_printed", to=mail.to, subject=mail.subject, body=mail.body)


class SmtpMailer:
    def __init__(self, url: str, sender: str) -> None:
        parsed = urlparse(url)
        self._host = parsed.hostname or "localhost"
        self._port = parsed.port or (465 if parsed.scheme == "smtps" else 587)
        self._user = unquote(parsed.username) if parsed.username else None
        self._password = unquote(parsed.password) if parsed.password else None
        self._tls = parsed.scheme == "smtps"
        self._sender = sender

    async def send(self, mail: Mail) -> None:
        msg = EmailMessage()
        msg["From"], msg["To"], msg["Subject"] = self._sender, mail.to, mail.subject
        msg.set_content(mail.body)
        await aiosmtplib.send(
            msg,
            hostname=self._host,
            port=self._port,
            username=self._user,
            password=self._password,
            use_tls=self._tls,
            start_tls=None if self._tls else True,
        )
        log.info("mail_sent", to=mail.to, subject=mail.subject)
