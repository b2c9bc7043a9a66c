"""
Training scenes for the jewellery mask model, composed on the fly: a rendered piece (generate_pieces.py) on a
procedural backdrop (white, grey, gradient, fabric, skin-like, marble, velvet), placed at a random scale and
position, with its cast shadow, contact shadow or mirror image on the surface (all background), then put
through what a camera and a careless workflow do to a photo (white-balance casts, exposure, clipping, blur,
noise, JPEG). numpy, Pillow and SciPy, seeded.
"""
import io
import json
import math
import os

import numpy as np
from PIL import Image, ImageFilter
from scipy.ndimage import gaussian_filter

FAMILIES = ["yellow-gold", "rose-gold", "white-metal"]


# Of the blurred samples, the share blurred as a lens blurs (since 0.8.0); the rest are softened after the encoding.
OPTICAL_BLUR_SHARE = 0.6


def srgb_to_linear(v):
    return np.where(v <= 0.04045, v / 12.92, ((v + 0.055) / 1.055) ** 2.4)


def linear_to_srgb(v):
    v = np.clip(v, 0, 1)
    return np.where(v <= 0.0031308, v * 12.92, 1.055 * np.power(v, 1 / 2.4) - 0.055)


# The gold F0s the pieces were rendered with (generate_pieces.py METALS, linear sRGB), and the spread of real
# alloys the family head must name (spec §A.3 windows, CIELAB D65 hue and C*/L*): yellow gold 14–24K, rose
# gold from 14K rose to copper-rich red gold. The renders had one pinkish rose (hue ≈ 45°, B/R 0.61) that no
# real rose gold matches, and a rose gold at hue 60–68° looked to the head like the renders' yellow: it
# named no rose gold in the evaluation sets (0 of 10) through 0.7.0.
RENDERED_GOLD_F0 = {"yellow-gold": (0.944, 0.776, 0.373), "rose-gold": (0.926, 0.672, 0.562)}
GOLD_WINDOWS = {"yellow-gold": ((72.0, 84.0), (0.22, 0.42)), "rose-gold": ((50.0, 68.0), (0.20, 0.30))}


def lab_to_linear_ratios(L, a, b):
    """CIELAB (D65) of a metal's F0 → its linear sRGB colour as (1, G/R, B/R)."""
    fy = (L + 16) / 116
    fx, fz = fy + a / 500, fy - b / 200
    finv = lambda t: t ** 3 if t > 6 / 29 else 3 * (6 / 29) ** 2 * (t - 4 / 29)  # noqa: E731
    x, y, z = 0.95047 * finv(fx), finv(fy), 1.08883 * finv(fz)
    r = 3.2406 * x - 1.5372 * y - 0.4986 * z
    g = -0.9689 * x + 1.8758 * y + 0.0415 * z
    bl = 0.0557 * x - 0.2040 * y + 1.0570 * z
    return np.array([1.0, g / r, bl / r], np.float32)


def retint_gold(rng, lin, metal, metal_id):
    """
    A gold piece recoloured to an alloy drawn from its family's window: the metal's pixels (weighted by the
    metal mask, stones untouched) times the ratio of the new F0 to the rendered one, at equal luminance, since
    a polished metal's colour is its F0 times what it mirrors. Clipped highlights stay white, as they do in
    a photo. White metals and anything else come back unchanged.
    """
    if metal_id not in RENDERED_GOLD_F0:
        return lin
    (h_lo, h_hi), (c_lo, c_hi) = GOLD_WINDOWS[metal_id]
    hue, cl, L = math.radians(rng.uniform(h_lo, h_hi)), rng.uniform(c_lo, c_hi), 85.0
    target = lab_to_linear_ratios(L, L * cl * math.cos(hue), L * cl * math.sin(hue))
    rendered = np.array(RENDERED_GOLD_F0[metal_id], np.float32)
    rendered = rendered / rendered[0]  # as (1, G/R, B/R), like the target
    lum = np.array([0.2126, 0.7152, 0.0722], np.float32)
    gain = target / rendered * float(lum @ rendered) / float(lum @ target)
    weight = metal * (lin.max(-1) < 0.99)
    return lin * (1 + weight[..., None] * (gain - 1))


