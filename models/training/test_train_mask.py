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
class TrainMaskTestCase(unittest.TestCase):
    """Each test class below sees train_mask as self.tm."""
    def setUp(self):
        sys.path.insert(0, HERE)
        import train_mask
        self.tm = train_mask


class AverageWeightsTest(TrainMaskTestCase):
    def setUp(self):
        super().setUp()
        torch.manual_seed(0)
        self.a = self.tm.LoupeNet().state_dict()
        torch.manual_seed(1)
        b = self.tm.LoupeNet()
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

    def test_three_checkpoints_average_in_equal_parts(self):
        c = {k: v + 1 if v.is_floating_point() else v + 3 for k, v in self.b.items()}
        avg = self.tm.average_weights(self.a, self.b, c)
        k = "last.2.weight"
        torch.testing.assert_close(avg[k], (self.a[k] + self.b[k] + c[k]) / 3)
        self.assertEqual(int(avg["enc.0.1.num_batches_tracked"]), 10)

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

    def test_command_line_averages_several_checkpoints_equally(self):
        with tempfile.TemporaryDirectory() as tmp:
            c = {k: v + 1 if v.is_floating_point() else v for k, v in self.b.items()}
            paths = [os.path.join(tmp, n) for n in ("a.pt", "b.pt", "c.pt", "soup.pt")]
            for path, state, step in zip(paths, (self.a, self.b, c), (100, 200, 300)):
                torch.save({"model": state, "step": step}, path)
            run = subprocess.run([sys.executable, os.path.join(HERE, "train_mask.py"), "--steps", "0", "--threads", "1",
                                  "--pieces", tmp, "--resume", paths[2], "--average-with", paths[0], paths[1],
                                  "--checkpoint", paths[3]], capture_output=True, text=True)
            self.assertEqual(run.returncode, 0, run.stderr)
            self.assertIn("averaged in equal parts with", run.stdout)
            k = "last.2.weight"
            torch.testing.assert_close(torch.load(paths[3])["model"][k], (self.a[k] + self.b[k] + c[k]) / 3)


