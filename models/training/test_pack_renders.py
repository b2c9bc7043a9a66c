"""Checks of pack_renders.py on drawn renders: the packed folder is smaller, the loaders read it, the pieces'
alpha and every mask come back exact and the images within what quality 92 costs."""
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

import numpy as np
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import synth_scenes as S  # noqa: E402
from test_synth_scenes import draw_piece, draw_scene  # noqa: E402


def packed_and_rendered(library_class, src, dst, rid):
    """The render `rid` as the loader reads it from the pack and from where it was rendered."""
    def read(folder):
        library = library_class(folder)
        return library.get(library.ids.index(rid))
    return read(dst), read(src)


class PackRendersTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, self.tmp)
        self.pieces, self.scenes = os.path.join(self.tmp, "pieces"), os.path.join(self.tmp, "scenes")
        os.makedirs(self.pieces)
        os.makedirs(self.scenes)
        draw_piece(self.pieces, "00000")
        draw_piece(self.pieces, "00001", family="yellow-gold")
        draw_scene(self.scenes, "09000")
        # A render's grain (what makes its PNG large), on a second scene.
        draw_scene(self.scenes, "09001")
        grainy = os.path.join(self.scenes, "09001_rgb.png")
        rgb = np.asarray(Image.open(grainy), dtype=np.float32)
        rgb += np.random.default_rng(0).normal(0, 6, rgb.shape)
        Image.fromarray(np.clip(rgb, 0, 255).astype(np.uint8)).save(grainy)
        self.out = os.path.join(self.tmp, "pack")
        run = subprocess.run([sys.executable, os.path.join(HERE, "pack_renders.py"), self.pieces, self.scenes,
                              "--out", self.out], capture_output=True, text=True)
        self.assertEqual(run.returncode, 0, run.stderr)
        self.report = run.stdout

    def test_the_loaders_read_the_pack_with_alpha_and_masks_exact(self):
        for library_class, folder, rid in ((S.PieceLibrary, "pieces", "00001"), (S.SceneLibrary, "scenes", "09000")):
            src, dst = os.path.join(self.tmp, folder), os.path.join(self.out, folder)
            self.assertFalse(any(f.endswith(library_class.image_suffix) for f in os.listdir(dst)), "the PNG travelled")
            (image, metal, stones, info), (image0, metal0, stones0, info0) = packed_and_rendered(library_class, src, dst, rid)
            self.assertEqual(image.shape, image0.shape)
            self.assertEqual(info, info0)
            np.testing.assert_array_equal(metal, metal0)
            np.testing.assert_array_equal(stones, stones0)
            if library_class is S.PieceLibrary:
                np.testing.assert_array_equal(image[..., 3], image0[..., 3])
                covered = image0[..., 3] > 0.99  # colour under no alpha is anything: compare where the piece is
                colour, colour0 = image[..., :3][covered], image0[..., :3][covered]
            else:
                colour, colour0 = image, image0
            self.assertLess(np.abs(colour - colour0).mean(), 2 / 255)

    def test_a_grainy_render_packs_smaller_and_the_report_says_the_sizes(self):
        rendered = os.path.getsize(os.path.join(self.scenes, "09001_rgb.png"))
        packed = os.path.getsize(os.path.join(self.out, "scenes", "09001_rgb.jpg"))
        self.assertLess(packed, rendered / 2)
        self.assertIn("pieces: 2 renders", self.report)
        self.assertIn("scenes: 2 renders", self.report)
        self.assertIn("MiB in all", self.report)

    def test_two_folders_of_one_name_are_refused(self):
        other = os.path.join(self.tmp, "elsewhere", "pieces")
        os.makedirs(other)
        run = subprocess.run([sys.executable, os.path.join(HERE, "pack_renders.py"), self.pieces, other, "--out",
                              os.path.join(self.tmp, "pack2")], capture_output=True, text=True)
        self.assertNotEqual(run.returncode, 0)
        self.assertIn("same name", run.stderr)


if __name__ == "__main__":
    unittest.main()
