"""``python -m grantdocs`` runs the command line."""

from grantdocs.cli import main

main()