class WeightAveragingTest(TrainMaskTestCase):
    def snapshots(self, n):
        """n networks of different weights, the k-th (from 1) having counted k batches in its first BatchNorm."""
        states = []
        for seed in range(n):
            torch.manual_seed(seed)
            net = self.tm.LoupeNet()
            net.enc[0][1].num_batches_tracked += seed + 1
            states.append(net.state_dict())
        return states

    def test_running_average_is_the_equal_mean_of_every_snapshot(self):
        snapshots = self.snapshots(3)
        avg = self.tm.RunningAverage()
        for s in snapshots:
            avg.add(s)
        out = avg.state_dict(snapshots[0])
        for k, v in out.items():
            if v.is_floating_point():
                torch.testing.assert_close(v, sum(s[k] for s in snapshots) / 3, msg=k)
                self.assertEqual(v.dtype, snapshots[0][k].dtype)
        self.assertEqual(int(out["enc.0.1.num_batches_tracked"]), 3)  # counters: the latest snapshot's

    def test_refreshed_batchnorm_statistics_are_those_of_the_batches_seen(self):
        torch.manual_seed(0)
        net = self.tm.LoupeNet()
        bn = net.enc[0][1]
        bn.running_mean.fill_(5.0)  # stale statistics, as an average of networks leaves them
        images = [torch.rand(2, 3, 64, 64) for _ in range(3)]
        loader = [(img, None, None) for img in images]
        self.tm.refresh_batchnorm(net, loader, batches=3)
        # The first BatchNorm's input, per batch: the stem's convolution; its mean over the three equal batches.
        with torch.no_grad():
            conv = net.enc[0][0]
            expected = torch.stack([conv((img - 0.5) / 0.25).mean(dim=(0, 2, 3)) for img in images]).mean(0)
        torch.testing.assert_close(bn.running_mean, expected, rtol=1e-4, atol=1e-5)
        self.assertEqual(bn.momentum, 0.1)

    def short_run(self, steps, *flags):
        """A few steps of training on one drawn piece (2 of warm-up); returns what it printed and its checkpoints
        ck.pt, ck.swa.pt and ck.ema.pt, those it wrote."""
        from test_synth_scenes import draw_piece
        with tempfile.TemporaryDirectory() as tmp:
            draw_piece(tmp, "00000")
            run = subprocess.run([sys.executable, os.path.join(HERE, "train_mask.py"), "--pieces", tmp, "--steps", str(steps),
                                  "--crop", "64", "--batch", "2", "--threads", "1", "--warmup", "2", *flags,
                                  "--checkpoint", os.path.join(tmp, "ck.pt")], capture_output=True, text=True)
            self.assertEqual(run.returncode, 0, run.stderr)
            saved = {name: torch.load(os.path.join(tmp, name)) for name in ("ck.pt", "ck.swa.pt", "ck.ema.pt")
                     if os.path.exists(os.path.join(tmp, name))}
            return run.stdout, saved

    def test_a_constant_run_saves_the_average_of_its_snapshots_after_the_warm_up(self):
        _, saved = self.short_run(7, "--schedule", "constant", "--swa-every", "2")
        swa = saved["ck.swa.pt"]
        self.assertEqual((swa["step"], swa["snapshots"]), (7, 2))  # steps 4 and 6: after the 2 of warm-up
        end = saved["ck.pt"]["model"]
        self.assertFalse(torch.equal(swa["model"]["last.2.weight"], end["last.2.weight"]), "the average is not the end")

    def test_moving_average_moves_by_one_minus_decay_and_keeps_the_latest_counters(self):
        nets = self.snapshots(3)
        ema = self.tm.MovingAverage(nets[0], 0.9)
        ema.update(nets[1])
        ema.update(nets[2])
        out = ema.state_dict(nets[0])
        k = "last.2.weight"
        torch.testing.assert_close(out[k], 0.81 * nets[0][k] + 0.09 * nets[1][k] + 0.1 * nets[2][k])
        self.assertEqual(out[k].dtype, nets[0][k].dtype)
        self.assertEqual(int(out["enc.0.1.num_batches_tracked"]), 3)
        self.assertEqual(ema.updates, 2)
        with self.assertRaises(ValueError):
            self.tm.MovingAverage(nets[0], 1.0)

    def test_a_cosine_run_saves_the_moving_average_from_the_end_of_the_warm_up(self):
        printed, saved = self.short_run(6, "--lr", "1e-2", "--ema", "0.5")
        self.assertIn("4 updates", printed)  # started at step 2, updated at steps 3–6
        ema = saved["ck.ema.pt"]
        self.assertEqual((ema["step"], ema["ema_decay"]), (6, 0.5))
        self.assertNotIn("ck.swa.pt", saved)
        end = saved["ck.pt"]["model"]
        self.assertFalse(torch.equal(ema["model"]["last.2.weight"], end["last.2.weight"]), "the average is not the end")

    def test_an_ema_decay_outside_zero_to_one_is_refused(self):
        run = subprocess.run([sys.executable, os.path.join(HERE, "train_mask.py"), "--steps", "5", "--ema", "1.5"],
                             capture_output=True, text=True)
        self.assertEqual(run.returncode, 2)
        self.assertIn("--ema is the moving average's decay", run.stderr)

    def test_refresh_bn_is_refused_for_a_training_run(self):
        run = subprocess.run([sys.executable, os.path.join(HERE, "train_mask.py"), "--steps", "5", "--refresh-bn", "3"],
                             capture_output=True, text=True)
        self.assertEqual(run.returncode, 2)
        self.assertIn("--refresh-bn is for weights that were averaged", run.stderr)


class RenderCountTest(TrainMaskTestCase):
    def test_a_render_linked_in_twice_counts_once(self):
        with tempfile.TemporaryDirectory() as renders, tempfile.TemporaryDirectory() as weighted:
            for rid in ("00000", "08000"):
                open(os.path.join(renders, rid + ".json"), "w").close()
                open(os.path.join(renders, rid + "_rgb.png"), "w").close()
                os.symlink(os.path.join(renders, rid + ".json"), os.path.join(weighted, rid + ".json"))
            os.symlink(os.path.join(renders, "08000.json"), os.path.join(weighted, "t08000.json"))
            self.assertEqual(self.tm.count_renders(renders), 2)
            self.assertEqual(self.tm.count_renders(weighted), 2)
            self.assertEqual(self.tm.count_renders(None), 0)
            self.assertEqual(self.tm.count_renders(os.path.join(renders, "missing")), 0)


