"""Checks of surface_denoise.py: run with `python3 -m unittest models/training/test_surface_denoise.py`."""
import os
import sys
import unittest

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from surface_denoise import KEEP_RAW_WITHIN, denoise_surface  # noqa: E402


def grainy_scene(seed=1, size=64):
    """A skin-toned surface with render grain, a darker shadow half below a sharp edge, and a bright piece."""
    rng = np.random.default_rng(seed)
    rgb = np.empty((size, size, 3), dtype=np.float32)
    rgb[:] = (0.7, 0.5, 0.4)
    rgb[size // 2:] *= 0.4  # a cast shadow's edge across the frame
    rgb += rng.normal(0, 0.04, rgb.shape).astype(np.float32)
    piece = np.zeros((size, size), dtype=np.float32)
    piece[10:20, 40:50] = 1
    piece[9, 40:50] = 0.5  # an antialiased edge row
    rgb[piece > 0] = (0.95, 0.9, 0.6)
    return np.clip(rgb, 0, 1), piece


class SurfaceDenoiseTest(unittest.TestCase):
    def test_grain_on_the_surface_is_smoothed(self):
        rgb, piece = grainy_scene()
        out = denoise_surface(rgb, piece)
        lit = (slice(24, 30), slice(5, 30))  # a lit patch of surface, away from the piece and the shadow edge
        self.assertLess(out[lit].std(axis=(0, 1)).max(), 0.4 * rgb[lit].std(axis=(0, 1)).max())

    def test_the_piece_and_its_rim_stay_as_rendered(self):
        rgb, piece = grainy_scene()
        out = denoise_surface(rgb, piece)
        rim = np.zeros(piece.shape, dtype=bool)
        ys, xs = np.nonzero(piece)
        for y, x in zip(ys, xs):
            rim[max(0, y - KEEP_RAW_WITHIN):y + KEEP_RAW_WITHIN + 1, max(0, x - KEEP_RAW_WITHIN):x + KEEP_RAW_WITHIN + 1] = True
        np.testing.assert_array_equal(out[rim], rgb[rim])
        self.assertFalse(np.array_equal(out[~rim], rgb[~rim]))

    def test_the_piece_never_bleeds_onto_the_surface(self):
        rgb, piece = grainy_scene()
        recoloured = rgb.copy()
        recoloured[piece > 0] = (0.72, 0.52, 0.41)  # a piece the colour of the skin: the range weight would let it in
        out, out_recoloured = denoise_surface(rgb, piece), denoise_surface(recoloured, piece)
        surface = np.ones(piece.shape, dtype=bool)
        surface[10 - 1 - KEEP_RAW_WITHIN:20 + KEEP_RAW_WITHIN, 40 - KEEP_RAW_WITHIN:50 + KEEP_RAW_WITHIN] = False
        np.testing.assert_array_equal(out[surface], out_recoloured[surface])

    def test_a_shadow_edge_stays_sharp(self):
        rgb, piece = grainy_scene()
        out = denoise_surface(rgb, piece)
        above, below = out[30, 5:30].mean(axis=0), out[33, 5:30].mean(axis=0)
        # Three rows apart across the edge: still most of the 0.7 → 0.28 step in red (a Gaussian of the same
        # radius would leave well under half of it there).
        self.assertGreater(above[0] - below[0], 0.3)


if __name__ == "__main__":
    unittest.main()
