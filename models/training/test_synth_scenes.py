"""
Checks of the training-scene composer (synth_scenes.py) on a drawn piece, no renders needed:

    /usr/bin/python3 -m unittest models/training/test_synth_scenes.py

Run by test/models/trainingScenes.test.ts. What matters for training is that the labels sit on the piece's
pixels and on nothing else: shadows, mirror images and the surface behind are background.
"""
import json
import os
import sys
import tempfile
import unittest

import numpy as np
from PIL import Image

sys.path.insert(0, os.path.dirname(__file__))
import synth_scenes as S  # noqa: E402


def draw_piece(folder, name, family="rose-gold"):
    """A red ring (a thick annulus, its hole transparent) with one blue 'stone' on top, 384² like the renders."""
    yy, xx = np.mgrid[0:384, 0:384].astype(np.float32)
    r = np.hypot(xx - 192, yy - 200)
    ring = np.clip(np.minimum(r - 110, 150 - r) + 0.5, 0, 1)
    stone = np.clip(24 - np.hypot(xx - 192, yy - 62) + 0.5, 0, 1)
    alpha = np.maximum(ring, stone)
    rgba = np.zeros((384, 384, 4), np.float32)
    rgba[..., 0] = 0.85 * ring
    rgba[..., 2] = 0.9 * stone
    rgba[..., 3] = alpha
    Image.fromarray((rgba * 255 + 0.5).astype(np.uint8), "RGBA").save(os.path.join(folder, name + "_rgba.png"))
    Image.fromarray((ring * (1 - stone) * 255 + 0.5).astype(np.uint8)).save(os.path.join(folder, name + "_metal.png"))
    Image.fromarray((stone * 255 + 0.5).astype(np.uint8)).save(os.path.join(folder, name + "_stones.png"))
    with open(os.path.join(folder, name + ".json"), "w") as f:
        json.dump({"kind": "band", "family": family}, f)


def draw_scene(folder, name, family="yellow-gold", all_metal=False):
    """A rendered scene's files (generate_pieces.py --in-scene), 320²: a red ring with a blue stone on grey."""
    yy, xx = np.mgrid[0:320, 0:320].astype(np.float32)
    r = np.hypot(xx - 160, yy - 170)
    ring = np.ones_like(r) if all_metal else np.clip(np.minimum(r - 60, 100 - r) + 0.5, 0, 1)
    stone = np.zeros_like(r) if all_metal else np.clip(18 - np.hypot(xx - 160, yy - 62) + 0.5, 0, 1)
    rgb = np.full((320, 320, 3), 0.45, np.float32)
    rgb = rgb * (1 - ring[..., None]) + np.array([0.85, 0.1, 0.1], np.float32) * ring[..., None]
    rgb = rgb * (1 - stone[..., None]) + np.array([0.1, 0.1, 0.9], np.float32) * stone[..., None]
    Image.fromarray((rgb * 255 + 0.5).astype(np.uint8)).save(os.path.join(folder, name + "_rgb.png"))
    Image.fromarray((ring * (1 - stone) * 255 + 0.5).astype(np.uint8)).save(os.path.join(folder, name + "_metal.png"))
    Image.fromarray((stone * 255 + 0.5).astype(np.uint8)).save(os.path.join(folder, name + "_stones.png"))
    with open(os.path.join(folder, name + ".json"), "w") as f:
        json.dump({"kind": "band", "family": family, "surface": "grey"}, f)


class RenderFolderTestCase(unittest.TestCase):
    """A temporary folder of drawn renders (draw_renders) read by library_class as self.library."""
    library_class = S.PieceLibrary

    @classmethod
    def draw_renders(cls, folder):
        draw_piece(folder, "00000")

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.draw_renders(cls.tmp.name)
        cls.library = cls.library_class(cls.tmp.name)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()


