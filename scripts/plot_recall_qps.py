#!/usr/bin/env python3
"""Recall/QPS plots of peer-harness results, as SVG, with the Python standard library only.

    python3 scripts/plot_recall_qps.py RESULTS.jsonl [RESULTS.jsonl ...] --out docs/images

RESULTS.jsonl is a results file of ../shared/bench/run-peers.sh: a {"phase":"run"} header line, then
per library a "build" line and one "search" line per ef, or {"phase":"failed"} for a runner that
failed. Writes one <dataset>-recall-qps.svg per dataset, in the style of ann-benchmarks: recall on
x (linear from the lowest recall measured to 1; --x-scale nines spreads out the high recalls),
queries per second on y (log), one line per library through its points in ef order. crvecdb's own
lines (lib "crvecdb...") are drawn thicker.
"""
from __future__ import annotations

import argparse
import json
import math
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable
from xml.sax.saxutils import escape, quoteattr

WIDTH, HEIGHT = 800, 500
# Plot area; the legend sits to its right, the title above it.
LEFT, TOP, RIGHT, BOTTOM = 72, 62, 580, 440
FONT = "DejaVu Sans, Helvetica, Arial, sans-serif"

# Fixed colours for the libraries the harness knows, so that a library keeps its colour across
# datasets; others take the next unused one. Okabe-Ito/Tableau hues, distinct in print and for
# colour-blind readers (markers differ too).
KNOWN_COLOURS = {
    "crvecdb": "#d62728",
    "crvecdb-int8": "#ff7f0e",
    "hnswlib-cpp": "#1f77b4",
    "hnswlib-node": "#17becf",
    "lucene-hnsw": "#2ca02c",
    "jvector": "#9467bd",
    "jvector-pq": "#e377c2",
    "hnswlib-java": "#8c564b",
}
SPARE_COLOURS = ["#bcbd22", "#7f7f7f", "#393b79", "#637939", "#843c39", "#7b4173", "#3182bd"]
MARKERS = ["circle", "square", "triangle", "diamond", "triangle-down"]
# The harness names a failed runner by its runner name, which is not always the lib it writes.
RUNNER_LIBS = {"lucene": "lucene-hnsw"}


@dataclass
class Library:
    name: str
    version: str | None = None
    points: list[dict] = field(default_factory=list)
    failed: bool = False

    @property
    def ours(self) -> bool:
        return self.name.startswith("crvecdb")

    @property
    def line_width(self) -> float:
        return 3.2 if self.ours else 1.6

    @property
    def marker_size(self) -> float:
        return 5.2 if self.ours else 4.2


@dataclass
class Run:
    dataset: str
    header: dict | None = None
    facts: dict = field(default_factory=dict)  # n, dim, metric from the first build line
    libraries: dict[str, Library] = field(default_factory=dict)
    sources: list[str] = field(default_factory=list)


def read_runs(paths: list[Path]) -> dict[str, Run]:
    """Reads results files into one Run per dataset. A library seen again in a later file replaces
    the earlier one, with a warning: lines from different runs are not really comparable."""
    runs: dict[str, Run] = {}
    for path in paths:
        records = parse_lines(path)
        header = next((r for r in records if r.get("phase") == "run"), None)
        dataset = (header or {}).get("dataset") or next(
            (r["dataset"] for r in records if r.get("dataset")), None) or dataset_from_file_name(path)
        run = runs.setdefault(dataset, Run(dataset))
        run.sources.append(str(path))
        run.header = run.header or header  # the title describes the first run of the dataset
        for lib in libraries_of(records):
            if run.libraries.pop(lib.name, None):
                print(f"warning: {path}: {lib.name} replaces its {dataset} results from an earlier file; "
                      "the title still describes the first run", file=sys.stderr)
            run.libraries[lib.name] = lib
        for record in records:
            if record.get("phase") == "build":
                for key in ("n", "dim", "metric"):
                    if run.facts.get(key) is None:
                        run.facts[key] = record.get(key)
    return runs


def parse_lines(path: Path) -> list[dict]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        sys.exit(f"error: cannot read {path}: {e.strerror}")
    records = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip().startswith("{"):
            continue
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError:
            # A runner killed mid-line leaves a fragment; the harness's table skips it too.
            print(f"warning: {path}:{number}: not a JSON object, skipped", file=sys.stderr)
    return records


