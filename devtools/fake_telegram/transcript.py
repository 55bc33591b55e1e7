"""Readable rendering of everything that happened in the fake's chats."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from .core import FakeTelegram

INDENT = "    "


def _name(user: dict[str, Any]) -> str:
    return user.get("first_name") or user.get("username") or str(user.get("id"))


def _body(data: dict[str, Any]) -> str:
    if "text" in data:
        return data["text"]
    parts = []
    if "document" in data:
        parts.append(f"[document: {data['document'].get('file_name', '?')}]")
    if "photo" in data:
        parts.append("[foto]")
    if "new_chat_members" in data:
        names = ", ".join(_name(u) for u in data["new_chat_members"])
        parts.append(f"(voegt {names} toe)")
    if data.get("caption"):
        parts.append(data["caption"])
    return " ".join(parts) or "(bericht)"


def render_message(data: dict[str, Any], label: str, marks: list[str]) -> list[str]:
    """Lines for one version of a message: text, marks and inline buttons."""
    lines = _body(data).split("\n")
    if marks:
        lines[-1] = f"{lines[-1]} {' '.join(marks)}"
    out = [f"[{label}] {_name(data['from'])}: {lines[0]}"]
    out += [INDENT + line for line in lines[1:]]
    if "reply_to_message" in data:
        quoted = _body(data["reply_to_message"]).split("\n")[0][:40]
        out[0] += f"  ↩ «{quoted}»"
    markup = data.get("reply_markup") or {}
    for row in markup.get("inline_keyboard", []):
        out.append(INDENT + " ".join(f"[{b['text']}]" for b in row))
    return out


def render(fake: FakeTelegram) -> str:
    """The whole conversation log as text (edits appear where they happened)."""
    lines: list[str] = []
    bot_name = fake.bot["first_name"]
    for kind, chat_id, *rest in fake.events:
        chat = fake.chats[chat_id]
        label = chat.label()
        if kind in ("message", "edit"):
            message_id, snapshot = rest
            stored = chat.messages[message_id]
            marks = ["(bewerkt)"] if kind == "edit" else []
            if kind == "message" and not stored.delivered:
                marks.append("(bot ziet dit niet)")
            if kind == "message" and message_id in chat.pinned:
                marks.append("(vastgezet)")
            lines.extend(render_message(snapshot, label, marks))
        elif kind == "delete":
            message_id, snapshot = rest
            first = _body(snapshot).split("\n")[0][:40]
            lines.append(f"[{label}] {bot_name} verwijdert «{first}»")
        elif kind == "press":
            user, text = rest
            lines.append(f"[{label}] {_name(user)} drukt op [{text}]")
        elif kind == "answer":
            text, alert = rest
            lines.append(f"[{label}] {bot_name} ({'popup' if alert else 'melding'}): {text}")
    return "\n".join(lines)


__all__ = ["render", "render_message"]
