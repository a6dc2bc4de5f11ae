"""The child's record over the API: what is shown, what may be sent to create or change it."""

import datetime
import re
import uuid
from typing import Any

from ninja import Field, Schema
from pydantic import field_validator, model_validator

from tandem.api.schemas import InputSchema
from tandem.children.models import Child, Sex
from tandem.core import clock

ICD10_FORMAT = re.compile(r"^[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$")
OLDEST_AGE_DAYS = 22 * 365  # Tandem is for children and young people up to 21.


# --- Output --------------------------------------------------------------------


class DiagnosisOut(Schema):
    code: str
    label: str


class AgeOut(Schema):
    years: int
    months: int


class ChildOut(Schema):
    id: uuid.UUID
    first_name: str
    last_name: str
    preferred_name: str
    display_name: str
    date_of_birth: datetime.date
    age: AgeOut
    sex: Sex
    gestational_age_weeks: int | None
    preferred_languages: str
    strengths: str
    interests: str
    challenges: str
    sensory_notes: str
    family_context: str
    school: str
    ifsp_date: datetime.date | None
    iep_date: datetime.date | None
    iep_review_date: datetime.date | None
    has_photo: bool
    diagnoses: list[DiagnosisOut]
    version: int = Field(description="Send it back with a change; a stale one gets a 409")
    can_edit: bool = Field(description="Whether the caller may change this record")
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_age(child: Child) -> dict[str, int]:
        years, months = child.age_years_months
        return {"years": years, "months": months}

    @staticmethod
    def resolve_has_photo(child: Child) -> bool:
        return bool(child.photo)

    @staticmethod
    def resolve_diagnoses(child: Child) -> list[Any]:
        return list(child.diagnoses.all())  # prefetched through the access layer


# --- Input ---------------------------------------------------------------------


def official_label(code: str) -> str | None:
    """The label of a code in Tandem's ICD-10-CM list; "" if that list is not installed."""
    try:
        from tandem.children.icd10 import label_for
    except ImportError:
        return ""
    return label_for(code) or None


class DiagnosisIn(InputSchema):
    code: str = Field(max_length=10, examples=["F84.0"])
    label: str = Field(
        "",
        max_length=200,
        description="Only used for a code missing from Tandem's list; known codes "
        "take their official description",
    )

    @model_validator(mode="after")
    def known_code(self) -> "DiagnosisIn":
        self.code = self.code.upper()
        if not ICD10_FORMAT.match(self.code):
            raise ValueError(f"{self.code} is not an ICD-10-CM code (for example F84.0).")
        label = official_label(self.code)
        if label is None:
            raise ValueError(f"{self.code} is not in Tandem's ICD-10-CM list.")
        self.label = label or self.label or self.code
        return self


def check_date_of_birth(born: datetime.date | None) -> datetime.date | None:
    if born is None:
        return born
    today = clock.today()
    if born > today:
        raise ValueError("The date of birth cannot be in the future.")
    if (today - born).days > OLDEST_AGE_DAYS:
        raise ValueError("Tandem is for children and young people up to 21.")
    return born


def check_diagnoses(diagnoses: list[DiagnosisIn] | None) -> list[DiagnosisIn] | None:
    codes = [d.code for d in diagnoses or []]
    if len(codes) != len(set(codes)):
        raise ValueError("Give each diagnosis code once.")
    return diagnoses


def diagnosis_pairs(diagnoses: list[dict[str, str]]) -> list[tuple[str, str]]:
    """The (code, label) pairs ``children.actions`` expects."""
    return [(d["code"], d["label"]) for d in diagnoses]


class ChildIn(InputSchema):
    first_name: str = Field(min_length=1, max_length=100)
    last_name: str = Field(min_length=1, max_length=100)
    preferred_name: str = Field("", max_length=100)
    date_of_birth: datetime.date
    sex: Sex = Field(description="Chooses the growth reference charts")
    gestational_age_weeks: int | None = Field(None, ge=22, le=44)
    preferred_languages: str = Field("English", max_length=200)
    strengths: str = ""
    interests: str = ""
    challenges: str = ""
    sensory_notes: str = ""
    family_context: str = ""
    school: str = Field("", max_length=200)
    ifsp_date: datetime.date | None = None
    iep_date: datetime.date | None = None
    iep_review_date: datetime.date | None = None
    diagnoses: list[DiagnosisIn] = Field(default_factory=list, max_length=50)

    @field_validator("date_of_birth")
    @classmethod
    def born_in_range(cls, born: datetime.date | None) -> datetime.date | None:
        return check_date_of_birth(born)

    @field_validator("diagnoses")
    @classmethod
    def each_code_once(cls, diagnoses: list[DiagnosisIn] | None) -> list[DiagnosisIn] | None:
        return check_diagnoses(diagnoses)


class ChildPatch(InputSchema):
    """Only the fields sent change; ``diagnoses``, when sent, replaces the list."""

    version: int = Field(ge=1, description="The version the change is based on (409 if stale)")
    first_name: str | None = Field(None, min_length=1, max_length=100)
    last_name: str | None = Field(None, min_length=1, max_length=100)
    preferred_name: str | None = Field(None, max_length=100)
    date_of_birth: datetime.date | None = None
    sex: Sex | None = None
    gestational_age_weeks: int | None = Field(None, ge=22, le=44)
    preferred_languages: str | None = Field(None, max_length=200)
    strengths: str | None = None
    interests: str | None = None
    challenges: str | None = None
    sensory_notes: str | None = None
    family_context: str | None = None
    school: str | None = Field(None, max_length=200)
    ifsp_date: datetime.date | None = None
    iep_date: datetime.date | None = None
    iep_review_date: datetime.date | None = None
    diagnoses: list[DiagnosisIn] | None = Field(None, max_length=50)

    @field_validator("date_of_birth")
    @classmethod
    def born_in_range(cls, born: datetime.date | None) -> datetime.date | None:
        return check_date_of_birth(born)

    @field_validator("diagnoses")
    @classmethod
    def each_code_once(cls, diagnoses: list[DiagnosisIn] | None) -> list[DiagnosisIn] | None:
        return check_diagnoses(diagnoses)


class ChildFilters(Schema):
    q: str | None = Field(None, max_length=100, description="Words from the child's names")
