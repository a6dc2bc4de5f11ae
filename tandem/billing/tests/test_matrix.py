"""The authorization matrix over the billing app's pages and API (tandem/core/testing/matrix)."""

from tandem.core.testing.matrix import walks

globals().update(walks("billing"))