def libraries_of(records: list[dict]) -> list[Library]:
    libraries: dict[str, Library] = {}
    previous = None  # the lib of the line before, to which a "failed" line usually belongs
    for record in records:
        name, phase = record.get("lib"), record.get("phase")
        if not name or phase == "run":
            continue
        if phase == "failed":
            owner = RUNNER_LIBS.get(name, name)
            if owner not in libraries and previous and previous.startswith(name):
                owner = previous  # e.g. runner "crvecdb" writing lib "crvecdb-int8"
            libraries.setdefault(owner, Library(owner)).failed = True
            previous = None
            continue
        if phase == "build" and name in libraries:
            print(f"warning: a second build of {name} in one file: only its last run is drawn",
                  file=sys.stderr)
            del libraries[name]
        library = libraries.setdefault(name, Library(name))
        library.version = library.version or record.get("version")
        if phase == "search":
            library.points.append(record)
        previous = name
    return list(libraries.values())


def dataset_from_file_name(path: Path) -> str:
    # run-peers.sh names files <dataset>-<yyyymmdd>-<hhmmss>.jsonl
    return re.sub(r"-\d{8}-\d{6}$", "", path.stem)


def plotted_points(library: Library, recall_key: str) -> list[tuple[float, float, dict]]:
    """(recall, qps, record) in ef order, leaving out points that cannot be drawn on a log axis."""
    points = []
    for record in sorted(library.points, key=lambda r: r.get("ef", 0)):
        recall, qps = record.get(recall_key), record.get("qps")
        if isinstance(recall, (int, float)) and isinstance(qps, (int, float)) and qps > 0:
            points.append((float(recall), float(qps), record))
    return points


# --- axes ------------------------------------------------------------------------------------

def recall_range(recalls: list[float]) -> tuple[float, float, float]:
    """Lower bound rounded down to a tick, 1.0 at the top, and the tick step."""
    lowest = min(min(recalls), 0.99)
    span = 1.0 - lowest
    step = next(s for s in (0.01, 0.02, 0.05, 0.1, 0.2) if span / s <= 10)
    return math.floor(lowest / step + 1e-9) * step, 1.0, step


# Ticks of the "nines" scale, where 0.9, 0.99, 0.999 are equally spaced (ann-benchmarks' "a lot of
# nines"): high-recall points, crowded against 1.0 on a linear axis, spread out.
NINES_TICKS = [0.0, 0.5, 0.8, 0.9, 0.95, 0.98, 0.99, 0.995, 0.998, 0.999, 0.9995, 0.9999]


def recall_axis(recalls: list[float], scale: str) -> tuple[list[tuple[float, str]], Callable[[float], float]]:
    """The labelled ticks, and the position in [0, 1] along the axis of a recall."""
    if scale == "linear":
        low, high, step = recall_range(recalls)
        ticks = [low + i * step for i in range(round((high - low) / step) + 1)]
        return [(t, f"{t:.2f}") for t in ticks], lambda recall: (recall - low) / (high - low)
    low = max(t for t in NINES_TICKS if t <= min(recalls))
    high = min((t for t in NINES_TICKS if t >= max(recalls)), default=NINES_TICKS[-1])
    if high <= low:
        high = NINES_TICKS[NINES_TICKS.index(low) + 1]

    def nines(recall: float) -> float:
        return -math.log10(1 - min(recall, high))  # a recall above the top tick (1.0) sits on it

    ticks = [(t, f"{t:g}") for t in NINES_TICKS if low <= t <= high]
    if max(recalls) > high:
        ticks[-1] = (high, f"≥{high:g}")
    return ticks, lambda recall: (nines(recall) - nines(low)) / (nines(high) - nines(low))


def qps_range(values: list[float]) -> tuple[float, float, list[float]]:
    """Log-axis bounds at 1-2-5 steps around the data, and the ticks to label."""
    steps = [m * 10 ** e for e in range(-3, 10) for m in (1, 2, 5)]
    low = max((s for s in steps if s <= min(values)), default=steps[0])
    high = min((s for s in steps if s >= max(values)), default=steps[-1])
    if low == high:
        low, high = low / 2, high * 2
    decades = math.log10(high / low)
    mantissas = (1, 2, 5) if decades <= 2.5 else (1, 3) if decades <= 4 else (1,)
    ticks = [m * 10 ** e for e in range(-3, 10) for m in mantissas if low <= m * 10 ** e <= high]
    return low, high, ticks


def qps_label(value: float) -> str:
    for unit, scale in (("M", 1e6), ("k", 1e3)):
        if value >= scale:
            return f"{value / scale:g}{unit}"
    return f"{value:g}"


# --- SVG -------------------------------------------------------------------------------------

