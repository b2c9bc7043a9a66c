"""
Train Loupe's jewellery mask model on CPU, or on a GPU when there is one (`--device auto`, with `--workers` processes
composing samples to keep it fed), and export it to ONNX.

    /usr/bin/python3 models/training/train_mask.py --pieces build/pieces --steps 3000 \
        [--resume models/training/checkpoints/jewelry-mask.pt] [--export models/jewelry-mask.onnx]

An average of two checkpoints of one training path (how 0.5.0 was made), saved and exported:

    /usr/bin/python3 models/training/train_mask.py --steps 0 --resume LATER.pt --average-with EARLIER.pt \
        --checkpoint models/training/checkpoints/jewelry-mask.pt --export models/jewelry-mask.onnx

Stochastic weight averaging: a constant learning rate after the warm-up, the weights averaged every N steps
into NAME.swa.pt beside the checkpoint (BatchNorm statistics can be recomputed with --refresh-bn):

    /usr/bin/python3 models/training/train_mask.py --resume START.pt --schedule constant --lr 2e-4 --swa-every 250 \
        --checkpoint build/train/ck.pt --minutes 75

An exponential moving average of the weights beside a cosine run (`--ema 0.999`), saved as NAME.ema.pt.

The network ("LoupeNet"): a small U-Net that downsamples early (stride-2 stem), keeps a full-resolution
skip for hairline chains and prongs, and has three outputs — logits of jewellery and of stones per pixel
(metal = jewellery − stones), and the metal family (yellow gold / rose gold / white metal) from the
bottleneck. Resumable: the checkpoint holds the weights and the step count only (small enough to commit),
so a resumed run restarts the optimiser's moments, which Adam recovers from within a few hundred steps.
"""
import argparse
import copy
import hashlib
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(__file__))
from synth_scenes import OPTICAL_BLUR_SHARE, PieceLibrary, SceneLibrary, compose, rendered_scene  # noqa: E402

INPUT = 256


def block(cin, cout, stride=1):
    return nn.Sequential(
        nn.Conv2d(cin, cout, 3, stride, 1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True),
        nn.Conv2d(cout, cout, 3, 1, 1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True),
    )


class LoupeNet(nn.Module):
    WIDTHS = (16, 24, 40, 64, 96)

    def __init__(self, widths=WIDTHS):
        super().__init__()
        # Channels of the five encoder stages; the decoder mirrors them. A checkpoint records its own.
        self.widths = tuple(int(c) for c in widths)
        if len(self.widths) != 5 or min(self.widths) < 1:
            raise ValueError(f"LoupeNet takes five stage widths, not {widths}")
        w = self.widths
        self.full = nn.Sequential(nn.Conv2d(3, 8, 3, 1, 1), nn.ReLU(inplace=True))  # full-resolution skip
        self.enc = nn.ModuleList([block(3, w[0], 2), block(w[0], w[1], 2), block(w[1], w[2], 2),
                                  block(w[2], w[3], 2), block(w[3], w[4], 2)])
        self.dec = nn.ModuleList([block(w[4] + w[3], w[3]), block(w[3] + w[2], w[2]),
                                  block(w[2] + w[1], w[1]), block(w[1] + w[0], w[0])])
        self.last = nn.Sequential(nn.Conv2d(w[0] + 8, 16, 3, 1, 1), nn.ReLU(inplace=True), nn.Conv2d(16, 2, 1))
        # The family from the piece's own colour and its surround (for casts), not from the whole frame:
        # full-resolution features pooled under the predicted jewelry, pooled over the frame, and the
        # bottleneck pooled over the frame. (0.1.0 pooled the bottleneck alone and learned only the prior.)
        self.family = nn.Sequential(nn.Linear(8 + 8 + w[4], 32), nn.ReLU(inplace=True), nn.Linear(32, 3))

    def forward(self, x):
        # x: N×3×H×W, sRGB in 0..1 (H, W multiples of 32).
        x = (x - 0.5) / 0.25
        full = self.full(x)
        skips = []
        h = x
        for e in self.enc:
            h = e(h)
            skips.append(h)
        context = h.mean(dim=(2, 3))
        for d, skip in zip(self.dec, reversed(skips[:-1])):
            h = F.interpolate(h, scale_factor=2.0, mode="bilinear", align_corners=False)
            h = d(torch.cat([h, skip], 1))
        h = F.interpolate(h, scale_factor=2.0, mode="bilinear", align_corners=False)
        masks = self.last(torch.cat([h, full], 1))
        weight = torch.sigmoid(masks[:, :1]).detach()
        on_piece = (full * weight).sum(dim=(2, 3)) / (weight.sum(dim=(2, 3)) + 1.0)
        family = self.family(torch.cat([on_piece, full.mean(dim=(2, 3)), context], 1))
        return masks, family


