"""The fake Bot API is strict: it refuses what Telegram would refuse, and answers the way Telegram does."""

from __future__ import annotations

import io
import json
import threading
import time

import httpx
import pytest
from botapi_rules import Rejected, Spec, parse_html
from fakebotapi import USER, FakeBotApi, message, private_chat
from PIL import Image

TOKEN = "123456789:AAFakeTokenForTestsOnly_abcdefghijklmnop"
SPEC = Spec.load()
needs_spec = pytest.mark.skipif(SPEC is None, reason="../shared/telegram-bot-api-spec.json is not beside the checkout")


@pytest.fixture
def api():
    with FakeBotApi(TOKEN, spec=SPEC) as fake:
        fake.chats[USER["id"]] = private_chat(USER)
        with httpx.Client(base_url=fake.base_url + TOKEN + "/", timeout=5) as client:
            yield fake, client


def post(client, method, **params):
    data = {k: v if isinstance(v, str) else json.dumps(v) for k, v in params.items()}
    response = client.post(method, data=data)
    return response.status_code, response.json()


def test_answers_like_telegram(api):
    """A valid sendMessage gets ok/result with a Message; the call is recorded with decoded params."""
    fake, client = api
    status, body = post(client, "sendMessage", chat_id=USER["id"], text="<b>Hi</b> &amp; bye", parse_mode="HTML")
    assert status == 200 and body["ok"] and body["result"]["text"] == "Hi & bye"
    assert fake.calls[-1].params["chat_id"] == USER["id"] and fake.violations == []


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("<b>unclosed", "Can't find end tag"),
        ("<br>line", 'Unsupported start tag "br"'),
        ("a & b", "unescaped '&'"),
        ("</i>", "Unexpected end tag"),
        ("<b><i>x</b></i>", "Unmatched end tag"),
        ("1 < 2", "start tag at byte offset 2"),
        ("2 > 1", "Unescaped '>'"),
        ("&nbsp;", "Unsupported HTML entity"),
    ],
)
def test_refuses_html_telegram_cannot_parse(api, text, error):
    """Unbalanced tags, unknown tags and unescaped <, > and & are 400 can't parse entities."""
    fake, client = api
    status, body = post(client, "sendMessage", chat_id=USER["id"], text=text, parse_mode="HTML")
    assert status == 400 and body["description"].startswith("Bad Request: can't parse entities: ")
    assert error in body["description"]
    fake.violations.clear()


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("杭州 > 1", "Unescaped '>' at byte offset 7"),
        ("🚀 & x", "unescaped '&' at byte offset 5"),
        ("<b>杭</b> <x>", 'Unsupported start tag "x" at byte offset 11'),
        ("é</i>", "Unexpected end tag at byte offset 2"),
        ("<b>é</i>", 'Unmatched end tag at byte offset 5, expected "</b>", found "</i>"'),
        ("<code>杭<b>", 'Can\'t use tag "b" inside "code" at byte offset 9'),
        ("<a>x</a>", 'Tag "a" must have attribute "href"'),
        ("é <b", "Unclosed start tag at byte offset 3"),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler"'),
    ],
)
def test_html_errors_give_the_byte_offset_of_the_bad_markup(text, error):
    """Errors name the UTF-8 byte offset, as Telegram's do, however much non-ASCII text comes before."""
    with pytest.raises(Rejected) as refused:
        parse_html(text)
    description = refused.value.description
    assert description.startswith("Bad Request: can't parse entities: ") and error in description


def test_html_keeps_the_text_around_and_between_tags():
    """Text before, between and after tags and entities is shown whole; tags and entities are not."""
    assert parse_html("杭州 <b>a &lt;b&gt;</b>\n<i>x</i> tail &amp; 🚀") == "杭州 a <b>\nx tail & 🚀"
    assert parse_html('<pre><code class="language-py">x</code></pre><a href="u">l</a>') == "xl"


def test_counts_length_after_parsing_in_utf16_units(api):
    """4096 characters after parsing pass whatever the markup; 4097, or 2049 emoji, are too long."""
    fake, client = api
    assert (
        post(client, "sendMessage", chat_id=USER["id"], text="<b>" + "x" * 4096 + "</b>", parse_mode="HTML")[0] == 200
    )
    for text in ("x" * 4097, "🚀" * 2049, "   "):
        assert post(client, "sendMessage", chat_id=USER["id"], text=text)[0] == 400
    assert parse_html("&#128640;&#x1F680;") == "🚀🚀"
    fake.violations.clear()


