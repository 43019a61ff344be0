"""Charts in Telegram end to end: a comparison's text answer, then its chart as a photo (sendPhoto),
through the strict fake Bot API, which checks the upload is a whole PNG within Telegram's sides and
the caption valid HTML of at most 1024 characters. Inline mode stays text."""

from __future__ import annotations

import io
import time

from botapi_rules import parse_html
from fakebotapi import GROUP, USER, ZH_USER, inline, message
from PIL import Image

from bot.curation.reload import LiveEngine

TRAINS_MORE = "which plan trains more people, guangzhou or hangzhou"
FESTIVALS = "/compare double product festival, may fifth shopping festival"
GROWTH = "which grew more in q1: bilibili or ximalaya or shanghai online shopping"
NO_FONT_HAS = "\U00013000"


def text_for(fake, text, user=USER, chat=None):
    """Sends a message; returns the bot's text reply."""
    chat_id = (chat or {"id": user["id"]})["id"]
    before = len(fake.sent(chat_id))
    fake.feed({"message": message(text, user=user, chat=chat)})
    return fake.wait_for("sendMessage", before + 1, where=lambda c: c.params["chat_id"] == chat_id)[before]


def photo_for(fake, text, user=USER, chat=None):
    """Sends a message; returns the bot's text reply and the photo that followed it."""
    chat_id = (chat or {"id": user["id"]})["id"]
    before = len(fake.photos(chat_id))
    reply = text_for(fake, text, user, chat)
    return reply, fake.wait_for("sendPhoto", before + 1, where=lambda c: c.params["chat_id"] == chat_id)[before]


def no_photo_for(fake, text, user=USER, grace=0.3):
    """Sends a message; returns the text reply, after proving no photo came with it: a later
    comparison's photo is the only one, a grace period after."""
    before = len(fake.photos())
    reply = text_for(fake, text, user)
    sentinel = photo_for(fake, FESTIVALS, user)[1]
    time.sleep(grace)
    assert fake.photos()[before:] == [sentinel]
    return reply


def png(call):
    picture = Image.open(io.BytesIO(call.upload))
    picture.load()
    return picture


def test_comparison_in_a_private_chat_brings_its_chart_after_the_text(fake, bot):
    """A question comparing the plans gets the text answer, then a 1200×1081 PNG of the figures,
    captioned with the answer line in bold and its sources."""
    reply, photo = photo_for(fake, TRAINS_MORE)
    assert fake.calls.index(reply) < fake.calls.index(photo)
    picture = png(photo)
    assert picture.format == "PNG" and picture.size == (1200, 1081)
    assert (photo.result["photo"][-1]["width"], photo.result["photo"][-1]["height"]) == (1200, 1081)
    assert picture.text["Title"] == "Guangzhou plan vs Hangzhou plan"
    assert photo.params["parse_mode"] == "HTML" and photo.params["caption"].startswith("<b>Side by side")
    caption = parse_html(photo.params["caption"])
    assert caption.split("\n")[0] == parse_html(reply.text).split("\n")[0]
    assert "Sources: Guangzhou Bureau of Commerce" in caption and "reply_parameters" not in photo.params


def test_compare_command_sets_every_comparable_measure_side_by_side(fake, bot):
    """/compare guangzhou hangzhou answers with the three targets both plans set, then their chart."""
    reply, photo = photo_for(fake, "/compare guangzhou hangzhou")
    for measure in ("agencies cultivated", "brands incubated", "sellers trained"):
        assert measure in reply.text and measure in photo.params["caption"]
    assert png(photo).text["Source"].count("via The Paper") == 2


def test_chinese_compare_brings_a_chinese_chart(fake, bot, cjk_font):
    """/compare 广州 杭州 answers in Chinese, and its chart and caption are in Chinese."""
    reply, photo = photo_for(fake, "/compare 广州 杭州", user=ZH_USER)
    assert parse_html(reply.text).startswith("比较：")
    assert png(photo).text["Title"] == "广州行动方案 对 杭州三年计划"
    assert "来源：广州市商务局" in parse_html(photo.params["caption"])


def test_compare_in_a_group_replies_to_the_question_with_its_chart(fake, bot):
    """In a group, /compare's chart quotes the question it answers, as the text does."""
    msg = message(FESTIVALS, chat=GROUP)
    fake.feed({"message": msg})
    photo = fake.wait_for("sendPhoto", where=lambda c: c.params["chat_id"] == GROUP["id"])[0]
    assert photo.params["reply_parameters"]["message_id"] == msg["message_id"]
    assert "live stream length" in photo.params["caption"]


def test_compare_without_two_names_explains_itself(fake, bot):
    """/compare alone, or with one name, shows how to use it, with no chart."""
    assert "/compare guangzhou hangzhou" in no_photo_for(fake, "/compare").text
    assert "/compare guangzhou hangzhou" in no_photo_for(fake, "/compare guangzhou").text


def test_compare_of_an_unknown_name_says_so_without_a_chart(fake, bot):
    """/compare gotham hangzhou says Gotham is not known, and draws nothing."""
    assert "I do not know gotham" in no_photo_for(fake, "/compare gotham hangzhou").text


def test_figures_of_different_measures_come_as_text_alone(fake, bot):
    """Growth figures that measure different things are listed, not charted side by side."""
    assert "measure different things" in no_photo_for(fake, GROWTH).text


def test_a_chart_that_cannot_be_drawn_falls_back_to_the_text_answer(fake, make_bot, knowledge):
    """A figure written with a character no installed font has: the comparison still arrives as
    text, without a photo and without an error."""
    plans = knowledge / "plans.toml"  # the figure as its fact's text and its display write it
    plans.write_text(plans.read_text(encoding="utf-8").replace("10,000", f"10,000 {NO_FONT_HAS}"), encoding="utf-8")
    make_bot(live=LiveEngine.load(knowledge))
    reply = no_photo_for(fake, "/compare guangzhou hangzhou")
    assert f"10,000 {NO_FONT_HAS}" in reply.text


def test_inline_comparison_stays_text(fake, bot):
    """Inline mode answers a comparison with articles only: no photo is sent anywhere."""
    before = len(fake.photos())
    fake.feed(inline(TRAINS_MORE))
    [answered] = fake.wait_for("answerInlineQuery")
    assert "Side by side" in answered.params["results"][0]["title"]
    photo_for(fake, FESTIVALS)
    time.sleep(0.3)
    assert len(fake.photos()) == before + 1
