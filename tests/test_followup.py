"""Follow-up questions read against the last turns, with our own conversations."""

from __future__ import annotations

import pytest

from bot.engine import Engine
from bot.telegram.conversations import Conversations


def chat(engine: Engine, *questions: str):
    """Asks the questions in order as one conversation; returns every answer."""
    answers, context = [], None
    for question in questions:
        answer = engine.ask(question, context)
        answers.append(answer)
        context = answer.context
    return answers


def test_ellipsis_asks_the_last_question_of_the_new_subject(engine: Engine) -> None:
    """'what about hangzhou?' after a Guangzhou question asks Hangzhou's figure of the same measure."""
    first, second = chat(engine, "how many MCN agencies will guangzhou cultivate", "what about hangzhou?")
    assert "100" in first.lead
    assert second.answered and "50" in second.lead and "Hangzhou" in second.lead


def test_chinese_ellipsis_is_read_the_same_way(engine: Engine) -> None:
    """'广州呢？' after a question about Hangzhou's training target asks Guangzhou's."""
    first, second = chat(engine, "杭州计划培训多少带货人才", "广州呢？")
    assert "5000" in first.lead
    assert second.answered and "1万" in second.lead


def test_a_follow_up_that_names_only_a_topic_keeps_the_subject_for_the_next_ellipsis(engine: Engine) -> None:
    """'直播带货' names a topic, not the plan: '那广州呢' after it asks Guangzhou's plan the same, and
    '哪个多' sets the two side by side."""
    *_, third, fourth = chat(engine, "杭州的三年计划什么时候发布的", "计划培育多少直播带货人才", "那广州呢", "哪个多")
    assert third.answered and "1万" in third.lead
    assert "1万" in fourth.lead and "5000" in fourth.lead


def test_ellipsis_to_a_subject_without_the_last_measure_asks_the_rest_of_the_question(engine: Engine) -> None:
    """'Freshippo?' after Shanghai's online-shopping growth: Freshippo has no online-shopping
    figure, so the growth it does have is given rather than a decline."""
    _, second = chat(engine, "how much did shanghai's online shopping grow in q1", "and freshippo?")
    assert second.answered and "3 times" in second.text


def test_which_one_picks_among_the_last_answer_by_its_own_words(engine: Engine) -> None:
    asked = ("how many new occupations did the may 11 notice propose", "which one is the livestreaming one")
    _, second = chat(engine, *asked)
    assert second.answered and "Live Salesman" in second.text


def test_ellipsis_with_a_kind_phrase_asks_which_of_those(engine: Engine) -> None:
    """'And the old local brands?' after 'which international brands...' asks which local brands,
    of the same city, not the international ones again."""
    asked = ("which international brands treat shanghai as a testing ground", "and the old local brands?")
    _, second = chat(engine, *asked)
    assert second.answered and "Xinghualou" in second.text and "IKEA" not in second.text


def test_ellipsis_after_an_ellipsis_asks_the_same_of_the_next_subject(engine: Engine) -> None:
    """'广州呢，哪方面排第一' then '深圳呢': Shenzhen ranks first in nothing the article gives."""
    *_, third = chat(engine, "杭州在淘宝直播排第几", "广州呢，哪方面排第一", "深圳呢")
    assert not third.answered


def test_a_pronoun_is_the_last_subject(engine: Engine) -> None:
    """'what are its targets?' after a question about Shanghai's plan is about that plan, and the
    reply says how it read the question."""
    first, second = chat(engine, "when did shanghai formulate its online new economy plan", "what are its targets?")
    assert "March" in first.text
    assert second.answered and "100+" in second.text
    assert second.read_as and second.text.startswith(second.read_as)


def test_a_bare_source_question_asks_for_the_last_facts_source(engine: Engine) -> None:
    """'source?' after an answer gives the source of that answer's fact."""
    first, second = chat(engine, "how many new cars were sold on livestreams in the double product festival", "source?")
    assert "4,000" in first.lead
    assert second.kind == "source" and "Business Micro News" in second.text


def test_which_one_sets_the_last_two_subjects_side_by_side(engine: Engine) -> None:
    """'which one is more?' compares the last two subjects on the measure asked about."""
    *_, third = chat(engine, "how many sellers will guangzhou train", "and hangzhou", "which one is more?")
    assert third.kind == "compare"
    assert "10,000" in third.lead and "5,000" in third.lead
    assert third.lead.index("10,000") < third.lead.index("5,000")


def test_a_correction_keeps_the_subject_and_asks_the_new_thing(engine: Engine) -> None:
    """'sorry, I meant how many online stores' after a question about the festival's enterprises
    asks the festival's online stores."""
    first, second = chat(
        engine, "how many enterprises took part in the double product festival", "sorry, i meant how many online stores"
    )
    assert "115" in first.lead
    assert second.answered and "one million" in second.text


def test_a_question_of_its_own_is_not_dragged_to_the_last_subject(engine: Engine) -> None:
    """A new question that names its own subject and asks its own thing is answered on its own."""
    _, second = chat(
        engine, "how many sellers will guangzhou train", "what is the average monthly salary of taobao live jobs"
    )
    assert second.answered and "9845" in second.text and not second.read_as


def test_a_declined_turn_keeps_the_thread(engine: Engine) -> None:
    """After 'and chengdu?' is declined, 'and hangzhou?' still asks the first question of Hangzhou."""
    _, declined, third = chat(engine, "how many sellers will guangzhou train", "and chengdu?", "and hangzhou?")
    assert not declined.answered
    assert third.answered and "5,000" in third.lead


