"""The knowledge loader and checker, on the bundled files and on small broken directories."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest
from kbedit import append

from bot.cli import main
from bot.engine import Engine
from bot.errors import KnowledgeError
from bot.knowledge import Problem, bundled_dir, check, load_knowledge
from bot.knowledge.schema import CUE_MEANINGS, SCHEMA

GOOD = """\
[[source]]
id = "article"
kind = "article"
title = "A report"
publisher = "The Paper"
author = "Wang Wei"
date = "2020"

[[source]]
id = "ministry-account"
kind = "account"
title = "Business Micro News"
publisher = "Ministry of Commerce"
date = "2020-05-15"
via = "article"

[[entity]]
id = "hangzhou"
kind = "city"
name = "Hangzhou"
name_zh = "杭州"
aliases = ["Hang Zhou", "杭州市"]

[[fact]]
id = "hangzhou-anchors"
text = "Hangzhou ranks first in China in the number of anchors."
about = ["hangzhou"]
source = "article"
numbers = [
  { value = 1, unit = "rank", measure = "anchors", display = "first", kind = "rank" },
]

[[fact]]
id = "festival-sales"
text = "The festival sold 182.51 billion yuan."
about = ["hangzhou"]
source = "ministry-account"
date = "2020-05-10"
numbers = [{ value = 182.51e9, unit = "yuan", measure = "sales", display = "182.51 billion yuan" }]

[[measure]]
id = "anchors"
name = "anchors"
words = ["streamers"]

[[measure]]
id = "sales"
name = "sales"
"""


def write(tmp_path: Path, text: str, name: str = "k.toml") -> Path:
    (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def only(problems: list[Problem]) -> Problem:
    assert len(problems) == 1, problems
    return problems[0]


def line_of(text: str, needle: str, nth: int = 1) -> int:
    lines = [i for i, line in enumerate(text.splitlines(), 1) if needle in line]
    return lines[nth - 1]


def test_bundled_knowledge_is_valid() -> None:
    """The shipped knowledge passes every check and loads."""
    assert check() == []
    kb = load_knowledge()
    assert kb.counts()["facts"] >= 80


def test_good_directory_loads(tmp_path: Path) -> None:
    """A valid directory loads into sources, entities and facts with structured numbers."""
    kb = load_knowledge(write(tmp_path, GOOD))
    assert set(kb.sources) == {"article", "ministry-account"}
    assert kb.entities["hangzhou"].aliases == ("Hang Zhou", "杭州市")
    sales = next(f for f in kb.facts if f.id == "festival-sales")
    assert sales.numbers[0].value == pytest.approx(182.51e9)


def test_syntax_error_has_line_and_column(tmp_path: Path) -> None:
    """A TOML syntax error names the file, line and column."""
    text = GOOD.replace('name = "Hangzhou"', 'name = "Hangzhou')
    problem = only(check(write(tmp_path, text)))
    assert problem.kind == "syntax"
    assert problem.path.endswith("k.toml")
    assert problem.line == line_of(text, 'name = "Hangzhou')
    assert "column" in problem.message


def test_missing_field_is_located(tmp_path: Path) -> None:
    """A fact without its source is reported at that fact's block."""
    text = GOOD.replace('source = "ministry-account"\n', "")
    problem = only(check(write(tmp_path, text)))
    assert (problem.kind, problem.key) == ("missing", "fact[festival-sales]")
    assert "source" in problem.message
    assert problem.line == line_of(text, "[[fact]]", 2)


def test_mistyped_field_is_located(tmp_path: Path) -> None:
    """A list where a string belongs is a type problem on that key's line."""
    text = GOOD.replace('name = "Hangzhou"', 'name = ["Hangzhou"]')
    problem = only(check(write(tmp_path, text)))
    assert (problem.kind, problem.key) == ("type", "entity[hangzhou].name")
    assert problem.line == line_of(text, 'name = ["Hangzhou"]')


def test_unknown_field_is_reported(tmp_path: Path) -> None:
    """A misspelt field name is not silently ignored."""
    text = GOOD.replace('name_zh = "杭州"', 'nmae_zh = "杭州"')
    problem = only(check(write(tmp_path, text)))
    assert (problem.kind, problem.key) == ("unknown-field", "entity[hangzhou].nmae_zh")
    assert problem.line == line_of(text, "nmae_zh")