class TrainingMachineTest(TrainMaskTestCase):
    """--device and --workers: what a run on a GPU machine relies on, checked on the CPU."""

    def test_workers_compose_different_samples(self):
        # With --workers N each worker is seeded by its id: shared seeds would feed the same batch N times over.
        from test_synth_scenes import draw_piece
        with tempfile.TemporaryDirectory() as tmp:
            draw_piece(tmp, "00000")
            args = self.tm.argparse.Namespace(pieces=tmp, seed=3, crop=64, batch=1, workers=2, scenes=None, scene_share=0,
                                              new_pieces=None, new_share=0)
            first, second = [img for _, (img, *_) in zip(range(2), self.tm.scenes_loader(args, 0))]
            self.assertFalse(torch.equal(first, second))

    def test_scene_share_draws_that_share_from_the_rendered_scenes(self):
        from test_synth_scenes import draw_piece, draw_scene
        with tempfile.TemporaryDirectory() as pieces, tempfile.TemporaryDirectory() as scenes:
            draw_piece(pieces, "00000")
            draw_scene(scenes, "00000", all_metal=True)  # jewelry everywhere: a sample from it is all jewelry
            for share, expected in ((0.0, 0), (1.0, 12), (0.5, None)):
                args = self.tm.argparse.Namespace(pieces=pieces, seed=5, crop=48, batch=1, workers=0, scenes=scenes,
                                                  scene_share=share, new_pieces=None, new_share=0)
                whole = sum(bool((target[0, 0] > 0.99).all()) for _, (_, target, *_) in
                            zip(range(12), self.tm.scenes_loader(args, 0)))
                if expected is None:
                    self.assertTrue(0 < whole < 12, whole)
                else:
                    self.assertEqual(whole, expected)

    def test_new_share_draws_that_share_from_the_new_pieces_and_marks_them(self):
        from test_synth_scenes import draw_piece
        with tempfile.TemporaryDirectory() as pieces, tempfile.TemporaryDirectory() as new:
            draw_piece(pieces, "00000")
            draw_piece(new, "00000")
            for share, expected in ((0.0, 0), (1.0, 12)):
                args = self.tm.argparse.Namespace(pieces=pieces, seed=5, crop=48, batch=1, workers=0, scenes=None,
                                                  scene_share=0, new_pieces=new, new_share=share)
                marked = sum(bool(is_new[0]) for _, (*_, is_new) in zip(range(12), self.tm.scenes_loader(args, 0)))
                self.assertEqual(marked, expected)

    def test_scenes_exact_marks_the_rendered_scenes_as_keeping_their_own_masks(self):
        from test_synth_scenes import draw_piece, draw_scene
        with tempfile.TemporaryDirectory() as pieces, tempfile.TemporaryDirectory() as scenes:
            draw_piece(pieces, "00000")
            draw_scene(scenes, "00000")
            for exact, expected in ((False, 0), (True, 12)):
                args = self.tm.argparse.Namespace(pieces=pieces, seed=5, crop=48, batch=1, workers=0, scenes=scenes,
                                                  scene_share=1.0, new_pieces=None, new_share=0, scenes_exact=exact)
                marked = sum(bool(own[0]) for _, (*_, own) in zip(range(12), self.tm.scenes_loader(args, 0)))
                self.assertEqual(marked, expected)

    def test_with_a_teacher_only_the_new_pieces_keep_their_own_masks(self):
        torch.manual_seed(0)
        blind = self.tm.LoupeNet().eval()
        with torch.no_grad():
            blind.last[2].bias.fill_(-20.0)  # a teacher that sees jewelry and stones nowhere
        img = torch.rand(3, 3, 32, 32)
        target = torch.ones(3, 2, 32, 32)
        taught = self.tm.taught_targets(blind, img, target, torch.tensor([False, True, False]))
        self.assertLess(float(taught[0].max()), 1e-6)
        self.assertLess(float(taught[2].max()), 1e-6)
        self.assertTrue(torch.equal(taught[1], target[1]))

    def test_a_run_with_a_teacher_and_new_pieces_trains_and_says_so(self):
        from test_synth_scenes import draw_piece
        with tempfile.TemporaryDirectory() as tmp:
            pieces, new = os.path.join(tmp, "p"), os.path.join(tmp, "n")
            os.makedirs(pieces), os.makedirs(new)
            draw_piece(pieces, "00000")
            draw_piece(new, "00000")
            teacher, ck = os.path.join(tmp, "teacher.pt"), os.path.join(tmp, "ck.pt")
            self.tm.save(self.tm.LoupeNet(), 0, teacher)
            run = subprocess.run([sys.executable, os.path.join(HERE, "train_mask.py"), "--pieces", pieces,
                                  "--new-pieces", new, "--new-share", "0.5", "--teacher", teacher, "--steps", "2",
                                  "--crop", "64", "--batch", "2", "--threads", "1", "--workers", "0", "--device", "cpu",
                                  "--checkpoint", ck], capture_output=True, text=True)
            self.assertEqual(run.returncode, 0, run.stderr)
            self.assertIn("distilling from", run.stdout)
            self.assertEqual(torch.load(ck)["step"], 2)

    def test_a_run_on_the_cpu_says_so_and_keeps_its_checkpoint_on_the_cpu(self):
        from test_synth_scenes import draw_piece
        with tempfile.TemporaryDirectory() as tmp:
            draw_piece(tmp, "00000")
            ck = os.path.join(tmp, "ck.pt")
            run = subprocess.run([sys.executable, os.path.join(HERE, "train_mask.py"), "--pieces", tmp, "--steps", "2",
                                  "--crop", "64", "--batch", "2", "--threads", "1", "--device", "cpu", "--workers", "2",
                                  "--checkpoint", ck], capture_output=True, text=True)
            self.assertEqual(run.returncode, 0, run.stderr)
            self.assertIn("training on cpu", run.stdout)
            state = torch.load(ck)
            self.assertEqual(state["step"], 2)
            # Tells only on a GPU machine (with --device cuda there): here every tensor is on the CPU anyway.
            self.assertTrue(all(t.device.type == "cpu" for t in state["model"].values()))


