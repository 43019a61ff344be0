"""The curators' loop on Telegram, end to end: questions recorded per channel, 👍/👎, admin /gaps and
/stats, a broken question database, and watch mode, all over the strict fake Bot API with real
SQLite files in the test's data directory."""

from __future__ import annotations

import html
import logging
import sqlite3
import time
from types import SimpleNamespace

from botapi_rules import parse_html
from fakebotapi import ADMIN, GROUP, USER, ZH_USER, callback, inline, message
from kbedit import set_field
from test_handlers_reload import MARKER, hangzhou_fact
from waiting import eventually

from bot.curation.recording import Recorder, database_path
from bot.curation.reload import LiveEngine

HANGZHOU = "What are the targets of Hangzhou's plan?"
CHENGDU = ("How many anchors does Chengdu have?", "Chengdu anchors", "anchors in chengdu?")


def ask(fake, text, user=USER):
    """Sends a private message and returns the bot's last reply to it."""
    before = len(fake.sent(user["id"]))
    fake.feed({"message": message(text, user=user)})
    return fake.wait_for("sendMessage", before + 1, where=lambda c: c.params["chat_id"] == user["id"])[-1]


def ask_group(fake, text):
    before = len(fake.sent(GROUP["id"]))
    fake.feed({"message": message(text, chat=GROUP)})
    return fake.wait_for("sendMessage", before + 1, where=lambda c: c.params["chat_id"] == GROUP["id"])[-1]


def admin(fake, command):
    """An admin's command and the whole reply, all parts joined, as the user reads it."""
    before = len(fake.sent(ADMIN["id"]))
    ask(fake, command, user=ADMIN)
    return "\n".join(parse_html(c.text) for c in fake.sent(ADMIN["id"])[before:])


def votes(reply):
    return [b for b in reply.buttons if b["callback_data"].startswith("v|")]


def press(fake, shown, data, count):
    """Presses a button under the message `shown` (as last sent or edited); waits for the count-th callback answer."""
    fake.feed(callback(SimpleNamespace(result=shown), data))
    return fake.wait_for("answerCallbackQuery", count)[-1]


def labels(markup):
    return [[b["text"] for b in row] for row in markup["inline_keyboard"]]


def test_a_miss_from_private_chat_group_and_inline_is_one_gap_for_the_admin(fake, bot, data_dir):
    """Three phrasings of one miss, asked in a private chat, with /ask in a group and inline, are one
    /gaps row naming all three channels; inline keystrokes before the settled query are not recorded."""
    for query in ("anch", "anchors in", CHENGDU[2], "yiwu"):  # typing, then a new question
        fake.feed(inline(query))
    fake.wait_for("answerInlineQuery", 4)
    assert not votes(ask(fake, CHENGDU[0])), "a declined question gets no 👍/👎"
    assert "Source:" not in ask_group(fake, f"/ask {CHENGDU[1]}").text

    shown = admin(fake, "/gaps")
    assert "Top 1 of 1 gaps" in shown
    assert "3× · declined 3" in shown
    for channel in ("private 1", "group 1", "inline 1"):
        assert channel in shown
    assert "the knowledge does not cover Chengdu" in shown and "also asked:" in shown

    bot.stop()
    with sqlite3.connect(database_path(data_dir)) as db:
        rows = db.execute("SELECT channel, question FROM questions ORDER BY id").fetchall()
    assert ("inline", CHENGDU[2]) in rows and ("inline", "yiwu") in rows, "the last inline query is kept at shutdown"
    assert not any(q in ("anch", "anchors in") for _, q in rows)
    assert {c for c, _ in rows} == {"private", "group", "inline"}