def render_ids(folder):
    """The renders in a folder, by name without suffix: each has a .json and, once its masks are written, a
    _stones.png (a render still being written has not)."""
    return sorted(f[:-5] for f in os.listdir(folder) if f.endswith(".json")
                  and os.path.exists(os.path.join(folder, f[:-5] + "_stones.png")))


class RenderFolder:
    """Renders in a folder, each with metal and stone coverage and a .json; loaded lazily and cached."""
    image_suffix, packed_suffix, image_mode, how_to_render, refresh_every = "", "", "", "", 500

    def __init__(self, folder):
        self.folder = folder
        self.cache = {}
        self.draws = 0
        self.refresh()

    def refresh(self):
        # Rendering may still be going on while training runs: pick up new renders now and then.
        self.ids = render_ids(self.folder)
        if not self.ids:
            raise SystemExit(f"nothing rendered in {self.folder}: run {self.how_to_render} first")

    def __len__(self):
        return len(self.ids)

    def get(self, k):
        self.draws += 1
        if self.draws % self.refresh_every == 0:
            self.refresh()
        rid = self.ids[k % len(self.ids)]
        if rid not in self.cache:
            base = os.path.join(self.folder, rid)
            image = np.asarray(Image.open(self.image_path(base)).convert(self.image_mode), dtype=np.float32) / 255
            metal = np.asarray(Image.open(base + "_metal.png").convert("L"), dtype=np.float32) / 255
            stones = np.asarray(Image.open(base + "_stones.png").convert("L"), dtype=np.float32) / 255
            with open(base + ".json") as f:
                info = json.load(f)
            if len(self.cache) > 800:
                self.cache.clear()
            self.cache[rid] = (image, metal, stones, info)
        return self.cache[rid]

    def image_path(self, base):
        """The render's image as rendered (PNG), or as pack_renders.py packed it to travel (WebP, JPEG)."""
        rendered = base + self.image_suffix
        if os.path.exists(rendered):
            return rendered
        return base + self.packed_suffix


class PieceLibrary(RenderFolder):
    """The rendered pieces in a folder: RGBA (straight alpha) with metal and stone coverage."""
    image_suffix, packed_suffix, image_mode, how_to_render = "_rgba.png", "_rgba.webp", "RGBA", "generate_pieces.py"


class SceneLibrary(RenderFolder):
    """
    Pieces rendered lying on a visible surface (generate_pieces.py --in-scene): RGB with metal and stone
    coverage. Composing cannot make polished metal mirror the surface it lies on (a band's inner face shows
    the table, a disc the grey sweep), and that is what the model misses most; these renders have it exact.
    """
    image_suffix, packed_suffix, image_mode = "_rgb.png", "_rgb.jpg", "RGB"
    how_to_render, refresh_every = "generate_pieces.py --in-scene", 200


def rendered_scene(rng, library, out_size, optical_share=OPTICAL_BLUR_SHARE):
    """
    One training sample from a scene rendered whole: a square crop (the whole frame down to a 2.6× zoom, as
    composed pieces are zoomed), mirrored at times, then photographed like a composed one. Same return as
    compose(): (image uint8 HxWx3, jewelry float HxW, stones float HxW, family index).
    """
    rgb, metal, stones, info = library.get(int(rng.integers(len(library))))
    h, w = metal.shape
    side = int(round(min(h, w) * math.exp(rng.uniform(math.log(1 / 2.6), 0))))
    x0, y0 = int(rng.integers(0, w - side + 1)), int(rng.integers(0, h - side + 1))
    crop = lambda a: a[y0:y0 + side, x0:x0 + side]  # noqa: E731
    lin, m, s = srgb_to_linear(crop(rgb)), crop(metal), crop(stones)
    if rng.random() < 0.5:
        lin, m, s = lin[:, ::-1], m[:, ::-1], s[:, ::-1]
    size = (out_size, out_size)
    lin = resize(np.ascontiguousarray(lin), size, Image.BICUBIC)
    m = np.clip(resize(np.ascontiguousarray(m), size), 0, 1)
    s = np.clip(resize(np.ascontiguousarray(s), size), 0, 1)
    lin = retint_gold(rng, np.clip(lin, 0, None), m, info.get("metal"))
    img = photograph(rng, lin, optical_share)
    family = FAMILIES.index(info["family"]) if info.get("family") in FAMILIES else 2
    return img, np.clip(m + s, 0, 1), s, family