def test_the_first_one_and_the_other_one_pick_from_the_last_list(engine: Engine) -> None:
    """'the first one' and 'the other one' pick from the places the last answer listed."""
    listed, first, other = chat(
        engine,
        "which jiangsu cities are named for live streaming",
        "what does the first one specialise in",
        "and the other one?",
    )
    assert "Lianyungang" in listed.lead and "Suqian" in listed.lead
    assert "crystal" in first.text
    assert "flower" in other.text


@pytest.mark.parametrize("question", ["when?", "source?", "and hangzhou?"])
def test_a_follow_up_without_a_conversation_stands_alone(engine: Engine, question: str) -> None:
    """Without a previous turn a follow-up is answered as it stands, never with a borrowed subject."""
    answer = engine.ask(question)
    assert not answer.read_as


def test_the_bots_memory_of_conversations_is_bounded_by_count_and_by_silence(engine: Engine) -> None:
    """A busy bot keeps at most its size of conversations and answers, and none gone quiet."""
    now = [0.0]
    conversations = Conversations(quiet=600, size=3, answers=4, clock=lambda: now[0])
    hangzhou, yiwu = engine.ask("hangzhou plan").context, engine.ask("yiwu certificates").context
    conversations.keep((0,), hangzhou, [1])
    conversations.keep((0,), yiwu, [2])
    assert conversations.context((0,), replied_to=1) is hangzhou  # a reply continues that answer
    conversations.keep((1,), yiwu, [10, 11, 12, 13])
    assert conversations.context((0,), replied_to=1) is yiwu  # answer 1 was pushed out: the last turn
    for chat in range(2, 5):
        conversations.keep((chat,), yiwu, [chat * 10])
    assert len(conversations) == 3 and conversations.context((0,)) is None
    assert conversations.context((4,), replied_to=40) is yiwu
    now[0] = 601
    conversations.keep((9,), hangzhou, [90])
    assert len(conversations) == 1 and conversations.context((4,), replied_to=40) is None


def test_a_bare_figure_follow_up_asks_the_figure_of_the_last_answer_not_all_about_the_place(engine: Engine) -> None:
    """'how many?' after what happened in Yiwu on May 8 asks how many passed, not for a Yiwu overview."""
    _, second = chat(engine, "what happened in yiwu on may 8", "how many?")
    assert second.answered and "19" in second.lead
    assert "capital of small commodities" not in second.text


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("when did the double product festival end?", "unrelated, who wrote the article?"),
        ("双品网购节是哪天结束的", "换个话题，这篇文章的作者是谁"),
    ],
)
def test_a_change_of_topic_stands_on_its_own(engine: Engine, first: str, second: str) -> None:
    """'unrelated, ...' or '换个话题，...' is answered alone: the reporter, without the last subject."""
    _, answer = chat(engine, first, second)
    assert answer.answered and ("Wang Wei" in answer.lead or "王维" in answer.lead)
    assert not answer.read_as and "1825" not in answer.text and "182.51" not in answer.text


def test_when_the_results_were_announced_is_the_date_of_the_figures(engine: Engine) -> None:
    """After a turn on the May 5th festival, 'when were the results announced?' gives the press
    conference that gave its figures (May 13), not the day the festival itself was announced."""
    first = "how long did shanghai's may 5th festival global livestream run"
    _, answer = chat(engine, first, "when were the results announced?")
    assert answer.answered and "May 13" in answer.lead


@pytest.mark.parametrize(
    ("first", "second", "city"),
    [
        ("which city is no.1 for purchasing power on taobao live", "and for number of viewers?", "Shanghai"),
        ("哪个城市的淘宝直播购买力全国第一", "观看人数呢", "上海"),
    ],
)
def test_a_new_measure_after_a_which_city_question_asks_which_city_again(
    engine: Engine, first: str, second: str, city: str
) -> None:
    """After 'which city is first for purchasing power' (Guangzhou), 'and for viewers?' asks which
    city is first for viewers (Shanghai), not Guangzhou's viewers, which the article never gives."""
    _, answer = chat(engine, first, second)
    assert answer.answered and city in answer.lead


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("where do yiwu's online wholesalers gather", "how many anchors work there?"),
        ("how much did shanghai's may 4 global livestream take in", "is that actual sales?"),
    ],
)
def test_there_and_that_keep_the_last_subject_even_when_it_lacks_the_answer(
    engine: Engine, first: str, second: str
) -> None:
    """'how many anchors work there?' after Beixiazhu asks Beixiazhu's anchors, which the article
    never counts: declined, not answered with Hangzhou's anchors; 'is that actual sales?' likewise
    stays with the May 5th festival instead of drifting to another festival's sales."""
    _, answer = chat(engine, first, second)
    assert not answer.answered
    assert "Hangzhou" not in answer.lead and "182.51" not in answer.text


def test_who_said_that_names_the_speaker_and_his_job_is_asked_of_him(engine: Engine) -> None:
    """'who said that' after Wuhan's base plan names Wang Zhonglin (not only the newspaper), and
    'what's his job' then asks who he is: Secretary of the Wuhan Municipal Party Committee."""
    _, said, job = chat(engine, "what does wuhan plan to build for live streaming", "who said that", "what's his job")
    assert said.answered and said.lead.startswith("Wang Zhonglin")
    assert job.answered and "Secretary" in job.text.splitlines()[1]


