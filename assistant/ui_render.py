"""HTML and Markdown for the web UI: pure functions over `Answer` and `Record`, easy to unit test.

Everything that comes from an answer or a record is HTML-escaped before it is placed in markup.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

from assistant.models import Answer, Citation, Passage, RuleCitation
from assistant.records import Record, Service

BADGE_LABELS: dict[str, str] = {
    "included": "Included",
    "separate": "Reported separately",
    "not_stated": "Not stated in sources",
    "out_of_scope": "Out of scope",
}
BADGE_HINTS: dict[str, str] = {
    "included": "Bundled into the code: do not report it separately.",
    "separate": "Not bundled: report it with its own code.",
    "not_stated": "The knowledge base does not settle this question.",
    "out_of_scope": "Outside what the knowledge base covers.",
}
FIELD_LABELS: dict[str, str] = {
    "includes": "Included services",
    "reported_separately": "Reported separately",
    "summary": "Summary",
    "body": "Description",
}
MARKER_RE = re.compile(r"\[(\d{1,2})\]")
LOW_CONFIDENCE_TEXT = (
    "Low confidence: retrieval found no strong match in the knowledge base. Check the sources before use."
)

CSS = """
.cc-badge{display:inline-block;padding:3px 10px;border-radius:999px;font-weight:600;font-size:.85rem;
  border:1px solid transparent;letter-spacing:.01em}
