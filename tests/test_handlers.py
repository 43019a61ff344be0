"""Private chat end to end: the real Application polls the strict fake Bot API over HTTP.

Every reply the fake accepted was checked against the spec and Telegram's limits (valid HTML,
4096 characters, 64-byte callback data); the `fake` fixture fails the test on any rejected call.
"""

from __future__ import annotations

import re
import time

from botapi_rules import parse_html
from fakebotapi import USER, ZH_USER, callback, message
from kbedit import set_field

from bot.curation.reload import LiveEngine

CJK = re.compile(r"[\u4e00-\u9fff]")


def ask(fake, text, user=USER, **extra):
    """Sends a private message and returns the bot's reply (the first message if it was split)."""
    before = len(fake.sent(user["id"]))
    fake.feed({"message": message(text, user=user, **extra)})
    return fake.wait_for("sendMessage", before + 1, where=lambda c: c.params["chat_id"] == user["id"])[before]


def quiet(fake, chat_id, sentinel_user=USER, grace=0.2):
    """Proves nothing was sent to chat_id: a later private question is answered first, then a grace."""
    ask(fake, "Yiwu", user=sentinel_user)
    time.sleep(grace)
    return [c for c in fake.sent(chat_id)]


def test_private_question_gets_an_html_answer_with_its_source(fake, bot):
    """Any text in a private chat is a question; the answer is HTML with an italic source line,
    without a link preview card under it."""
    reply = ask(fake, "What are the targets of Hangzhou's plan?")
    assert reply.params["parse_mode"] == "HTML"
    assert reply.params["link_preview_options"] == {"is_disabled": True}
    assert "Hangzhou" in reply.text
    assert re.search(r"<i>Source: [^<]+</i>", reply.text)


def test_chinese_question_gets_a_chinese_answer(fake, bot):
    """A question in Chinese is answered in Chinese, its source labelled 来源."""
    reply = ask(fake, "义乌")
    shown = parse_html(reply.text)
    assert len(CJK.findall(shown)) > 20
    assert "来源" in shown


def test_answer_buttons_carry_short_callback_data(fake, bot):
    """An answer has a full-source button and 'more on' buttons, each callback under 64 bytes."""
    reply = ask(fake, "What are the targets of Hangzhou's plan?")
    labels = [b["text"] for b in reply.buttons]
    assert labels[0] == "Full source" or labels[0].startswith("Source")
    assert any(label.startswith("More on") for label in labels)
    assert all(len(b["callback_data"].encode()) <= 64 for b in reply.buttons)


def test_source_button_sends_the_full_source_record(fake, bot):
    """Pressing a source button answers the callback and sends the source's publisher and date."""
    reply = ask(fake, "What are the targets of Hangzhou's plan?")
    source = next(b for b in reply.buttons if b["callback_data"].startswith("s|"))
    fake.feed(callback(reply, source["callback_data"]))
    fake.wait_for("answerCallbackQuery")
    details = fake.wait_for("sendMessage", 2)[-1]
    assert "Publisher" in details.text and "Source" in details.text
    assert not any(b["callback_data"].startswith("s|") for b in details.buttons)


def test_more_button_opens_the_entity(fake, bot):
    """Pressing 'More on Hangzhou' sends Hangzhou's overview with its sources."""
    reply = ask(fake, "What are the targets of Hangzhou's plan?")
    more = next(b for b in reply.buttons if b["text"] == "More on Hangzhou")
    fake.feed(callback(reply, more["callback_data"]))
    overview = fake.wait_for("sendMessage", 2)[-1]
    assert "Hangzhou" in overview.text and "Source:" in overview.text


def test_no_match_offers_did_you_mean_buttons_that_open_facts(fake, bot):
    """A question the knowledge cannot answer is declined with suggestions that open as answers."""
    reply = ask(fake, "What is the weather in Chengdu tomorrow?")
    assert "Source:" not in reply.text
    assert reply.buttons, "a declined question offers something to read instead"
    fake.feed(callback(reply, reply.buttons[0]["callback_data"]))
    opened = fake.wait_for("sendMessage", 2)[-1]
    assert "Source:" in opened.text


def test_stale_or_foreign_callback_data_is_answered_without_a_message(fake, bot):
    """Callback data the bot did not make, or for a fact no longer known, only gets a short notice."""
    reply = ask(fake, "Yiwu")
    fake.feed(callback(reply, "o|en|no-such-fact-anymore"))
    fake.feed(callback(reply, "something else entirely"))
    answers = fake.wait_for("answerCallbackQuery", 2)
    assert {a.params.get("text") for a in answers} == {
        "That is no longer in my knowledge.",
        "This button no longer works; please ask again.",
    }
    assert len(fake.sent()) == 1


def test_start_greets_in_english_with_examples(fake, bot):
    """/start greets with example questions and topic buttons."""
    reply = ask(fake, "/start")
    assert "Hello" in reply.text and "•" in reply.text
    assert reply.buttons