class WidthsTest(TrainMaskTestCase):
    def test_a_wider_network_trains_saves_its_widths_resumes_and_exports(self):
        from test_synth_scenes import draw_piece
        with tempfile.TemporaryDirectory() as tmp:
            draw_piece(tmp, "00000")
            ck, onnx_path = os.path.join(tmp, "ck.pt"), os.path.join(tmp, "m.onnx")
            common = [sys.executable, os.path.join(HERE, "train_mask.py"), "--pieces", tmp, "--crop", "64", "--batch", "2",
                      "--threads", "1", "--checkpoint", ck]
            run = subprocess.run(common + ["--steps", "2", "--widths", "8,12,16,24,32"], capture_output=True, text=True)
            self.assertEqual(run.returncode, 0, run.stderr)
            saved = torch.load(ck)
            self.assertEqual(saved["widths"], [8, 12, 16, 24, 32])
            self.assertEqual(tuple(saved["model"]["enc.4.0.weight"].shape[:2]), (32, 24))
            # Resumed without --widths: the checkpoint's, every weight kept (nothing "trained from scratch").
            run = subprocess.run(common + ["--steps", "1", "--resume", ck], capture_output=True, text=True)
            self.assertEqual(run.returncode, 0, run.stderr)
            self.assertNotIn("trained from scratch", run.stdout)
            self.assertEqual(torch.load(ck)["step"], 3)
            run = subprocess.run(common + ["--steps", "0", "--resume", ck, "--export", onnx_path], capture_output=True, text=True)
            self.assertEqual(run.returncode, 0, run.stderr)
            self.assertTrue(os.path.getsize(onnx_path) > 0)
            # Other widths for a resumed run: refused, in words.
            run = subprocess.run(common + ["--steps", "1", "--resume", ck, "--widths", "16,24,40,64,96"], capture_output=True, text=True)
            self.assertNotEqual(run.returncode, 0)
            self.assertIn("differs from the resumed checkpoint's 8,12,16,24,32", run.stderr)

    def test_checkpoints_from_before_widths_were_recorded_are_the_default_network(self):
        net = self.tm.network_for({"model": {}, "step": 0}, None)
        self.assertEqual(net.widths, self.tm.LoupeNet.WIDTHS)
        with self.assertRaises(ValueError):
            self.tm.LoupeNet((8, 16))


