"""The pages over HTTP, with the real app on the demo: signing in and out, who may open
what, CSRF, the filière as of a day and the comparison between two days (page and JSON)."""

import re
from uuid import UUID

from fastapi.testclient import TestClient

from api.bootstrap import Services
from api.http.main import create_app
from infrastructure.auth_store import Role
from tests.pages.conftest import CSRF, sign_in


def _cookie_header(answer, name: str) -> str:
    (found,) = [h for h in answer.headers.get_list("set-cookie") if h.startswith(name + "=")]
    return found


def test_signing_in_sets_an_httponly_strict_session_cookie_that_holds_no_token(
    client: TestClient, tokens
):
    form = client.get("/session")
    assert form.status_code == 200
    assert '<html lang="fr">' in form.text and '<label for="token">' in form.text
    csrf = CSRF.search(form.text).group(1)
    answer = client.post(
        "/session", data={"csrf": csrf, "token": tokens[Role.READER], "suite": "/registre"}
    )
    assert answer.status_code == 303 and answer.headers["location"] == "/registre"
    cookie = _cookie_header(answer, "filieres_session")
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/" in cookie
    assert "Secure" not in cookie  # plain HTTP here; over HTTPS, see below
    assert tokens[Role.READER] not in cookie and tokens[Role.READER][4:20] not in cookie
    assert client.get("/registre").status_code == 200


def test_over_https_the_session_cookie_is_secure(services: Services, tokens):
    with TestClient(
        create_app(services), base_url="https://testserver", follow_redirects=False
    ) as client:
        form = client.get("/session")
        csrf = CSRF.search(form.text).group(1)
        answer = client.post("/session", data={"csrf": csrf, "token": tokens[Role.READER]})
        assert "Secure" in _cookie_header(answer, "filieres_session")


def test_a_signed_out_visitor_is_sent_to_sign_in_and_then_back(client: TestClient, tokens, viandes):
    answer = client.get(f"/filiere/{viandes}?jour=2011-12-31")
    assert answer.status_code == 303
    assert answer.headers["location"] == f"/session?suite=/filiere/{viandes}%3Fjour%3D2011-12-31"
    form = client.get(answer.headers["location"])
    assert f'value="/filiere/{viandes}?jour=2011-12-31"' in form.text
    for path in ("/", "/registre", "/instances", "/auditeurs", "/registre.csv", "/registre/1"):
        assert client.get(path).status_code == 303, path


def test_an_unknown_token_is_refused_with_the_form_again(client: TestClient):
    form = client.get("/session")
    csrf = CSRF.search(form.text).group(1)
    answer = client.post("/session", data={"csrf": csrf, "token": "flt_not-a-token"})
    assert answer.status_code == 401
    assert "inconnu ou révoqué" in answer.text
    assert "filieres_session" not in answer.headers.get("set-cookie", "")


def test_a_form_without_its_csrf_token_is_refused(client: TestClient, tokens):
    client.get("/session")  # the browser holds its CSRF seed
    for data in ({"token": tokens[Role.READER]}, {"token": tokens[Role.READER], "csrf": "x"}):
        answer = client.post("/session", data=data)
        assert answer.status_code == 403 and "CSRF" in answer.text
    sign_in(client, tokens[Role.READER])
    assert client.post("/session/end", data={}).status_code == 403
    assert client.get("/").status_code == 200  # still signed in


def test_a_forged_or_copied_cookie_signs_nobody_in(client: TestClient, reader, tokens):
    value = client.cookies.get("filieres_session")
    payload, signature = value.rsplit(".", 1)
    client.cookies.set("filieres_session", payload + "." + signature[::-1])
    assert client.get("/").status_code == 303


def test_signing_out_clears_the_cookie(reader: TestClient):
    csrf = CSRF.search(reader.get("/").text).group(1)
    answer = reader.post("/session/end", data={"csrf": csrf})
    assert answer.status_code == 303 and answer.headers["location"] == "/session"
    assert 'filieres_session=""' in _cookie_header(answer, "filieres_session")
    assert reader.get("/").status_code == 303


