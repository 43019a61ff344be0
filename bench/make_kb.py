"""Writes a valid synthetic knowledge directory: python bench/make_kb.py N DIR [--seed S].

N facts about made-up cities, plans and platforms, with Chinese names, pinyin aliases, typo-prone
names and structured figures, in the same shape as the bundled knowledge.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

VOCABULARY = Path(__file__).resolve().parent.parent / "knowledge" / "vocabulary.toml"  # how questions read

SYLLABLES = (
    "an bao bei chang cheng chong da dong feng fu guang gui hai han hang he hua huai ji jia jiang jin kai lan li "
    "lian long lu luo ming nan ning pan qing quan rong sha shan shen shi shui song su tai tang tian wen wu xia xian "
    "xin xu yang yi ying yong yu yuan yun zhang zhao zhen zheng zhou zhu"
).split()
HANZI = (
    "安宝北长成崇大东丰福广贵海汉杭河华淮吉嘉江金开兰丽连龙鲁洛明南宁盘青泉容沙"
    "山深石水松苏泰唐天温吴夏咸新徐阳义英永玉源云张昭镇郑州珠"
)
MEASURES = [
    ("anchors", "anchors", "主播"),
    ("live-sessions", "live sessions", "直播场次"),
    ("sellers-trained", "people trained to sell live", "带货人才"),
    ("brands-incubated", "online brands", "网红品牌"),
    ("agencies-cultivated", "MCN agencies", "MCN机构"),
    ("online-stores", "online stores", "网店"),
]
TEMPLATES = [
    (
        "{city} ranks {rank_en} in the country in number of {label}, according to {platform}'s {year} report.",
        "据{platform}{year}年报告，{city_zh}{label_zh}数量全国排名第{rank_zh}。",
        "rank",
    ),
    (
        "{city}'s {year} action plan aims to reach {value_en} {label} by {target_year}.",
        "{city_zh}{year}年行动计划提出到{target_year}年达到{value_en}{label_zh}。",
        "target",
    ),
    (
        "{platform} reported that {city} had {value_en} {label} in the first quarter of {year}.",
        "{platform}称{city_zh}{year}年一季度有{value_en}{label_zh}。",
        "actual",
    ),
    (
        "The number of {label} in {city} grew by {pct}% year on year in {year}, {platform} said.",
        "{platform}称{year}年{city_zh}{label_zh}同比增长{pct}%。",
        "growth",
    ),
]
RANKS = [("first", "一"), ("second", "二"), ("third", "三"), ("fourth", "四"), ("fifth", "五")]


def name(rng: random.Random, used: set[str]) -> tuple[str, str]:
    while True:
        parts = rng.sample(range(len(SYLLABLES)), rng.choice((2, 2, 3)))
        en = "".join(SYLLABLES[i] for i in parts).capitalize()
        zh = "".join(HANZI[i % len(HANZI)] for i in parts)
        if en not in used:
            used.add(en)
            return en, zh


def q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def build(n: int, seed: int) -> dict[str, str]:
    rng = random.Random(seed)
    used: set[str] = set()
    cities = [name(rng, used) for _ in range(max(10, n // 12))]
    platforms = [name(rng, used) for _ in range(max(3, n // 200))]
    sources = [
        "[[source]]",
        'id = "synthetic-article"',
        'kind = "article"',
        'title = "Synthetic live economy survey"',
        'publisher = "Bench Press"',
        'date = "2020"',
        "",
    ]
    for i, (en, zh) in enumerate(platforms):
        sources += [
            "[[source]]",
            f'id = "report-{i}"',
            'kind = "report"',
            f"title = {q(en + ' live economy report')}",
            f"publisher = {q(en)}",
            f"publisher_zh = {q(zh)}",
            f'date = "2020-{rng.randint(1, 12):02d}"',
            'via = "synthetic-article"',
            "",
        ]
    entities = []
    for i, (en, zh) in enumerate(cities):
        alias = en.lower()[:-1] + en.lower()[-1] * 2
        entities += [
            "[[entity]]",
            f'id = "city-{i}"',
            'kind = "city"',
            f"name = {q(en)}",
            f"name_zh = {q(zh)}",
            f"aliases = [{q(en.lower())}, {q(alias)}, {q(zh + '市')}]",
            f"description = {q('A synthetic city.')}",
            "",
        ]
    facts = []
    seen: set[str] = set()
    i = 0
    while i < n:
        city_i = rng.randrange(len(cities))
        plat_i = rng.randrange(len(platforms))
        measure, label, label_zh = rng.choice(MEASURES)
        text_en, text_zh, kind = rng.choice(TEMPLATES)
        value = rng.randint(2, 999) * 10 ** rng.randint(1, 3)
        rank_en, rank_zh = rng.choice(RANKS)
        fields = dict(
            city=cities[city_i][0],
            city_zh=cities[city_i][1],
            platform=platforms[plat_i][0],
            label=label,
            label_zh=label_zh,
            year=rng.choice((2019, 2020)),
            target_year=2022 + i % 3,
            value_en=f"{value:,}",
            pct=f"{rng.randint(1, 400)}.{i % 10}",
            rank_en=rank_en,
            rank_zh=rank_zh,
        )
        text = text_en.format(**fields)
        zh = text_zh.format(**fields)
        if text in seen or zh in seen:
            continue
        seen.update((text, zh))
        display = {"rank": rank_en, "growth": f"{fields['pct']}%"}.get(kind, f"{value:,}")
        number_value = {"rank": RANKS.index((rank_en, rank_zh)) + 1, "growth": float(fields["pct"])}.get(kind, value)
        unit = {"rank": "rank", "growth": "percent"}.get(kind, label.split()[-1])
        facts += [
            "[[fact]]",
            f'id = "fact-{i}"',
            f"text = {q(text)}",
            f"text_zh = {q(zh)}",
            f'about = ["city-{city_i}"]',
            f'source = "report-{plat_i}"',
            f"keywords = [{q(label_zh)}, {q(measure)}]",
            f"numbers = [{{ value = {number_value}, unit = {q(unit)}, measure = {q(measure)}, "
            f"display = {q(display)}, kind = {q(kind)} }}]",
            "",
        ]
        i += 1
    measures = []
    for measure, label, label_zh in MEASURES:
        measures += ["[[measure]]", f"id = {q(measure)}", f"name = {q(label)}", f"name_zh = {q(label_zh)}", ""]
    return {
        "sources.toml": "\n".join(sources),
        "entities.toml": "\n".join(entities),
        "facts.toml": "\n".join(facts),
        "measures.toml": "\n".join(measures),
        "vocabulary.toml": VOCABULARY.read_text(encoding="utf-8"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("n", type=int)
    parser.add_argument("dir", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    for file, text in build(args.n, args.seed).items():
        (args.dir / file).write_text(text, encoding="utf-8")
    print(f"wrote {args.n} facts to {args.dir}")


if __name__ == "__main__":
    main()
