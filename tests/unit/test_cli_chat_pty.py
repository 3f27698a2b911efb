"""`codecite chat` under a pseudo-terminal, as a coder types it: empty lines, /reset, /export, /quit.

The test profile (fake embedder over a small index under tmp, fake LLM) keeps it fast.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from assistant.config import Settings
from assistant.embed import HashingEmbeddings
from assistant.index import build_index

if TYPE_CHECKING:
    from pexpect import spawn

pexpect = pytest.importorskip("pexpect", reason="the pty test needs pexpect: pip install -e '.[dev]'")

ROOT = Path(__file__).resolve().parents[2]
PROMPT = "you> "
TIMEOUT_S = 90  # a cold Python start with chromadb on a loaded 2-core machine


@pytest.fixture
def chat(unit_settings: Settings, tmp_path: Path) -> Iterator[spawn]:
    """`codecite chat` on a fake-embedder index built under tmp, in a pseudo-terminal."""
    build_index(unit_settings, HashingEmbeddings(), progress=False)
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "HF_HUB_OFFLINE": "1",
        "CODECITE_KNOWLEDGE_DIR": str(unit_settings.knowledge_dir),
        "CODECITE_DATA_DIR": str(unit_settings.data_dir),
        "CODECITE_RULES_PATH": str(unit_settings.rules_db),
        "CODECITE_MODELS_DIR": str(unit_settings.model_cache),
        "CODECITE_EMBEDDER__PROVIDER": "fake",
        "CODECITE_LLM__PROVIDER": "fake",
    }
    child = pexpect.spawn(
        sys.executable,
        ["-m", "assistant.cli", "chat"],
        cwd=str(tmp_path),
        env=env,
        encoding="utf-8",
        timeout=TIMEOUT_S,
        dimensions=(40, 120),
    )
    child.expect_exact(PROMPT)
    yield child
    child.close(force=True)


def ask(child: spawn, line: str) -> str:
    """Type a line, wait for the next prompt; what was printed in between."""
    child.sendline(line)
    child.expect_exact(PROMPT)
    return str(child.before)


def test_chat_under_a_pty(chat: spawn, tmp_path: Path) -> None:
    first = ask(chat, "is fluoroscopy included in 52332?")
    assert "working..." in first and "Verdict:" in first and "Decided by:" in first
    assert "Verdict:" not in ask(chat, "")  # a stray Enter asks nothing and ends nothing
    assert "Verdict:" not in ask(chat, "   ")
    follow = ask(chat, "does it include a biopsy?")
    assert "Verdict:" in follow
    assert "Exported 2 answer(s)" in ask(chat, "/export packet.md")
    packet = (tmp_path / "packet.md").read_text()
    assert packet.startswith("# CodeCite evidence packet")
    assert "## 1. is fluoroscopy included in 52332?" in packet and "## 2. does it include a biopsy?" in packet
    assert "**Sources:**" in packet and "**Verdict:**" in packet
    assert "New conversation" in ask(chat, "/reset")
    assert "Nothing to export yet" in ask(chat, "/export again.md")  # the reset forgot the answers
    assert "whether asdfgh is included" not in ask(chat, "asdfgh")
    assert "Usage: /export FILE" in ask(chat, "/export")
    chat.sendline("/quit")
    chat.expect(pexpect.EOF)
    chat.close()
    assert chat.exitstatus == 0
