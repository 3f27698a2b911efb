"""Dev helper for drafting records: parse every .md under a directory with the schema.

Usage: python3 scripts/check_records_dir.py knowledge/urinary/kidney
(The full validator is `codecite validate`; this one needs only pydantic and PyYAML.)
"""

import pathlib
import re
import sys

import yaml

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))
from assistant.records import Record

SEED_RUN = 8


def main() -> int:
    root = pathlib.Path(sys.argv[1])
    bad = 0
    for path in sorted(root.rglob("*.md")):
        text = path.read_text()
        parts = re.split(r"^---\s*$", text, maxsplit=2, flags=re.M)
        if len(parts) < 3:
            print(f"{path}: no front matter")
            bad += 1
            continue
        try:
            rec = Record.model_validate(yaml.safe_load(parts[1]))
        except Exception as exc:
            print(f"{path}: {exc}")
            bad += 1
            continue
        if rec.code and path.stem != rec.code:
            print(f"{path}: file name should be {rec.code}.md")
            bad += 1
        if len(parts[2].split()) < 40:
            print(f"{path}: body too short")
            bad += 1
    print(f"{bad} problem(s)")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
