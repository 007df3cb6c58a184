"""The decision: the properties DESIGN.md promises, checked over the whole answer space.

There is one engine, copier.yml's computed `decision` (Jinja), and these tests run it
through `decide()`, the same evaluation the command line uses; the last test checks that real
Copier picks the same `framework` default for a sample of answer sets.
"""

from __future__ import annotations

import random
import shutil
import time
import warnings
from functools import cache
from pathlib import Path
from typing import Any

import copier
import pytest
import yaml

from scaffold_cli import questionnaire
from scaffold_cli.decision import Decision, Rules, decide
from tests.conftest import REPO_ROOT, answer_space

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


def test_the_defaults_recommend_django(form) -> None:
    assert decide(defaults(form)).framework == "django"


def test_all_django_leaning_answers_give_django() -> None:
    decision = decide(DJANGO_LEANING)
    assert decision.framework == "django"
    assert decision.scores["django"] > decision.scores["fastapi"]


def test_all_fastapi_leaning_answers_give_fastapi() -> None:
    decision = decide(FASTAPI_LEANING)
    assert decision.framework == "fastapi"
    assert decision.scores["django"] == 0


STRONG_ON_BOTH_SIDES = [
    {"needs_admin": True, "renders_html": True, "io_fanout": True},
    {"needs_admin": True, "renders_html": True, "ml_serving": True},
    {"needs_admin": True, "ml_serving": True},
    {"relational_data": True, "needs_admin": True, "io_fanout": True, "realtime": True},
]


@pytest.mark.parametrize("strong", STRONG_ON_BOTH_SIDES, ids=lambda answers: "+".join(answers))
def test_strong_evidence_on_both_sides_gives_hybrid(form, strong) -> None:
    answers = {**defaults(form), **strong, "ops_tolerance": "many_services"}
    assert decide(answers).framework == "hybrid"


@pytest.mark.parametrize("strong", STRONG_ON_BOTH_SIDES, ids=lambda answers: "+".join(answers))
def test_preferring_one_system_gives_django_and_the_way_to_grow(form, strong) -> None:
    """The articles: prefer one system, start with Django, evolve toward a Hybrid later."""
    decision = decide({**defaults(form), **strong, "ops_tolerance": "one_app"})
    assert decision.framework == "django"
    assert "scaffold update --data framework=hybrid" in decision.advice


