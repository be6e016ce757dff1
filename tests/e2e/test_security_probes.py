"""Issue 13's hostile probes replayed against `rawbank dev`, then `rawbank reconcile --via-api` must be clean.

Each probe once broke something (a half-applied write, a lockout, SSRF, a 500, a crashed stream);
here each gets its refusal, and afterwards the three services' books still agree.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections import Counter

import pytest

from tests.conftest import free_port, wait_until
from tests.devserver import ROOT, running_dev

pytestmark = pytest.mark.e2e


def call(method: str, url: str, data: bytes | None = None, token: str | None = None, headers=None):
    """(status, headers, text) of one request with `data` sent exactly as given."""
    request = urllib.request.Request(url, method=method, data=data,
                                     headers={"Content-Type": "application/json", **(headers or {})})
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


def code_of(text: str) -> str:
    return json.loads(text)["error"]["code"]


@pytest.fixture(scope="module")
def dev():
    with running_dev() as dev:
        tokens = {}
        for name in ("admin", "warehouse", "artisan", "secretary"):
            status, _, text = call("POST", dev.url("requests", "/api/v1/auth/login"),
                                   json.dumps({"username": name, "password": f"{name}123"}).encode())
            assert status == 200, text
            tokens[name] = json.loads(text)["access_token"]
        dev.tokens = tokens
        yield dev


def test_broken_text_deep_json_and_odd_quantities_are_refused_and_change_nothing(dev):
    stock_url = dev.url("inventory", "/api/v1/stock/VNS/YRN-COT-40")
    before = json.loads(call("GET", stock_url, token=dev.tokens["warehouse"])[2])["on_hand"]
    movement = b'{"type":"receipt","sku":"YRN-COT-40","depot":"VNS","quantity":"1","reference":"\\ud800"}'
    status, _, text = call("POST", dev.url("inventory", "/api/v1/movements"), movement, dev.tokens["warehouse"])
    assert (status, code_of(text)) == (400, "validation_error")
    note = b'{"depot":"VNS","lines":[{"sku":"YRN-COT-40","quantity":"1"}],"note":"\\ud800"}'
    status, _, text = call("POST", dev.url("requests", "/api/v1/requisitions"), note, dev.tokens["artisan"])
    assert (status, code_of(text)) == (400, "validation_error")
    for body in (b"[" * 1000 + b"]" * 1000, b'{"username": ' + b"1" * 5000 + b', "password": "x"}'):
        status, _, text = call("POST", dev.url("requests", "/api/v1/auth/login"), body)
        assert (status, code_of(text)) == (400, "validation_error")
    for quantity in ("1_000", "+5", "1E3"):
        body = json.dumps({"type": "receipt", "sku": "YRN-COT-40", "depot": "VNS", "quantity": quantity}).encode()
        assert call("POST", dev.url("inventory", "/api/v1/movements"), body, dev.tokens["warehouse"])[0] == 400
    assert json.loads(call("GET", stock_url, token=dev.tokens["warehouse"])[2])["on_hand"] == before
    body = json.dumps({"type": "receipt", "sku": "YRN-COT-40", "depot": "VNS", "quantity": "१२",
                       "reference": "\n=HYPERLINK(\"x\")"}).encode()
    assert call("POST", dev.url("inventory", "/api/v1/movements"), body, dev.tokens["warehouse"])[0] == 201
    csv_text = call("GET", dev.url("inventory", "/api/v1/movements?format=csv&depot=VNS"), token=dev.tokens["admin"])[2]
    assert "'\n=HYPERLINK" in csv_text


def test_parallel_wrong_passwords_are_checked_only_up_to_the_limit(dev):
    start, statuses = threading.Barrier(150), Counter()
    body = json.dumps({"username": "warehouse", "password": "not-it"}).encode()

    def guess():
        start.wait()
        statuses[call("POST", dev.url("requests", "/api/v1/auth/login"), body)[0]] += 1
    threads = [threading.Thread(target=guess) for _ in range(150)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == {401: 10, 429: 140}
    status, _, text = call("POST", dev.url("requests", "/api/v1/auth/login"),  # others here are not locked out
                           json.dumps({"username": "admin", "password": "admin123"}).encode())
    assert status == 200, text


def test_webhooks_to_the_machine_itself_are_refused(dev):
    for url in (f"http://127.0.0.1:{free_port()}/x", dev.url("requests", "/api/v1/auth/login"),
                "http://169.254.169.254/latest/meta-data/", "http://user:pw@example.org/"):
        status, _, text = call("POST", dev.url("notifier", "/api/v1/webhooks"), json.dumps({"url": url}).encode(),
                               dev.tokens["admin"])
        assert (status, code_of(text)) == (400, "validation_error"), url


def test_a_secretary_cannot_multiply_a_members_entitlement(dev):
    url = dev.url("requests", "/api/v1/artisans/ART-0001")
    status, _, text = call("PATCH", url, b'{"looms": 1000}', dev.tokens["secretary"])
    assert status == 200 and json.loads(text)["looms"] == 2 and json.loads(text)["looms_change"]["looms"] == 1000
    status, _, text = call("POST", f"{url}/looms/reject", None, dev.tokens["admin"])
    assert status == 200 and json.loads(text)["looms_change"] is None


def test_a_secretary_cannot_give_a_member_their_own_phone_to_confirm_from(dev):
    """The finding as sent: the secretary's own number on a member waits for an admin; the member keeps theirs."""
    url = dev.url("requests", "/api/v1/artisans/ART-0002")
    status, _, text = call("PATCH", url, b'{"phone": "+919899999999"}', dev.tokens["secretary"])
    assert status == 200 and json.loads(text)["phone"] == "+919800000002"
    assert json.loads(text)["phone_change"]["phone"] == "+919899999999"
    status, _, text = call("POST", f"{url}/phone/approve", None, dev.tokens["secretary"])
    assert (status, code_of(text)) == (403, "forbidden")
    status, _, text = call("POST", f"{url}/phone/reject", None, dev.tokens["admin"])
    assert status == 200 and json.loads(text)["phone"] == "+919800000002" and json.loads(text)["phone_change"] is None


