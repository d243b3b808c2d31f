"""Tests of qps_at_recall.py:  python3 -m unittest scripts/test_qps_at_recall.py"""
import contextlib
import io
import json
import sys
import tempfile
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import qps_at_recall  # noqa: E402


class QpsAtRecallTest(unittest.TestCase):

    def test_interpolates_log_qps_linearly_in_recall_between_the_points_around_the_recall(self):
        points = [(0.80, 160_000.0), (0.90, 40_000.0), (1.00, 10_000.0)]

        qps, exact = qps_at_recall.qps_at(points, 0.95)

        self.assertTrue(exact)
        self.assertAlmostEqual(qps, 20_000.0, places=6)  # halfway in log: the geometric mean

    def test_a_point_exactly_at_the_recall_gives_its_own_qps(self):
        points = [(0.90, 40_000.0), (0.95, 25_000.0), (0.99, 10_000.0)]

        self.assertEqual(qps_at_recall.qps_at(points, 0.95), (25_000.0, True))

    def test_a_first_point_above_the_recall_is_only_a_lower_bound(self):
        self.assertEqual(qps_at_recall.qps_at([(0.97, 43_000.0), (0.98, 30_000.0)], 0.95),
                         (43_000.0, False))

    def test_a_curve_below_the_recall_gives_none(self):
        self.assertIsNone(qps_at_recall.qps_at([(0.80, 9.0), (0.90, 5.0)], 0.95))

    def test_prints_each_library_against_the_base_from_a_results_file(self):
        lines = [{"lib": "harness", "phase": "run"},
                 {"lib": "hnswlib-cpp", "phase": "build", "vectors_per_sec": 1000},
                 {"lib": "hnswlib-cpp", "phase": "search", "ef": 20, "recall@10": 0.90, "qps": 40_000},
                 {"lib": "hnswlib-cpp", "phase": "search", "ef": 10, "recall@10": 0.80, "qps": 160_000},
                 {"lib": "hnswlib-cpp", "phase": "search", "ef": 40, "recall@10": 1.00, "qps": 10_000},
                 {"lib": "other", "phase": "search", "ef": 10, "recall@10": 0.97, "qps": 30_000},
                 {"lib": "slow", "phase": "search", "ef": 10, "recall@10": 0.5, "qps": 1}]
        with tempfile.TemporaryDirectory() as directory:
            path = Path(directory) / "results.jsonl"
            path.write_text("".join(json.dumps(line) + "\n" for line in lines))
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                self.assertEqual(qps_at_recall.main([str(path)]), 0)

        printed = out.getvalue().splitlines()
        self.assertEqual(printed[1].split(), ["hnswlib-cpp", "20000", "1.00x", "hnswlib-cpp"])
        self.assertEqual(printed[2].split(), ["other", ">=30000", "1.50x", "hnswlib-cpp"])
        self.assertEqual(printed[3].split(), ["slow", "never", "reached"])


if __name__ == "__main__":
    unittest.main()
