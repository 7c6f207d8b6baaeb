"""The answer stage: question analysis, article ranking, evidence and composition (see answerer.py)."""

from .answerer import Answerer
from .model import EMPTY_QUESTION, REFUSAL, Answer, Citation, Conversation

__all__ = ["Answerer", "Answer", "Citation", "Conversation", "REFUSAL", "EMPTY_QUESTION"]