def test_pages_send_security_headers_and_metrics_need_an_admin(dev):
    status, headers, _ = call("GET", dev.url("requests", "/login"))
    assert status == 200 and "script-src 'self'" in headers["Content-Security-Policy"]
    assert (headers["X-Frame-Options"], headers["X-Content-Type-Options"]) == ("DENY", "nosniff")
    assert call("GET", dev.url("requests", "/metrics"))[0] == 401
    status, headers, _ = call("POST", dev.url("requests", "/lang"), b"lang=en",
                              headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert "rawbank_lang" not in (headers.get("Set-Cookie") or "")  # no Origin, Referer or CSRF token


def test_a_naive_last_event_id_streams_from_now(dev):
    status, _, text = call("GET", dev.url("notifier", "/api/v1/stream?max_seconds=1"), token=dev.tokens["admin"],
                           headers={"Last-Event-ID": "2020-01-01T00:00:00"})
    assert status == 200 and text.startswith("retry:") and "event: alert" not in text


def test_a_logout_is_refused_by_every_service(dev):
    status, _, text = call("POST", dev.url("requests", "/api/v1/auth/login"),
                           json.dumps({"username": "admin", "password": "admin123"}).encode())
    token = json.loads(text)["access_token"]
    paths = {"inventory": "/api/v1/stock", "requests": "/api/v1/artisans", "notifier": "/api/v1/alerts"}
    assert all(call("GET", dev.url(s, p), token=token)[0] == 200 for s, p in paths.items())
    assert call("POST", dev.url("requests", "/api/v1/auth/logout"), None, token)[0] == 204
    for service, path in paths.items():
        wait_until(lambda s=service, p=path: call("GET", dev.url(s, p), token=token)[0] == 401, 20,
                   message=f"{service} to refuse the logged-out token")


def raw_request(port: int, request: bytes) -> tuple[int, str]:
    """Send `request` byte for byte (framing a client library would not send) and read the answer."""
    status, _, body = raw_answer(port, request)
    return status, body


def raw_answer(port: int, request: bytes) -> tuple[int, dict[str, str], str]:
    """(status, headers by lower-case name, body) of `request` sent byte for byte."""
    import socket
    with socket.create_connection(("127.0.0.1", port), timeout=30) as connection:
        connection.sendall(request)
        answer = b""
        while b"\r\n\r\n" not in answer or len(answer.split(b"\r\n\r\n", 1)[1]) < int(
                next((line.split(b":")[1] for line in answer.split(b"\r\n") if line.lower().startswith(
                    b"content-length:")), b"0")):
            data = connection.recv(65536)
            if not data:
                break
            answer += data
    head, _, body = answer.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = {name.strip().lower(): value.strip() for name, _, value in (line.partition(":") for line in lines[1:])}
    return int(lines[0].split()[1]), headers, body.decode()


@pytest.mark.parametrize("chunks", [b"zz\r\n{}\r\n0\r\n\r\n", b"5\r\n{}\r\n0\r\n\r\n", b"1" * 9000])
def test_a_body_in_broken_chunks_is_a_400_and_changes_nothing(dev, chunks):
    stock_url = dev.url("inventory", "/api/v1/stock/VNS/YRN-COT-40")
    before = json.loads(call("GET", stock_url, token=dev.tokens["warehouse"])[2])["on_hand"]
    for service, path, token in (("inventory", "/api/v1/movements", dev.tokens["warehouse"]),
                                 ("requests", "/api/v1/auth/login", None), ("notifier", "/api/v1/webhooks",
                                                                           dev.tokens["admin"])):
        status, text = raw_request(dev.ports[service], (
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            f"{'Authorization: Bearer ' + token + chr(13) + chr(10) if token else ''}"
            "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n").encode() + chunks)
        assert (status, code_of(text)) == (400, "validation_error"), (service, text)
    assert json.loads(call("GET", stock_url, token=dev.tokens["warehouse"])[2])["on_hand"] == before
    assert "InvalidChunkSize" not in dev.output  # no traceback in the log either


def test_a_chunked_body_over_the_cap_is_a_413_as_with_a_content_length(dev):
    """gunicorn ends a chunked body's stream; werkzeug stopped at the cap and the view read JSON cut short (400)."""
    from shared.web import MAX_BODY_BYTES
    for service, path, token in (("inventory", "/api/v1/movements", dev.tokens["warehouse"]),
                                 ("requests", "/api/v1/auth/login", None), ("notifier", "/api/v1/webhooks",
                                                                           dev.tokens["admin"])):
        head = (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                f"{'Authorization: Bearer ' + token + chr(13) + chr(10) if token else ''}"
                "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n").encode()
        for size, answer in ((MAX_BODY_BYTES + 1, (413, "payload_too_large")),
                             (MAX_BODY_BYTES, (400, "validation_error"))):  # at the cap: refused for what it says
            body = b'{"username": "' + b"x" * (size - 33) + b'", "password": "x"}'
            assert len(body) == size
            status, text = raw_request(dev.ports[service], head + b"%x\r\n" % size + body + b"\r\n0\r\n\r\n")
            assert (status, code_of(text)) == answer, (service, size, text[:300])


def test_after_the_probes_reconcile_is_clean(dev, tmp_path):
    env = {name: value for name, value in os.environ.items() if not name.startswith(("KAFKA_", "MONGO_", "RAWBANK_"))}
    env["KAFKA_BOOTSTRAP_SERVERS"] = f"127.0.0.1:{dev.ports['broker']}"
    args = [sys.executable, "-m", "shared.cli", "reconcile", "--via-api"]
    for service in ("inventory", "requests", "notifier"):
        args += [f"--{service}-url", dev.url(service, "")]

    def clean():
        done = subprocess.run(args, cwd=tmp_path, env=env, capture_output=True, text=True,  # not the checkout's ./var
                              timeout=120)
        clean.last = done.stdout + done.stderr
        return done.returncode == 0
    wait_until(clean, 60, interval=2, message="a clean reconcile")
    assert "verdict: CLEAN" in clean.last


#: what gunicorn refuses before any service sees the request: (the request, status, code)
UNREADABLE = (
    (b"GET /api/v1/stock?sku=" + b"x" * 5000 + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
     414, "uri_too_long"),
    (b"GET /api/v1/stock HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + b"x" * 9000 + b"\r\nConnection: close\r\n\r\n",
     431, "headers_too_large"),
    (b"GET /api/v1/stock HTTP/1.1\r\nHost: 127.0.0.1\r\n" + b"X-Many: 1\r\n" * 120 + b"Connection: close\r\n\r\n",
     431, "headers_too_large"),
    (b"GET /api/v1/stock HTTP/9.9\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", 400, "validation_error"),
    (b"G\x00T /api/v1/stock HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", 400, "validation_error"),
    (b"GET /api/v1/stock HTTP/1.1\r\nHost: 127.0.0.1\r\nBad Header: 1\r\nConnection: close\r\n\r\n",
     400, "validation_error"),
    (b"POST /api/v1/movements HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: brotli\r\n"
     b"Content-Type: application/json\r\nConnection: close\r\n\r\n{}", 501, "transfer_coding_unsupported"),
)


def refusal_of(port: int, request: bytes) -> tuple[int, str, dict]:
    """(status, Content-Type, error) of a request the HTTP server itself refuses."""
    status, headers, body = raw_answer(port, request)
    return status, headers.get("content-type", ""), json.loads(body)["error"]


def assert_refused_in_json(port: int) -> None:
    for request, status, code in UNREADABLE:
        answer = refusal_of(port, request)
        assert answer[:2] == (status, "application/json"), (request[:60], answer)
        assert answer[2]["code"] == code, (request[:60], answer)
        english, _, hindi = answer[2]["message"].partition(" / ")  # the language is in the headers it could not read
        assert english.isascii() and english and not hindi.isascii(), answer


def test_a_request_the_http_server_cannot_read_is_refused_in_the_error_format_in_both_languages(dev):
    """An address over gunicorn's 4094 bytes, a header too large or too many, a broken request line or header:
    gunicorn answers before the app, and answered in HTML (a page with "URI Too Long") where every other refusal
    is the API's JSON error."""
    for service in ("inventory", "requests", "notifier"):
        assert_refused_in_json(dev.ports[service])


def test_the_production_server_refuses_a_request_it_cannot_read_in_the_error_format_too(tmp_path):
    """`rawbank serve` (gunicorn as the compose file runs it) uses the same worker as `rawbank dev`; on the in-process
    store, which it refuses unless RAWBANK_ALLOW_EMBEDDED_SERVE=1 (docs/architecture.md), as no MongoDB runs here."""
    from shared.broker import stop_process
    port = free_port()
    env = {name: value for name, value in os.environ.items() if not name.startswith(("KAFKA_", "MONGO_", "RAWBANK_"))}
    env.update(RAWBANK_PORT=str(port), KAFKA_BOOTSTRAP_SERVERS="127.0.0.1:1", HOME=str(tmp_path),
               RAWBANK_ALLOW_EMBEDDED_SERVE="1")
    server = subprocess.Popen([sys.executable, "-m", "shared.cli", "serve", "inventory"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        def listening():
            try:
                return call("GET", f"http://127.0.0.1:{port}/healthz")[0] == 200
            except OSError:
                return False
        wait_until(listening, 60, interval=0.5, message="rawbank serve answering")
        assert_refused_in_json(port)
    finally:
        stop_process(server)
