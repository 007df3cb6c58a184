"""Build hook: ship the template's release history (a git bundle) inside the package.

`scaffold update` needs the release a project was made from and the newer one, as git
history, because Copier rebuilds the old release and merges the new one in. The public
repository has them, but it may be unreachable (no network, the repository moved). So the
wheel carries `scaffold_cli/_template/releases.bundle`: the tags `v*` of this repository
(every file they reach, as git objects: a few hundred kilobytes). If the version being built
has no tag yet (a development build), the bundle also names the built commit `v<version>`, so
projects made by this very build can be updated from a later one.

Where it comes from:
- a git checkout: made here, from the tags (a shallow clone or a repository without tags
  gives no bundle, with a warning: the build still succeeds, `scaffold update` then needs
  the public repository);
- an sdist: the sdist carries the bundle made when it was built (`releases.bundle` at its
  top), and the wheel built from it takes that.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

BUNDLE_NAME = "releases.bundle"
WHEEL_PATH = f"scaffold_cli/_template/{BUNDLE_NAME}"


class ReleaseBundleHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        self._scratch: Path | None = None
        shipped = Path(self.root) / BUNDLE_NAME  # an sdist's copy
        bundle = shipped if shipped.is_file() else self._make_bundle()
        if bundle is None:
            return
        target = WHEEL_PATH if self.target_name == "wheel" else BUNDLE_NAME
        build_data["force_include"][str(bundle)] = target

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        if self._scratch is not None:
            shutil.rmtree(self._scratch, ignore_errors=True)

    def _git(self, *args: str, cwd: Path | None = None) -> str | None:
        """git's output, or None when git is missing or fails."""
        try:
            result = subprocess.run(
                ["git", *args],
                cwd=cwd or self.root,
                capture_output=True,
                text=True,
                check=False,
                env={**os.environ, "LC_ALL": "C"},
            )
        except OSError:
            return None
        return result.stdout.strip() if result.returncode == 0 else None

    def _make_bundle(self) -> Path | None:
        root = Path(self.root).resolve()
        top = self._git("rev-parse", "--show-toplevel")
        if top is None or Path(top).resolve() != root:
            return None  # not a git checkout of this project (e.g. an unpacked sdist)
        if self._git("rev-parse", "--is-shallow-repository") == "true":
            self.app.display_warning(
                "shallow git clone: the template's release history is not bundled"
            )
            return None
        tags = (self._git("tag", "--list", "v*") or "").split()
        own_tag = f"v{self.metadata.version}"
        head = self._git("rev-parse", "--verify", "HEAD^{commit}")
        if not tags and head is None:
            self.app.display_warning("no git history: the template's releases are not bundled")
            return None
        self._scratch = Path(tempfile.mkdtemp(prefix="scaffold-bundle-"))
        # A scratch repository borrowing this one's objects: extra names (the build's own
        # tag) go into the bundle without touching this repository's refs.
        scratch = self._scratch / "repo.git"
        common = self._git("rev-parse", "--path-format=absolute", "--git-common-dir")
        objects = Path(common or root / ".git") / "objects"
        if self._git("init", "-q", "--bare", str(scratch)) is None:
            return None
        (scratch / "objects" / "info" / "alternates").write_text(f"{objects}\n")
        for tag in tags:
            commit = self._git("rev-parse", "--verify", f"refs/tags/{tag}^{{commit}}")
            if commit:
                self._git("update-ref", f"refs/tags/{tag}", commit, cwd=scratch)
        if own_tag not in tags and head is not None:
            self._git("update-ref", f"refs/tags/{own_tag}", head, cwd=scratch)
        bundle = self._scratch / BUNDLE_NAME
        if self._git("bundle", "create", "-q", str(bundle), "--tags=v*", cwd=scratch) is None:
            self.app.display_warning("git bundle failed: the template's releases are not bundled")
            return None
        return bundle
