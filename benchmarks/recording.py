"""A recording request object: what PTB pays to call Telegram, without a server's work.

``RecordingRequest`` wraps the request of an application that is set up on the fake Bot API
(devtools/fake_telegram): while ``recording`` is off it passes every call to the fake; once on, it
encodes each call as an HTTP request would (PTB's ``json_parameters``), records it, and answers
the way Telegram does for the calls a ballot press makes (answerCallbackQuery: true;
editMessageText: the edited message). The fake validates every call against the Bot API and
keeps chat state (copies of every message), which would add the same ~0.4 ms to both sides of a
per-update comparison and hide what the application itself costs.
"""

from __future__ import annotations

import json
from typing import Any

from telegram.request import BaseRequest, RequestData

_TRUE = b'{"ok":true,"result":true}'


class RecordingRequest(BaseRequest):
    """Passes calls to ``inner`` until ``recording`` is set; then records them and answers."""

    __slots__ = ("inner", "recording", "calls", "_bot_user")

    def __init__(self, inner: BaseRequest, bot_user: dict[str, Any]) -> None:
        self.inner = inner
        self.recording = False
        self.calls: list[tuple[str, dict[str, str]]] = []
        self._bot_user = bot_user

    @property
    def read_timeout(self) -> float | None:
        return self.inner.read_timeout

    async def initialize(self) -> None:
        await self.inner.initialize()

    async def shutdown(self) -> None:
        await self.inner.shutdown()

    async def do_request(
        self, url: str, method: str, request_data: RequestData | None = None, **timeouts: Any
    ) -> tuple[int, bytes]:
        """The fake's answer while not recording; else record the call and answer as Telegram."""
        if not self.recording:
            return await self.inner.do_request(url, method, request_data, **timeouts)
        name = url.rsplit("/", 1)[1]
        params = request_data.json_parameters if request_data is not None else {}  # the body's encoding
        self.calls.append((name, params))
        if name != "editMessageText":
            return 200, _TRUE
        message: dict[str, Any] = {
            "message_id": int(params["message_id"]),
            "date": 1,
            "edit_date": 2,
            "chat": {"id": int(params["chat_id"]), "type": "private", "first_name": "Lid"},
            "from": self._bot_user,
            "text": params["text"],
        }
        if "reply_markup" in params:
            message["reply_markup"] = json.loads(params["reply_markup"])
        return 200, json.dumps({"ok": True, "result": message}).encode()

    def edits(self) -> list[dict[str, str]]:
        """The parameters of every recorded editMessageText, oldest first."""
        return [params for name, params in self.calls if name == "editMessageText"]
