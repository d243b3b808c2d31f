"""Tests of plot_recall_qps.py:  python3 -m unittest scripts/test_plot_recall_qps.py"""
import contextlib
import io
import json
import sys
import tempfile
import unittest
import xml.etree.ElementTree as ET
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import plot_recall_qps  # noqa: E402

SVG = "{http://www.w3.org/2000/svg}"
HEADER = {"lib": "harness", "phase": "run", "dataset": "tiny-set", "date": "2026-11-25T08:38:58Z",
          "threads": 2, "cores": 2, "params": "--m 16 --ef-construction 200 --ef-search 10,20,40 --k 10"}


def build(lib, version):
    return {"lib": lib, "version": version, "phase": "build", "dataset": "tiny-set", "metric": "cosine",
            "n": 1000, "dim": 32, "seconds": 0.5}


def search(lib, version, ef, recall, qps):
    return {"lib": lib, "version": version, "phase": "search", "ef": ef, "k": 10,
            "recall@10": recall, "qps": qps}


RESULTS = [
    HEADER,
    build("hnswlib-cpp", "0.8.0 (headers of hnswlib-node 3.0.0)"),
    # written out of ef order: the line must still go through them by ef
    search("hnswlib-cpp", "0.8.0 (headers of hnswlib-node 3.0.0)", 40, 0.99, 9000),
    search("hnswlib-cpp", "0.8.0 (headers of hnswlib-node 3.0.0)", 10, 0.82, 40000),
    search("hnswlib-cpp", "0.8.0 (headers of hnswlib-node 3.0.0)", 20, 0.93, 20000),
    build("lucene-hnsw", "10.6.0"),
    search("lucene-hnsw", "10.6.0", 10, 0.88, 12000),  # a single point
    {"lib": "jvector", "phase": "failed", "exit": 1},
    build("crvecdb", "0.1.0-SNAPSHOT"),
    search("crvecdb", "0.1.0-SNAPSHOT", 10, 0.85, 45000),
    search("crvecdb", "0.1.0-SNAPSHOT", 20, 0.95, 26000),
]