def test_duplicate_id_across_files(tmp_path: Path) -> None:
    """An id used twice, even in another file, points at both places."""
    write(tmp_path, GOOD)
    extra = '[[entity]]\nid = "hangzhou"\nkind = "city"\nname = "Hangzhou again"\n'
    problem = only(check(write(tmp_path, extra, "z.toml")))
    assert problem.kind == "duplicate-id"
    assert problem.path.endswith("z.toml") and problem.line == 2
    assert "k.toml" in problem.message


def test_unknown_references(tmp_path: Path) -> None:
    """References to sources and entities that do not exist are each reported."""
    text = GOOD.replace(
        'about = ["hangzhou"]\nsource = "article"', 'about = ["hangzhou", "hangzou"]\nsource = "artcle"'
    )
    problems = check(write(tmp_path, text))
    assert {(p.kind, p.key) for p in problems} == {
        ("reference", "fact[hangzhou-anchors].about[1]"),
        ("reference", "fact[hangzhou-anchors].source"),
    }
    assert all(p.line > 0 for p in problems)


def test_empty_alias(tmp_path: Path) -> None:
    """An empty alias is reported with its position in the list."""
    text = GOOD.replace('aliases = ["Hang Zhou", "杭州市"]', 'aliases = ["Hang Zhou", "  "]')
    problem = only(check(write(tmp_path, text)))
    assert (problem.kind, problem.key) == ("empty", "entity[hangzhou].aliases[1]")
    assert problem.line == line_of(text, "aliases")


def test_malformed_date(tmp_path: Path) -> None:
    """A date that is not YYYY[-MM[-DD]] or not on the calendar is reported."""
    text = GOOD.replace('date = "2020-05-10"', 'date = "2020-02-30"').replace('date = "2020-05-15"', 'date = "May 15"')
    problems = check(write(tmp_path, text))
    assert {p.key for p in problems} == {"fact[festival-sales].date", "source[ministry-account].date"}
    assert {p.kind for p in problems} == {"date"}


def test_malformed_number_in_multiline_list(tmp_path: Path) -> None:
    """A figure written as text is reported on its own line inside a multi-line list."""
    text = GOOD.replace("{ value = 1, unit", '{ value = "1st", unit')
    problem = only(check(write(tmp_path, text)))
    assert (problem.kind, problem.key) == ("number", "fact[hangzhou-anchors].numbers[0].value")
    assert problem.line == line_of(text, 'value = "1st"')


def test_display_must_occur_in_text(tmp_path: Path) -> None:
    """A figure's display string must be how the fact's text writes it."""
    text = GOOD.replace('display = "182.51 billion yuan"', 'display = "182.5 billion yuan"')
    problem = only(check(write(tmp_path, text)))
    assert (problem.kind, problem.key) == ("number", "fact[festival-sales].numbers[0].display")


def test_same_fact_twice(tmp_path: Path) -> None:
    """The same statement under two ids is reported, whatever its punctuation and case."""
    text = GOOD + (
        '\n[[fact]]\nid = "hangzhou-anchors-again"\n'
        'text = "Hangzhou ranks FIRST in China in the number of anchors!"\n'
        'about = ["hangzhou"]\nsource = "article"\n'
    )
    problem = only(check(write(tmp_path, text)))
    assert problem.kind == "duplicate-fact"
    assert "hangzhou-anchors" in problem.message


def test_all_problems_reported_at_once(tmp_path: Path) -> None:
    """Several problems in several files come back together, not one per run."""
    write(tmp_path, GOOD.replace('date = "2020"', 'date = "20"'))
    write(tmp_path, "[[fact]]\nid = 'x'\n", "broken.toml")
    kinds = {p.kind for p in check(tmp_path)}
    assert {"date", "missing"} <= kinds


def test_load_raises_with_every_problem(tmp_path: Path) -> None:
    """load_knowledge refuses a broken directory with the same problems check reports."""
    write(tmp_path, GOOD.replace('source = "article"', 'source = "nope"'))
    with pytest.raises(KnowledgeError) as info:
        load_knowledge(tmp_path)
    assert info.value.problems == tuple(check(tmp_path))
    assert info.value.line > 0


def test_missing_directory(tmp_path: Path) -> None:
    """A directory that does not exist is a problem, not a crash."""
    problem = only(check(tmp_path / "nowhere"))
    assert problem.kind == "missing"


