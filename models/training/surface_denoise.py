"""
Smooths the render grain of the surface a piece lies on, leaving the piece itself as rendered.

Debian's Blender has no OpenImageDenoise, so an in-scene render at 32 samples leaves skin (its subsurface light
is the noisiest) covered in a grain that photographed skin does not have; a model trained on it learns that
skin is grainy. Blender's compositor cannot do this instead: its denoiser needs OpenImageDenoise, and its
bilateral blur cannot leave the piece out of the average. numpy and SciPy only, so it is tested without Blender
(test_surface_denoise.py); generate_pieces.py --denoise-surface calls denoise_surface_files on each render.
"""
import math
import os

import numpy as np
from scipy.ndimage import minimum_filter

# Pixels of the surface this close to the piece (in pixels) stay raw: the piece's edge is the label's edge.
KEEP_RAW_WITHIN = 2


def denoise_surface(rgb, piece, radius=4, sigma_space=3.0, sigma_range=0.15):
    """rgb: H×W×3 floats in 0..1; piece: H×W coverage of the piece (metal or stones) in 0..1. Returns the image
    with the surface's pixels (those at least KEEP_RAW_WITHIN + 1 pixels from any piece pixel) replaced by a
    bilateral average of surface pixels alone (so shadow edges and the skin's horizon stay, and the piece's
    colours never bleed onto the surface); every other pixel is returned unchanged."""
    rgb = np.asarray(rgb, dtype=np.float32)
    surface = (np.asarray(piece) == 0).astype(np.float32)
    h, w = surface.shape
    # Surface pixels with no piece pixel within KEEP_RAW_WITHIN (a square window).
    far = minimum_filter(surface, size=2 * KEEP_RAW_WITHIN + 1, mode="nearest")
    r = radius
    prgb = np.pad(rgb, [(r, r), (r, r), (0, 0)], mode="edge")
    psurf = np.pad(surface, r, mode="edge")
    total, weight = np.zeros_like(rgb), np.zeros((h, w, 1), dtype=np.float32)
    for dy in range(-r, r + 1):
        for dx in range(-r, r + 1):
            other = prgb[r + dy:r + dy + h, r + dx:r + dx + w]
            wk = (math.exp(-(dx * dx + dy * dy) / (2 * sigma_space ** 2))
                  * np.exp(-((other - rgb) ** 2).sum(-1, keepdims=True) / (2 * sigma_range ** 2))
                  * psurf[r + dy:r + dy + h, r + dx:r + dx + w, None])
            total += wk * other
            weight += wk
    smooth = total / np.maximum(weight, 1e-6)
    return np.where(far[..., None] > 0, smooth, rgb)


def denoise_surface_files(prefix):
    """Rewrites PREFIX_rgb.png in place, the piece read from PREFIX_metal.png and PREFIX_stones.png."""
    from PIL import Image
    rgb = np.asarray(Image.open(prefix + "_rgb.png").convert("RGB"), dtype=np.float32) / 255
    piece = np.zeros(rgb.shape[:2], dtype=np.float32)
    for name in ("metal", "stones"):
        if os.path.exists(f"{prefix}_{name}.png"):
            piece = np.maximum(piece, np.asarray(Image.open(f"{prefix}_{name}.png").convert("L"), dtype=np.float32) / 255)
    out = denoise_surface(rgb, piece)
    Image.fromarray(np.clip(out * 255 + 0.5, 0, 255).astype(np.uint8)).save(prefix + "_rgb.png")