def test_a_bare_name_asked_after_a_question_asks_that_question_of_it(engine: Engine) -> None:
    """'guangzhou?' after how many sellers Hangzhou's plan trains asks Guangzhou's figure (10,000);
    a name the last question cannot be asked of ('suqian?') gets its overview instead."""
    *_, guangzhou = chat(engine, "how many people will hangzhou's plan train to sell on livestreams", "guangzhou?")
    assert guangzhou.answered and "10,000" in guangzhou.lead
    _, suqian = chat(engine, "what is lianyungang's e-commerce built on", "suqian?")
    assert suqian.answered and "flower" in suqian.text


def test_a_new_measure_the_last_subject_lacks_is_asked_of_the_one_before(engine: Engine) -> None:
    """'快递包裹呢' after Freshippo (asked after Shanghai) asks Shanghai's parcels, and says so."""
    *_, parcels = chat(engine, "上海一季度网购涨了多少", "盒马呢？", "快递包裹呢")
    assert parcels.answered and "5000万" in parcels.lead
    assert "上海" in parcels.read_as


def test_the_ones_described_anew_asks_the_last_which_question_of_them(engine: Engine) -> None:
    """'and the old local ones?' after which international brands treat Shanghai as a testing ground
    asks which old local brands: Xinghualou, Laomiao, Hengyuanxiang, not IKEA again."""
    _, answer = chat(engine, "which foreign brands use shanghai as a test bed", "and the old local ones?")
    assert answer.answered and "Xinghualou" in answer.lead and "IKEA" not in answer.lead


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("when did the double product festival run", "and the first edition?"),
        ("第二届双品网购节卖了多少钱", "第一届呢？"),
    ],
)
def test_an_earlier_edition_of_the_last_event_is_declined_by_name(engine: Engine, first: str, second: str) -> None:
    """An edition written without its event is the last event's: the first one is not covered, and
    the reply says so rather than answering the second edition again."""
    _, answer = chat(engine, first, second)
    assert not answer.answered and ("first one" in answer.text or "第一届" in answer.text)


def test_this_event_keeps_the_last_subject_and_does_not_drift_to_another(engine: Engine) -> None:
    """'这场活动卖了多少' after the Wuhan charity live event is declined: that event's sales are not
    given, and the festival's are not its."""
    *_, answer = chat(engine, "武汉5月10日办了什么直播活动", "这场活动卖了多少钱")
    assert not answer.answered and "1825.1" not in answer.text


def test_how_much_that_went_up_asks_the_growth_of_the_last_figure(engine: Engine) -> None:
    """After the average salary, 'how much did that go up on last year' asks the salary's growth,
    which the report does not give: not the growth of talent demand."""
    _, answer = chat(engine, "what's the average pay for taobao live jobs", "how much did that go up on last year")
    assert not answer.answered and "132%" not in answer.text.splitlines()[0]


def test_an_equivalent_asks_the_last_question_of_the_new_subject(engine: Engine) -> None:
    """'hz's equivalent?' after Guangzhou's MCN target asks Hangzhou's."""
    _, answer = chat(engine, "how many mcn agencies is guangzhou going to cultivate", "hz's equivalent?")
    assert answer.answered and "50" in answer.lead


DESCRIBED = {  # a description, then a question about what it describes: whom it names, what the answer says
    "the city that was the birthplace of e-commerce, how many anchors does it have": ("Hangzhou", "ranks first"),
    "the village near yiwu that was known for micro-business, what goal has it set": ("Beixiazhu", "first village"),
}


def test_a_thing_described_then_asked_about_is_asked_of_what_the_description_names(engine: Engine) -> None:
    """'the city that ..., how many anchors does it have': the description is read first, the
    question asked of what it names, and the reply says whom it took it for."""
    for question, (named, expected) in DESCRIBED.items():
        answer = engine.ask(question)
        assert answer.answered and named in answer.read_as and expected in answer.text, question


def test_it_beside_the_owner_of_the_last_subject_is_the_last_subject(engine: Engine) -> None:
    """'它想把上海建成什么' after a question about Shanghai's plan asks what the plan wants to make
    Shanghai, not all about Shanghai."""
    _, answer = chat(engine, "上海的在线新经济方案提出了哪些目标", "它想把上海打造成什么")
    assert answer.answered and "高地" in answer.text.split("\n\n")[0]


def test_a_bare_figure_question_the_last_subject_cannot_answer_is_declined_not_answered_alone(engine: Engine) -> None:
    """'how much money, exactly?' after what Yiwu gets for its commendation is declined: read alone
    it would find some other subject's sales."""
    *_, answer = chat(
        engine, "why was yiwu praised by the state council", "what does yiwu get for it", "how much money, exactly?"
    )
    assert not answer.answered and "182.51" not in answer.text


def test_a_figure_the_pointed_at_plan_lacks_is_declined_not_taken_from_another_plan(engine: Engine) -> None:
    """'livestream sellers' is a measure, not the name of the new job: asked of Shanghai's plan,
    which sets no such target, it is declined by name rather than answered with Hangzhou's 5,000."""
    *_, answer = chat(
        engine,
        "shanghai's online new economy action plan was drawn up end of march, right?",
        "and how many livestream sellers does it plan to train",
    )
    assert not answer.answered and "Shanghai" in answer.text.splitlines()[0] and "5,000" not in answer.text


def test_a_check_of_the_last_answer_leaves_the_question_to_lean_on(engine: Engine) -> None:
    """'is that usd or rmb' checks the salary just given; 'and in hangzhou?' then asks Hangzhou's
    salary, which the article does not give, not the unit of Hangzhou's turnover target."""
    *_, answer = chat(engine, "what do taobao live staff earn a month on avg", "is that usd or rmb", "and in hangzhou?")
    assert not answer.answered and "100 billion" not in answer.text


