#!/usr/bin/env python3
"""Recall@10 vs QPS plots, as ann-benchmarks draws them, from the peer harness's JSON lines.

    python3 scripts/plot_recall_qps.py bench-results/*.jsonl --out docs/images

writes docs/images/<dataset>-recall-qps.svg per results file: one line per library (a point per
ef), QPS on a log scale. Standard library only: the SVG is written by hand.
"""
import argparse
import json
import math
import pathlib
import re
import sys
from xml.sax.saxutils import escape

WIDTH, HEIGHT = 820, 520
LEFT, RIGHT, TOP, BOTTOM = 80, 230, 60, 60
COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"]
OURS = "#d62728"


def read(path):
    """The run header and, per library, its version and (recall, qps, ef) points sorted by ef."""
    header, libraries = {}, {}
    for line in pathlib.Path(path).read_text().splitlines():
        if not line.strip():
            continue
        record = json.loads(line)
        if record.get("phase") == "run":
            header = record
        elif record.get("phase") == "search" and record.get("qps"):
            lib = libraries.setdefault(record["lib"], {"version": record.get("version", ""), "points": []})
            lib["points"].append((record["recall@10"], record["qps"], record["ef"]))
    for lib in libraries.values():
        lib["points"].sort(key=lambda point: point[2])
    return header, libraries


def plot(header, libraries, title):
    recalls = [p[0] for lib in libraries.values() for p in lib["points"]]
    speeds = [p[1] for lib in libraries.values() for p in lib["points"]]
    x_min = max(0.0, math.floor(min(recalls) * 20) / 20)
    x_max = 1.0
    y_min = 10 ** math.floor(math.log10(min(speeds)))
    y_max = 10 ** math.ceil(math.log10(max(speeds)))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(recall):
        return LEFT + (recall - x_min) / (x_max - x_min) * plot_w

    def y(qps):
        return TOP + plot_h - (math.log10(qps) - math.log10(y_min)) / (math.log10(y_max) - math.log10(y_min)) * plot_h

    svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
           f'font-family="Helvetica, Arial, sans-serif" font-size="12">',
           f'<rect width="{WIDTH}" height="{HEIGHT}" fill="white"/>',
           f'<text x="{LEFT}" y="24" font-size="15" font-weight="bold">{escape(title)}</text>',
           f'<text x="{LEFT}" y="42" fill="#555">{escape(subtitle(header))}</text>']
    # Grid and ticks: recall every 0.05 (0.01 above 0.9 when the range is narrow), QPS per decade with 2 and 5.
    step = 0.01 if x_max - x_min <= 0.1 else 0.05
    tick = x_min
    while tick <= x_max + 1e-9:
        svg.append(f'<line x1="{x(tick):.1f}" y1="{TOP}" x2="{x(tick):.1f}" y2="{TOP + plot_h}" stroke="#e5e5e5"/>')
        svg.append(f'<text x="{x(tick):.1f}" y="{TOP + plot_h + 18}" text-anchor="middle">{tick:.2f}</text>')
        tick = round(tick + step, 4)
    decade = y_min
    while decade <= y_max:
        for factor in (1, 2, 5):
            value = decade * factor
            if value > y_max:
                break
            colour = "#d0d0d0" if factor == 1 else "#efefef"
            svg.append(f'<line x1="{LEFT}" y1="{y(value):.1f}" x2="{LEFT + plot_w}" y2="{y(value):.1f}" stroke="{colour}"/>')
            svg.append(f'<text x="{LEFT - 8}" y="{y(value) + 4:.1f}" text-anchor="end">{qps_label(value)}</text>')
        decade *= 10
    svg.append(f'<rect x="{LEFT}" y="{TOP}" width="{plot_w}" height="{plot_h}" fill="none" stroke="#333"/>')
    svg.append(f'<text x="{LEFT + plot_w / 2}" y="{HEIGHT - 18}" text-anchor="middle">recall@10</text>')
    svg.append(f'<text transform="translate(20,{TOP + plot_h / 2}) rotate(-90)" text-anchor="middle">'
               f'queries per second (log scale)</text>')
    # Our library last, so it is drawn on top.
    names = sorted(libraries, key=lambda name: (name.startswith("crvecdb"), name))
    others = iter(COLOURS)
    for row, name in enumerate(names):
        lib = libraries[name]
        ours = name.startswith("crvecdb")
        colour = OURS if name == "crvecdb" else (next(others) if not ours else "#ff9896" if "int8" in name else "#c03030")
        width = 3 if ours else 1.6
        points = " ".join(f"{x(r):.1f},{y(q):.1f}" for r, q, _ in lib["points"] if r >= x_min)
        svg.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="{width}" '
                   f'data-lib="{escape(name)}"/>')
        for r, q, _ in lib["points"]:
            if r >= x_min:
                svg.append(f'<circle cx="{x(r):.1f}" cy="{y(q):.1f}" r="{3.5 if ours else 2.8}" fill="{colour}"/>')
        legend_y = TOP + 10 + row * 20
        svg.append(f'<line x1="{WIDTH - RIGHT + 16}" y1="{legend_y}" x2="{WIDTH - RIGHT + 40}" y2="{legend_y}" '
                   f'stroke="{colour}" stroke-width="{width}"/>')
        version = lib["version"].split(" ")[0]
        weight = ' font-weight="bold"' if ours else ""
        svg.append(f'<text x="{WIDTH - RIGHT + 46}" y="{legend_y + 4}"{weight}>{escape(name)} {escape(version)}</text>')
    svg.append("</svg>")
    return "\n".join(svg) + "\n"


def subtitle(header):
    parts = []
    if header.get("threads"):
        parts.append(f'{header["threads"]} threads')
    if header.get("params"):
        params = re.sub(r"--(ef-search|threads|runs) \S+ ?", "", header["params"])
        parts.append(params.replace("--", "").strip())
    if header.get("date"):
        parts.append(header["date"][:16].replace("T", " ") + " UTC")
    if header.get("cpu"):
        parts.append(f'{header.get("cores", "?")}-core {header["cpu"]}')
    return " · ".join(parts)


def qps_label(value):
    return f"{value / 1000:g}k" if value >= 1000 else f"{value:g}"


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", nargs="+", help="results .jsonl files of the peer harness")
    parser.add_argument("--out", default="docs/images", help="directory of the SVG files")
    args = parser.parse_args(argv)
    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for path in args.results:
        header, libraries = read(path)
        if not libraries:
            print(f"{path}: no search results, skipped", file=sys.stderr)
            continue
        dataset = header.get("dataset") or pathlib.Path(path).stem.rsplit("-", 2)[0]
        target = out / f"{dataset}-recall-qps.svg"
        target.write_text(plot(header, libraries, f"{dataset}: recall@10 vs QPS"))
        print(target)


if __name__ == "__main__":
    main(sys.argv[1:])
