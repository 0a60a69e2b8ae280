"""`python -m backend.cli`: the `selfservice` command where the console script is not installed."""

from backend.cli import main

main()