.cc-included{background:#dcfce7;color:#14532d;border-color:#86efac}
.cc-separate{background:#dbeafe;color:#1e3a8a;border-color:#93c5fd}
.cc-not_stated{background:#fef3c7;color:#78350f;border-color:#fcd34d}
.cc-out_of_scope{background:#e5e7eb;color:#374151;border-color:#9ca3af}
.cc-none{background:#f3f4f6;color:#374151;border-color:#d1d5db}
.cc-hint{color:#4b5563;font-size:.85rem;margin-left:8px}
.cc-warn{background:#fff7ed;border:1px solid #fdba74;color:#7c2d12;border-radius:8px;padding:8px 10px;
  margin:8px 0;font-size:.9rem}
.cc-status{background:#fef2f2;border:1px solid #fca5a5;color:#7f1d1d;border-radius:8px;padding:10px 12px}
.cc-settings{color:#4b5563;font-size:.85rem}
.cc-settings b{color:#111827}
.cc-panel h4{margin:14px 0 6px;font-size:.8rem;text-transform:uppercase;letter-spacing:.05em;color:#6b7280}
.cc-source,.cc-rule,.cc-record{border:1px solid #e5e7eb;border-radius:10px;padding:10px 12px;margin:8px 0;
  background:#fff}
.cc-src-head{font-weight:600;color:#111827}
.cc-n{display:inline-block;margin-right:6px;color:#1d4ed8}
.cc-meta{color:#6b7280;font-size:.8rem;margin:2px 0 6px}
.cc-quote{border-left:3px solid #d1d5db;padding:2px 0 2px 10px;margin:6px 0;color:#1f2937;font-size:.9rem}
.cc-quote mark{background:#fde68a;color:#111827;padding:0 2px;border-radius:3px}
.cc-refs{margin:4px 0 0 0;padding-left:18px;color:#4b5563;font-size:.8rem}
.cc-empty{color:#6b7280;font-style:italic}
.cc-record ul{margin:4px 0 8px;padding-left:18px;font-size:.9rem}
.cc-record .cc-reason{color:#6b7280}
.cc-ref{color:#1d4ed8;font-weight:600}
.cc-pos{float:right;color:#6b7280;font-size:.8rem;margin-top:4px}
#cc-chips{gap:6px;align-items:center;flex-wrap:wrap}
#cc-chips button{flex:0 0 auto !important;width:auto !important;min-width:64px !important;
  border-radius:999px !important;font-family:ui-monospace,monospace;padding:2px 12px !important}
#cc-chips-label{flex:1 0 100% !important;color:#6b7280;font-size:.8rem;padding:0 !important}
"""


def badge_html(verdict: str | None) -> str:
    """The verdict as a coloured pill; descriptive answers (no verdict) get a neutral one."""
    if verdict is None:
        return '<span class="cc-badge cc-none">Descriptive answer</span>'
    key = verdict if verdict in BADGE_LABELS else "none"
    label = BADGE_LABELS.get(verdict, verdict)
    return f'<span class="cc-badge cc-{key}" data-verdict="{escape(verdict)}">{escape(label)}</span>'


def mark_refs(text: str) -> str:
    """Escape answer text for the chat bubble and make its [n] markers stand out."""
    return MARKER_RE.sub(r'<span class="cc-ref">[\1]</span>', escape(text, quote=False))


def answer_message(answer: Answer) -> str:
    """The assistant's chat bubble: badge, optional warning, the text with its markers."""
    parts = [badge_html(answer.verdict)]
    if answer.low_confidence:
        parts.append(f'<div class="cc-warn">⚠ {escape(LOW_CONFIDENCE_TEXT)}</div>')
    parts.append(mark_refs(answer.text))
    return "\n\n".join(parts)


def highlight(context: str, quote: str) -> str:
    """The passage with the quoted span marked; the bare quote when it is not found in the passage."""
    start = context.find(quote) if quote else -1
    if start < 0:
        return f"<mark>{escape(quote)}</mark>"
    end = start + len(quote)
    return f"{escape(context[:start])}<mark>{escape(quote)}</mark>{escape(context[end:])}"


def _sources_list(sources: Sequence[str]) -> str:
    if not sources:
        return ""
    return '<ul class="cc-refs">' + "".join(f"<li>{escape(s)}</li>" for s in sources) + "</ul>"


def citation_html(citation: Citation, context: str | None) -> str:
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
        f'<div class="cc-source" id="cc-src-{citation.n}" data-code="{escape(citation.code)}">'
        f'<div class="cc-src-head"><span class="cc-n">[{citation.n}]</span>{escape(citation.code)} '
        f"— {escape(citation.title)}</div>"
        f'<div class="cc-meta">{escape(meta)}</div>'
        f'<div class="cc-quote">{highlight(context or citation.quote, citation.quote)}</div>'
        f"{_sources_list(citation.sources)}</div>"
    )


def rule_html(rule: RuleCitation) -> str:
    return (
        f'<div class="cc-rule"><div class="cc-src-head">{escape(rule.label)}</div>'
        f'<div class="cc-meta">CMS {escape(rule.kind.upper())} · as of {escape(rule.as_of)}</div>'
        f'<div class="cc-quote">{escape(rule.detail)}</div></div>'
    )


def answer_head(answer: Answer | None, position: str = "") -> str:
    """The verdict of the selected answer with what it means, and its low-confidence warning."""
    if answer is None:
        return (
            '<div class="cc-panel"><p class="cc-empty">Ask a question: the verdict, the codes it names '
            "and every cited passage appear here.</p></div>"
        )
    hint = BADGE_HINTS.get(answer.verdict or "", "Describes the code; no inclusion question.")
    parts = [
        f'<div class="cc-panel"><div>{badge_html(answer.verdict)}<span class="cc-hint">{escape(hint)}</span>'
    ]
    if position:
        parts.append(f'<span class="cc-pos">{escape(position)}</span>')
    parts.append("</div>")
    if answer.low_confidence:
        parts.append(f'<div class="cc-warn">⚠ {escape(LOW_CONFIDENCE_TEXT)}</div>')
    parts.append("</div>")
    return "".join(parts)


def sources_panel(answer: Answer | None, contexts: Mapping[str, str]) -> str:
    """CMS rules and cited passages, each quote highlighted inside its passage."""
    if answer is None:
        return '<div class="cc-panel"><p class="cc-empty">No answer yet.</p></div>'
    parts = ['<div class="cc-panel">']
    if answer.rules:
        parts.append("<h4>CMS rules</h4>" + "".join(rule_html(r) for r in answer.rules))
    parts.append("<h4>Cited passages</h4>")
    if answer.citations:
        parts += [citation_html(c, contexts.get(c.passage_id)) for c in answer.citations]
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


def record_html(code: str, record: Record | None, passages: Sequence[Passage] = ()) -> str:
    """One code's knowledge record; an honest 'not covered' when the knowledge base has none."""
    if record is None:
        return (
            f'<div class="cc-panel cc-record" data-code="{escape(code)}"><b>{escape(code)}</b>: not covered. '
            "The knowledge base has no record for this code, so CodeCite cannot answer questions "
            "about it.</div>"
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
    items = [
        f"Model <b>{escape(model)}</b>",
        f"Knowledge base <b>{manifest.get('records', '?')}</b> records, "
        f"<b>{manifest.get('passages', '?')}</b> passages",
    ]
    if years:
        items.append(f"code set {escape(years)}")
    if manifest.get("built_at"):
        items.append(f"built {escape(str(manifest['built_at']))}")
    if version:
        items.append(f"version {escape(version)}")
    return f'<div class="cc-settings">{" · ".join(items)}</div>'


def status_html(message: str) -> str:
    return f'<div class="cc-status" role="alert">{escape(message)}</div>'


def _md_citation(c: Citation) -> list[str]:
    lines = [
        f"- **[{c.n}] {c.code}** {c.title} ({FIELD_LABELS.get(c.field, c.field)}; {c.file}; "
        f"code set {c.code_set_year})",
        f"  > {c.quote}",
    ]
    lines += [f"  - Source: {s}" for s in c.sources]
    return lines


def export_markdown(turns: Sequence[Mapping[str, Any]], meta: Mapping[str, Any]) -> str:
    """The conversation as an evidence packet a coder can attach to an audit."""
    kb = meta.get("knowledge_base", {})
    lines = [
        "# CodeCite evidence packet",
        "",
        f"- Exported: {meta.get('exported_at', '')}",
        f"- Model: {meta.get('model', '')}",
        f"- Knowledge base: {kb.get('records', '?')} records, {kb.get('passages', '?')} passages, "
        f"code set {', '.join(str(y) for y in kb.get('code_set_years', []) or [])}, "
        f"built {kb.get('built_at', '?')}, version {str(kb.get('content_hash', ''))[:10]}",
    ]
    for i, turn in enumerate(turns, 1):
        answer = Answer.model_validate(turn["answer"])
        verdict = BADGE_LABELS.get(answer.verdict or "", "Descriptive answer")
        lines += ["", f"## {i}. {turn['question']}", "", f"**Verdict:** {verdict}", ""]
        if answer.low_confidence:
            lines += [f"> {LOW_CONFIDENCE_TEXT}", ""]
        lines += [answer.text, ""]
        if answer.codes:
            lines += [f"**Codes:** {', '.join(answer.codes)}", ""]
        if answer.rules:
            lines += [
                "**CMS rules:**",
                *[f"- {r.label}: {r.detail} (as of {r.as_of})" for r in answer.rules],
                "",
            ]
        if answer.citations:
            lines += ["**Sources:**", *[line for c in answer.citations for line in _md_citation(c)]]
    return "\n".join(lines).rstrip() + "\n"


def export_json(turns: Sequence[Mapping[str, Any]], meta: Mapping[str, Any]) -> str:
    return json.dumps({**meta, "turns": list(turns)}, indent=2, ensure_ascii=False) + "\n"