def test_refuses_callback_data_over_64_bytes(api):
    """Callback data of 65 bytes, or 22 Chinese characters (66 bytes), is BUTTON_DATA_INVALID."""
    fake, client = api
    for data in ("x" * 65, "杭" * 22):
        markup = {"inline_keyboard": [[{"text": "b", "callback_data": data}]]}
        status, body = post(client, "sendMessage", chat_id=USER["id"], text="t", reply_markup=markup)
        assert status == 400 and body["description"] == "Bad Request: BUTTON_DATA_INVALID"
    fake.violations.clear()


def test_refuses_too_many_or_duplicate_inline_results(api):
    """51 results, duplicate ids and ids over 64 bytes are refused."""
    fake, client = api

    def article(i):
        return {"type": "article", "id": str(i), "title": "t", "input_message_content": {"message_text": "m"}}

    for results in ([article(i) for i in range(51)], [article(1), article(1)], [article("x" * 65)]):
        assert post(client, "answerInlineQuery", inline_query_id="1", results=results)[0] == 400
    assert post(client, "answerInlineQuery", inline_query_id="1", results=[article(i) for i in range(50)])[0] == 200
    fake.violations.clear()


@needs_spec
def test_checks_methods_and_parameters_against_the_spec(api):
    """Unknown methods are 404; missing, unknown or mistyped parameters and objects are 400."""
    fake, client = api
    assert post(client, "sendMesage", chat_id=1, text="t")[0] == 404
    assert "text" in post(client, "sendMessage", chat_id=USER["id"])[1]["description"]
    assert post(client, "sendMessage", chat_id=USER["id"], text="t", colour="red")[0] == 400
    assert post(client, "sendMessage", chat_id=USER["id"], text="t", message_thread_id="seven")[0] == 400
    assert (
        post(client, "sendMessage", chat_id=USER["id"], text="t", reply_markup={"inline_keyboard": [[{"txt": "b"}]]})[0]
        == 400
    )
    bad_result = {"type": "article", "id": "1", "title": "t"}
    assert post(client, "answerInlineQuery", inline_query_id="1", results=[bad_result])[0] == 400
    assert len(fake.violations) == 6
    fake.violations.clear()


@needs_spec
def test_checks_fed_updates_against_the_spec():
    """An update missing a required field never reaches the bot: the test itself is wrong."""
    from botapi_rules import Rejected

    with FakeBotApi(TOKEN, spec=SPEC) as fake, pytest.raises(Rejected):
        fake.feed({"message": {"message_id": 1, "text": "no chat, no date"}})


def test_injected_failures_answer_429_and_502(api):
    """fail_next makes the next calls 429 with retry_after, or 502, then calls succeed again."""
    fake, client = api
    fake.fail_next("sendMessage", 1, status=429, retry_after=3)
    fake.fail_next("sendMessage", 1, status=502)
    status, body = post(client, "sendMessage", chat_id=USER["id"], text="t")
    assert status == 429 and body["parameters"] == {"retry_after": 3} and body["error_code"] == 429
    assert post(client, "sendMessage", chat_id=USER["id"], text="t")[0] == 502
    assert post(client, "sendMessage", chat_id=USER["id"], text="t")[0] == 200


def test_wrong_token_and_unknown_chat(api):
    """Another token is 401 Unauthorized; a chat the bot never saw is 400 chat not found."""
    fake, client = api
    assert httpx.post(fake.base_url + "1:x/getMe").status_code == 401
    assert post(client, "sendMessage", chat_id=99, text="t")[1]["description"] == "Bad Request: chat not found"
    fake.violations.clear()


def test_listeners_hear_each_recorded_call_once_it_is_answered(api):
    """Listeners get every recorded call, refused ones too, with its status; not a request with a wrong token."""
    fake, client = api
    heard = []
    fake.listeners.append(heard.append)
    httpx.post(fake.base_url + "1:x/getMe")
    post(client, "getMe")
    post(client, "sendMessage", chat_id=USER["id"], text="a & b", parse_mode="HTML")
    deadline = time.monotonic() + 5
    while len(heard) < 2 and time.monotonic() < deadline:  # told after the answer went out, maybe after we read it
        time.sleep(0.01)
    assert [(c.method, c.status) for c in heard] == [("getMe", 200), ("sendMessage", 400)]
    fake.violations.clear()