def test_revoking_the_token_closes_its_sessions(client: TestClient, services: Services):
    issued = services.tokens.issue_token("Lecteur révoqué", Role.READER)
    sign_in(client, issued.secret)
    assert client.get("/").status_code == 200
    services.tokens.revoke(issued.token_id)
    assert client.get("/").status_code == 303


def test_a_reader_cannot_open_the_auditors_page_an_auditor_can(client: TestClient, tokens):
    sign_in(client, tokens[Role.READER])
    refused = client.get("/auditeurs")
    assert refused.status_code == 403 and "Accès refusé" in refused.text
    assert client.get("/auditeurs/journal.jsonl").status_code == 403
    assert 'href="/auditeurs"' not in client.get("/").text
    sign_in(client, tokens[Role.AUDITOR])
    page = client.get("/auditeurs")
    assert page.status_code == 200
    assert "Intacte" in page.text and "événements vérifiés" in page.text
    export = client.get("/auditeurs/journal.jsonl")
    assert export.status_code == 200 and export.text.count("\n") > 100


def test_the_json_api_keeps_bearer_tokens_only(reader: TestClient, viandes):
    assert reader.get(f"/filieres/{viandes}").status_code == 401
    changes = f"/filieres/{viandes}/changes?from=2011-12-31&to=2012-12-31"
    assert reader.get(changes).status_code == 401


def test_a_redirect_after_sign_in_stays_on_this_site(client: TestClient, tokens):
    form = client.get("/session")
    csrf = CSRF.search(form.text).group(1)
    for target in ("//evil.example/", "https://evil.example/", "/\\evil.example"):
        answer = client.post(
            "/session", data={"csrf": csrf, "token": tokens[Role.READER], "suite": target}
        )
        assert answer.headers["location"] == "/"


def _funnel(html: str) -> dict[str, int]:
    return {k: int(v) for k, v in re.findall(r'data-count="(\w+)">(\d+)<', html)}


def test_the_programme_shows_each_filiere_and_the_boards_charts(reader: TestClient):
    page = reader.get("/")
    assert page.status_code == 200
    assert page.text.count('class="card"') == 6
    assert "Viandes" in page.text and "Marketing territorial" in page.text
    assert page.text.count('<svg class="chart"') == 5
    assert "Décisions par instance" in page.text and "Bureau de Roanne Territoire" in page.text
    assert "cdn" not in page.text.lower() and "<script" not in page.text


def test_viandes_as_of_a_day_shows_what_was_known_then(reader: TestClient, viandes):
    today = reader.get(f"/filiere/{viandes}")
    assert _funnel(today.text) == {"submitted": 7, "selected": 4, "rejected": 3, "withdrawn": 0}
    then = reader.get(f"/filiere/{viandes}?jour=2011-12-31")
    assert _funnel(then.text) == {"submitted": 7, "selected": 0, "rejected": 0, "withdrawn": 0}
    assert "31 décembre 2011" in then.text
    assert "Candidature retenue" not in then.text
    before = reader.get(f"/filiere/{viandes}?jour=2005-01-01")
    assert before.status_code == 200 and "n'existait pas encore" in before.text


def test_what_changed_between_two_days_lists_the_four_selections_linked_to_their_events(
    reader: TestClient, viandes
):
    page = reader.get(f"/filiere/{viandes}?du=2011-12-31&au=2012-12-31")
    assert page.status_code == 200
    decided = page.text.split('id="changes-decided"')[1].split('id="changes-changed"')[0]
    selections = re.findall(r"Candidature retenue : [^<]*<", decided)
    assert len(selections) == 4
    links = re.findall(r'href="/registre/(\d+)"', decided)
    assert len(links) >= 7
    decision = reader.get(f"/registre/{links[0]}")
    assert decision.status_code == 200 and "Provenance" in decision.text


