#!/usr/bin/env python3
"""Golden cases for the tails and the large counts of touchpoint/stats, from mpmath at 30-40 digits:

- P(X > Y), E[(X - Y)+] and E[(Y - X)+] for beta posteriors: Evan Miller's sum in exact 40-digit arithmetic where a
  shape parameter is an integer (the expected loss as a difference of such sums at 60 digits, so its cancellation
  costs nothing), and otherwise (1e12 units, a Jeffreys prior) a brute-force quadrature on the logit scale with the
  distribution functions accumulated between the nodes, checked by halving the panel width;
- Fisher's exact test on large tables: the hypergeometric tails summed term by term at 30 digits;
- the regularized incomplete beta and gamma functions at large parameters, by quadrature of the densities.

Run: /usr/bin/python3 scripts/golden/stats_tails.py   (writes tests/golden/stats-tails.json; CI regenerates, diffs)
These references are independent of the JavaScript: different rules, different grids, exact arithmetic.
"""
import json
import os

import mpmath as mp

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "golden", "stats-tails.json")


def f(x):
    return float(x)


# ------------------------------------------------------------------------------------------- beta comparisons
def miller(a1, b1, a2, b2):
    """P(X > Y), X ~ Beta(a1, b1), Y ~ Beta(a2, b2), a1 an integer: every term exact at the working precision."""
    a1, b1, a2, b2 = (mp.mpf(v) for v in (a1, b1, a2, b2))
    term = mp.exp(mp.loggamma(b1 + b2) + mp.loggamma(a2 + b2) - mp.loggamma(a2 + b1 + b2) - mp.loggamma(b2))
    total = mp.mpf(0)
    i = 0
    while i < a1:
        total += term
        term *= (a2 + i) * (b1 + i) / ((a2 + b1 + b2 + i) * (1 + i))
        i += 1
    return total


def exact_comparison(ax, bx, ay, by):
    """(P(X > Y), E[(X-Y)+], E[(Y-X)+]) with an integer shape: sums in the orientation with the fewer terms."""
    with mp.workdps(60):
        def greater(a1, b1, a2, b2):
            # X > Y by X's alpha, or by Y's beta (X > Y <=> 1 - Y > 1 - X).
            # Only the direct sums: a complement 1 - sum would lose a tiny probability to the working precision.
            options = []
            if float(a1).is_integer():
                options.append((a1, lambda: miller(a1, b1, a2, b2)))
            if float(b2).is_integer():
                options.append((b2, lambda: miller(b2, a2, b1, a1)))
            return min(options, key=lambda o: o[0])[1]()
        p = greater(ax, bx, ay, by)
        mx = mp.mpf(ax) / (ax + bx)
        my = mp.mpf(ay) / (ay + by)
        excess = mx * greater(ax + 1, bx, ay, by) - my * greater(ax, bx, ay + 1, by)
        shortfall = my * greater(ay + 1, by, ax, bx) - mx * greater(ay, by, ax + 1, bx)
        return p, excess, shortfall


def logit_density(a, b):
    a, b = mp.mpf(a), mp.mpf(b)
    lb = mp.loggamma(a) + mp.loggamma(b) - mp.loggamma(a + b)
    return lambda z: mp.exp(a * z - (a + b) * mp.log1p(mp.exp(z)) - lb)


def gauss(n):
    """Gauss-Legendre nodes and weights on [-1, 1] at the working precision (Newton on the Legendre recurrence)."""
    nodes, weights = [], []
    for i in range(1, n + 1):
        x = mp.cos(mp.pi * (i - mp.mpf(1) / 4) / (n + mp.mpf(1) / 2))
        for _ in range(100):
            p0, p1 = mp.mpf(1), x
            for k in range(2, n + 1):
                p0, p1 = p1, ((2 * k - 1) * x * p1 - (k - 1) * p0) / k
            dp = n * (x * p1 - p0) / (x * x - 1)
            dx = p1 / dp
            x -= dx
            if abs(dx) < mp.mpf(10) ** (-mp.mp.dps + 2):
                break
        nodes.append(x)
        weights.append(2 / ((1 - x * x) * dp * dp))
    # Ascending, so that consecutive nodes of a grid are neighbours.
    return nodes[::-1], weights[::-1]