def test_start_greets_a_chinese_user_in_chinese(fake, bot):
    """/start from a user whose Telegram language is Chinese greets in Chinese."""
    reply = ask(fake, "/start", user=ZH_USER)
    assert "你好" in reply.text


def test_start_from_the_inline_deep_link_greets(fake, bot):
    """/start inline (the inline button's deep link) greets like /start."""
    assert "Hello" in ask(fake, "/start inline").text


def test_help_lists_the_commands(fake, bot):
    """/help explains how to ask and lists /ask, /topics and /about and inline use."""
    reply = ask(fake, "/help")
    for command in ("/ask", "/topics", "/about", "@livebot_test_bot"):
        assert command in reply.text


def test_about_reports_counts_sources_and_load_time(fake, bot, engine):
    """/about gives the knowledge counts, when it was loaded and every source."""
    reply = ask(fake, "/about")
    counts = engine.kb.counts()
    assert f"{counts['facts']} facts" in reply.text and f"{counts['sources']} sources" in reply.text
    assert re.search(r"loaded \d{4}-\d\d-\d\d \d\d:\d\d UTC", reply.text)
    assert reply.text.count("•") == counts["sources"]


def test_topics_lists_cities_plans_and_occupations_as_buttons(fake, bot):
    """/topics names cities, plans and occupations, and each topic button opens its overview."""
    reply = ask(fake, "/topics")
    for kind in ("Cities", "Plans", "Occupations"):
        assert kind in reply.text
    hangzhou = next(b for b in reply.buttons if b["text"] == "Hangzhou")
    fake.feed(callback(reply, hangzhou["callback_data"]))
    assert "Hangzhou" in fake.wait_for("sendMessage", 2)[-1].text


def test_ask_command_answers_and_explains_itself_when_empty(fake, bot):
    """/ask QUESTION answers the question; /ask alone shows how to use it."""
    assert "Source:" in ask(fake, "/ask What are the targets of Hangzhou's plan?").text
    assert "/ask" in ask(fake, "/ask").text


def test_unknown_command_gets_a_hint(fake, bot):
    """An unknown command in a private chat points to /help."""
    assert "/help" in ask(fake, "/frobnicate").text


def test_sticker_and_photo_get_one_text_only_hint_each(fake, bot):
    """A sticker or a photo gets exactly one short 'text only' reply, not an error."""
    sticker = {
        "file_id": "s1",
        "file_unique_id": "u1",
        "type": "regular",
        "width": 512,
        "height": 512,
        "is_animated": False,
        "is_video": False,
    }
    photo = [{"file_id": "p1", "file_unique_id": "u2", "width": 90, "height": 90}]
    fake.feed({"message": message(user=USER, sticker=sticker)})
    fake.feed({"message": message(user=USER, photo=photo)})
    replies = fake.wait_for("sendMessage", 2)
    assert all("text only" in r.text for r in replies)
    assert len(quiet(fake, USER["id"])) == 3


def test_edited_message_is_ignored(fake, bot):
    """Editing a question sends nothing new (no double answers)."""
    first = ask(fake, "Yiwu")
    edited = message("What is a Live Salesman?", user=USER, edit_date=int(time.time()))
    fake.feed({"edited_message": edited})
    replies = quiet(fake, USER["id"])
    assert replies[0] is first and len(replies) == 2


def test_five_thousand_characters_get_the_polite_limit(fake, bot):
    """A 5,000-character message is answered with the length limit, not an error."""
    reply = ask(fake, "why " * 1250)
    assert "too long" in reply.text


def test_own_inline_results_and_other_bots_are_never_answered(fake, bot):
    """A message sent via this bot's inline mode is not taken for a question."""
    via = {"id": fake.bot["id"], "is_bot": True, "first_name": "Livebot", "username": "livebot_test_bot"}
    fake.feed({"message": message("Hangzhou is the birthplace of e-commerce.", user=USER, via_bot=via)})
    assert len(quiet(fake, USER["id"])) == 1


def test_long_answer_is_split_below_the_limit_with_buttons_on_the_last_part(fake, make_bot, knowledge):
    """An answer over 4096 characters arrives as several valid messages; buttons only on the last."""
    set_field(knowledge, "yiwu", "description", lambda old: " ".join([old] * 40))
    make_bot(live=LiveEngine.load(knowledge))
    fake.feed({"message": message("Yiwu")})
    fake.wait_for("sendMessage", where=lambda c: bool(c.buttons))
    parts = fake.sent(USER["id"])
    assert len(parts) >= 2
    assert all(len(parse_html(p.text)) <= 4096 for p in parts)
    assert [bool(p.buttons) for p in parts] == [False] * (len(parts) - 1) + [True]
    assert "Source:" in parts[-1].text


def test_command_menu_is_set_in_english_and_chinese(fake, bot):
    """At start-up the bot registers its commands: English by default and Chinese for zh users."""
    fake.wait_for("setMyCommands", 2)
    assert [c["command"] for c in fake.commands[""]] == ["ask", "compare", "topics", "about", "help", "start"]
    assert all(CJK.search(c["description"]) for c in fake.commands["zh"])
