"""The one exception the X12 package raises."""


class X12Error(ValueError):
    """An X12 file could not be built or read; the message says why, in plain words."""