def tail_bound(density, z, a, b, direction):
    """Mills' bound f / |slope| for the tail of a log-concave logit-beta density beyond z (slope a - (a + b) t)."""
    slope = a - (a + b) / (1 + mp.exp(-z))
    return density(z) / abs(slope)


def quadrature_comparison(ax, bx, ay, by, halvings=1):
    """The same three numbers by brute force on the logit scale: 12-point Gauss-Legendre panels of half a standard
    deviation over +-40 standard deviations, Q_X and F_Y at each node from 12-point integrals of the density between
    neighbouring nodes (and mpmath's own quadrature beyond the range). Returns the finer of two grids (1/2 and 1/3 of
    a standard deviation) and their relative difference."""
    fx, fy = logit_density(ax, bx), logit_density(ay, by)
    mx, my = mp.digamma(ax) - mp.digamma(bx), mp.digamma(ay) - mp.digamma(by)
    sx, sy = mp.sqrt(mp.psi(1, ax) + mp.psi(1, bx)), mp.sqrt(mp.psi(1, ay) + mp.psi(1, by))
    lo = min(mx - 40 * sx, my - 40 * sy)
    hi = max(mx + 40 * sx, my + 40 * sy)
    x8, w8 = gauss(12)

    def between(density, a, b):
        h = (b - a) / 2
        return h * mp.fsum(w * density((a + b) / 2 + h * x) for x, w in zip(x8, w8))

    def run(width):
        panels = int(mp.ceil((hi - lo) / width))
        nodes = []
        for k in range(panels):
            a = lo + k * width
            for x, w in zip(x8, w8):
                nodes.append((a + width / 2 + width / 2 * x, width / 2 * w))
        zs = [z for z, _ in nodes]
        q = [mp.mpf(0)] * len(zs)
        # Beyond the range (40 sd past both modes) the tails are below e^-40 of anything summed: Mills' bound.
        carry = tail_bound(fx, zs[-1], ax, bx, 1)
        for i in range(len(zs) - 1, -1, -1):
            q[i] = carry
            if i > 0:
                carry += between(fx, zs[i - 1], zs[i])
        F = [mp.mpf(0)] * len(zs)
        carry = tail_bound(fy, zs[0], ay, by, -1)
        for i in range(len(zs)):
            F[i] = carry
            if i + 1 < len(zs):
                carry += between(fy, zs[i], zs[i + 1])
        p = mp.fsum(w * fy(z) * qq for (z, w), qq in zip(nodes, q))
        excess = mp.fsum(w * qq * ff * mp.exp(z) / (1 + mp.exp(z)) ** 2 for (z, w), qq, ff in zip(nodes, q, F))
        return p, excess

    width = min(sx, sy) / 2
    coarse = run(width)
    fine = run(width / 1.5)
    agreement = max(abs(c - g) / g for c, g in zip(coarse, fine) if g != 0)
    p, excess = fine
    # E[(Y - X)+] = E[Y] - E[X] + E[(X - Y)+]
    shortfall = mp.mpf(ay) / (ay + by) - mp.mpf(ax) / (ax + bx) + excess
    return p, excess, shortfall, agreement