class Scenes(torch.utils.data.IterableDataset):
    """Training samples: pieces composed on procedural backdrops, and a share of scenes rendered whole."""

    def __init__(self, folder, seed, size, scenes_folder=None, scene_share=0.0, new_folder=None, new_share=0.0,
                 scenes_exact=False, optical_share=OPTICAL_BLUR_SHARE):
        self.folder, self.seed, self.size, self.optical_share = folder, seed, size, optical_share
        self.scenes_folder, self.scene_share, self.scenes_exact = scenes_folder, scene_share, scenes_exact
        self.new_folder, self.new_share = new_folder, new_share

    def __iter__(self):
        info = torch.utils.data.get_worker_info()
        rng = np.random.default_rng(self.seed * 7919 + (info.id if info else 0))
        library = PieceLibrary(self.folder)
        rendered = SceneLibrary(self.scenes_folder) if self.scenes_folder and self.scene_share > 0 else None
        new = PieceLibrary(self.new_folder) if self.new_folder and self.new_share > 0 else None
        while True:
            # The last item says whether the sample keeps its own exact masks under a --teacher: a new kind of
            # piece (--new-pieces) always does, a rendered scene with --scenes-exact.
            is_new = new is not None and rng.random() < self.new_share
            keeps_own = is_new
            if is_new:
                img, jewel, stones, family = compose(rng, new, self.size, self.optical_share)
            elif rendered is not None and rng.random() < self.scene_share:
                img, jewel, stones, family = rendered_scene(rng, rendered, self.size, self.optical_share)
                keeps_own = self.scenes_exact
            else:
                img, jewel, stones, family = compose(rng, library, self.size, self.optical_share)
            yield (torch.from_numpy(img).permute(2, 0, 1).float() / 255,
                   torch.from_numpy(np.stack([jewel, stones])), family, keeps_own)


def taught_targets(teacher, img, target, is_new):
    """
    Distillation (--teacher): the teacher's probabilities (jewelry, stones) become the targets of every sample
    that is not of a new kind; samples of a new kind (and rendered scenes, with --scenes-exact) keep their exact
    masks. A run on new data without the renders the teacher was trained on (the scenes) otherwise drifts toward
    what the run does have: every run from 0.7.0 on the composer alone lost 0.01–0.02 of the synthetic median
    within 20 minutes.
    """
    with torch.no_grad():
        taught = torch.sigmoid(teacher(img)[0])
    return torch.where(is_new.view(-1, 1, 1, 1), target, taught)


def edge_band(jewel_t, radius):
    """1 within `radius` px of the outline of the target jewelry (on either side), else 0; N×H×W."""
    inside = (jewel_t > 0.5).float().unsqueeze(1)
    k = 2 * radius + 1
    grown = F.max_pool2d(inside, k, stride=1, padding=radius)
    shrunk = 1 - F.max_pool2d(1 - inside, k, stride=1, padding=radius)
    return (grown - shrunk).squeeze(1)