class RenderedSceneTest(RenderFolderTestCase):
    library_class = S.SceneLibrary

    @classmethod
    def draw_renders(cls, folder):
        draw_scene(folder, "00000")

    def test_labels_follow_the_crop_and_mirror_of_the_image(self):
        seen_zooms = set()
        for seed in range(12):
            img, jewel, stones, family = S.rendered_scene(np.random.default_rng(seed), self.library, 96)
            self.assertEqual(img.shape, (96, 96, 3))
            self.assertEqual(img.dtype, np.uint8)
            self.assertEqual(family, S.FAMILIES.index("yellow-gold"))
            f = img.astype(np.float32)
            red = f[..., 0] - np.maximum(f[..., 1], f[..., 2])
            metal = (jewel > 0.9) & (stones < 0.1)
            surface = jewel < 0.1
            if metal.any() and surface.any():
                # Casts and exposure move colours, but the ring stays red and the grey surface grey.
                self.assertGreater(np.median(red[metal]), np.median(red[surface]) + 60)
            if (stones > 0.9).any():
                blue = f[..., 2] - f[..., 0]
                self.assertGreater(np.median(blue[stones > 0.9]), 60)
            seen_zooms.add(round(float(jewel.mean()), 2))
        self.assertGreater(len(seen_zooms), 6)  # crops at many scales and places

    def test_same_seed_same_sample(self):
        a = S.rendered_scene(np.random.default_rng(4), self.library, 64)
        b = S.rendered_scene(np.random.default_rng(4), self.library, 64)
        for x, y in zip(a[:3], b[:3]):
            np.testing.assert_array_equal(x, y)

    def test_an_empty_folder_says_what_to_run(self):
        with tempfile.TemporaryDirectory() as empty:
            with self.assertRaises(SystemExit) as raised:
                S.SceneLibrary(empty)
            self.assertIn("--in-scene", str(raised.exception))


class ComposeTest(RenderFolderTestCase):

    def test_same_seed_same_sample(self):
        a = S.compose(np.random.default_rng(3), self.library, 128)
        b = S.compose(np.random.default_rng(3), self.library, 128)
        for x, y in zip(a[:3], b[:3]):
            np.testing.assert_array_equal(x, y)
        self.assertEqual(a[3], b[3])

    def test_shapes_ranges_and_family(self):
        for seed in range(6):
            img, jewel, stones, family = S.compose(np.random.default_rng(seed), self.library, 96)
            self.assertEqual(img.shape, (96, 96, 3))
            self.assertEqual(img.dtype, np.uint8)
            self.assertTrue(0 <= jewel.min() and jewel.max() <= 1)
            self.assertTrue(np.all(stones <= jewel + 1e-6), "stones lie inside the jewelry")
            self.assertEqual(family, S.FAMILIES.index("rose-gold"))

    def test_pieces_come_upside_down_at_times(self):
        # The drawn piece's stone sits above its ring: where the stone lies below the ring's centre, the
        # sample was turned upside down.
        upside_down = upright = 0
        for seed in range(80):
            _, jewel, stones, _ = S.compose(np.random.default_rng(seed), self.library, 128)
            if stones.sum() < 4 or jewel.sum() < 40:
                continue  # the stone or the ring ran off the frame
            rows = np.arange(128)[:, None]
            stone_y = (stones * rows).sum() / stones.sum()
            ring = jewel - stones
            ring_y = (ring * rows).sum() / ring.sum()
            upside_down += stone_y > ring_y
            upright += stone_y < ring_y
        self.assertGreater(upright, 20)
        share = upside_down / (upside_down + upright)
        self.assertTrue(0.12 < share < 0.5, f"{upside_down} of {upside_down + upright} samples upside down")

    def test_labels_sit_on_the_piece_and_nowhere_else(self):
        # A neutral world (white sweep, no cast, no camera) and a red piece: every reddish pixel must be
        # labelled jewelry, and shadows, the surface behind and the piece's mirror image (turned off here, as
        # its red would be background by design) must not be.
        saved = S.surface, S.photograph, S.mirror_reflection
        try:
            S.surface = lambda rng, h, w: (np.full((h, w, 3), 0.9, np.float32), "white")
            S.photograph = lambda rng, lin, optical_share=None: (S.linear_to_srgb(lin) * 255 + 0.5).astype(np.uint8)
            S.mirror_reflection = lambda rng, img, rgb, alpha, size: img
            labelled_pixels = 0
            for seed in range(40):
                img, jewel, _, _ = S.compose(np.random.default_rng(seed), self.library, 128)
                rgb = img.astype(np.int32)
                reddish = (rgb[..., 0] - rgb[..., 1] > 40) | (rgb[..., 2] - rgb[..., 1] > 40)
                self.assertEqual(int((reddish & (jewel < 0.02)).sum()), 0, f"seed {seed}: coloured pixels labelled background")
                # The other way round: no shadow (a dark neutral pixel) is labelled. The light tent and the
                # mirrored surround turn parts of the red piece neutral, but bright (the sweep is white).
                shadowy = (np.abs(rgb[..., 0] - rgb[..., 1]) + np.abs(rgb[..., 2] - rgb[..., 1]) < 3) & (rgb.max(-1) < 200)
                self.assertEqual(int((shadowy & (jewel > 0.5)).sum()), 0, f"seed {seed}: a shadow is labelled jewelry")
                labelled_pixels += int((jewel > 0.5).sum())
            self.assertGreater(labelled_pixels, 0)
        finally:
            S.surface, S.photograph, S.mirror_reflection = saved


