"""Push queued updates to the bot's webhook, like Telegram does after setWebhook."""

from __future__ import annotations

import asyncio
import contextlib
import json

import httpx

from .core import FakeTelegram

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


class WebhookPusher:
    """Background task: POST updates in order, one at a time, retrying non-2xx answers."""

    def __init__(
        self,
        core: FakeTelegram,
        *,
        retry_initial: float = 0.05,
        retry_max: float = 1.0,
        request_timeout: float = 10.0,
    ) -> None:
        self.core = core
        self.retry_initial = retry_initial
        self.retry_max = retry_max
        self.request_timeout = request_timeout
        self.delivered: list[int] = []
        self.attempts = 0
        self._task: asyncio.Task | None = None
        self._client: httpx.AsyncClient | None = None

    def start(self) -> None:
        """Start pushing (call from the loop that should run the task)."""
        self._client = httpx.AsyncClient(timeout=self.request_timeout)
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def stop(self) -> None:
        """Stop pushing and close the HTTP client."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    async def _run(self) -> None:
        delay = self.retry_initial
        while True:
            update = self.core.webhook_next()
            hook = dict(self.core.webhook or {})
            if update is None or not hook:
                await self.core.wait_for_update(1.0, ready=lambda: self.core.webhook_next() is not None)
                continue
            error = await self._post(hook, update)
            if error is None:
                self.core.webhook_ack(update["update_id"])
                self.delivered.append(update["update_id"])
                delay = self.retry_initial
            else:
                self.core.webhook_error(error)
                await asyncio.sleep(delay)
                delay = min(delay * 2, self.retry_max)

    async def _post(self, hook: dict, update: dict) -> str | None:
        """Deliver one update; return an error text or None on a 2xx answer."""
        assert self._client is not None
        headers = {"Content-Type": "application/json"}
        if hook.get("secret_token"):
            headers[SECRET_HEADER] = hook["secret_token"]
        self.attempts += 1
        try:
            response = await self._client.post(hook["url"], content=json.dumps(update).encode("utf-8"), headers=headers)
        except httpx.HTTPError as exc:
            return f"Connection failed: {exc.__class__.__name__}"
        if 200 <= response.status_code < 300:
            return None
        return f"Wrong response from the webhook: {response.status_code} {response.reason_phrase}"
