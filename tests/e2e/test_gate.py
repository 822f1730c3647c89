"""With POSTURE_APP_PASSWORD set, the server answers nothing but its health without signing in (issue 19).

One real server (``streamlit run app.py`` on 127.0.0.1, password set, sessions forgotten two
seconds after their browser leaves). Plain HTTP requests (urllib) without the cookie get 401
for ``/_stcore/metrics``, a component file and a real media URL, 303 to the sign-in form for a
page, 403 for the websocket; a forged or wrong cookie is no better. In Chromium a visitor signs
in, uploads a side view and sees the result image; after the visitor has gone, the image is
gone too once Streamlit's own clean-up of the session has run.
"""

from __future__ import annotations

import http.client
import re
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from benchmarks.served import CHROMIUM, served_app

pytestmark = pytest.mark.browser

PASSWORD = "a long passphrase for the test"
ROUTINE_HEADING = re.compile(r"^Routine (for|to) ")
RESULT_ALT = "Your photo with the measures drawn on it"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def status(url: str, *, cookie: str | None = None, data: bytes | None = None) -> tuple[int, dict]:
    request = urllib.request.Request(url, data=data, headers={"Cookie": cookie} if cookie else {})
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers)


def websocket_status(url: str, cookie: str | None = None) -> int:
    host = urllib.parse.urlparse(url)
    connection = http.client.HTTPConnection(host.hostname, host.port, timeout=10)
    headers = {
        "Upgrade": "websocket",
        "Connection": "Upgrade",
        "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
        "Sec-WebSocket-Version": "13",
        "Sec-WebSocket-Protocol": "streamlit",
    }
    if cookie:
        headers["Cookie"] = cookie
    connection.request("GET", "/_stcore/stream", headers=headers)
    code = connection.getresponse().status
    connection.close()
    return code


@pytest.fixture(scope="module")
def gated_url(tmp_path_factory):
    if not CHROMIUM.is_file():
        pytest.skip("Debian chromium is not installed (apt-get install chromium)")
    home = tmp_path_factory.mktemp("gated-home")
    log = tmp_path_factory.mktemp("gated-log") / "streamlit.log"
    with served_app(
        home, log, POSTURE_APP_PASSWORD=PASSWORD, STREAMLIT_SERVER_DISCONNECTED_SESSION_TTL="2"
    ) as served:
        yield served.url


def test_without_signing_in_only_health_answers(gated_url):
    assert status(gated_url + "/_stcore/health")[0] == 200
    assert status(gated_url + "/_stcore/metrics")[0] == 401
    assert status(gated_url + "/component/webapp.mirror.posture_mirror/index.html")[0] == 401
    assert status(gated_url + "/media/0123456789abcdef.png")[0] == 401
    code, headers = status(gated_url + "/")
    assert (code, headers.get("location")) == (303, "/_posture/sign-in")
    assert websocket_status(gated_url) == 403
    forged = "posture_signed_in=1700000000.00000000000000000000000000000000." + "0" * 64
    assert status(gated_url + "/_stcore/metrics", cookie=forged)[0] == 401


def test_a_wrong_password_sets_no_cookie(gated_url):
    code, headers = status(gated_url + "/_posture/sign-in", data=b"password=guess")
    assert code == 401 and "Set-Cookie" not in headers


def test_signed_in_the_app_works_and_its_media_is_only_for_the_signed_in(gated_url, browser, samples_dir):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(gated_url)
    assert page.url.endswith("/_posture/sign-in")
    page.get_by_label("Password").fill("not it")
    page.get_by_role("button", name="Open").click()
    page.get_by_text("That is not the password.").wait_for()
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Open").click()
    page.locator("input[type=file]").first.wait_for(state="attached")
    page.locator("input[type=file]").first.set_input_files(
        str(samples_dir / "pranjal_postureanalysis/left.png")
    )
    page.get_by_role("heading", name=ROUTINE_HEADING).wait_for()
    result = page.get_by_alt_text(RESULT_ALT)
    result.wait_for()
    page.wait_for_function(
        "alt => [...document.querySelectorAll('img')].some(i => i.alt === alt && i.complete && i.naturalWidth > 0)",
        arg=RESULT_ALT,
    )
    media = urllib.parse.urljoin(gated_url, result.get_attribute("src"))
    assert "/media/" in media
    cookie = next(c for c in context.cookies() if c["name"] == "posture_signed_in")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    signed_in = f"posture_signed_in={cookie['value']}"

    assert status(media)[0] == 401  # the URL alone: nothing
    assert status(gated_url + "/_stcore/metrics")[0] == 401
    assert status(media, cookie=signed_in)[0] == 200  # the same URL is real media
    assert status(gated_url + "/_stcore/metrics", cookie=signed_in)[0] == 200

    context.close()  # the visitor leaves; the session goes after server.disconnectedSessionTTL
    left = time.monotonic()
    while status(media, cookie=signed_in)[0] == 200:
        # Without webapp.sessions the photo was still served a minute later (Streamlit lets
        # an expired session fall out of its store without shutting it down).
        assert time.monotonic() - left < 30, "the photo outlived its 2 s session by 30 s"
        time.sleep(0.5)
    print(f"\nthe photo was gone {time.monotonic() - left:.1f} s after the visitor left (TTL 2 s)")
    assert status(media, cookie=signed_in)[0] == 404
