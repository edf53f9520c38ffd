"""The workspace's security, against a real ``intake web`` over a demo store: no route and
no file without a session, a forged CSRF token refused, five wrong passwords throttle,
no file URL leaves the store, personal numbers masked outside the candidate page, the
cookie's flags, the store's mode."""

from __future__ import annotations

import datetime as dt
import http.client
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlsplit

import httpx
import pytest
from starlette.routing import Route

from pipeline.model.campaign import load_campaign
from pipeline.review.workspace import campaign_checks, review_register
from pipeline.store.database import Store
from pipeline.store.findings import fingerprint
from tests.demo_store import MACHINERY, PASSWORD, STAFF, add_user, build_demo_store
from tests.web_server import csrf_token, logged_in_client, post_login, running_server
from web.app import ROUTES

pytestmark = pytest.mark.slow

OTHER, OTHER_PASSWORD = "zhangmin", "another good one"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    folder = tmp_path_factory.mktemp("web")
    build_demo_store(folder / "store", folder / "outbox")
    add_user(folder / "store", OTHER, OTHER_PASSWORD)
    with running_server(folder / "store") as base:
        yield base, folder / "store"


@pytest.fixture(scope="module")
def sample(server: tuple[str, Path]) -> dict[str, str]:
    """A real value for every path parameter of the routes, read from the store."""
    store = Store(server[1])
    review = review_register(store, campaign_checks(load_campaign(), dt.date(2025, 4, 15)))
    store.close()
    [cao] = [c for c in review.register.candidates if c.name == "曹文博"]
    [stamp] = [f for f in cao.findings if f.code == "COPY_NOT_STAMPED"]
    pdf = next(f for f in cao.files if f.name.endswith(".pdf"))
    return {"name": quote(MACHINERY), "candidate_id": str(review.candidate_id(cao)),
            "sha256": pdf.sha256, "number": "1", "key": fingerprint(stamp), "decision_id": "1",
            "files": " ".join(sorted({f.sha256 for p in review.register.packages for f in p.files}))}


def _paths(sample: dict[str, str]) -> list[tuple[str, str]]:
    """(method, path) of every route but log-in and the stylesheet, parameters filled."""
    out = []
    for route in ROUTES:
        if not isinstance(route, Route) or route.path == "/login":
            continue
        assert set(route.param_convertors) <= sample.keys(), f"no sample for {route.path}"
        path = route.path
        for name in route.param_convertors:
            for pattern in (f"{{{name}:int}}", f"{{{name}:path}}", f"{{{name}}}"):
                path = path.replace(pattern, sample[name])
        out += [(method, path) for method in sorted(route.methods or ()) if method != "HEAD"]
    return out


def _raw_get(base: str, path: str, cookie: str | None = None) -> tuple[int, bytes]:
    """A GET with the path exactly as given: no client tidies ``..`` away first."""
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=20)
    connection.request("GET", path, headers={"Cookie": f"intake_session={cookie}"} if cookie else {})
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, body


def _decisions(store: Path) -> int:
    with sqlite3.connect(store / "intake.sqlite3") as db:
        return int(db.execute("SELECT COUNT(*) FROM decisions").fetchone()[0])


# --- no session --------------------------------------------------------------------------------


def test_every_route_sends_a_visitor_without_a_session_to_log_in(server, sample) -> None:
    base, _ = server
    paths = _paths(sample)
    assert len(paths) == 22  # every route of web.app but the log-in page (summary corrections included)
    with httpx.Client(base_url=base, follow_redirects=False) as anonymous:
        for method, path in paths:
            response = anonymous.request(method, path, data={"csrf": "x"})
            assert response.status_code == 303, (method, path)
            assert response.headers["location"].startswith("/login?next="), (method, path)
            assert "text/html" not in response.headers.get("content-type", ""), (method, path)


def test_every_stored_file_and_page_needs_a_session(server, sample) -> None:
    base, _ = server
    with httpx.Client(base_url=base, follow_redirects=False) as anonymous:
        for sha in sample["files"].split():
            for path in (f"/files/{sha}", f"/files/{sha}/raw", f"/files/{sha}/pages/1"):
                response = anonymous.get(path)
                assert (response.status_code, response.content) == (303, b""), path


def test_with_a_session_the_same_pages_open(server, sample) -> None:
    base, _ = server
    with logged_in_client(base) as client:
        for method, path in _paths(sample):
            if method == "GET":
                response = client.get(path)
                # no `intake publish` built this store's dossiers: the page says so
                expected = 404 if path.endswith("/dossier.pdf") else 200
                assert response.status_code == expected, (path, response.text[:300])


def test_after_log_out_the_session_opens_nothing(server) -> None:
    base, _ = server
    with logged_in_client(base) as client:
        cookie = client.cookies["intake_session"]
        response = client.post("/logout", data={"csrf": csrf_token(client.get("/").text)})
        assert (response.status_code, response.headers["location"]) == (303, "/login")
    with httpx.Client(base_url=base, follow_redirects=False, cookies={"intake_session": cookie}) as old:
        assert old.get("/").status_code == 303


# --- CSRF --------------------------------------------------------------------------------------


