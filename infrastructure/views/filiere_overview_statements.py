"""The statements the FiliereOverview view writes with, built once.

Building a statement and its cache key per event cost SQLAlchemy more than
running it; these take their values through named placeholders.
"""

from sqlalchemy import and_, bindparam, delete, or_, select, update

from domain.candidacy import CandidacyStatus
from infrastructure.views.filiere_overview_tables import (
    calls,
    candidacies,
    funders,
    fundings,
    organisations,
    overview,
    project_group,
    projects,
)

OV, FU = overview.c, funders.c
RENAME = (
    update(organisations)
    .where(organisations.c.organisation_id == bindparam("b_id"))
    .values(name=bindparam("b_name"))
)
BUMP = (
    update(overview)
    .where(OV.filiere_id == bindparam("b_filiere"))
    .values(
        version_position=bindparam("b_position"),
        candidacies_submitted=OV.candidacies_submitted + bindparam("b_submitted"),
        candidacies_selected=OV.candidacies_selected + bindparam("b_selected"),
        candidacies_rejected=OV.candidacies_rejected + bindparam("b_rejected"),
        candidacies_withdrawn=OV.candidacies_withdrawn + bindparam("b_withdrawn"),
        granted=OV.granted + bindparam("b_granted"),
        disbursed=OV.disbursed + bindparam("b_disbursed"),
        lines_without_amount=OV.lines_without_amount + bindparam("b_without"),
    )
)
BUMP_FUNDER = (
    update(funders)
    .where(FU.filiere_id == bindparam("b_filiere"), FU.funder_id == bindparam("b_funder"))
    .values(
        granted=FU.granted + bindparam("b_granted"),
        disbursed=FU.disbursed + bindparam("b_disbursed"),
        lines_without_amount=FU.lines_without_amount + bindparam("b_without"),
    )
)
SET_LEAD_PARTNER = (
    update(overview)
    .where(OV.filiere_id == bindparam("b_filiere"))
    .values(lead_partner_id=bindparam("b_lead_partner"))
)
CLOSE = (
    update(overview)
    .where(OV.filiere_id == bindparam("b_filiere"))
    .values(status="closed", closed_on=bindparam("b_closed_on"))
)
NOTE_DECISION = (
    update(overview)
    .where(
        OV.filiere_id == bindparam("b_filiere"),
        or_(
            OV.last_decision_on.is_(None),
            OV.last_decision_on < bindparam("b_decided_on"),
            and_(
                OV.last_decision_on == bindparam("b_decided_on"),
                OV.last_decision_position < bindparam("b_position"),
            ),
        ),
    )
    .values(
        last_decision_position=bindparam("b_position"),
        last_decision_aggregate_id=bindparam("b_aggregate"),
        last_decision_event=bindparam("b_event"),
        last_decision_on=bindparam("b_decided_on"),
        last_decision_body_id=bindparam("b_body"),
        last_decision_rationale=bindparam("b_rationale"),
    )
)
LEAVE_GROUP = delete(project_group).where(
    project_group.c.filiere_id == bindparam("b_filiere"),
    project_group.c.organisation_id == bindparam("b_organisation"),
)
SET_CALL_STATUS = (
    update(calls).where(calls.c.call_id == bindparam("b_call")).values(status=bindparam("b_status"))
)
FILIERE_OF_CALL = select(calls.c.filiere_id).where(calls.c.call_id == bindparam("b_call"))
THIS_CANDIDACY = and_(
    candidacies.c.call_id == bindparam("b_call"),
    candidacies.c.candidacy_id == bindparam("b_candidacy"),
)
CANDIDACY_STATUS = select(candidacies.c.status).where(THIS_CANDIDACY)
SET_CANDIDACY_STATUS = (
    update(candidacies).where(THIS_CANDIDACY).values(status=bindparam("b_status"))
)
SET_PROJECT_STATUS = (
    update(projects)
    .where(projects.c.project_id == bindparam("b_project"))
    .values(status=bindparam("b_status"))
)
FILIERE_OF_PROJECT = select(projects.c.filiere_id).where(
    projects.c.project_id == bindparam("b_project")
)
FUNDER_LINE = select(FU.funder_id).where(
    FU.filiere_id == bindparam("b_filiere"), FU.funder_id == bindparam("b_funder")
)
FUNDING = select(fundings).where(fundings.c.funding_id == bindparam("b_funding"))
SET_FUNDING_AMOUNT = (
    update(fundings)
    .where(fundings.c.funding_id == bindparam("b_funding"))
    .values(amount=bindparam("b_amount"))
)
CANCEL_FUNDING = (
    update(fundings).where(fundings.c.funding_id == bindparam("b_funding")).values(cancelled=True)
)
# Which count a candidacy's current status adds to.
COUNTED = {
    CandidacyStatus.SELECTED: "b_selected",
    CandidacyStatus.REJECTED: "b_rejected",
    CandidacyStatus.WITHDRAWN: "b_withdrawn",
}
