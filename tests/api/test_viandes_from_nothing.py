"""A client that knows only the API contract (docs/api.md) records the Viandes call; each wrong
move leaves no trace."""

from datetime import date
from uuid import uuid4

from tests.api.viandes_steps import (
    ASSOCIATION,
    BUREAU_VOTERS,
    CALL_CLOSES,
    CALL_TITLE,
    DIRECTOR,
    DISBURSED,
    FILIERE_LAUNCHED,
    GRANT,
    GRANT_DECIDED,
    PARTNERS,
    PAYMENTS,
    REGION,
    REGION_BODY,
    REGION_INVITEE,
    REGION_VOTER,
    SELECTION,
    Story,
    approval,
    approve,
    call_launch,
    candidacy,
    constitute_bureau_and_directoire,
    constitute_region_body,
    decision_path,
    disbursement,
    filiere_launch,
    grant,
    launch_filiere,
    proposal,
    propose,
    register_organisations,
    selection,
    submit_candidacy,
)


def test_the_viandes_call_is_recorded_from_nothing_and_every_wrong_move_leaves_no_trace(
    client, services, tokens
):
    story = Story(client, services, tokens)
    association = {"name": ASSOCIATION, "kind": "association"}

    # --- Who is who: organisations and bodies -------------------------------------------------
    # No token, then a reader's token, then an unknown kind: nothing is registered.
    story.refused(401, "/organisations", association, "token", headers={})
    story.refused(403, "/organisations", association, "reader", headers=story.reader)
    story.refused(422, "/organisations", {"name": ASSOCIATION, "kind": "ministry"}, "kind")
    register_organisations(story)
    constitute_bureau_and_directoire(story)
    story.refused(422, "/bodies", {"name": REGION_BODY, "kind": "external"}, "organisation")
    constitute_region_body(story)

    # --- The filière and its chef de file -----------------------------------------------------
    # A company as chef de file; the Region's permanent invitee deciding; the directoire deciding.
    launch = story.by_bureau(FILIERE_LAUNCHED, "Lancement de la filière Viandes.")
    company_as_lead = filiere_launch(story, "candidate_1", launch)
    story.refused(409, "/filieres", company_as_lead, "partner")
    invitee = story.by_bureau(FILIERE_LAUNCHED, "Lancement.", by=[REGION_INVITEE])
    story.refused(409, "/filieres", filiere_launch(story, "pays", invitee), "invitee", "voting")
    directoire = story.by_bureau(FILIERE_LAUNCHED, "Lancement.", by=[DIRECTOR], body="directoire")
    story.refused(409, "/filieres", filiere_launch(story, "pays", directoire), "does not decide")
    filiere_version = launch_filiere(story)["version"]
    overview_path = f"/filieres/{story.ids['filiere']}"

    # --- The call for projects ----------------------------------------------------------------
    story.refused(404, "/calls", {**call_launch(story), "filiere_id": str(uuid4())}, "filiere")
    story.ids["call"] = story.command("/calls", call_launch(story))["id"]
    call_path = f"/calls/{story.ids['call']}"
    candidacies_path = f"{call_path}/candidacies"
    both = [call_path, overview_path]

    # --- Seven candidacies, end 2011 ----------------------------------------------------------
    # An unknown call; after closes_on; a requested amount with three decimal places.
    unknown_call = f"/calls/{uuid4()}/candidacies"
    story.refused(404, unknown_call, candidacy(story, 1, date(2011, 12, 1)), "no call")
    late = candidacy(story, 1, date(2011, 12, 20))
    story.refused(409, candidacies_path, late, "2011-12-16", "2011-12-20", reads=both)
    three_places = candidacy(story, 1, date(2011, 12, 1), requested_amount="1500.005")
    problem = story.refused(422, candidacies_path, three_places, "requested_amount", reads=both)
    assert [error["loc"] for error in problem["errors"]] == [["body", "requested_amount"]]
    for number in range(1, 8):
        submit_candidacy(story, number)
    # A selection while submissions are open; after the closing, a candidacy to a closed call.
    early = selection(story, "selected")
    story.refused(
        409, decision_path(story, 1), early, "before its submissions are closed", reads=both
    )
    story.command(f"{call_path}/close", {"closed_on": CALL_CLOSES.isoformat()}, status=200)
    story.refused(
        409, candidacies_path, candidacy(story, 1, date(2011, 12, 10)), "closed", reads=both
    )

    # --- The bureau selects four and rejects three --------------------------------------------
    # Decided by the invitee, then by the directoire: refused, and candidacy 1 stays undecided.
    by_invitee = selection(story, "selected", decided_by=[REGION_INVITEE])
    story.refused(409, decision_path(story, 1), by_invitee, "invitee", reads=both)
    by_directoire = selection(story, "selected", body_id=story.ids["directoire"])
    story.refused(409, decision_path(story, 1), by_directoire, "does not decide", reads=both)
    for number in range(1, 5):
        story.command(decision_path(story, number), selection(story, "selected"), status=200)
    # Candidacy 1 decided twice; a 5th selection; a rejection sent with a stale If-Match.
    again = selection(story, "rejected")
    story.refused(409, decision_path(story, 1), again, "already selected", reads=both)
    story.refused(
        409, decision_path(story, 5), selection(story, "selected"), "at most 4", reads=both
    )
    version = story.get(call_path).headers["ETag"]
    stale = {**story.recorder, "If-Match": '"3"'}
    rejected = selection(story, "rejected")
    story.refused(409, decision_path(story, 5), rejected, "not 3", reads=both, headers=stale)
    for number in range(5, 8):
        answer = story.command(
            decision_path(story, number), rejected, status=200, **{"If-Match": version}
        )
        version = f'"{answer["version"]}"'

    # --- Four projects accompanied ------------------------------------------------------------
    # A project from a rejected candidacy; approved by a non-member; "approved" without decision.
    story.refused(409, "/projects", proposal(story, 5), "only a selected candidacy", reads=both)
    project = propose(story, 1)
    project_path = f"/projects/{project}"
    reads = [project_path, overview_path]
    by_nobody = approval(story, decided_by=["Jérôme Dubuis"])
    story.refused(409, f"{project_path}/status", by_nobody, "does not sit", reads=reads)
    no_decision = {"status": "approved", "effective_on": SELECTION.isoformat()}
    story.refused(422, f"{project_path}/status", no_decision, "decision", reads=reads)
    approve(story, project)
    for number in range(2, 5):
        approve(story, propose(story, number))

    # --- The Region's grant and its payments --------------------------------------------------
    # A float amount, three decimal places, a grant decided by the bureau instead of the funder.
    for amount in (30000.0, "30000.001"):
        problem = story.refused(422, "/fundings", grant(story, amount), "amount", reads=reads)
        assert [error["loc"] for error in problem["errors"]] == [["body", "amount"]]
    story.refused(409, "/fundings", grant(story, body="bureau"), "decided by a body", reads=reads)
    funding = story.command("/fundings", grant(story))["id"]
    funding_path = f"/fundings/{funding}"
    for amount, paid_on in PAYMENTS:
        story.command(f"{funding_path}/disbursements", disbursement(amount, paid_on), status=200)
    too_much = disbursement("7500.00", date(2013, 3, 1))  # 7499.50 remain
    story.refused(
        409, f"{funding_path}/disbursements", too_much, "above", reads=[funding_path, overview_path]
    )

    # --- What any reader now sees -------------------------------------------------------------
    overview = story.get(overview_path)
    # The overview moves with its calls and fundings: its tag is the version and a hash.
    assert overview.headers["ETag"].startswith(f'"{filiere_version}-')
    assert_overview(story, overview.json())
    assert_call(story, story.get(call_path))
    assert_project(story, story.get(project_path))
    assert_funding(story, story.get(funding_path))
    assert_register(story)
    assert client.get(f"/calls/{uuid4()}", headers=story.reader).status_code == 404