def test_a_forged_or_missing_csrf_token_is_refused(server, sample) -> None:
    base, store = server
    path = f"/findings/{sample['key']}/accept"
    form = {"reason_kind": "verified", "reason": "核对无误", "back": "/"}
    before = _decisions(store)
    with logged_in_client(base) as client:
        token = csrf_token(client.get("/").text)
        assert client.post(path, data={**form, "csrf": "forged" + token[6:]}).status_code == 403
        assert client.post(path, data=form).status_code == 403
        evil = client.post(path, data={**form, "csrf": token}, headers={"Origin": "http://evil.example"})
        assert evil.status_code == 403
        assert _decisions(store) == before
        accepted = client.post(path, data={**form, "csrf": token})
        assert accepted.status_code == 303  # the same form with the session's token is taken
    assert _decisions(store) == before + 1


def test_the_log_in_form_needs_its_own_token(server) -> None:
    base, _ = server
    with httpx.Client(base_url=base, follow_redirects=False) as client:
        client.get("/login")
        response = client.post("/login", data={"login_token": "forged", "name": STAFF,
                                               "password": PASSWORD})
        assert response.status_code == 403 and "intake_session" not in response.headers.get("set-cookie", "")


# --- log-in ------------------------------------------------------------------------------------


def test_the_session_cookie_is_http_only_and_same_site_strict(server) -> None:
    base, _ = server
    with httpx.Client(base_url=base, follow_redirects=False) as client:
        response = post_login(client, STAFF, PASSWORD)
        [cookie] = [c for c in response.headers.get_list("set-cookie") if c.startswith("intake_session=")]
    flags = {part.strip().lower() for part in cookie.split(";")[1:]}
    assert {"httponly", "samesite=strict", "path=/"} <= flags


def test_five_wrong_passwords_slow_the_name_even_for_the_right_one(server) -> None:
    base, store = server
    with httpx.Client(base_url=base, follow_redirects=False) as client:
        for _ in range(5):
            wrong = post_login(client, OTHER, "not the password")
            assert wrong.status_code == 401 and "用户名或密码错误" in wrong.text
        right = post_login(client, OTHER, OTHER_PASSWORD)
        assert right.status_code == 429 and "密码错误次数过多，请1分钟后再试" in right.text
        assert "intake_session" not in client.cookies
    with logged_in_client(base):  # another name is not throttled
        pass
    with sqlite3.connect(store / "intake.sqlite3") as db:
        actions = [r[0] for r in db.execute("SELECT action FROM audit WHERE user_name = ?", (OTHER,))]
    assert actions == ["login_failed"] * 5 + ["login_throttled"]


def test_a_wrong_password_is_said_so_without_telling_which_part(server) -> None:
    base, _ = server
    with httpx.Client(base_url=base, follow_redirects=False) as client:
        unknown = post_login(client, "nobody", PASSWORD)
        wrong = post_login(client, STAFF, "wrong")
    assert unknown.status_code == wrong.status_code == 401
    assert "用户名或密码错误" in unknown.text and "用户名或密码错误" in wrong.text


# --- files -------------------------------------------------------------------------------------


TRAVERSALS = ("/files/../intake.sqlite3", "/files/..%2F..%2Fintake.sqlite3/raw",
              "/files/%2e%2e%2fintake.sqlite3/raw", "/files/..%2fintake.sqlite3/pages/1",
              "/static/../intake.sqlite3", "/static/..%2f..%2fintake.sqlite3",
              "/static/%2e%2e/%2e%2e/state/intake.sqlite3")


def test_no_file_url_leaves_the_store(server, sample) -> None:
    base, _ = server
    with logged_in_client(base) as client:
        cookie = client.cookies["intake_session"]
        sha = sample["sha256"]
        for path in (*TRAVERSALS, f"/files/{sha}/../../intake.sqlite3",
                     f"/files/{sha}/..%2F..%2F..%2Fintake.sqlite3", f"/files/{'a' * 64}/raw",
                     f"/files/{sha.upper()}/raw", f"/files/{sha[:-1]}/raw"):
            status, body = _raw_get(base, path, cookie)
            assert status in (303, 400, 404), path
            assert b"SQLite format 3" not in body, path
        status, body = _raw_get(base, f"/files/{sha}/raw", cookie)
        assert status == 200 and body.startswith(b"%PDF")  # the right URL does serve the file


# --- personal data -------------------------------------------------------------------------------


def test_id_numbers_are_masked_unless_the_candidate_is_opened(server, sample) -> None:
    base, store = server
    full, masked = "430481197512039059", "430481********9059"  # 曹文博's
    with logged_in_client(base) as client:
        for path in (f"/units/{sample['name']}", "/search?q=9059", "/search?q=曹文博"):
            page = client.get(path).text
            assert masked in page and full not in page, path
        assert full in client.get(f"/candidates/{sample['candidate_id']}").text
    with sqlite3.connect(store / "intake.sqlite3") as db:
        viewed = db.execute("SELECT user_name, target FROM audit WHERE action = 'view_candidate'").fetchall()
    assert (STAFF, sample["candidate_id"]) in viewed


def test_pages_forbid_scripts_framing_and_caching(server) -> None:
    base, _ = server
    with logged_in_client(base) as client:
        response = client.get("/")
    assert "default-src 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["cache-control"] == "no-store"
    assert "<script" not in response.text


def test_the_store_stays_readable_by_its_owner_only(server) -> None:
    base, store = server
    with logged_in_client(base) as client:
        client.get("/")
    for path in store.glob("intake.sqlite3*"):
        assert path.stat().st_mode & 0o777 == 0o600, path
    assert store.stat().st_mode & 0o777 == 0o700
