"""The demo's transcript: each message once, then only what an edit changed, in the chosen language.

The fake's own rendering (fake_telegram/transcript.py) repeats a whole message at every edit, which
for a ballot is the whole ballot after every press. Here an edit shows only its new lines (a
ballot: the one row pressed), charts and files are saved in the demo's folder and named there.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fake_telegram.core import FakeTelegram

from kopgroep_demo.words import FRAME

INDENT = "    "


class Transcript:
    """Renders the fake's events as they come (``feed``), so step headings fall where they belong."""

    def __init__(self, core: FakeTelegram, language: str, folder: Path) -> None:
        self.core = core
        self.words = FRAME[language]
        self.folder = folder
        self.lines: list[str] = []
        self.seen = 0  # events rendered so far
        self.shown: dict[tuple[int, int], list[str]] = {}  # what each message shows now
        self.charts = 0
        self.saved: list[Path] = []
        self.first_seen: dict[tuple[str, ...], str] = {}  # a long private message -> the chat it was first shown in

    def heading(self, title: str) -> None:
        self.feed()
        self.lines.extend(["", self.words["step"].format(title=title)])

    def feed(self) -> None:
        """Render the events that came since the last call."""
        with self.core.lock:
            events = list(self.core.events[self.seen :])
            self.seen += len(events)
        for kind, chat_id, *rest in events:
            chat = self.core.chats[chat_id]
            label = (
                chat.chat.get("title")
                if chat.is_group
                else self.words["private"].format(name=chat.chat.get("first_name", chat_id))
            )
            if kind == "message":
                message_id, snapshot = rest
                stored = chat.messages[message_id]
                marks = [] if stored.delivered else [self.words["unseen"]]
                if message_id in chat.pinned:
                    marks.append(self.words["pinned"])
                lines = self._message(snapshot)
                self.shown[(chat_id, message_id)] = lines
                first, *others = lines
                if len(lines) >= 4 and not chat.is_group:  # a ballot, a question sent to every member
                    earlier = self.first_seen.setdefault(tuple(lines), label)
                    if earlier != label:
                        same = self.words["same"].format(label=earlier)
                        self.lines.append(f"[{label}] {_name(snapshot['from'])}: {first} {same}")
                        continue
                self.lines.append(
                    f"[{label}] {_name(snapshot['from'])}: {first}{' ' + ' '.join(marks) if marks else ''}"
                )
                self.lines.extend(INDENT + line for line in others)
            elif kind == "edit":
                message_id, snapshot = rest
                before = self.shown.get((chat_id, message_id), [])
                after = self._message(snapshot)
                self.shown[(chat_id, message_id)] = after
                changed = [line for line in after if line not in before]
                if not changed:
                    continue
                self.lines.append(f"[{label}] {self.words['edits'].format(bot=self.core.bot['first_name'])}:")
                self.lines.extend(INDENT + line for line in changed)
            elif kind == "delete":
                message_id, snapshot = rest
                text = (self._message(snapshot) or [""])[0][:40]
                self.lines.append(
                    f"[{label}] {self.words['deletes'].format(bot=self.core.bot['first_name'], text=text)}"
                )
            elif kind == "press":
                user, text = rest
                self.lines.append(f"[{label}] {self.words['presses'].format(name=_name(user), button=text)}")
            elif kind == "answer":
                text, alert = rest
                if text:
                    self.lines.append(
                        f"[{label}] {self.core.bot['first_name']} ({self.words['popup' if alert else 'notice']}): {text}"
                    )

    def _message(self, data: dict[str, Any]) -> list[str]:
        """A message as lines: its text (or what it carries) and its buttons, one row a line."""
        parts: list[str] = []
        if "photo" in data:
            parts.append(self.words["chart"].format(path=self._save_photo(data)))
        if "document" in data:
            parts.append(self.words["file"].format(path=self._save_document(data["document"])))
        if "new_chat_members" in data:
            parts.append(self.words["adds"].format(names=", ".join(_name(u) for u in data["new_chat_members"])))
        body = data.get("text") or data.get("caption") or ""
        lines = (
            (" ".join(parts) + ("\n" if parts and body else "") + body).split("\n")
            if (parts or body)
            else [self.words["message"]]
        )
        if "reply_to_message" in data:
            quoted = (data["reply_to_message"].get("text") or "").split("\n")[0][:40]
            if quoted:
                lines[0] += f"  ↩ «{quoted}»"
        for row in (data.get("reply_markup") or {}).get("inline_keyboard", []):
            lines.append(" ".join(f"[{button['text']}]" for button in row))
        return lines

    def _save_photo(self, data: dict[str, Any]) -> Path:
        self.charts += 1
        largest = data["photo"][-1]
        path = self.folder / f"chart-{self.charts}.png"
        return self._save(path, largest["file_id"])

    def _save_document(self, document: dict[str, Any]) -> Path:
        return self._save(self.folder / Path(document.get("file_name") or "file").name, document["file_id"])

    def _save(self, path: Path, file_id: str) -> Path:
        record = self.core.files.get(file_id)
        if record is not None and path not in self.saved:
            path.write_bytes(record["content"])
            self.saved.append(path)
        return path

    def text(self) -> str:
        self.feed()
        return "\n".join(self.lines).lstrip("\n")


def _name(user: dict[str, Any]) -> str:
    return user.get("first_name") or user.get("username") or str(user.get("id"))
