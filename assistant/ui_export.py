"""The conversation as an evidence packet (Markdown or JSON), shared by the web UI and `codecite chat`."""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
import threading
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from assistant.effect import decided_by_text, effect_label
from assistant.models import Answer, Citation

FIELD_LABELS: dict[str, str] = {
    "includes": "Included services",
    "reported_separately": "Reported separately",
    "summary": "Summary",
    "body": "Description",
    "bundles": "PTP table: codes bundled into it",  # the generated section (assistant/bundling.py)
    "bundled_into": "PTP table: codes it is bundled into",
}
LOW_CONFIDENCE_TEXT = (
    "Low confidence: retrieval found no strong match in the knowledge base. Check the sources before use."
)


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
        lines += ["", f"## {i}. {turn['question']}", "", f"**Verdict:** {effect_label(answer)}", ""]
        lines += [f"*{decided_by_text(answer)}*", ""]
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
    kept = [{"question": t["question"], "answer": t["answer"]} for t in turns]  # no in-memory state
    return json.dumps({**meta, "turns": kept}, indent=2, ensure_ascii=False) + "\n"


def packet_meta(model: str, manifest: Mapping[str, Any]) -> dict[str, Any]:
    """What answered: the model and the knowledge base version, at the time of the export."""
    return {
        "exported_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "model": model,
        "knowledge_base": {
            k: manifest.get(k) for k in ("records", "passages", "code_set_years", "built_at", "content_hash")
        },
    }


def write_packet(
    turns: Sequence[Mapping[str, Any]], fmt: str, meta: Mapping[str, Any], path: Path | None = None
) -> Path:
    """Write the packet (`fmt` md or json) to `path`, or to a new temporary file; returns the path."""
    if path is None:
        folder = Path(tempfile.mkdtemp(prefix="codecite-export-"))
        path = folder / f"codecite-evidence-{time.strftime('%Y%m%d-%H%M%S')}.{fmt}"
    body = export_markdown(turns, meta) if fmt == "md" else export_json(turns, meta)
    path.write_text(body, encoding="utf-8")
    return path


class ExportFolder:
    """Where the web UI writes packets, which may hold what a coder typed (PHI): a private folder
    (0700) per server, one subfolder per browser session holding only its latest packet of each
    format. A session's folder goes when its tab closes, the whole folder when the server stops.
    The server points Gradio's own file cache here too, so Gradio serves the packets in place
    instead of copying them to the shared system temp folder."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = root or Path(tempfile.mkdtemp(prefix="codecite-exports-"))
        self.root.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.root.chmod(0o700)  # mkdir's mode is masked by the umask; this is not
        self._lock = threading.Lock()

    def folder(self, session: str) -> Path:
        # The session id is a client-chosen string: hashed, it is always one safe path segment.
        return self.root / hashlib.sha256(session.encode("utf-8", "replace")).hexdigest()[:16]

    def write(
        self, session: str, turns: Sequence[Mapping[str, Any]], fmt: str, meta: Mapping[str, Any]
    ) -> Path:
        """The session's packet in `fmt`, replacing its earlier one."""
        folder = self.folder(session)
        with self._lock:
            folder.mkdir(mode=0o700, exist_ok=True)
            for old in folder.glob(f"*.{fmt}"):
                old.unlink(missing_ok=True)
            path = folder / f"codecite-evidence-{time.strftime('%Y%m%d-%H%M%S')}.{fmt}"
            return write_packet(turns, fmt, meta, path)

    def forget(self, session: str) -> None:
        with self._lock:
            shutil.rmtree(self.folder(session), ignore_errors=True)

    def close(self) -> None:
        with self._lock:
            shutil.rmtree(self.root, ignore_errors=True)