def test_thumbs_up_then_down_keeps_one_down_vote_and_the_buttons_show_it(fake, bot):
    """👍 then 👎 on one answer: the markup ticks the current vote, keeps the other buttons, and
    /stats counts a single 👎; pressing 👎 again changes nothing and edits nothing."""
    reply = ask(fake, HANGZHOU)
    up, down = votes(reply)
    assert (up["text"], down["text"]) == ("👍", "👎")
    assert all(len(b["callback_data"].encode()) <= 64 for b in reply.buttons)

    assert press(fake, reply.result, up["callback_data"], 1).params["text"] == "Thanks for the feedback!"
    [edit] = fake.wait_for("editMessageReplyMarkup")
    assert labels(edit.result["reply_markup"])[-1] == ["👍 ✓", "👎"]
    assert labels(edit.result["reply_markup"])[:-1] == labels(reply.result["reply_markup"])[:-1]

    press(fake, edit.result, down["callback_data"], 2)
    edit = fake.wait_for("editMessageReplyMarkup", 2)[-1]
    assert labels(edit.result["reply_markup"])[-1] == ["👍", "👎 ✓"]

    press(fake, edit.result, down["callback_data"], 3)
    shown = admin(fake, "/stats")
    assert "👍 0 · 👎 1" in shown
    assert len([c for c in fake.calls if c.method == "editMessageReplyMarkup"]) == 2
    assert "👎 “What are the targets of Hangzhou's plan?” was shown:" in admin(fake, "/gaps")


def test_a_forged_or_stale_vote_button_says_it_no_longer_works(fake, bot):
    """A 👍 for an answer never recorded (callback data made up, or from a database since emptied)
    gets the stale-button reply, not thanks, and nothing is counted."""
    reply = ask(fake, HANGZHOU)
    assert press(fake, reply.result, "v|+|999999", 1).params["text"] == "This button no longer works; please ask again."
    assert (
        press(fake, reply.result, f"v|-|{2**62}", 2).params["text"] == "This button no longer works; please ask again."
    )
    assert "👍 0 · 👎 0" in admin(fake, "/stats")
    assert not [c for c in fake.calls if c.method == "editMessageReplyMarkup"]


def test_buttons_commands_and_groups_are_not_voted_on_and_presses_are_not_recorded(fake, bot):
    """Only typed questions are recorded: /start and a 'More on' press are not; answers opened by a
    button and answers in groups carry no 👍/👎."""
    reply = ask(fake, HANGZHOU)
    ask(fake, "/start")
    more = next(b for b in reply.buttons if b["text"] == "More on Hangzhou")
    fake.feed(callback(reply, more["callback_data"]))
    opened = fake.wait_for("sendMessage", 3)[-1]
    assert "Hangzhou" in opened.text and not votes(opened)
    assert not votes(ask_group(fake, f"/ask {HANGZHOU}"))
    shown = admin(fake, "/stats")
    assert shown.startswith("2 questions: 2 answered")
    assert "private: 1 (1 answered" in shown and "group: 1 (1 answered" in shown


def test_stats_for_an_admin_counts_by_channel_and_day_with_the_most_shown_facts(fake, bot):
    """/stats gives the totals, a line per channel and per day, and the most shown facts; /stats 7 too."""
    ask(fake, HANGZHOU)
    ask(fake, "Yiwu")
    ask(fake, CHENGDU[0])
    shown = admin(fake, "/stats")
    assert shown.startswith("3 questions: 2 answered, 0 low confidence, 1 declined, 0 chitchat")
    assert "By channel:\nprivate: 3 (2 answered, 0 low, 1 declined, 0 chitchat)" in shown
    assert f"Per day (last 1):\n{time.strftime('%Y-%m-%d', time.gmtime())}: 3" in shown
    assert "Most shown facts:\n1× " in shown
    assert admin(fake, "/stats 7").startswith("3 questions in the last 7 day(s):")
    assert "/stats 7" in admin(fake, "/stats last week")


def test_gaps_in_chinese_and_an_empty_database(fake, bot):
    """With nothing missed, /gaps says so; a Chinese-speaking admin's report is in Chinese."""
    assert admin(fake, "/gaps") == "No gaps: every recorded question was answered."
    ask(fake, "成都有多少主播？")
    zh_admin = {**ZH_USER, "id": ADMIN["id"]}
    ask(fake, "/gaps", user=zh_admin)
    shown = parse_html(fake.sent(ADMIN["id"])[-1].text)
    assert shown.startswith("共1个缺口") and "成都有多少主播？" in shown


def test_gaps_and_stats_are_refused_to_others_and_logged_with_the_user_id(fake, bot, caplog):
    """A non-admin's /gaps or /stats gets the same polite refusal as /reload; the user id is logged."""
    with caplog.at_level(logging.WARNING, logger="bot.telegram.handlers"):
        for command in ("gaps", "stats", "reload"):
            assert ask(fake, f"/{command}").text == f"Sorry, only the bot's administrators can use /{command}."
    for command in ("gaps", "stats"):
        assert f"refused /{command} from user id {USER['id']}" in caplog.text


