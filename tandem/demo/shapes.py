"""The shapes of the demo's tables (``demo.data``): people, stories, home life, library.

Each child's ``care`` is their clinical story: the evaluation, the plan's goals and how
each goal's session data run over the weeks (``DemoGoal.course``). ``Home`` is what the
family does between sessions: a home program of one or two activities, linked to goals
by their short names, logged on about ``adherence`` of the planned days over the last
``LOG_WEEKS`` weeks (when ``slipping``, practice falls away over the last weeks), and
perhaps observations, messages, check-ins and a choice-board pick.
"""

from dataclasses import dataclass, field

from tandem.accounts.models import Discipline, Licence, Role
from tandem.children.models import ContactMethod
from tandem.homeprogram.models import Barrier

LOG_WEEKS = 6  # the weeks of home practice the families have logged

# --- People and clinical stories ---------------------------------------------------


@dataclass(frozen=True)
class Person:
    """A member of staff or a collaborator; ``key`` names them in care teams."""

    key: str
    first_name: str
    last_name: str
    email: str
    role: str
    discipline: str = ""
    licence: str = ""
    supervisor: str = ""
    title: str = ""
    phone: str = ""

    def describe(self) -> str:
        """Return what this person does, for the list of demo logins."""
        if self.role == Role.ADMIN:
            return "clinic admin"
        if self.role == Role.COLLABORATOR:
            return f"collaborator: {self.title}"
        if self.role == Role.FRONT_DESK:
            return "front desk: scheduling and intake, no clinical content"
        if self.role == Role.BILLING:
            return "billing: the caseload, profiles and appointments, nothing clinical"
        what = str(Discipline(self.discipline).label)
        if self.licence == Licence.ASSISTANT:
            return f"{what} assistant, {self.title}, supervised by the {self.supervisor.upper()}"
        return what if self.title in what else f"{what}, {self.title}"


@dataclass(frozen=True)
class Carer:
    """A guardian and their tie to every child of the family."""

    first_name: str
    last_name: str
    email: str
    relationship: str
    language: str = "en"
    household: str = ""
    primary: bool = True
    legal_authority: bool = True
    contact: str = ContactMethod.EMAIL
    contact_notes: str = ""
    phone: str = ""


@dataclass(frozen=True)
class Score:
    """A standardized score from the shipped instrument catalogue (by code)."""

    instrument: str
    subtest: str
    standard_score: float
    interpretation: str = ""  # worked out from the score when empty


@dataclass(frozen=True)
class Copm:
    """A COPM activity: importance, then (performance, satisfaction) first and at re-rating."""

    activity: str
    importance: int
    first: tuple[int, int]
    again: tuple[int, int]


@dataclass(frozen=True)
class DemoGoal:
    """A goal and the course of its session data.

    ``bank`` names a goal-bank entry by title (its wording and GAS levels are used);
    without one, or when the bank lacks it, ``statement`` and ``gas`` are used.
    ``start`` and ``end`` are values on the goal's own scale (percent for trials and
    task analyses, a count, seconds, a 1-5 rating, or for GAS-only goals the level).
    """

    short: str
    domain: str
    measurement: str
    start: float
    end: float
    course: str = "improve"
    mastery: float | None = None
    lower_is_better: bool = False
    steps: int = 0  # task analysis: the steps of the task
    unit: str = ""  # counts and durations: what is counted
    bank: str = ""
    statement: str = ""
    baseline: str = ""
    gas: tuple[str, ...] = ()  # -2 .. +2
    strategies: str = ""
    priority: int | None = None
    child_words: str = ""  # set when the child chose the goal
    added_weeks_ago: int = 0  # added at a later review: the plan then awaits signature
    comment: str = ""  # noted on the goal in the last weeks (plateau, regression)


@dataclass(frozen=True)
class Care:
    """A child's clinical story: evaluation, plan and weekly sessions with the lead."""

    weeks: int
    weekday: int  # 0 = Monday
    start: str  # "15:30"
    minutes: int
    location: str
    reason: str
    observations: str
    summary: str
    scores: tuple[Score, ...]
    growth_z: tuple[float, float]  # height, weight
    priorities: str
    goals: tuple[DemoGoal, ...]
    reports: tuple[str, ...]  # what the family tells at the start of sessions
    activities: tuple[str, ...]
    chosen: tuple[str, ...]  # activities the child picks from the choice board
    home_practice: str
    delayed: tuple[str, ...] = ()  # milestone domains answered "not yet"
    late_reports: tuple[str, ...] = ()  # told in the last weeks (a setback at home)
    copm: tuple[Copm, ...] = ()
    assistant_every: int = 0  # every n-th session is the OT assistant's
    teletherapy_every: int = 0
    all_guardians_sign: bool = False
    last_note: str = "signed"  # or "draft", "awaiting_cosign"
    addendum: tuple[int, str] = (0, "")  # (sessions before the latest, text)
    sensory_questionnaire: bool = False


