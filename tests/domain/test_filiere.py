"""Filières: a lead partner (chef de file) must be an organisation of kind partner."""

from datetime import date
from uuid import uuid4

import pytest

from domain.decision import Decision
from domain.errors import (
    FiliereClosedError,
    InvalidValueError,
    NotAPartnerError,
    OrganisationArchivedError,
    ProjectGroupError,
)
from domain.filiere import Filiere
from domain.organisation import Organisation, OrganisationKind

BODY = uuid4()


def decided(on: date = date(2009, 3, 1)) -> Decision:
    return Decision(body_id=BODY, decided_on=on, decided_by=("Présidente A",), rationale="test")


def organisation(kind: str, name: str = "Partner A") -> Organisation:
    return Organisation(name=name, kind=kind, effective_on=date(2009, 1, 15))


def launched() -> Filiere:
    filiere = Filiere.launch("Numérique", "filiere", organisation("partner"), decided())
    filiere.collect_events()
    return filiere


def test_launching_with_a_partner_records_launched() -> None:
    lead = organisation("partner")
    filiere = Filiere.launch("Numérique", "filiere", lead, decided(), ("Télémédecine",))
    assert [type(e).__name__ for e in filiere.collect_events()] == ["Launched"]
    assert filiere.lead_partner_id == lead.id
    assert filiere.objectives == ["Télémédecine"]


@pytest.mark.parametrize("kind", [k for k in OrganisationKind if k != OrganisationKind.PARTNER])
def test_a_lead_partner_of_another_kind_is_refused(kind: OrganisationKind) -> None:
    with pytest.raises(NotAPartnerError, match=f"'CARESTREAM' is of kind {kind}; a lead partner"):
        Filiere.launch("Numérique", "filiere", organisation(kind, "CARESTREAM"), decided())


def test_changing_the_lead_to_a_non_partner_is_refused() -> None:
    filiere = launched()
    with pytest.raises(NotAPartnerError, match="'NUMELINK' is of kind company"):
        filiere.change_lead_partner(organisation("company", "NUMELINK"), decided(date(2010, 1, 1)))
    assert filiere.collect_events() == []
    filiere.change_lead_partner(organisation("partner", "Partner B"), decided(date(2010, 1, 1)))
    assert [type(e).__name__ for e in filiere.collect_events()] == ["LeadPartnerChanged"]


def test_an_archived_partner_cannot_lead() -> None:
    partner = organisation("partner")
    partner.archive(date(2009, 2, 1))
    with pytest.raises(OrganisationArchivedError, match="'Partner A' was archived on 2009-02-01"):
        Filiere.launch("Numérique", "filiere", partner, decided())


def test_the_project_group_is_joined_once_and_left_by_members_only() -> None:
    filiere = launched()
    member = organisation("company", "NUMELINK")
    filiere.add_to_project_group(member, date(2011, 1, 1))
    with pytest.raises(ProjectGroupError, match="'NUMELINK' is already in the project group"):
        filiere.add_to_project_group(member, date(2011, 2, 1))
    filiere.remove_from_project_group(member, date(2011, 3, 1))
    with pytest.raises(ProjectGroupError, match="is not in the project group of 'Numérique'"):
        filiere.remove_from_project_group(member, date(2011, 4, 1))
    events = [type(e).__name__ for e in filiere.collect_events()]
    assert events == ["ProjectGroupMemberJoined", "ProjectGroupMemberLeft"]


def test_a_closed_filiere_takes_nothing_new() -> None:
    filiere = launched()
    filiere.close(decided(date(2012, 12, 31)))
    assert [type(e).__name__ for e in filiere.collect_events()] == ["Closed"]
    assert not filiere.is_active
    with pytest.raises(FiliereClosedError, match="closed on 2012-12-31 and takes no new objective"):
        filiere.set_objective("Plus tard", date(2013, 1, 1))
    with pytest.raises(FiliereClosedError, match="takes no new lead partner"):
        filiere.change_lead_partner(organisation("partner", "B"), decided(date(2013, 1, 1)))
    with pytest.raises(FiliereClosedError, match="takes no closing"):
        filiere.close(decided(date(2013, 1, 1)))
    assert filiere.collect_events() == []


def test_a_filiere_is_launched_on_its_decision_day_or_on_a_later_launched_on() -> None:
    lead = organisation("partner")
    on_decision = Filiere.launch("Numérique", "filiere", lead, decided())
    later = Filiere.launch("Bois", "filiere", lead, decided(), launched_on=date(2009, 6, 1))
    assert on_decision.launched_on == date(2009, 3, 1)
    assert later.launched_on == date(2009, 6, 1)
    assert later.collect_events()[0].effective_on == date(2009, 6, 1)


def test_a_filiere_launched_before_its_decision_is_refused() -> None:
    with pytest.raises(
        InvalidValueError, match="launched_on: 2009-02-01 comes before the decision"
    ):
        Filiere.launch(
            "Bois", "filiere", organisation("partner"), decided(), launched_on=date(2009, 2, 1)
        )