def beta_comparisons():
    cases = []
    # (X = treatment posterior, Y = control posterior) as (alpha, beta) pairs
    exact = [
        ((131, 871), (101, 901)),  # 130/1000 vs 100/1000
        ((51, 51), (50, 52)),
        ((45001, 55001), (50001, 50001)),  # 1e5 per arm, 45% vs 50%: 2.3e-111
        ((46001, 54001), (50001, 50001)),
        ((4501, 5501), (5001, 5001)),
        ((51, 9999951), (41, 9961)),  # 50 in 1e7 vs 40 in 1e4: tiny, where 1 - sum gave garbage
        ((41, 9961), (51, 9999951)),
        ((1, 101), (6, 96)),
        ((3, 1e12), (5, 1e12)),  # a handful of conversions among 1e12 units
        ((9001, 1001), (9201, 801)),  # rates near 1
    ]
    for (ax, bx), (ay, by) in exact:
        p, e, s = exact_comparison(ax, bx, ay, by)
        cases.append({"x": [ax, bx], "y": [ay, by], "probability": f(p), "excess": f(e), "shortfall": f(s), "source": "mpmath Miller sums"})
    numeric = [
        ((5.00001e10 + 1, 9.49999e11 + 1), (5e10 + 1, 9.5e11 + 1)),  # 1e12 units per arm, 5% vs 5.00001%
        ((5e10 + 1, 9.5e11 + 1), (5.00022e10 + 1, 9.499978e11 + 1)),  # 1e12 units, P(B > A) about 1e-12
        ((5e10 + 1, 9.5e11 + 1), (5.00088e10 + 1, 9.499912e11 + 1)),  # 1e12 units, P(B > A) about 1e-177
        ((2e8 + 1, 8e8 + 1), (2.0026e8 + 1, 7.9974e8 + 1)),  # 1e9 units, P about 1e-49
        ((12.5, 88.5), (10.5, 90.5)),  # Jeffreys prior
        ((0.5, 50.5), (3.5, 47.5)),
        ((1000.5, 9000.5), (1200.5, 8800.5)),
    ]
    for (ax, bx), (ay, by) in numeric:
        with mp.workdps(40):
            p, e, s, agreement = quadrature_comparison(ax, bx, ay, by)
        assert agreement < 1e-15, (ax, bx, ay, by, agreement)
        cases.append({"x": [ax, bx], "y": [ay, by], "probability": f(p), "excess": f(e), "shortfall": f(s),
                      "source": "mpmath quadrature"})
    return cases


# ---------------------------------------------------------------------------------------------- Fisher exact
def lpmf(k, n, K, N):
    lg = mp.loggamma
    return (lg(K + 1) - lg(k + 1) - lg(K - k + 1) + lg(N - K + 1) - lg(n - k + 1) - lg(N - K - n + k + 1)
            - (lg(N + 1) - lg(n + 1) - lg(N - n + 1)))


def tail_up(x, n, K, N):
    hi = min(n, K)
    t, s, k = mp.exp(lpmf(x, n, K, N)), mp.mpf(0), x
    while k <= hi:
        s += t
        if t < s * mp.mpf("1e-25"):
            break
        t *= mp.mpf((K - k) * (n - k)) / ((k + 1) * (N - K - n + k + 1))
        k += 1
    return s


def tail_down(x, n, K, N):
    lo = max(0, n + K - N)
    t, s, k = mp.exp(lpmf(x, n, K, N)), mp.mpf(0), x
    while k >= lo:
        s += t
        if t < s * mp.mpf("1e-25"):
            break
        t *= mp.mpf(k * (N - K - n + k)) / ((K - k + 1) * (n - k + 1))
        k -= 1
    return s


def fisher_p(na, ca, nb, cb, alternative):
    """scipy's definition: the two-sided p sums every table no more probable than the observed one (1e-7 ties)."""
    x, n, K, N = cb, nb, ca + cb, na + nb
    if alternative == "greater":
        return min(1, tail_up(x, n, K, N))
    if alternative == "less":
        return min(1, tail_down(x, n, K, N))
    limit = lpmf(x, n, K, N) + mp.log(1 + mp.mpf("1e-7"))
    lo, hi, mode = max(0, n + K - N), min(n, K), (n + 1) * (K + 1) // (N + 2)
    inc = lambda k: lpmf(k, n, K, N) <= limit
    upper = hi + 1
    if inc(hi):
        a, b = mode, hi
        while b - a > 1:
            m = (a + b) // 2
            a, b = (a, m) if inc(m) else (m, b)
        upper = a if inc(a) else b
    lower = lo - 1
    if inc(lo):
        a, b = lo, mode
        while b - a > 1:
            m = (a + b) // 2
            a, b = (m, b) if inc(m) else (a, m)
        lower = b if inc(b) else a
    if lower >= upper - 1:
        return mp.mpf(1)
    return min(1, (tail_up(upper, n, K, N) if upper <= hi else 0) + (tail_down(lower, n, K, N) if lower >= lo else 0))


