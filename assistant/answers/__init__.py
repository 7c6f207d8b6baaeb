"""The answer stage: question analysis, article ranking, evidence and composition (see answerer.py)."""

from assistant.answers.answerer import Answerer
from assistant.answers.model import EMPTY_QUESTION, REFUSAL, Answer, Citation, Conversation

__all__ = ["Answerer", "Answer", "Citation", "Conversation", "REFUSAL", "EMPTY_QUESTION"]
