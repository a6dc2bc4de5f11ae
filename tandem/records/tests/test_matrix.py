"""The authorization matrix over the records app's pages: every persona against own,
other-family and other-clinic children (rules in tests/matrix.py)."""

from tandem.core.testing.matrix import walks

globals().update(walks("records"))
