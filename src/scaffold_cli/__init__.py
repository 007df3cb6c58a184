"""scaffold: generate a Python backend after deciding between Django, FastAPI or a Hybrid."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("scaffold-cli")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0.0.0"
