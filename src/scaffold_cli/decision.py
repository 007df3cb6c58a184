"""The decision: which framework fits, and why.

There is one decision engine, and it lives in copier.yml: the rules are data
(`decision_rules`), and the computed value `decision` applies them in Jinja. Its result is the
default of the `framework` question, so plain `copier copy` recommends with no extension and
no `--trust`. The command line reads the same result: `questionnaire.collect` computes it like
every other computed value, and this module gives it types (`Decision`). `decide()` evaluates
copier.yml's expression for any set of decision answers (tests/test_decision.py runs it over
every combination).

How copier.yml's rules combine:
- every rule whose answer matches adds its points to the Django and FastAPI scores;
- both sides are strong when both scores reach the hybrid threshold and neither is more than
  `hybrid_max_ratio` times the other (a lopsided pair is one framework with a few extra needs);
- strong on both sides gives Hybrid, unless the team prefers one system to run
  (`ops_tolerance = one_app`): then Django, the monolith to grow from;
- otherwise the higher score wins, and a tie goes to Django (one application is simpler to run);
- Django chosen while the FastAPI score reached the threshold carries advice (`advice`): how
  to grow into the Hybrid later.

This is monotone: an answer that adds Django points (or removes FastAPI points) can never
move a `django` result elsewhere, and likewise for FastAPI. (Moving `ops_tolerance` to
`many_services` leans FastAPI and can turn a `django` result into a Hybrid; it never turns a
`fastapi` one into anything else, since a FastAPI result is never one with both sides strong.)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any, Literal

from scaffold_cli import questionnaire
from scaffold_cli.questionnaire import Questionnaire, Session

Framework = Literal["django", "fastapi", "hybrid"]

# copier.yml's keys: the rule table, the computed value that applies it, and the question
# whose default that value is.
RULES_KEY = "decision_rules"
DECISION_KEY = "decision"
FRAMEWORK_KEY = "framework"


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
    """The decision table, as copier.yml writes it (`decision_rules`)."""

    hybrid_threshold: int
    hybrid_max_ratio: int
    one_system: tuple[str, Any]  # (question, answer): the team prefers one application
    grow_into_hybrid: Mapping[str, str]
    rules: tuple[Rule, ...]

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Rules:
        return cls(
            hybrid_threshold=int(data["hybrid_threshold"]),
            hybrid_max_ratio=int(data["hybrid_max_ratio"]),
            one_system=(data["one_system"]["question"], data["one_system"]["answer"]),
            grow_into_hybrid=dict(data["grow_into_hybrid"]),
            rules=tuple(Rule(**rule) for rule in data["rules"]),
        )

    @classmethod
    def from_session(cls, session: Session) -> Rules:
        return cls.from_data(session.computed[RULES_KEY])

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
    advice: str = ""  # how to grow into the Hybrid later, when Django was chosen over it

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Decision:
        """Read copier.yml's computed `decision`: {framework, scores, reasons}."""
        return cls(
            framework=data["framework"],
            scores={
                "django": int(data["scores"]["django"]),
                "fastapi": int(data["scores"]["fastapi"]),
            },
            reasons=tuple(Rule(**rule) for rule in data["reasons"]),
            advice=data.get("advice", ""),
        )

    @classmethod
    def from_session(cls, session: Session) -> Decision:
        """The decision the questionnaire computed from the answers collected so far."""
        return cls.from_data(session.computed[DECISION_KEY])

    def as_dict(self) -> dict[str, Any]:
        return {
            "framework": self.framework,
            "scores": dict(self.scores),
            "reasons": [asdict(rule) for rule in self.reasons],
            "advice": self.advice,
        }


def decide(answers: Mapping[str, Any], form: Questionnaire | None = None) -> Decision:
    """Evaluate copier.yml's `decision` for these decision answers, as Copier would."""
    form = form or questionnaire.load()
    session = Session(
        questionnaire=form,
        folder_name="",
        answers=dict(answers),
        computed={RULES_KEY: form.decision_rules},
    )
    return Decision.from_data(session.default(form[DECISION_KEY]))
