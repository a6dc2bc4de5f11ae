"""A page's weight without a clock (issue 16, item 5): its bytes and how many template
nodes rendered it. Both grow with the work a page does per row or per reading, and neither
depends on the machine, so tests can hold them to budgets at two data sizes."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from unittest import mock

from django.template.base import Node
from django.test import Client


@dataclass
class Weight:
    bytes: int = 0
    nodes: int = 0  # template nodes rendered, text between tags not counted


@contextmanager
def counting_nodes() -> Iterator[Weight]:
    """Count the template nodes rendered inside the block (tags and variables; the
    literal text between them is not work and is not counted)."""
    weight = Weight()
    render = Node.render_annotated

    def counted(node: Node, context: Any) -> Any:
        weight.nodes += 1
        return render(node, context)

    with mock.patch.object(Node, "render_annotated", counted):
        yield weight


def page_weight(client: Client, url: str) -> Weight:
    """The bytes (uncompressed) and template nodes of one GET of ``url``."""
    with counting_nodes() as weight:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    weight.bytes = len(response.content)
    return weight