def assert_overview(story: Story, overview: dict) -> None:
    ids = story.ids
    assert overview["name"] == "Viandes" and overview["kind"] == "filiere"
    assert overview["lead_partner"] == {"id": ids["pays"], "name": PARTNERS["pays"]}
    assert overview["calls"] == [
        {"id": ids["call"], "title": CALL_TITLE, "status": "submissions_closed"}
    ]
    assert overview["candidacies"] == {"submitted": 7, "selected": 4, "rejected": 3, "withdrawn": 0}
    zero = dict.fromkeys(("proposed", "in_progress", "completed", "abandoned"), 0)
    assert overview["projects_by_status"] == {**zero, "approved": 4}
    funder = {"funder_id": ids["region"], "name": REGION, "granted": GRANT, "disbursed": DISBURSED}
    assert overview["funding"] == {
        "granted": GRANT,
        "disbursed": DISBURSED,
        "lines_without_amount": 0,
        "by_funder": [{**funder, "lines_without_amount": 0}],
    }
    last = overview["last_decision"]
    assert last["event"] == "Funding.Granted"
    assert last["decided_on"] == GRANT_DECIDED.isoformat()
    assert last["body_id"] == ids["region_body"]


def assert_call(story: Story, response) -> None:
    call = response.json()
    assert response.headers["ETag"] == f'"{call["version"]}"'
    assert call["version"] == 1 + 7 + 1 + 7  # launched, submitted, closed, decided
    assert call["status"] == "submissions_closed"
    assert call["closed_on"] == CALL_CLOSES.isoformat()
    assert call["max_selected"] == 4
    by_status = {"submitted": 0, "withdrawn": 0, "selected": 4, "rejected": 3}
    assert call["candidacies_by_status"] == by_status
    assert [c["id"] for c in call["candidacies"]] == story.candidacies
    assert [c["status"] for c in call["candidacies"]] == ["selected"] * 4 + ["rejected"] * 3
    assert {c["decided_on"] for c in call["candidacies"]} == {SELECTION.isoformat()}


