"""Compare regenerated golden files with the committed ones.

numpy and LAPACK pick their summation order and kernels by CPU (SIMD width, thread count), so the same generator
prints results that differ in the last bits from one machine to another (0.4 against 0.3999999999999999 for a
Markov solve). The tests compare us with the goldens at 1e-12, so a golden only has to reproduce to a few units in
the last place: structure, keys, strings, booleans and nulls must be identical, and each number within MAX_ULPS
units in the last place or, where the generator itself cancels (a CUPED p-value, about 300 ulps apart between two
machines), within RELATIVE of the committed value: a tenth of the tests' bar.
Usage: compare.py FILE... (each compared with `git show HEAD:FILE`); exits 1 naming every difference beyond that.
"""
import json
import math
import struct
import subprocess
import sys

MAX_ULPS = 64
RELATIVE = 1e-13


def ordered(x: float) -> int:
    """The double's bits as an integer that orders like the doubles (so ulps are a subtraction)."""
    (bits,) = struct.unpack("<q", struct.pack("<d", x))
    return bits if bits >= 0 else -(bits & 0x7FFFFFFFFFFFFFFF)


def ulps(a: float, b: float) -> float:
    if a == b:
        return 0
    if math.isnan(a) or math.isnan(b) or math.isinf(a) or math.isinf(b):
        return math.inf
    return abs(ordered(a) - ordered(b))


def compare(old, new, path, problems, worst):
    number = (int, float)
    if isinstance(old, bool) or isinstance(new, bool) or not (isinstance(old, number) and isinstance(new, number)):
        if type(old) is not type(new):
            problems.append(f"{path}: {old!r} became {new!r}")
            return
    if isinstance(old, dict):
        if list(old) != list(new):
            problems.append(f"{path}: keys {sorted(old)} became {sorted(new)}")
            return
        for key in old:
            compare(old[key], new[key], f"{path}.{key}", problems, worst)
    elif isinstance(old, list):
        if len(old) != len(new):
            problems.append(f"{path}: {len(old)} elements became {len(new)}")
            return
        for i, (a, b) in enumerate(zip(old, new)):
            compare(a, b, f"{path}[{i}]", problems, worst)
    elif isinstance(old, number) and not isinstance(old, bool):
        distance = ulps(float(old), float(new))
        worst[0] = max(worst[0], distance)
        relative = abs(float(old) - float(new)) / max(abs(float(old)), abs(float(new)), 1e-300)
        if distance > MAX_ULPS and not relative <= RELATIVE:
            problems.append(f"{path}: {old!r} became {new!r} ({distance} ulps, {relative:.1e} relative)")
    elif old != new:
        problems.append(f"{path}: {old!r} became {new!r}")


def main(files):
    failed = False
    for file in files:
        committed = subprocess.run(["git", "show", f"HEAD:{file}"], capture_output=True, text=True)
        if committed.returncode != 0:
            print(f"{file}: not committed yet", file=sys.stderr)
            failed = True
            continue
        with open(file) as handle:
            regenerated = json.load(handle)
        problems, worst = [], [0]
        compare(json.loads(committed.stdout), regenerated, "$", problems, worst)
        if problems:
            failed = True
            print(f"{file}: {len(problems)} differences beyond {MAX_ULPS} ulps and {RELATIVE} relative", file=sys.stderr)
            for problem in problems[:20]:
                print(f"  {problem}", file=sys.stderr)
        else:
            print(f"{file}: reproduces (largest difference {worst[0]} ulps)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
