"""``FakeTelegram``: the in-memory Telegram (state machine, no I/O).

Tests script users (``send_message``, ``press_button``, ...) which queue updates, and
the bot talks to it through :meth:`FakeTelegram.call` (via the HTTP server or the
in-process request). Every call is validated against the spec before it runs.
"""

from __future__ import annotations

import asyncio
import copy
import itertools
import json
import re
import threading
import time
from collections.abc import Callable
from typing import Any

from .api_methods import BotApiMethods
from .errors import ApiError, FakeTimeout
from .faults import FAULT_KINDS, LIMITED_METHODS, Fault, Limits, RateLimiter
from .spec import Spec, UploadedFile
from .state import (
    ADMIN_STATUSES,
    MEMBER_STATUSES,
    RESTRICTED_STATUSES,
    CallRecord,
    ChatState,
    StoredMessage,
    chat_member,
    inline_buttons,
)
from .transcript import render

DEFAULT_TOKEN = "123456789:AAFakeTokenForTestsOnly_abcdefghijk"
DEFAULT_ALLOWED_UPDATES = frozenset(
    {
        "message",
        "edited_message",
        "channel_post",
        "edited_channel_post",
        "business_connection",
        "business_message",
        "edited_business_message",
        "deleted_business_messages",
        "inline_query",
        "chosen_inline_result",
        "callback_query",
        "shipping_query",
        "pre_checkout_query",
        "purchased_paid_media",
        "poll",
        "poll_answer",
        "my_chat_member",
        "chat_join_request",
        "chat_boost",
        "removed_chat_boost",
    }
)
_COMMAND_RE = re.compile(r"^/([A-Za-z0-9_]{1,32})(@[A-Za-z0-9_]+)?")
_DEEP_LINK_RE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_LINK_RE = re.compile(r"^(?:https?://)?t\.me/([A-Za-z0-9_]+)\?start=(.*)$")

ChatRef = dict | int | ChatState
UserRef = dict | int


class _Waiter:
    """One coroutine waiting for new updates (wakeable from any thread)."""

    def __init__(self) -> None:
        self.loop = asyncio.get_running_loop()
        self.event = asyncio.Event()
        self.interrupted = False

    def wake(self) -> None:
        try:
            self.loop.call_soon_threadsafe(self.event.set)
        except RuntimeError:  # loop closed
            pass


