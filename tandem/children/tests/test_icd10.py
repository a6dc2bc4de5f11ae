"""The shipped ICD-10-CM list (ICD-10-CM FY2025 tabular list, CMS/NCHS)."""

import re

from tandem.children.icd10 import label_for, pediatric_codes

ICD10_CM = re.compile(r"^[A-TV-Z][0-9][0-9AB](\.[0-9A-TV-Z]{1,4})?$")


def test_the_codes_the_issue_names_are_shipped_with_their_official_labels() -> None:
    assert label_for("F84.0") == "Autistic disorder"
    assert label_for("F82") == "Specific developmental disorder of motor function"
    assert label_for("F88") == "Other disorders of psychological development"
    assert label_for("R62.50") == (
        "Unspecified lack of expected normal physiological development in childhood"
    )
    assert {c["code"] for c in pediatric_codes()} >= {"F80.1", "F80.2", "F90.0", "F90.2"}


def test_every_code_is_well_formed_and_listed_once() -> None:
    codes = [c["code"] for c in pediatric_codes()]
    assert len(codes) >= 40
    assert len(codes) == len(set(codes))
    assert all(ICD10_CM.match(code) for code in codes), [c for c in codes if not ICD10_CM.match(c)]
    assert codes == sorted(codes, key=lambda c: (c.partition(".")[0], c.partition(".")[2]))


def test_an_unknown_code_has_no_label_and_lookups_ignore_case_and_spaces() -> None:
    assert label_for("Z99.99") is None
    assert label_for(" f84.0 ") == "Autistic disorder"
