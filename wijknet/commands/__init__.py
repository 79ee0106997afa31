"""Subcommands of the ``wijknet`` command, one module each."""
