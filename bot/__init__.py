"""livebot: sourced answers about China's 2020 live-streaming e-commerce economy."""

from bot.engine import Answer, Engine, ShownFact, Suggestion

__all__ = ["Answer", "Engine", "ShownFact", "Suggestion"]
__version__ = "0.1.0"