def test_the_changes_as_json(client: TestClient, tokens, viandes):
    headers = {"Authorization": f"Bearer {tokens[Role.READER]}"}
    answer = client.get(
        f"/filieres/{viandes}/changes?from=2011-12-31&to=2012-12-31", headers=headers
    )
    assert answer.status_code == 200
    body = answer.json()
    assert body["filiere_name"] == "Viandes"
    assert (body["from"], body["to"]) == ("2011-12-31", "2012-12-31")
    selected = [c for c in body["decided"] if c["event_type"] == "Call.CandidacySelected"]
    rejected = [c for c in body["decided"] if c["event_type"] == "Call.CandidacyRejected"]
    assert len(selected) == 4 and len(rejected) == 3
    assert all(c["kind"] == "decided" and len(c["events"]) == 1 for c in selected)
    assert {c["subject_type"] for c in selected} == {"candidacy"}
    assert [c["subject_type"] for c in body["added"]] == ["project"] * 4
    assert body["paid"] == []
    nothing = client.get(
        f"/filieres/{viandes}/changes?from=2012-12-31&to=2013-01-01", headers=headers
    ).json()
    assert nothing["added"] == nothing["decided"] == []
    reversed_days = client.get(
        f"/filieres/{viandes}/changes?from=2013-01-01&to=2012-01-01", headers=headers
    )
    assert reversed_days.status_code == 422
    unknown = client.get(
        f"/filieres/{UUID(int=1)}/changes?from=2012-01-01&to=2013-01-01", headers=headers
    )
    assert unknown.status_code == 404


def test_the_register_filters_pages_and_downloads(reader: TestClient, viandes):
    everything = reader.get("/registre")
    assert everything.status_code == 200
    assert 'rel="next"' in everything.text  # 20 a page, more in the demo
    second = re.search(r'href="(/registre\?suite=[^"]+)"', everything.text).group(1)
    assert reader.get(second.replace("&amp;", "&")).status_code == 200
    only = reader.get(f"/registre?filiere={viandes}&du=2012-01-01&au=2012-12-31")
    rows = re.findall(r'<a href="/registre/\d+">', only.text)
    assert len(rows) == 12, only.text  # 7 candidacies, the call's conclusion, 4 approvals
    assert "Numérique" not in only.text.split("<tbody>")[1]
    csv = reader.get(f"/registre.csv?filiere={viandes}&du=2012-01-01&au=2012-12-31")
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    assert len(csv.text.strip().splitlines()) == 13
    # The demo's bureau sat in no published sitting: none of its decisions is verified.
    viandes_2012 = f"filiere={viandes}&du=2012-01-01&au=2012-12-31"
    unverified = reader.get(f"/registre?{viandes_2012}&verifiee=non")
    assert len(re.findall(r'<a href="/registre/\d+">', unverified.text)) == 12
    verified = reader.get(f"/registre.csv?{viandes_2012}&verifiee=oui")
    assert len(verified.text.strip().splitlines()) == 1  # the header alone


def test_a_decision_page_shows_its_body_rationale_sources_and_hash(reader: TestClient):
    register = reader.get("/registre")
    position = re.search(r'<a href="/registre/(\d+)">', register.text).group(1)
    page = reader.get(f"/registre/{position}")
    assert page.status_code == 200
    for heading in ("Motifs", "Séance", "Sources et hypothèses", "Provenance"):
        assert f">{heading}</h2>" in page.text
    assert re.search(r'<code id="hash">[0-9a-f]{64}</code>', page.text)
    assert reader.get("/registre/999999").status_code == 404


def test_the_bodies_show_who_sat_where_as_a_timeline(reader: TestClient):
    page = reader.get("/instances")
    assert page.status_code == 200
    assert "Bureau de Roanne Territoire" in page.text
    assert '<svg class="chart" id="frise-0"' in page.text
