"""The report's content as neutral blocks, in the order a council reads it.

Sections follow the method: summary, the steering group, candidate themes with their SDGs, the
open dialogue, the voting rounds (figures and chart), chosen and parked themes, dream images,
SMART goals, the council's decision and looking back. A section with nothing yet says so in one
sentence, so an early report still reads as a whole document.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from babel.dates import format_date
from babel.numbers import format_decimal

from bot.render import LOCALES, Texts
from method.themes.catalogues import sdg_name
from method.voting import RULES
from method.voting.alpha import describe_alpha
from method.voting.concordance import describe_agreement
from method.voting.thresholds import floor_percent, floor_to
from storage.records import ReportData, ReportGoal, ReportRound

FOLLOWUP_CHART = -1  # the follow-up chart's key in ``charts`` (rounds have numbers from 1)
MIN_VOTERS_FOR_FIGURES = 3  # as in the group: fewer voters, and figures would reveal a vote
GOAL_PARTS = ("specific", "indicator", "baseline", "target", "owner", "means", "deadline", "milestones")
EVALUATION_QUESTIONS = ("continuity", "view", "maturity")


@dataclass(frozen=True)
class Heading:
    level: int  # 0 title, 1 section, 2 sub-section, 3 item
    text: str


@dataclass(frozen=True)
class Paragraph:
    text: str
    italic: bool = False


@dataclass(frozen=True)
class Bullets:
    items: tuple[tuple[str, tuple[str, ...]], ...]  # (text, sub-items)


@dataclass(frozen=True)
class Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[int, ...] = ()  # columns aligned right


@dataclass(frozen=True)
class Picture:
    png: bytes
    caption: str
    name: str  # a file name for the picture, e.g. stemronde-1.png
    alt: str = ""  # alternative text: what the picture shows, for a screen reader


Block = Heading | Paragraph | Bullets | Table | Picture


class Words:
    """The report's words and formats in one language (labels ``report.*`` in both languages)."""

    def __init__(self, texts: Texts, lang: str) -> None:
        self.texts = texts
        self.lang = texts.lang(lang)
        self.locale = LOCALES[self.lang]

    def __call__(self, key: str, /, **values: object) -> str:
        return self.texts.label(self.lang, f"report.{key}", **values)

    def count(self, key: str, count: int, /, **values: object) -> str:
        """A sentence with a number: the label ``<key>.one`` for exactly one, else ``<key>.other``."""
        return self(f"{key}.{'one' if count == 1 else 'other'}", count=count, **values)

    def optional(self, key: str) -> str | None:
        try:
            return self.texts.label(self.lang, key)
        except KeyError:
            return None

    def date(self, value: object) -> str:
        return format_date(value, "long", locale=self.locale)

    def number(self, value: float | None) -> str:
        return self("doc.missing") if value is None else format_decimal(value, format="#,##0.##", locale=self.locale)

    def pct(self, share: float) -> str:
        """Rounded down, as in the group: 74.6% never reads as 75%."""
        return f"{floor_percent(share)}%"

    def down(self, value: float, decimals: int) -> str:
        """A coefficient rounded down to ``decimals`` places, zeros kept."""
        return format_decimal(floor_to(value, decimals), format="#,##0." + "0" * decimals, locale=self.locale)

    def join(self, names: list[str]) -> str:
        if len(names) <= 1:
            return "".join(names)
        return f"{', '.join(names[:-1])} {self('doc.and')} {names[-1]}"


def outline(data: ReportData, words: Words, charts: Mapping[int, bytes]) -> tuple[Block, ...]:
    """Every section of the report; ``charts`` holds a PNG per round number (missing: no picture)."""
    blocks: list[Block] = []
    organisation = data.organisation or words("doc.no_organisation")
    blocks.append(Heading(0, words("doc.title", organisation=organisation)))
    blocks.append(Paragraph(words("doc.subtitle", date=words.date(data.on)), italic=True))
    for section in (
        _summary,
        _members,
        _themes,
        _dialogue,
        _voting,
        _chosen,
        _parked,
        _dreams,
        _goals,
        _decision,
        _followup,
        _evaluation,
    ):
        blocks.extend(section(data, words, charts))
    return tuple(blocks)


