"""
Trains the edge refiner: a tiny network that sharpens the jewelry mask's outline at the photo's own resolution.

The mask network sees the piece at 320 px (see src/engine/segmentation/modelMask.ts); a 512 px render or a
24 MP photo has more pixels than that, and most of the mask's remaining error lies within 1.5 px of the true
edge, in or out depending on the scene (model card, "Where the errors are"). The refiner takes the photo
(RGB) and the mask network's upsampled probability at up to 768 px and adds a correction to its logit.
It is trained on the same composed and rendered scenes as the mask network, with a frozen mask network
(the shipped checkpoint) producing its input exactly as the pipeline does: the sample shrunk to a multiple
of 32, seen as is and mirrored, averaged, upsampled.

    python3 models/training/train_refiner.py --mask-checkpoint models/training/checkpoints/jewelry-mask.pt \
        --pieces build/pieces --scenes build/scenes --minutes 60 --checkpoint build/train/refiner.pt
"""
import argparse
import math
import os
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from train_mask import Scenes, network_for  # noqa: E402


class EdgeRefiner(nn.Module):
    """RGB + a probability in, the refined probability out. Dilated 3×3 convolutions see ±15 px."""

    def __init__(self, channels=12):
        super().__init__()
        c = channels
        self.channels = c
        self.body = nn.Sequential(
            nn.Conv2d(4, c, 3, 1, 1), nn.ReLU(inplace=True),
            nn.Conv2d(c, c, 3, 1, 2, dilation=2), nn.ReLU(inplace=True),
            nn.Conv2d(c, c, 3, 1, 4, dilation=4), nn.ReLU(inplace=True),
            nn.Conv2d(c, c, 3, 1, 8, dilation=8), nn.ReLU(inplace=True),
            nn.Conv2d(c, c, 3, 1, 1), nn.ReLU(inplace=True),
            nn.Conv2d(c, 1, 1),
        )
        # Starts as the identity: the correction is learned, never the whole mask.
        nn.init.zeros_(self.body[-1].weight)
        nn.init.zeros_(self.body[-1].bias)

    def forward(self, rgb, prob):
        p = prob.clamp(1e-4, 1 - 1e-4)
        logit = torch.log(p / (1 - p))
        x = torch.cat([(rgb - 0.5) / 0.25, 2 * p - 1], 1)
        return logit + self.body(x)  # logits


def mask_input(mask_net, rgb, size, bias):
    """The pipeline's zoomed pass on a batch: shrunk to size², as seen and mirrored, averaged, upsampled back."""
    h, w = rgb.shape[2:]
    small = F.interpolate(rgb, size=(size, size), mode="area")
    with torch.no_grad():
        a, _ = mask_net(small)
        b, _ = mask_net(small.flip(3))
        p = (torch.sigmoid(a[:, :1] + bias) + torch.sigmoid(b[:, :1].flip(3) + bias)) / 2
    return F.interpolate(p, size=(h, w), mode="bilinear", align_corners=False)