def loss_fn(masks, family_logits, target, family, edge_weight=0.0, edge_radius=2, dice_on=None):
    """dice_on (N, 0/1): the samples the Dice term counts for (default all). A teacher's soft targets get BCE only:
    Dice rewards certainty, so it pushed the teacher's 0.27–0.5 (jewelry after the export's calibration) to 0 and
    the masks shrank (a first distilled run: synthetic median 0.904 → 0.862 within 1 000 steps)."""
    jewel_t, stone_t = target[:, 0], target[:, 1]
    if edge_weight > 0:
        # Most of the shipped model's error lies within 2 px of the true outline (jewelry-mask-history.md): the
        # pixels there count 1 + edge_weight times, the loss kept a weighted mean.
        w_edge = 1 + edge_weight * edge_band(jewel_t, edge_radius)
        bce = (F.binary_cross_entropy_with_logits(masks[:, 0], jewel_t, reduction="none") * w_edge).sum() / w_edge.sum()
    else:
        bce = F.binary_cross_entropy_with_logits(masks[:, 0], jewel_t)
    p = torch.sigmoid(masks[:, 0])
    dice = 1 - (2 * (p * jewel_t).sum((1, 2)) + 1) / (p.sum((1, 2)) + jewel_t.sum((1, 2)) + 1)
    # Stones only matter on the piece: weight their loss there.
    w = 0.1 + jewel_t
    stone = (F.binary_cross_entropy_with_logits(masks[:, 1], stone_t, reduction="none") * w).sum() / w.sum()
    fam = F.cross_entropy(family_logits, family)
    dice = dice.mean() if dice_on is None else (dice * dice_on).sum() / len(dice)
    return bce + dice + 0.5 * stone + 0.2 * fam


def iou(masks, target):
    pred = masks[:, 0] > 0
    truth = target[:, 0] > 0.5
    inter = (pred & truth).sum((1, 2)).float()
    union = (pred | truth).sum((1, 2)).float()
    return (inter / union.clamp(min=1)).mean().item()


def count_renders(folder):
    """Renders in a folder (each has a .json), a render linked in twice counted once: a folder of links can
    weight some renders (e.g. the light-tent scenes twice), and the description should say what was rendered."""
    if not folder or not os.path.isdir(folder):
        return 0
    return len({os.path.realpath(os.path.join(folder, f)) for f in os.listdir(folder) if f.endswith(".json")})


def export(model, path, step, pieces, version, jewel_bias=0.0, scenes=0):
    """The .onnx and, beside it, the description the loaders check it against (sha256)."""
    model.eval()
    if jewel_bias:
        # Calibration: shift the jewelry logits so that p = 0.5 falls where the measured IoU is best (the
        # network leans toward "background" at thin and bright edges). On a copy: the trained weights stay as
        # they are.
        model = copy.deepcopy(model)
        with torch.no_grad():
            model.last[2].bias[0] += jewel_bias
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    dummy = torch.rand(1, 3, INPUT, INPUT)
    torch.onnx.export(model, dummy, path, opset_version=13, input_names=["image"], output_names=["masks", "family"],
                      dynamic_axes={"image": {2: "height", 3: "width"}, "masks": {2: "height", 3: "width"}})
    with open(path, "rb") as f:
        sha256 = hashlib.sha256(f.read()).hexdigest()
    info = {
        "file": os.path.basename(path), "sha256": sha256, "version": version,
        "input": {"name": "image", "layout": "NCHW", "values": "sRGB 0..1", "sizeMultiple": 32},
        "outputs": {"masks": "logits, channel 0 jewelry, channel 1 stones", "family": "logits: yellow-gold, rose-gold, white-metal"},
        "training": {"steps": step, "renderedPieces": pieces, **({"renderedScenes": scenes} if scenes else {})},
        "calibration": {"jewelryLogitBias": jewel_bias},
    }
    with open(os.path.splitext(path)[0] + ".json", "w") as f:
        json.dump(info, f, indent=1)
        f.write("\n")
    print(f"exported {path} ({os.path.getsize(path) / 1e6:.2f} MB, sha256 {sha256[:12]}…)")


