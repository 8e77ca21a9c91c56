"""Question types: a closed set, each a small class keeping the ``QuestionType`` contract."""

from .base import QuestionType, strip_ids
from .essay import Essay
from .matching import Matching
from .multiple_choice import MultipleChoice
from .numerical import Numerical
from .ordering import Ordering
from .short_answer import ShortAnswer
from .single_choice import SingleChoice
from .true_false import TrueFalse

QUESTION_TYPES: dict[str, QuestionType] = {
    qtype.name: qtype
    for qtype in (SingleChoice(), MultipleChoice(), TrueFalse(), ShortAnswer(), Numerical(),
                  Matching(), Ordering(), Essay())
}


def get_type(name: str) -> QuestionType:
    """The type called ``name``; KeyError for an unknown name (a programming error)."""
    return QUESTION_TYPES[name]


__all__ = ["QUESTION_TYPES", "QuestionType", "get_type", "strip_ids"]