def fisher():
    cases = []
    with mp.workdps(30):
        for na, ca, nb, cb in [(10**7, 5 * 10**5, 10**7, 510000), (10**6, 50000, 10**6, 50300), (10**8, 10**6, 10**8, 1003000),
                               (10**12, 3, 10**12, 9), (10**12, 10**6, 10**12, 10**6 + 6000), (10**12, 10**6, 10**12, 1001000),
                               (10**9, 10**9 - 40, 10**9, 10**9 - 12), (3 * 10**5, 2 * 10**4, 2 * 10**5, 12500)]:
            for alternative in ["two-sided", "greater", "less"]:
                cases.append({"control": {"units": na, "conversions": ca}, "treatment": {"units": nb, "conversions": cb},
                              "alternative": alternative, "pValue": f(fisher_p(na, ca, nb, cb, alternative))})
    return cases


# ----------------------------------------------------------------------------- incomplete beta and gamma, large
def smaller_tail(density, x, mode, sd, upper):
    """The tail of a smooth unimodal density beyond x: 12-point Gauss-Legendre panels of sd/2 out to 40 sd past
    the farther of x and the mode (what lies beyond is below e^-40 of the tail for these log-concave densities)."""
    nodes, weights = gauss(12)
    step = sd / 2
    end = (max(x, mode) + 40 * sd) if upper else (min(x, mode) - 40 * sd)
    panels = int(mp.ceil(abs(end - x) / step))
    total = mp.mpf(0)
    for k in range(panels):
        a = x + (k * step if upper else -(k + 1) * step)
        total += step / 2 * mp.fsum(w * density(a + step / 2 + step / 2 * t) for t, w in zip(nodes, weights))
    return total


def beta_tail(a, b, x, upper):
    """Smaller tail of Beta(a, b) at x, integrated on the logit scale."""
    density = logit_density(a, b)
    return smaller_tail(density, mp.log(mp.mpf(x) / (1 - mp.mpf(x))), mp.log(mp.mpf(a) / b), mp.sqrt(1 / mp.mpf(a) + 1 / mp.mpf(b)), upper)


def gamma_tail(a, x, upper):
    """Smaller tail of Gamma(a) at x, integrated on the log scale (density exp(a y - e^y) / Gamma(a))."""
    a = mp.mpf(a)
    lg = mp.loggamma(a)
    return smaller_tail(lambda y: mp.exp(a * y - mp.exp(y) - lg), mp.log(mp.mpf(x)), mp.log(a), 1 / mp.sqrt(a), upper)


def incomplete():
    cases = []
    with mp.workdps(40):
        for n in [1e5, 1e9, 1e12]:
            for p in [0.5, 0.05, 1e-4]:
                a, b = p * n, (1 - p) * n
                sd = (a * b / n ** 3) ** 0.5
                for k in [-30, -5, 0.5, 1, 5, 30]:
                    x = p + k * sd
                    if not 0 < x < 1:
                        continue
                    upper = k > 0
                    cases.append({"fn": "incompleteBetaUpper" if upper else "incompleteBeta", "args": [x, a, b],
                                  "expected": f(beta_tail(a, b, x, upper))})
        for a in [1e5, 1e9, 1e12]:
            for k in [-30, -5, 0.5, 1, 5, 30]:
                x = a + k * a ** 0.5
                upper = k > 0
                cases.append({"fn": "gammaSf" if upper else "gammaCdf", "args": [x, a], "expected": f(gamma_tail(a, x, upper))})
    return cases


if __name__ == "__main__":
    payload = {"betaComparisons": beta_comparisons(), "fisherExact": fisher(), "incomplete": incomplete()}
    with open(OUT, "w") as fh:
        json.dump(payload, fh, indent=1, sort_keys=True)
        fh.write("\n")
