"""The wording cues the question reader goes by: what a turn asks (a code, a pair, units, the fee
schedule, a comparison), what frames an inclusion question, and what points back at an earlier
turn. Exact patterns only where the wording is narrow; the intent classifier reads the rest."""

from __future__ import annotations

import re

from assistant.text import tokenize

# Requests outside procedure coding: declined rather than answered with a "closest match".
OFF_TOPIC = re.compile(
    r"\bicd[- ]?10|diagnosis codes?\b|\bpoem\b|\bjoke\b|\bstory\b|recommend|near me|lab result|"
    r"appeal letter|\bdraft (a|an|me)\b|write (me )?(a|an) |patient names|\bweather\b|\bcreatinine\b",
    re.IGNORECASE,
)
_FALSIFY_CUES = (
    # the facts bent: billed other than done
    r"\beven (though|if|tho)\b|\banyway\b|\bregardless\b|\bwhatever\b|\b(nobody|no one) (checks|will)\b",
    r"\b(was ?n[o']?t|were ?n[o']?t|did ?n[o']?t|never|not) (really |actually )?"
    r"(done|do|performed|perform|documented|document|happen|placed|there|get|end up)\b",
    r"\bforgot to (document|dictate)\b|\bpretend\b|\b(say|claim|put down|state) (it|that|they) (was|were)\b",
    r"\bwhen (it|he|she|they|the \w+) (was|were|had|did|forgot)\b|\bwhen only\b",
    r"\b(only|just) (did|done|one|1)\b",
    r"\bwhen the (procedure|case|visit|pt|patient) was\b|\b(although|though) only\b|\bas if\b",
    r"\bas completed\b|\b(cancel+ed|aborted|wasted)\b|\bfake\b|\bfudge\b|\bmade-?up\b|\bhide\b",
    r"\bcalling it\b|\bdescribe (it|the \w+) as\b|\bjust say\b|\bdon'?t mention\b|\bit was really\b",
    r"\bnot (separately )?(performed|done)\b|\bsince (he|she|the doc) (always|planned)\b|\bstill bill\b",
    # the record rewritten
    r"\b(change|alter|edit|fix|move|adjust|update)\b[^.?!]{0,30}"
    r"\b(date|dos|note|record|documentation|op note|size|diagnosis|dx|time)\b",
    r"\b(bump|tweak|delete|remove)\b[^.?!]{0,40}\b(note|line|dos|date|times?|report)\b",
    r"\b(put|use|list|make|bill)\b[^.?!]{0,10}\b(dos|date of service)\b",
    r"\bback ?-?dat|\brewrite\b|\bre-?word|\bword (the|it|this)\b|\baddendum\b|\bmake it (look|seem)\b",
    r"\bwrite (a|an|the|up)\b[^.?!]{0,20}\b(note|documentation)\b|\blooks? (like|medically)\b",
    r"\bsign (it|the note) for\b|\bcreate an? (op|operative)\b|\bfill in the missing\b|\bretroactive",
    r"\bcopy (last|the|a)\b[^.?!]{0,20}\bnote\b|\bphrase the note\b|\btemplate\b|\bwrite it yourself\b",
    r"\bwithout (me )?(having to )?document",
    # the payment as the reason, or the edit as the obstacle
    r"\bpays? (more|better)\b|\b(more|extra) (money|pay|revenue)\b|\bhigher (pay|paying)\b|\bupcod|\bup-cod",
    r"\bboost\b|\brevenue\b|\bmaximi[sz]e\b|\bso (both|it|they|each|all) (pay|get paid|gets paid|pass)\b",
    r"\b(gets?|got|sneak|slip) (it |this |that |them )?(past|around|through)\b|\bbypass\b|\bbeat\b|\btrick\b",
    r"\bstop (denying|rejecting)\b|\bmake (the|this) claim pass\b|\bunbundl|\bsplit\b|\bjustify\b",
    r"\b(i|we) need it paid\b|\bdon'?t care\b|\bensure payment\b|\bmake it work\b",
    r"\bso it (pays|passes|works|goes)\b|\b(get|to get|for) (the )?(higher|full|extra|100%|more)\b",
    r"\bdouble (bill|our|the)\b|\bany modifier\b|\bresubmit\b|\bstrip\b|\bdifferent code until\b",
    r"\bwon'?t (know|mind|flag|catch|notice)\b|\b(doesn'?t|don'?t|won'?t) (catch|flag)\b|\baudit",
    r"\b(boss|manager)\b|\b(on|under) (everything|every (time|case|claim))\b|\b(to|on) every\b",
    r"\b(separate|different) (claims?|dates?)\b|\bprior auth\b|\bcredentialed\b|\bignore the (mue|edit)\b",
    r"\blist the (assistant|resident|np|pa)\b|\b(it )?will pay\b|\b(doesn'?t|does not|won'?t) cover\b",
    r"\bas (new|a covered)\b|\binstead\b[^.?!]{0,30}\bso\b",
)
# What makes a request to misreport one: the facts bent ("even though", "wasn't done"), the
# record rewritten ("change the date", "addendum") or the payment as the reason ("pays more", "so
# both pay"). The classifier's "falsify" reads "anything extra I can add for the rib?" and "so
# 52300-50 right?" the same way, so below FALSIFY_SURE it needs one of these.
FALSIFY = re.compile("|".join(_FALSIFY_CUES), re.IGNORECASE)
UNITS = re.compile(r"\bunits?\b|\bMUE\b|how many (times|\d{5}|of)|per (day|date)|in a day\b", re.I)
FAMILY = re.compile(
    r"base code|global (days|period)|multiple[- ]endoscopy|endoscopic family|"
    r"\ban? add[- ]on\b|add[- ]on code|\bprimary (codes?|procedures?|services?)\b",
    re.I,
)
INCLUSION = re.compile(
    r"\binclud|\bbundl|part of|separate|\bbill|\breport|\bcode [^?]{0,80}? (with|and)\b|\bcharge|\bcover|"
    r"\bpaid (with|separately)|together|same (session|day|encounter|visit|op)\b|\bunbundl|\badd\b|"
    r"\bin addition|\bextra\b|\bon top\b|\banything beyond\b|\bedit\b|\bclaim\b|\bis (that|it) in\b|"
    r"\bwith \d{5}\s*\?|\+|"
    # Coders' words for "bundled" and "billed on its own": "built into", "rolled into", "does the
    # rectal line get its own line?", "do we get paid for".
    r"\b(built|folded|rolled|baked|wrapped) in(to)?\b|\bits own (line|code|charge|payment)\b|"
    r"\bget paid\b|\bpaid for\b|\bpays? (for|on top|separately|extra)\b",
    re.IGNORECASE,
)
# Asking for a code by name ("which code for ...", "how do I code ..."): such a turn inherits none.
ASKS_FOR_CODE = re.compile(
    r"\b(which|what) (cpt )?codes?\b|\b(code|cpt) for\b|how (do|should|would) (i|we|you) code|"
    r"what do i (bill|use)|\bwhat(?:'s| is) the (cpt|code)\b|\bwhat cpt\b",
    re.IGNORECASE,
)
LOOKUP = re.compile(ASKS_FOR_CODE.pattern + r"|\bcode\?\s*$", re.IGNORECASE)
# "a separate code for that?", "is there an additional CPT code for the fluoro?": whether it is
# billed on its own, not which code it is.
SEPARATE_CODE = re.compile(r"\b(separate|own|extra|additional|another|different)\s+(cpt\s+)?codes?\b", re.I)