def neutral_world():
    """Swaps out the surface and the camera for a white sweep seen plainly; returns what to put back."""
    saved = S.surface, S.photograph, S.mirror_reflection
    S.surface = lambda rng, h, w: (np.full((h, w, 3), 0.9, np.float32), "white")
    S.photograph = lambda rng, lin, optical_share=None: (S.linear_to_srgb(lin) * 255 + 0.5).astype(np.uint8)
    S.mirror_reflection = lambda rng, img, rgb, alpha, size: img
    return saved


class PairTest(RenderFolderTestCase):
    @classmethod
    def draw_renders(cls, folder):
        draw_piece(folder, "00000", "rose-gold")
        draw_piece(folder, "00001", "yellow-gold")

    def test_partner_is_of_the_same_family(self):
        rng = np.random.default_rng(0)
        for _ in range(30):
            other = S.partner(rng, self.library, {"kind": "band", "family": "yellow-gold"})
            self.assertIsNotNone(other)
            self.assertEqual(other[3]["family"], "yellow-gold")
        self.assertIsNone(S.partner(rng, self.library, {"kind": "band", "family": "white-metal"}))

    def test_some_samples_show_two_pieces_and_the_front_one_hides_the_stone_behind(self):
        from scipy.ndimage import label
        saved = neutral_world()
        try:
            two = 0
            for seed in range(120):
                img, jewel, stones, _ = S.compose(np.random.default_rng(seed), self.library, 160)
                two += label(stones > 0.5)[1] >= 2
                rgb = img.astype(np.int32)
                ring_in_front = (rgb[..., 0] - rgb[..., 1] > 60) & (rgb[..., 2] - rgb[..., 1] < 20)
                self.assertEqual(int((ring_in_front & (stones > 0.6)).sum()), 0, f"seed {seed}: a stone label shows through a ring")
                self.assertTrue(np.all(stones <= jewel + 1e-6), "stones lie inside the jewelry")
            self.assertTrue(10 <= two <= 60, f"{two} of 120 samples show two stones (pairs expected in about a third)")
        finally:
            S.surface, S.photograph, S.mirror_reflection = saved