def float64_copy(state):
    """A state dict's copy to average into: float tensors in float64 (a long average loses no small steps),
    counters as they are."""
    return {k: v.detach().double().clone() if v.is_floating_point() else v.clone() for k, v in state.items()}


def cast_like(mean, like):
    """An average back in the dtypes and devices of the network's own state dict `like`."""
    return {k: mean[k].to(like[k].device, like[k].dtype) for k in like}


class RunningAverage:
    """Stochastic weight averaging (Izmailov et al., 2018): the equal average of snapshots taken along one run at
    a constant learning rate, which lands nearer the middle of a wide optimum than any single snapshot. 0.5.0
    was a two-point version of this (0.4.0 and the end of the run resumed from it)."""

    def __init__(self):
        self.mean, self.count = None, 0

    def add(self, state):
        self.count += 1
        if self.mean is None:
            self.mean = float64_copy(state)
            return
        for k, v in state.items():
            if v.is_floating_point():
                self.mean[k] += (v.double() - self.mean[k]) / self.count
            else:
                self.mean[k] = v.clone()

    def state_dict(self, like):
        return cast_like(self.mean, like)


class MovingAverage:
    """An exponential moving average of the weights (Polyak averaging with exponential weights), kept beside a
    decaying run: each step moves it `1 - decay` of the way to the new weights, so it averages about the last
    1 / (1 - decay) steps with more weight on the later ones. Unlike --swa-every it needs no constant learning
    rate, and unlike averaging a run's end with its start it stays on the run's late path. BatchNorm's running
    statistics are averaged the same way; counters are the latest."""

    def __init__(self, state, decay):
        if not 0 < decay < 1:
            raise ValueError(f"the moving average's decay must lie between 0 and 1, not {decay}")
        self.decay, self.updates = decay, 0
        self.mean = float64_copy(state)

    def update(self, state):
        self.updates += 1
        with torch.no_grad():
            for k, v in state.items():
                if v.is_floating_point():
                    self.mean[k].mul_(self.decay).add_(v.detach().double(), alpha=1 - self.decay)
                else:
                    self.mean[k] = v.clone()

    def state_dict(self, like):
        return cast_like(self.mean, like)


def average_weights(*states):
    """The equal-weight average of state dicts of one network: a "soup" of points of one training path, or of
    runs of one recipe from one start (Wortsman et al., 2022).

    Averaging 0.4.0 with the end of the run resumed from it kept most of what each did better (the later run
    gained on synthetic scenes and lost a little on real photos; the average gained on both). Float tensors
    (weights, BatchNorm's running statistics) are averaged; counters are taken from the last, the later point.
    """
    first = states[0]
    if any(s.keys() != first.keys() or any(s[k].shape != first[k].shape for k in first) for s in states[1:]):
        raise ValueError("the checkpoints are not of the same network: their tensors differ in names or shapes")
    average = RunningAverage()
    for state in states:
        average.add(state)
    return average.state_dict(first)


def refresh_batchnorm(model, loader, batches, device="cpu"):
    """BatchNorm's running statistics recomputed, as a plain mean over `batches` training batches, for weights
    that no run produced (an average): the averaged statistics belong to none of the averaged networks."""
    norms = [m for m in model.modules() if isinstance(m, nn.BatchNorm2d)]
    momenta = [m.momentum for m in norms]
    for m in norms:
        m.reset_running_stats()
        m.momentum = None  # cumulative average
    model.train()
    with torch.no_grad():
        for _, (img, *_) in zip(range(batches), loader):
            model(img.to(device))
    for m, momentum in zip(norms, momenta):
        m.momentum = momentum
    print(f"BatchNorm statistics recomputed over {batches} batches")


