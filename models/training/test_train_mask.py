"""Checks of train_mask.py's checkpoint handling (needs python3-torch: skipped where it is not installed, as in CI,
which never trains)."""
import os
import subprocess
import sys
import tempfile
import unittest

try:
    import torch
except ImportError:  # CI installs no PyTorch: training and export happen on a developer's machine only
    torch = None

HERE = os.path.dirname(os.path.abspath(__file__))


@unittest.skipIf(torch is None, "python3-torch is not installed (only training needs it)")
class AverageWeightsTest(unittest.TestCase):
    def setUp(self):
        sys.path.insert(0, HERE)
        import train_mask
        self.tm = train_mask
        torch.manual_seed(0)
        self.a = train_mask.LoupeNet().state_dict()
        torch.manual_seed(1)
        b = train_mask.LoupeNet()
        b.enc[0][1].num_batches_tracked += 7
        b.enc[0][1].running_mean += 1.0
        self.b = b.state_dict()

    def test_floats_are_the_mean_and_counters_the_later_points(self):
        avg = self.tm.average_weights(self.a, self.b)
        for k, v in avg.items():
            if v.is_floating_point():
                torch.testing.assert_close(v, (self.a[k] + self.b[k]) / 2, msg=k)
            else:
                self.assertTrue(torch.equal(v, self.b[k]), k)
        self.assertEqual(int(avg["enc.0.1.num_batches_tracked"]), 7)
        self.assertFalse(torch.equal(avg["full.0.weight"], self.a["full.0.weight"]))

    def test_refuses_checkpoints_of_different_networks(self):
        other = dict(self.b)
        other["full.0.weight"] = torch.zeros(4, 3, 3, 3)
        with self.assertRaises(ValueError):
            self.tm.average_weights(self.a, other)

    def test_command_line_saves_the_average_at_the_later_step(self):
        with tempfile.TemporaryDirectory() as tmp:
            earlier, later, out = (os.path.join(tmp, n) for n in ("earlier.pt", "later.pt", "soup.pt"))
            torch.save({"model": self.a, "step": 100}, earlier)
            torch.save({"model": self.b, "step": 250}, later)
            run = subprocess.run([sys.executable, os.path.join(HERE, "train_mask.py"), "--steps", "0", "--threads", "1",
                                  "--pieces", tmp, "--resume", later, "--average-with", earlier, "--checkpoint", out],
                                 capture_output=True, text=True)
            self.assertEqual(run.returncode, 0, run.stderr)
            soup = torch.load(out)
            self.assertEqual(soup["step"], 250)
            torch.testing.assert_close(soup["model"]["last.2.weight"], (self.a["last.2.weight"] + self.b["last.2.weight"]) / 2)


if __name__ == "__main__":
    unittest.main()
