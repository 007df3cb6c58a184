"""Where the template comes from: the copy shipped with scaffold, and what a project records.

`scaffold new` renders the template shipped inside this package (fast, offline) and records
in the project's .copier-answers.yml the template's public git repository and the release
tag of this package version (`_src_path`, `_commit: v<version>`): the shipped template *is*
that tag, because releases are tagged from the commit the package is built from. So later,
on any machine, both `scaffold update` and plain `copier update` fetch the repository, rebuild
the project as it was at that tag, and merge the newer release into it.

Set SCAFFOLD_TEMPLATE to a git URL or path (a fork, a private mirror, a test repository) to
render from there instead, at its newest release tag; the project then records that source.

The wheel also carries the template's release history (`releases.bundle`, a git bundle of the
tags, made by hatch_build.py): `scaffold update` falls back to it when the recorded repository
cannot be reached or lacks the project's release, and uses it when asked (`--offline`).
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from scaffold_cli import __version__
from scaffold_cli.errors import TemplateError

QUESTIONNAIRE_FILE = "copier.yml"
TEMPLATE_ENV = "SCAFFOLD_TEMPLATE"
# The URL lives in one place: pyproject.toml, [project.urls] "Template".
URL_LABEL = "Template"


def template_root() -> Path:
    """The folder holding copier.yml and template/, shipped with this package.

    An installed wheel carries them as package data (`scaffold_cli/_template`); a source
    checkout (editable install, tests) has them at the top of the repository.
    """
    packaged = Path(__file__).parent / "_template"
    if (packaged / QUESTIONNAIRE_FILE).is_file():
        return packaged
    source_tree = Path(__file__).resolve().parents[2]
    if (source_tree / QUESTIONNAIRE_FILE).is_file():
        return source_tree
    raise TemplateError("scaffold's template is missing from this installation; reinstall it")


@dataclass(frozen=True)
class TemplateSource:
    """Render from `render_from`; record `url` (and `tag`, when it differs from the render)."""

    render_from: str
    url: str
    tag: str | None  # None: whatever tag Copier resolves from `url` itself

    @property
    def bundled(self) -> bool:
        return self.tag is not None


def public_url() -> str:
    """The template repository, from the installed package's metadata (or pyproject.toml)."""
    try:
        urls = metadata.metadata("scaffold-cli").get_all("Project-URL") or []
    except metadata.PackageNotFoundError:  # a source checkout that is not installed
        pyproject = Path(__file__).resolve().parents[2] / "pyproject.toml"
        project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
        urls = [f"{label}, {url}" for label, url in project.get("urls", {}).items()]
    for entry in urls:
        label, _, url = entry.partition(",")
        if label.strip() == URL_LABEL:
            return url.strip()
    raise TemplateError(f'pyproject.toml has no [project.urls] "{URL_LABEL}" entry')


def template_source(bundled_root: Path) -> TemplateSource:
    override = os.environ.get(TEMPLATE_ENV)
    if override:
        return TemplateSource(render_from=override, url=override, tag=None)
    return TemplateSource(render_from=str(bundled_root), url=public_url(), tag=f"v{__version__}")


# The template's tagged releases as a git bundle, put in the wheel by hatch_build.py.
BUNDLE_NAME = "releases.bundle"


def release_bundle() -> Path | None:
    """The release history shipped with this installation, or None (a build without tags)."""
    try:
        bundle = template_root() / BUNDLE_NAME
    except TemplateError:
        return None
    return bundle if bundle.is_file() else None