def test_a_city_without_the_last_figure_is_declined_by_name_however_it_is_asked(engine: Engine) -> None:
    """'how about shenzhen' and 'what was it in shenzhen' ask the last figure of Shenzhen, which the
    article does not give: declined, not answered with all it says of Shenzhen."""
    for turns in (
        ("how many ppl does gz wanna train to sell stuff live", "hz?", "and mcns for both", "how about shenzhen"),
        ("by what percent did demand for livestream jobs rise after spring festival", "what was it in shenzhen"),
    ):
        answer = chat(engine, *turns)[-1]
        assert not answer.answered and "Shenzhen" in answer.text.splitlines()[0], turns[-1]


def test_how_long_asks_a_length_the_last_subject_may_lack(engine: Engine) -> None:
    """'how long was the course' after Yiwu's certificates asks a length, which the article does
    not give for Yiwu: declined by name, not answered with Guangzhou's cloud class; 'how long did
    that stream run' after the media streams is their 3 hours."""
    *_, course = chat(engine, "did yiwu do any training for streamers", "how many passed", "how long was the course")
    assert not course.answered and "Yiwu" in course.text.splitlines()[0]
    *_, stream = chat(
        engine,
        "has anyone actually sold cars over livestream",
        "and the one with the mainstream media",
        "how long did that stream run",
    )
    assert stream.answered and "3 hours" in stream.text.split("\n\n")[0]


def test_total_for_both_adds_up_the_last_two_figures_of_one_measure(engine: Engine) -> None:
    """'total for both' and 加起来多少 after two plans' targets: each side, then their sum, in the
    answer line; shares and rankings are never added."""
    *_, total = chat(engine, "how many people does guangzhou want to train to sell", "hangzhou?", "total for both")
    assert total.answered and total.lead.startswith("Together — live-stream sellers trained: Guangzhou plan 10,000")
    assert total.lead.endswith("Hangzhou plan 5,000 (target) = 15,000")
    *_, zh = chat(engine, "广州直播电商行动计划要孵化多少个网红品牌", "杭州呢", "加起来多少")
    assert zh.answered and zh.lead.startswith("合计：孵化网红品牌") and zh.lead.endswith("= 1500")
    *_, shares = chat(
        engine, "how much did shanghai's online shopping grow in q1", "and bilibili's revenue?", "combined?"
    )
    assert "= " not in shares.lead


def test_a_place_typed_with_a_slip_still_has_its_counterpart(engine: Engine) -> None:
    """'and guangzou?' after 'hangzou 3 year plan ...' asks of Guangzhou's plan, as it would typed right."""
    *_, answer = chat(engine, "hangzou 3 year plan, how many head broadcasters they support", "and guangzou?")
    assert "Guangzhou Live E-commerce Development Action Plan" in answer.text.splitlines()[0]


def test_when_a_proposal_takes_effect_is_declined_as_after_the_report(engine: Engine) -> None:
    """The new job was a proposal in May 2020: when it takes effect is past what the report can say."""
    for asked in (
        "when does it formally take effect",
        "when did it get formally approved",
        "so when does it become official",
    ):
        *_, answer = chat(engine, "so the new job they're adding is called live salesman?", asked)
        assert not answer.answered and "afterwards" in answer.text, asked


def test_a_long_description_pointed_back_to_is_its_own_subject(engine: Engine) -> None:
    """'the magazine article asking how officials can go further, when was that' after the byline
    asks the magazine article's date, not Wang Wei's; what it says follows on from it."""
    *_, when, model = chat(
        engine,
        "who wrote this piece",
        "the magazine article asking how officials can go further with livestreams, when was that",
        "what model should they move away from",
    )
    assert when.answered and "May 19, 2020" in when.text and "Wang Wei" not in when.text.splitlines()[0]
    assert model.answered and "destocking" in model.text


def test_another_side_of_the_last_subject_asks_its_own_words(engine: Engine) -> None:
    """'and in terms of training?' after a question on Guangzhou's plan asks about the plan's
    training, not the last question again."""
    _, answer = chat(engine, "what does guangzhou's plan hold every year", "and in terms of training?")
    first = answer.text.split("\n\n")[0]
    assert answer.answered and "train" in first and "summit" not in first


def test_in_total_asks_nothing_of_its_own(engine: Engine) -> None:
    """'一共几个新职业' after the date of the announcement gives the number of new occupations."""
    _, answer = chat(engine, "新职业公示是哪天发布的", "一共几个新职业")
    assert answer.answered and "10" in answer.lead


def test_it_after_a_where_question_is_the_thing_not_the_place(engine: Engine) -> None:
    """After 'which part of hangzhou will the base be in' (Future Sci-Tech City), 'how many top
    anchors will it support' asks of the plan, not of the district."""
    _, answer = chat(
        engine, "which area of hangzhou is the live base going to be in", "how many top anchors will it support"
    )
    assert answer.answered and "10" in answer.lead


def test_a_chinese_correction_asks_the_last_question_of_the_new_subject(engine: Engine) -> None:
    """'不对，我是想问广州的' after Hangzhou's brands target asks Guangzhou's."""
    _, corrected = chat(engine, "杭州计划孵化多少个网红品牌", "不对，我是想问广州的")
    assert corrected.answered and "1000" in corrected.lead


def test_a_change_of_topic_in_short_words_stands_alone(engine: Engine) -> None:
    """'ok diff topic.' and 'unrelated but' start a question of its own: answered, not declined."""
    *_, other = chat(engine, "why was yiwu praised", "ok diff topic. what is lianyungang selling on live streams")
    assert other.answered and "crystal" in other.text
    assert engine.ask("unrelated but who wrote this whole article anyway").answered


