"""What a cold table question loads: the CMS tables answer it, so neither LangChain nor a model
runtime may be imported (each costs a large part of a second of a cold start on 2 cores; the
seconds themselves are measured by `benchmarks.run`, never asserted)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from assistant.config import Settings

HEAVY = (
    "langchain_core",
    "langsmith",
    "torch",
    "sentence_transformers",
    "onnxruntime",
    "chromadb",
    "llama_cpp",
)

SCRIPT = textwrap.dedent(
    """
    import json, sys
    from assistant.config import load_settings
    from assistant.service import build_assistant

    settings = load_settings(
        knowledge_dir=sys.argv[1], data_dir=sys.argv[2], rules_path=sys.argv[3],
        llm={"provider": "none"}, embedder={"runtime": "torch"},  # no ONNX export in a test
    )
    answer = build_assistant(settings).ask(sys.argv[4])
    loaded = sorted({m.split(".")[0] for m in sys.modules} & set(json.loads(sys.argv[5])))
    print(json.dumps({"verdict": answer.verdict, "loaded": loaded}))
    """
)


@pytest.mark.parametrize(
    ("question", "verdict"),
    [
        ("can I bill 52000 with 52332?", "included"),
        ("how many units of 52204 can I bill?", None),
        ("what is the global period of 50590?", None),
    ],
)
def test_a_table_question_imports_no_langchain_and_no_model(
    real_index_settings: Settings, question: str, verdict: str | None
) -> None:
    s = real_index_settings
    args = [str(s.knowledge_dir), str(s.data_dir), str(s.rules_path), question, json.dumps(HEAVY)]
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, *args], capture_output=True, text=True, check=True, timeout=120
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["loaded"] == [], result
    assert result["verdict"] == verdict


def test_a_question_that_needs_the_embedder_still_gets_it(real_index_settings: Settings) -> None:
    """The other side: the lazily made embedder is made when a query needs a vector."""
    s = real_index_settings
    question = "which code for ureteroscopy with laser lithotripsy and a stent?"
    args = [str(s.knowledge_dir), str(s.data_dir), str(s.rules_path), question, json.dumps(HEAVY)]
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, *args], capture_output=True, text=True, check=True, timeout=300
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert "langchain_core" in result["loaded"]


ONNX_SCRIPT = textwrap.dedent(
    """
    import json, sys
    import assistant.ui_server as server
    from assistant.config import load_settings

    settings = load_settings(
        knowledge_dir=sys.argv[1], data_dir=sys.argv[2], rules_path=sys.argv[3], models_dir=sys.argv[6],
        llm={"provider": "none"}, embedder={"runtime": "onnx"},
    )
    opened = []

    def stop_before_launch(assistant, status, exports):  # the server's own start, up to the UI
        opened.append(assistant)
        raise KeyboardInterrupt

    server.build_app = stop_before_launch
    try:
        server.serve(settings)
    except KeyboardInterrupt:
        pass
    answer = opened[0].ask(sys.argv[4])
    loaded = sorted({m.split(".")[0] for m in sys.modules} & set(json.loads(sys.argv[5])))
    print(json.dumps({"verdict": answer.verdict, "loaded": loaded}))
    """
)


def test_the_onnx_embedder_answers_without_torch(real_index_settings: Settings) -> None:
    """`codecite serve` on the ONNX embedder never imports torch (200 MB of RSS on its own)."""
    from pathlib import Path

    from assistant.embed_onnx import model_file

    models = Path("data/models")
    if not model_file(models, "fp32").is_file():
        pytest.skip("no exported ONNX graph in data/models: scripts/setup.sh exports it")
    s = real_index_settings
    question = "which code for ureteroscopy with laser lithotripsy and a stent?"
    args = [str(s.knowledge_dir), str(s.data_dir), str(s.rules_path), question, json.dumps(HEAVY)]
    done = subprocess.run(
        [sys.executable, "-c", ONNX_SCRIPT, *args, str(models.resolve())],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert "onnxruntime" in result["loaded"] and "torch" not in result["loaded"], result
