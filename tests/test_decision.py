"""The decision engine: the properties DESIGN.md promises, checked over the whole answer space."""

from __future__ import annotations

import json
from typing import Any

import pytest

from scaffold_cli import questionnaire
from scaffold_cli.decision import Rules, recommend
from tests.conftest import answer_space

DJANGO_LEANING = {
    "needs_admin": True,
    "renders_html": True,
    "relational_data": True,
    "api_first": False,
    "io_fanout": False,
    "realtime": False,
    "ml_serving": False,
    "independent_services": False,
    "teams": "many",
    "ops_tolerance": "one_app",
    "bottleneck": "database",
    "priority": "mvp_speed",
    "team_knows": "django",
}
FASTAPI_LEANING = {
    "needs_admin": False,
    "renders_html": False,
    "relational_data": False,
    "api_first": True,
    "io_fanout": True,
    "realtime": True,
    "ml_serving": True,
    "independent_services": True,
    "teams": "one",
    "ops_tolerance": "many_services",
    "bottleneck": "io",
    "priority": "platform_stability",
    "team_knows": "fastapi",
}


def defaults(form: questionnaire.Questionnaire) -> dict[str, Any]:
    return {key: form[key].default for key in form.decision_keys}


def test_the_defaults_recommend_django(form, rules: Rules) -> None:
    assert recommend(defaults(form), rules).framework == "django"


def test_all_django_leaning_answers_give_django(rules: Rules) -> None:
    decision = recommend(DJANGO_LEANING, rules)
    assert decision.framework == "django"
    assert decision.scores["django"] > decision.scores["fastapi"]


def test_all_fastapi_leaning_answers_give_fastapi(rules: Rules) -> None:
    decision = recommend(FASTAPI_LEANING, rules)
    assert decision.framework == "fastapi"
    assert decision.scores["django"] == 0


@pytest.mark.parametrize(
    "strong",
    [
        {"needs_admin": True, "renders_html": True, "io_fanout": True},
        {"needs_admin": True, "renders_html": True, "ml_serving": True},
        {"needs_admin": True, "ml_serving": True},
        {"relational_data": True, "io_fanout": True, "realtime": True},
    ],
    ids=lambda answers: "+".join(answers),
)
def test_strong_evidence_on_both_sides_gives_hybrid(form, rules: Rules, strong) -> None:
    assert recommend({**defaults(form), **strong}, rules).framework == "hybrid"


@pytest.mark.parametrize(
    "key", ["api_first", "io_fanout", "realtime", "ml_serving", "independent_services"]
)
def test_one_fastapi_need_alone_gives_fastapi(form, rules: Rules, key: str) -> None:
    assert recommend({**defaults(form), key: True}, rules).framework == "fastapi"


def test_team_knowledge_alone_only_settles_a_tie(form, rules: Rules) -> None:
    tied = {**defaults(form), "api_first": True, "ops_tolerance": "many_services"}
    assert recommend(tied, rules).scores["fastapi"] > recommend(tied, rules).scores["django"]
    # A real lean of one point or more outweighs the nudge, which is worth a single point.
    nudges = [rule for rule in rules.rules if rule.question == "team_knows"]
    others = [rule for rule in rules.rules if rule.question != "team_knows"]
    assert max(r.django + r.fastapi for r in nudges) < min(r.django + r.fastapi for r in others)


def test_every_reason_names_the_answer_that_produced_it(rules: Rules) -> None:
    for answers in (DJANGO_LEANING, FASTAPI_LEANING):
        decision = recommend(answers, rules)
        assert decision.reasons
        for reason in decision.reasons:
            assert answers[reason.question] == reason.answer
            assert reason.reason.endswith(".")
            assert reason.django + reason.fastapi > 0


def test_the_scores_are_the_sum_of_the_reasons(rules: Rules) -> None:
    decision = recommend(DJANGO_LEANING, rules)
    assert decision.scores == {
        "django": sum(r.django for r in decision.reasons),
        "fastapi": sum(r.fastapi for r in decision.reasons),
    }


def test_every_decision_answer_is_covered_by_the_rules(form, rules: Rules) -> None:
    """Each choice of each decision question either has a rule or is deliberately neutral."""
    neutral = {
        ("teams", "one"),
        ("teams", "few"),
        ("bottleneck", "unknown"),
        ("team_knows", "both"),
        ("team_knows", "neither"),
    }
    for key in form.decision_keys:
        question = form[key]
        values = (True,) if question.type == "bool" else question.choice_values
        for value in values:
            has_rule = rules.points(key, value) != (0, 0)
            assert has_rule != ((key, value) in neutral), (key, value)


def _towards(rules: Rules, question: str, old: Any, new: Any, side: str) -> bool:
    """Whether changing one answer from old to new leans strictly more towards `side`."""
    old_d, old_f = rules.points(question, old)
    new_d, new_f = rules.points(question, new)
    if side == "django":
        return new_d >= old_d and new_f <= old_f and (new_d, new_f) != (old_d, old_f)
    return new_f >= old_f and new_d <= old_d and (new_d, new_f) != (old_d, old_f)


def test_monotone_over_the_whole_answer_space(form, rules: Rules) -> None:
    """Flipping any one answer towards a framework never moves the result away from it."""
    keys = form.decision_keys
    results = {tuple(a.values()): recommend(a, rules).framework for a in answer_space(form)}
    assert len(results) == 2**8 * 3 * 2 * 3 * 2 * 4
    options = {key: sorted({combo[i] for combo in results}, key=str) for i, key in enumerate(keys)}
    checked = 0
    for combo, framework in results.items():
        if framework == "hybrid":
            continue
        for index, key in enumerate(keys):
            for value in options[key]:
                if _towards(rules, key, combo[index], value, framework):
                    moved = (*combo[:index], value, *combo[index + 1 :])
                    where = (dict(zip(keys, combo, strict=True)), key, value)
                    assert results[moved] == framework, where
                    checked += 1
    assert checked > 10_000


def test_copier_jinja_decision_agrees_with_the_engine_everywhere(form, rules: Rules) -> None:
    """copier.yml's computed `decision` (what plain Copier uses) == decision.py, exhaustively."""
    template = questionnaire.jinja_env().from_string(form["decision"].default)
    framework_default = questionnaire.jinja_env().from_string(form["framework"].default)
    table = form.decision_rules
    count = 0
    for answers in answer_space(form):
        rendered = json.loads(
            template.render(decision_rules=table, _copier_answers=answers, **answers)
        )
        expected = recommend(answers, rules).as_dict()
        assert rendered == expected, answers
        assert framework_default.render(decision=rendered) == expected["framework"]
        count += 1
    assert count == 36_864
