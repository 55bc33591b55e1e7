"""Logs at the default level (INFO) carry ids, never what people typed or scored, nor the token.

The application talks to the fake Bot API over real HTTP here (httpx, PTB's request), so the
library loggers say whatever they would say in production.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from bot.cli import configure_logging
from bot.logs import RedactSecrets
from storage import trajectories
from tests.conversations.voting_helpers import ballot_message, cast, round_id_of, voting_group
from tests.harness import Harness

SECRETS = (
    "Geheime reden QZ9",
    "Mijn geheim antwoord XJ42",
    "Prive tekst PW77",
    "Thema Zeldzaam KV31",
    "Organisatie Geheim ZZ8",
)
LOGGERS = ("httpx", "httpcore", "alembic.runtime.plugins", "apscheduler.executors.default")


@pytest.fixture
def restore_levels() -> Iterator[None]:
    levels = {name: logging.getLogger(name).level for name in LOGGERS}
    yield
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)
    # configure_logging puts its redacting filter on the root's handlers (pytest's among them).
    for handler in logging.getLogger().handlers:
        for found in [f for f in handler.filters if isinstance(f, RedactSecrets)]:
            handler.removeFilter(found)


def _failing(session, trajectory_id, name, **kwargs):  # type: ignore[no-untyped-def]
    raise ValueError(f"could not store {name!r}")


async def test_a_scripted_flow_leaves_no_texts_scores_or_token_in_the_logs(
    over_http: Harness, caplog: pytest.LogCaptureFixture, restore_levels: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    harness = over_http
    # Control: left alone, httpx logs every request URL at INFO, with the bot token in it.
    with caplog.at_level(logging.INFO):
        await harness.app.bot.get_me()
    assert any(harness.core.token in r.getMessage() for r in caplog.records if r.name == "httpx")
    caplog.clear()

    configure_logging(logging.INFO)
    with caplog.at_level(logging.INFO):
        group, people, themes = await voting_group(harness, members=3, themes=4)
        anne, bart = people[0], people[1]
        await harness.say(anne, group, "/dialoog")
        question = harness.last_from_bot(group)
        await harness.say(bart, group, SECRETS[1], reply_to=question["message_id"])
        await harness.say(anne, group, "/dialoog stop")
        await harness.say(bart, bart["id"], SECRETS[2])
        await harness.say(anne, group, "/stemronde")
        round_id = round_id_of(ballot_message(harness.core, bart))
        await cast(harness, bart, {themes[0]: 3}, submit=False)
        ballot = ballot_message(harness.core, bart)
        await harness.press(bart, ballot, f"vwhy:{round_id}")  # the keyboard turns into a theme list
        await harness.press(bart, ballot, f"vwhy:{round_id}:{themes[0]}")
        reason_question = harness.last_from_bot(bart["id"])
        await harness.say(bart, bart["id"], SECRETS[0], reply_to=reason_question["message_id"])
        for person in people:
            await cast(harness, person, {t: 3 if t == themes[0] else 1 for t in themes})
        await harness.say(anne, group, "/sluitronde")
        await harness.say(anne, group, f"/thema nieuw {SECRETS[3]}")
        # A step that fails with what was typed in its error message (as a failed INSERT would).
        monkeypatch.setattr(trajectories, "set_organisation", _failing)
        await harness.say(anne, group, f"/organisatie {SECRETS[4]}")
        monkeypatch.undo()
    assert [type(e) for e in harness.errors] == [ValueError]
    harness.errors.clear()
    assert any("Uitslag stemronde 1" in text for text in harness.bot_texts(group))  # the flow ran
    assert any(SECRETS[0] in text for text in harness.bot_texts(anne["id"]))  # the reason was shared
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
    lines = [formatter.format(r) for r in caplog.records]  # with any traceback, as a log file shows it
    assert lines, "nothing was logged at INFO: the check would prove nothing"
    for line in lines:
        assert not any(secret in line for secret in SECRETS), line
        assert harness.core.token not in line, line
        assert "vote:" not in line and "vwhy:" not in line, line  # callback data carries scores
        assert "text=" not in line and '"text"' not in line, line  # no request bodies
    assert not [r for r in caplog.records if r.name.startswith(("httpx", "httpcore"))]
    assert any(r.name == "kopgroep.errors" and "ValueError" in r.getMessage() for r in caplog.records)
