"""The recommendation: which MPM, and why, from the measured figures.

The rules, in order (docs/advisor.md explains them):

 1. A module the server refuses under the threaded MPMs (flagged not
    thread-safe): prefork, the only MPM that loads it.
 2. Reliability: when some MPM lost at most 0.1 % of its requests, those
    that lost more than 1 % are out.
 3. Throughput: each MPM's requests per second relative to the best at each
    concurrency, averaged (geometric mean) over the concurrencies; those
    within 10 % of the best average stay in the running.
 4. Latency: at the highest concurrency, an MPM whose p99 is more than twice
    the best p99 of those still running (and at least 5 ms more) is out.
 5. Memory: of those left, the ones whose peak PSS is within 25 % of the
    leanest's.
 6. Idle keep-alive connections: of those, the one that held the most
    (ties within 10 %: the higher throughput).
 7. Crash isolation: prefork, when it is still running after rules 2-4 and
    its peak PSS is at most 1.5 times that of rule 6's choice: for that
    price a crash costs one connection rather than a whole process's.
"""
import math
import re

WITHIN_THROUGHPUT = 0.90
LOSS_OK, LOSS_BAD = 0.001, 0.01
P99_FACTOR, P99_MARGIN_US = 2.0, 5000
LEAN_MARGIN = 1.25
TIE = 0.10
ISOLATION_PRICE = 1.5


def _runs(m):
    return m.get("runs", [])


def loss(m):
    """Share of requests that failed over the MPM's runs (crash run aside)."""
    errors = sum(r["errors"]["total"] for r in _runs(m))
    done = sum(r["requests"] for r in _runs(m))
    return errors / max(1, done + errors)


def peak_pss(m):
    return max((r["peak"]["pss_kib"] for r in _runs(m)), default=0)


def relative_throughput(mpms):
    """{mpm: geometric mean over concurrencies of its req/s / the best req/s}."""
    best = {}
    for m in mpms.values():
        for r in _runs(m):
            best[r["concurrency"]] = max(best.get(r["concurrency"], 0), r["requests_per_s"])
    out = {}
    for name, m in mpms.items():
        ratios = [max(r["requests_per_s"], 1e-9) / max(best[r["concurrency"]], 1e-9) for r in _runs(m)]
        out[name] = math.exp(sum(map(math.log, ratios)) / len(ratios)) if ratios else 0.0
    return out


def _p99_at_top(m):
    runs = _runs(m)
    return max(runs, key=lambda r: r["concurrency"])["latency_us"]["p99"] if runs else 0


def _held(m):
    return (m.get("keepalive") or {}).get("held", 0)


def _ratio_text(x):
    """x (this / that) in words: "2.1×", "35 % more", "the same", "20 %
    less", "1/4" (when close to a simple fraction), "40 %"."""
    if x >= 1.5:
        return "%.1f×" % x
    if x >= 1.05:
        return "%d %% more" % round((x - 1) * 100)
    if x > 0.95:
        return "the same"
    if x > 0.5:
        return "%d %% less" % round((1 - x) * 100)
    if x <= 0:
        return "none"
    n = 1 / x
    return "1/%d" % round(n) if abs(n - round(n)) <= 0.2 else "%d %%" % round(100 * x)


def _throughput_words(ratio, other):
    if ratio == "the same":
        return "%s's throughput" % other
    if ratio.endswith(("more", "less")):
        return "%s throughput than %s" % (ratio, other)
    return "%s %s's throughput" % (ratio, other)


def _memory_words(ratio):
    if ratio == "the same":
        return "in the same memory"
    if ratio.endswith(("more", "less")):
        return "with %s memory" % ratio
    return "at %s %s memory" % (ratio, "its" if ratio.endswith("×") else "of its")


