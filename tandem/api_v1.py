"""The JSON API under /api/v1/, with its OpenAPI schema at /api/v1/openapi.json.

Callers sign in with the browser session (CSRF-checked) or, for staff, a personal
API token (``Authorization: Bearer tdm_…``, made at /accounts/tokens/; it expires, and a
read-only one may only GET: see ``auth.py``). Every refusal is a JSON 4xx: see
``errors.py``.
"""

from ninja import NinjaAPI

from tandem.accounts.api import router as me_router
from tandem.api import errors
from tandem.api.auth import signed_in
from tandem.appointments.api import router as appointments_router
from tandem.appointments.api_offers import router as offered_times_router
from tandem.assessments.api import router as assessments_router
from tandem.billing.api import router as billing_router
from tandem.billing.api_claims import router as billing_claims_router
from tandem.billing.api_fees import router as billing_fees_router
from tandem.billing.api_insurance import router as billing_insurance_router
from tandem.breakglass.api import router as emergency_router
from tandem.childmode.api import router as childmode_router
from tandem.children.api import router as children_router
from tandem.children.api_guardians import router as guardians_router
from tandem.children.api_team import router as care_team_router
from tandem.collaborators.api import router as collaborators_router
from tandem.consent.api import router as consent_router
from tandem.groups.api import router as groups_router
from tandem.homeprogram.api import router as homeprogram_router
from tandem.homeprogram.api_observations import router as observations_router
from tandem.homeprogram.api_practice import router as practice_router
from tandem.intake.api import router as intake_router
from tandem.messaging.api import router as messaging_router
from tandem.notes.api import router as notes_router
from tandem.notes.api_abc import router as note_abc_router
from tandem.notes.api_drafting import router as note_drafting_router
from tandem.notes.api_signing import router as note_signing_router
from tandem.notes.api_typed_entry import router as note_typed_entry_router
from tandem.notifications.api import router as notifications_router
from tandem.plans.api import router as plans_router
from tandem.plans.api_goal_bank import router as goal_bank_router
from tandem.plans.api_goals import router as goals_router
from tandem.progress.api import router as progress_router
from tandem.resources.api import router as resources_router
from tandem.schoolplans.api import router as school_plans_router
from tandem.today.api import router as today_router

api = NinjaAPI(
    title="Tandem API",
    version="1",
    description="Pediatric therapy, together: children, their families, care teams and "
    "progress. Sign in with a session or send a staff API token.",
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
    auth=signed_in(),
)
errors.install(api)

api.add_router("/", me_router)
api.add_router("/", children_router)
api.add_router("/", guardians_router)
api.add_router("/", care_team_router)
api.add_router("/", assessments_router)
api.add_router("/", plans_router)
api.add_router("/", school_plans_router)
api.add_router("/", goals_router)
api.add_router("/", goal_bank_router)
api.add_router("/", notes_router)
api.add_router("/", note_signing_router)
api.add_router("/", note_abc_router)
api.add_router("/", note_drafting_router)
api.add_router("/", note_typed_entry_router)
api.add_router("/", progress_router)
api.add_router("/", appointments_router)
api.add_router("/", offered_times_router)
api.add_router("/", homeprogram_router)
api.add_router("/", practice_router)
api.add_router("/", observations_router)
api.add_router("/", messaging_router)
api.add_router("/", notifications_router)
api.add_router("/", consent_router)
api.add_router("/", collaborators_router)
api.add_router("/", childmode_router)
api.add_router("/", resources_router)
api.add_router("/", today_router)
api.add_router("/", intake_router)
api.add_router("/", groups_router)
api.add_router("/", billing_router)
api.add_router("/", billing_insurance_router)
api.add_router("/", billing_fees_router)
api.add_router("/", billing_claims_router)
api.add_router("/", emergency_router)