@pytest.mark.parametrize(
    ("first", "second", "third", "expected"),
    [
        ("when did gz put out its plan", "and hangzhou's?", "which one came out first?", "Guangzhou plan came first"),
        ("广州的行动方案是哪天发布的", "杭州的呢", "哪个更早", "广州行动方案在先"),
    ],
)
def test_which_came_first_sets_the_last_two_subjects_in_order(
    engine: Engine, first: str, second: str, third: str, expected: str
) -> None:
    """'which one came out first?' after two plans' dates sets those two in order; a bare 'before'
    ('what was it known as before') only qualifies a question of the last subject."""
    *_, answer = chat(engine, first, second, third)
    assert answer.answered and expected in answer.text


def test_a_correction_with_a_question_of_its_own_asks_that_question(engine: Engine) -> None:
    """'no, i meant the may 5th festival. how long was the global stream' after the double product
    festival's stores asks the stream's length, which the last question's measure cannot give;
    'when was it' then asks of the May 5th festival."""
    *_, corrected, when = chat(
        engine,
        "how many online stores joined the festival",
        "no, i meant the may 5th festival. how long was the global stream",
        "what day was it",
    )
    assert corrected.answered and "4 hours" in corrected.text
    assert when.answered and "May 4" in when.text


def test_a_place_in_a_ranking_asked_after_two_subjects_is_declined(engine: Engine) -> None:
    """'which city came 5th in that top ten' after Shanghai and Guangzhou asks a place the knowledge
    does not give, not a comparison of the two."""
    *_, answer = chat(engine, "what is shanghai first in on taobao live", "and gz?", "which city came 5th in that list")
    assert not answer.answered and "first places" in answer.text


def test_a_source_follow_up_cites_the_fact_the_last_answer_opened_with(engine: Engine) -> None:
    """'source?' after an answer of two facts gives the source of the first one shown."""
    first, second = chat(engine, "which city did taobao call the brand live city", "source?")
    assert first.facts[0].id in {f.id for f in second.facts[:1]}
    assert "Taobao" in second.text.splitlines()[1]


def test_a_declined_correction_still_moves_the_thread_to_its_subject(engine: Engine) -> None:
    """After '不对，我问的是喜马拉雅' (its 32% answered), 'which grew faster' sets it against Bilibili."""
    *_, compared = chat(engine, "bilibili q1 revenue growth", "no, i meant ximalaya", "which grew faster")
    assert "118%" in compared.text and "32%" in compared.text


def test_a_bare_ordinal_picks_from_the_last_list_and_asks_the_last_question_of_it(engine: Engine) -> None:
    """'and the 2nd' after 'what is the first one known for' asks it of Suqian, the second city listed."""
    *_, second = chat(engine, "what jiangsu cities are named", "what's the first one known for", "and the 2nd")
    assert second.answered and "Suqian" in second.text and "flower" in second.text.lower()


BARE_FIGURE_FOLLOW_UPS = {  # a question, a follow-up naming only what it now asks: what the reply leads with
    ("how many cars were sold on live streams in the double product festival", "worth?"): "600 million",
    ("how many parcels a day in shanghai", "vs last year?"): "60%",
    ("freshippo growth q1", "and the parcels?", "vs last yr"): "60%",  # its own past, not the subject before
    # a count of its own after 'under which profession': the ten new occupations, not which ones
    (
        "what new job did they add for livestream sellers",
        "under which profession is it",
        "how many new occupations in total",
    ): "10",
    ("how many mcn agencies does guangzhou's plan want", "n hangzhou's version of that?"): "50",
    ("how many sellers will guangzhou train", "and hangzhou?", "so who's ahead"): "Side by side",
    ("how many mcn agencies does guangzhou's plan want", "n hangzhou?"): "50",  # 'n' is 'and' as typed
    ("how many mcn agencies does guangzhou's plan want", "same q for hangzhou"): "50",
    ("双品网购节期间直播卖了多少辆新车", "卖了多少钱"): "6亿",  # the cars' sales, not the festival's
    # 'last' is the verb of a duration: the media streams' 3 hours, not the last of something
    ("how much did the double product media livestreams sell", "how long did those last"): "3 hours",
    ("avg salary for live jobs", "which report"): "Spring Live Industry Talent Report",  # the one just cited
    # the fact names no agent: who announced it is its source's publisher, named in full
    ("whats the new job called, the live selling one", "who announced it"): "(entrusted by the Ministry of Human",
}


def test_a_bare_follow_up_asks_its_figure_of_the_last_subject(engine: Engine) -> None:
    """'worth?' asks what the last figure's sales came to, 'vs last year?' how it grew, 'same q for
    X' the last question of X."""
    for turns, expected in BARE_FIGURE_FOLLOW_UPS.items():
        answer = chat(engine, *turns)[-1]
        assert answer.answered and expected in answer.lead, (turns[-1], answer.lead)


def test_since_which_month_is_answered_by_the_month_a_fact_counts_from(engine: Engine) -> None:
    """从几月开始算 after Guangzhou's merchants quadrupled asks from which month: February."""
    _, since = chat(engine, "广州淘宝直播商家数涨了多少", "从几月开始算的")
    assert since.answered and "2月" in since.text


def test_the_first_one_and_the_other_one_pick_from_the_kinds_the_last_answer_listed(engine: Engine) -> None:
    """After 'what kinds of live streams ...' lists facts, 'the first one' and 'the other one' ask of
    the first fact shown and of another; nothing is read as an edition of the festival."""
    kinds, first, other = chat(
        engine,
        "what kinds of live streams did government staff do during the double product festival",
        "how much did the first one sell",
        "and the other one?",
    )
    shown = [f.id for f in kinds.facts]
    assert first.facts[0].id == shown[0] and other.facts[0].id != shown[0]
    assert first.answered and other.answered and first.lead != other.lead