def edge_patches(img, prob, jewel, side, gen):
    """One side² patch per sample, centred on a pixel of the true outline (the refiner is local; so is its work)."""
    edge = (F.max_pool2d(jewel, 3, 1, 1) - -F.max_pool2d(-jewel, 3, 1, 1)) > 0.5
    h, w = jewel.shape[2:]
    crops = []
    for i in range(img.shape[0]):
        ys, xs = torch.nonzero(edge[i, 0], as_tuple=True)
        if len(ys):
            k = int(torch.randint(len(ys), (1,), generator=gen))
            cy, cx = int(ys[k]), int(xs[k])
        else:
            cy, cx = h // 2, w // 2
        y0, x0 = min(max(0, cy - side // 2), h - side), min(max(0, cx - side // 2), w - side)
        crops.append((y0, x0))
    cut = lambda t: torch.stack([t[i, :, y:y + side, x:x + side] for i, (y, x) in enumerate(crops)])  # noqa: E731
    return cut(img), cut(prob), cut(jewel)


def loss_fn(logits, target):
    bce = F.binary_cross_entropy_with_logits(logits, target)
    p = torch.sigmoid(logits)
    dice = 1 - (2 * (p * target).sum((1, 2, 3)) + 1) / (p.sum((1, 2, 3)) + target.sum((1, 2, 3)) + 1)
    return bce + dice.mean()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--mask-checkpoint", default="models/training/checkpoints/jewelry-mask.pt")
    p.add_argument("--jewel-bias", type=float, default=1.0, help="the mask network's shipped calibration")
    p.add_argument("--pieces", default="build/pieces")
    p.add_argument("--scenes")
    p.add_argument("--scene-share", type=float, default=0.35)
    p.add_argument("--crop", type=int, default=256)
    p.add_argument("--batch", type=int, default=8)
    p.add_argument("--channels", type=int, default=12)
    p.add_argument("--patch", type=int, default=128, help="side of the patch on the outline trained per sample")
    p.add_argument("--lr", type=float, default=2e-3)
    p.add_argument("--steps", type=int, default=100000)
    p.add_argument("--minutes", type=float)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--resume")
    p.add_argument("--checkpoint", default="build/train/refiner.pt")
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    state = torch.load(args.mask_checkpoint, map_location="cpu")
    mask_net = network_for(state, None)
    mask_net.load_state_dict(state["model"])
    mask_net.eval()
    refiner = EdgeRefiner(args.channels)
    start = 0
    if args.resume and os.path.exists(args.resume):
        own = torch.load(args.resume, map_location="cpu")
        refiner.load_state_dict(own["model"])
        start = own["step"]
    opt = torch.optim.Adam(refiner.parameters(), lr=args.lr)
    loader = torch.utils.data.DataLoader(Scenes(args.pieces, args.seed + start, args.crop, args.scenes, args.scene_share),
                                         batch_size=args.batch, num_workers=1)
    gen = torch.Generator().manual_seed(args.seed + start)
    # The zoomed pass's size relative to the refiner's: 1× to 2.4× (the refiner runs at up to 768 px, the pass at 320).
    sizes = [s for s in range(96, args.crop + 1, 32) if args.crop / s <= 2.4]
    t0, running, gain = time.time(), None, None
    step = start
    for step, (img, target, _) in zip(range(start, start + args.steps), loader):
        done = (step - start) / args.steps
        if args.minutes:
            done = max(done, (time.time() - t0) / (60 * args.minutes))
        if done >= 1:
            break
        lr = args.lr * min(1.0, (step - start + 1) / 100) * 0.5 * (1 + math.cos(math.pi * done))
        for g in opt.param_groups:
            g["lr"] = lr
        jewel = target[:, :1]
        size = sizes[int(torch.randint(len(sizes), (1,), generator=gen))]
        prob = mask_input(mask_net, img, size, args.jewel_bias)
        img, prob, jewel = edge_patches(img, prob, jewel, args.patch, gen)
        logits = refiner(img, prob)
        loss = loss_fn(logits, jewel)
        opt.zero_grad()
        loss.backward()
        opt.step()
        with torch.no_grad():
            truth = jewel > 0.5
            before = ((prob > 0.5) & truth).sum() / ((prob > 0.5) | truth).sum().clamp(min=1)
            after = ((logits > 0) & truth).sum() / ((logits > 0) | truth).sum().clamp(min=1)
        running = loss.item() if running is None else 0.95 * running + 0.05 * loss.item()
        d = (after - before).item()
        gain = d if gain is None else 0.95 * gain + 0.05 * d
        if (step + 1) % 50 == 0:
            print(f"step {step + 1} loss {running:.4f} IoU gain {gain:+.4f} lr {lr:.5f} "
                  f"{(time.time() - t0) / (step + 1 - start):.2f} s/step", flush=True)
        if (step + 1) % 250 == 0:
            torch.save({"model": refiner.state_dict(), "step": step + 1, "channels": args.channels}, args.checkpoint)
    torch.save({"model": refiner.state_dict(), "step": step + 1, "channels": args.channels}, args.checkpoint)


if __name__ == "__main__":
    main()