# The personas the first run was tried with: what each should be told.
PERSONAS = {
    # A newsroom: editors in a back office, server-rendered pages, AI calls fanning out, one
    # application to run, the database as the bottleneck. One system: Django, with the way to
    # grow into a Hybrid when the AI side grows.
    "newsroom": (
        {**DJANGO_LEANING, "io_fanout": True, "team_knows": "neither"},
        "django",
        True,
    ),
    # The same newsroom with a platform team happy to run services: both sides strong, Hybrid.
    "newsroom-platform": (
        {
            **DJANGO_LEANING,
            "relational_data": False,
            "io_fanout": True,
            "ml_serving": True,
            "ops_tolerance": "many_services",
            "priority": "platform_stability",
            "team_knows": "both",
        },
        "hybrid",
        False,
    ),
    # An AI start-up streaming model output to an app: FastAPI.
    "llm-streaming": (
        {**FASTAPI_LEANING, "independent_services": False, "team_knows": "neither"},
        "fastapi",
        False,
    ),
    # An internal tool: admin and reports, nothing else. Django, no advice.
    "internal-tool": (
        {**DJANGO_LEANING, "renders_html": False, "teams": "one"},
        "django",
        False,
    ),
    # A CRUD product with one async need on the side: Django's lead is lopsided, so Django,
    # with the FastAPI need answered inside it and the way to grow.
    "shop-with-payments": (
        {
            **DJANGO_LEANING,
            "io_fanout": True,
            "teams": "one",
            "ops_tolerance": "many_services",
            "team_knows": "neither",
        },
        "django",
        True,
    ),
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_personas(persona: str) -> None:
    answers, framework, grows = PERSONAS[persona]
    decision = decide(answers)
    assert decision.framework == framework, decision.scores
    assert bool(decision.advice) == grows


@pytest.mark.parametrize(
    "key", ["api_first", "io_fanout", "realtime", "ml_serving", "independent_services"]
)
def test_one_fastapi_need_alone_gives_fastapi(form, key: str) -> None:
    assert decide({**defaults(form), key: True}).framework == "fastapi"


def test_team_knowledge_alone_only_settles_a_tie(form, rules: Rules) -> None:
    tied = {**defaults(form), "api_first": True, "ops_tolerance": "many_services"}
    assert decide(tied).scores["fastapi"] > decide(tied).scores["django"]
    # A real lean of one point or more outweighs the nudge, which is worth a single point.
    nudges = [rule for rule in rules.rules if rule.question == "team_knows"]
    others = [rule for rule in rules.rules if rule.question != "team_knows"]
    assert max(r.django + r.fastapi for r in nudges) < min(r.django + r.fastapi for r in others)


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


@cache
def whole_space() -> dict[tuple[Any, ...], Decision]:
    """copier.yml's decision for every combination of answers (computed once per process)."""
    form = questionnaire.load()
    return {tuple(answers.values()): decide(answers, form) for answers in answer_space(form)}


def test_the_whole_answer_space_is_decided() -> None:
    start = time.perf_counter()
    decisions = whole_space()
    assert len(decisions) == 2**8 * 3 * 2 * 3 * 2 * 4 == 36_864
    # One evaluation costs about 0.2 ms (sandboxed Jinja, as Copier renders it): some seconds
    # in all. Compiling the expression anew for each call would add 4 ms to each, minutes.
    assert time.perf_counter() - start < 60


def test_every_reason_names_the_answer_that_produced_it(form, rules: Rules) -> None:
    """Explainable, everywhere: the reasons are exactly the rules the answers matched."""
    keys = form.decision_keys
    for combo, decision in whole_space().items():
        answers = dict(zip(keys, combo, strict=True))
        matched = tuple(rule for rule in rules.rules if answers[rule.question] == rule.answer)
        assert decision.reasons == matched, answers
        for reason in decision.reasons:
            assert reason.reason.endswith(".")
            assert reason.django + reason.fastapi > 0


def test_the_verdict_follows_the_scores_everywhere(form, rules: Rules) -> None:
    """The scores are the sum of the reasons. Both sides strong (both reach the threshold,
    neither more than the ratio times the other) gives Hybrid, or Django for a team that
    prefers one system; otherwise the higher score, and Django on a tie. The advice to grow
    comes exactly with a Django verdict whose FastAPI score reached the threshold."""
    threshold, ratio = rules.hybrid_threshold, rules.hybrid_max_ratio
    one_system_key, one_system_answer = rules.one_system
    keys = form.decision_keys
    seen = set()
    for combo, decision in whole_space().items():
        answers = dict(zip(keys, combo, strict=True))
        django, fastapi = decision.scores["django"], decision.scores["fastapi"]
        assert django == sum(r.django for r in decision.reasons)
        assert fastapi == sum(r.fastapi for r in decision.reasons)
        both_strong = min(django, fastapi) >= threshold
        both_strong = both_strong and max(django, fastapi) <= ratio * min(django, fastapi)
        one_system = answers[one_system_key] == one_system_answer
        if both_strong:
            assert decision.framework == ("django" if one_system else "hybrid"), answers
        else:
            assert decision.framework == ("django" if django >= fastapi else "fastapi")
        grows = decision.framework == "django" and fastapi >= threshold
        assert bool(decision.advice) == grows, answers
        seen.add(decision.framework)
    assert seen == {"django", "fastapi", "hybrid"}


def test_one_system_or_a_lopsided_score_never_gives_hybrid(form, rules: Rules) -> None:
    one_system_key, one_system_answer = rules.one_system
    keys = form.decision_keys
    hybrids = 0
    for combo, decision in whole_space().items():
        if decision.framework != "hybrid":
            continue
        hybrids += 1
        answers = dict(zip(keys, combo, strict=True))
        low, high = sorted(decision.scores.values())
        assert answers[one_system_key] != one_system_answer, answers
        assert high <= rules.hybrid_max_ratio * low, decision.scores
    assert hybrids > 100


def test_monotone_over_the_whole_answer_space(form, rules: Rules) -> None:
    """Flipping any one answer towards a framework never moves the result away from it."""
    keys = form.decision_keys
    results = {combo: decision.framework for combo, decision in whole_space().items()}
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


@pytest.fixture(scope="module")
def questionnaire_only(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """copier.yml as shipped, with a template of nothing but the answers file.

    The `framework` default Copier records depends on copier.yml alone; rendering only the
    answers file makes a real `copier copy` fast enough to run for many answer sets.
    """
    root = tmp_path_factory.mktemp("questionnaire-only")
    shutil.copy(REPO_ROOT / "copier.yml", root / "copier.yml")
    template = root / "template"
    template.mkdir()
    (template / "{{_copier_conf.answers_file}}.jinja").write_text(
        "{{ _copier_answers | to_nice_yaml -}}\n"
    )
    return root


def test_real_copier_picks_the_framework_the_cli_decides(form, questionnaire_only, tmp_path):
    """`copier copy --defaults` records as `framework` what `scaffold new` shows as decided."""
    space = list(answer_space(form))
    sample = [defaults(form), DJANGO_LEANING, FASTAPI_LEANING, *random.Random(6).sample(space, 33)]
    seen = set()
    for number, answers in enumerate(sample):
        destination = tmp_path / f"demo{number}"
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", copier.errors.CopierWarning)
            copier.run_copy(
                str(questionnaire_only), str(destination), data=answers, defaults=True, quiet=True
            )
        recorded = yaml.safe_load((destination / ".copier-answers.yml").read_text())
        # What `scaffold new` does: collect up to `framework`, then read the computed decision.
        session = questionnaire.collect(
            form, answers, folder_name=destination.name, until="framework"
        )
        decided = Decision.from_session(session)
        assert recorded["framework"] == decided.framework, answers
        assert decided == whole_space()[tuple(answers[key] for key in form.decision_keys)]
        seen.add(decided.framework)
    assert seen == {"django", "fastapi", "hybrid"}
