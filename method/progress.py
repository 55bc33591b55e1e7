"""Where a trajectory stands: the method's eight steps, done or not, from plain facts."""

from __future__ import annotations

from dataclasses import dataclass

# The steps of the method (shared/method/README.md), in order; texts live in the templates.
STEPS = ("themes", "synthesis", "dialogue", "voting", "dream_images", "goals", "report", "evaluation")


@dataclass(frozen=True)
class Facts:
    """What the database knows, counted; later steps add their facts here."""

    themes: int = 0
    meetings: int = 0
    dialogues_ended: int = 0
    chosen_themes: int = 0
    dream_images: int = 0
    goals: int = 0
    decisions: int = 0
    evaluations: int = 0


@dataclass(frozen=True)
class Step:
    key: str
    number: int
    done: bool


def progress(facts: Facts) -> tuple[tuple[Step, ...], Step | None]:
    """Each step with whether it is done, and the first step not done yet (None when all are)."""
    done = {
        "themes": facts.themes > 0,
        "synthesis": facts.meetings > 0,
        "dialogue": facts.dialogues_ended > 0,
        "voting": facts.chosen_themes > 0,
        "dream_images": facts.dream_images > 0,
        "goals": facts.goals > 0,
        "report": facts.decisions > 0,
        "evaluation": facts.evaluations > 0,
    }
    steps = tuple(Step(key, number, done[key]) for number, key in enumerate(STEPS, start=1))
    upcoming = next((step for step in steps if not step.done), None)
    return steps, upcoming