def on_cpu(state):
    """Checkpoints are kept on the CPU, so that one trained on a GPU resumes and exports anywhere."""
    return {k: v.detach().cpu() for k, v in state.items()}


def save(model, step, path):
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    torch.save({"model": on_cpu(model.state_dict()), "step": step, "widths": list(model.widths)}, path)


def save_average(average, model, step, path, **about):
    """A weight average saved as a checkpoint, with what says how it was made (`snapshots`, `ema_decay`)."""
    torch.save({"model": on_cpu(average.state_dict(model.state_dict())), "step": step, **about,
                "widths": list(model.widths)}, path)


def network_for(resume_state, widths_arg):
    """The network a run trains: the resumed checkpoint's widths (checkpoints before widths were recorded are
    the default ones), or --widths for a new network; asking a resumed run for other widths is an error."""
    asked = tuple(int(c) for c in widths_arg.split(",")) if widths_arg else None
    if resume_state is None:
        return LoupeNet(asked or LoupeNet.WIDTHS)
    recorded = tuple(resume_state.get("widths", LoupeNet.WIDTHS))
    if asked and asked != recorded:
        raise SystemExit(f"--widths {widths_arg} differs from the resumed checkpoint's {','.join(map(str, recorded))}: "
                         "a wider network starts from scratch (leave out --resume)")
    return LoupeNet(recorded)


