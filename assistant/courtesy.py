"""A turn that only thanks or acknowledges ("perfect thank you!! u saved my friday", "got it,
thx"): answered with a short reply, never with the earlier turn's codes answered again."""

from __future__ import annotations

import re

from assistant.codes import find_codes

_COURTESY = re.compile(
    r"\b(thanks?|thank (you|u)|thx|tysm|appreciate (it|that|you)|you rock|life ?saver|saved my|"
    r"that help(s|ed))\b|"
    # Words that are praise only at the start of a turn ("perfect, thanks", not "the perfect stent").
    r"^\W*(ok(ay)?\W+)?(perfect|great|awesome|cool|got it|makes sense|understood)\b",
    re.I,
)
# Words that ask or go on ("ok perfect, and with a stent"): such a turn is a follow-up.
_ASKS = re.compile(
    r"\b(what|which|how|why|when|where|who|can|could|does|do|is|are|should|would|will|and|with|"
    r"about|if|instead|but|also|code|bill)\b",
    re.I,
)
# A turn longer than this is taken as a question even when it thanks ("thanks! and 52204?").
MAX_WORDS = 10

REPLY = (
    "You're welcome. Ask the next one whenever you like: a code, two codes together, a draft "
    "claim, or a procedure in your own words."
)


def is_courtesy(text: str) -> bool:
    """Thanks or an acknowledgement with no question in it: no "?", no code, a few words."""
    words = re.findall(r"[\w']+", text)
    return (
        bool(_COURTESY.search(text))
        and "?" not in text
        and not _ASKS.search(text)
        and not find_codes(text)
        and 0 < len(words) <= MAX_WORDS
    )
