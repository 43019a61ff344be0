"""The knowledge: TOML files to a validated, immutable KnowledgeBase. The only reader of TOML.

`load_knowledge(dir)` loads and validates a directory, raising KnowledgeError; `check(dir)` lists
every problem at once, each with file, key and line. The format is docs/knowledge-format.md.
"""

from bot.errors import Problem
from bot.knowledge.loader import bundled_dir, check, load_knowledge
from bot.knowledge.model import Entity, Fact, KnowledgeBase, Number, Outside, Source, counts_text

__all__ = [
    "Entity",
    "Fact",
    "KnowledgeBase",
    "Number",
    "Outside",
    "Problem",
    "Source",
    "bundled_dir",
    "check",
    "counts_text",
    "load_knowledge",
]
