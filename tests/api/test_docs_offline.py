"""/docs and /redoc load everything they need from the server itself: they work offline."""

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from fastapi.testclient import TestClient

from api.bootstrap import build
from api.http.main import create_app

EXPECTED_TYPES = {
    ".js": "javascript",
    ".css": "text/css",
    ".png": "image/png",
    ".json": "application/json",
}


class _References(HTMLParser):
    """Every URL a page makes the browser fetch: scripts, stylesheets, icons."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value and name in {"src", "href"}:
                self.urls.append(value)


def references(html: str) -> list[str]:
    """The URLs in tags, and those the page's scripts are given as quoted strings
    (Swagger UI's `url: '/openapi.json'`, ReDoc's `spec-url`)."""
    parser = _References()
    parser.feed(html)
    quoted = re.findall(r"""(?:url|spec-url)\s*[:=]\s*['"]([^'"]+)['"]""", html)
    return parser.urls + quoted


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The served pages do not depend on the backend: one SQLite store."""
    store = tmp_path_factory.mktemp("docs") / "filieres.db"
    services = build(database_url=f"sqlite:///{store}")
    with TestClient(create_app(services)) as test_client:
        yield test_client
    services.close()


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_the_docs_page_references_only_the_server_itself(client: TestClient, page: str) -> None:
    response = client.get(page)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    urls = references(response.text)
    assert any(u.endswith(".js") for u in urls), urls
    for url in urls:
        parts = urlsplit(url)
        assert not parts.scheme and not parts.netloc, f"{page} fetches {url} from elsewhere"
        assert not url.startswith("//"), f"{page} fetches {url} from elsewhere"
    assert "cdn" not in response.text.lower()
    assert "fonts.googleapis" not in response.text
    assert "validator.swagger.io" not in response.text
    if page == "/docs":
        assert '"validatorUrl": null' in response.text


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_each_asset_the_page_references_is_served(client: TestClient, page: str) -> None:
    html = client.get(page).text
    for url in references(html):
        target = urljoin(f"http://testserver{page}", url)
        asset = client.get(urlsplit(target).path)
        assert asset.status_code == 200, f"{page} references {url}: {asset.status_code}"
        suffix = "." + url.rsplit(".", 1)[-1]
        expected = EXPECTED_TYPES[suffix]
        assert expected in asset.headers["content-type"], (url, asset.headers["content-type"])
        assert asset.content, url


def test_the_swagger_ui_bundle_is_the_real_one(client: TestClient) -> None:
    """Not an empty stub: the bundle defines the constructor the page calls."""
    html = client.get("/docs").text
    assert "SwaggerUIBundle(" in html
    bundle = next(u for u in references(html) if u.endswith("swagger-ui-bundle.js"))
    assert "SwaggerUIBundle" in client.get(bundle).text


def test_the_oauth2_redirect_page_is_served(client: TestClient) -> None:
    response = client.get("/docs/oauth2-redirect")
    assert response.status_code == 200
    assert "oauth2" in response.text.lower()
    assert "http://" not in response.text and "https://" not in response.text


def test_the_api_description_links_the_project_docs_and_each_is_served(
    client: TestClient,
) -> None:
    description = client.get("/openapi.json").json()["info"]["description"]
    links = re.findall(r"\]\((/docs/guide/[\w.-]+\.md)\)", description)
    guide = {"/docs/guide/api.md", "/docs/guide/domain.md", "/docs/guide/architecture.md"}
    assert guide <= set(links), description
    for link in links:
        page = client.get(link)
        assert page.status_code == 200, link
        assert page.headers["content-type"].startswith("text/markdown"), link
        assert page.text.startswith("# "), link
