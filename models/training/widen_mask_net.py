"""
Widens a trained LoupeNet without changing what it computes (Net2WiderNet, Chen et al. 2016), so that a wider
network starts from the shipped one instead of from scratch — on two CPU cores, a run from scratch would take
as many sessions as the shipped network took.

Each widened channel copies one of the old channels (its convolution filter and its BatchNorm), chosen at
random; every layer that reads the copied channel divides its weights over the copies, so the sum is unchanged.
A little noise on the copies' incoming filters lets training pull them apart (identical copies would get
identical gradients and stay copies).

    python3 models/training/widen_mask_net.py models/training/checkpoints/jewelry-mask.pt build/train/wide.pt \
        --widths 16,32,64,128,192
"""
import argparse
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from train_mask import LoupeNet, network_for  # noqa: E402


def channel_map(old, new, gen):
    """For each of `new` channels, the old channel it copies: the old ones in order, then random repeats."""
    if new < old:
        raise ValueError(f"cannot narrow a stage from {old} to {new} channels")
    extra = torch.randint(old, (new - old,), generator=gen)
    return torch.cat([torch.arange(old), extra])


def reader_map(segments):
    """Input channel map of a layer reading concatenated tensors: (old index, share) per new input channel."""
    index, share, offset = [], [], 0
    for m, old in segments:
        counts = torch.bincount(m, minlength=old).float()
        index.append(m + offset)
        share.append(1.0 / counts[m])
        offset += old
    return torch.cat(index), torch.cat(share)


def widen_conv(conv, old_conv, out_map, in_map, noise, gen):
    w = old_conv.weight.data[out_map][:, in_map[0]] * in_map[1].view(1, -1, 1, 1)
    copies = torch.zeros(len(out_map), dtype=torch.bool)
    copies[old_conv.out_channels:] = True
    if noise > 0 and copies.any():
        w[copies] += noise * w[copies].std() * torch.randn(w[copies].shape, generator=gen)
    conv.weight.data.copy_(w)
    if conv.bias is not None:
        conv.bias.data.copy_(old_conv.bias.data[out_map])


def widen_bn(bn, old_bn, out_map):
    for name in ("weight", "bias", "running_mean", "running_var"):
        getattr(bn, name).data.copy_(getattr(old_bn, name).data[out_map])
    bn.num_batches_tracked.data.copy_(old_bn.num_batches_tracked.data)


def identity(n):
    return torch.arange(n)


def widen(old, widths, noise=0.01, seed=0):
    """A LoupeNet of `widths` computing what `old` computes (up to the noise on the copies)."""
    gen = torch.Generator().manual_seed(seed)
    new = LoupeNet(widths)
    ow, nw = old.widths, new.widths
    new.full.load_state_dict(old.full.state_dict())
    skip_width = old.full[0].out_channels  # the full-resolution skip keeps its width
    full = (identity(skip_width), skip_width)

    def widen_block(block, old_block, in_segments, old_width, new_width):
        mid = channel_map(old_width, new_width, gen)
        out = channel_map(old_width, new_width, gen)
        widen_conv(block[0], old_block[0], mid, reader_map(in_segments), noise, gen)
        widen_bn(block[1], old_block[1], mid)
        widen_conv(block[3], old_block[3], out, reader_map([(mid, old_width)]), noise, gen)
        widen_bn(block[4], old_block[4], out)
        return out

    enc_out = []
    for k in range(5):
        reads = enc_out[-1] if enc_out else (identity(3), 3)
        enc_out.append((widen_block(new.enc[k], old.enc[k], [reads], ow[k], nw[k]), ow[k]))
    h = enc_out[4]
    for j in range(4):
        skip = enc_out[3 - j]
        m = widen_block(new.dec[j], old.dec[j], [h, skip], ow[3 - j], nw[3 - j])
        h = (m, ow[3 - j])
    widen_conv(new.last[0], old.last[0], identity(old.last[0].out_channels), reader_map([h, full]), 0.0, gen)
    new.last[2].load_state_dict(old.last[2].state_dict())
    # The family head reads the full-resolution features twice and the bottleneck's mean.
    index, share = reader_map([full, full, enc_out[4]])
    new.family[0].weight.data.copy_(old.family[0].weight.data[:, index] * share.view(1, -1))
    new.family[0].bias.data.copy_(old.family[0].bias.data)
    new.family[2].load_state_dict(old.family[2].state_dict())
    return new


def main():
    p = argparse.ArgumentParser()
    p.add_argument("source")
    p.add_argument("out")
    p.add_argument("--widths", required=True, help="channels of the five encoder stages, each at least the source's")
    p.add_argument("--noise", type=float, default=0.01, help="noise on the copies' filters, in units of their spread")
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args()
    state = torch.load(args.source, map_location="cpu")
    old = network_for(state, None)
    old.load_state_dict(state["model"])
    new = widen(old, tuple(int(c) for c in args.widths.split(",")), args.noise, args.seed)
    torch.save({"model": new.state_dict(), "step": state["step"], "widths": list(new.widths)}, args.out)
    count = lambda m: sum(t.numel() for t in m.parameters()) / 1e6  # noqa: E731
    print(f"{count(old):.2f} M → {count(new):.2f} M parameters, step {state['step']}, saved to {args.out}")


if __name__ == "__main__":
    main()