# ------------------------------------------------------------------------------------------ backdrops

def smooth_noise(rng, h, w, scale):
    """Value noise: random grid upsampled bicubically, values 0..1."""
    gh, gw = max(2, int(h / scale) + 2), max(2, int(w / scale) + 2)
    grid = (rng.random((gh, gw)) * 255).astype(np.uint8)
    return np.asarray(Image.fromarray(grid).resize((w, h), Image.BICUBIC), dtype=np.float32) / 255


def backdrop(rng, h, w):
    """
    A linear-light RGB backdrop of a random studio or lifestyle kind; at times a near surface seen against
    what lies behind it (a hand, wrist or table edge against the room or a dark backdrop): 0.3.0, which only
    ever saw one surface filling the frame, masked the bright rim where skin turns away against grey.
    """
    near, kind = surface(rng, h, w)
    if rng.random() < (0.6 if kind == "skin" else 0.3):
        far, _ = surface(rng, h, w)
        if rng.random() < 0.5:
            far = far * rng.uniform(0.05, 0.6)  # a dark room or backdrop behind
        far = blur(far, rng.uniform(0, 10))  # out of focus
        near = horizon(rng, near, far)
    return near, kind


def horizon(rng, near, far):
    """
    `near` in front of `far`, split along a gently curved edge (a line with a bow, or the arc of a finger or
    wrist), the near surface shaded as it turns away and, half the time, rimmed by a thin highlight at its edge.
    """
    h, w = near.shape[:2]
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    ang = rng.uniform(-0.5, 0.5) + (math.pi if rng.random() < 0.15 else 0)  # mostly the far side on top
    c, s_ = math.cos(ang), math.sin(ang)
    u = (xx - w / 2) * c + (yy - h / 2) * s_  # along the edge
    v = -(xx - w / 2) * s_ + (yy - h / 2) * c  # across: far where v < edge
    edge = rng.uniform(-0.45, 0.35) * h + rng.uniform(-0.6, 0.6) * u * u / max(h, w)
    d = v - edge  # > 0: near surface
    soft = rng.uniform(0.4, 3.0)
    inside = np.clip(0.5 + d / (2 * soft), 0, 1)[..., None]
    falloff = rng.uniform(0.03, 0.3) * h
    shade = 1 - rng.uniform(0.2, 0.8) * np.exp(-np.maximum(d, 0) / falloff)
    lit = near * shade[..., None]
    if rng.random() < 0.5:  # a rim of light where the surface turns away
        rim = np.exp(-np.maximum(d, 0) / rng.uniform(1.5, 6)) * rng.uniform(0.1, 0.6)
        lit = lit + rim[..., None] * np.maximum(near.mean((0, 1)), 0.3)
    return lit * inside + far * (1 - inside)


