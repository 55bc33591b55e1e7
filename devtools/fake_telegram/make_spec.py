"""Generate ``spec.json`` (names, types and required flags only) from Telegram's api.json.

Usage::

    python -m fake_telegram.make_spec /path/to/api.json [output.json]

Only the structure of the selected methods and the types needed to validate their
parameters (plus the types the fake returns) is kept; no documentation text.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

METHODS = [
    "getMe",
    "getUpdates",
    "setWebhook",
    "deleteWebhook",
    "getWebhookInfo",
    "close",
    "logOut",
    "sendMessage",
    "editMessageText",
    "editMessageReplyMarkup",
    "deleteMessage",
    "answerCallbackQuery",
    "sendDocument",
    "sendPhoto",
    "pinChatMessage",
    "unpinChatMessage",
    "unpinAllChatMessages",
    "getChat",
    "getChatMember",
    "getChatAdministrators",
    "getChatMemberCount",
    "setMyCommands",
    "deleteMyCommands",
    "getMyCommands",
    "sendChatAction",
    "setChatMenuButton",
    "getFile",
    "leaveChat",
    "setMyDescription",
    "setMyShortDescription",
]

# Types the fake produces in results/updates; kept (non-recursively) so tests can check
# that every object the fake returns carries the fields Telegram marks as required.
RESULT_TYPES = [
    "User",
    "Chat",
    "ChatFullInfo",
    "AcceptedGiftTypes",
    "Message",
    "Update",
    "CallbackQuery",
    "ChatMemberUpdated",
    "ChatMember",
    "ChatMemberOwner",
    "ChatMemberAdministrator",
    "ChatMemberMember",
    "ChatMemberRestricted",
    "ChatMemberLeft",
    "ChatMemberBanned",
    "File",
    "Document",
    "PhotoSize",
    "WebhookInfo",
    "MessageEntity",
    "BotCommand",
    "InlineKeyboardMarkup",
    "InlineKeyboardButton",
]

DEFAULT_OUTPUT = Path(__file__).with_name("spec.json")

# "must be web_app" / 'always "creator"' -> the discriminator value of a subtype.
_DISCRIMINATOR_RE = re.compile(r"(?:must be|always)\s+\W?([a-z_]+)")


def _base_type(type_name: str) -> str:
    while type_name.startswith("Array of "):
        type_name = type_name[len("Array of ") :]
    return type_name


def _fields(raw_fields: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {f["name"]: {"types": list(f["types"]), "required": bool(f.get("required"))} for f in raw_fields}


def _discriminator(raw_type: dict[str, Any]) -> dict[str, str] | None:
    """Return {field: value} for a subtype whose first field pins its kind."""
    fields = raw_type.get("fields") or []
    if not fields or fields[0]["name"] not in ("type", "status", "source"):
        return None
    match = _DISCRIMINATOR_RE.search(fields[0].get("description", ""))
    if not match:
        return None
    return {fields[0]["name"]: match.group(1)}


def _param_type_closure(api: dict[str, Any], methods: list[str]) -> set[str]:
    types = api["types"]
    stack: list[str] = []
    for name in methods:
        for field in api["methods"][name].get("fields", []):
            stack.extend(_base_type(t) for t in field["types"])
    seen: set[str] = set()
    while stack:
        name = stack.pop()
        if name in seen or name not in types:
            continue
        seen.add(name)
        for field in types[name].get("fields", []):
            stack.extend(_base_type(t) for t in field["types"])
        stack.extend(types[name].get("subtypes") or [])
    return seen


def build_spec(api: dict[str, Any], methods: list[str] = METHODS) -> dict[str, Any]:
    """Build the compact spec dict from a parsed api.json."""
    missing = [m for m in methods if m not in api["methods"]]
    if missing:
        raise SystemExit(f"methods missing from api.json: {missing}")
    out_methods = {
        name: {
            "params": _fields(api["methods"][name].get("fields", [])),
            "returns": list(api["methods"][name].get("returns", [])),
        }
        for name in methods
    }
    wanted = _param_type_closure(api, methods) | {t for t in RESULT_TYPES if t in api["types"]}
    out_types: dict[str, Any] = {}
    for name in sorted(wanted):
        raw = api["types"][name]
        entry: dict[str, Any] = {"fields": _fields(raw.get("fields", []))}
        if raw.get("subtypes"):
            entry["subtypes"] = list(raw["subtypes"])
        disc = _discriminator(raw)
        if disc:
            entry["discriminator"] = disc
        out_types[name] = entry
    return {
        "api_version": api.get("version"),
        "release_date": api.get("release_date"),
        "methods": out_methods,
        "types": out_types,
    }


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    argv = sys.argv[1:] if argv is None else argv
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__)
        return 0 if argv else 2
    api = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    output = Path(argv[1]) if len(argv) > 1 else DEFAULT_OUTPUT
    spec = build_spec(api)
    output.write_text(json.dumps(spec, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {output} ({len(spec['methods'])} methods, {len(spec['types'])} types)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