class FakeTelegram(BotApiMethods):
    """An in-memory Telegram that refuses what the real Bot API refuses."""

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        bot_username: str = "kopgroep_test_bot",
        bot_first_name: str = "Kopgroep",
        *,
        privacy_mode: bool = True,
        allow_http_webhook: bool = True,
        clock: Callable[[], float] = time.monotonic,
        spec: Spec | None = None,
    ) -> None:
        self.token = token
        self.privacy_mode = privacy_mode
        self.allow_http_webhook = allow_http_webhook
        self.clock = clock
        self.wall_clock: Callable[[], float] = time.time
        self.spec = spec or Spec.load()
        self.bot: dict[str, Any] = {
            "id": int(token.split(":", 1)[0]),
            "is_bot": True,
            "first_name": bot_first_name,
            "username": bot_username,
            "can_join_groups": True,
            "can_read_all_group_messages": not privacy_mode,
            "supports_inline_queries": False,
        }
        # How the bot appears in messages and member lists (no getMe-only fields).
        self.bot_user: dict[str, Any] = {k: self.bot[k] for k in ("id", "is_bot", "first_name", "username")}
        self.lock = threading.RLock()
        self.users: dict[int, dict[str, Any]] = {}
        self.chats: dict[int, ChatState] = {}
        self.calls: list[CallRecord] = []
        self.events: list[tuple] = []
        self.faults: list[Fault] = []
        self.webhook: dict[str, Any] | None = None
        self.commands: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self.descriptions: dict[tuple[str, str], str] = {}
        self.default_menu_button: dict[str, Any] | None = None
        self.callback_queries: dict[str, dict[str, Any]] = {}
        self.files: dict[str, dict[str, Any]] = {}
        self.logged_out = False
        self._updates: list[dict[str, Any]] = []
        self._allowed_updates: frozenset[str] = DEFAULT_ALLOWED_UPDATES
        self._limiter: RateLimiter | None = None
        self._waiters: set[_Waiter] = set()
        self._user_ids = itertools.count(1001)
        self._group_ids = itertools.count(1)
        self._update_ids = itertools.count(10001)
        self._query_ids = itertools.count(1)
        self._file_ids = itertools.count(1)
        self._seq = itertools.count(1)

    # ------------------------------------------------------------------ people & chats
    def add_user(
        self,
        first_name: str,
        *,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "nl",
    ) -> dict[str, Any]:
        """Create a Telegram user; returns its User dict."""
        with self.lock:
            user: dict[str, Any] = {"id": next(self._user_ids), "is_bot": False, "first_name": first_name}
            if last_name:
                user["last_name"] = last_name
            if username:
                user["username"] = username
            if language_code:
                user["language_code"] = language_code
            self.users[user["id"]] = user
            chat = {"id": user["id"], "type": "private", "first_name": first_name}
            chat.update({k: user[k] for k in ("last_name", "username") if k in user})
            self.chats[user["id"]] = ChatState(chat=chat, members={user["id"]: "member"})
            return dict(user)

    def add_group(self, title: str, *, supergroup: bool = False, username: str | None = None) -> dict[str, Any]:
        """Create a group (id -5xxx) or supergroup (id -100xxxxxxxxxx); returns its Chat."""
        with self.lock:
            n = next(self._group_ids)
            if supergroup:
                chat = {"id": -1000000000000 - 1000000000 - n, "type": "supergroup"}
            else:
                chat = {"id": -5000 - n, "type": "group"}
            chat["title"] = title
            if username:
                chat["username"] = username
            self.chats[chat["id"]] = ChatState(chat=chat)
            return dict(chat)

    def add_member(self, chat: ChatRef, user: UserRef, status: str = "member") -> None:
        """Put a user in a group with status member|administrator|creator."""
        if status not in MEMBER_STATUSES:
            raise ValueError(f"status must be one of {MEMBER_STATUSES}")
        with self.lock:
            state = self._group(chat)
            state.members[self._user(user)["id"]] = status

    def leave_group(self, chat: ChatRef, user: UserRef) -> dict[str, Any]:
        """A user leaves a group: status left, and the service message every bot in it receives."""
        with self.lock:
            state = self._group(chat)
            u = self._user(user)
            if state.status(u["id"]) not in MEMBER_STATUSES:
                raise ValueError(f"{u['first_name']} is not in {state.label()}")
            state.members[u["id"]] = "left"
            stored = self._store(state, u, {"left_chat_member": dict(u)})
            if state.status(self.bot["id"]) in MEMBER_STATUSES:
                self._push("message", stored.data)
            return stored.data

    def set_member_status(self, chat: ChatRef, user: UserRef, status: str) -> None:
        """Change a user's status in a group without any update (a change the bot did not see):
        member, administrator, creator, left, kicked, restricted (still a member) or
        restricted_left (restricted, not a member)."""
        if status not in (*MEMBER_STATUSES, "left", "kicked", *RESTRICTED_STATUSES):
            raise ValueError(f"unknown status {status!r}")
        with self.lock:
            self._group(chat).members[self._user(user)["id"]] = status

    def member_event(self, chat: ChatRef, user: UserRef, new: str, *, by: UserRef | None = None) -> dict[str, Any]:
        """A user's status in a group changes (left, kicked, member, ...), with the chat_member
        update Telegram sends to a bot that is administrator there (queued only if allowed)."""
        with self.lock:
            state = self._group(chat)
            u = self._user(user)
            old = state.status(u["id"])
            state.members[u["id"]] = new
            payload = {
                "chat": dict(state.chat),
                "from": dict(self._user(by) if by is not None else u),
                "date": int(self.wall_clock()),
                "old_chat_member": chat_member(dict(u), old),
                "new_chat_member": chat_member(dict(u), new),
            }
            return self._push("chat_member", payload)

    def join_group(self, chat: ChatRef, user: UserRef) -> dict[str, Any]:
        """A user (re)joins a group: status member and the "X joined" service message."""
        with self.lock:
            state = self._group(chat)
            u = self._user(user)
            state.members[u["id"]] = "member"
            stored = self._store(state, u, {"new_chat_members": [dict(u)]})
            if state.status(self.bot["id"]) in MEMBER_STATUSES:
                self._push("message", stored.data)
            return stored.data

    def block_bot(self, user: UserRef) -> dict[str, Any] | None:
        """The user blocks the bot: later sends answer 403; bot gets my_chat_member."""
        with self.lock:
            u = self._user(user)
            state = self.chats[u["id"]]
            state.blocked = True
            if not state.opened:
                return None
            return self._member_update(state, u, "member", "kicked")

    def unblock_bot(self, user: UserRef) -> dict[str, Any] | None:
        """The user unblocks (restarts) the bot."""
        with self.lock:
            u = self._user(user)
            state = self.chats[u["id"]]
            if not state.blocked:
                return None
            state.blocked = False
            state.opened = True
            return self._member_update(state, u, "kicked", "member")

    def add_bot_to_group(self, chat: ChatRef, by_user: UserRef, *, as_admin: bool = False) -> dict[str, Any]:
        """A member adds the bot: my_chat_member update (returned) + new_chat_members message."""
        with self.lock:
            state = self._group(chat)
            u = self._user(by_user)
            if state.status(u["id"]) not in MEMBER_STATUSES:
                raise ValueError(f"{u['first_name']} is not a member of {state.label()}")
            if as_admin and state.status(u["id"]) not in ADMIN_STATUSES:
                raise ValueError(f"{u['first_name']} cannot add admins to {state.label()}")
            old = state.status(self.bot["id"])
            if old in MEMBER_STATUSES:
                raise ValueError(f"the bot is already in {state.label()}")
            new = "administrator" if as_admin else "member"
            state.members[self.bot["id"]] = new
            state.bot_seen = True
            update = self._member_update(state, u, old, new)
            stored = self._store(state, u, {"new_chat_members": [dict(self.bot_user)]})
            self._push("message", stored.data)
            return update

    def remove_bot_from_group(self, chat: ChatRef, by_user: UserRef) -> dict[str, Any]:
        """An admin removes the bot (status kicked); returns the my_chat_member update."""
        with self.lock:
            state = self._group(chat)
            u = self._user(by_user)
            old = state.status(self.bot["id"])
            if old not in MEMBER_STATUSES:
                raise ValueError(f"the bot is not in {state.label()}")
            state.members[self.bot["id"]] = "kicked"
            return self._member_update(state, u, old, "kicked")

    def set_bot_status(self, chat: ChatRef, status: str) -> None:
        """Change the bot's status in a group without an update (test setup)."""
        with self.lock:
            state = self._group(chat)
            state.members[self.bot["id"]] = status
            state.bot_seen = True

    # ------------------------------------------------------------------ user actions
    def send_message(
        self,
        user: UserRef,
        chat: ChatRef,
        text: str,
        *,
        reply_to_message_id: int | None = None,
    ) -> dict[str, Any] | None:
        """The user writes ``text`` in ``chat``; returns the update (None if the bot
        does not receive it, e.g. a group message hidden by privacy mode)."""
        with self.lock:
            u = self._user(user)
            state = self._writable_chat(u, chat)
            content: dict[str, Any] = {"text": text}
            command = _COMMAND_RE.match(text)
            if command:
                content["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command.group(0))}]
            if reply_to_message_id is not None:
                content["reply_to_message"] = self._reply_copy(state, reply_to_message_id)
            stored = self._store(state, u, content)
            return self._deliver(state, stored, "message")

    def open_deep_link(self, user: UserRef, payload: str) -> dict[str, Any] | None:
        """The user opens t.me/<bot>?start=<payload>: a private "/start <payload>"."""
        if not _DEEP_LINK_RE.match(payload):
            raise ValueError(f"invalid deep link payload {payload!r} (A-Z a-z 0-9 _ -, max 64)")
        u = self._user(user)
        return self.send_message(u, u["id"], f"/start {payload}")

    def open_link(self, user: UserRef, url: str) -> dict[str, Any] | None:
        """Follow a full t.me deep link (checks that it points at this bot)."""
        match = _LINK_RE.match(url)
        if not match or match.group(1).lower() != self.bot["username"].lower():
            raise ValueError(f"{url!r} is not a start link of @{self.bot['username']}")
        return self.open_deep_link(user, match.group(2))

    def press_button(
        self,
        user: UserRef,
        message: dict[str, Any],
        data: str | None = None,
        *,
        text: str | None = None,
    ) -> dict[str, Any]:
        """Press an inline callback button (by callback_data or by its text)."""
        if data is None and text is None:
            raise ValueError("give the button's callback data or its text")
        with self.lock:
            u = self._user(user)
            state, stored = self._stored(message)
            if not stored.from_bot or stored.deleted:
                raise ValueError("only buttons of (undeleted) bot messages can be pressed")
            if state.status(u["id"]) not in MEMBER_STATUSES:
                raise ValueError(f"{u['first_name']} cannot see {state.label()}")
            buttons = inline_buttons(stored.data)
            found = [
                b
                for b in buttons
                if (data is None or b.get("callback_data") == data) and (text is None or b["text"] == text)
            ]
            if not found:
                shown = ", ".join(f"[{b['text']}]={b.get('callback_data')!r}" for b in buttons)
                raise ValueError(f"message has no such button (buttons: {shown or 'none'})")
            button = found[0]
            if "callback_data" not in button:
                raise ValueError(f"button [{button['text']}] is not a callback button")
            query_id = str(4_000_000_000_000_000_000 + next(self._query_ids))
            query = {
                "id": query_id,
                "from": dict(u),
                "message": copy.deepcopy(stored.data),
                "chat_instance": str(abs(state.id) * 7919 + 13),
                "data": button["callback_data"],
            }
            self.callback_queries[query_id] = {
                "answered": False,
                "chat_id": state.id,
                "user_id": u["id"],
                "answer": None,
            }
            self.events.append(("press", state.id, u, button["text"]))
            return self._push("callback_query", query)

    def press_keyboard_button(self, user: UserRef, chat: ChatRef, text: str) -> dict | None:
        """Tap a button of the reply keyboard the bot showed in ``chat``."""
        with self.lock:
            u = self._user(user)
            state = self._writable_chat(u, chat)
            rows = (state.reply_keyboard or {}).get("keyboard", [])
            if text not in [b["text"] for row in rows for b in row]:
                raise ValueError(f"no reply keyboard button {text!r} in {state.label()}")
        return self.send_message(u, chat, text)

    def send_document(
        self,
        user: UserRef,
        chat: ChatRef,
        filename: str,
        content: bytes,
        mime_type: str = "application/octet-stream",
        *,
        caption: str | None = None,
        reply_to_message_id: int | None = None,
    ) -> dict[str, Any] | None:
        """The user sends a file; getFile and /file/ downloads work for it."""
        with self.lock:
            u = self._user(user)
            state = self._writable_chat(u, chat)
            document = self._register_file(UploadedFile(filename, bytes(content), mime_type), "document")
            body: dict[str, Any] = {"document": document}
            if caption:
                body["caption"] = caption
            if reply_to_message_id is not None:
                body["reply_to_message"] = self._reply_copy(state, reply_to_message_id)
            stored = self._store(state, u, body)
            return self._deliver(state, stored, "message")

    def edit_message(self, user: UserRef, message: dict[str, Any], new_text: str) -> dict[str, Any] | None:
        """The user edits their own text message; returns the edited_message update."""
        with self.lock:
            u = self._user(user)
            state, stored = self._stored(message)
            if stored.from_bot or stored.data["from"]["id"] != u["id"] or "text" not in stored.data:
                raise ValueError("users can only edit their own text messages")
            stored.data["text"] = new_text
            stored.data["edit_date"] = int(self.wall_clock())
            command = _COMMAND_RE.match(new_text)
            if command:
                stored.data["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command.group(0))}]
            else:
                stored.data.pop("entities", None)
            stored.edited = True
            self.events.append(("edit", state.id, stored.message_id, copy.deepcopy(stored.data)))
            return self._deliver(state, stored, "edited_message", log=False)

    # ------------------------------------------------------------------ Bot API entry
    def call(
        self,
        method: str,
        params: dict[str, Any] | None = None,
        files: dict[str, tuple] | None = None,
    ) -> Any:
        """Run one Bot API method; returns its result or raises ApiError/FakeTimeout.

        ``files`` maps part names to ``(filename, bytes)`` or ``(filename, bytes, mime)``.
        """
        uploads = {
            name: UploadedFile(f[0], bytes(f[1]), f[2] if len(f) > 2 else None) for name, f in (files or {}).items()
        }
        with self.lock:
            record = CallRecord(method, dict(params or {}), sorted(uploads), self.clock())
            try:
                result = self._run(method, params or {}, uploads, record)
                record.result = copy.deepcopy(result)
                return copy.deepcopy(result)
            except (ApiError, FakeTimeout) as exc:
                record.error = exc
                raise
            finally:
                self.calls.append(record)

    def _run(self, method: str, params: dict[str, Any], uploads: dict, record: CallRecord) -> Any:
        if self.logged_out:
            raise ApiError(401, "Unauthorized")
        name = self.spec.canonical(method)
        if name is None:
            raise ApiError(404, "Not Found")
        record.method = name
        values = self.spec.validate(name, params, uploads)
        record.params = copy.deepcopy(values)
        fault = next((f for f in self.faults if f.matches(name, values)), None)
        if fault is not None:
            fault.consume()
            error = fault.error()
            if error is not None:
                raise error
            if not fault.executed:
                raise fault.timeout()
        limited = self._limiter is not None and name in LIMITED_METHODS
        if limited:
            state = self._resolve_chat(values["chat_id"])
            self._limiter.check(state.id, state.is_group)
        result = getattr(self, f"api_{name}")(values)
        if limited:
            self._limiter.record(state.id, state.is_group)
        if fault is not None:  # executed timeout: the work is done, the answer is lost
            raise fault.timeout(copy.deepcopy(result))
        return result

    async def call_async(
        self,
        method: str,
        params: dict[str, Any] | None = None,
        files: dict[str, tuple] | None = None,
    ) -> Any:
        """Like :meth:`call`, but getUpdates long-polls up to its ``timeout``."""
        params = params or {}
        if (self.spec.canonical(method) or "") != "getUpdates":
            return self.call(method, params, files)
        try:
            timeout = max(0.0, float(params.get("timeout") or 0))
        except (TypeError, ValueError):
            timeout = 0.0
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            waiter = self._add_waiter()
            try:
                result = self.call(method, params, files)
                remaining = deadline - loop.time()
                if result or remaining <= 0 or waiter.interrupted:
                    return result
                try:
                    await asyncio.wait_for(waiter.event.wait(), remaining)
                except TimeoutError:
                    pass
                if waiter.interrupted:
                    return []
            finally:
                self._remove_waiter(waiter)

    # ------------------------------------------------------------------ faults & limits
    def fail(
        self,
        method: str | None = None,
        *,
        chat_id: int | str | None = None,
        kind: str = "429",
        times: int | None = 1,
        retry_after: int = 1,
        timeout_seconds: float = 1.0,
        executed: bool = False,
    ) -> Fault:
        """Make the next ``times`` matching calls fail (times=None: until cleared).

        kind: "429" (RetryAfter), "500", "502", "403" (blocked), "drop" (the connection closes
        unanswered) or "timeout" (answer delayed by
        ``timeout_seconds`` over HTTP, TimedOut in-process; ``executed`` = the call still
        takes effect). ``method=None`` matches every method except getUpdates.
        """
        if kind not in FAULT_KINDS:
            raise ValueError(f"kind must be one of {FAULT_KINDS}")
        fault = Fault(method, chat_id, kind, times, retry_after, timeout_seconds, executed)
        with self.lock:
            self.faults.append(fault)
        return fault

    def clear_faults(self) -> None:
        """Remove all injected faults."""
        with self.lock:
            self.faults.clear()

    def enforce_limits(
        self,
        per_second_overall: int = 30,
        per_second_per_chat: int = 1,
        per_minute_per_group: int = 20,
        *,
        clock: Callable[[], float] | None = None,
    ) -> None:
        """Answer 429 (with retry_after) when sending faster than Telegram allows."""
        with self.lock:
            limits = Limits(per_second_overall, per_second_per_chat, per_minute_per_group)
            self._limiter = RateLimiter(limits, clock or self.clock)

    def disable_limits(self) -> None:
        """Stop enforcing flood limits."""
        with self.lock:
            self._limiter = None

    # ------------------------------------------------------------------ update queue
    def pending_updates(self) -> list[dict[str, Any]]:
        """All updates not yet confirmed (copies)."""
        with self.lock:
            return copy.deepcopy(self._updates)

    def take_updates(
        self,
        offset: int | None = None,
        limit: int = 100,
        allowed_updates: list[str] | None = None,
    ) -> list[dict[str, Any]]:
        """getUpdates semantics: confirm updates below ``offset``, return up to ``limit``."""
        with self.lock:
            if allowed_updates is not None:
                self._allowed_updates = frozenset(allowed_updates) if allowed_updates else DEFAULT_ALLOWED_UPDATES
            if offset is not None:
                if offset < 0:
                    self._updates = self._updates[offset:]
                else:
                    self._updates = [u for u in self._updates if u["update_id"] >= offset]
            self._updates = [u for u in self._updates if self._allowed(u)]
            limit = min(limit, 100) if limit > 0 else 100
            return copy.deepcopy(self._updates[:limit])

    def webhook_next(self) -> dict[str, Any] | None:
        """The oldest update to push to the webhook (stays queued until acknowledged)."""
        with self.lock:
            if self.webhook is None:
                return None
            self._updates = [u for u in self._updates if self._allowed(u)]
            return copy.deepcopy(self._updates[0]) if self._updates else None

    def webhook_ack(self, update_id: int) -> None:
        """The webhook accepted ``update_id``: drop it from the queue."""
        with self.lock:
            self._updates = [u for u in self._updates if u["update_id"] != update_id]

    def webhook_error(self, message: str) -> None:
        """Remember the last webhook delivery error (shown by getWebhookInfo)."""
        with self.lock:
            if self.webhook is not None:
                self.webhook["last_error_date"] = int(self.wall_clock())
                self.webhook["last_error_message"] = message

    async def wait_for_update(self, timeout: float, ready: Callable[[], bool] | None = None) -> bool:
        """Sleep until something is queued/changed (True) or ``timeout`` passes (False).

        ``ready`` is checked after registering, so nothing slips between check and wait.
        """
        waiter = self._add_waiter()
        try:
            if ready is not None and ready():
                return True
            await asyncio.wait_for(waiter.event.wait(), timeout)
            return not waiter.interrupted
        except TimeoutError:
            return False
        finally:
            self._remove_waiter(waiter)

    def interrupt_waiters(self, loop: asyncio.AbstractEventLoop | None = None) -> None:
        """Wake long polls (of ``loop`` only, if given) so they return at once."""
        with self.lock:
            for waiter in list(self._waiters):
                if loop is None or waiter.loop is loop:
                    waiter.interrupted = True
                    waiter.wake()

    def notify(self) -> None:
        """Wake every waiter (new update, webhook change)."""
        with self.lock:
            for waiter in list(self._waiters):
                waiter.wake()

    # ------------------------------------------------------------------ inspection
    def sent_messages(self, chat_id: ChatRef | None = None) -> list[dict[str, Any]]:
        """Messages the bot sent (current versions, not deleted), oldest first."""
        with self.lock:
            return [copy.deepcopy(m.data) for m in self._all_messages(chat_id) if m.from_bot]

    def last_message(self, chat_id: ChatRef) -> dict[str, Any] | None:
        """The bot's most recent (undeleted) message in a chat, or None."""
        sent = self.sent_messages(chat_id)
        return sent[-1] if sent else None

    def messages(self, chat_id: ChatRef) -> list[dict[str, Any]]:
        """All undeleted messages in a chat (users' and bot's), in order."""
        with self.lock:
            return [copy.deepcopy(m.data) for m in self._all_messages(chat_id)]

    def menu_of(self, user: UserRef, chat: ChatRef, language: str = "") -> list[str]:
        """The command names ``user`` sees in ``chat``'s menu, by Telegram's order of scopes.

        Group chats: chat_member, chat_administrators (admins), chat, all_chat_administrators
        (admins), all_group_chats, default; private chats: chat, all_private_chats, default; each
        first with the user's language, then without (core.telegram.org/bots/api, "Determining
        list of commands")."""
        with self.lock:
            user_id, state = self._user(user)["id"], self.chats[self._chat_id(chat)]
            admin = state.status(user_id) in ADMIN_STATUSES
            if state.is_group:
                scopes = [{"type": "chat_member", "chat_id": state.id, "user_id": user_id}]
                scopes += [{"type": "chat_administrators", "chat_id": state.id}] if admin else []
                scopes += [{"type": "chat", "chat_id": state.id}]
                scopes += [{"type": "all_chat_administrators"}] if admin else []
                scopes += [{"type": "all_group_chats"}, {"type": "default"}]
            else:
                scopes = [{"type": "chat", "chat_id": state.id}, {"type": "all_private_chats"}, {"type": "default"}]
            for scope in scopes:
                for lang in ([language] if language else []) + [""]:
                    found = self.commands.get((json.dumps(scope, sort_keys=True), lang))
                    if found is not None:
                        return [command["command"] for command in found]
            return []

    def calls_of(self, method: str) -> list[CallRecord]:
        """Recorded calls of one method (case-insensitive)."""
        with self.lock:
            return [c for c in self.calls if c.method.lower() == method.lower()]

    def file_content(self, file_path: str) -> bytes | None:
        """Bytes of a stored file by its file_path (for /file/ downloads)."""
        with self.lock:
            for record in self.files.values():
                if record["file_path"] == file_path:
                    return record["content"]
        return None

    def transcript(self) -> str:
        """The whole conversation as readable text."""
        with self.lock:
            return render(self)

    # ------------------------------------------------------------------ internals
    def _user(self, user: UserRef) -> dict[str, Any]:
        user_id = user["id"] if isinstance(user, dict) else int(user)
        if user_id not in self.users:
            raise ValueError(f"unknown user {user_id}")
        return self.users[user_id]

    def _chat_id(self, chat: ChatRef) -> int:
        if isinstance(chat, ChatState):
            return chat.id
        return chat["id"] if isinstance(chat, dict) else int(chat)

    def _group(self, chat: ChatRef) -> ChatState:
        state = self.chats.get(self._chat_id(chat))
        if state is None or not state.is_group:
            raise ValueError(f"{chat!r} is not a group of this fake")
        return state

    def _writable_chat(self, user: dict[str, Any], chat: ChatRef) -> ChatState:
        state = self.chats.get(self._chat_id(chat))
        if state is None:
            raise ValueError(f"unknown chat {chat!r}")
        if state.is_group:
            if state.status(user["id"]) not in MEMBER_STATUSES:
                raise ValueError(f"{user['first_name']} is not a member of {state.label()}")
            return state
        if state.id != user["id"]:
            raise ValueError(f"{user['first_name']} cannot write in another user's private chat")
        if state.blocked:
            self.unblock_bot(user)
        state.opened = True
        return state

    def _stored(self, message: dict[str, Any]) -> tuple[ChatState, StoredMessage]:
        state = self.chats.get(message["chat"]["id"])
        stored = state.messages.get(message["message_id"]) if state else None
        if stored is None:
            raise ValueError("unknown message")
        return state, stored

    def _reply_copy(self, state: ChatState, message_id: int) -> dict[str, Any]:
        stored = state.messages.get(message_id)
        if stored is None or stored.deleted:
            raise ValueError(f"no message {message_id} in {state.label()} to reply to")
        data = copy.deepcopy(stored.data)
        data.pop("reply_to_message", None)
        return data

    def _store(self, state: ChatState, sender: dict[str, Any], content: dict[str, Any]) -> StoredMessage:
        message_id = state.next_message_id
        state.next_message_id += 1
        data = {
            "message_id": message_id,
            "from": dict(sender),
            "chat": dict(state.chat),
            "date": int(self.wall_clock()),
            **content,
        }
        stored = StoredMessage(data, next(self._seq), from_bot=sender.get("id") == self.bot["id"])
        state.messages[message_id] = stored
        self.events.append(("message", state.id, message_id, copy.deepcopy(data)))
        return stored

    def _bot_receives(self, state: ChatState, stored: StoredMessage) -> bool:
        if not state.is_group:
            return not state.blocked
        status = state.status(self.bot["id"])
        if status not in MEMBER_STATUSES:
            return False
        if not self.privacy_mode or status in ADMIN_STATUSES:
            return True
        data = stored.data
        text = data.get("text") or data.get("caption") or ""
        command = _COMMAND_RE.match(text)
        if command:
            target = command.group(2)
            return target is None or target[1:].lower() == self.bot["username"].lower()
        replied = data.get("reply_to_message")
        return bool(replied and replied["from"]["id"] == self.bot["id"])

    def _deliver(
        self, state: ChatState, stored: StoredMessage, kind: str, *, log: bool = True
    ) -> dict[str, Any] | None:
        if not self._bot_receives(state, stored):
            if log:
                stored.delivered = False
            return None
        return self._push(kind, stored.data)

    def _member_update(self, state: ChatState, by: dict[str, Any], old: str, new: str) -> dict[str, Any]:
        payload = {
            "chat": dict(state.chat),
            "from": dict(by),
            "date": int(self.wall_clock()),
            "old_chat_member": chat_member(dict(self.bot_user), old),
            "new_chat_member": chat_member(dict(self.bot_user), new),
        }
        return self._push("my_chat_member", payload)

    def _push(self, kind: str, payload: dict[str, Any]) -> dict[str, Any]:
        update = {"update_id": next(self._update_ids), kind: copy.deepcopy(payload)}
        self._updates.append(update)
        self.notify()
        return copy.deepcopy(update)

    def _allowed(self, update: dict[str, Any]) -> bool:
        allowed = self._allowed_updates
        if self.webhook is not None and self.webhook.get("allowed_updates"):
            allowed = frozenset(self.webhook["allowed_updates"])
        return any(key in allowed for key in update if key != "update_id")

    def _add_waiter(self) -> _Waiter:
        waiter = _Waiter()
        with self.lock:
            self._waiters.add(waiter)
        return waiter

    def _remove_waiter(self, waiter: _Waiter) -> None:
        with self.lock:
            self._waiters.discard(waiter)

    def _all_messages(self, chat_id: ChatRef | None) -> list[StoredMessage]:
        if chat_id is None:
            states = list(self.chats.values())
        else:
            state = self.chats.get(self._chat_id(chat_id))
            states = [state] if state else []
        found = [m for s in states for m in s.messages.values() if not m.deleted]
        return sorted(found, key=lambda m: m.seq)


__all__ = ["FakeTelegram", "ApiError", "DEFAULT_TOKEN"]