class SurfaceEffectsTest(unittest.TestCase):
    def test_horizon_keeps_near_and_far(self):
        rng = np.random.default_rng(0)
        near = np.full((64, 64, 3), 0.8, np.float32)
        far = np.full((64, 64, 3), 0.1, np.float32)
        out = S.horizon(rng, near, far)
        self.assertTrue(np.isclose(out, 0.1, atol=1e-4).any(), "some of the far surface shows")
        self.assertTrue((out > 0.3).any(), "some of the near surface shows")
        self.assertTrue(np.isfinite(out).all())

    def test_mirrored_surround_touches_metal_only_and_keeps_highlights(self):
        rng = np.random.default_rng(1)
        h, w = 40, 40
        rgb = np.full((h, w, 3), 0.3, np.float32)
        rgb[5:8, 5:8] = 1.5  # a blown highlight
        metal = np.zeros((h, w), np.float32)
        metal[:, :20] = 1
        scene = np.full((100, 100, 3), 0.9, np.float32)
        out = S.mirrored_surround(rng, rgb, metal, scene, (30, 30, 70, 70), 1.0)
        np.testing.assert_array_equal(out[:, 20:], rgb[:, 20:])
        np.testing.assert_allclose(out[5:8, 5:8], rgb[5:8, 5:8])
        self.assertGreater(float(np.abs(out[:, :20] - rgb[:, :20]).max()), 0.05, "the metal mirrors the bright scene somewhere")
        same = S.mirrored_surround(np.random.default_rng(1), rgb, metal, scene, (30, 30, 70, 70), 0.0)
        np.testing.assert_allclose(same, rgb)

    def test_mirrored_surround_at_times_covers_all_of_a_flat_face(self):
        # A polished disc mirrors one patch of the surround evenly: some draws must change every metal pixel.
        rgb = np.full((40, 40, 3), 0.3, np.float32)
        metal = np.zeros((40, 40), np.float32)
        metal[:, :20] = 1
        scene = np.full((100, 100, 3), 0.9, np.float32)
        whole = 0
        for seed in range(40):
            out = S.mirrored_surround(np.random.default_rng(seed), rgb, metal, scene, (30, 30, 70, 70), 1.0)
            np.testing.assert_array_equal(out[:, 20:], rgb[:, 20:])
            whole += bool((np.abs(out[:, :20] - rgb[:, :20]).max(-1) > 0.05).all())
        self.assertTrue(3 <= whole <= 20, f"{whole} of 40 draws mirrored the whole face (expected about a quarter)")

    def test_gold_is_retinted_inside_its_family_window_and_nothing_else_moves(self):
        h, w = 20, 20
        metal = np.zeros((h, w), np.float32)
        metal[:, :10] = 1  # left half metal, right half a stone or background
        for metal_id, (hues, chromas) in S.GOLD_WINDOWS.items():
            f0 = np.array(S.RENDERED_GOLD_F0[metal_id], np.float32)
            for seed in range(20):
                lin = np.tile(f0 * 0.5, (h, w, 1)).astype(np.float32)
                lin[0, 0] = 1.0  # a blown highlight on the metal
                out = S.retint_gold(np.random.default_rng(seed), lin, metal, metal_id)
                np.testing.assert_array_equal(out[:, 10:], lin[:, 10:])
                np.testing.assert_array_equal(out[0, 0], lin[0, 0])
                # Back to CIELAB through XYZ (D65), as an F0 at L* 85 (the windows' lightness): the new colour's
                # hue and C*/L* lie in its family's window.
                m = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
                xyz = m @ out[5, 5]
                xyz = xyz * ((85 + 16) / 116) ** 3 / xyz[1]
                f = lambda t: np.cbrt(t) if t > (6 / 29) ** 3 else t / (3 * (6 / 29) ** 2) + 4 / 29  # noqa: E731
                fx, fy, fz = f(xyz[0] / 0.95047), f(xyz[1]), f(xyz[2] / 1.08883)
                L, a, bb = 116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)
                hue = np.degrees(np.arctan2(bb, a))
                self.assertTrue(hues[0] - 0.5 <= hue <= hues[1] + 0.5, f"{metal_id} hue {hue:.1f}")
                self.assertTrue(chromas[0] - 0.01 <= np.hypot(a, bb) / L <= chromas[1] + 0.01, f"{metal_id} C/L")
                lum = np.array([0.2126, 0.7152, 0.0722])
                self.assertAlmostEqual(float(lum @ out[5, 5]), float(lum @ lin[5, 5]), places=4)
        white = np.full((h, w, 3), 0.4, np.float32)
        np.testing.assert_array_equal(S.retint_gold(np.random.default_rng(0), white, metal, "platinum"), white)

    def test_shadows_are_darkening_in_range(self):
        rng = np.random.default_rng(2)
        alpha = np.zeros((80, 80), np.float32)
        alpha[30:50, 20:60] = 1
        for shadow in (S.cast_shadow(rng, alpha, 40.0), S.contact_shadow(rng, alpha)):
            self.assertTrue(0 <= shadow.min() and shadow.max() <= 1)
            self.assertGreater(float(shadow.max()), 0)


class ScriptedRng:
    """A stand-in for numpy's Generator: random() gives the scripted draws, then 0.9 (no optional defect);
    uniform() the middle of its range; normal() zeros."""

    def __init__(self, draws):
        self.draws = list(draws)

    def random(self):
        return self.draws.pop(0) if self.draws else 0.9

    def uniform(self, low, high):
        return (low + high) / 2

    def normal(self, loc, scale, size=None):
        return np.zeros(size) if size is not None else 0.0


class PhotographTest(unittest.TestCase):
    def test_a_lens_blur_spreads_a_blown_backdrop_into_a_dark_line_before_clipping(self):
        # A dark 1-px line on a backdrop twice as bright as white: as a lens blurs it (in linear light, before the
        # sensor clips), the backdrop's light fills the line; softened after clipping, the line stays darker.
        lin = np.full((32, 32, 3), 2.0, np.float32)
        lin[:, 16] = 0.02
        lens = S.photograph(ScriptedRng([0.0, 0.0]), lin)  # blurred, optically
        software = S.photograph(ScriptedRng([0.0, 0.9]), lin)  # blurred, after the encoding
        self.assertGreater(int(lens[8:24, 16].min()), int(software[8:24, 16].min()) + 40)
        self.assertEqual(int(lens[8:24, 2].min()), 255)  # the backdrop clips either way
        # With no share of lens blur (the composer before 0.8.0, for a control run) the same draws soften it after
        # the encoding, as the software blur does.
        control = S.photograph(ScriptedRng([0.0, 0.0]), lin, optical_share=0.0)
        self.assertEqual(int(control[8:24, 16].min()), int(software[8:24, 16].min()))


if __name__ == "__main__":
    unittest.main()
