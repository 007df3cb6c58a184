"""Allow `python -m scaffold_cli`."""

from scaffold_cli.cli import main

main()
