"""Admin /reload, flood limits and server errors mid-conversation, and the token kept out of logs."""

from __future__ import annotations

import html
import logging

import pytest
from botapi_rules import parse_html
from conftest import TOKEN
from fakebotapi import ADMIN, USER, callback, inline, message
from kbedit import append, set_field

from bot.curation.reload import LiveEngine
from bot.engine import Engine
from bot.knowledge import check

MARKER = " [edited: R&D <zebra>]"

# python-telegram-bot's own RetryAfter.__init__ reads its deprecated int `retry_after`.
pytestmark = pytest.mark.filterwarnings("ignore:.*retry_after.*:telegram.warnings.PTBDeprecationWarning")


def ask(fake, text, user=USER):
    before = len(fake.sent(user["id"]))
    fake.feed({"message": message(text, user=user)})
    return fake.wait_for("sendMessage", before + 1, where=lambda c: c.params["chat_id"] == user["id"])[before:]


def hangzhou_fact(directory):
    """A Hangzhou fact without figures, so its text can change freely."""
    return next(f for f in Engine.load(directory).kb.facts if "hangzhou" in f.about and not f.numbers)


def test_admin_reload_swaps_in_an_edited_fact_and_reports_the_diff(fake, make_bot, knowledge):
    """A valid edit reloads: the reply gives the counts and the edited id, new answers show the edit escaped."""
    make_bot(live=LiveEngine.load(knowledge))
    fact = hangzhou_fact(knowledge)
    set_field(knowledge, fact.id, "text", lambda old: old + MARKER)
    [reply] = ask(fake, "/reload", user=ADMIN)
    assert "Reloaded:" in reply.text and "Edited (1):" in reply.text and fact.id in reply.text
    answer = ask(fake, fact.text)[0]
    assert html.escape(MARKER, quote=False) in answer.text
    assert MARKER in parse_html(answer.text)


def test_admin_reload_of_broken_knowledge_lists_every_problem_and_keeps_answering(fake, make_bot, knowledge):
    """A broken edit is refused: every problem is listed with file, line and key; old answers still work."""
    make_bot(live=LiveEngine.load(knowledge))
    fact = hangzhou_fact(knowledge)
    set_field(knowledge, fact.id, "text", lambda old: old + MARKER)
    set_field(knowledge, fact.id, "source", lambda old: "no-such-source")
    append(knowledge, "places.toml", '[[fact]]\nid = "Broken Id"\ntext = "A fact with <no> source & a bad id."\n')
    problems = check(knowledge)
    assert len(problems) >= 3
    replies = ask(fake, "/reload", user=ADMIN)
    fake.wait_for("sendMessage", where=lambda c: "Broken Id" in c.text or c.text.count("•") > 50, timeout=5)
    shown = "\n".join(parse_html(c.text) for c in fake.sent(ADMIN["id"]))
    assert "Reload failed with" in shown
    for problem in problems:
        assert str(problem) in shown
        assert f":{problem.line}: " in str(problem)
    assert replies
    answer = ask(fake, fact.text)[0]
    assert "edited" not in answer.text and "Source:" in answer.text


def test_non_admin_reload_is_refused_and_logged_with_the_user_id(fake, bot, caplog):
    """/reload from anyone else gets a polite refusal; the attempt is logged with their user id."""
    with caplog.at_level(logging.WARNING, logger="bot.telegram.handlers"):
        [reply] = ask(fake, "/reload")
    assert "only the bot's administrators" in reply.text
    assert f"refused /reload from user id {USER['id']}" in caplog.text


def test_flood_limit_429_delays_the_reply_but_never_loses_it(fake, bot):
    """A 429 with retry_after on sendMessage is waited out and the reply still arrives."""
    fake.fail_next("sendMessage", 1, status=429, retry_after=1)
    [reply] = ask(fake, "Yiwu")
    refused = [c for c in fake.calls if c.method == "sendMessage" and c.status == 429]
    assert len(refused) == 1 and refused[0].at < reply.at - 0.9
    assert "Yiwu" in reply.text


def test_bad_gateway_502_is_retried_until_the_reply_arrives(fake, bot):
    """Two 502s from sendMessage mid-conversation delay the answer; it arrives once."""
    ask(fake, "Yiwu")
    fake.fail_next("sendMessage", 2, status=502)
    replies = ask(fake, "What is a Live Salesman?")
    assert len([c for c in fake.calls if c.status == 502]) == 2
    assert len(replies) == 1 and "Source:" in replies[0].text


def test_502_on_get_updates_loses_no_update(fake, bot):
    """A 502 answering getUpdates only delays polling; the pending question is still answered."""
    ask(fake, "Yiwu")
    fake.fail_next("getUpdates", 1, status=502)
    [reply] = ask(fake, "What is a Live Salesman?")
    assert "Source:" in reply.text


def test_token_never_appears_in_logs(fake, make_bot, caplog):
    """At DEBUG, a conversation with buttons, inline mode and a 429 logs nothing containing the token."""
    with caplog.at_level(logging.DEBUG):
        make_bot()
        fake.fail_next("sendMessage", 1, status=429, retry_after=1)
        [reply] = ask(fake, "What are the targets of Hangzhou's plan?")
        fake.feed(callback(reply, reply.buttons[0]["callback_data"]))
        fake.feed(inline("yiwu"))
        fake.wait_for("answerInlineQuery")
        fake.wait_for("sendMessage", 2)
    assert "ready:" in caplog.text and "mode polling" in caplog.text
    assert caplog.records
    assert TOKEN not in caplog.text
    assert not any(TOKEN in str(r.args) or TOKEN in str(r.msg) for r in caplog.records)
    assert TOKEN.partition(":")[2] not in caplog.text
