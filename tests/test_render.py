"""render.py's compile cache changes nothing but the time a render takes."""

from __future__ import annotations

import contextlib
import re
from pathlib import Path

import pytest

from scaffold_cli import questionnaire, render
from scaffold_cli.source import template_root, template_source


def files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_a_render_with_the_compile_cache_is_byte_for_byte_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    form = questionnaire.load()
    data = {"project_name": "Same", "framework": "hybrid", "use_celery": True,
            "use_redis": True, "io_fanout": True}  # fmt: skip
    answers = questionnaire.collect(form, data, folder_name="same").answers
    source = template_source(template_root())
    render._copy(tmp_path / "cached", answers, source)
    monkeypatch.setattr(render, "_compiled_once", contextlib.nullcontext)
    render._copy(tmp_path / "plain", answers, source)
    cached, plain = files(tmp_path / "cached"), files(tmp_path / "plain")
    # From a checkout with uncommitted changes, Copier records a fresh commit id each time.
    for rendered in (cached, plain):
        rendered[".copier-answers.yml"] = re.sub(
            rb"_commit: \S+", b"", rendered[".copier-answers.yml"]
        )
    assert len(cached) > 100
    assert cached == plain


def test_the_cache_is_only_in_place_during_a_render() -> None:
    from jinja2 import Environment

    original = Environment.compile
    with render._compiled_once():
        assert Environment.compile is not original
    assert Environment.compile is original
