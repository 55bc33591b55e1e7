"""Plain data kept by the fake: chats, stored messages, call records, object builders."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

MEMBER_STATUSES = ("member", "administrator", "creator")
ADMIN_STATUSES = ("administrator", "creator")
# "restricted": restricted, still a member (is_member true); "restricted_left": is_member false.
RESTRICTED_STATUSES = ("restricted", "restricted_left")


@dataclass
class StoredMessage:
    """A message in a chat: ``data`` is its current Message dict."""

    data: dict[str, Any]
    seq: int
    from_bot: bool
    delivered: bool = True  # whether the bot received it as an update
    edited: bool = False
    deleted: bool = False

    @property
    def message_id(self) -> int:
        return self.data["message_id"]


@dataclass
class ChatState:
    """Everything the fake knows about one chat."""

    chat: dict[str, Any]  # short Chat dict as embedded in messages
    members: dict[int, str] = field(default_factory=dict)  # user id -> status
    messages: dict[int, StoredMessage] = field(default_factory=dict)
    next_message_id: int = 1
    pinned: list[int] = field(default_factory=list)
    opened: bool = False  # private chat: the user has written to the bot
    blocked: bool = False  # private chat: the user blocked the bot
    bot_seen: bool = False  # group: the bot was a member at some point
    reply_keyboard: dict[str, Any] | None = None
    menu_button: dict[str, Any] | None = None

    @property
    def id(self) -> int:
        return self.chat["id"]

    @property
    def type(self) -> str:
        return self.chat["type"]

    @property
    def is_group(self) -> bool:
        return self.type in ("group", "supergroup")

    def status(self, user_id: int) -> str:
        """Membership status of a user ("left" when unknown)."""
        return self.members.get(user_id, "left")

    def label(self) -> str:
        """Name of the chat for transcripts."""
        if self.is_group:
            return self.chat.get("title", str(self.id))
        return f"privé {self.chat.get('first_name', self.id)}"


@dataclass
class CallRecord:
    """One Bot API call as seen by the fake."""

    method: str
    params: dict[str, Any]
    files: list[str]
    time: float
    result: Any = None
    error: Any = None  # ApiError or FakeTimeout

    @property
    def ok(self) -> bool:
        return self.error is None


def chat_member(user: dict[str, Any], status: str) -> dict[str, Any]:
    """A ChatMember dict for ``status`` with every field Telegram marks as required."""
    if status == "creator":
        return {"status": "creator", "user": user, "is_anonymous": False}
    if status == "administrator":
        rights = dict.fromkeys(
            (
                "can_manage_chat",
                "can_delete_messages",
                "can_manage_video_chats",
                "can_restrict_members",
                "can_change_info",
                "can_invite_users",
                "can_post_stories",
                "can_edit_stories",
                "can_delete_stories",
                "can_pin_messages",
                "can_manage_topics",
            ),
            True,
        )
        return {
            "status": "administrator",
            "user": user,
            "can_be_edited": False,
            "is_anonymous": False,
            "can_promote_members": False,
            **rights,
        }
    if status == "kicked":
        return {"status": "kicked", "user": user, "until_date": 0}
    if status in RESTRICTED_STATUSES:
        # Restricted (may not send, say): still a member, or restricted and gone (is_member false).
        rights = dict.fromkeys(
            (
                "can_send_messages", "can_send_audios", "can_send_documents", "can_send_photos",
                "can_send_videos", "can_send_video_notes", "can_send_voice_notes", "can_send_polls",
                "can_send_other_messages", "can_add_web_page_previews", "can_react_to_messages",
                "can_edit_tag", "can_change_info", "can_invite_users", "can_pin_messages", "can_manage_topics",
            ),
            False,
        )
        return {"status": "restricted", "user": user, "is_member": status == "restricted", "until_date": 0, **rights}
    if status in ("member", "left"):
        return {"status": status, "user": user}
    raise ValueError(f"unknown chat member status {status!r}")


def inline_buttons(message: dict[str, Any]) -> list[dict[str, Any]]:
    """All inline keyboard buttons of a Message dict, row by row."""
    markup = message.get("reply_markup") or {}
    return [button for row in markup.get("inline_keyboard", []) for button in row]