def test_a_corrupt_database_leaves_the_bot_answering(fake, make_bot, data_dir, caplog):
    """Garbage in the question database: answers still arrive (without 👍/👎); /gaps says it cannot read it."""
    database_path(data_dir).write_bytes(b"not a database " * 400)
    with caplog.at_level(logging.WARNING, logger="bot.curation.recording"):
        make_bot()
        reply = ask(fake, HANGZHOU)
    assert "Source:" in reply.text and not votes(reply)
    assert "recording questions is off" in caplog.text
    assert "I cannot read the question database" in admin(fake, "/gaps")


def test_a_read_only_database_leaves_the_bot_answering(fake, make_bot, data_dir, engine, caplog):
    """A database SQLite must treat as read-only: answers arrive without 👍/👎, a vote on an older
    answer is declined politely, and /stats shows what was recorded before, noting that recording is off."""
    path = database_path(data_dir)
    with Recorder.open(path) as recorder:
        recorder.record("cli", engine.ask("Yiwu"))
    with Recorder.open(data_dir / "earlier.sqlite3") as earlier:
        old_id = earlier.record("private", engine.ask(HANGZHOU))
    header = bytearray(path.read_bytes())
    header[18] = 3  # file format write version 3: read-only to this SQLite
    path.write_bytes(bytes(header))
    with caplog.at_level(logging.WARNING, logger="bot.curation"):
        make_bot()
        first = ask(fake, HANGZHOU)
        shown = admin(fake, "/stats")
        assert "Source:" in ask(fake, "Yiwu").text
    assert "Source:" in first.text and not votes(first)
    assert "readonly" in caplog.text
    assert shown.startswith("Recording is off") and "1 questions: 1 answered" in shown
    reply = press(fake, first.result, f"v|+|{old_id}", 1)
    assert reply.params["text"] == "Sorry, I cannot keep feedback right now."


def test_a_data_folder_that_cannot_be_read_gets_the_admin_a_clear_reply(fake, make_bot, tmp_path, caplog):
    """With a file where the data folder should be, the bot answers, recording is off (logged once),
    and /gaps and /stats tell the admin the database cannot be read instead of staying silent."""
    blocked = tmp_path / "blocked"
    blocked.write_text("a file, not a folder")
    with caplog.at_level(logging.WARNING, logger="bot.curation"):
        make_bot(data_dir=blocked)
        assert "Source:" in ask(fake, HANGZHOU).text
    assert "recording questions is off" in caplog.text
    for command in ("/gaps", "/stats"):
        shown = admin(fake, command)
        assert shown.startswith("I cannot read the question database:") and "Not a directory" in shown


def test_without_a_data_directory_nothing_is_recorded(fake, make_bot, data_dir):
    """A bot with no data directory answers without 👍/👎, and /gaps says it is not recording."""
    make_bot(data_dir=None)
    assert not votes(ask(fake, HANGZHOU))
    assert "not recording questions" in admin(fake, "/gaps")
    assert not database_path(data_dir).exists()


def test_watch_mode_swaps_in_a_valid_edit_and_ignores_a_broken_one(fake, make_bot, knowledge, caplog):
    """With watch on, a valid edit changes the answer by itself; a broken edit is logged with every
    problem and the last good knowledge keeps answering."""
    caplog.set_level(logging.INFO, logger="bot")
    live = LiveEngine.load(knowledge)
    make_bot(live=live, watch=True, watch_interval=0.05, watch_settle=0.1)
    fact = hangzhou_fact(knowledge)
    assert "zebra" not in ask(fake, fact.text).text
    first = live.engine

    set_field(knowledge, fact.id, "text", lambda old: old + MARKER)
    eventually(lambda: live.engine is not first)
    assert html.escape(MARKER, quote=False) in ask(fake, fact.text).text
    assert "--watch reloaded:" in caplog.text and "1 edited" in caplog.text

    edited = live.engine
    set_field(knowledge, fact.id, "source", lambda old: "no-such-source")
    eventually(lambda: "--watch refused an edit" in caplog.text)
    assert "refers to unknown source 'no-such-source'" in caplog.text
    reply = ask(fake, fact.text)
    assert live.engine is edited
    assert html.escape(MARKER, quote=False) in reply.text and "Source:" in reply.text