def _summary(data: ReportData, w: Words, charts: Mapping[int, bytes]) -> list[Block]:
    out: list[Block] = [Heading(1, w("doc.summary"))]
    chosen = [theme.name for theme in data.chosen]
    if chosen:
        out.append(Paragraph(w.count("doc.summary_themes", len(chosen), names=w.join(chosen))))
        # Only an approved goal the SMART check no longer flags counts as ready.
        approved = [goal for goal in data.goals if goal.status == "approved"]
        ready = [goal for goal in approved if not goal.flags]
        not_ready = [goal for goal in approved if goal.flags]
        if ready:
            out.append(Paragraph(w.count("doc.summary_goals", len(ready))))
        elif not not_ready:
            out.append(Paragraph(w("doc.summary_no_goals")))
        if not_ready:
            numbers = w.join([str(goal.number) for goal in not_ready])
            out.append(Paragraph(w.count("doc.summary_goals_open", len(not_ready), numbers=numbers)))
        out.append(Paragraph(w.count("doc.summary_ask", len(chosen))))
    else:
        out.append(Paragraph(w("doc.summary_no_themes")))
    if data.decisions:
        last = data.decisions[-1]
        out.append(
            Paragraph(w("doc.summary_decision", date=w.date(last.decided_on), outcome=w(f"outcome.{last.outcome}")))
        )
    return out


def _members(data: ReportData, w: Words, charts: Mapping[int, bytes]) -> list[Block]:
    members = data.members
    out: list[Block] = [Heading(1, w("doc.members"))]
    joined = w.count("doc.count_members", members.joined)
    moderators = w.count("doc.count_moderators", members.moderators)
    out.append(Paragraph(w("doc.members_count", joined=joined, moderators=moderators)))
    if members.left:
        out.append(Paragraph(w.count("doc.members_left", members.left)))
    if members.names is not None:
        out.append(Paragraph(w("doc.members_names")))
        out.append(Bullets(tuple((name, ()) for name in members.names)))
    else:
        out.append(Paragraph(w("doc.members_no_names"), italic=True))
    return out


def _sdgs(numbers: tuple[int, ...], lang: str) -> str:
    return "; ".join(f"{n}. {sdg_name(n, lang)}" for n in numbers)


def _themes(data: ReportData, w: Words, charts: Mapping[int, bytes]) -> list[Block]:
    out: list[Block] = [Heading(1, w("doc.themes"))]
    if not data.themes:
        return out + [Paragraph(w("doc.themes_none"))]
    out.append(Paragraph(w("doc.themes_intro")))
    rows = []
    for theme in data.themes:
        name = theme.name
        if theme.parent_position is not None:
            name = f"{name} ({w('doc.sub_theme', number=theme.parent_position)})"
        rows.append(
            (
                str(theme.position),
                name,
                _sdgs(theme.sdgs, w.lang) or w("doc.missing"),
                w.number(theme.maturity),
                w(f"status.{theme.status}"),
            )
        )
    header = (w("doc.col_number"), w("doc.col_theme"), w("doc.col_sdgs"), w("doc.col_maturity"), w("doc.col_status"))
    out.append(Table(header, tuple(rows), numeric=(0, 3)))
    return out


def _dialogue(data: ReportData, w: Words, charts: Mapping[int, bytes]) -> list[Block]:
    out: list[Block] = [Heading(1, w("doc.dialogue"))]
    sections = [section for digest in data.digests for section in digest.sections]
    if not sections:
        return out + [Paragraph(w("doc.dialogue_none"))]
    out.append(Paragraph(w("doc.dialogue_intro")))
    several = len([digest for digest in data.digests if digest.sections]) > 1
    for number, digest in enumerate((d for d in data.digests if d.sections), start=1):
        if several:  # each dialogue under its own heading, so the same question is not read as one list
            kind = "doc.dialogue_anonymous" if digest.dialogue.anonymous else "doc.dialogue_open"
            out.append(Heading(2, w(kind, number=number, day=w.date(digest.dialogue.started_at))))
        out.extend(_dialogue_sections(digest, w))
    return out


def _dialogue_sections(digest, w: Words) -> list[Block]:  # type: ignore[no-untyped-def]
    out: list[Block] = []
    for section in digest.sections:
        out.append(Heading(3, section.question))
        if section.answers:
            items = tuple(
                (f"{answer.author}: {answer.text}" if answer.author else answer.text, ()) for answer in section.answers
            )
            out.append(Bullets(items))
        else:
            out.append(Paragraph(w("doc.dialogue_no_answers"), italic=True))
    return out