class LentGpuScriptTest(TrainMaskTestCase):
    def test_the_prepared_gpu_run_trains_the_widened_network_on_a_pack_on_the_cpu(self):
        from test_synth_scenes import draw_piece, draw_scene
        with tempfile.TemporaryDirectory() as tmp:
            renders = []
            for folder in ("pieces", "scenes", "scenes06", "rscenes-train"):
                renders.append(os.path.join(tmp, folder))
                os.makedirs(renders[-1])
                (draw_piece if folder == "pieces" else draw_scene)(renders[-1], "00000")
            pack, out = os.path.join(tmp, "pack"), os.path.join(tmp, "out")
            run = subprocess.run([sys.executable, os.path.join(HERE, "pack_renders.py"), *renders, "--out", pack],
                                 capture_output=True, text=True)
            self.assertEqual(run.returncode, 0, run.stderr)
            env = dict(os.environ, PACK=pack, OUT=out, PYTHON=sys.executable, DEVICE="cpu", WORKERS="1", BATCH="2",
                       MINUTES="0.02", WIDTHS="16,24,48,64,96")
            run = subprocess.run(["bash", os.path.join(HERE, "train_on_lent_gpu.sh")], env=env, capture_output=True, text=True)
            self.assertEqual(run.returncode, 0, run.stdout + run.stderr)
            trained = torch.load(os.path.join(out, "wide-trained.pt"))
            self.assertEqual(trained["widths"], [16, 24, 48, 64, 96])
            self.assertIn("training on cpu", open(os.path.join(out, "train.log")).read())
            # Without a pack it says what to do first.
            run = subprocess.run(["bash", os.path.join(HERE, "train_on_lent_gpu.sh")],
                                 env=dict(env, PACK=os.path.join(tmp, "none")), capture_output=True, text=True)
            self.assertNotEqual(run.returncode, 0)
            self.assertIn("pack the renders first", run.stderr)


class DiceOnTest(TrainMaskTestCase):
    def test_dice_counts_only_for_the_samples_it_is_on(self):
        torch.manual_seed(0)
        masks, target = torch.randn(2, 2, 16, 16), torch.rand(2, 2, 16, 16)
        fam, family = torch.zeros(2, 3), torch.zeros(2, dtype=torch.long)
        every = self.tm.loss_fn(masks, fam, target, family)
        self.assertAlmostEqual(self.tm.loss_fn(masks, fam, target, family, dice_on=torch.ones(2)).item(), every.item(), places=5)
        none = self.tm.loss_fn(masks, fam, target, family, dice_on=torch.zeros(2)).item()
        first = self.tm.loss_fn(masks, fam, target, family, dice_on=torch.tensor([1.0, 0.0])).item()
        self.assertLess(none, first)
        self.assertLess(first, every.item())


