"""``python -m regiograph`` runs the command line."""

from .cli import main

main()
