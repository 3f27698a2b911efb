"""A turn that only thanks or acknowledges ("perfect thank you!! u saved my friday", "ok thanks I
will code it that way"): answered with a short reply, never with the earlier turn's codes
answered again, and skipped when a later follow-up looks back."""

from __future__ import annotations

import re

from assistant.clauses import topic
from assistant.codes import find_codes
from assistant.qualifier_words import stated_size, stated_values

# Thanks and praise. Praise words count only at the start of a turn ("perfect, thanks", not
# "the perfect stent placement").
_COURTESY = re.compile(
    # "saves me an appeal", "saved us a phone call": what was saved is no question.
    r"\bsav(e|es|ed|ing) (me|us|my)\b(\s+[a-z]+){0,3}|"
    r"\b(thanks?|thank (you|u)|thx|tysm|appreciate (it|that|you)|you rock|life ?saver|"
    r"that help(s|ed)|very helpful|so helpful)\b|"
    r"^\W*(ok(ay)?\W+)?(perfect|great|awesome|cool|got it|makes sense|understood)\b",
    re.I,
)
# What may come with thanks without asking anything ("... u saved my friday", "... what i thought").
_FILLER = re.compile(
    r"\b(ok(ay)?|so|very|much|really|again|guys|you|u|are|is|was|a|an|the|my|i|i'll|will|it|that|this|"
    r"what|thought|way|helpful|lifesaver|saver|life|good|great|perfect|awesome|cool|nice|day|week|"
    r"weekend|morning|afternoon|friday|monday|tuesday|wednesday|thursday|saved|save|have|sense|makes|"
    r"know|now|then|code|coded|bill|billed|got|understood|appreciate|all|for|help|helped|helps|"
    r"been|be|had|did|do|just|exactly|figured|guessed|expected|assumed|hoped|today|tonight|tomorrow|"
    r"lot|tons|super|absolutely|totally|definitely|yes|yeah|yep|sure|right|correct|confirms?|"
    r"everything|best|hero|legend|star|amazing|fantastic|excellent|brilliant|wonderful|"
    r"[a-z]*'(s|ve|re|ll|m|d)|as)\b",
    re.I,
)

REPLY = (
    "You're welcome. Ask the next one whenever you like: a code, two codes together, a draft "
    "claim, or a procedure in your own words."
)


def is_courtesy(text: str) -> bool:
    """Thanks or an acknowledgement and nothing else: no "?", no code, no detail stated, and no
    word left that names something once the thanks and their filler are taken out ("thanks. the
    stone was actually 3 cm" and "got it. bilateral" are follow-ups)."""
    if not _COURTESY.search(text) or "?" in text or find_codes(text):
        return False
    rest = _FILLER.sub(" ", _COURTESY.sub(" ", text))
    return not topic(rest, []) and not stated_values(text) and stated_size(text) is None
