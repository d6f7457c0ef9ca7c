"""Golden values for quantileSorted: numpy.quantile with method='linear' (numpy's default).
Run with /usr/bin/python3 (Debian's numpy); writes tests/report/quantile.golden.json."""
import json, os
import numpy as np

rng = np.random.default_rng(20261123)
cases = []
for n in [1, 2, 3, 7, 50, 201]:
    xs = sorted(float(x) for x in np.round(rng.normal(10, 5, n), 3))
    for q in [0.0, 0.025, 0.1, 0.25, 0.5, 0.9, 0.975, 1.0]:
        cases.append({"xs": xs, "q": q, "expected": float(np.quantile(xs, q, method="linear"))})
here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "quantile.golden.json"), "w") as f:
    json.dump({"numpy": np.__version__, "cases": cases}, f)