@dataclass(frozen=True)
class Kid:
    """A child's profile; ``plan`` is "ifsp" (under 3), "iep" (school) or ""."""

    first_name: str
    last_name: str
    age_months: int
    sex: str
    diagnoses: tuple[tuple[str, str], ...]
    interests: str
    strengths: str
    challenges: str
    sensory_notes: str
    family_context: str
    school: str
    team: tuple[tuple[str, str], ...]
    preferred_name: str = ""
    languages: str = "English"
    plan: str = ""
    plan_days_ago: int = 120
    gestational_age_weeks: int | None = None
    care: Care | None = None


@dataclass(frozen=True)
class Family:
    carers: tuple[Carer, ...]
    kids: tuple[Kid, ...]


@dataclass(frozen=True)
class Clinic:
    name: str
    timezone: str
    people: tuple[Person, ...]
    families: tuple[Family, ...] = field(default=())


# --- Life between sessions ----------------------------------------------------------


@dataclass(frozen=True)
class Practice:
    """A home activity; ``goals`` are the short names of the goals it works on."""

    title: str
    goals: tuple[str, ...]
    why: str
    steps: tuple[str, ...]
    times_per_week: int
    minutes: int
    materials: str = ""


@dataclass(frozen=True)
class Seen:
    """An observation of a goal's skill; ``by`` is "family" or "teacher"."""

    goal: str
    setting: str
    days_ago: int
    independence: str
    who: str
    note: str = ""
    by: str = "family"


@dataclass(frozen=True)
class Said:
    """A message in the child's conversation: ``by`` is "family", "family2" (the second
    guardian) or a staff key of ``data.people``."""

    by: str
    days_ago: int
    text: str
    clock: str = "19:30"


@dataclass(frozen=True)
class Answer:
    """A check-in answered ``weeks_ago`` weeks and two days ago; wellbeing is 1
    (struggling) to 5 (doing well)."""

    weeks_ago: int
    at_home: str
    hard: str
    would_help: str
    wellbeing: int


@dataclass(frozen=True)
class Home:
    practices: tuple[Practice, ...]
    adherence: float = 0.8
    barriers: tuple[str, ...] = (Barrier.NO_TIME,)
    barrier_words: str = ""  # what "something else" was, when it is a barrier
    slipping: bool = False
    seen: tuple[Seen, ...] = ()
    thread: tuple[Said, ...] = ()
    unread_by_family: bool = False  # the family has not opened the latest message yet
    checkins: tuple[Answer, ...] = ()
    checkin_due: bool = False  # a monthly check-in falls due today
    teacher_consent: bool = False  # the guardian shares a summary with the class teacher
    choice: str = ""  # what the child picked on the choice board yesterday


# --- The resource library and events ----------------------------------------------


@dataclass(frozen=True)
class Share:
    """A resource given to a child's family, perhaps attached to one of their activities."""

    child: str
    activity: str = ""
    note: str = ""
    days_ago: int = LOG_WEEKS * 7  # when it was shared: by default as the program began


@dataclass(frozen=True)
class Library:
    """A resource in the clinic's library; ``pdf`` turns ``body`` into a printable handout."""

    by: str  # a staff key of ``data.people``
    title: str
    kind: str
    summary: str
    domains: tuple[str, ...]
    body: str = ""
    url: str = ""
    min_age_months: int | None = None
    max_age_months: int | None = None
    language: str = "en"
    shares: tuple[Share, ...] = ()


@dataclass(frozen=True)
class Event:
    """A workshop ``days_ahead`` from today; ``guests`` are guardians' emails."""

    by: str
    title: str
    description: str
    days_ahead: int
    clock: str
    minutes: int
    location: str
    capacity: int
    language: str = "en"
    guests: tuple[str, ...] = ()
