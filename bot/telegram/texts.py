"""The Telegram front end's own words (buttons, commands, replies), in English and Chinese.

The answers themselves come from the engine; these strings frame them. Plain text: callers escape.
"""

from __future__ import annotations

COMMANDS = {
    "en": (
        ("ask", "Ask a question (in groups: /ask QUESTION)"),
        ("compare", "Compare two plans, cities or festivals, with a chart"),
        ("topics", "Browse cities, plans and occupations"),
        ("about", "What I know and where it comes from"),
        ("help", "How to ask me"),
        ("start", "Say hello"),
    ),
    "zh": (
        ("ask", "提问（群组中：/ask 问题）"),
        ("compare", "比较两个方案、城市或购物节，附图表"),
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
            "/compare A B sets the figures of two plans, cities or festivals side by side, with a chart.\n"
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
        "admin-only": "Sorry, only the bot's administrators can use /{command}.",
        "reload-ok": (
            "Reloaded: {facts} facts, {sources} sources, {entities} entities, {numbers} figures, {files} files."
        ),
        "reload-failed": (
            "Reload failed with {n} problem(s); I keep answering from the knowledge loaded {loaded}. "
            "Fix these and /reload again:"
        ),
        "added": "Added ({n}):",
        "removed": "Removed ({n}):",
        "edited": "Edited ({n}):",
        "unchanged": "No fact changed.",
        "replica": "This reloaded one webhook replica only: send SIGHUP to the others.",
        "replica-watch": (
            "Replicas running with LIVEBOT_WATCH=1 pick up the edit by themselves; send SIGHUP to any others."
        ),
        "vote-thanks": "Thanks for the feedback!",
        "vote-off": "Sorry, I cannot keep feedback right now.",
        "days-usage": "Give the number of days to look back, for example /{command} 7, or nothing for all.",
        "no-data-dir": "I am not recording questions (this bot has no data directory), so there is nothing to show.",
        "recording-off": (
            "Recording is off (LIVEBOT_RECORD=0 or a database failure, see the log): "
            "these are the questions recorded before."
        ),
        "records-unreadable": "I cannot read the question database: {error}",
        "gaps-none": "No gaps: every recorded question{since} was answered.",
        "gaps-head": "Top {shown} of {total} gaps{since}, most asked first (livebot gaps shows them all):",
        "since": " in the last {days} day(s)",
        "gap-count": "{count}× · {outcomes} · {channels}",
        "nearest": "nearest fact: {fact} ({score})",
        "no-nearest": "no fact comes near",
        "not-covered": "no fact: the knowledge does not cover {names}",
        "also-asked": "also asked: {phrasings}",
        "downvote": "👎 “{question}” was shown: {facts}",
        "no-facts": "no facts",
        "stats-head": (
            "{total} questions{since}: {answered} answered, {low} low confidence, {declined} declined, "
            "{chitchat} chitchat; 👍 {up} · 👎 {down}"
        ),
        "tally": "{label}: {total} ({answered} answered, {low} low, {declined} declined, {chitchat} chitchat)",
        "by-channel": "By channel:",
        "per-day": "Per day (last {n}):",
        "top-facts": "Most shown facts:",
        "chart-sources": "Sources: {sources}",
        "compare-usage": (
            "Name the two things to compare, for example:\n/compare guangzhou hangzhou\n"
            "/compare double product festival, may fifth shopping festival"
        ),
    },
    "zh": {
        "source": "来源",
        "source-line": "来源：{source}",
        "full-source": "完整出处",
        "more-on": "更多：{name}",
        "note": "备注：",
        "commands": (
            "/ask 问题：在群组中向我提问（也可以@我或回复我）。\n"
            "/compare 甲 乙：把两个方案、城市或购物节的数字并排比较，附图表。\n"
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
        "admin-only": "抱歉，只有机器人管理员可以使用 /{command}。",
        "reload-ok": "已重新加载：{facts}条事实，{sources}个来源，{entities}个主题，{numbers}个数字，{files}个文件。",
        "reload-failed": "重新加载失败，共{n}个问题；我继续使用 {loaded} 加载的知识回答。修正后请再次 /reload：",
        "added": "新增（{n}）：",
        "removed": "删除（{n}）：",
        "edited": "修改（{n}）：",
        "unchanged": "没有事实发生变化。",
        "replica": "这只重新加载了一个 webhook 副本：请向其他副本发送 SIGHUP。",
        "replica-watch": "以 LIVEBOT_WATCH=1 运行的副本会自动载入修改；请向其他副本发送 SIGHUP。",
        "vote-thanks": "谢谢你的反馈！",
        "vote-off": "抱歉，现在无法记录反馈。",
        "days-usage": "请给出回看的天数，例如 /{command} 7；不写则为全部。",
        "no-data-dir": "我没有记录问题（这个机器人没有数据目录），所以没有可显示的内容。",
        "recording-off": "记录已关闭（LIVEBOT_RECORD=0 或数据库出错，见日志）：以下是此前记录的问题。",
        "records-unreadable": "无法读取问题数据库：{error}",
        "gaps-none": "没有缺口：{since}记录的问题都已回答。",
        "gaps-head": "{since}共{total}个缺口，以下是提问最多的前{shown}个（livebot gaps 显示全部）：",
        "since": "最近{days}天",
        "gap-count": "{count}次 · {outcomes} · {channels}",
        "nearest": "最接近的事实：{fact}（{score}）",
        "no-nearest": "没有接近的事实",
        "not-covered": "没有相关事实：知识库不涵盖{names}",
        "also-asked": "其他问法：{phrasings}",
        "downvote": "👎 “{question}” 显示了：{facts}",
        "no-facts": "无事实",
        "stats-head": (
            "{since}共{total}个问题：{answered}个已回答，{low}个低置信度，{declined}个未回答，"
            "{chitchat}个闲聊；👍 {up} · 👎 {down}"
        ),
        "tally": "{label}：{total}（已回答{answered}，低置信度{low}，未回答{declined}，闲聊{chitchat}）",
        "by-channel": "按渠道：",
        "per-day": "按天（最近{n}天）：",
        "top-facts": "显示最多的事实：",
        "chart-sources": "来源：{sources}",
        "compare-usage": "请写出要比较的两者，例如：\n/compare 广州 杭州\n/compare 双品网购节，五五购物节",
    },
}


def ui(language: str, key: str) -> str:
    """One string in the given language ('zh' or anything else for English)."""
    return _TEXT["zh" if language == "zh" else "en"][key]


def language_of(language_code: str | None) -> str:
    """The reply language for a Telegram user's language_code: 'zh' for zh*, else 'en'."""
    return "zh" if (language_code or "").lower().startswith("zh") else "en"
