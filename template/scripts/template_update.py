"""Propose the template's newest release as a branch, for a pull (or merge) request.

CI runs this every week (`.github/workflows/template-update.yml`, or the `template-update`
job of `.gitlab-ci.yml`); you can run it too: `uv run --no-project python
scripts/template_update.py --body /tmp/body.md`. In a clean, committed work tree it:

1. asks `scaffold doctor --json` which template release the project is on and which is newest;
   when the project is current it stops: nothing to do;
2. stops too when the branch `template-update/<release>` is already on the remote (the request
   opened for that release is still waiting);
3. otherwise creates that branch, runs `scaffold update --vcs-ref <release>` on it and commits
   the result, conflict markers included: exit code 3 of `scaffold update` means some files
   need merging by hand (or were kept: the release deletes them, the project changed them),
   and the description (`--body`) lists them;
4. writes `branch=`, `title=` and `conflicts=` lines to `--output` (GitHub's `$GITHUB_OUTPUT`,
   or a dotenv file for GitLab), for the CI job that pushes the branch and opens the request.

`SCAFFOLD` names the scaffold command (default `scaffold`; CI uses `uvx --from scaffold-cli
scaffold`, the newest release). Exit codes: 0 (a branch was made, or nothing to do), 1 (a step
failed; its own message says why).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

BRANCH_PREFIX = "template-update/"
# `scaffold update`'s exit code when the update is applied but some files need merging.
EXIT_CONFLICTS = 3
# How `scaffold update` names a file the new release deletes but the project changed: it keeps
# the file (no conflict markers in it) for the team to move its change.
KEPT = re.compile(r"^scaffold: kept (?P<path>.+?): the update deletes it", re.MULTILINE)


class StepFailed(Exception):
    """A command failed; the message names it and carries its own last line."""


def run(command: list[str], *, allowed: tuple[int, ...] = (0,)) -> subprocess.CompletedProcess[str]:
    """Run a command of this job (git, scaffold: no shell, no user input in the arguments)."""
    result = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode not in allowed:
        output = (result.stderr or result.stdout).strip().splitlines()
        detail = output[-1] if output else f"exit status {result.returncode}"
        raise StepFailed(f"{shlex.join(command)} failed: {detail}")
    return result


def doctor(scaffold: list[str]) -> dict[str, Any]:
    report: dict[str, Any] = json.loads(run([*scaffold, "doctor", "--json"]).stdout)
    return report


def description(
    report: dict[str, Any],
    release: str,
    changed: list[str],
    conflicts: list[str],
    kept: list[str],
) -> str:
    """The request's description: what changed, and what is left to merge by hand."""
    old = report["template"]["release"]
    lines = [
        f"Applies the template's release **{release}** to this project (it was on {old}),",
        "with `scaffold update`, which keeps your edits.",
        "",
        f"{len(changed)} file(s) changed.",
        "",
    ]
    if conflicts:
        lines += [
            f"**{len(conflicts)} file(s) have conflicts to resolve**: the template and this",
            "project changed the same lines (look for `<<<<<<< before updating`):",
            "",
            *(f"- `{path}`" for path in conflicts),
            "",
            "Resolve them on this branch, run `uv lock` if `pyproject.toml` was one of them,",
            "and push: the checks stay red until the markers are gone.",
        ]
    if kept:
        lines += [
            *([""] if conflicts else []),
            f"**{len(kept)} file(s) this release deletes were changed here**, so they were kept:",
            "",
            *(f"- `{path}`" for path in kept),
            "",
            "Move your change to where the template now has that code, then delete the file.",
        ]
    if not conflicts and not kept:
        lines.append("No conflicts: review the diff, and merge when the checks pass.")
    return "\n".join(lines) + "\n"


def propose(scaffold: list[str], remote: str, body: Path) -> dict[str, str]:
    """Make the update branch when there is a newer release; {} when there is nothing to do."""
    report = doctor(scaffold)
    template = report["template"]
    if template["update_available"] is None:
        raise StepFailed(f"cannot tell whether a newer release exists: {template['problem']}")
    if report["drift"]["uncommitted"]:
        raise StepFailed("the work tree has uncommitted changes; run this on a clean checkout")
    if not template["update_available"]:
        print(f"The project is on the newest template release ({template['release']}).")
        return {}
    release = template["newest"]
    branch = BRANCH_PREFIX + release
    if run(["git", "ls-remote", "--heads", remote, f"refs/heads/{branch}"]).stdout.strip():
        print(f"{branch} is already on {remote}: its request is still open or unmerged.")
        return {}
    run(["git", "switch", "--quiet", "--create", branch])
    update = run([*scaffold, "update", "--vcs-ref", release], allowed=(0, EXIT_CONFLICTS))
    after = doctor(scaffold)
    changed = list(after["drift"]["uncommitted"])
    conflicts = list(after["drift"]["conflicts"])
    kept = [path for path in KEPT.findall(update.stderr) if path not in conflicts]
    title = f"Update to template release {release}"
    run(["git", "add", "--all"])
    run(["git", "commit", "--quiet", "--no-verify", "--message", title])
    body.write_text(description(report, release, changed, conflicts, kept), encoding="utf-8")
    print(update.stdout.strip())
    return {"branch": branch, "title": title, "conflicts": str(len(conflicts) + len(kept))}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--body", type=Path, required=True, help="write the description here")
    parser.add_argument("--output", type=Path, help="append branch=, title=, conflicts= here")
    parser.add_argument("--remote", default="origin", help="the remote the branch goes to")
    args = parser.parse_args(argv)
    scaffold = shlex.split(os.environ.get("SCAFFOLD", "scaffold"))
    try:
        outputs = propose(scaffold, args.remote, args.body)
    except StepFailed as error:
        print(f"template-update: {error}", file=sys.stderr)
        return 1
    if args.output is not None and outputs:
        with args.output.open("a", encoding="utf-8") as output:
            output.writelines(f"{name}={value}\n" for name, value in outputs.items())
    return 0


if __name__ == "__main__":
    sys.exit(main())
