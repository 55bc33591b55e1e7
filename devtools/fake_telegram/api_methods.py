"""The Bot API methods of the fake (mixed into ``FakeTelegram``).

Each ``api_<method>`` receives parameters already validated and coerced by the spec
and returns the JSON-ready result, or raises :class:`ApiError` with Telegram's text.
"""

from __future__ import annotations

import copy
import json
import mimetypes
import re
import struct
from typing import TYPE_CHECKING, Any

from . import checks
from .errors import ApiError, bad_request, forbidden
from .spec import UploadedFile
from .state import (
    ADMIN_STATUSES,
    MEMBER_STATUSES,
    ChatState,
    StoredMessage,
    chat_member,
)

if TYPE_CHECKING:  # pragma: no cover
    from .core import FakeTelegram

_SECRET_RE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
_LANG_RE = re.compile(r"^([a-z]{2})?$")
_DOCUMENT_LIMIT = 50 * 1024 * 1024
_PHOTO_LIMIT = 10 * 1024 * 1024
_DOWNLOAD_LIMIT = 20 * 1024 * 1024
_WEBHOOK_PORTS = {80, 88, 443, 8443}


def image_size(content: bytes) -> tuple[int, int] | None:
    """(width, height) of a PNG/JPEG/GIF/WebP/BMP image, or None if not an image."""
    if content.startswith(b"\x89PNG\r\n\x1a\n") and len(content) >= 24:
        return struct.unpack(">II", content[16:24])
    if content[:6] in (b"GIF87a", b"GIF89a") and len(content) >= 10:
        return struct.unpack("<HH", content[6:10])
    if content.startswith(b"BM") and len(content) >= 26:
        width, height = struct.unpack("<ii", content[18:26])
        return abs(width), abs(height)
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return (512, 512)
    if content.startswith(b"\xff\xd8\xff"):
        return _jpeg_size(content) or (512, 512)
    return None


def _jpeg_size(content: bytes) -> tuple[int, int] | None:
    pos = 2
    while pos + 9 < len(content):
        if content[pos] != 0xFF:
            return None
        marker = content[pos + 1]
        length = struct.unpack(">H", content[pos + 2 : pos + 4])[0]
        if marker in (0xC0, 0xC1, 0xC2):
            height, width = struct.unpack(">HH", content[pos + 5 : pos + 9])
            return width, height
        pos += 2 + length
    return None


