"""`livebot run --webhook` against junk: requests refused on their headers before their bodies are
read (the process's memory shows it), malformed bodies answered 400, huge log lines cut."""

from __future__ import annotations

import json
import socket
import threading
from pathlib import Path

import pytest
from fakebotapi import USER, message
from test_runner import free_port, livebots, post_update

from bot.telegram.runner import LOG_LINE_LIMIT
from bot.telegram.webhook import MAX_UPDATE_BYTES

SECRET = "s3cret-Token_42"
JUNK = 90 << 20  # bytes, as in a POST that once took the process from 62 to 710 MiB, five at once


class Webhook:
    """A `livebot run --webhook` process serving on `port`."""

    def __init__(self, bot, port: int) -> None:
        self.bot = bot
        self.port = port

    def peak_rss(self) -> int:
        """The process's peak resident memory so far, in bytes (Linux's VmHWM)."""
        status = Path(f"/proc/{self.bot.proc.pid}/status").read_text()
        kib = next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:"))
        return int(kib) * 1024

    def connect(self, length: int, secret: str | None = None) -> socket.socket:
        """Sends the headers of a POST declaring a body of `length` bytes (chunked if negative), and no body yet."""
        sock = socket.create_connection(("127.0.0.1", self.port), timeout=5)
        head = "POST /livebot/hook HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        head += f"Content-Length: {length}\r\n" if length >= 0 else "Transfer-Encoding: chunked\r\n"
        head += f"X-Telegram-Bot-Api-Secret-Token: {secret}\r\n" if secret else ""
        sock.sendall((head + "\r\n").encode())
        return sock

    def post(self, body: bytes, secret: str | None = SECRET) -> int:
        with self.connect(len(body), secret) as sock:
            sock.sendall(body)
            return status_of(sock)


def status_of(sock: socket.socket) -> int:
    """The status code of the answer waiting on `sock`."""
    line = sock.makefile("rb").readline()
    return int(line.split()[1])


def push_junk(hook: Webhook, secret: str | None) -> None:
    """A client that sends JUNK bytes of body whatever the answer, until the server hangs up."""
    chunk = b"x" * (1 << 20)
    with hook.connect(JUNK, secret) as sock:
        try:
            for _ in range(JUNK // len(chunk)):
                sock.sendall(chunk)
        except OSError:
            pass  # refused and hung up on, as it should be


@pytest.fixture
def hook(fake):
    if not Path("/proc/self/status").exists():
        pytest.skip("needs Linux's /proc to read the process's memory")
    with livebots(fake) as run:
        port = free_port()
        env = {"LIVEBOT_WEBHOOK_URL": "https://bot.example.org/livebot/hook", "LIVEBOT_WEBHOOK_SECRET": SECRET}
        bot = run("--webhook", "--port", str(port), **env)
        bot.wait_line("serving the webhook")
        fake.chats[USER["id"]] = {"id": USER["id"], "type": "private", "first_name": USER["first_name"]}
        yield Webhook(bot, port)


def answered(fake, hook: Webhook, update_id: int, text: str = "Yiwu") -> bool:
    """Whether an update posted with the secret is taken (200) and answered."""
    before = len(fake.sent(USER["id"]))
    status = post_update(hook.port, {"update_id": update_id, "message": message(text)}, SECRET)
    return status == 200 and "Source:" in fake.wait_for("sendMessage", before + 1, timeout=10)[-1].text


def test_a_request_without_the_secret_or_declaring_a_huge_body_is_refused_before_its_body_is_read(fake, hook):
    """Without the secret (403), or declaring more than an update could be (413), a POST is
    answered before a byte of its body is sent; five clients pushing 90 MiB each anyway leave the
    process's memory as it was, and the bot goes on answering."""
    for secret, status in ((None, 403), ("wrong", 403), (SECRET, 413)):
        with hook.connect(JUNK, secret) as sock:
            assert status_of(sock) == status
    assert answered(fake, hook, 1)
    before = hook.peak_rss()
    pushers = [threading.Thread(target=push_junk, args=(hook, s)) for s in (None, "wrong", None, SECRET, None)]
    for pusher in pushers:
        pusher.start()
    for pusher in pushers:
        pusher.join(30)
    assert hook.peak_rss() - before < 20 << 20
    assert answered(fake, hook, 2)


MALFORMED = {
    "empty": b"",
    "cut short": b'{"update_id": 1, "mess',
    "UTF-16": '{"update_id": 1}'.encode("utf-16"),
    "Latin-1": '{"update_id": 1, "x": "é"}'.encode("latin-1"),
    "an array": b"[1, 2]",
    "no update_id": b'{"message": {}}',
    "a text update_id": b'{"update_id": "one"}',
    "a number for a message": b'{"update_id": 5, "message": 7}',
    "nested too deep": b"[" * 100_000,
}


def test_a_malformed_body_with_the_secret_gets_400_and_the_bot_goes_on(fake, hook):
    """A body that is empty, not UTF-8, not JSON or no update is answered 400 (not 500), logged
    in one line without a traceback, and the next update is answered."""
    statuses = {name: hook.post(body) for name, body in MALFORMED.items()}
    assert statuses == dict.fromkeys(MALFORMED, 400)
    assert answered(fake, hook, 9)
    assert "Traceback" not in hook.bot.output and " ERROR " not in hook.bot.output
    assert hook.bot.output.count("webhook: refused a body of") == len(MALFORMED)


def test_an_update_sent_without_a_length_is_cut_off_beyond_the_cap(fake, hook):
    """An update sent in chunks, without a declared length, is read only up to the cap, then
    refused unanswered; the bot goes on answering."""
    update = {"update_id": 3, "message": message("Yiwu"), "padding": "p" * (2 * MAX_UPDATE_BYTES)}
    body = json.dumps(update).encode()
    before = len(fake.sent(USER["id"]))
    with hook.connect(-1, SECRET) as sock:
        try:
            for start in range(0, len(body), 1 << 16):
                piece = body[start : start + (1 << 16)]
                sock.sendall(b"%x\r\n%s\r\n" % (len(piece), piece))
            sock.sendall(b"0\r\n\r\n")
            assert status_of(sock) == 400
        except OSError:
            pass  # hung up on before the answer could be read
    assert answered(fake, hook, 4)
    assert len(fake.sent(USER["id"])) == before + 1


def test_a_large_update_is_taken_and_logged_cut_to_a_line_at_debug(fake, hook):
    """An update far larger than Telegram sends, but under the cap, is answered, and at DEBUG no
    log line holds more than LOG_LINE_LIMIT characters of it."""
    update = {"update_id": 5, "message": message("Yiwu"), "padding": "p" * (MAX_UPDATE_BYTES // 2)}
    before = len(fake.sent(USER["id"]))
    assert hook.post(json.dumps(update).encode()) == 200
    fake.wait_for("sendMessage", before + 1, timeout=10)
    hook.bot.wait_line("Processing update")
    assert max(len(line) for line in hook.bot.lines) < LOG_LINE_LIMIT + 200


def test_a_port_already_taken_is_a_clear_error(fake):
    """With the webhook port taken, `livebot run --webhook` exits 1 naming the address, no traceback."""
    with socket.socket() as taken, livebots(fake) as run:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        bot = run("--webhook", "--port", str(port), LIVEBOT_WEBHOOK_URL="https://bot.example.org/livebot/hook")
        assert bot.stop(None) == 1
    assert f"LIVEBOT_WEBHOOK_PORT: cannot listen on 127.0.0.1:{port}: Address already in use" in bot.output
    assert "Traceback" not in bot.output
