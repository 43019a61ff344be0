"""The Telegram front end's own words (buttons, commands, replies), in English and Chinese.

The answers themselves come from the engine; these strings frame them. Plain text: callers escape.
"""

from __future__ import annotations

COMMANDS = {
    "en": (
        ("ask", "Ask a question (in groups: /ask QUESTION)"),
        ("topics", "Browse cities, plans and occupations"),
        ("about", "What I know and where it comes from"),
        ("help", "How to ask me"),
        ("start", "Say hello"),
    ),
    "zh": (
        ("ask", "提问（群组中：/ask 问题）"),
        ("topics", "浏览城市、方案和职业"),
        ("about", "我知道什么、出处在哪"),
        ("help", "如何提问"),
        ("start", "打个招呼"),
    ),
}

_TEXT = {
    "en": {
        "source": "Source",
        "source-line": "Source: {source}",
        "full-source": "Full source",
        "more-on": "More on {name}",
        "note": "Note: ",
        "commands": (
            "/ask QUESTION asks me in a group (or mention me, or reply to me).\n"
            "/topics lists the cities, plans and occupations I know.\n"
            "/about shows what I know and where it comes from.\n"
            "In any chat, type @{username} and a question to share an answer."
        ),
        "about": (
            "I know {facts} facts about {entities} subjects, with {numbers} figures, from {sources} sources "
            "({files} knowledge files).\nKnowledge loaded {loaded}."
        ),
        "sources": "Sources:",
        "topics": "Browse what I know:",
        "kind-city": "Cities",
        "kind-village": "Villages",
        "kind-plan": "Plans",
        "kind-event": "Events",
        "kind-occupation": "Occupations",
        "kind-report": "Reports",
        "ask-usage": "Put your question after the command, for example:\n/ask What are the targets of Hangzhou's plan?",
        "text-only": "I read text only: please send your question as a message.",
        "unknown-command": "I don't know that command. /help lists what I can do.",
        "gone": "That is no longer in my knowledge.",
        "expired": "This button no longer works; please ask again.",
        "not-known": "Not in my knowledge",
        "open-chat": "Ask me in a private chat",
        "reload-refused": "Sorry, only the bot's administrators can reload its knowledge.",
        "reload-ok": "Reloaded: {facts} facts, {sources} sources, {entities} entities, {numbers} figures, {files} files.",
        "reload-failed": (
            "Reload failed with {n} problem(s); I keep answering from the knowledge loaded {loaded}. "
            "Fix these and /reload again:"
        ),
        "added": "Added ({n}):",
        "removed": "Removed ({n}):",
        "edited": "Edited ({n}):",
        "unchanged": "No fact changed.",
        "replica": "This reloaded one webhook replica only: send SIGHUP to the others.",
    },
    "zh": {
        "source": "来源",
        "source-line": "来源：{source}",
        "full-source": "完整出处",
        "more-on": "更多：{name}",
        "note": "备注：",
        "commands": (
            "/ask 问题：在群组中向我提问（也可以@我或回复我）。\n"
            "/topics：浏览我知道的城市、方案和职业。\n"
            "/about：我知道什么、出处在哪。\n"
            "在任何聊天中输入 @{username} 加问题，即可分享答案。"
        ),
        "about": (
            "我知道{facts}条事实，涉及{entities}个主题、{numbers}个数字，来自{sources}个来源（{files}个知识文件）。\n"
            "知识加载于 {loaded}。"
        ),
        "sources": "来源：",
        "topics": "浏览我知道的内容：",
        "kind-city": "城市",
        "kind-village": "村镇",
        "kind-plan": "方案",
        "kind-event": "活动",
        "kind-occupation": "职业",
        "kind-report": "报告",
        "ask-usage": "请在命令后写上问题，例如：\n/ask 杭州直播电商方案的目标是什么？",
        "text-only": "我只能读文字：请用文字发送你的问题。",
        "unknown-command": "我不认识这个命令。/help 列出我能做的事。",
        "gone": "我的知识库里已经没有这一条了。",
        "expired": "这个按钮已失效，请重新提问。",
        "not-known": "我的知识库里没有",
        "open-chat": "私聊向我提问",
        "reload-refused": "抱歉，只有机器人管理员可以重新加载知识库。",
        "reload-ok": "已重新加载：{facts}条事实，{sources}个来源，{entities}个主题，{numbers}个数字，{files}个文件。",
        "reload-failed": "重新加载失败，共{n}个问题；我继续使用 {loaded} 加载的知识回答。修正后请再次 /reload：",
        "added": "新增（{n}）：",
        "removed": "删除（{n}）：",
        "edited": "修改（{n}）：",
        "unchanged": "没有事实发生变化。",
        "replica": "这只重新加载了一个 webhook 副本：请向其他副本发送 SIGHUP。",
    },
}


def ui(language: str, key: str) -> str:
    """One string in the given language ('zh' or anything else for English)."""
    return _TEXT["zh" if language == "zh" else "en"][key]


def language_of(language_code: str | None) -> str:
    """The reply language for a Telegram user's language_code: 'zh' for zh*, else 'en'."""
    return "zh" if (language_code or "").lower().startswith("zh") else "en"
