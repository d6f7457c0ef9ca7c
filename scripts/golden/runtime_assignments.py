#!/usr/bin/env python3
"""The frozen unit id -> variant table every runtime must reproduce (tests/runtimes/*), computed in Python from
the tp1 spec (scripts/golden/native_hash.py) and the native config rules, independently of the TypeScript code:

- a variant split over seed "variant:<salt>": variant i owns buckets [round(10000 * cumsum(w)[i-1]),
  round(10000 * cumsum(w)[i])), the last bound being 10000;
- coverage c admits a unit when its "coverage:<salt>" bucket is below round(10000 * c);
- salt defaults to the experiment key.

Run: /usr/bin/python3 scripts/golden/runtime_assignments.py > tests/golden/runtime-assignments.json
"""
import hashlib
import json
import os
import sys
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from native_hash import native_bucket  # noqa: E402

CONFIG = {
    "version": "runtime-golden-1",
    "experiments": [
        {"key": "checkout-button", "variants": [{"key": "control", "weight": 0.5}, {"key": "green", "weight": 0.5}]},
        {
            "key": "hero",
            "salt": "hero-2026",
            "coverage": 0.8,
            "variants": [
                {"key": "control", "weight": 0.2},
                {"key": "big", "weight": 0.3},
                {"key": "video", "weight": 0.5},
            ],
        },
    ],
}


def variant_of(experiment: dict, unit_id: str):
    salt = experiment.get("salt", experiment["key"])
    coverage = experiment.get("coverage", 1)
    if coverage < 1 and not native_bucket("coverage:" + salt, unit_id) < round(coverage * 10000):
        return None
    bucket = native_bucket("variant:" + salt, unit_id)
    cumulative = 0.0
    variants = experiment["variants"]
    for i, v in enumerate(variants):
        cumulative += v["weight"]
        bound = 10000 if i == len(variants) - 1 else min(10000, round(cumulative * 10000))
        if bucket < bound:
            return v["key"]
    raise AssertionError("bucket beyond the last bound")


def unit_ids():
    # UUIDs as crypto.randomUUID mints them (v4 layout), derived from a counter so the table is reproducible.
    ids = [str(uuid.UUID(bytes=hashlib.sha256(b"tp-runtime-%d" % i).digest()[:16], version=4)) for i in range(40)]
    ids += ["user-1", "user-42", "u:9", "A.b_c-d", "0", "x" * 64]
    return ids


def main() -> None:
    table = [
        {"unitId": u, "variants": {x["key"]: variant_of(x, u) for x in CONFIG["experiments"]}} for u in unit_ids()
    ]
    json.dump(
        {
            "description": "unit id -> variant under `config`, from scripts/golden/runtime_assignments.py (Python, from the tp1 spec); every runtime test checks its own output against it",
            "config": CONFIG,
            "table": table,
        },
        sys.stdout,
        indent=1,
    )
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