def test_the_first_one_after_an_edition_of_an_event_asks_for_that_edition(engine: Engine) -> None:
    """'and in the first one?' after the second festival's store count asks the first festival's,
    which the knowledge does not hold: declined by name."""
    _, first = chat(engine, "how many online stores joined the second double product festival", "and in the first one?")
    assert not first.answered and "first" in first.text.splitlines()[0]


def test_he_points_at_the_last_person_even_after_an_outlet_was_named(engine: Engine) -> None:
    """'he' after 'which outlet reported what he said' is still Wang Zhonglin, not the newspaper."""
    asked = ("who asked everyone to help wuhan sell on live streams", "which paper reported it", "his job?")
    *_, post = chat(engine, *asked)
    assert post.answered and "Secretary" in post.text and "Wang Zhonglin" in post.text.splitlines()[0]


CHINESE_FOLLOW_UPS = {  # a question, a follow-up that leans on it in its own way: what the reply must hold
    ("江苏有哪两个城市被提到", "第二个主要靠什么产业"): "宿迁",  # 第二个 picks the second city listed
    ("第二届双品网购节哪天开始的", "这些数据是谁发的"): "商务部",  # 谁发的 asks the last facts' source
    ("上海在线新经济方案的四个100+目标是什么", "第二个呢"): "应用场景",  # 第二个 picks among one fact's figures
    ("宿迁靠什么产业做电商", "连云港呢", "它俩都是哪个省的"): "江苏",  # 它俩: the last two subjects together
    ("江苏连云港靠直播卖啥", "宿迁的呢？"): "绿植花卉",  # 啥 asks what, as 什么 does
    ("义乌那个直播证书啥时候发的", "多少学生过了"): "19名",  # 学生 are the trainees counted, 过了 their passing
    ("how did hema xiansheng do in early 2020", "whats it called in chinese"): "盒马",  # the name of 'it'
    ("盒马一季度线上流量涨了多少", "那快递包裹呢，每天多少"): "5000万",  # a figure Freshippo lacks: its city's
    ("宿迁靠什么产业发展直播", "这个新工种属于哪个职业"): "互联网营销师",  # 这个 before another kind: its own thing
    ("why was yiwu commended by the state council", "那它能拿到啥支持"): "优先支持",  # 它 with its own question
    ("北下朱离市中心多远", "现在目标呢"): "网红直播第一村",  # 目标 asks the goal, not the last question again
    # 带货 inside 带货达人 names the sellers to train, not the live-streaming economy as a new subject
    ("杭州直播电商产业基地是哪天宣布启动建设的？", "计划培养多少带货达人"): "杭州三年计划培训带货人才：5000名",
}


def test_chinese_follow_ups_pick_point_and_stand_alone_as_written(engine: Engine) -> None:
    """第二个 picks from the last list; '这个新工种' after a city names the new job type and stands
    alone; '那它能拿到啥支持' asks what support Yiwu gets, not the last 'why' again."""
    for turns, expected in CHINESE_FOLLOW_UPS.items():
        answer = chat(engine, *turns)[-1]
        assert answer.answered and expected in answer.text, (turns[-1], answer.text)


CHECKS_OF_THE_LAST_ANSWER = {  # a yes-or-no check of what the last answer said: what it gets
    ("when was the global live stream of the 5th may festival", "that was on may 5 right?"): ("No: ", "May 4"),
    ("who ranked hangzhou first in anchors", "was it in june?"): ("No: ", "March 2020"),
    ("who ranked hangzhou first in anchors", "was it in march?"): ("Yes", ""),
    ("how many sellers will guangzhou train", "is it 5000?"): ("No: ", "10,000"),
    # a comparison claimed of the last subject against another: no, and the two side by side
    ("what is hangzhou's plan target for mcn agencies", "is that more than guangzhou's?"): ("No: ", "Hangzhou plan 50"),
    ("how much did the double product festival sell", "was it 182.5 billion?"): ("Yes: ", "182.51"),
    ("how many new cars got sold via live streams in the double product festival", "was that worth over a billion?"): (
        "No: ",
        "600 million",
    ),
}


def test_a_check_of_the_last_answer_says_yes_or_no_and_gives_the_true_day_or_figure(engine: Engine) -> None:
    """'That was on may 5, right?' is checked against the fact just shown (the stream on May 4), even
    when the festival's name writes another day; a wrong month or figure gets 'No' and the right one."""
    for turns, (said, given) in CHECKS_OF_THE_LAST_ANSWER.items():
        answer = chat(engine, *turns)[-1]
        first = answer.text.splitlines()[1]  # under the line that says how the question was read
        assert answer.answered and first.startswith(said) and given in first, (turns, first)


def test_the_second_and_the_last_one_pick_among_the_figures_of_the_last_fact(engine: Engine) -> None:
    """After the four '100+' targets of Shanghai's plan, one fact, 'the second one' and 'last one'
    are its second and last figure, each on the answer line."""
    _, second, last = chat(engine, "sh online new econ plan - the four 100+ targets?", "the second one?", "last one")
    assert "application scenarios" in second.lead and "key technologies" in last.lead


def test_and_a_subject_without_the_last_figure_is_declined_not_described(engine: Engine) -> None:
    """'and shenzhen?' after Guangzhou's sellers to train: Shenzhen has no plan, so the reply says the
    article gives no such figure for it, rather than describing Shenzhen as if that answered."""
    _, answer = chat(engine, "how many ppl does gz want to train to sell on livestream", "and shenzhen?")
    assert not answer.answered and "Shenzhen" in answer.text


