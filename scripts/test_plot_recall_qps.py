"""python3 -m unittest scripts/test_plot_recall_qps.py"""
import json
import pathlib
import sys
import tempfile
import unittest
import xml.etree.ElementTree as ElementTree

sys.path.insert(0, str(pathlib.Path(__file__).parent))
import plot_recall_qps  # noqa: E402

SVG = "{http://www.w3.org/2000/svg}"


class PlotTest(unittest.TestCase):

    def test_one_line_per_library_with_a_legend(self):
        lines = [{"lib": "harness", "phase": "run", "dataset": "tiny", "threads": 2, "params": "--m 16 --k 10"},
                 {"lib": "peer", "version": "1.0", "phase": "build", "seconds": 1},
                 {"lib": "peer", "version": "1.0", "phase": "search", "ef": 20, "recall@10": 0.9, "qps": 2000},
                 {"lib": "peer", "version": "1.0", "phase": "search", "ef": 10, "recall@10": 0.8, "qps": 4000},
                 {"lib": "crvecdb", "version": "0.1", "phase": "search", "ef": 10, "recall@10": 0.95, "qps": 9000},
                 {"phase": "failed", "lib": "broken"}]
        with tempfile.TemporaryDirectory() as out:
            results = pathlib.Path(out, "tiny-20261125-000000.jsonl")
            results.write_text("\n".join(json.dumps(line) for line in lines))
            plot_recall_qps.main([str(results), "--out", out])
            root = ElementTree.parse(pathlib.Path(out, "tiny-recall-qps.svg")).getroot()
        polylines = root.findall(f"{SVG}polyline")
        self.assertEqual(["peer", "crvecdb"], [p.get("data-lib") for p in polylines])
        self.assertEqual(2, len(polylines[0].get("points").split()), "a point per ef")
        texts = [t.text for t in root.iter(f"{SVG}text")]
        self.assertIn("crvecdb 0.1", texts)
        self.assertIn("peer 1.0", texts)


if __name__ == "__main__":
    unittest.main()