def scenes_loader(args, start):
    # Each worker composes its own samples (seeded by its id): on a GPU machine, many workers keep it fed.
    scenes = Scenes(args.pieces, args.seed + start, args.crop, args.scenes, args.scene_share, args.new_pieces, args.new_share,
                    getattr(args, "scenes_exact", False), getattr(args, "optical_blur_share", OPTICAL_BLUR_SHARE))
    return torch.utils.data.DataLoader(scenes, batch_size=args.batch, num_workers=args.workers)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--pieces", default="build/pieces")
    p.add_argument("--scenes", help="pieces rendered on a visible surface (generate_pieces.py --in-scene)")
    p.add_argument("--scene-share", type=float, default=0.35, help="share of samples drawn from --scenes")
    p.add_argument("--steps", type=int, default=2000)
    p.add_argument("--batch", type=int, default=8)
    p.add_argument("--crop", type=int, default=192, help="training crop size (the network is fully convolutional)")
    p.add_argument("--lr", type=float, default=2e-3)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--workers", type=int, default=1, help="processes composing training samples")
    p.add_argument("--device", default="auto", help="cpu, cuda, or auto (cuda when there is one)")
    p.add_argument("--resume")
    p.add_argument("--widths", help="channels of the five encoder stages of a new network, e.g. 24,32,56,96,144 "
                   "(default 16,24,40,64,96; a resumed run keeps its checkpoint's)")
    p.add_argument("--average-with", nargs="+", help="checkpoints to average the resumed weights with, all in equal "
                   "parts, before training or export; with --steps 0 the average is saved to --checkpoint")
    p.add_argument("--checkpoint", default="models/training/checkpoints/jewelry-mask.pt")
    p.add_argument("--export")
    p.add_argument("--version", default="0.1.0")
    p.add_argument("--jewel-bias", type=float, default=0.0, help="added to the jewelry logits in the exported model only (calibration)")
    p.add_argument("--minutes", type=float, help="wall-clock budget: the schedule follows whichever of steps or time runs out first")
    p.add_argument("--edge-weight", type=float, default=0.0,
                   help="extra weight of the jewelry loss within --edge-radius px of the true outline (0: none)")
    p.add_argument("--edge-radius", type=int, default=2, help="see --edge-weight")
    p.add_argument("--optical-blur-share", type=float, default=OPTICAL_BLUR_SHARE,
                   help="of the blurred samples, the share blurred in linear light before clipping, as a lens blurs "
                        "(0.8.0's composer); 0 softens them all after the encoding, as before 0.8.0 (the lens blur's "
                        "control run)")
    p.add_argument("--warmup", type=int, default=100, help="steps of linear warm-up (a resumed run restarts Adam's moments)")
    p.add_argument("--schedule", choices=("cosine", "constant"), default="cosine",
                   help="learning rate after the warm-up: cosine decay to 0, or constant (for --swa-every)")
    p.add_argument("--swa-every", type=int, default=0, help="after the warm-up, average the weights every N steps; "
                   "the average is saved beside --checkpoint as NAME.swa.pt")
    p.add_argument("--ema", type=float, default=0.0, help="also keep an exponential moving average of the weights "
                   "with this decay per step (e.g. 0.999: about the last 1 000 steps), from the end of the warm-up; "
                   "saved beside --checkpoint as NAME.ema.pt")
    p.add_argument("--new-pieces", help="pieces of a kind the model has not seen (e.g. pearls), drawn for --new-share "
                   "of the samples and always learned from their exact masks")
    p.add_argument("--new-share", type=float, default=0.3, help="share of samples drawn from --new-pieces")
    p.add_argument("--teacher", help="a checkpoint whose predictions replace the masks of every sample not from "
                   "--new-pieces (nor from --scenes, with --scenes-exact) (distillation): the model learns the new "
                   "kind while keeping what the teacher does on the rest, instead of drifting toward whatever data "
                   "this run lacks (the scenes)")
    p.add_argument("--scenes-exact", action="store_true", help="with --teacher, the rendered scenes (--scenes) keep "
                   "their exact masks as the new pieces do: the run learns the scenes while the teacher holds what it "
                   "does on the composed pieces")
    p.add_argument("--refresh-bn", type=int, default=0, help="recompute BatchNorm statistics over N training batches "
                   "before saving and exporting (for averaged weights)")
    args = p.parse_args()
    if args.scenes_exact and not args.teacher:
        p.error("--scenes-exact says which samples keep their own masks under a --teacher: give one")
    if args.refresh_bn and args.steps > 0:
        p.error("--refresh-bn is for weights that were averaged, not trained: use it with --steps 0 (for a run's "
                "weight average, on NAME.swa.pt after the run)")
    if args.ema and not 0 < args.ema < 1:
        p.error(f"--ema is the moving average's decay per step and lies between 0 and 1 (e.g. 0.999), not {args.ema}")
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    if args.device == "auto":
        args.device = "cuda" if torch.cuda.is_available() else "cpu"
    device = torch.device(args.device)
    state = torch.load(args.resume, map_location="cpu") if args.resume and os.path.exists(args.resume) else None
    model = network_for(state, args.widths)
    start = 0
    if state is not None:
        # A checkpoint from before a head changed shape: keep what fits, the new head starts fresh.
        own = model.state_dict()
        fitting = {k: v for k, v in state["model"].items() if k in own and own[k].shape == v.shape}
        fresh = sorted(set(own) - set(fitting))
        if fresh:
            print(f"not in the checkpoint (trained from scratch): {', '.join(fresh)}")
        model.load_state_dict(fitting, strict=False)
        start = state["step"]
        print(f"resumed at step {start}")
    if args.average_with:
        others = [torch.load(path, map_location="cpu") for path in args.average_with]
        model.load_state_dict(average_weights(*(o["model"] for o in others), model.state_dict()))
        print("averaged in equal parts with " + ", ".join(f"{path} (step {o['step']})" for path, o in zip(args.average_with, others)))
    if args.steps <= 0 and args.refresh_bn:
        refresh_batchnorm(model.to(device), scenes_loader(args, start), args.refresh_bn, device)
    if args.steps <= 0 and (args.average_with or args.refresh_bn):
        save(model, start, args.checkpoint)
    print(f"parameters: {sum(t.numel() for t in model.parameters()) / 1e6:.2f} M")
    if args.steps > 0:
        print(f"training on {device}")
        model.to(device)
        loader = scenes_loader(args, start)
        teacher = None
        if args.teacher:
            t_state = torch.load(args.teacher, map_location="cpu")
            teacher = LoupeNet(tuple(t_state.get("widths", LoupeNet.WIDTHS)))
            teacher.load_state_dict(t_state["model"])
            teacher.to(device).eval()
            own = "--new-pieces or --scenes" if args.scenes_exact else "--new-pieces"
            print(f"distilling from {args.teacher} (step {t_state['step']}) on samples not from {own}")
        opt = torch.optim.Adam(model.parameters(), lr=args.lr)
        swa = RunningAverage() if args.swa_every > 0 else None
        swa_path = os.path.splitext(args.checkpoint)[0] + ".swa.pt"
        ema, ema_path = None, os.path.splitext(args.checkpoint)[0] + ".ema.pt"
        total = start + args.steps
        model.train()
        t0, running, running_iou, last = time.time(), 0.0, 0.0, start
        for step, (img, target, family, is_new) in zip(range(start, total), loader):
            img, target, family = img.to(device), target.to(device), family.to(device)
            if teacher is not None:
                target = taught_targets(teacher, img, target, is_new.to(device))
            # Cosine over this run (not from step 0: a resumed run would start at a learning rate near 0),
            # measured in steps or in wall-clock time, whichever is further along.
            done = (step - start) / args.steps
            if args.minutes:
                done = max(done, (time.time() - t0) / (60 * args.minutes))
            if done >= 1:
                break
            decay = 1.0 if args.schedule == "constant" else 0.5 * (1 + math.cos(math.pi * done))
            lr = args.lr * min(1.0, (step - start + 1) / args.warmup) * decay
            for g in opt.param_groups:
                g["lr"] = lr
            masks, fam = model(img)
            loss = loss_fn(masks, fam, target, family, args.edge_weight, args.edge_radius,
                           is_new.to(device).float() if teacher is not None else None)
            opt.zero_grad()
            loss.backward()
            opt.step()
            running = 0.95 * running + 0.05 * loss.item() if step > start else loss.item()
            running_iou = 0.95 * running_iou + 0.05 * iou(masks.detach(), target)
            if (step + 1) % 50 == 0:
                print(f"step {step + 1}/{total} loss {running:.4f} train IoU {running_iou:.3f} lr {lr:.5f} "
                      f"{(time.time() - t0) / (step + 1 - start):.2f} s/step", flush=True)
            if swa and step + 1 - start > args.warmup and (step + 1 - start) % args.swa_every == 0:
                swa.add(model.state_dict())
            if args.ema and step + 1 - start >= args.warmup:
                # Started where the warm-up ends, from the weights there: the resumed start is not averaged in.
                if ema is None:
                    ema = MovingAverage(model.state_dict(), args.ema)
                else:
                    ema.update(model.state_dict())
            if (step + 1) % 250 == 0 or step + 1 == total:
                save(model, step + 1, args.checkpoint)
                if swa and swa.count:
                    save_average(swa, model, step + 1, swa_path, snapshots=swa.count)
                if ema:
                    save_average(ema, model, step + 1, ema_path, ema_decay=ema.decay)
            last = step + 1
        save(model, last, args.checkpoint)
        if swa and swa.count:
            save_average(swa, model, last, swa_path, snapshots=swa.count)
            print(f"weight average of {swa.count} snapshots saved to {swa_path}")
        if ema:
            save_average(ema, model, last, ema_path, ema_decay=ema.decay)
            print(f"moving average of the weights (decay {ema.decay}, {ema.updates} updates) saved to {ema_path}")
        args.steps = last - start
    if args.export:
        export(model.cpu(), args.export, start + max(0, args.steps), count_renders(args.pieces), args.version,
               args.jewel_bias, count_renders(args.scenes))


if __name__ == "__main__":
    main()
