"""Anonymous dialogue answers: nothing ties an author to an answer, for the moderator or the database.

The moderator sees per member a total over the whole dialogue (/deelname), also after it ended,
and the answers without names. A database administrator without the secret finds an answer's
author neither in ``contribution`` nor by order, time or transaction id; the counts per member
are in a table without text.
"""

from __future__ import annotations

from sqlalchemy import text

from tests.conversations.test_dialogue import dialogue_group
from tests.harness import Harness


def _rows(harness: Harness, sql: str) -> list[tuple]:
    return harness.db.run_sync(lambda s: [tuple(r) for r in s.execute(text(sql))])


async def test_anonymous_answers_have_no_author_in_the_database(harness: Harness) -> None:
    group, users = await dialogue_group(harness, ("Anne", "Bart", "Chris", "Dirk"))
    anne, bart, chris = users["Anne"], users["Bart"], users["Chris"]
    await harness.say(anne, group, "/dialoog anoniem")
    await harness.say(bart, bart["id"], "Bart zijn eerste antwoord")
    await harness.say(chris, chris["id"], "Chris schrijft dit")
    # While the question is on the table: no contribution yet, the answers sealed in their authors' rows.
    assert _rows(harness, "SELECT count(*) FROM contribution") == [(0,)]
    sealed = [r[0] for r in _rows(harness, "SELECT sealed FROM anonymous_answer")]
    assert len(sealed) == 2 and not any("Bart" in s or "Chris" in s or "antwoord" in s for s in sealed)
    await harness.say(anne, group, "/volgende")
    await harness.say(bart, bart["id"], "Bart weer")
    await harness.say(anne, group, "/dialoog stop")

    rows = _rows(harness, "SELECT person_id, text, created_at FROM contribution WHERE anonymous ORDER BY id")
    assert sorted(r[1] for r in rows) == ["Bart weer", "Bart zijn eerste antwoord", "Chris schrijft dit"]
    assert {r[0] for r in rows} == {None}  # no author column filled
    assert len({str(r[2]) for r in rows}) == 1  # one time for all: the dialogue's start
    assert _rows(harness, "SELECT count(*) FROM anonymous_answer") == [(0,)]  # the sealed rows are gone
    counts = _rows(harness, "SELECT * FROM answer_count ORDER BY answers")
    assert [r[-1] for r in counts] == [1, 2] and all(len(r) == 3 for r in counts)  # dialogue, person, count: no text
    if harness.db.url.startswith("postgresql"):
        person_side = {
            r[0]
            for t in ("answer_count", "membership", "person")
            for r in _rows(harness, f"SELECT xmin::text FROM {t}")
        }
        answer_side = {r[0] for r in _rows(harness, "SELECT xmin::text FROM contribution WHERE anonymous")}
        assert not person_side & answer_side
        # The same reading finds a link where a transaction writes both (the old design).
        harness.db.run_sync(
            lambda s: (
                s.execute(text("UPDATE answer_count SET answers = answers WHERE answers = 2")),
                s.execute(text("UPDATE contribution SET text = text WHERE text = 'Bart weer'")),
            )
        )
        person_side = {r[0] for r in _rows(harness, "SELECT xmin::text FROM answer_count")}
        answer_side = {r[0] for r in _rows(harness, "SELECT xmin::text FROM contribution WHERE anonymous")}
        assert person_side & answer_side


async def test_deelname_gives_totals_over_the_dialogue_also_after_it_ended(harness: Harness) -> None:
    group, users = await dialogue_group(harness, ("Anne", "Bart", "Chris"))
    anne, bart, chris = users["Anne"], users["Bart"], users["Chris"]
    await harness.say(anne, group, "/dialoog anoniem")
    await harness.say(bart, bart["id"], "Een")
    await harness.say(anne, group, "/volgende")
    await harness.say(bart, bart["id"], "Twee")
    await harness.say(chris, chris["id"], "Drie")
    await harness.say(anne, group, "/dialoog stop")
    await harness.say(anne, group, "/deelname")
    overview = harness.last_text(anne["id"])
    assert "over de hele dialoog (afgelopen)" in overview
    assert "• Bart: 2" in overview and "• Chris: 1" in overview and "• Anne (moderator): 0" in overview
    assert not any(answer in overview for answer in ("Een", "Twee", "Drie"))
    assert "Vraag" not in overview  # no question named: totals, never per question
    assert "Met de knop" not in overview  # no invitations once it ended
    last = harness.last_from_bot(anne["id"])
    assert not (last.get("reply_markup") or {}).get("inline_keyboard")


async def test_deelname_in_english_after_the_end(harness: Harness) -> None:
    group, users = await dialogue_group(harness, ("Anne", "Bart"), language="en")
    anne, bart = users["Anne"], users["Bart"]
    await harness.say(anne, group, "/dialoog anoniem")
    await harness.say(bart, bart["id"], "Mine")
    await harness.say(anne, group, "/dialoog stop")
    await harness.say(anne, group, "/deelname")
    overview = harness.last_text(anne["id"])
    assert "over the whole dialogue (ended)" in overview and "• Bart: 1" in overview