class BotApiMethods:
    """Implementation of the supported Bot API methods."""

    # ---------------------------------------------------------------- helpers
    def _resolve_chat(self: FakeTelegram, chat_id: int | str) -> ChatState:
        """Find a chat the bot knows, or 400 chat not found."""
        state: ChatState | None = None
        if isinstance(chat_id, str):
            name = chat_id.lstrip("@").lower()
            state = next(
                (s for s in self.chats.values() if s.is_group and s.chat.get("username", "").lower() == name),
                None,
            )
        else:
            state = self.chats.get(chat_id)
        if state is None:
            raise bad_request("chat not found")
        if state.is_group and not state.bot_seen:
            raise bad_request("chat not found")
        return state

    def _check_can_send(self: FakeTelegram, state: ChatState) -> None:
        """403s for blocked users, never-started chats and groups the bot is not in."""
        if not state.is_group:
            if state.blocked:
                raise forbidden("bot was blocked by the user")
            if not state.opened:
                raise forbidden("bot can't initiate conversation with a user")
            return
        status = state.status(self.bot["id"])
        if status in MEMBER_STATUSES:
            return
        kind = "supergroup chat" if state.type == "supergroup" else "group chat"
        if status == "kicked":
            raise forbidden(f"bot was kicked from the {kind}")
        raise forbidden(f"bot is not a member of the {kind}")

    def _target(self: FakeTelegram, params: dict[str, Any]) -> ChatState:
        state = self._resolve_chat(params["chat_id"])
        self._check_can_send(state)
        return state

    def _bot_message(self: FakeTelegram, state: ChatState, message_id: int, *, purpose: str) -> StoredMessage:
        stored = state.messages.get(message_id)
        if stored is None or stored.deleted:
            raise bad_request(f"message to {purpose} not found")
        return stored

    def _reply_markup(self: FakeTelegram, state: ChatState, markup: dict[str, Any] | None) -> dict[str, Any] | None:
        """Check a reply_markup; returns it if it is an inline keyboard (kept on message)."""
        checks.check_reply_markup(markup)
        if not markup:
            return None
        if "inline_keyboard" in markup:
            return markup
        if "keyboard" in markup:
            state.reply_keyboard = markup
        elif "remove_keyboard" in markup:
            state.reply_keyboard = None
        return None

    def _reply_to(self: FakeTelegram, state: ChatState, params: dict[str, Any]) -> dict[str, Any] | None:
        reply = params.get("reply_parameters")
        if not reply:
            return None
        target = state
        if "chat_id" in reply:
            target = self._resolve_chat(reply["chat_id"])
        stored = target.messages.get(reply["message_id"])
        if stored is None or stored.deleted:
            if reply.get("allow_sending_without_reply"):
                return None
            raise bad_request("message to be replied not found")
        data = copy.deepcopy(stored.data)
        data.pop("reply_to_message", None)
        return data

    def _send(self: FakeTelegram, state: ChatState, params: dict[str, Any], content: dict[str, Any]) -> dict[str, Any]:
        """Common tail of send* methods: reply, markup, store."""
        if params.get("business_connection_id"):
            raise bad_request("business connection not found")
        markup = self._reply_markup(state, params.get("reply_markup"))
        reply = self._reply_to(state, params)
        if reply is not None:
            content["reply_to_message"] = reply
        if markup is not None:
            content["reply_markup"] = markup
        if params.get("protect_content"):
            content["has_protected_content"] = True
        return self._store(state, self.bot_user, content).data

    def _register_file(self: FakeTelegram, upload: UploadedFile, kind: str) -> dict[str, Any]:
        """Store bytes as a Telegram file; returns the Document dict."""
        if not upload.content:
            raise bad_request("file must be non-empty")
        n = next(self._file_ids)
        ext = mimetypes.guess_extension(upload.mime_type or "") or ""
        if "." in upload.filename:
            ext = "." + upload.filename.rsplit(".", 1)[1]
        folder = "photos" if kind == "photo" else "documents"
        file_id = f"{'AgAC' if kind == 'photo' else 'BQAC'}AgFakeFile{n:06d}"
        record = {
            "file_id": file_id,
            "file_unique_id": f"AQADFake{n:06d}",
            "file_size": len(upload.content),
            "file_path": f"{folder}/file_{n}{ext}",
            "content": upload.content,
            "kind": kind,
            "file_name": upload.filename,
            "mime_type": upload.mime_type or mimetypes.guess_type(upload.filename)[0] or "application/octet-stream",
        }
        self.files[file_id] = record
        return {
            "file_id": file_id,
            "file_unique_id": record["file_unique_id"],
            "file_size": record["file_size"],
            "file_name": upload.filename,
            "mime_type": record["mime_type"],
        }

    def _existing_file(self: FakeTelegram, value: str, kind: str) -> dict[str, Any]:
        if checks.url_ok(value):
            raise bad_request("failed to get HTTP URL content")
        record = self.files.get(value)
        if record is None:
            raise bad_request("wrong file identifier/HTTP URL specified")
        if record["kind"] != kind:
            raise bad_request(f"can't use file of type {record['kind'].title()} as {kind.title()}")
        return record

    def _caption(self: FakeTelegram, params: dict[str, Any]) -> dict[str, Any]:
        if params.get("caption") is None:
            return {}
        text, entities = checks.formatted_text(
            params["caption"],
            params.get("parse_mode"),
            params.get("caption_entities"),
            limit=checks.CAPTION_LIMIT,
            caption=True,
        )
        out: dict[str, Any] = {"caption": text} if text else {}
        if entities and text:
            out["caption_entities"] = entities
        return out

    def _message_ref(self: FakeTelegram, params: dict[str, Any]) -> tuple[ChatState, int]:
        if params.get("inline_message_id") is not None:
            raise bad_request("MESSAGE_ID_INVALID")
        if params.get("chat_id") is None:
            raise bad_request("chat_id is empty")
        if params.get("message_id") is None:
            raise bad_request("message identifier is not specified")
        state = self._target(params)
        return state, params["message_id"]

    def _chat_full_info(self: FakeTelegram, state: ChatState) -> dict[str, Any]:
        info = dict(state.chat)
        info.update(
            accent_color_id=0,
            max_reaction_count=11,
            accepted_gift_types={
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        )
        if state.pinned and state.pinned[-1] in state.messages:
            info["pinned_message"] = copy.deepcopy(state.messages[state.pinned[-1]].data)
        return info

    def _user_of(self: FakeTelegram, user_id: int) -> dict[str, Any]:
        if user_id == self.bot["id"]:
            return dict(self.bot_user)
        if user_id not in self.users:
            raise bad_request("user not found")
        return dict(self.users[user_id])

    def _scope_key(self: FakeTelegram, params: dict[str, Any]) -> tuple[str, str]:
        scope = dict(params.get("scope") or {"type": "default"})
        if "chat_id" in scope:
            scope["chat_id"] = self._resolve_chat(scope["chat_id"]).id
        language = params.get("language_code") or ""
        if not _LANG_RE.match(language):
            raise bad_request("LANG_CODE_INVALID")
        return json.dumps(scope, sort_keys=True), language

    # ---------------------------------------------------------------- bot & updates
    def api_getMe(self: FakeTelegram, params: dict[str, Any]) -> dict[str, Any]:
        return dict(self.bot)

    def api_getUpdates(self: FakeTelegram, params: dict[str, Any]) -> list[dict[str, Any]]:
        if self.webhook is not None:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; use "
                "deleteWebhook to delete the webhook first",
            )
        return self.take_updates(params.get("offset"), params.get("limit", 100), params.get("allowed_updates"))

    def api_setWebhook(self: FakeTelegram, params: dict[str, Any]) -> bool:
        url = params["url"]
        if not url:
            return self.api_deleteWebhook(params)
        match = re.match(r"^(https?)://([^/:]+)(?::(\d+))?", url)
        if not match:
            raise bad_request("bad webhook: invalid webhook URL specified")
        if not self.allow_http_webhook:
            if match.group(1) != "https":
                raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
            if match.group(3) and int(match.group(3)) not in _WEBHOOK_PORTS:
                raise bad_request("bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443")
        secret = params.get("secret_token")
        if secret is not None and not _SECRET_RE.match(secret):
            raise bad_request("secret token contains unallowed characters")
        if params.get("drop_pending_updates"):
            self._updates.clear()
        self.webhook = {
            "url": url,
            "secret_token": secret,
            "max_connections": params.get("max_connections", 40),
            "allowed_updates": params.get("allowed_updates"),
            "ip_address": params.get("ip_address"),
            "has_custom_certificate": "certificate" in params,
        }
        self.notify()
        return True

    def api_deleteWebhook(self: FakeTelegram, params: dict[str, Any]) -> bool:
        if params.get("drop_pending_updates"):
            self._updates.clear()
        self.webhook = None
        self.notify()
        return True

    def api_getWebhookInfo(self: FakeTelegram, params: dict[str, Any]) -> dict[str, Any]:
        hook = self.webhook or {}
        info: dict[str, Any] = {
            "url": hook.get("url", ""),
            "has_custom_certificate": bool(hook.get("has_custom_certificate")),
            "pending_update_count": len(self._updates),
        }
        for key in ("max_connections", "ip_address", "allowed_updates", "last_error_date", "last_error_message"):
            if hook.get(key) is not None:
                info[key] = hook[key]
        return info

    def api_close(self: FakeTelegram, params: dict[str, Any]) -> bool:
        return True

    def api_logOut(self: FakeTelegram, params: dict[str, Any]) -> bool:
        self.logged_out = True
        return True

    # ---------------------------------------------------------------- messages
    def api_sendMessage(self: FakeTelegram, params: dict[str, Any]) -> dict[str, Any]:
        state = self._target(params)
        text, entities = checks.formatted_text(params["text"], params.get("parse_mode"), params.get("entities"))
        content: dict[str, Any] = {"text": text}
        if entities:
            content["entities"] = entities
        return self._send(state, params, content)

    def api_sendDocument(self: FakeTelegram, params: dict[str, Any]) -> dict[str, Any]:
        state = self._target(params)
        document = params["document"]
        if isinstance(document, UploadedFile):
            if len(document.content) > _DOCUMENT_LIMIT:
                raise ApiError(413, "Request Entity Too Large")
            doc = self._register_file(document, "document")
        else:
            record = self._existing_file(document, "document")
            doc = {k: record[k] for k in ("file_id", "file_unique_id", "file_size", "file_name", "mime_type")}
        content = {"document": doc, **self._caption(params)}
        return self._send(state, params, content)

    def api_sendPhoto(self: FakeTelegram, params: dict[str, Any]) -> dict[str, Any]:
        state = self._target(params)
        photo = params["photo"]
        if isinstance(photo, UploadedFile):
            if len(photo.content) > _PHOTO_LIMIT:
                raise ApiError(413, "Request Entity Too Large")
            size = image_size(photo.content)
            if size is None:
                raise bad_request("IMAGE_PROCESS_FAILED")
            doc = self._register_file(photo, "photo")
        else:
            record = self._existing_file(photo, "photo")
            doc = {k: record[k] for k in ("file_id", "file_unique_id", "file_size")}
            size = image_size(record["content"]) or (512, 512)
        sizes = [
            {
                "file_id": doc["file_id"],
                "file_unique_id": doc["file_unique_id"],
                "file_size": doc["file_size"],
                "width": size[0],
                "height": size[1],
            }
        ]
        content = {"photo": sizes, **self._caption(params)}
        return self._send(state, params, content)

    def api_editMessageText(self: FakeTelegram, params: dict[str, Any]) -> dict[str, Any]:
        state, message_id = self._message_ref(params)
        if params.get("rich_message") is not None:
            raise bad_request("rich messages are not supported by the fake")
        if params.get("text") is None:
            raise bad_request("message text is empty")
        stored = self._bot_message(state, message_id, purpose="edit")
        if not stored.from_bot:
            raise bad_request("message can't be edited")
        if "text" not in stored.data:
            raise bad_request("there is no text in the message to edit")
        text, entities = checks.formatted_text(params["text"], params.get("parse_mode"), params.get("entities"))
        markup = params.get("reply_markup")
        checks.check_reply_markup(markup)
        data = stored.data
        if (text, entities, markup) == (data["text"], data.get("entities", []), data.get("reply_markup")):
            raise _not_modified()
        data["text"] = text
        _set_or_pop(data, "entities", entities or None)
        _set_or_pop(data, "reply_markup", markup or None)
        return self._mark_edited(stored)

    def api_editMessageReplyMarkup(self: FakeTelegram, params: dict[str, Any]) -> dict[str, Any]:
        state, message_id = self._message_ref(params)
        stored = self._bot_message(state, message_id, purpose="edit")
        if not stored.from_bot:
            raise bad_request("message can't be edited")
        markup = params.get("reply_markup")
        checks.check_reply_markup(markup)
        if (markup or None) == stored.data.get("reply_markup"):
            raise _not_modified()
        _set_or_pop(stored.data, "reply_markup", markup or None)
        return self._mark_edited(stored)

    def _mark_edited(self: FakeTelegram, stored: StoredMessage) -> dict[str, Any]:
        stored.data["edit_date"] = int(self.wall_clock())
        stored.edited = True
        self.events.append(("edit", stored.data["chat"]["id"], stored.message_id, copy.deepcopy(stored.data)))
        return stored.data

    def api_deleteMessage(self: FakeTelegram, params: dict[str, Any]) -> bool:
        state = self._target(params)
        stored = self._bot_message(state, params["message_id"], purpose="delete")
        if state.is_group and not stored.from_bot and state.status(self.bot["id"]) not in ADMIN_STATUSES:
            raise bad_request("message can't be deleted")
        stored.deleted = True
        self.events.append(("delete", state.id, stored.message_id, copy.deepcopy(stored.data)))
        if stored.message_id in state.pinned:
            state.pinned.remove(stored.message_id)
        return True

    def api_answerCallbackQuery(self: FakeTelegram, params: dict[str, Any]) -> bool:
        query = self.callback_queries.get(params["callback_query_id"])
        if query is None or query["answered"]:
            raise bad_request("query is too old and response timeout expired or query ID is invalid")
        checks.callback_answer_text(params.get("text"))
        query["answered"] = True
        query["answer"] = dict(params)
        if params.get("text"):
            self.events.append(("answer", query["chat_id"], params["text"], bool(params.get("show_alert"))))
        return True

    def api_sendChatAction(self: FakeTelegram, params: dict[str, Any]) -> bool:
        self._target(params)
        checks.chat_action(params["action"])
        return True

    # ---------------------------------------------------------------- pins
    def api_pinChatMessage(self: FakeTelegram, params: dict[str, Any]) -> bool:
        state = self._target(params)
        if state.type == "supergroup" and state.status(self.bot["id"]) not in ADMIN_STATUSES:
            raise bad_request("not enough rights to manage pinned messages in the chat")
        stored = self._bot_message(state, params["message_id"], purpose="pin")
        if stored.message_id in state.pinned:
            state.pinned.remove(stored.message_id)
        state.pinned.append(stored.message_id)
        return True

    def api_unpinChatMessage(self: FakeTelegram, params: dict[str, Any]) -> bool:
        state = self._target(params)
        message_id = params.get("message_id")
        if message_id is None and state.pinned:
            message_id = state.pinned[-1]
        if message_id in state.pinned:
            state.pinned.remove(message_id)
        return True

    def api_unpinAllChatMessages(self: FakeTelegram, params: dict[str, Any]) -> bool:
        state = self._target(params)
        state.pinned.clear()
        return True

    # ---------------------------------------------------------------- chats
    def api_getChat(self: FakeTelegram, params: dict[str, Any]) -> dict[str, Any]:
        state = self._resolve_chat(params["chat_id"])
        if not state.is_group and not state.opened:
            raise bad_request("chat not found")
        return self._chat_full_info(state)

    def api_getChatMember(self: FakeTelegram, params: dict[str, Any]) -> dict[str, Any]:
        state = self._resolve_chat(params["chat_id"])
        user = self._user_of(params["user_id"])
        if not state.is_group:
            if not state.opened:
                raise bad_request("chat not found")
            known = user["id"] in (state.id, self.bot["id"])
            return chat_member(user, "member" if known else "left")
        self._check_can_send(state)
        return chat_member(user, state.status(user["id"]))

    def api_getChatAdministrators(self: FakeTelegram, params: dict[str, Any]) -> list[dict[str, Any]]:
        state = self._resolve_chat(params["chat_id"])
        if not state.is_group:
            raise bad_request("there are no administrators in the private chat")
        self._check_can_send(state)
        return [
            chat_member(self._user_of(uid), status) for uid, status in state.members.items() if status in ADMIN_STATUSES
        ]

    def api_getChatMemberCount(self: FakeTelegram, params: dict[str, Any]) -> int:
        state = self._resolve_chat(params["chat_id"])
        if not state.is_group:
            return 2
        self._check_can_send(state)
        return sum(1 for s in state.members.values() if s in MEMBER_STATUSES)

    def api_leaveChat(self: FakeTelegram, params: dict[str, Any]) -> bool:
        state = self._resolve_chat(params["chat_id"])
        if not state.is_group:
            raise bad_request("chat member status can't be changed in private chats")
        self._check_can_send(state)
        old = state.status(self.bot["id"])
        state.members[self.bot["id"]] = "left"
        self._member_update(state, self.bot_user, old, "left")
        return True

    def api_setChatMenuButton(self: FakeTelegram, params: dict[str, Any]) -> bool:
        button = params.get("menu_button") or {"type": "default"}
        if params.get("chat_id") is None:
            self.default_menu_button = button
            return True
        state = self._resolve_chat(params["chat_id"])
        if state.is_group:
            raise bad_request("menu button can be changed only in private chats")
        state.menu_button = button
        return True

    # ---------------------------------------------------------------- commands & profile
    def api_setMyCommands(self: FakeTelegram, params: dict[str, Any]) -> bool:
        checks.check_commands(params["commands"])
        self.commands[self._scope_key(params)] = [dict(c) for c in params["commands"]]
        return True

    def api_deleteMyCommands(self: FakeTelegram, params: dict[str, Any]) -> bool:
        self.commands.pop(self._scope_key(params), None)
        return True

    def api_getMyCommands(self: FakeTelegram, params: dict[str, Any]) -> list[dict]:
        return [dict(c) for c in self.commands.get(self._scope_key(params), [])]

    def api_setMyDescription(self: FakeTelegram, params: dict[str, Any]) -> bool:
        return self._set_description(params, "description", 512)

    def api_setMyShortDescription(self: FakeTelegram, params: dict[str, Any]) -> bool:
        return self._set_description(params, "short_description", 120)

    def _set_description(self: FakeTelegram, params: dict[str, Any], key: str, limit: int) -> bool:
        text = params.get(key) or ""
        if len(text) > limit:
            raise bad_request(f"{key.replace('_', ' ')} is too long")
        language = params.get("language_code") or ""
        if not _LANG_RE.match(language):
            raise bad_request("LANG_CODE_INVALID")
        self.descriptions[(key, language)] = text
        return True

    # ---------------------------------------------------------------- files
    def api_getFile(self: FakeTelegram, params: dict[str, Any]) -> dict[str, Any]:
        record = self.files.get(params["file_id"])
        if record is None:
            raise bad_request("wrong file_id or the file is temporarily unavailable")
        if record["file_size"] > _DOWNLOAD_LIMIT:
            raise bad_request("file is too big")
        return {k: record[k] for k in ("file_id", "file_unique_id", "file_size", "file_path")}


def _not_modified() -> ApiError:
    return bad_request(
        "message is not modified: specified new message content and reply markup are "
        "exactly the same as a current content and reply markup of the message"
    )


def _set_or_pop(data: dict[str, Any], key: str, value: Any) -> None:
    if value is None:
        data.pop(key, None)
    else:
        data[key] = value
