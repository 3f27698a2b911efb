"""What the claim check needs from the knowledge base, and its implementation over the records."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from assistant.records import Record


class Knowledge(Protocol):
    """What the claim check needs from the knowledge base."""

    def has_record(self, code: str) -> bool: ...

    def primary_codes(self, code: str) -> list[str]: ...

    def policy_findings(self, codes: Sequence[str]) -> list[tuple[str, list[str], str, str]]:
        """(policy title and rule, codes it joins, reason, citation) for codes on one claim."""
        ...


class RecordKnowledge:
    """The claim check's view of the knowledge records."""

    def __init__(self, records: dict[str, Record]) -> None:
        self.records = records
        self.policies = [r for r in records.values() if r.type == "policy"]

    def has_record(self, code: str) -> bool:
        return code in self.records

    def primary_codes(self, code: str) -> list[str]:
        record = self.records.get(code)
        return list(record.primary_codes) if record else []

    def policy_findings(self, codes: Sequence[str]) -> list[tuple[str, list[str], str, str]]:
        out: list[tuple[str, list[str], str, str]] = []
        present = set(codes)
        for policy in self.policies:
            covered = [c for c in codes if policy.covers(c)]
            if not covered:
                continue
            for item in policy.includes:
                joined = sorted(present & set(item.codes) - set(covered))
                if joined:
                    source = policy.sources[0] if policy.sources else ""
                    out.append(
                        (
                            f"{policy.title} (included: {item.service})",
                            [*covered, *joined],
                            item.reason or item.service,
                            f"CodeCite policy record {policy.policy_id} ({source})",
                        )
                    )
        return out


def knowledge_from_files(knowledge_dir: Path) -> RecordKnowledge:
    """Read the knowledge records straight from their files (no index or embedder needed)."""
    from assistant.ingest import load_knowledge

    return RecordKnowledge({r.key: r for r in load_knowledge(knowledge_dir).records})