def asks_for_code(text: str) -> bool:
    return bool(ASKS_FOR_CODE.search(text)) and not SEPARATE_CODE.search(text)


def asks_lookup(text: str) -> bool:
    return bool(LOOKUP.search(text)) and not SEPARATE_CODE.search(text)


DESCRIBE = re.compile(r"\bwhat (is|does|are)\b|\bdescribe\b|\bexplain\b|\bmeaning\b|\btell me about\b", re.I)
COMPARE = re.compile(
    r"\bdifferences?\b|\bdiffers?\b|\bdifferent from\b|\bdistinguish\w*|\bcompar(e|es|ed|ing|ison)\b|"
    r"\bvs\.?\b|\bversus\b|\bwhich is which\b|"
    r"\d{5} or \d{5}|\d{5}\s+v\.?\s+\d{5}",
    re.I,
)
# Asking for a drug or supply code, or its units ("J-code for botox?", "HCPCS supply code for the
# balloon?"): HCPCS Level II descriptors are outside what we describe.
SUPPLY = re.compile(r"\bj[- ]?codes?\b|\bhcpcs\b|\b(supply|drug|device) codes?\b", re.I)
# A turn adding its one code to the earlier turn's ("can 51700 be billed too?", "and 50430 with
# it?", "can I bill the stent 52332 with a modifier?": billed with a modifier beside another code;
# "can I add 50650 for the cuff?": added to the claim).
ALSO = re.compile(
    r"\b(too|also|as well|in addition|alongside|on top|with (it|that|this|them)|with (a|the|any) modifier|"
    r"(can|could|may|should) (i|we) (also )?add)\b",
    re.I,
)
FOLLOWUP_LOOKUP = re.compile(r"^\s*(and |so )?((what|how) about|if|what if|with)\b", re.I)
# Words that point back at something said before: the earlier code ("how is that different from
# 52000?") or the case notes ("is that extra work billable?").
POINTS_BACK = re.compile(r"\b(that|this|those|these|it|the first one|the other one)\b", re.I)
# "and what about 52648?" / "same for 52648?": the earlier question, asked of another code.
SAME_FOR = re.compile(r"^\s*(?:ok(?:ay)?[\s,]*)?(and |so )?((what|how) about|same for|and for|now)\b", re.I)
# "Is X included / bundled / part of Y?" is answered "yes, included"; "can I bill X with Y?" "no".
ASKS_INCLUDED = re.compile(
    r"\b(includ\w*|bundl\w*|part of|cover\w*|inclusive|is (that|it) in|"
    r"(built|folded|rolled|baked|wrapped) in(to)?)\b",
    re.I,
)

# Words that frame an inclusion question rather than name the service asked about (stemmed).
FRAME_WORDS = (
    "included include bundled bundle bill billed billable report reported reportable separately "
    "separate part procedure service code cpt allowed allow okay ok charge charged paid pay covered "
    "cover same session day encounter visit together alongside also both need needed require "
    "required use used get considered consider count counted inclusive performed done add added "
    "addition additional still then else other another one claim just only what about how right "
    "itself extra top edit there can pays payable fold folded reimburse reimbursed reimbursable "
    "coded coding billing something anything line own chargeable earn earns beyond built rolled baked "
    "wrapped into go goes already"
)
FRAME = frozenset(tokenize(FRAME_WORDS))
# Where the service asked about ends and the framing begins ("is the hydro | part of the botox
# code or not?", "can the KUB | go on the claim with 50590?").
SERVICE_ENDS = re.compile(
    r"\b(part of|includ(ed|es)? in|bundled (in|into|with)|built into|go(es)? (on|with|thru|through)|"
    r"billed (with|on|separately)|on the claim|or not|or is it|with (a|the) modifier)\b",
    re.I,
)