def _round(round_: ReportRound, w: Words, charts: Mapping[int, bytes]) -> list[Block]:
    title = w("doc.tiebreak" if round_.kind == "tiebreak" else "doc.round", number=round_.number)
    out: list[Block] = [Heading(2, title)]
    out.append(Paragraph(w.count("doc.round_turnout", round_.submitted, members=round_.members)))
    if round_.forced:
        out.append(Paragraph(w("doc.round_forced", needed=round_.quorum_needed)))
    if round_.submitted < MIN_VOTERS_FOR_FIGURES:
        return out + [Paragraph(w("doc.round_too_few"), italic=True)]
    header = (
        w("doc.col_rank"),
        w("doc.col_number"),
        w("doc.col_theme"),
        w("doc.col_votes"),
        w("doc.col_mean"),
        w("doc.col_median"),
        w("doc.col_threes"),
        w("doc.col_twos"),
        w("doc.col_ones"),
        w("doc.col_share"),
    )
    rows = tuple(
        (
            str(t.rank),
            str(round_.positions.get(t.theme_id, "")),
            round_.names.get(t.theme_id, ""),
            str(t.votes),
            w.number(t.mean),
            w.number(t.median),
            str(t.threes),
            str(t.twos),
            str(t.ones),
            w.pct(t.share_threes),
        )
        for t in round_.tally.themes  # type: ignore[attr-defined]
    )
    out.append(Table(header, rows, numeric=(0, 1, 3, 4, 5, 6, 7, 8, 9)))
    if round_.number in charts:
        caption = w("doc.chart_caption", number=round_.number)
        top = ", ".join(round_.names.get(t.theme_id, "") for t in round_.tally.themes[:3])  # type: ignore[attr-defined]
        alt = w("doc.chart_alt", number=round_.number, top=top)
        out.append(Picture(charts[round_.number], caption, f"round-{round_.number}.png", alt))
    rule = replace(RULES[round_.rule_key], sought=round_.sought)
    limits = rule.thresholds(round_.submitted)
    if round_.kind == "round" and limits.min_threes is not None:
        key = "doc.round_rule" if limits.max_ones else "doc.round_rule_no_ones"
        out.append(Paragraph(w(key, voters=round_.submitted, threes=limits.min_threes, ones=limits.max_ones)))
    if round_.alpha is not None:
        words = w(f"alpha.{describe_alpha(round_.alpha)}")
        out.append(Paragraph(w("doc.round_agreement", alpha=w.down(round_.alpha, 3), words=words)))
    else:
        out.append(Paragraph(w("doc.round_no_agreement")))
    if round_.w is not None:
        agreement = w(f"agreement.{describe_agreement(round_.w)}")
        out.append(Paragraph(w("doc.round_w", w=w.down(round_.w, 2), words=agreement)))
    if round_.reached:
        names = [round_.names.get(theme_id, "") for theme_id in round_.chosen]
        out.append(Paragraph(w("doc.round_reached", names=w.join(names))))
    else:
        out.append(Paragraph(w("doc.round_not_reached")))
    return out


def _voting(data: ReportData, w: Words, charts: Mapping[int, bytes]) -> list[Block]:
    out: list[Block] = [Heading(1, w("doc.voting"))]
    if not data.rounds:
        return out + [Paragraph(w("doc.voting_none"))]
    out.append(Paragraph(w("doc.voting_intro")))
    for round_ in data.rounds:
        out.extend(_round(round_, w, charts))
    return out


def _chosen(data: ReportData, w: Words, charts: Mapping[int, bytes]) -> list[Block]:
    out: list[Block] = [Heading(1, w("doc.chosen"))]
    chosen = data.chosen
    if not chosen:
        return out + [Paragraph(w("doc.chosen_none"))]
    header = (w("doc.col_number"), w("doc.col_theme"), w("doc.col_sdgs"))
    rows = tuple((str(t.position), t.name, _sdgs(t.sdgs, w.lang) or w("doc.missing")) for t in chosen)
    return out + [Table(header, rows, numeric=(0,))]


def _parked(data: ReportData, w: Words, charts: Mapping[int, bytes]) -> list[Block]:
    out: list[Block] = [Heading(1, w("doc.parked"))]
    if not data.parked:
        return out + [Paragraph(w("doc.parked_none"))]
    out.append(Paragraph(w("doc.parked_intro")))
    header = (w("doc.col_number"), w("doc.col_theme"), w("doc.col_last_round"), w("doc.col_mean"), w("doc.col_share"))
    rows = tuple(
        (
            str(t.position),
            t.name,
            str(t.last_round) if t.last_round is not None else w("doc.missing"),
            w.number(t.mean),
            w.pct(t.share_threes) if t.share_threes is not None else w("doc.missing"),
        )
        for t in data.parked
    )
    return out + [Table(header, rows, numeric=(0, 2, 3, 4))]


def _dreams(data: ReportData, w: Words, charts: Mapping[int, bytes]) -> list[Block]:
    out: list[Block] = [Heading(1, w("doc.dreams"))]
    if data.dreams_published is None:
        return out + [Paragraph(w("doc.dreams_none"))]
    if not data.dreams_published:
        return out + [Paragraph(w("doc.dreams_unpublished"))]
    out.append(Paragraph(w("doc.dreams_intro")))
    for theme in data.dreams:
        out.append(Heading(2, theme.name))
        if theme.items:
            out.append(Bullets(tuple((item.text, item.children) for item in theme.items)))
        else:
            out.append(Paragraph(w("doc.dreams_empty_theme"), italic=True))
    return out