def marker(shape: str, x: float, y: float, size: float, colour: str, tooltip: str = "") -> str:
    """A marker centred on (x, y); the tooltip shows in browsers on hover."""
    style = f'fill="{colour}" stroke="white" stroke-width="0.8"'
    if shape == "circle":
        element = f'circle cx="{x:.1f}" cy="{y:.1f}" r="{size * 0.85:.1f}" {style}'
    elif shape == "square":
        s = size * 0.75
        element = f'rect x="{x - s:.1f}" y="{y - s:.1f}" width="{2 * s:.1f}" height="{2 * s:.1f}" {style}'
    else:
        corners = {
            "triangle": [(0, -1.1), (1, 0.65), (-1, 0.65)],
            "triangle-down": [(0, 1.1), (1, -0.65), (-1, -0.65)],
            "diamond": [(0, -1.15), (1, 0), (0, 1.15), (-1, 0)],
        }[shape]
        coords = " ".join(f"{x + dx * size:.1f},{y + dy * size:.1f}" for dx, dy in corners)
        element = f'polygon points="{coords}" {style}'
    if not tooltip:
        return f"<{element}/>"
    return f"<{element}><title>{escape(tooltip)}</title></{element.split()[0]}>"


def title_lines(run: Run, recall_key: str) -> tuple[str, str]:
    header, facts = run.header or {}, run.facts
    main = run.dataset
    if facts.get("n") and facts.get("dim"):
        main += f" — {facts['n']:,} × {facts['dim']}"
    if facts.get("metric"):
        main += f", {facts['metric']}"
    sub = [f"{recall_key} vs queries per second"]
    if header.get("threads"):
        sub.append(f"{header['threads']} search threads")
    params = header.get("params", "")
    m, efc = re.search(r"--m (\d+)", params), re.search(r"--ef-construction (\d+)", params)
    if m and efc:
        sub.append(f"m={m.group(1)}, efConstruction={efc.group(1)}")
    if header.get("date"):
        # 2026-11-25T08:38:58Z -> 2026-11-25 08:38 UTC
        sub.append(re.sub(r"T(\d\d:\d\d)(:\d\d)?Z?$", r" \1 UTC", header["date"]))
    if header.get("cores"):
        sub.append(f"{header['cores']} cores")
    return main, " · ".join(sub)


def render(run: Run, recall_key: str, x_scale: str = "linear") -> str:
    libraries = list(run.libraries.values())
    series = {lib.name: plotted_points(lib, recall_key) for lib in libraries}
    drawable = [p for points in series.values() for p in points]
    if not drawable:
        raise ValueError(f"{run.dataset}: no search line with {recall_key} and qps in "
                         f"{', '.join(run.sources)} (did every runner fail? see the .log beside it)")

    x_ticks, x_position = recall_axis([r for r, _, _ in drawable], x_scale)
    y_low, y_high, y_ticks = qps_range([q for _, q, _ in drawable])

    def x_of(recall: float) -> float:
        return LEFT + x_position(recall) * (RIGHT - LEFT)

    def y_of(qps: float) -> float:
        return BOTTOM - math.log(qps / y_low) / math.log(y_high / y_low) * (BOTTOM - TOP)

    title, subtitle = title_lines(run, recall_key)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="{FONT}">',
        f"<title>{escape(title)}: {escape(subtitle)}</title>",
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="white"/>',
        f'<text x="{LEFT}" y="26" font-size="17" font-weight="bold" fill="#222">{escape(title)}</text>',
        f'<text x="{LEFT}" y="46" font-size="11.5" fill="#666">{escape(subtitle)}</text>',
    ]

    # Grid and ticks.
    out.append('<g font-size="11.5" fill="#444">')
    for recall, label in x_ticks:
        x = x_of(recall)
        out.append(f'<line x1="{x:.1f}" y1="{TOP}" x2="{x:.1f}" y2="{BOTTOM}" stroke="#e6e6e6"/>')
        out.append(f'<text x="{x:.1f}" y="{BOTTOM + 17}" text-anchor="middle">{escape(label)}</text>')
    for qps in y_ticks:
        y = y_of(qps)
        out.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{RIGHT}" y2="{y:.1f}" stroke="#e6e6e6"/>')
        out.append(f'<text x="{LEFT - 7}" y="{y + 4:.1f}" text-anchor="end">{qps_label(qps)}</text>')
    out.append("</g>")
    out.append(f'<rect x="{LEFT}" y="{TOP}" width="{RIGHT - LEFT}" height="{BOTTOM - TOP}" '
               'fill="none" stroke="#888"/>')
    x_note = ", nines scale" if x_scale == "nines" else ""
    out.append(f'<text x="{(LEFT + RIGHT) / 2}" y="{BOTTOM + 40}" font-size="13" text-anchor="middle" '
               f'fill="#222">{escape(recall_key)}{x_note} (higher is better →)</text>')
    out.append(f'<text transform="translate(20 {(TOP + BOTTOM) / 2}) rotate(-90)" font-size="13" '
               'text-anchor="middle" fill="#222">queries per second, log scale (higher is better →)</text>')

    # One line per library; ours last, so that it is on top.
    colours, spare, styles = {}, iter(SPARE_COLOURS), {}
    for index, lib in enumerate(libraries):
        colours[lib.name] = KNOWN_COLOURS.get(lib.name) or next(spare, "#000000")
        styles[lib.name] = MARKERS[index % len(MARKERS)]
    for lib in sorted(libraries, key=lambda lib: lib.ours):
        points = series[lib.name]
        if not points:
            continue
        colour = colours[lib.name]
        coords = " ".join(f"{x_of(r):.1f},{y_of(q):.1f}" for r, q, _ in points)
        out.append(f'<g class="series" data-lib={quoteattr(lib.name)}>')
        out.append(f'<polyline points="{coords}" fill="none" stroke="{colour}" '
                   f'stroke-width="{lib.line_width}" '
                   'stroke-linejoin="round" stroke-linecap="round"/>')
        for recall, qps, record in points:
            tooltip = f"{lib.name} ef={record.get('ef')}: {recall_key} {recall:.4f}, {qps:,.0f} QPS"
            out.append(marker(styles[lib.name], x_of(recall), y_of(qps), lib.marker_size, colour, tooltip))
        out.append("</g>")

    out.extend(legend(libraries, series, colours, styles))
    out.append("</svg>")
    return "\n".join(out) + "\n"


