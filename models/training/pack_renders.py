"""
Packs folders of renders (generate_pieces.py's output) small enough to travel to a lent GPU machine, whose
working tree may carry 64 MiB in all: the renders here are about 230 MB of PNG. Each render's image is stored
lossy (pieces: WebP with their alpha kept exact; scenes: JPEG, no chroma subsampling, so thin coloured edges
keep their colour) and its masks and .json as they are; the loaders (synth_scenes.RenderFolder) read either
form. Training photographs every sample with JPEG artefacts, noise and blur anyway, so quality 92 costs it
nothing it does not already see. Links in a folder (a render linked in twice to weight it) are packed once
each, under the link's own name: pack the folders themselves, not a folder of links.

    /usr/bin/python3 models/training/pack_renders.py build/pieces build/scenes build/scenes06 build/rscenes-train \
        --out build/gpu-pack

writes build/gpu-pack/pieces, build/gpu-pack/scenes, … (about 40 MB for those four).
"""
import argparse
import os
import shutil
import sys

from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from synth_scenes import PieceLibrary, SceneLibrary, render_ids  # noqa: E402

# What a render's image is called, as rendered and as packed (the loaders read either).
PACKED = {library.image_suffix: library.packed_suffix for library in (PieceLibrary, SceneLibrary)}


def pack_render(src_base, dst_base, quality):
    """One render (its path without suffix) into dst_base; returns the bytes written."""
    written = 0
    for rendered, packed in PACKED.items():
        if not os.path.exists(src_base + rendered):
            continue
        image = Image.open(src_base + rendered)
        if packed.endswith(".webp"):
            # Lossy colour, exact alpha (the piece's coverage is what composing lays it on the backdrop by).
            image.save(dst_base + packed, "WEBP", quality=quality, alpha_quality=100, method=4)
        else:
            image.convert("RGB").save(dst_base + packed, "JPEG", quality=quality, subsampling=0)
        written += os.path.getsize(dst_base + packed)
        break
    else:
        raise SystemExit(f"{src_base}: no _rgba.png or _rgb.png beside its .json")
    for suffix in ("_metal.png", "_stones.png", ".json"):
        shutil.copyfile(src_base + suffix, dst_base + suffix)
        written += os.path.getsize(dst_base + suffix)
    return written


def pack_folder(src, dst, quality=92):
    """Every render of src (one with a .json and a _stones.png) into dst; returns (renders, bytes)."""
    os.makedirs(dst, exist_ok=True)
    ids = render_ids(src)
    total = sum(pack_render(os.path.join(src, rid), os.path.join(dst, rid), quality) for rid in ids)
    return len(ids), total


def main():
    p = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    p.add_argument("folders", nargs="+", help="folders of renders; each is packed under its own name")
    p.add_argument("--out", required=True)
    p.add_argument("--quality", type=int, default=92)
    args = p.parse_args()
    names = [os.path.basename(os.path.normpath(f)) for f in args.folders]
    if len(set(names)) != len(names):
        sys.exit("two folders have the same name: they would be packed into one")
    grand = 0
    for folder, name in zip(args.folders, names):
        count, size = pack_folder(folder, os.path.join(args.out, name), args.quality)
        grand += size
        print(f"{folder}: {count} renders, {size / 1e6:.1f} MB")
    print(f"{args.out}: {grand / 2**20:.1f} MiB in all")


if __name__ == "__main__":
    main()