def assert_project(story: Story, response) -> None:
    project = response.json()
    assert response.headers["ETag"] == f'"{project["version"]}"' == '"2"'
    assert project["status"] == "approved"
    assert project["origin_call_id"] == story.ids["call"]
    assert project["origin_candidacy_id"] == story.candidacies[0]
    assert [s["status"] for s in project["status_history"]] == ["proposed", "approved"]


def assert_funding(story: Story, response) -> None:
    funding = response.json()
    assert response.headers["ETag"] == f'"{funding["version"]}"' == '"3"'
    assert funding["project_id"] == story.projects[0]
    assert funding["funder_id"] == story.ids["region"]
    assert (funding["amount"], funding["disbursed"], funding["remaining"]) == (
        GRANT,
        DISBURSED,
        "7499.50",
    )
    assert [e["kind"] for e in funding["entries"]] == ["granted", "disbursed", "disbursed"]


def assert_register(story: Story) -> None:
    register = story.read("/decisions", filiere_id=story.ids["filiere"])["items"]
    assert [entry["event"] for entry in register] == [
        "Filiere.Launched",
        "Call.Launched",
        *["Call.CandidacySelected"] * 4,
        *["Call.CandidacyRejected"] * 3,
        *["Project.StatusChanged"] * 4,
        "Funding.Granted",
    ]
    on_candidacies = register[2:9]
    assert [entry["candidacy_id"] for entry in on_candidacies] == story.candidacies
    for entry in on_candidacies:
        assert entry["decided_by"] == list(BUREAU_VOTERS)
        assert "Georges Bernat" in entry["decided_by"]
        assert entry["body_id"] == story.ids["bureau"]
        assert entry["decided_on"] == SELECTION.isoformat()
        assert entry["recorded_by"] == "Recorder Person"
    grant_entry = next(entry for entry in register if entry["body_id"] == story.ids["region_body"])
    assert grant_entry["decided_by"] == [REGION_VOTER]
    assert grant_entry["amount"] == GRANT
