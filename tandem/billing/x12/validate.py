"""Check an X12 interchange against its implementation guide with pyx12's validator."""

import io
import json
import logging
import threading
from collections.abc import Iterator
from typing import Any

import pyx12.errors
import pyx12.params
import pyx12.x12file
import pyx12.x12n_document

# pyx12 logs every error with the offending value, which may be a child's name or member id:
# keep those records out of the clinic's logs; validate() returns them to its caller instead.
_LOGGER = logging.getLogger("pyx12")
_LOGGER.propagate = False
# One document at a time, so that the log records collected are this document's.
_LOCK = threading.Lock()


def validate(text: str) -> list[str]:
    """Return pyx12's error messages for an X12 string; an empty list means it is valid."""
    try:
        # x12n_document only logs a file that does not start with an ISA; ask the reader why.
        pyx12.x12file.X12Reader(io.StringIO(text)).close()
    except pyx12.errors.X12Error as error:
        return [f"Not an X12 interchange: {error}"]
    report = io.StringIO()
    collector = _Collector()
    with _LOCK:
        _LOGGER.addHandler(collector)
        try:
            valid = pyx12.x12n_document.x12n_document(
                param=pyx12.params.params(),
                src_file=io.StringIO(text),
                fd_997=None,
                fd_html=None,
                fd_json=report,
            )
        except (pyx12.errors.X12Error, pyx12.errors.EngineError) as error:
            return [f"Not a readable X12 interchange: {error}"]
        except Exception as error:
            # pyx12 trips on some broken envelopes (a GE without its GS, a segment after IEA)
            # with IndexError, AttributeError or TypeError: still an answer, not a crash.
            name = type(error).__name__
            return [f"The interchange's envelope is broken (pyx12 stopped with {name}: {error})."]
        finally:
            _LOGGER.removeHandler(collector)
    found = list(messages(json.loads(report.getvalue() or "{}")))
    # Errors in ISA, GS and ST elements are logged but left out of the JSON report.
    reported = [words for _, words in found]
    logged = [line for line in collector.errors if not any(w in line for w in reported)]
    errors = [message for message, _ in found] + logged
    if not valid and not errors:
        errors = ["pyx12 found the interchange invalid without saying why."]
    return errors


def messages(report: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """Flatten pyx12's JSON error report into (message, pyx12's own words) pairs."""
    for isa in report.get("interchanges", []):
        yield from _own(isa, "Interchange")
        for gs in isa["groups"]:
            yield from _own(gs, "Group")
            for st in gs["transactions"]:
                yield from _own(st, "Transaction")
                for seg in st["segments"]:
                    where = f"Line {seg['cur_line']} {seg['seg_id']}"
                    for error in seg["errors"]:
                        yield _message(where, error)
                    for ele in seg["elements"]:
                        position = f"{seg['seg_id']}{ele['ele_pos']:02d}"
                        for error in ele["errors"]:
                            yield _message(f"Line {seg['cur_line']} {position}", error)


def _own(node: dict[str, Any], label: str) -> Iterator[tuple[str, str]]:
    for error in node["errors"]:
        yield _message(f"{label} (line {node['cur_line']})", error)


def _message(where: str, error: dict[str, Any]) -> tuple[str, str]:
    value = error.get("err_val")
    suffix = f" ({value!r})" if value else ""
    return f"{where}: {error['err_str']}{suffix} [{error['err_cde']}]", error["err_str"]


class _Collector(logging.Handler):
    """Keep the error records pyx12 logs while one document is checked."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.errors: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.errors.append(record.getMessage())
