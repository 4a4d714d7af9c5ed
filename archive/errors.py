"""Errors the archive raises for user mistakes (a bad query, filter or file); the CLI prints them in one line."""


class ArchiveUserError(ValueError):
    """A mistake in what the user asked for, phrased as one line naming the flag or file."""