def test_get_updates_long_polls_and_confirms_by_offset(api):
    """getUpdates waits until an update is fed, and an offset past it confirms it."""
    fake, client = api
    threading.Timer(0.2, lambda: fake.feed({"message": message("hi")})).start()
    started = time.monotonic()
    status, body = post(client, "getUpdates", timeout=5)
    assert status == 200 and [u["message"]["text"] for u in body["result"]] == ["hi"]
    assert 0.15 < time.monotonic() - started < 3
    update_id = body["result"][0]["update_id"]
    assert post(client, "getUpdates", offset=update_id + 1, timeout=0)[1]["result"] == []


def test_get_updates_conflicts_with_a_webhook(api):
    """While a webhook is set, getUpdates is 409 Conflict, as on Telegram."""
    _fake, client = api
    post(client, "setWebhook", url="https://bot.example.org/hook")
    assert post(client, "getUpdates")[0] == 409
    post(client, "deleteWebhook")
    assert post(client, "getUpdates")[0] == 200


def png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(out, format="PNG")
    return out.getvalue()


def send_photo(client, photo, **params):
    """sendPhoto as python-telegram-bot sends an upload: multipart/form-data, the file as a part."""
    data = {k: v if isinstance(v, str) else json.dumps(v) for k, v in params.items()}
    files = {"photo": ("chart.png", photo, "image/png")} if isinstance(photo, bytes) else None
    if not isinstance(photo, bytes):
        data["photo"] = photo
    response = client.post("sendPhoto", data=data, files=files)
    return response.status_code, response.json()


def test_send_photo_takes_an_uploaded_png_and_answers_with_its_sizes(api):
    """An uploaded PNG with an HTML caption is a Message with the photo in sizes, the largest the
    upload's own, and the caption as shown; its file_id can be sent again."""
    fake, client = api
    status, body = send_photo(client, png(1200, 800), chat_id=USER["id"], caption="<b>杭州</b> — a", parse_mode="HTML")
    assert status == 200, body
    sizes = body["result"]["photo"]
    assert (sizes[-1]["width"], sizes[-1]["height"]) == (1200, 800) and max(sizes[0]["width"], sizes[0]["height"]) == 90
    assert body["result"]["caption"] == "杭州 — a"
    assert fake.photos(USER["id"])[0].upload.startswith(b"\x89PNG")
    assert send_photo(client, sizes[-1]["file_id"], chat_id=USER["id"])[0] == 200


@pytest.mark.parametrize(
    ("photo", "params", "error"),
    [
        (b"GIF89a not a png", {}, "IMAGE_PROCESS_FAILED"),
        (png(300, 200)[:-20], {}, "IMAGE_PROCESS_FAILED"),
        (png(3000, 100), {}, "PHOTO_INVALID_DIMENSIONS"),
        (png(6000, 4500), {}, "PHOTO_INVALID_DIMENSIONS"),
        (png(300, 200), {"caption": "x" * 1025}, "message caption is too long"),
        (png(300, 200), {"caption": "<b>" + "杭" * 1024 + "</b>", "parse_mode": "HTML"}, None),
        (png(300, 200), {"caption": "<b>open", "parse_mode": "HTML"}, "can't parse entities"),
        ("no-such-file-id", {}, "wrong file identifier"),
    ],
)
def test_send_photo_refuses_what_telegram_would(api, photo, params, error):
    """Not a PNG, a cut-off one, sides out of Telegram's bounds, a caption over 1024 characters
    after parsing or with broken HTML, an unknown file id: 400, as Telegram answers."""
    fake, client = api
    status, body = send_photo(client, photo, chat_id=USER["id"], **params)
    if error is None:
        assert status == 200, body
    else:
        assert status == 400 and error in body["description"]
    fake.violations.clear()


@needs_spec
def test_send_photo_takes_a_file_only_as_an_upload(api):
    """A file's bytes sent in a JSON body rather than a multipart upload are refused."""
    fake, client = api
    response = client.post("sendPhoto", json={"chat_id": USER["id"], "photo": {"bytes": "iVBORw0KGgo="}})
    assert response.status_code == 400
    fake.violations.clear()
