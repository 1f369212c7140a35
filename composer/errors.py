"""Errors a user can fix. The CLI prints their message on one line and exits 2."""


class ComposerError(Exception):
    """Base for errors caused by input, configuration or a store the user can repair."""
