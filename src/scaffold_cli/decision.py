"""The decision engine: which framework fits, and why.

A pure function from the decision answers to a Decision (framework, scores, reasons). The
rules are data, kept once in copier.yml (`decision_rules`); copier.yml's `decision` value
applies the same rules in Jinja for plain Copier users, and tests/test_decision.py checks
the two agree on every combination of answers.

How the rules combine:
- every rule whose answer matches adds its points to the Django and FastAPI scores;
- Hybrid wins when both scores reach the hybrid threshold (strong evidence on both sides);
- otherwise the higher score wins, and a tie goes to Django (one application is simpler to run).

This is monotone: an answer that adds Django points (or removes FastAPI points) can never
move a `django` result elsewhere, and likewise for FastAPI.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any, Literal

Framework = Literal["django", "fastapi", "hybrid"]


@dataclass(frozen=True)
class Rule:
    """When `question` is answered `answer`, add these points, for this reason."""

    question: str
    answer: Any
    django: int
    fastapi: int
    reason: str


@dataclass(frozen=True)
class Rules:
    """The decision table."""

    hybrid_threshold: int
    rules: tuple[Rule, ...]

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Rules:
        return cls(
            hybrid_threshold=int(data["hybrid_threshold"]),
            rules=tuple(Rule(**rule) for rule in data["rules"]),
        )

    def points(self, question: str, answer: Any) -> tuple[int, int]:
        """The (Django, FastAPI) points one answer adds."""
        matching = [r for r in self.rules if r.question == question and r.answer == answer]
        return sum(r.django for r in matching), sum(r.fastapi for r in matching)


@dataclass(frozen=True)
class Decision:
    """The recommendation, its scores, and the rules that produced them."""

    framework: Framework
    scores: Mapping[str, int]
    reasons: tuple[Rule, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "framework": self.framework,
            "scores": dict(self.scores),
            "reasons": [asdict(rule) for rule in self.reasons],
        }


def recommend(answers: Mapping[str, Any], rules: Rules) -> Decision:
    """Score the answers and pick the framework."""
    reasons = tuple(rule for rule in rules.rules if answers.get(rule.question) == rule.answer)
    django = sum(rule.django for rule in reasons)
    fastapi = sum(rule.fastapi for rule in reasons)
    framework: Framework
    if django >= rules.hybrid_threshold and fastapi >= rules.hybrid_threshold:
        framework = "hybrid"
    elif django >= fastapi:
        framework = "django"
    else:
        framework = "fastapi"
    return Decision(framework, {"django": django, "fastapi": fastapi}, reasons)