def test_which_two_cities_of_a_province_are_named_with_the_first_and_the_other_one_after(engine: Engine) -> None:
    """'which 2 jiangsu cities' names both, though each has a fact of its own; then 'the first one'
    and 'the other one' are asked of each in turn."""
    listing, first, other = chat(
        engine, "which 2 jiangsu cities does the article mention", "whats the first one known for", "the other one?"
    )
    assert listing.answered and "Lianyungang" in listing.lead and "Suqian" in listing.lead
    assert "crystal" in first.text and "green-plant" in other.text


def test_a_follow_up_for_another_month_is_declined_not_answered_with_the_last_figure(engine: Engine) -> None:
    """'and in april?' after Shanghai's parcels a day since March 15: the article gives no April
    figure, so the reply declines rather than repeat the March one as if it were April's."""
    first, answer = chat(engine, "daily parcels in shanghai since mid march?", "and in april?")
    assert first.answered and "50 million" in first.text
    assert not answer.answered


PICKS_AND_OTHERS = {  # turns of one conversation: what the last reply must hold
    (  # 'the 1st one' when nothing was listed: the first of the last two subjects asked about
        "hz's 3 yr livestream plan... how many mcn agencies r they tryna grow",
        "and gz's?",
        "ok and the 1st one.. where's the base gonna be",
    ): "Future Sci-Tech City",
    (  # 'the other festival.. the double product one' names its subject: not the last one
        "how long was shanghai's may 5 festival global livestream",
        "ok the other festival.. the double product one, when did that run",
    ): "April 28",
    (  # 'gz's equivalent number': the last question of Guangzhou
        "how many talent agency type companies does hz's 3yr livestream plan want to cultivate",
        "and gz's equivalent number?",
    ): "100",
    ("unrelated, what is suqian using livestreams to sell", "and lianyungang?"): "crystal",  # 'using' asks nothing
    ("yiwu gave out some livestream certs rite? how many ppl got em", "who issued em"): "Bureau",  # 'em': them
    (  # the plan the bureau issued is what 'it' is once an answer was about the plan; 'how often': annual
        "who put out gz's live ecommerce action plan",
        "how many ppl r they tryna train to bring goods",
        "theres a summit thing in it too.. how often",
    ): "annual",
    (  # 'the other platform then.. taobao': the kind word of the subject named asks nothing of its own
        "zhilian's spring live talent report, when did it come out",
        "wat did it say about avg pay for douyin live jobs",
        "ok the other platform then.. taobao",
    ): "9845",
    (  # 'the national one': the one other festival whose names call it national, and the reply names it
        "how much did shanghai's 55 festival sell",
        "and the national one?",
    ): "(read as: second Double Product Festival)\nsecond Double Product Festival — sales: 182.51 billion",
    (  # 'and guangzhou?' after "hangzhou's plan": Guangzhou's plan, not the city's Taobao Live ranking
        "what is hangzhou's plan target for head anchors",
        "and guangzhou?",
    ): "Guangzhou Live E-commerce Development Action Plan (2020-2022) aims to support 10 leading",
    # 'start' asks when, not for the greeting /start gives; 'vs the first edition' is the growth over it
    ("how much did the double product festival sell", "when did it start"): "April 28",
    ("how much did the double product festival sell", "and vs the first edition?"): "1.37 times",
    (  # 'how many for the last one' after the four '100+' targets: the last target's figure
        "wat r the 4 100+ targets in shanghai's plan",
        "how many for the last one",
    ): "Shanghai plan — key technologies: 100+",
    (  # a company question takes platforms too; 'the first one' picks from the names listed
        "which companies does it say grew in shanghai in q1",
        "the first one grew by how much",
    ): "Bilibili — revenue: 118%",
    (  # 'for both': the last two subjects, each one's figure in the answer line
        "how many ppl does gz wanna train to sell stuff live",
        "hz?",
        "and mcns for both",
    ): "Hangzhou plan — influencer (MCN) agencies cultivated: 50 (target) — Hangzhou live e-commerce base "
    "announcement, April 28, 2020; Guangzhou plan — influencer (MCN) agencies cultivated: 100",
    (  # 'and when' joins a second ask: not 'and X?' of the last question
        "what's guangzhou's total livestream gmv for 2019",
        "who published guangzhou's action plan and when",
    ): "March 24, 2020",
    ("the may 5 shopping fest, how long was the live", "wen"): "May 4",  # 'wen' is typed for 'when'
    # the knowledge's words for what people call things: a plan's period, a festival's stores and
    # car part, the radio people, a ratio
    ("what's the name of shanghai's action plan from end of march", "period it covers"): "plan length: 2020-2022",
    ("double product online shopping festival how many companies", "stores?"): "online stores: more than one million",
    (
        "double product online shopping festival how many companies",
        "and the car part",
    ): "new cars sold: more than 4,000",
    ("the may 5 shopping fest, how long was the live", "how many radio ppl did it"): "radio hosts: 55",
    (
        "how many people does hangzhou plan to train to sell goods on live",
        "guangzhou?",
        "what's the ratio between them",
    ): "(Guangzhou plan's is twice Hangzhou plan's)",
    (  # 'it' after a named city of the same kind is the last one: Guangzhou overtook Hangzhou
        "which city has the most anchors in the country",
        "but i heard guangzhou overtook it in something",
    ): "Guangzhou's number of Taobao Live broadcasts has surpassed Hangzhou's",
    (  # a long comparison of a measure both last subjects hold sets them side by side, on that measure
        "how many influencer brokerage firms does hangzhou want to cultivate",
        "and guangzhou, mcn wise?",
        "which is better if i'm launching a brand, who wants to incubate more celeb brands",
    ): "Side by side — online-celebrity brands incubated: Guangzhou plan 1,000 (target for 2022) vs Hangzhou plan 500",
    (  # a described pick then a question of its own: the question asked of the festival described
        "how many people tuned in to shanghai's may 5th festival stream",
        "no the national one. how many e-commerce companies took part",
    ): "participating e-commerce enterprises: 115",
    (  # 'back to the national one': the festival asked about before the last turn
        "how many new cars got sold on livestream during the double product festival",
        "no the shanghai festival. how many cars there",
        "ok back to the national one, the 3 hour media stream sold how much",
    ): "second Double Product Festival — sales: 500 million yuan",
    ("阿里说把上海当创新试验场的国际品牌有哪些", "那老字号呢"): "杏花楼、老庙黄金、恒源祥",  # the kind word swapped
    ("它到2022广州要培训多少带货达人", "跟hz比哪个多"): "比较：培训带货人才：广州行动方案 1万名",  # the last against hz
    ("广州的直播带货云课堂是干啥的", "峰会多久办一次"): "年度直播电商发展高峰论坛",  # 多久 of 多久办一次 is no duration
    (  # a sentence about the asker before the question asks nothing
        "hi, i work for a small city govt. what targets did guangzhou put in its livestream ecommerce plan",
        "by when",
    ): "By 2022",
    ("how far is beixiazhu from the city center", "what is it trying to become"): "first village of online-celebrity",
    ("what did wuhan do for livestreaming", "who led it"): "Wang Zhonglin",  # led is proposed
    (  # a check of how the last figure is measured, then where 'that number' comes from: the last fact's
        "how much did demand for livestream talent rise after the spring festival",
        "yoy or mom?",
        "where does that number come from",
    ): "This comes from Zhilian Recruitment",
    # a bare 'date?' asks the date of what was just shown, not all about its publisher
    ("who published the piece asking how officials can go further with livestreams", "date?"): "On May 19, 2020",
}


