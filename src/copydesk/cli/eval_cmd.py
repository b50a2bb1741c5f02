"""`copydesk eval`: not written yet; its issue adds it."""

from __future__ import annotations

import argparse


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Adds no command until the feature lands."""
