"""HTML for the web UI: pure functions over `Answer` and `Record`, easy to unit test.

Everything that comes from an answer or a record is HTML-escaped before it is placed in markup.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

from assistant.effect import decided_by_text, effect_hint, effect_label, is_reply
from assistant.models import Answer, Citation, Passage, RuleCitation
from assistant.records import Record, Service
from assistant.ui_export import FIELD_LABELS, LOW_CONFIDENCE_TEXT

RULE_KINDS: dict[str, str] = {
    "ptp": "NCCI procedure-to-procedure edit",
    "mue": "Medically unlikely edit (units)",
    "rvu": "Physician fee schedule indicators",
    "aoc": "Add-on code edit",
    "policy": "NCCI policy",
    "claim": "Claim check",
}
MARKER_RE = re.compile(r"\[(\d{1,2})\]")
WORKING_LABEL = "Working…"


def badge_html(answer: Answer) -> str:
    """What the answer means for the claim as a coloured pill (colour by claim effect).

    Effect and verdict are classes, not data-* attributes: the chat's sanitizer keeps only classes.
    """
    verdict = escape(answer.verdict or "none")
    return (
        f'<span class="cc-badge cc-effect-{answer.claim_effect} cc-verdict-{verdict}" '
        f'data-effect="{answer.claim_effect}" data-verdict="{verdict}">{escape(effect_label(answer))}</span>'
    )


def working_badge() -> str:
    """The neutral pill shown while an answer streams; same size, so the text does not move."""
    return (
        f'<span class="cc-badge cc-effect-working" data-effect="working" role="status">{WORKING_LABEL}</span>'
    )


def decided_html(answer: Answer) -> str:
    return f'<span class="cc-decided">{escape(decided_by_text(answer))}</span>'


def badge_row(answer: Answer | None, position: str = "", decided: bool = True) -> str:
    """Badge (a working badge while `answer` is None), then 'Decided by' unless `decided` is False."""
    parts = [working_badge() if answer is None else badge_html(answer)]
    if answer is not None and decided and not is_reply(answer):  # a thanks answered has no rule
        parts.append(decided_html(answer))
    if position:
        parts.append(f'<span class="cc-pos">{escape(position)}</span>')
    return f'<div class="cc-badge-row">{"".join(parts)}</div>'


def source_id(turn: int, n: int | str) -> str:
    """The id of source card n of answer `turn` (the chat's sanitizer keeps only href, not data-*)."""
    return f"cc-src-{turn}-{n}"


# The chat renders Markdown: "![x](url)" would be an image the browser fetches, "[x](url)" a link.
_MARKDOWN_ACTIVE = re.compile(r"([\\!\[\]])")
_INERT_MARKER = re.compile(r"\\\[(\d{1,2})\\\]")


def inert(text: str) -> str:
    """Text from a question or a model as the chat shows it: HTML escaped, and Markdown image and
    link syntax escaped, so it reads as typed and nothing in it renders or is fetched."""
    return _MARKDOWN_ACTIVE.sub(r"\\\1", escape(text, quote=False))


def mark_refs(text: str, turn: int) -> str:
    """Make answer text inert and turn its [n] markers into links to source card n of `turn`."""
    return _INERT_MARKER.sub(
        lambda m: (
            f'<a class="cc-ref" href="#{source_id(turn, m.group(1))}" '
            f'title="Show source {m.group(1)}">[{m.group(1)}]</a>'
        ),
        inert(text),
    )


def answer_message(answer: Answer, turn: int) -> str:
    """The assistant's chat bubble: the badge, the text with linked markers, 'Decided by', any warning.

    Only the badge comes before the text, and it has the working badge's size, so the text starts
    where it started while streaming (a 'Decided by' beside it would wrap on a phone).
    """
    parts = [badge_row(answer, decided=False), mark_refs(answer.text, turn)]
    if not is_reply(answer):  # a thanks answered has no rule to name (the side panel's head neither)
        parts.append(decided_html(answer))
    if answer.low_confidence:
        parts.append(f'<div class="cc-warn">⚠ {escape(LOW_CONFIDENCE_TEXT)}</div>')
    return "\n\n".join(parts)


def working_message(text: str, head: Answer | None = None) -> str:
    """The bubble while an answer streams: the verdict's badge once known (else the working
    badge, of the same size), then the text so far."""
    body = inert(text) + " ▌" if text else "…"
    return f"{badge_row(head, decided=False)}\n\n{body}"


def queue_html(questions: Sequence[str]) -> str:
    """Questions waiting behind the one being answered, so none looks dropped."""
    if not questions:
        return ""
    items = "".join(f"<li>{escape(q)}</li>" for q in questions)
    return (
        f'<div class="cc-queue" role="status">Queued ({len(questions)}), answered in turn:'
        f"<ol>{items}</ol></div>"
    )


def highlight(context: str, quote: str) -> str:
    """The passage with the quoted span marked; the bare quote when it is not found in the passage."""
    start = context.find(quote) if quote else -1
    if start < 0:
        return f"<mark>{escape(quote)}</mark>"
    end = start + len(quote)
    return f"{escape(context[:start])}<mark>{escape(quote)}</mark>{escape(context[end:])}"


SHOWN_SOURCES = 3  # a record can list dozens of edit pairs: the rest wait behind "more"
LONG_SOURCE = 160


def _source_item(source: str) -> str:
    if len(source) <= LONG_SOURCE:
        return f"<li>{escape(source)}</li>"
    cut = source[:120].rsplit(" ", 1)[0]
    return f"<li><details><summary>{escape(cut)} …</summary>{escape(source)}</details></li>"


def _sources_list(sources: Sequence[str]) -> str:
    if not sources:
        return ""
    items = [_source_item(s) for s in sources]
    more = items[SHOWN_SOURCES:]
    tail = (
        f"<li><details><summary>{len(more)} more sources</summary><ul>{''.join(more)}</ul></details></li>"
        if more
        else ""
    )
    return f'<ul class="cc-refs">{"".join(items[:SHOWN_SOURCES])}{tail}</ul>'


def citation_html(citation: Citation, context: str | None, turn: int = 0) -> str:
    field = FIELD_LABELS.get(citation.field, citation.field)
    meta = " · ".join(
        x
        for x in (
            field,
            f"code set {citation.code_set_year}" if citation.code_set_year else "",
            citation.file,
        )
        if x
    )
    return (
        f'<div class="cc-source" id="{source_id(turn, citation.n)}" data-code="{escape(citation.code)}" '
        f'tabindex="-1" role="region" aria-label="Source {citation.n}">'
        f'<div class="cc-src-head"><span class="cc-n">[{citation.n}]</span>{escape(citation.code)} '
        f"— {escape(citation.title)}</div>"
        f'<div class="cc-meta">{escape(meta)}</div>'
        f'<div class="cc-quote">{highlight(context or citation.quote, citation.quote)}</div>'
        f"{_sources_list(citation.sources)}</div>"
    )


def rule_html(rule: RuleCitation, facts: str = "") -> str:
    """A CMS rule card; `facts` (the row with human labels) replaces the raw detail line."""
    kind = RULE_KINDS.get(rule.kind, rule.kind.upper())
    body = facts or f'<div class="cc-quote">{escape(rule.detail)}</div>'
    source = f'<div class="cc-meta">{escape(rule.detail)}</div>' if facts else ""
    return (
        f'<div class="cc-rule" data-kind="{escape(rule.kind)}">'
        f'<div class="cc-src-head">{escape(rule.label)}</div>'
        f'<div class="cc-meta">CMS {escape(kind)} · as of {escape(rule.as_of)}</div>{body}{source}</div>'
    )


def answer_head(answer: Answer | None, position: str = "") -> str:
    """The selected answer's badge, what it means for the claim, and its low-confidence warning."""
    if answer is None:
        return (
            '<div class="cc-panel"><p class="cc-empty">Ask a question: the verdict, the codes it names '
            "and every cited passage appear here.</p></div>"
        )
    parts = [
        '<div class="cc-panel">',
        badge_row(answer, position),
        f'<div class="cc-hint">{escape(effect_hint(answer))}</div>',
    ]
    if answer.low_confidence:
        parts.append(f'<div class="cc-warn">⚠ {escape(LOW_CONFIDENCE_TEXT)}</div>')
    parts.append("</div>")
    return "".join(parts)


def sources_panel(
    answer: Answer | None, contexts: Mapping[str, str], turn: int = 0, rule_facts: Sequence[str] = ()
) -> str:
    """CMS rules and cited passages of answer `turn`, each quote highlighted inside its passage."""
    if answer is None:
        return '<div class="cc-panel"><p class="cc-empty">No answer yet.</p></div>'
    parts = [f'<div class="cc-panel" data-turn="{turn}">']
    if answer.rules:
        facts = [*rule_facts, *[""] * len(answer.rules)]
        cards = "".join(rule_html(r, f) for r, f in zip(answer.rules, facts, strict=False))
        parts.append("<h4>CMS rules</h4>" + cards)
    parts.append("<h4>Cited passages</h4>")
    if answer.citations:
        parts += [citation_html(c, contexts.get(c.passage_id), turn) for c in answer.citations]
    else:
        parts.append('<p class="cc-empty">No passage supports this answer.</p>')
    parts.append("</div>")
    return "".join(parts)


def _service_items(title: str, items: Sequence[Service]) -> str:
    if not items:
        return ""
    rows = []
    for item in items:
        codes = f" ({', '.join(item.codes)})" if item.codes else ""
        reason = f' <span class="cc-reason">— {escape(item.reason)}</span>' if item.reason else ""
        rows.append(f"<li><b>{escape(item.service)}</b>{escape(codes)}{reason}</li>")
    return f"<h4>{escape(title)}</h4><ul>{''.join(rows)}</ul>"


def _code_list(title: str, codes: Sequence[str]) -> str:
    return f"<h4>{escape(title)}</h4><p>{escape(', '.join(codes))}</p>" if codes else ""


def record_html(code: str, record: Record | None, passages: Sequence[Passage] = (), facts: str = "") -> str:
    """One code's knowledge record; without one, what the CMS tables know (`facts`) about it."""
    if record is None:
        known = (
            f"<h4>What the CMS tables say</h4>{facts}"
            if facts
            else "<p>The CMS tables loaded here have no row for it either.</p>"
        )
        return (
            f'<div class="cc-panel cc-record" data-code="{escape(code)}"><div class="cc-src-head">'
            f"{escape(code)}: no knowledge record</div>"
            '<p class="cc-meta">The knowledge base describes only the urinary system (CPT 50010-53899), '
            f"so there is no description of this code.</p>{known}</div>"
        )
    kind = {"retired": "Retired code", "policy": "Policy"}.get(record.type, "Procedure")
    meta = [kind, record.family, record.section, f"code set {record.code_set_year}"]
    if record.add_on:
        meta.append("add-on")
    body = [p for p in passages if p.field in ("summary", "body")]
    parts = [
        f'<div class="cc-panel cc-record" data-code="{escape(record.key)}">',
        f'<div class="cc-src-head">{escape(record.key)} — {escape(record.title)}</div>',
        f'<div class="cc-meta">{escape(" · ".join(m for m in meta if m))}</div>',
        _code_list("Base code", [record.base_code] if record.base_code else []),
        _code_list("Reported with", record.primary_codes),
        _code_list("Replaced by", record.replaced_by),
        _code_list("Applies to", record.applies_to),
        _service_items("Included", record.includes),
        _service_items("Reported separately", record.reported_separately),
        _code_list("See also", record.see_also),
    ]
    if body:
        paragraphs = "".join(f"<p>{escape(p.text)}</p>" for p in body)
        parts.append(f"<details><summary>Description ({len(body)} passages)</summary>{paragraphs}</details>")
    parts += ["<h4>Sources</h4>", _sources_list(record.sources), "</div>"]
    return "".join(parts)


def settings_html(model: str, manifest: Mapping[str, Any]) -> str:
    """Model and knowledge base version, shown under the title so a coder knows what answered."""
    years = ", ".join(str(y) for y in manifest.get("code_set_years", []) or [])
    version = str(manifest.get("content_hash", ""))[:10]
    # The model line only where a model writes part of the answer (not "none": extractive only).
    items = [f"Model <b>{escape(model)}</b>"] if model and model != "none" else []
    items += [
        f"Knowledge base <b>{manifest.get('records', '?')}</b> records, "
        f"<b>{manifest.get('passages', '?')}</b> passages",
    ]
    if years:
        items.append(f"code set {escape(years)}")
    if manifest.get("built_at"):
        items.append(f"built {escape(str(manifest['built_at']))}")
    if version:
        items.append(f"version {escape(version)}")
    return f'<div class="cc-settings" id="cc-settings">{" · ".join(items)}</div>'


def status_html(message: str) -> str:
    return f'<div class="cc-status" role="alert">{escape(message)}</div>'
