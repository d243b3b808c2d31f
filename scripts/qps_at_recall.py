#!/usr/bin/env python3
"""QPS of each library at exactly one recall, interpolated between the harness's ef points.

    python3 scripts/qps_at_recall.py RESULTS.jsonl [RESULTS.jsonl ...] [--recall 0.95] [--base hnswlib-cpp]

The harness reports each library at ef 10, 20, 40, ...; "QPS at the smallest ef reaching recall R"
then jumps by a factor of about 1.5 whenever a library crosses R between two of those points, so a
small gain in recall can look like a large one in QPS. This prints, per library, the QPS where its
recall curve (points in ef order, log QPS linear in recall between two neighbours) crosses R, and
its ratio to the base library. A library whose first point already reaches R gets that point's QPS
marked ">=" (its curve was not measured below R); one that never reaches R gets none.
"""
from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

# The results files are read as the plots read them: fragments of killed runners skipped, a
# library's points in ef order.
from plot_recall_qps import libraries_of, parse_lines, plotted_points


def qps_at(points: list[tuple[float, float]], recall: float) -> tuple[float, bool] | None:
    """QPS where a curve of (recall, qps) points in ef order reaches ``recall``, and whether it is
    exact (False: a lower bound)."""
    below = None
    for reached, qps in points:
        if reached >= recall:
            if below is None:
                return qps, False
            low_recall, low_qps = below
            share = (recall - low_recall) / (reached - low_recall)
            return math.exp(math.log(low_qps) + share * (math.log(qps) - math.log(low_qps))), True
        below = (reached, qps)
    return None


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", nargs="+")
    parser.add_argument("--recall", type=float, default=0.95)
    parser.add_argument("--base", default="hnswlib-cpp")
    args = parser.parse_args(argv)
    for path in args.results:
        found = {library.name: qps_at([(recall, qps) for recall, qps, _ in plotted_points(library, "recall@10")],
                                      args.recall)
                 for library in libraries_of(parse_lines(Path(path)))}
        base = found.get(args.base)
        print(f"{path}: QPS at recall@10 = {args.recall}")
        for lib, at in found.items():
            if at is None:
                print(f"  {lib:24} never reached")
                continue
            qps, exact = at
            ratio = f"  {qps / base[0]:.2f}x {args.base}" if base else ""
            shown = ("" if exact else ">=") + f"{qps:.0f}"
            print(f"  {lib:24} {shown:>9}{ratio}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