def surface(rng, h, w):
    """One surface filling the frame."""
    # White sweeps weigh most with skin: bright metal on a bright backdrop is the hard case (v0.1 read its
    # highlights as holes) and most studio shots are on them; skin is where the actions use the model (0.2.0,
    # drawing it less often, regressed there).
    kind = rng.choice(["white", "white", "white", "grey", "grey", "gradient", "fabric", "skin", "skin", "skin", "marble", "velvet"])
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    if kind == "white":
        level = rng.uniform(0.85, 1.0)
        img = np.full((h, w, 3), level, np.float32) * (1 - 0.08 * rng.random() * yy[..., None] / h)
    elif kind == "grey":
        img = np.full((h, w, 3), rng.uniform(0.15, 0.85), np.float32)
    elif kind == "gradient":
        a, b = rng.random(3) * 0.9 + 0.05, rng.random(3) * 0.9 + 0.05
        ang = rng.uniform(0, 2 * math.pi)
        t = ((xx * math.cos(ang) + yy * math.sin(ang)) / max(h, w) + 1) / 2
        img = a * (1 - t[..., None]) + b * t[..., None]
    elif kind == "fabric":
        base = rng.random(3) * 0.7 + 0.1
        f = rng.uniform(0.3, 1.2)
        weave = 0.5 + 0.25 * (np.sin(xx * f) + np.sin(yy * f * rng.uniform(0.8, 1.2)))
        folds = smooth_noise(rng, h, w, rng.uniform(40, 160))
        img = base * (0.6 + 0.25 * weave[..., None] + 0.4 * folds[..., None])
    elif kind == "skin":
        tone = np.array([rng.uniform(0.35, 0.85), 0, 0])
        tone[1] = tone[0] * rng.uniform(0.62, 0.78)
        tone[2] = tone[0] * rng.uniform(0.45, 0.65)
        shade = 0.55 + 0.6 * smooth_noise(rng, h, w, rng.uniform(80, 250))
        pores = 1 + 0.04 * (smooth_noise(rng, h, w, 2) - 0.5)
        img = tone * (shade * pores)[..., None]
    elif kind == "marble":
        base = rng.uniform(0.6, 0.95)
        n = smooth_noise(rng, h, w, rng.uniform(30, 90))
        veins = np.abs(np.sin((xx + yy * rng.uniform(-1, 1)) / rng.uniform(20, 60) + 6 * n))
        img = np.full((h, w, 3), base, np.float32) * (0.7 + 0.3 * veins[..., None] ** 0.3)
        img *= rng.random(3) * 0.15 + 0.85
    else:  # velvet
        base = rng.random(3) * 0.15 + 0.01
        img = base * (0.5 + smooth_noise(rng, h, w, rng.uniform(30, 120))[..., None])
    return np.clip(img.astype(np.float32), 0, 1.5), kind


# ------------------------------------------------------------------------------------------ scenes

def resize(arr, size, resample=Image.BILINEAR):
    """Resize a float HxW or HxWxC array in 0..1 (well, any range) to (w, h)."""
    if arr.ndim == 2:
        return np.asarray(Image.fromarray(arr.astype(np.float32), mode="F").resize(size, resample), dtype=np.float32)
    return np.stack([resize(arr[..., c], size, resample) for c in range(arr.shape[2])], axis=-1)


RINGS = {"solitaire", "eternity", "halo", "band"}
# Real product shots often show two pieces: a wedding pair, a bridal set, a pair of studs. Half of the real
# ring photos in the evaluation set are pairs, and 0.5.0 did worst on them (filled holes where one ring shows
# through the other, the back ring's washed-out side missed): it had only ever seen one piece at a time.
PAIR_SHARE = 0.4


def prepare_piece(rng, rgba, metal, stones, zoom, out_size, metal_id=None):
    """A rendered piece at the sample's scale, in an alloy of its family (gold), mirrored or upside down at
    times: linear RGB, alpha, metal, stones."""
    h0, w0 = metal.shape
    ph = max(8, int(round(h0 * zoom * out_size / 384)))
    pw = max(8, int(round(w0 * zoom * out_size / 384)))
    piece_rgb = resize(srgb_to_linear(rgba[..., :3]), (pw, ph), Image.BICUBIC)
    alpha = np.clip(resize(rgba[..., 3], (pw, ph)), 0, 1)
    m = np.clip(resize(metal, (pw, ph)), 0, 1)
    piece_rgb = retint_gold(rng, piece_rgb, m, metal_id)
    s = np.clip(resize(stones, (pw, ph)), 0, 1)
    if rng.random() < 0.5:  # mirror
        piece_rgb, alpha, m, s = piece_rgb[:, ::-1], alpha[:, ::-1], m[:, ::-1], s[:, ::-1]
    # Upside down at times: a piece shot from above may lie any way round, and pendants hang from chains
    # that leave the frame at the top or bottom. 0.5.0, which never saw it, still gained 0.05 median IoU from
    # averaging its upside-down view in at inference, so its errors depend on which way up a piece is.
    if rng.random() < 0.3:
        piece_rgb, alpha, m, s = piece_rgb[::-1], alpha[::-1], m[::-1], s[::-1]
    return piece_rgb, alpha, m, s


