"""The screen over HTTP (tornado, as the bot serves it): the page, its live stream, its chart,
what a wrong link gets, and what the database keeps of a link."""

from __future__ import annotations

import asyncio
import json
import re

import httpx

from storage.models import ScreenLink
from tests.conversations.voting_helpers import cast, voting_group
from tests.harness import Harness
from tests.screen.screen_helpers import ask_link, hub_of, text_of

SCORES = ((3, 3, 2, 1), (3, 2, 3, 1), (2, 3, 3, 1))


async def events(client: httpx.AsyncClient, url: str, into: asyncio.Queue) -> None:
    """Read server-sent events into a queue as (event, data)."""
    try:
        async with client.stream("GET", url) as response:
            await into.put(("status", response.status_code))
            event, data = "message", ""
            async for line in response.aiter_lines():
                if line.startswith("event: "):
                    event = line[7:]
                elif line.startswith("data: "):
                    data = line[6:]
                elif line == "" and data:
                    await into.put((event, json.loads(data)))
                    event, data = "message", ""
    except httpx.ReadError:
        await into.put(("broken", None))
        return
    await into.put(("closed", None))


async def next_event(queue: asyncio.Queue, kind: str, until=lambda data: True) -> dict:  # noqa: ANN001
    while True:
        event, data = await asyncio.wait_for(queue.get(), timeout=10)
        if event == kind and until(data):
            return data


async def test_the_page_its_headers_and_what_it_loads(served: tuple[Harness, str]) -> None:
    harness, base = served
    group, people, _ = await voting_group(harness, members=3, themes=4)
    await harness.say(people[0], group, "/sessie")
    _, token = await ask_link(harness, group, people[0])
    async with httpx.AsyncClient(base_url=base, timeout=10) as client:
        page = await client.get(f"/scherm/{token}")
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
        csp = page.headers["content-security-policy"]
        assert "default-src 'none'" in csp and "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert page.headers["referrer-policy"] == "no-referrer" and page.headers["cache-control"] == "no-store"
        html = page.text
        assert '<html lang="nl">' in html and '<h1 id="heading">Synthese</h1>' in html and "Waar staan we?" in html
        # Its own script and style only: nothing inline, nothing from elsewhere.
        assert re.findall(r"<script[^>]*>", html) == ['<script src="/scherm/static/screen.js" defer>']
        assert "<style" not in html and " style=" not in html and not re.search(r"<[^>]+\son[a-z]+=", html)
        assert not re.search(r"""(src|href)=["'](https?:)?//""", html)
        for name, kind in (("screen.js", "text/javascript"), ("screen.css", "text/css")):
            asset = await client.get(f"/scherm/static/{name}")
            assert asset.status_code == 200 and asset.headers["content-type"].startswith(kind)
            assert "http://" not in asset.text and "https://" not in asset.text
        state = (await client.get(f"/scherm/{token}/stand")).json()
        assert (state["status"], state["shown"], state["heading"], state["ended"]) == ("ok", "synthesis", "Synthese", False)
        assert [s["key"] for s in state["scenes"]] == ["synthesis"]
    assert not harness.errors


async def test_the_count_rises_live_and_stop_ends_the_stream(served: tuple[Harness, str]) -> None:
    harness, base = served
    group, people, theme_ids = await voting_group(harness, members=3, themes=4)
    anne = people[0]
    _, token = await ask_link(harness, group, anne)
    await harness.say(anne, group, "/stemronde")
    queue: asyncio.Queue = asyncio.Queue()
    async with httpx.AsyncClient(base_url=base, timeout=None) as client:
        reader = asyncio.create_task(events(client, f"/scherm/{token}/live", queue))
        assert await next_event(queue, "status") == 200
        first = await next_event(queue, "state")
        assert first["heading"] == "Stemronde 1" and "0 van 3 leden hebben gestemd" in text_of(first["html"])
        for count, (person, scores) in enumerate(zip(people, SCORES, strict=True), start=1):
            await cast(harness, person, dict(zip(theme_ids, scores, strict=True)))
            state = await next_event(queue, "state", lambda data, c=count: f"{c} van 3 leden hebben gestemd" in text_of(data["html"]))
            assert state["live"] == f"🗳 Stemronde 1: {count} van 3 leden hebben gestemd."
        await harness.say(anne, group, "/sluitronde")
        results = await next_event(queue, "state", lambda data: data["shown"] == "results")
        assert results["heading"] == "Uitslag stemronde 1" and f"/scherm/{token}/grafiek/1.png" in results["html"]
        chart = await client.get(f"/scherm/{token}/grafiek/1.png")
        assert chart.status_code == 200 and chart.headers["content-type"] == "image/png"
        assert chart.content.startswith(b"\x89PNG")
        assert (await client.get(f"/scherm/{token}/grafiek/2.png")).status_code == 404
        await harness.say(anne, group, "/scherm stop")
        ended = await next_event(queue, "ended")
        assert (ended["status"], ended["heading"], ended["ended"]) == ("stopped", "Het scherm is gestopt", True)
        assert "Thema" not in ended["html"]
        await next_event(queue, "closed")
        await reader
        assert (await client.get(f"/scherm/{token}/live")).status_code == 410
        assert (await client.get(f"/scherm/{token}/grafiek/1.png")).status_code == 410
    assert not harness.errors


async def test_an_altered_or_made_up_link_opens_nothing(served: tuple[Harness, str]) -> None:
    harness, base = served
    group, people, _ = await voting_group(harness, members=3, themes=4)
    await harness.say(people[0], group, "/sessie")
    _, token = await ask_link(harness, group, people[0])
    link_id, secret, signature = token.split(".")
    wrong = [
        f"{link_id}.{secret}.{signature[:-1]}{'A' if signature[-1] != 'A' else 'B'}",
        f"{int(link_id) + 1}.{secret}.{signature}",
        f"{link_id}.{secret[::-1]}.{signature}",
        "1", "", "../../healthz", "%3Cscript%3E",
    ]
    async with httpx.AsyncClient(base_url=base, timeout=10) as client:
        for bad in wrong:
            for path in ("", "/stand", "/live", "/grafiek/1.png"):
                response = await client.get(f"/scherm/{bad}{path}")
                assert response.status_code == 404, (bad, path, response.status_code)
                assert "Waar staan we" not in response.text and "Thema" not in response.text
        page = await client.get(f"/scherm/{wrong[0]}")
        assert '<h1 id="heading">Deze link werkt niet</h1>' in page.text
        assert (await client.get("/scherm/static/other.js")).status_code == 404
        assert (await client.get(f"/scherm/{token}")).status_code == 200
    assert not harness.errors


async def test_the_database_keeps_no_working_link(served: tuple[Harness, str]) -> None:
    """Someone who reads the database cannot open the screen: only a hash of the secret is there."""
    harness, _ = served
    group, people, _ = await voting_group(harness, members=2, themes=4)
    _, token = await ask_link(harness, group, people[0])
    link_id, secret, signature = token.split(".")
    rows = await harness.db.run(lambda s: [(r.id, r.secret_hash) for r in s.query(ScreenLink)])
    assert len(rows) == 1 and rows[0][0] == int(link_id)
    assert secret not in rows[0][1] and signature not in rows[0][1]
    # A token built from what the database holds is refused.
    assert (await hub_of(harness).state(f"{link_id}.{rows[0][1][:22]}.{signature}", None)).status == "unknown"
