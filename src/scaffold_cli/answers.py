"""Answers given on the command line (`--data KEY=VALUE`)."""

from __future__ import annotations

from collections.abc import Iterable

from scaffold_cli.errors import UsageError


def parse_pairs(pairs: Iterable[str]) -> dict[str, str]:
    """Split `KEY=VALUE` strings; a later pair for the same key wins."""
    data = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"--data expects KEY=VALUE, got {pair!r}")
        data[key.strip()] = value
    return data