def legend(libraries: list[Library], series: dict, colours: dict, styles: dict) -> list[str]:
    x, y = RIGHT + 18, TOP + 6
    out = ['<g class="legend" font-size="12.5">']
    for lib in libraries:
        colour = colours[lib.name]
        version = short_version(lib.version)
        if series[lib.name]:
            out.append(f'<line x1="{x}" y1="{y}" x2="{x + 26}" y2="{y}" stroke="{colour}" '
                       f'stroke-width="{lib.line_width}"/>')
            out.append(marker(styles[lib.name], x + 13, y, lib.marker_size, colour))
        # A library without points is listed greyed, saying why, so that a failed runner is seen.
        note = "failed" if lib.failed else "" if series[lib.name] else "no results"
        weight = ' font-weight="bold"' if lib.ours else ""
        fill = "#222" if series[lib.name] else "#999"
        # The version goes under the name: "crvecdb-int8 0.1.0-SNAPSHOT" would not fit on one line.
        out.append(f'<text x="{x + 34}" y="{y + 4.5}" fill="{fill}"{weight}>{escape(lib.name)}'
                   f'<tspan x="{x + 34}" dy="14" font-size="10.5" fill="#777" font-weight="normal">'
                   f'{escape(version)}</tspan>'
                   f'<tspan dx="5" font-size="10.5" fill="#c00" font-style="italic" font-weight="normal">'
                   f'{note}</tspan></text>')
        y += 36
    out.append("</g>")
    return out


def short_version(version: str | None) -> str:
    """"0.8.0 (headers of hnswlib-node 3.0.0)" -> "0.8.0": the detail is in the results file."""
    return (version or "").split(" (")[0]


def output_name(dataset: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", dataset) + "-recall-qps.svg"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("results", nargs="+", type=Path, help="results .jsonl files of run-peers.sh")
    parser.add_argument("--out", type=Path, required=True, help="directory for the SVG files")
    parser.add_argument("--recall-key", default="recall@10",
                        help="search-line field on x (default recall@10)")
    parser.add_argument("--x-scale", choices=("linear", "nines"), default="linear",
                        help="recall axis: linear from the lowest recall to 1 (default), or nines, "
                             "where 0.9, 0.99, 0.999 are equally spaced")
    args = parser.parse_args(argv)

    args.out.mkdir(parents=True, exist_ok=True)
    for run in read_runs(args.results).values():
        try:
            svg = render(run, args.recall_key, args.x_scale)
        except ValueError as e:
            print(f"error: {e}", file=sys.stderr)
            return 1
        target = args.out / output_name(run.dataset)
        target.write_text(svg, encoding="utf-8")
        print(target)
    return 0


if __name__ == "__main__":
    sys.exit(main())