class PlotRecallQpsTest(unittest.TestCase):
    def setUp(self):
        self.dir = Path(tempfile.mkdtemp())

    def plot(self, records, name="tiny-set-20261125-083857.jsonl", extra_lines=(), options=()):
        results = self.dir / name
        lines = [json.dumps(r) for r in records] + list(extra_lines)
        results.write_text("\n".join(lines) + "\n", encoding="utf-8")
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()) as err:
            status = plot_recall_qps.main([str(results), "--out", str(self.dir / "images"), *options])
        self.stderr = err.getvalue()
        return status

    def svg(self, dataset="tiny-set"):
        return ET.parse(self.dir / "images" / f"{dataset}-recall-qps.svg").getroot()

    def series(self, root):
        return {g.get("data-lib"): g for g in root.iter(f"{SVG}g") if g.get("class") == "series"}

    def legend_texts(self, root):
        legend = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "legend")
        return [" ".join(part.strip() for part in text.itertext() if part.strip())
                for text in legend.iter(f"{SVG}text")]

    def test_one_polyline_per_library_with_points(self):
        self.assertEqual(self.plot(RESULTS), 0)
        root = self.svg()
        self.assertEqual(root.tag, f"{SVG}svg")
        series = self.series(root)
        self.assertEqual(set(series), {"hnswlib-cpp", "lucene-hnsw", "crvecdb"})
        for lib, group in series.items():
            self.assertEqual(len(group.findall(f"{SVG}polyline")), 1, lib)
        self.assertEqual(len(root.findall(f".//{SVG}polyline")), 3)

    def test_points_follow_ef_and_ours_is_thicker(self):
        self.plot(RESULTS)
        series = self.series(self.svg())
        cpp = series["hnswlib-cpp"].find(f"{SVG}polyline")
        xs = [float(p.split(",")[0]) for p in cpp.get("points").split()]
        self.assertEqual(len(xs), 3)
        self.assertEqual(xs, sorted(xs), "ef 10, 20, 40 have rising recall, so x must rise along the line")
        lucene = series["lucene-hnsw"]
        self.assertEqual(len(lucene.find(f"{SVG}polyline").get("points").split()), 1)
        self.assertEqual(len(list(lucene)), 2, "a single-point library still gets its marker")
        ours = float(series["crvecdb"].find(f"{SVG}polyline").get("stroke-width"))
        theirs = float(cpp.get("stroke-width"))
        self.assertGreater(ours, theirs)

    def test_legend_names_libraries_with_versions_and_the_failed_runner(self):
        self.plot(RESULTS)
        self.assertEqual(self.legend_texts(self.svg()),
                         ["hnswlib-cpp 0.8.0", "lucene-hnsw 10.6.0", "jvector failed",
                          "crvecdb 0.1.0-SNAPSHOT"])

    def test_title_has_dataset_size_metric_threads_and_date(self):
        self.plot(RESULTS)
        texts = ["".join(t.itertext()) for t in self.svg().findall(f"{SVG}text")]
        self.assertIn("tiny-set — 1,000 × 32, cosine", texts)
        subtitle = next(t for t in texts if t.startswith("recall@10 vs"))
        for part in ("2 search threads", "m=16, efConstruction=200", "2026-11-25 08:38 UTC"):
            self.assertIn(part, subtitle)

    def test_failed_lucene_runner_marks_its_lucene_hnsw_lines(self):
        records = RESULTS[:6] + [{"lib": "lucene", "phase": "failed", "exit": 137}]
        self.plot(records)
        self.assertIn("lucene-hnsw 10.6.0 failed", self.legend_texts(self.svg()))

    def test_dataset_from_file_name_without_header_and_broken_lines_skipped(self):
        records = [{k: v for k, v in r.items() if k != "dataset"} for r in RESULTS[1:5]]
        self.assertEqual(self.plot(records, name="other-set-20261125-090000.jsonl",
                                   extra_lines=['{"lib": "lucene-hnsw", "pha']), 0)
        self.assertEqual(set(self.series(self.svg("other-set"))), {"hnswlib-cpp"})
        self.assertIn("not a JSON object", self.stderr)

    def test_files_of_one_dataset_share_a_plot_and_a_rerun_library_replaces_the_earlier(self):
        self.plot(RESULTS)
        rerun = [HEADER, build("crvecdb", "0.2.0"), search("crvecdb", "0.2.0", 10, 0.9, 50000)]
        (self.dir / "rerun.jsonl").write_text("\n".join(json.dumps(r) for r in rerun), encoding="utf-8")
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()) as err:
            plot_recall_qps.main([str(self.dir / "tiny-set-20261125-083857.jsonl"),
                                  str(self.dir / "rerun.jsonl"), "--out", str(self.dir / "images")])
        self.assertIn("crvecdb replaces its tiny-set results", err.getvalue())
        root = self.svg()
        self.assertEqual(len(self.series(root)["crvecdb"].find(f"{SVG}polyline").get("points").split()), 1)
        self.assertIn("crvecdb 0.2.0", self.legend_texts(root))
        self.assertIn("hnswlib-cpp 0.8.0", self.legend_texts(root))

    def test_a_library_run_twice_in_one_file_is_drawn_from_its_last_run(self):
        again = [build("crvecdb", "0.1.0-SNAPSHOT"), search("crvecdb", "0.1.0-SNAPSHOT", 10, 0.9, 30000)]
        self.plot(RESULTS + again)
        ours = self.series(self.svg())["crvecdb"].find(f"{SVG}polyline").get("points").split()
        self.assertEqual(len(ours), 1)
        self.assertIn("a second build of crvecdb", self.stderr)

    def test_log_axis_ticks_are_readable(self):
        self.plot(RESULTS)
        labels = {"".join(t.itertext()) for t in self.svg().iter(f"{SVG}text")}
        self.assertTrue({"10k", "20k", "50k"} <= labels, labels)
        self.assertTrue({"0.82", "0.90", "1.00"} <= labels, labels)

    def test_nines_scale_spaces_0_9_0_99_0_999_equally(self):
        records = RESULTS + [search("crvecdb", "0.1.0-SNAPSHOT", 40, 0.999, 9000),
                             search("crvecdb", "0.1.0-SNAPSHOT", 80, 1.0, 5000)]
        self.plot(records, options=["--x-scale", "nines"])
        root = self.svg()
        ticks = {"".join(t.itertext()): float(t.get("x")) for t in root.iter(f"{SVG}text")
                 if t.get("text-anchor") == "middle" and t.get("y") == str(plot_recall_qps.BOTTOM + 17)}
        self.assertEqual(list(ticks), ["0.8", "0.9", "0.95", "0.98", "0.99", "0.995", "0.998", "0.999",
                                       "0.9995", "≥0.9999"])
        self.assertAlmostEqual(ticks["0.99"] - ticks["0.9"], ticks["0.999"] - ticks["0.99"], delta=0.2)
        ours = self.series(root)["crvecdb"].find(f"{SVG}polyline").get("points").split()
        self.assertAlmostEqual(float(ours[-1].split(",")[0]), plot_recall_qps.RIGHT, delta=0.1,
                               msg="recall 1.0 sits on the right edge")

    def test_file_without_search_lines_is_an_error_naming_it(self):
        self.assertEqual(self.plot([HEADER, {"lib": "jvector", "phase": "failed", "exit": 1}]), 1)
        self.assertIn("no search line with recall@10", self.stderr)
        self.assertIn("tiny-set", self.stderr)


class AxisTest(unittest.TestCase):
    def test_qps_range_rounds_out_to_1_2_5(self):
        low, high, ticks = plot_recall_qps.qps_range([980.1, 42165.2])
        self.assertEqual((low, high), (500, 50000))
        self.assertEqual(ticks, [500, 1000, 2000, 5000, 10000, 20000, 50000])

    def test_recall_range_starts_at_a_tick_below_the_lowest_recall(self):
        self.assertEqual(plot_recall_qps.recall_range([0.8566, 0.9998])[0], 0.84)
        low, high, step = plot_recall_qps.recall_range([0.5, 1.0])
        self.assertEqual((low, high, step), (0.5, 1.0, 0.05))

    def test_qps_labels(self):
        self.assertEqual([plot_recall_qps.qps_label(v) for v in (500, 2000, 50000, 1_000_000)],
                         ["500", "2k", "50k", "1M"])


if __name__ == "__main__":
    unittest.main()
