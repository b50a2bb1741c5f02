"""``python -m copydesk`` runs the command line."""

from copydesk.cli import console

console()
