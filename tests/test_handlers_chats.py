"""Groups (privacy mode) and inline mode end to end against the strict fake Bot API."""

from __future__ import annotations

import time

from botapi_rules import parse_html
from fakebotapi import GROUP, OTHER_BOT, USER, ZH_USER, inline, message
from test_handlers import ask

BOT = "livebot_test_bot"


def in_group(fake, text, user=USER, **extra):
    """Feeds a group message; returns the message object."""
    msg = message(text, user=user, chat=GROUP, **extra)
    fake.feed({"message": msg})
    return msg


def group_reply(fake, count=1):
    return fake.wait_for("sendMessage", count, where=lambda c: c.params["chat_id"] == GROUP["id"])[count - 1]


def test_group_ask_command_replies_to_the_question(fake, bot):
    """/ask QUESTION in a group is answered as a reply to the asker's message."""
    msg = in_group(fake, "/ask What are the targets of Hangzhou's plan?")
    reply = group_reply(fake)
    assert "Hangzhou" in reply.text and "Source:" in reply.text
    assert reply.params["reply_parameters"]["message_id"] == msg["message_id"]


def test_group_ask_in_a_forum_topic_is_answered_in_that_topic(fake, bot):
    """In a forum supergroup, /ask in a topic is answered in the same topic, quoting the question."""
    forum = {**GROUP, "id": -1009876543210, "is_forum": True}
    msg = message("/ask What is a Live Salesman?", chat=forum, message_thread_id=77, is_topic_message=True)
    fake.feed({"message": msg})
    [reply] = fake.wait_for("sendMessage", where=lambda c: c.params["chat_id"] == forum["id"])
    assert reply.params["message_thread_id"] == 77
    assert reply.params["reply_parameters"]["message_id"] == msg["message_id"]
    assert "Source:" in reply.text


def test_group_ask_addressed_to_this_bot_is_answered(fake, bot):
    """/ask@thisbot QUESTION is answered."""
    in_group(fake, f"/ask@{BOT} What is a Live Salesman?")
    assert "Source:" in group_reply(fake).text


def test_group_reply_to_the_bot_is_a_question(fake, bot):
    """Replying to one of the bot's messages asks a question."""
    in_group(fake, "/ask Yiwu")
    answer = group_reply(fake)
    in_group(fake, "What is a Live Salesman?", reply_to_message=answer.result)
    assert "Source:" in group_reply(fake, 2).text


def test_group_mention_is_a_question_without_the_mention(fake, bot):
    """A message mentioning @thisbot is answered, the mention removed from the question."""
    in_group(fake, f"@{BOT} What are the targets of Hangzhou's plan?")
    assert "Hangzhou" in group_reply(fake).text


def test_group_chatter_other_bots_commands_and_bot_messages_are_ignored(fake, bot):
    """Plain chatter, /ask@otherbot, another bot's /ask, and stickers in a group get no reply."""
    in_group(fake, "Hangzhou has great food")
    in_group(fake, "/ask@other_bot What is a Live Salesman?")
    in_group(fake, "/ask Yiwu", user=OTHER_BOT)
    in_group(fake, f"@{BOT} Yiwu", user=OTHER_BOT)
    in_group(
        fake,
        None,
        sticker={
            "file_id": "s",
            "file_unique_id": "u",
            "type": "regular",
            "width": 1,
            "height": 1,
            "is_animated": False,
            "is_video": False,
        },
    )
    in_group(fake, "/ask What is a Live Salesman?")
    group_reply(fake)
    time.sleep(0.2)
    assert len(fake.sent(GROUP["id"])) == 1


def test_inline_query_lists_facts_with_their_sources(fake, bot):
    """An inline question gets up to ten articles, each citing its source in description and message."""
    fake.feed(inline("hangzhou plan"))
    [call] = fake.wait_for("answerInlineQuery")
    results = call.params["results"]
    assert 1 <= len(results) <= 10
    facts = [r for r in results if r["id"].startswith("f:")]
    assert facts
    for result in facts:
        assert result["description"].startswith("Source:")
        assert "Source:" in parse_html(result["input_message_content"]["message_text"])
    assert call.params["cache_time"] <= 10
    assert "button" not in call.params


def test_inline_empty_query_offers_popular_topics(fake, bot):
    """An empty inline query lists topics, personal because they follow the user's language."""
    fake.feed(inline("", user=ZH_USER))
    [call] = fake.wait_for("answerInlineQuery")
    titles = [r["title"] for r in call.params["results"]]
    assert len(titles) == 10 and "杭州" in titles
    assert call.params["is_personal"] is True


def test_inline_no_match_offers_a_private_chat(fake, bot):
    """An inline question the knowledge cannot answer says so and offers a private chat button."""
    fake.feed(inline("What is the weather in Chengdu tomorrow?"))
    [call] = fake.wait_for("answerInlineQuery")
    assert call.params["results"][0]["title"] == "Not in my knowledge"
    assert call.params["button"]["start_parameter"] == "inline"


def test_a_private_follow_up_leans_on_the_last_answer(fake, bot):
    """'and hangzhou?' after a Guangzhou question is answered for Hangzhou's plan, and says so."""
    first = ask(fake, "how many influencer brands does guangzhou want to incubate")
    assert "1,000" in first.text
    second = parse_html(ask(fake, "and hangzhou?").text)
    assert "500" in second and "Hangzhou" in second


def test_two_users_in_one_group_keep_their_own_contexts(fake, bot):
    """Two people asking in one group each get follow-ups read against their own last question."""
    other = {**USER, "id": 1003, "first_name": "Bo"}
    in_group(fake, "/ask how many sellers will guangzhou train")
    group_reply(fake)
    in_group(fake, "/ask how many head anchors will hangzhou support", user=other)
    group_reply(fake, 2)
    in_group(fake, "/ask and hangzhou?")
    mine = parse_html(group_reply(fake, 3).text)
    in_group(fake, "/ask when was it released?", user=other)
    theirs = parse_html(group_reply(fake, 4).text)
    assert "5,000" in mine
    assert "April 28" in theirs


def test_a_conversation_silent_too_long_starts_afresh(fake, make_bot):
    """After the quiet time a follow-up is read on its own: 'when?' borrows no subject any more."""
    make_bot(context_seconds=0.3)
    ask(fake, "when did shanghai formulate its online new economy plan")
    time.sleep(0.5)
    reply = parse_html(ask(fake, "what are its targets?").text)
    assert "100+" not in reply


def test_inline_queries_have_no_context(fake, bot):
    """An inline query after a private question is answered as it stands."""
    ask(fake, "how many influencer brands does guangzhou want to incubate")
    fake.feed(inline("and hangzhou?"))
    [answered] = fake.wait_for("answerInlineQuery")
    texts = " ".join(r["input_message_content"]["message_text"] for r in answered.params["results"])
    assert "500 online-celebrity brands" not in texts


def test_a_reply_to_an_older_answer_continues_that_answers_context(fake, bot):
    """Replying to an earlier answer continues its context, not the latest one's."""
    older = ask(fake, "how many MCN agencies will guangzhou cultivate")
    ask(fake, "when did shanghai formulate its online new economy plan")
    reply = parse_html(ask(fake, "and hangzhou?", reply_to_message=older.result).text)
    assert "50" in reply and "Hangzhou" in reply
