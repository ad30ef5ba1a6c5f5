"""Reminder channels. In-app notices are written with the message itself (same transaction); every other
channel is an outbox of Delivery rows drained by pilots.reminders.deliver_pending with retries.

A channel has a `name`, `targets(message, users, organization)` -> [(user or None, target)] and
`send(delivery)` that raises on failure. Add one by listing its dotted path in settings.REMINDER_CHANNELS.
"""

from __future__ import annotations

import json
import urllib.request

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string

DEFAULT_CHANNELS = ["pilots.channels.EmailChannel", "pilots.channels.WebhookChannel"]


class Channel:
    name = ""

    def targets(self, *, message, users, organization) -> list[tuple]:
        raise NotImplementedError

    def send(self, delivery) -> None:
        raise NotImplementedError


class EmailChannel(Channel):
    """Django's mail backend (console in `make run`, SMTP from EMAIL_* variables)."""

    name = "email"

    def targets(self, *, message, users, organization) -> list[tuple]:
        return [(u, u.email) for u in users if u.email]

    def send(self, delivery) -> None:
        message = delivery.message
        body = f"{message.body}\n\n{message.url}".strip()
        send_mail(message.title, body, settings.DEFAULT_FROM_EMAIL, [delivery.target], fail_silently=False)


class WebhookChannel(Channel):
    """An enterprise WeChat or DingTalk robot URL of the organization (both take the same text payload)."""

    name = "webhook"
    timeout = 5.0

    def targets(self, *, message, users, organization) -> list[tuple]:
        hook = getattr(organization, "_reminder_webhook", None)
        return [(None, hook.url)] if hook is not None and hook.enabled else []

    def send(self, delivery) -> None:
        message = delivery.message
        payload = {"msgtype": "text", "text": {"content": f"{message.title}\n{message.body}".strip()}}
        request = urllib.request.Request(
            delivery.target,
            data=json.dumps(payload, ensure_ascii=False).encode(),
            headers={"Content-Type": "application/json", "X-Idempotency-Key": f"delivery-{delivery.pk}"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=self.timeout) as response:
            answer = json.loads(response.read() or b"{}")
        if answer.get("errcode", 0) != 0:
            raise RuntimeError(f"robot answered errcode {answer.get('errcode')}: {answer.get('errmsg', '')}")


def channels() -> dict[str, Channel]:
    paths = getattr(settings, "REMINDER_CHANNELS", DEFAULT_CHANNELS)
    out = {}
    for path in paths:
        channel = import_string(path)()
        out[channel.name] = channel
    return out