class EdgeWeightTest(TrainMaskTestCase):
    def square(self):
        target = torch.zeros(1, 2, 16, 16)
        target[0, 0, 4:12, 4:12] = 1
        return target

    def test_the_edge_band_is_the_outline_within_the_radius_on_both_sides(self):
        band = self.tm.edge_band(self.square()[:, 0], 1)[0]
        self.assertEqual(band[8, 8].item(), 0)   # the middle of the piece
        self.assertEqual(band[0, 0].item(), 0)   # far out on the backdrop
        for y, x in ((4, 8), (3, 8), (11, 11), (12, 12), (8, 4)):  # the outline's pixels and those just outside
            self.assertEqual(band[y, x].item(), 1, (y, x))
        self.assertEqual(band[8, 5].item(), 0)   # the next pixel in: outside a 1 px band
        self.assertEqual(band.sum().item(), 10 * 10 - 6 * 6)

    def test_without_weight_the_loss_is_as_before_and_with_it_an_edge_miss_costs_more(self):
        target, family = self.square(), torch.zeros(1, dtype=torch.long)
        fam = torch.zeros(1, 3)
        right = (target * 2 - 1) * 6  # confident and right everywhere
        edge_miss, inner_miss = right.clone(), right.clone()
        edge_miss[0, 0, 4, 8] = -6   # one pixel on the outline called backdrop
        inner_miss[0, 0, 8, 8] = -6  # one pixel in the middle called backdrop
        plain = self.tm.loss_fn(edge_miss, fam, target, family)
        self.assertAlmostEqual(self.tm.loss_fn(edge_miss, fam, target, family, 0.0).item(), plain.item(), places=6)
        self.assertAlmostEqual(self.tm.loss_fn(inner_miss, fam, target, family).item(), plain.item(), places=6)
        weighted_edge = self.tm.loss_fn(edge_miss, fam, target, family, 4.0).item()
        weighted_inner = self.tm.loss_fn(inner_miss, fam, target, family, 4.0).item()
        self.assertGreater(weighted_edge, weighted_inner + 1e-3)


class WidenTest(TrainMaskTestCase):
    """widen_mask_net.py: a wider network that starts out computing what the narrow one computes."""
    def setUp(self):
        super().setUp()
        import widen_mask_net
        self.widen = widen_mask_net.widen
        torch.manual_seed(2)
        self.narrow = self.tm.LoupeNet()
        # Non-trivial BatchNorm statistics, as a trained network has: copies must carry them along.
        with torch.no_grad():
            for m in self.narrow.modules():
                if isinstance(m, torch.nn.BatchNorm2d):
                    m.running_mean.uniform_(-0.5, 0.5)
                    m.running_var.uniform_(0.5, 2.0)
                    m.weight.uniform_(0.5, 1.5)
        self.narrow.eval()
        self.x = torch.rand(2, 3, 64, 96)

    def test_without_noise_the_wider_network_computes_the_same(self):
        wide = self.widen(self.narrow, (16, 32, 64, 128, 192), noise=0.0).eval()
        self.assertEqual(wide.widths, (16, 32, 64, 128, 192))
        self.assertGreater(sum(p.numel() for p in wide.parameters()), 3 * sum(p.numel() for p in self.narrow.parameters()))
        with torch.no_grad():
            (a, fa), (b, fb) = self.narrow(self.x), wide(self.x)
        torch.testing.assert_close(b, a, atol=1e-4, rtol=1e-4)
        torch.testing.assert_close(fb, fa, atol=1e-4, rtol=1e-4)

    def test_noise_sets_the_copies_apart_a_little(self):
        old_rows = self.narrow.widths[4]

        def copies_equal_to_an_original(wide):
            # The bottleneck's first filters: copies come after the originals (readers divide only their inputs,
            # and the bottleneck's inputs are copied too, so an exact copy repeats an original row exactly).
            w = wide.enc[4][0].weight.detach().flatten(1)
            return [any(torch.equal(w[c], w[o]) for o in range(old_rows)) for c in range(old_rows, len(w))]

        self.assertTrue(all(copies_equal_to_an_original(self.widen(self.narrow, (16, 32, 64, 128, 192), noise=0.0))))
        wide = self.widen(self.narrow, (16, 32, 64, 128, 192), noise=0.01).eval()
        self.assertFalse(any(copies_equal_to_an_original(wide)))
        with torch.no_grad():
            a, b = self.narrow(self.x)[0], wide(self.x)[0]
        self.assertLess((a - b).abs().max().item(), 0.1 * a.abs().max().item())

    def test_refuses_to_narrow(self):
        with self.assertRaises(ValueError):
            self.widen(self.narrow, (16, 24, 32, 64, 96))


if __name__ == "__main__":
    unittest.main()
