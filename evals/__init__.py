"""Evaluation harness: score CodeCite (and a plain RAG baseline) on a JSONL dataset.

`python -m evals.run --dataset evals/datasets/dev.jsonl --out runs/dev --baseline`; see evals/README.md.
"""