def recommend(result):
    """{"mpm", "reasons" [str], "left_out" {mpm: why}, "paragraph"}; mpm is
    None when nothing could be measured."""
    all_mpms = result["mpms"]
    measured = {n: m for n, m in all_mpms.items() if m["status"] == "measured" and _runs(m)}
    left_out = {n: m.get("reason", m["status"]) for n, m in all_mpms.items() if n not in measured}
    unsafe = [r for r in left_out.values() if "not thread-safe" in r]
    if not measured:
        return _done(None, ["no MPM could be measured"], left_out)
    if unsafe and "prefork" in measured:
        refused = [n for n, why in left_out.items() if "not thread-safe" in why]
        first_sentence = re.split(r"(?<=\.) ", unsafe[0])[0].rstrip(".")
        reasons = ["the server refuses a loaded module under %s: %s" % (" and ".join(refused), first_sentence)]
        reasons += _own_reasons("prefork", measured)
        return _done("prefork", reasons, {n: why for n, why in left_out.items() if n not in refused})

    running = dict(measured)
    # 2. reliability
    if any(loss(m) <= LOSS_OK for m in running.values()):
        for n in [n for n, m in running.items() if loss(m) > LOSS_BAD]:
            left_out[n] = "lost %.1f %% of its requests" % (100 * loss(running.pop(n)))
    # 3. throughput
    rel = relative_throughput(running)
    top = max(rel.values())
    for n in [n for n in running if rel[n] < WITHIN_THROUGHPUT * top]:
        running.pop(n)
        left_out[n] = "%d %% below the best throughput" % round(100 * (1 - rel[n] / top))
    # 4. latency at the highest concurrency
    best_p99 = min(_p99_at_top(m) for m in running.values())
    for n in [n for n, m in running.items()
              if _p99_at_top(m) > P99_FACTOR * best_p99 and _p99_at_top(m) > best_p99 + P99_MARGIN_US]:
        left_out[n] = "p99 latency %.1f ms where %.1f ms is possible" % (
            _p99_at_top(running.pop(n)) / 1000, best_p99 / 1000)
    # 5. memory, 6. idle keep-alive connections
    leanest = min(peak_pss(m) for m in running.values())
    lean = {n: m for n, m in running.items() if peak_pss(m) <= LEAN_MARGIN * leanest}
    most_held = max(_held(m) for m in lean.values())
    choice = max((n for n, m in lean.items() if _held(m) >= (1 - TIE) * most_held), key=lambda n: rel[n])
    # 7. crash isolation
    isolation = ("prefork" in running and choice != "prefork"
                 and peak_pss(running["prefork"]) <= ISOLATION_PRICE * peak_pss(running[choice]))
    if isolation:
        choice = "prefork"
    return _done(choice, _reasons(choice, measured, relative_throughput(measured), isolation), left_out)


def _reasons(choice, measured, rel, isolation):
    me = measured[choice]
    reasons = []
    for other, m in measured.items():
        if other == choice:
            continue
        speed = rel[choice] / rel[other] if rel[other] else float("inf")
        memory = peak_pss(me) / peak_pss(m) if peak_pss(m) else 1.0
        reasons.append("%s %s (peak PSS %s against %s)" % (
            _throughput_words(_ratio_text(speed), other), _memory_words(_ratio_text(memory)), mib(peak_pss(me)),
            mib(peak_pss(m))))
    reasons += _own_reasons(choice, measured)
    if isolation:
        reasons.append("its crash isolation is worth its memory (within %.1f× of the leanest choice)"
                       % ISOLATION_PRICE)
    reasons.append("no thread-unsafe module loaded")
    return reasons


def _own_reasons(choice, measured):
    """What the choice's idle keep-alive and crash figures say, beside the
    others'."""
    me = measured[choice]
    reasons = []
    ka = me.get("keepalive")
    if ka:
        others = ", ".join("%s %d" % (n, _held(m)) for n, m in measured.items() if n != choice and m.get("keepalive"))
        reasons.append("held %d of %d idle keep-alive connections%s" % (
            ka["held"], ka["opened"], " (%s)" % others if others else ""))
    crash = me.get("crash")
    if crash:
        others = ", ".join("%s's %d" % (n, m["crash"]["failed_requests"]) for n, m in measured.items()
                           if n != choice and m.get("crash"))
        reasons.append("a crash in one child cost %d request%s%s" % (
            crash["failed_requests"], "" if crash["failed_requests"] == 1 else "s",
            " (%s)" % others if others else ""))
    return reasons


def mib(kib):
    return "%.1f MiB" % (kib / 1024)


def _done(choice, reasons, left_out):
    if choice is None:
        paragraph = "No recommendation: %s." % "; ".join(reasons)
    else:
        paragraph = "Recommendation: %s. %s: %s." % (choice, choice, "; ".join(reasons))
    if left_out:
        paragraph += " " + " ".join("%s: %s." % (n, why.rstrip(".")) for n, why in left_out.items())
    return {"mpm": choice, "reasons": reasons, "left_out": left_out, "paragraph": paragraph}
