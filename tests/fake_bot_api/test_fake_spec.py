"""spec.json generation and the spec-level refusals (before any method runs)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fake_telegram import ApiError, FakeTelegram
from fake_telegram.make_spec import METHODS, build_spec, main
from fake_telegram.spec import SPEC_PATH, Spec

# shared/ lies beside the repository (the development checkout and CI's clone alike).
API_JSON = Path(__file__).resolve().parents[3] / "shared" / "telegram-bot-api" / "api.json"


def error_of(core: FakeTelegram, method: str, params: dict, files=None) -> ApiError:
    with pytest.raises(ApiError) as info:
        core.call(method, params, files)
    return info.value


def test_spec_json_is_present_and_compact():
    spec = json.loads(SPEC_PATH.read_text(encoding="utf-8"))
    assert sorted(spec["methods"]) == sorted(METHODS)
    assert spec["methods"]["sendMessage"]["params"]["chat_id"] == {
        "types": ["Integer", "String"],
        "required": True,
    }
    for needed in (
        "InlineKeyboardMarkup",
        "InlineKeyboardButton",
        "ForceReply",
        "ReplyKeyboardMarkup",
        "ReplyKeyboardRemove",
        "KeyboardButton",
        "ReplyParameters",
        "LinkPreviewOptions",
        "BotCommand",
        "BotCommandScopeChat",
        "MessageEntity",
    ):
        assert needed in spec["types"]
    # no documentation text anywhere: every leaf is a name, type list or flag
    for entry in list(spec["methods"].values()) + list(spec["types"].values()):
        for fields in (entry.get("params"), entry.get("fields")):
            for field in (fields or {}).values():
                assert set(field) == {"types", "required"}


def test_committed_spec_matches_generator(tmp_path):
    assert API_JSON.exists(), f"the Bot API data should be at {API_JSON}"
    out = tmp_path / "spec.json"
    assert main([str(API_JSON), str(out)]) == 0
    assert json.loads(out.read_text()) == json.loads(SPEC_PATH.read_text())
    built = build_spec(json.loads(API_JSON.read_text()))
    assert built["types"]["BotCommandScopeAllGroupChats"]["discriminator"] == {"type": "all_group_chats"}


def test_unknown_method_is_404(world):
    err = error_of(world.core, "sendPigeon", {"chat_id": 1})
    assert (err.error_code, err.description) == (404, "Not Found")


def test_method_names_are_case_insensitive(world):
    assert world.core.call("getme", {})["is_bot"] is True


def test_unknown_parameter(world):
    err = error_of(world.core, "sendMessage", {"chat_id": world.alice["id"], "text": "x", "reply_to_message_id": 3})
    assert err.error_code == 400
    assert err.description == "Bad Request: unknown parameter reply_to_message_id"


def test_missing_required_parameter(world):
    err = error_of(world.core, "sendMessage", {"text": "x"})
    assert err.description == "Bad Request: chat_id is empty"
    err = error_of(world.core, "answerCallbackQuery", {})
    assert err.description == "Bad Request: callback_query_id is empty"


def test_wrong_scalar_type(world):
    err = error_of(world.core, "deleteMessage", {"chat_id": world.alice["id"], "message_id": "abc"})
    assert err.error_code == 400 and "message_id" in err.description
    err = error_of(
        world.core, "sendMessage", {"chat_id": world.alice["id"], "text": "x", "disable_notification": "maybe"}
    )
    assert "disable_notification" in err.description


def test_strings_from_form_data_are_coerced(world):
    message = world.core.call(
        "sendMessage",
        {
            "chat_id": str(world.alice["id"]),
            "text": "x",
            "disable_notification": "true",
        },
    )
    assert message["chat"]["id"] == world.alice["id"]


def test_non_json_object_parameter(world):
    err = error_of(world.core, "sendMessage", {"chat_id": world.alice["id"], "text": "x", "reply_markup": "{not json"})
    assert err.error_code == 400
    assert err.description.startswith("Bad Request: can't parse reply_markup JSON object")


def test_nested_unknown_and_missing_fields(world):
    bad_field = {"inline_keyboard": [[{"text": "a", "callback_data": "b", "colour": "red"}]]}
    err = error_of(world.core, "sendMessage", {"chat_id": world.alice["id"], "text": "x", "reply_markup": bad_field})
    assert 'unknown field "colour"' in err.description
    err = error_of(
        world.core,
        "sendMessage",
        {
            "chat_id": world.alice["id"],
            "text": "x",
            "reply_markup": {"inline_keyboard": [{"text": "not a row"}]},
        },
    )
    assert "must be an Array" in err.description


def test_text_length_counts_utf16_after_parsing(world):
    chat = world.alice["id"]
    world.core.call("sendMessage", {"chat_id": chat, "text": "a" * 4096})
    world.core.call("sendMessage", {"chat_id": chat, "text": "<b>" + "a" * 4096 + "</b>", "parse_mode": "HTML"})
    world.core.call("sendMessage", {"chat_id": chat, "text": "😀" * 2048})
    for text in ("a" * 4097, "😀" * 2048 + "a"):
        err = error_of(world.core, "sendMessage", {"chat_id": chat, "text": text})
        assert err.description == "Bad Request: message is too long"


def test_empty_text(world):
    for text, mode in (("", None), ("   ", None), ("<b></b>", "HTML")):
        params = {"chat_id": world.alice["id"], "text": text}
        if mode:
            params["parse_mode"] = mode
        err = error_of(world.core, "sendMessage", params)
        assert err.description == "Bad Request: message text is empty"


def test_parse_mode_value(world):
    for mode in ("HTML", "html", "MarkdownV2", "Markdown"):
        world.core.call("sendMessage", {"chat_id": world.alice["id"], "text": "x", "parse_mode": mode})
    err = error_of(world.core, "sendMessage", {"chat_id": world.alice["id"], "text": "x", "parse_mode": "XML"})
    assert err.error_code == 400 and "parse_mode" in err.description


def keyboard(*buttons):
    return {"inline_keyboard": [list(buttons)]}


def test_callback_data_limit_is_64_bytes(world):
    chat = world.alice["id"]
    world.core.call(
        "sendMessage",
        {"chat_id": chat, "text": "x", "reply_markup": keyboard({"text": "a", "callback_data": "x" * 64})},
    )
    for data in ("x" * 65, "é" * 33, ""):
        err = error_of(
            world.core,
            "sendMessage",
            {
                "chat_id": chat,
                "text": "x",
                "reply_markup": keyboard({"text": "a", "callback_data": data}),
            },
        )
        assert err.description == "Bad Request: BUTTON_DATA_INVALID"


def test_button_needs_exactly_one_action(world):
    chat = world.alice["id"]
    err = error_of(world.core, "sendMessage", {"chat_id": chat, "text": "x", "reply_markup": keyboard({"text": "a"})})
    assert "Text buttons are unallowed in the inline keyboard" in err.description
    err = error_of(
        world.core,
        "sendMessage",
        {
            "chat_id": chat,
            "text": "x",
            "reply_markup": keyboard({"text": "a", "callback_data": "b", "url": "https://x.be"}),
        },
    )
    assert err.description.startswith("Bad Request: can't parse inline keyboard button")
    err = error_of(
        world.core,
        "sendMessage",
        {
            "chat_id": chat,
            "text": "x",
            "reply_markup": keyboard({"text": "a", "url": "www.x.be"}),
        },
    )
    assert err.description == "Bad Request: BUTTON_URL_INVALID"


def test_other_reply_markups_are_validated(world):
    chat = world.alice["id"]
    world.core.call("sendMessage", {"chat_id": chat, "text": "x", "reply_markup": {"keyboard": [[{"text": "Ja"}]]}})
    world.core.call("sendMessage", {"chat_id": chat, "text": "x", "reply_markup": {"force_reply": True}})
    world.core.call("sendMessage", {"chat_id": chat, "text": "x", "reply_markup": {"remove_keyboard": True}})
    err = error_of(
        world.core,
        "sendMessage",
        {
            "chat_id": chat,
            "text": "x",
            "reply_markup": {"keyboard": [[{"label": "Ja"}]]},
        },
    )
    assert err.error_code == 400


def test_command_scopes_are_discriminated(world):
    good = {"commands": [{"command": "leden", "description": "Leden"}], "scope": {"type": "all_group_chats"}}
    assert world.core.call("setMyCommands", good) is True
    err = error_of(world.core, "setMyCommands", {**good, "scope": {"type": "everyone"}})
    assert "BotCommandScope" in err.description
    err = error_of(world.core, "setMyCommands", {**good, "scope": {"type": "chat"}})
    assert 'field "chat_id"' in err.description
    err = error_of(world.core, "setMyCommands", {"commands": [{"command": "Leden-Lijst", "description": "x"}]})
    assert err.description == "Bad Request: BOT_COMMAND_INVALID"


def test_spec_load_from_path(tmp_path):
    path = tmp_path / "s.json"
    path.write_text(SPEC_PATH.read_text())
    spec = Spec.load(path)
    assert spec.canonical("SENDMESSAGE") == "sendMessage"