def test_a_broken_file_is_reported_without_its_consequences(tmp_path: Path) -> None:
    """A file that does not parse is the one problem reported: references elsewhere to the ids it
    may define are not, while a reference to an id it cannot define still is."""
    sources, _, rest = GOOD.partition("[[entity]]")
    write(tmp_path, sources.replace('title = "A report"', 'title = "A report'), "a-sources.toml")
    write(tmp_path, "[[entity]]" + rest.replace('source = "article"', 'source = "nowhere"'), "b-rest.toml")
    problems = check(tmp_path)
    assert [(p.kind, p.path.endswith("a-sources.toml")) for p in problems] == [("syntax", True), ("reference", False)]
    assert "nowhere" in problems[1].message


def test_a_symlink_loop_is_a_located_problem(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A file that is a symbolic link to itself is reported as unreadable by check, check --json
    and ask --knowledge, never as a traceback."""
    write(tmp_path, GOOD)
    (tmp_path / "a.toml").symlink_to("a.toml")
    problem = only(check(tmp_path))
    assert (problem.kind, Path(problem.path).name) == ("unreadable", "a.toml")
    assert "symbolic links" in problem.message
    assert main(["check", str(tmp_path)]) == 1
    assert "a.toml: cannot read: Too many levels of symbolic links" in capsys.readouterr().out
    assert main(["check", "--json", str(tmp_path)]) == 1
    assert json.loads(capsys.readouterr().out)["counts"] == {"unreadable": 1}
    assert main(["ask", "--knowledge", str(tmp_path), "hangzhou"]) == 1
    assert "a.toml: cannot read" in capsys.readouterr().err


def unreadable(path: Path) -> bool:
    """Makes `path` unreadable and says whether it is (not so for root)."""
    path.chmod(0)
    try:
        os.listdir(path) if path.is_dir() else path.read_bytes()
    except PermissionError:
        return True
    return False


def test_an_unreadable_file_is_its_own_kind(tmp_path: Path) -> None:
    """A file that cannot be read is reported as "unreadable", not as a syntax error."""
    write(tmp_path, GOOD)
    locked = write(tmp_path, "[[synonyms]]\nwords = ['a', 'b']\n", "z.toml") / "z.toml"
    if not unreadable(locked):
        pytest.skip("permissions do not stop this user reading the file")
    problem = only(check(tmp_path))
    assert (problem.kind, problem.message) == ("unreadable", "cannot read: Permission denied")


def test_an_unreadable_directory_says_so(tmp_path: Path) -> None:
    """A directory that cannot be listed says it cannot be read, not that it has no files."""
    folder = tmp_path / "kb"
    folder.mkdir()
    write(folder, GOOD)
    try:
        if not unreadable(folder):
            pytest.skip("permissions do not stop this user listing the directory")
        problem = only(check(folder))
    finally:
        folder.chmod(0o755)
    assert (problem.kind, problem.message) == ("unreadable", "cannot read the directory: Permission denied")


def test_files_in_subfolders_are_reported_as_not_read(tmp_path: Path) -> None:
    """*.toml files in a subfolder are a problem ("not read"), not silently left out; hidden folders are passed over."""
    write(tmp_path, GOOD)
    for folder in ("more", ".git"):
        (tmp_path / folder).mkdir()
        write(tmp_path / folder, "[[synonyms]]\nwords = ['a', 'b']\n", "x.toml")
    problem = only(check(tmp_path))
    assert problem.kind == "layout" and problem.path.endswith("more/x.toml")
    assert problem.message.startswith("not read: knowledge files must be at the top level")
    with pytest.raises(KnowledgeError):
        load_knowledge(tmp_path)


def many_broken_facts(tmp_path: Path, count: int) -> Path:
    return write(tmp_path, "".join(f'[[fact]]\nid = "f{i}"\ntext = "t{i}"\n\n' for i in range(count)))


def test_cli_check_caps_the_printed_problems(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`livebot check` prints the first 200 problems, then how many more, then the full count;
    --json lists 200 and gives the rest as `truncated`, with the counts complete."""
    many_broken_facts(tmp_path, 150)  # two missing fields each
    assert main(["check", str(tmp_path)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 202 and lines[-2:] == ["… and 100 more problems", "300 problems (300 missing)"]
    assert main(["check", "--json", str(tmp_path)]) == 1
    payload = json.loads(capsys.readouterr().out)
    assert (len(payload["problems"]), payload["truncated"], payload["counts"]) == (200, 100, {"missing": 300})


def test_cli_check_clean(capsys: pytest.CaptureFixture[str]) -> None:
    """`livebot check` exits 0 with one summary line on the bundled knowledge."""
    assert main(["check"]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1 and out[0].startswith("ok:") and "facts" in out[0]


def test_cli_check_reports_problems(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`livebot check DIR` prints file:line: key: message per problem and exits 1."""
    write(tmp_path, GOOD.replace('kind = "city"', 'kind = "town"'))
    assert main(["check", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert re.search(r"k\.toml:\d+: entity\[hangzhou\]\.kind: unknown kind 'town'", out)
    assert out.strip().splitlines()[-1].startswith("1 problem")


def test_cli_check_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`livebot check --json` gives ok, problems with path, key, line, message, and counts by kind."""
    write(tmp_path, GOOD.replace('source = "article"', 'source = "nope"'))
    assert main(["check", str(tmp_path), "--json"]) == 1
    payload = json.loads(capsys.readouterr().out)
    assert payload["ok"] is False
    assert payload["counts"] == {"reference": 1}
    problem = payload["problems"][0]
    assert {"path", "key", "line", "message"} <= problem.keys() and problem["line"] > 0


def test_bundled_copy_outside_checkout(tmp_path: Path) -> None:
    """The knowledge directory is found however livebot was installed."""
    assert (bundled_dir() / "sources.toml").is_file()
    copy = shutil.copytree(bundled_dir(), tmp_path / "kb")
    assert load_knowledge(copy).counts() == load_knowledge().counts()


# Every figure of the source article, with a word for what it counts and its value. Each must
# stand in a fact written as the article writes it, as a structured number, with a source.
ARTICLE_FIGURES = [
    ("115", "enterprises", 115),
    ("one million", "online stores", 1_000_000),
    ("182.51 billion yuan", "sales", 182.51e9),
    ("1.37 times", "first", 1.37),
    ("4,000", "cars", 4000),
    ("600 million yuan", "cars", 600e6),
    ("500 million yuan", "mainstream media", 500e6),
    ("3 hours", "mainstream media", 3),
    ("100+", "innovative enterprises", 100),
    ("19.1%", "online", 19.1),
    ("118%", "Bilibili", 118),
    ("32%", "Ximalaya", 32),
    ("200", "Freshippo", 200),
    ("3 times", "Freshippo", 3),
    ("50 million", "parcels", 50e6),
    ("60%", "parcels", 60),
    ("4 hours", "global live stream", 4),
    ("8.9 billion yuan", "pre-sales", 8.9e9),
    ("200 million", "audience", 200e6),
    ("55", "radio hosts", 55),
    ("7 km", "Yiwu", 7),
    ("10 head anchors", "Hangzhou", 10),
    ("50", "Hangzhou", 50),
    ("500", "Hangzhou", 500),
    ("5,000", "Hangzhou", 5000),
    ("100 billion yuan", "turnover", 100e9),
    ("quadrupled", "merchants", 4),
    ("10 leading", "Guangzhou", 10),
    ("100 influential MCN", "Guangzhou", 100),
    ("1,000", "brands", 1000),
    ("10,000", "Guangzhou", 10000),
    ("132%", "demand", 132),
    ("9845 yuan", "salary", 9845),
    ("70%", "experience", 70),
    ("10 new occupations", "Announcement", 10),
    ("19 students", "certificate", 19),
]
ARTICLE_DATES = [
    ("April 28", "Double Product"),
    ("May 10", "Double Product"),
    ("May 15", "Business Micro News"),
    ("March 15", "parcels"),
    ("May 4", "global live stream"),
    ("May 13", "press conference"),
    ("end of March", "Taobao Live"),
    ("April 28", "Hangzhou"),
    ("March 24", "Guangzhou"),
    ("May 10", "Wuhan"),
    ("March 18", "Zhilian"),
    ("May 11", "Live Salesman"),
    ("May 8", "Yiwu"),
    ("May 19", "Internet Communication Magazine"),
]


@pytest.mark.parametrize(("figure", "counts", "value"), ARTICLE_FIGURES)
def test_every_article_figure_is_a_sourced_number(figure: str, counts: str, value: float) -> None:
    """Each figure of the article is in a fact, as written, structured, and with a source."""
    kb = load_knowledge()
    facts = [f for f in kb.facts if figure in f.text and counts.casefold() in f.text.casefold()]
    assert facts, f"no fact says {figure!r} about {counts!r}"
    assert any(n.value == pytest.approx(value) for f in facts for n in f.numbers), (
        f"{figure!r} is not a structured number"
    )
    assert all(f.source in kb.sources for f in facts)


@pytest.mark.parametrize(("date", "about"), ARTICLE_DATES)
def test_every_article_date_is_in_a_sourced_fact(date: str, about: str) -> None:
    """Each date the article gives is in a fact about what happened then, with its source."""
    kb = load_knowledge()
    facts = [f for f in kb.facts if date in f.text and about.casefold() in f.text.casefold()]
    assert facts and all(f.source in kb.sources for f in facts), (date, about)


def test_article_source_names_the_paper_and_its_reporter() -> None:
    """The article itself is a source: The Paper, reporter Wang Wei, 2020, with no invented day."""
    kb = load_knowledge()
    article = next(s for s in kb.sources.values() if s.kind == "article")
    assert "The Paper" in article.publisher and article.author == "Wang Wei"
    assert article.date == "2020"
    attributed = [s for s in kb.sources.values() if s.via == article.id]
    assert attributed and all(s.date for s in attributed if s.kind in ("account", "report", "press-conference"))


def test_a_figure_of_an_undeclared_measure_is_located(tmp_path: Path) -> None:
    """A figure whose measure no [[measure]] table declares is reported at its measure key."""
    text = GOOD.replace('measure = "sales"', 'measure = "turnover"')
    problem = only(check(write(tmp_path, text)))
    assert problem.key == "fact[festival-sales].numbers[0].measure"
    assert "unknown measure 'turnover'" in problem.message


def test_a_chinese_display_must_occur_in_the_chinese_text(tmp_path: Path) -> None:
    """A figure's display_zh that the fact's Chinese text does not hold is reported."""
    text = GOOD.replace(
        'text = "The festival sold 182.51 billion yuan."',
        'text = "The festival sold 182.51 billion yuan."\ntext_zh = "购物节销售额达1825.1亿元。"',
    ).replace('display = "182.51 billion yuan" }', 'display = "182.51 billion yuan", display_zh = "1825亿元" }')
    problem = only(check(write(tmp_path, text)))
    assert problem.key == "fact[festival-sales].numbers[0].display_zh"


def test_the_format_guide_has_a_section_for_every_table() -> None:
    """A curator finds each table the checker accepts ([[shorthand]] included) in the guide."""
    guide = (Path(__file__).parent.parent / "docs" / "knowledge-format.md").read_text(encoding="utf-8")
    tables = [t for t in SCHEMA if t != "number"]  # a fact's numbers have their own part of [[fact]]
    assert [t for t in tables if f"## `[[{t}]]`" not in guide] == []


def test_the_format_guide_explains_every_cue_meaning() -> None:
    """A curator adding a cue finds each meaning the checker accepts explained in the guide."""
    guide = (Path(__file__).parent.parent / "docs" / "knowledge-format.md").read_text(encoding="utf-8")
    table = guide.split("## `[[cue]]`")[1].split("## ")[0]
    assert sorted(m for m in CUE_MEANINGS if f"`{m}`" not in table) == []


def test_a_shorthand_a_curator_adds_is_read_as_the_word(knowledge: Path) -> None:
    """With `[[shorthand]]` 'trfc' for 'traffic', 'freshippo q1 trfc' is read as asking the
    traffic figure, and the answer line gives it."""
    assert "online traffic" not in Engine.load(knowledge).ask("freshippo q1 trfc").lead
    append(knowledge, "vocabulary.toml", '[[shorthand]]\nwords = ["trfc"]\nfull = "traffic"\n')
    assert "online traffic: nearly 3 times" in Engine.load(knowledge).ask("freshippo q1 trfc").lead


def test_a_shorthand_without_its_full_word_is_refused(tmp_path: Path) -> None:
    problem = only(check(write(tmp_path, GOOD + '\n[[shorthand]]\nwords = ["fest"]\n')))
    assert problem.key.startswith("shorthand") and "full" in problem.key + problem.message
