"""The engine's own words: declines, greetings and framing, in English and Chinese."""

from __future__ import annotations

MESSAGES = {
    "en": {
        "empty": "Ask me a question about China's 2020 live-streaming e-commerce economy.",
        "too-long": "That message is too long for me: please ask one question in under {limit} characters.",
        "no-match": "That is not in my knowledge, so I won't guess.",
        "nothing-on": "My knowledge has nothing on that about {names}.",
        "outside": "My knowledge has nothing on {names}: it covers one 2020 report on China's live-streaming economy.",
        "years": "My knowledge covers spring 2020 only; it has nothing for {years}.",
        "time": "My knowledge is a spring 2020 report, so it cannot say what is true now or later.",
        "as-of": "As of spring 2020, when the article was written.",
        "unknown-name": "My knowledge does not mention {names}, so I won't guess.",
        "rank": "My knowledge gives only the first places in these rankings, not the others.",
        "quarter": "My knowledge has figures for the first quarter of 2020 only.",
        "outcome": "My knowledge has the plans and targets set in spring 2020, not whether they were met later.",
        "later": "My knowledge is a spring 2020 report, so it cannot say what happened afterwards.",
        "howto": "My knowledge is one 2020 report on the live-streaming economy; it gives no instructions or advice.",
        "injection": "I answer only from the article, with its sources, and I won't make anything up.",
        "ownview": "I give no views of my own: I answer from the article, with its sources.",
        "previous": "My knowledge covers the {name} of 2020 only, not earlier ones.",
        "edition": "My knowledge covers the {name} only; it has nothing on the {asked} one.",
        "untitled": "The article gives no formal title for this: {description}",
        "not-held": "The article gives no {what} for {names}.",
        "no-kind": "The article mentions no {kind} of {names}.",
        "nothing-shared": "The article gives no figures of the same kind for {names}.",
        "read-as": "({names}, as in your last question)",
        "unknown-entity": "I do not know {name}; try a city, plan, festival or company the article names.",
        "missing": "The article does not say: {parts}.",
        "unlike": "These figures measure different things, so they are not set side by side:",
        "order": "{first} came first: {date}; then {then}",
        "no-author": "The article does not name the author of {title}.",
        "yes": "Yes",
        "yes-then": ": ",
        "order-same": "The same day: {names}, {date}",
        "order-unknown": "The article's dates do not say which came first: {sides}",
        "thanks": "You're welcome! Ask me anything else about China's 2020 live-streaming economy.",
        "suggest": "What it does say:",
        "suggest-topics": "I can tell you about:",
        "source-lead": "This comes from {source}.",
        "greeting": (
            "Hello! I answer questions about China's 2020 live-streaming e-commerce economy "
            "from {facts} sourced facts. Try:"
        ),
        "help": (
            "Ask a question in English or Chinese; every answer quotes its source "
            "({facts} facts from {sources} sources). For example:"
        ),
    },
    "zh": {
        "empty": "请提一个关于2020年中国直播电商经济的问题。",
        "too-long": "消息太长了：请用{limit}字以内提一个问题。",
        "no-match": "我的知识库里没有这个内容，我不做猜测。",
        "nothing-on": "关于{names}，我的知识库里没有这方面的内容。",
        "outside": "我的知识库里没有关于{names}的内容：它只涵盖一篇关于2020年中国直播经济的报道。",
        "years": "我的知识只涵盖2020年春季，没有{years}年的内容。",
        "time": "我的知识来自2020年春季的一篇报道，无法回答现在或将来的情况。",
        "as-of": "以上是2020年春季报道时的情况。",
        "unknown-name": "我的知识库没有提到{names}，我不做猜测。",
        "rank": "我的知识库只有这些排名的第一名，没有其他名次。",
        "quarter": "我的知识库只有2020年第一季度的数据。",
        "outcome": "我的知识库只有2020年春季提出的计划和目标，不知道后来是否实现。",
        "later": "我的知识来自2020年春季的一篇报道，无法回答之后发生的事。",
        "howto": "我的知识来自一篇2020年关于直播经济的报道，不提供操作指导或建议。",
        "injection": "我只根据这篇报道及其出处回答，不会编造内容。",
        "ownview": "我不发表自己的看法，只根据这篇报道及其出处回答。",
        "previous": "我的知识库只涵盖2020年的{name}，没有往届的内容。",
        "edition": "我的知识库只涵盖{name}，没有{asked}的内容。",
        "untitled": "文章没有给出它的正式名称：{description}",
        "not-held": "文章没有给出{names}的{what}。",
        "no-kind": "文章没有提到{names}的{kind}。",
        "nothing-shared": "文章没有给出{names}可比的同类数据。",
        "read-as": "（按上一个问题理解为：{names}）",
        "unknown-entity": "我不认识{name}；请换一个文章提到的城市、规划、购物节或公司。",
        "missing": "文章没有提到：{parts}。",
        "unlike": "这些数字衡量的不是同一件事，不能直接比较：",
        "order": "{first}在先（{date}），其后是{then}",
        "no-author": "文章没有说明{title}的作者。",
        "yes": "是的",
        "yes-then": "：",
        "order-same": "同一天：{names}，{date}",
        "order-unknown": "文章给出的日期分不出先后：{sides}",
        "thanks": "不客气！还有关于2020年中国直播经济的问题，尽管问我。",
        "suggest": "文章提到的是：",
        "suggest-topics": "我可以介绍：",
        "source-lead": "出处：{source}。",
        "greeting": "你好！我根据{facts}条有出处的事实，回答关于2020年中国直播电商经济的问题。试试：",
        "help": "用中文或英文提问，每个回答都注明出处（{facts}条事实，{sources}个来源）。例如：",
    },
}


def message(language: str, key: str) -> str:
    """A fixed message of the bot in English or Chinese."""
    return MESSAGES["zh" if language == "zh" else "en"][key]
