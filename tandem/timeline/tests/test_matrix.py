"""The authorization matrix over the timeline's page: every persona against own,
other-family and other-clinic children (tandem/core/testing/matrix)."""

from tandem.core.testing.matrix import walks

globals().update(walks("timeline"))
