"""``make bench``'s FHIR export figures (tandem/bench/bulk.py) on a tiny generated clinic:
the export is made, its figures read, written into docs/performance.md's words and
checked for "memory flat". No time or memory is asserted."""

import subprocess
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from tandem.bench import bulk, run
from tandem.bulkdata.models import BulkExport

from .test_generate_clinic import generate

pytestmark = pytest.mark.django_db


def in_process(args: list[str], env: dict[str, str], **kwargs: Any) -> subprocess.CompletedProcess:
    """run.command's stand-in: ``manage.py bench_bulk_export`` in this process."""
    assert args[1:3] == ["manage.py", "bench_bulk_export"] and kwargs["capture_output"]
    out = StringIO()
    call_command("bench_bulk_export", f"--seed={args[3].split('=')[1]}", stdout=out)
    return subprocess.CompletedProcess(args, 0, stdout=out.getvalue(), stderr="")


def test_a_generated_clinic_is_exported_and_its_figures_reported() -> None:
    generate(children=3, therapists=1, seed=31)
    figures = bulk.export_figures(in_process, run.PY, {}, 31)
    assert figures["children"] == 3
    assert figures["by_type"]["Patient"] == 3 and figures["resources"] > 3
    assert figures["bytes"] > 0 and figures["peak_rss_mb"] >= figures["rss_before_mb"] > 0
    assert not BulkExport.objects.exclude(status=BulkExport.Status.CANCELLED).exists()
    small = figures | {"children": 1, "resources": 1, "peak_rss_mb": figures["peak_rss_mb"] / 2}
    text = " ".join(bulk.described({"large": figures, "small": small}))
    assert "3 children: " in text and " resources/s, peak RSS " in text
    [(name, met, value)] = bulk.checks({"large": figures, "small": small})
    assert name.startswith("FHIR export peak RSS flat") and not met and " MB vs " in value
    [(_name, met, _value)] = bulk.checks({"large": figures, "small": figures})
    assert met


def test_an_export_that_was_not_made_stops_the_bench() -> None:
    def failed(args: list[str], env: dict[str, str], **kwargs: Any) -> Any:
        return subprocess.CompletedProcess(args, 0, stdout='{"result": "failed"}\n', stderr="")

    with pytest.raises(RuntimeError, match="was not made"):
        bulk.export_figures(failed, run.PY, {}, 1)
