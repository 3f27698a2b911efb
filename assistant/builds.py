"""Build directories: their manifests, the atomic swap of the current-index link, and pruning of
old and incomplete builds."""

from __future__ import annotations

import json
import os
from pathlib import Path

from assistant import locks

KEEP_OLD_BUILDS = 1  # complete builds kept beside the current one, so a rollback is one link away


def swap_in(link: Path, build_dir: Path) -> None:
    """Point the `index` link at `build_dir` (the caller has checked `link` is a link or absent)."""
    tmp = link.with_name(f".index-{os.getpid()}.tmp")
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    tmp.symlink_to(build_dir.relative_to(link.parent))
    os.replace(tmp, link)  # atomic: readers see the old index or the new one, never half


def prune(builds: Path, current: Path) -> None:
    """Under the writer lock: drop incomplete builds (their writer is dead) and all but the newest
    KEEP_OLD_BUILDS complete ones, except any build a running process holds."""
    others = [d for d in builds.iterdir() if d.is_dir() and d != current]
    # Ordered by when each manifest was written: the directories' own mtimes move with lock files.
    complete = sorted(
        (d for d in others if (d / "manifest.json").is_file()),
        key=lambda d: (d / "manifest.json").stat().st_mtime_ns,
    )
    incomplete = [d for d in others if not (d / "manifest.json").is_file()]
    for stale in incomplete + complete[: max(0, len(complete) - KEEP_OLD_BUILDS)]:
        locks.remove_unless_in_use(stale)


def read_json(path: Path) -> dict[str, object]:
    """A JSON object from `path`; ValueError says what is wrong with it (never the content)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ValueError(f"{path.name} is missing") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"{path.name} is unreadable ({type(exc).__name__})") from None
    if not isinstance(data, dict):
        raise ValueError(f"{path.name} is not a JSON object")
    return data


def write_manifest(build_dir: Path, manifest: dict[str, object]) -> None:
    """Atomically: a build directory without a manifest is incomplete by definition."""
    tmp = build_dir / ".manifest.json.tmp"
    tmp.write_text(json.dumps(manifest, indent=1))
    os.replace(tmp, build_dir / "manifest.json")


def named_collections(builds: Path) -> set[str]:
    """The Chroma server collections the builds on disk name (an incomplete build names none)."""
    names = set()
    for build in builds.iterdir():
        try:
            names.add(str(read_json(build / "manifest.json").get("collection", "")))
        except ValueError:
            continue
    return names - {""}


def embedder_name(embedder: object) -> str:
    """What a build's manifest records as its embedder (a changed name re-embeds every passage)."""
    return str(getattr(embedder, "name", type(embedder).__name__))