def partner(rng, library, info):
    """A second piece for a pair: of the same metal family (one family label per sample, and real pairs match),
    a ring beside a ring (a wedding pair, a bridal set) or the same kind (studs, hoops); None if none was drawn."""
    for _ in range(30):
        other = library.get(int(rng.integers(len(library))))
        o = other[3]
        if o.get("family") != info.get("family"):
            continue
        if o.get("kind") == info.get("kind") or (o.get("kind") in RINGS and info.get("kind") in RINGS):
            return other
    return None


def compose(rng, library, out_size, optical_share=OPTICAL_BLUR_SHARE):
    """One training sample: (image uint8 HxWx3, jewelry float HxW, stones float HxW, family index)."""
    rgba, metal, stones, info = library.get(int(rng.integers(len(library))))
    # Scale: the piece's render spans 0.5–1.1 of its frame; zoom in (crops for chains and prongs) or out.
    zoom = math.exp(rng.uniform(math.log(0.35), math.log(2.6)))
    canvas = out_size
    piece = prepare_piece(rng, rgba, metal, stones, zoom, out_size, info.get("metal"))
    ph, pw = piece[1].shape
    bg, kind = backdrop(rng, canvas, canvas)
    # Place so the piece can run off the frame a little (cut pieces occur in real shots).
    ox = int(rng.integers(-pw // 4, max(1, canvas - pw * 3 // 4)))
    oy = int(rng.integers(-ph // 4, max(1, canvas - ph * 3 // 4)))
    placements = [(piece, ox, oy)]
    if rng.random() < PAIR_SHARE:
        other = partner(rng, library, info)
        if other is not None:
            second = prepare_piece(rng, *other[:3], zoom * rng.uniform(0.75, 1.2), out_size, other[3].get("metal"))
            sh, sw = second[1].shape
            # Overlapping or just touching: the second piece's centre 0.3–0.8 of the pair's size away.
            angle = rng.uniform(0, 2 * math.pi)
            dist = rng.uniform(0.3, 0.8) * max(pw, ph, sw, sh)
            sx = int(round(ox + pw / 2 + dist * math.cos(angle) - sw / 2))
            sy = int(round(oy + ph / 2 + dist * math.sin(angle) * 0.7 - sh / 2))
            # Behind or in front of the first piece: it occludes or is occluded where they overlap.
            placements.insert(int(rng.integers(2)), (second, sx, sy))
    img = bg.copy()
    jewel = np.zeros((canvas, canvas), np.float32)
    stone = np.zeros((canvas, canvas), np.float32)
    # Each piece's light and what it does to the surface first (its shadows and mirror image fall on the
    # surface: background, all of it), then the pieces from back to front over one another.
    drawn = []
    for (piece_rgb, alpha, m, s), px, py in placements:
        ph, pw = alpha.shape
        x0, y0, x1, y1 = max(0, px), max(0, py), min(canvas, px + pw), min(canvas, py + ph)
        if x1 <= x0 or y1 <= y0:
            continue
        sx, sy = x0 - px, y0 - py
        a = alpha[sy:sy + y1 - y0, sx:sx + x1 - x0][..., None]
        mm = m[sy:sy + y1 - y0, sx:sx + x1 - x0]
        ss = s[sy:sy + y1 - y0, sx:sx + x1 - x0]
        # Lighting of the piece follows the scene a little: a random exposure of the piece alone.
        prgb = piece_rgb[sy:sy + y1 - y0, sx:sx + x1 - x0] * rng.uniform(0.7, 1.6)
        # Only on studio sweeps: on skin or fabric it painted backdrop-coloured patches labelled jewelry, and
        # the model learned to take smooth bright skin for metal.
        if kind in ("white", "grey", "marble") and rng.random() < 0.6:
            prgb = light_tent(rng, prgb, mm, img[y0:y1, x0:x1])
        # Polished metal mirrors the surface it lies on: white metal on grey comes out grey in broad patches
        # (0.3.0 missed half of a pavé band and a pendant's disc that way). Less and weaker on skin, where it
        # once taught the model that smooth skin is metal.
        if rng.random() < (0.25 if kind == "skin" else 0.5):
            prgb = mirrored_surround(rng, prgb, mm, img, (x0, y0, x1, y1), 0.6 if kind == "skin" else 1.0)
        # What the piece does to the surface it lies on is background: its shadows and its mirror image.
        # (0.2.0, trained without them, masked the cast shadow of a band and a glossy sweep's reflection.)
        placed_a = np.zeros((canvas, canvas), np.float32)
        placed_a[y0:y1, x0:x1] = a[..., 0]
        size = float(max(pw, ph))
        if rng.random() < 0.55:
            img = img * (1 - cast_shadow(rng, placed_a, size))[..., None]
        if rng.random() < 0.3:
            img = img * (1 - contact_shadow(rng, placed_a))[..., None]
        if rng.random() < 0.2:
            placed_rgb = np.zeros((canvas, canvas, 3), np.float32)
            placed_rgb[y0:y1, x0:x1] = prgb
            img = mirror_reflection(rng, img, placed_rgb, placed_a, size)
        drawn.append(((x0, y0, x1, y1), a, prgb, mm, ss))
    for (x0, y0, x1, y1), a, prgb, mm, ss in drawn:
        img[y0:y1, x0:x1] = img[y0:y1, x0:x1] * (1 - a) + prgb * a
        # A piece in front hides what lies behind it, stones included; jewelry stays jewelry.
        jewel[y0:y1, x0:x1] = np.clip(jewel[y0:y1, x0:x1] * (1 - a[..., 0]) + np.clip(mm + ss, 0, 1), 0, 1)
        stone[y0:y1, x0:x1] = np.clip(stone[y0:y1, x0:x1] * (1 - a[..., 0]) + ss, 0, 1)
    img = photograph(rng, img, optical_share)
    family = FAMILIES.index(info["family"]) if info["family"] in FAMILIES else 2
    return img, jewel, stone, family


def blur(arr, radius):
    """Gaussian blur of a float H×W or H×W×C array across H and W, `radius` ≈ 2σ (as PIL's GaussianBlur,
    which has no float mode)."""
    if radius < 0.3:
        return arr
    sigma = (radius / 2, radius / 2) + (0,) * (arr.ndim - 2)
    return gaussian_filter(arr.astype(np.float32), sigma, truncate=3.0)


def cast_shadow(rng, alpha, size):
    """
    The piece's shadow on its surface, as darkening 0..1: its silhouette sheared, squashed or stretched and
    moved away from the light (a band seen edge-on throws a ring-shaped shadow with its hole), hard under a
    spot, soft under a softbox.
    """
    ys, xs = np.nonzero(alpha > 0.5)
    if len(xs) == 0:
        return np.zeros_like(alpha)
    cx, cy = float(xs.mean()), float(ys.mean())
    sx, sy = rng.uniform(0.8, 1.25), math.exp(rng.uniform(math.log(0.3), math.log(1.6)))
    shear = rng.uniform(-0.8, 0.8)
    angle = rng.uniform(0, 2 * math.pi) if rng.random() < 0.3 else rng.uniform(0.2, math.pi - 0.2)  # mostly downward
    dist = rng.uniform(0.03, 0.6) * size
    dx, dy = dist * math.cos(angle), dist * math.sin(angle)
    # PIL's affine maps output to input: invert x' = cx + sx(x−cx) + shear(y−cy) + dx, y' = cy + sy(y−cy) + dy.
    coeffs = (1 / sx, -shear / (sx * sy), cx - (cx + dx) / sx + shear * (cy + dy) / (sx * sy),
              0.0, 1 / sy, cy - (cy + dy) / sy)
    h, w = alpha.shape
    shadow = np.asarray(Image.fromarray(alpha, mode="F").transform((w, h), Image.AFFINE, coeffs, Image.BILINEAR), dtype=np.float32)
    shadow = blur(shadow, rng.uniform(0, 0.08) * size)
    return np.clip(shadow, 0, 1) * rng.uniform(0.2, 0.85)


def contact_shadow(rng, alpha):
    """The dark rim where metal meets the surface: the silhouette blurred a few pixels and nudged down."""
    shift = int(rng.integers(0, 4))
    grown = np.roll(alpha, shift, axis=0)
    if shift:
        grown[:shift] = 0
    return np.clip(blur(grown, rng.uniform(1.0, 5.0)) * 1.5, 0, 1) * rng.uniform(0.25, 0.7)


def mirror_reflection(rng, img, rgb, alpha, size):
    """A glossy sweep or acrylic block mirrors the piece below itself, fading with distance (background all of it)."""
    rows = np.nonzero(alpha.max(axis=1) > 0.5)[0]
    if len(rows) == 0:
        return img
    h = alpha.shape[0]
    # The mirror line is where the piece meets the surface: its lowest row for a piece standing on it, higher up
    # for a ring lying in perspective, whose reflection then shows through its own hole.
    bottom = int(rows[-1]) + int(rng.integers(0, max(1, int(0.04 * size))))
    if rng.random() < 0.5:
        bottom -= int(rng.uniform(0, 0.35) * size)
    out_y = np.arange(h)
    src_y = 2 * bottom - out_y  # mirror about the bottom edge
    valid = (out_y > bottom) & (src_y >= 0) & (src_y < h)
    ref_a = np.zeros_like(alpha)
    ref_rgb = np.zeros_like(rgb)
    ref_a[valid] = alpha[src_y[valid]]
    ref_rgb[valid] = rgb[src_y[valid]]
    fade = np.clip(1 - (out_y - bottom) / (rng.uniform(0.3, 1.0) * size), 0, 1)[:, None]
    r = rng.uniform(0, 2.5)
    ref_a = blur(ref_a, r) * fade * rng.uniform(0.15, 0.6)
    ref_rgb = blur(ref_rgb, r)
    return img * (1 - ref_a[..., None]) + ref_rgb * ref_a[..., None]


def metal_blotches(rng, metal, scale, cut, softness, amount, factor=1.0):
    """
    Where on the metal a mirrored surround shows: smooth blotches of a random size (`scale` × the piece), cut
    at a random level (`cut`) with a `softness` ramp, at a random opacity (`amount` × `factor`), on metal only.
    """
    h, w = metal.shape
    blotches = smooth_noise(rng, h, w, max(4.0, rng.uniform(*scale) * max(h, w)))
    lo = rng.uniform(*cut)
    return np.clip((blotches - lo) / softness, 0, 1) * rng.uniform(*amount) * factor * metal


def light_tent(rng, rgb, metal, surround):
    """
    Polished metal in a light tent or on a white sweep mirrors the bright surround: broad patches of the band
    come out as white as the backdrop, and only the outline and a few dark reflections tell metal from sweep.
    The renders' studio environment is darker than that, so lift patches of the metal toward the surround's
    brightness (linear light, so a patch may clip like the real ones), in blotches about the piece's size.
    """
    weight = metal_blotches(rng, metal, scale=(0.15, 0.5), cut=(0.25, 0.6), softness=0.15, amount=(0.6, 1.0))
    level = np.maximum(surround.mean((0, 1)), 0.6) * rng.uniform(0.9, 1.3)
    return rgb * (1 - weight[..., None]) + level * weight[..., None]


def mirrored_surround(rng, rgb, metal, scene, box, strength):
    """
    Patches of the metal replaced by what it mirrors: the scene around the piece flipped about it, blurred as a
    curved mirror blurs, tinted by the metal's own colour (gold mirrors warm), with the render's brightest
    highlights kept on top. Blotches about a third of the piece, so the outline and part of the metal stay.
    """
    x0, y0, x1, y1 = box
    h, w = metal.shape
    H, W = scene.shape[:2]
    # The surround below and beside the piece, mirrored up into it (what a ring's outer face sees).
    ys = np.clip(2 * y1 - 1 - np.arange(y0, y1) + int(rng.integers(-h // 3 - 1, h // 3 + 1)), 0, H - 1)
    xs = np.clip(np.arange(x0, x1)[::-1 if rng.random() < 0.5 else 1] + int(rng.integers(-w // 3 - 1, w // 3 + 1)), 0, W - 1)
    seen = blur(scene[ys][:, xs], rng.uniform(0, 0.08) * max(h, w))
    solid_metal = metal > 0.5
    tint = rgb[solid_metal].mean(0) if solid_metal.sum() > 8 else np.ones(3, np.float32)
    tint = tint / max(float(tint.max()), 1e-3)
    reflected = seen * (tint * rng.uniform(0.8, 1.15))
    # A quarter of the time all of the metal at once: a flat polished face (a pendant's disc, a tag) mirrors one
    # patch of the surround evenly, and 0.4.0, which had seen only blotches, missed such a disc whole.
    whole = rng.random() < 0.25
    weight = metal_blotches(rng, metal, scale=(0.2, 0.6), cut=(-0.6, -0.3) if whole else (0.2, 0.6), softness=0.2,
                            amount=(0.5, 0.9) if whole else (0.5, 1.0), factor=strength)
    out = rgb * (1 - weight[..., None]) + reflected * weight[..., None]
    highlights = np.clip((rgb.max(-1) - 0.9) / 0.3, 0, 1)[..., None]
    return out * (1 - highlights) + rgb * highlights


def photograph(rng, lin, optical_share=OPTICAL_BLUR_SHARE):
    """A lens blur, casts, exposure, desaturation, clipping, software blur, noise and JPEG, in the order a camera
    and its software apply them. `optical_share` 0 softens every blurred sample after the encoding, as the
    composer did until 0.8.0. The draws are as many either way, so every other sample of a run stays the same;
    within a blurred sample the blur's σ is drawn before the cast instead of after it, so its camera differs."""
    # A lens's softness (defocus, a slight shake) spreads light before the sensor clips it, in linear light: a
    # blown backdrop's light then eats a bright chain's dark rims, as the evaluation renders' defects do (blur,
    # then exposure, then clipping). Software softening comes after the encoding. Blurred as often as before.
    blurred = rng.random() < 0.4
    optical = blurred and rng.random() < optical_share
    if optical:
        sigma = rng.uniform(0.3, 1.2)
        lin = gaussian_filter(lin.astype(np.float32), (sigma, sigma, 0), truncate=3.0)
    if rng.random() < 0.8:
        cast = np.exp(rng.normal(0, 0.12, 3)).astype(np.float32)
        lin = lin * cast / cast.mean()
    lin = lin * math.exp(rng.normal(0, 0.35))
    if rng.random() < 0.1:  # blown: a white sweep clips and a bright chain's rims melt into it (0.4.0 thinned them)
        lin = lin * rng.uniform(1.6, 3.0)
    if rng.random() < 0.3:
        lum = (lin * np.array([0.2126, 0.7152, 0.0722], np.float32)).sum(-1, keepdims=True)
        lin = lin + (lum - lin) * rng.uniform(0, 0.4)
    srgb = linear_to_srgb(lin)
    img = Image.fromarray((srgb * 255 + 0.5).astype(np.uint8))
    if blurred and not optical:
        img = img.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 1.2)))
    arr = np.asarray(img, dtype=np.float32)
    if rng.random() < 0.6:
        arr = arr + rng.normal(0, rng.uniform(0.5, 4), arr.shape)
    img = Image.fromarray(np.clip(arr + 0.5, 0, 255).astype(np.uint8))
    if rng.random() < 0.6:
        buf = io.BytesIO()
        img.save(buf, "JPEG", quality=int(rng.integers(55, 96)))
        img = Image.open(io.BytesIO(buf.getvalue())).convert("RGB")
    return np.asarray(img, dtype=np.uint8)