def test_picks_and_others_name_the_subject_they_mean(engine: Engine) -> None:
    """An ordinal picks among the subjects asked about when no list was shown; a message that
    names its subject beside 'the other' asks of that subject."""
    for turns, expected in PICKS_AND_OTHERS.items():
        answer = chat(engine, *turns)[-1]
        assert answer.answered and expected in answer.text, (turns[-1], answer.text)


def test_a_follow_up_naming_a_place_the_article_does_not_cover_is_declined_by_name(engine: Engine) -> None:
    """'北京的呢' after the Taobao Live salary: Beijing is not covered, so the reply says so rather
    than give the national figure again as if it were Beijing's."""
    for follow_up in ("北京的呢", "and nanjing?"):
        _, answer = chat(engine, "智联招聘那份报告里淘宝直播相关职业平均月薪多少", follow_up)
        assert not answer.answered and ("北京" in answer.text or "Nanjing" in answer.text), follow_up


def test_was_that_before_or_after_sets_the_last_subject_against_the_one_named(engine: Engine) -> None:
    """'was that before or after the live salesman occupation was announced' after Yiwu's
    certificates: May 8 came before the May 11 announcement, and the reply says 'before'."""
    _, answer = chat(
        engine,
        "how many ppl got yiwu's first batch of e-commerce livestreaming proficiency certificates",
        "was that before or after the live salesman occupation was announced",
    )
    assert answer.answered and "before" in answer.text and "May 8" in answer.text and "May 11" in answer.text


def test_a_chinese_kind_word_after_a_which_question_asks_which_of_those(engine: Engine) -> None:
    """'老字号呢' after '哪些国际大牌把上海当新体验的试验田': the old brands, listed as Chinese lists them."""
    brands, old = chat(engine, "哪些国际大牌把上海当新体验的试验田", "老字号呢")
    assert brands.lead.startswith("宜家、星巴克、耐克")
    assert "杏花楼" in old.lead and "恒源祥" in old.lead


def test_report_as_a_verb_asks_when_it_was_reported_not_for_a_report(engine: Engine) -> None:
    """'when did they report it' after the festival's source: 'report' is what they did, so the
    reply gives the day the Ministry of Commerce reported it rather than say it knows no report."""
    _, answer = chat(
        engine, "double product online shopping festival did 182.51bn yuan in sales. source?", "when did they report it"
    )
    assert answer.answered and "May 15, 2020" in answer.text


def test_which_city_after_a_city_asks_of_any_city_not_the_last_one(engine: Engine) -> None:
    """'which city is top for purchasing power then' after Hangzhou's anchors: Guangzhou is, and the
    question is not read as one about Hangzhou."""
    _, answer = chat(engine, "how many anchors does hz have", "which city is top for purchasing power then")
    assert answer.answered and "Guangzhou" in answer.lead


def test_so_both_the_same_sets_the_last_two_side_by_side_without_a_yes(engine: Engine) -> None:
    """'so both the same?' after Guangzhou's leading institutions and Hangzhou's head anchors: both
    figures shown, said to measure different things, and no 'Yes' from one fact alone."""
    *_, answer = chat(
        engine, "how many leading institutions will gz support", "and hangzhou's head anchors?", "so both the same?"
    )
    assert answer.answered and "different things" in answer.text and "Yes" not in answer.text
    assert "10 leading" in answer.text and "10 head anchors" in answer.text