def _goal(goal: ReportGoal, w: Words) -> list[Block]:
    out: list[Block] = [Heading(3, w("doc.goal", number=goal.number, theme=goal.theme_name))]
    rows = tuple((w(f"goal.{part}"), getattr(goal, part) or w("doc.missing")) for part in GOAL_PARTS)
    out.append(Table((w("doc.col_part"), w("doc.col_text")), rows))
    if goal.status != "approved":
        out.append(Paragraph(w("doc.goal_proposed"), italic=True))
    elif goal.flags:
        out.append(Paragraph(w("doc.goal_not_ready"), italic=True))
    if goal.flags:
        out.append(Paragraph(w("doc.goal_flags")))
        out.append(Bullets(tuple((w.optional(f"goals.flag.{code}") or code, ()) for code in goal.flags)))
        if goal.kept_as_is:
            out.append(Paragraph(w("doc.goal_kept"), italic=True))
    return out


def _goals(data: ReportData, w: Words, charts: Mapping[int, bytes]) -> list[Block]:
    out: list[Block] = [Heading(1, w("doc.goals"))]
    if not data.goals:
        return out + [Paragraph(w("doc.goals_none"))]
    out.append(Paragraph(w("doc.goals_intro")))
    theme = None
    for goal in data.goals:
        if goal.theme_position != theme:
            theme = goal.theme_position
            out.append(Heading(2, goal.theme_name))
        out.extend(_goal(goal, w))
    return out


def _decision(data: ReportData, w: Words, charts: Mapping[int, bytes]) -> list[Block]:
    out: list[Block] = [Heading(1, w("doc.decision"))]
    if not data.decisions:
        return out + [Paragraph(w("doc.decision_none"))]
    header = (w("doc.col_date"), w("doc.col_decision"), w("doc.col_remarks"))
    rows = tuple(
        (w.date(d.decided_on), w(f"outcome.{d.outcome}"), d.remarks or w("doc.missing")) for d in data.decisions
    )
    return out + [Table(header, rows)]


def _value(w: Words, value: float | None, unit: str | None) -> str:
    if value is None:
        return w("doc.missing")
    return f"{w.number(value)}%" if unit == "%" else f"{w.number(value)} {unit}" if unit else w.number(value)


def _followup(data: ReportData, w: Words, charts: Mapping[int, bytes]) -> list[Block]:
    """After the decision: each followed goal's reports and where it stands; only when reported on."""
    if not data.followup:
        return []
    out: list[Block] = [Heading(1, w("doc.followup")), Paragraph(w("doc.followup_intro"))]
    for goal in data.followup:
        out.append(Heading(2, w("doc.goal", number=goal.number, theme=goal.theme_name)))
        status = w.optional(f"followup.status.{goal.status}") or goal.status
        line = [w("doc.followup_status", status=status)]
        if goal.target_value is not None:
            line.append(w("doc.followup_target", target=_value(w, goal.target_value, goal.unit)))
        if goal.deadline_on is not None:
            line.append(w("doc.followup_deadline", deadline=w.date(goal.deadline_on)))
        out.append(Paragraph(" ".join(line)))
        if goal.owner_name:
            out.append(Paragraph(w("doc.followup_owner", name=goal.owner_name)))
        if goal.reports:
            header = (w("doc.col_date"), w("doc.col_value"), w("doc.col_happened"))
            rows = tuple(
                (
                    w.date(report.reported_at.date()),
                    _value(w, report.value, goal.unit),
                    report.note or (w("doc.followup_same") if not report.changed else w("doc.missing")),
                )
                for report in goal.reports
            )
            out.append(Table(header, rows, numeric=(1,)))
        else:
            out.append(Paragraph(w("doc.followup_no_report"), italic=True))
    if FOLLOWUP_CHART in charts:
        out.append(Picture(charts[FOLLOWUP_CHART], w("doc.followup_chart"), "opvolging.png"))
    return out


def _evaluation(data: ReportData, w: Words, charts: Mapping[int, bytes]) -> list[Block]:
    out: list[Block] = [Heading(1, w("doc.evaluation"))]
    evaluation = data.evaluation
    if evaluation is None:
        return out + [Paragraph(w("doc.evaluation_none"))]
    out.append(Paragraph(w.count("doc.evaluation_intro", evaluation.respondents)))
    for key in EVALUATION_QUESTIONS:
        out.append(Heading(3, w(f"evaluation.{key}")))
        answers = evaluation.answers.get(key, ())
        if answers:
            out.append(Bullets(tuple((text, ()) for text in answers)))
        else:
            out.append(Paragraph(w("doc.evaluation_no_answers"), italic=True))
    return out
