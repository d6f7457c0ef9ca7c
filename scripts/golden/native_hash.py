#!/usr/bin/env python3
"""Test vectors for touchpoint's native hash `tp1`, computed by an independent implementation of the spec.

The spec (README, "Native hash"): bytes = UTF-8(seed) || 0x00 || UTF-8(unitId); FNV-1a 32 over the bytes;
MurmurHash3 fmix32; bucket = floor(h * 10000 / 2**32). A lone surrogate is encoded as U+FFFD, as JavaScript's
TextEncoder does. Run: /usr/bin/python3 scripts/golden/native_hash.py > tests/golden/native-hash.json
"""
import json
import sys

MASK = 0xFFFFFFFF


def utf8(text: str) -> bytes:
    # A lone surrogate (a str code point in U+D800..U+DFFF) becomes U+FFFD, one per surrogate, as TextEncoder does.
    return "".join("\ufffd" if 0xD800 <= ord(c) <= 0xDFFF else c for c in text).encode("utf-8")


def fnv1a32(data: bytes) -> int:
    h = 0x811C9DC5
    for b in data:
        h ^= b
        h = (h * 0x01000193) & MASK
    return h


def fmix32(h: int) -> int:
    h ^= h >> 16
    h = (h * 0x85EBCA6B) & MASK
    h ^= h >> 13
    h = (h * 0xC2B2AE35) & MASK
    h ^= h >> 16
    return h


def native_hash(seed: str, unit: str) -> int:
    return fmix32(fnv1a32(utf8(seed) + b"\x00" + utf8(unit)))


def native_bucket(seed: str, unit: str) -> int:
    return native_hash(seed, unit) * 10000 // 2**32


SEEDS = ["variant:checkout-button", "coverage:checkout-button", "layer:checkout", "holdout:global", "variant:", "variant:émoji-🚀"]
UNITS = [
    "",
    "0",
    "1",
    "user-42",
    "u-123",
    "00000000-0000-4000-8000-000000000000",
    "3f2a9c1e-7b4d-4e8f-9a21-5c6d7e8f9a0b",
    "alice@example.com",
    "Zoë",
    "Müller",
    "ñandú",
    "東京",
    "사용자",
    "😀",
    "👩‍👩‍👧‍👦",
    "🇩🇪",
    "\ud800",  # lone high surrogate: U+FFFD
    "a\udc00b",  # lone low surrogate: U+FFFD
    "x" * 200,
    "a,b;c\td\ne",
]


def main() -> None:
    vectors = [
        {"seed": seed, "unitId": unit, "hash": native_hash(seed, unit), "bucket": native_bucket(seed, unit)}
        for seed in SEEDS
        for unit in UNITS
    ]
    json.dump(
        {
            "description": "touchpoint native hash tp1 test vectors, from scripts/golden/native_hash.py (an independent Python implementation of the spec)",
            "vectors": vectors,
        },
        sys.stdout,
        ensure_ascii=True,
        indent=1,
    )
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
