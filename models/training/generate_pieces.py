"""
Loupe's synthetic training pieces: procedural jewellery rendered with Blender/Cycles on a transparent film,
with exact metal and stone masks from the material-index pass. Backgrounds, casts, exposure and the other
photographic variation are added later by synth_scenes.py, so each (slow) render is reused many times.

    blender -b --python-exit-code 1 -P models/training/generate_pieces.py -- \
        --out build/pieces --count 200 --seed 1 [--size 384] [--samples 16] [--kinds chain,plate-pendant]

--kinds renders a further batch of chosen kinds only (equal odds; name a kind twice to double it); the kinds
drawn without it, and so every piece rendered before, stay as they were.

Each piece N writes N_rgba.png (straight alpha; the shadow catcher's contact shadow lives in the alpha),
N_metal.png, N_stones.png (8-bit antialiased coverage) and N.json (kind, metal, stones, camera). Seeded and
reproducible: piece N depends only on (seed, N, --kinds). Never run in CI (about 5–15 s a piece on 2 cores).

--in-scene renders the piece lying on a visible surface instead (N_rgb.png, opaque; the surface in N.json),
so that its metal mirrors what it really lies on, which composing cannot make; used whole by
synth_scenes.rendered_scene (train_mask.py --scenes):

    blender -b --python-exit-code 1 -P models/training/generate_pieces.py -- \
        --out build/scenes --count 150 --seed 2 --in-scene --size 320 --samples 32

--kinds pair renders two rings together (a wedding pair or a ring with its band: stacked, side by side, one
lying flat before the other, or both flat), --kinds flat-ring one ring lying flat (the default rings all
stand); both only by name. Numbered apart from the single pieces, e.g.

    ... --out build/scenes --start 6000 --count 200 --seed 4 --in-scene --size 320 --samples 32 \
        --kinds pair,pair,flat-ring

--studio tent lights the piece in a light tent instead (white all round, a darker camera side, at times a black
card for the metal to mirror), and --surfaces white,grey limits the surfaces it may lie on (equal odds): the
packshot on a white sweep or a glossy grey, where polished white metal mirrors the backdrop and is the hardest
to tell from it. --glossy sets the share of glossy surfaces (default 0.25). All three only by name:

    ... --out build/scenes --start 8000 --count 250 --seed 5 --in-scene --size 320 --samples 32 \
        --studio tent --surfaces white,white,grey --glossy 0.4 --kinds pair,pair,flat-ring,solitaire,halo,eternity,band,chain

--fill LO,HI sets how much of the frame the piece's extent spans (default 0.55,1.1; the same draw, so earlier
renders stay as they were); above 1 it crops in, as a necklace close-up does, e.g. chains with their pendants:

    ... --out build/scenes --start 9000 --count 110 --seed 6 --in-scene --size 320 --samples 32 \
        --surfaces grey,white --glossy 0.5 --fill 1.1,2.2 --kinds plate-pendant,plate-pendant,pendant,chain

--skin-body lays the piece on a body part instead of a flat skin-coloured plane: a wrist, a neck or a finger,
a cylinder of that part's radius under the piece, its skin turning away toward a far wall or the room, as
jewellery is modelled. --denoise-surface then smooths the render's grain on what the piece lies on (Debian's
Blender has no OpenImageDenoise, and skin's subsurface light is the noisiest), keeping the piece's own pixels
and the two pixels round it raw. Both only by name, e.g.

    ... --out build/scenes --start 9300 --count 120 --seed 9 --in-scene --size 320 --samples 32 \
        --surfaces skin --skin-body --denoise-surface

--kinds pearl-strand, bead-strand, pearl-earring and pearl-pendant (only by name) render pearls and opaque beads:
strands hanging or coiled, single or double, uniform or graduated, with a metal clasp (beads at times between metal
spacers); pearl studs and drops on a hook or a short bar; a pearl on a chain. Pearls and beads are labelled
stones (not metal), so Retouch metal leaves them alone. 0.7.0 had never seen either and kept only a pearl's rim:

    ... --out build/pearls --start 10000 --count 260 --seed 10 \
        --kinds pearl-strand,pearl-strand,pearl-earring,pearl-earring,bead-strand,pearl-pendant
"""
import argparse
import json
import math
import os
import random
import sys

import bpy
from mathutils import Vector

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # Blender runs this file alone
from surface_denoise import denoise_surface_files  # noqa: E402

# Linear-light F0 of the metals (spec §A.2; same table as src/engine/metal/metalCatalog.ts).
METALS = {
    "yellow-gold": ((0.944, 0.776, 0.373), "yellow-gold"),
    "rose-gold": ((0.926, 0.672, 0.562), "rose-gold"),
    "white-gold": ((0.805, 0.782, 0.740), "white-metal"),
    "silver": ((0.972, 0.960, 0.915), "white-metal"),
    "platinum": ((0.673, 0.637, 0.585), "white-metal"),
}
STONES = {
    "diamond": ((1.0, 1.0, 1.0), 2.42),
    "sapphire": ((0.15, 0.25, 0.9), 1.77),
    "ruby": ((0.9, 0.08, 0.15), 1.77),
    "emerald": ((0.1, 0.75, 0.3), 1.58),
    "amethyst": ((0.55, 0.25, 0.85), 1.54),
    "citrine": ((0.95, 0.65, 0.15), 1.54),
}
METAL_INDEX, STONE_INDEX = 1, 2


def parse_args():
    argv = sys.argv[sys.argv.index("--") + 1:] if "--" in sys.argv else []
    p = argparse.ArgumentParser()
    p.add_argument("--out", required=True)
    p.add_argument("--count", type=int, default=10)
    p.add_argument("--start", type=int, default=0)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--size", type=int, default=384)
    p.add_argument("--samples", type=int, default=16)
    p.add_argument("--kinds", help="comma-separated kinds to draw from (default: all, at the usual weights); "
                   "e.g. chain,pendant,plate-pendant")
    p.add_argument("--in-scene", action="store_true",
                   help="render the piece lying on a visible surface (N_rgb.png, opaque) instead of on a "
                   "transparent film, so its metal mirrors the real surroundings")
    p.add_argument("--studio", choices=["studio", "tent"], default="studio",
                   help="the environment the metal mirrors: a studio (bright top, dark floor) or a light tent")
    p.add_argument("--surfaces", help="comma-separated surface kinds to draw from in --in-scene (default: all, "
                   "at the usual weights); e.g. white,grey")
    p.add_argument("--glossy", type=float, default=0.25, help="share of glossy surfaces in --in-scene")
    p.add_argument("--skin-body", action="store_true",
                   help="in --in-scene, skin is a wrist, neck or finger (a cylinder of its radius), not a flat plane")
    p.add_argument("--denoise-surface", action="store_true",
                   help="in --in-scene, smooth the render grain of the surface around the piece (not the piece)")
    p.add_argument("--fill", default="0.55,1.1",
                   help="LO,HI: how much of the frame the piece's extent spans, drawn between the two; above 1 "
                   "crops in, as close-ups of a chain and its pendant do")
    args = p.parse_args(argv)
    try:
        args.fill = tuple(float(v) for v in args.fill.split(","))
        assert len(args.fill) == 2 and 0 < args.fill[0] <= args.fill[1]
    except (ValueError, AssertionError):
        p.error(f"--fill takes LO,HI with 0 < LO <= HI, got {args.fill}")
    unknown = [k for k in (args.surfaces or "").split(",") if k and k not in SURFACES]
    if unknown:
        p.error(f"unknown surface {', '.join(unknown)}: choose from {', '.join(SURFACES)}")
    if not 0 <= args.glossy <= 1:
        p.error(f"--glossy is a share between 0 and 1, got {args.glossy}")
    return args


# --------------------------------------------------------------------------------------------- materials

def metal_material(name, rgb, roughness):
    m = bpy.data.materials.new(name)
    m.use_nodes = True
    bsdf = m.node_tree.nodes["Principled BSDF"]
    bsdf.inputs["Base Color"].default_value = (*rgb, 1)
    bsdf.inputs["Metallic"].default_value = 1.0
    bsdf.inputs["Roughness"].default_value = roughness
    m.pass_index = METAL_INDEX
    return m


def stone_material(name, rgb, ior, rng):
    m = bpy.data.materials.new(name)
    m.use_nodes = True
    nodes = m.node_tree.nodes
    nodes.remove(nodes["Principled BSDF"])
    glass = nodes.new("ShaderNodeBsdfGlass")
    glass.inputs["Color"].default_value = (*rgb, 1)
    glass.inputs["IOR"].default_value = ior
    glass.inputs["Roughness"].default_value = rng.uniform(0.0, 0.03)
    m.node_tree.links.new(glass.outputs["BSDF"], nodes["Material Output"].inputs["Surface"])
    m.pass_index = STONE_INDEX
    return m


# Pearls and opaque beads are not metal: their pixels are the "stones" channel (metal = jewelry − stones), so
# Retouch metal leaves them alone. Body colours in linear light: white, cream, silver-grey, golden South Sea,
# pink, and dark Tahitian.
PEARL_BODIES = [(0.80, 0.78, 0.74), (0.78, 0.70, 0.58), (0.55, 0.55, 0.57), (0.72, 0.55, 0.28), (0.78, 0.62, 0.60),
                (0.05, 0.05, 0.06)]
PEARL_ORIENT = [(0.9, 0.7, 0.8), (0.7, 0.85, 0.8), (0.85, 0.8, 0.65)]
# Opaque bead stones: onyx, turquoise, coral, lapis, jade, and a glossy black or white glass bead.
BEADS = {"onyx": ((0.01, 0.01, 0.012), 0.08), "turquoise": ((0.10, 0.45, 0.42), 0.45),
         "coral": ((0.70, 0.12, 0.07), 0.35), "lapis": ((0.03, 0.06, 0.30), 0.3), "jade": ((0.08, 0.35, 0.12), 0.25),
         "white-glass": ((0.80, 0.80, 0.78), 0.12)}


def pearl_material(rng):
    """Nacre, roughly: a pale diffuse body under a thin clear coat, its orient a tint toward the rim (Blender 3.4
    has no thin film), a little light under the surface. Smooth and bright, with soft window highlights: on white
    0.7.0 took a pearl's body for backdrop and kept only its rim."""
    m = bpy.data.materials.new("pearl")
    m.use_nodes = True
    nt = m.node_tree
    bsdf = nt.nodes["Principled BSDF"]
    body = rng.choice(PEARL_BODIES)
    body = tuple(min(1.0, c * rng.uniform(0.6, 0.9)) for c in body)  # the studio's lights blow a brighter body to white
    facing = nt.nodes.new("ShaderNodeLayerWeight")
    facing.inputs["Blend"].default_value = rng.uniform(0.2, 0.5)
    mix = nt.nodes.new("ShaderNodeMixRGB")
    mix.inputs["Color1"].default_value = (*body, 1)
    orient = rng.choice(PEARL_ORIENT)
    mix.inputs["Color2"].default_value = (*(b * o for b, o in zip(body, orient)), 1)
    nt.links.new(facing.outputs["Facing"], mix.inputs["Fac"])
    nt.links.new(mix.outputs["Color"], bsdf.inputs["Base Color"])
    bsdf.inputs["Roughness"].default_value = rng.uniform(0.2, 0.45)
    bsdf.inputs["Clearcoat"].default_value = rng.uniform(0.5, 1.0)
    bsdf.inputs["Clearcoat Roughness"].default_value = rng.uniform(0.02, 0.12)
    bsdf.inputs["Subsurface"].default_value = rng.uniform(0.0, 0.15)
    bsdf.inputs["Subsurface Color"].default_value = (*body, 1)
    bsdf.inputs["Sheen"].default_value = rng.uniform(0.0, 0.5)
    m.pass_index = STONE_INDEX
    return m


def bead_material(rng, name):
    rgb, roughness = BEADS[name]
    m = bpy.data.materials.new(name)
    m.use_nodes = True
    bsdf = m.node_tree.nodes["Principled BSDF"]
    bsdf.inputs["Base Color"].default_value = (*rgb, 1)
    bsdf.inputs["Roughness"].default_value = roughness * rng.uniform(0.6, 1.4)
    bsdf.inputs["Specular"].default_value = 0.5
    m.pass_index = STONE_INDEX
    return m


# --------------------------------------------------------------------------------------------- geometry

def active():
    return bpy.context.view_layer.objects.active


def shade(obj, smooth):
    for poly in obj.data.polygons:
        poly.use_smooth = smooth


def add_torus(major, minor, location=(0, 0, 0), rotation=(0, 0, 0), scale=(1, 1, 1), segments=(64, 16)):
    bpy.ops.mesh.primitive_torus_add(major_radius=major, minor_radius=minor, major_segments=segments[0],
                                     minor_segments=segments[1], location=location, rotation=rotation)
    o = active()
    o.scale = scale
    shade(o, True)
    return o


def add_cylinder(radius, depth, location, rotation=(0, 0, 0), vertices=12):
    bpy.ops.mesh.primitive_cylinder_add(radius=radius, depth=depth, location=location, rotation=rotation, vertices=vertices)
    o = active()
    shade(o, True)
    return o


def add_brilliant(radius, location, rotation=(0, 0, 0), facets=16):
    """A round brilliant, roughly: crown (a truncated cone) on a pavilion (a cone), flat-shaded facets."""
    crown_h, pavilion_h = 0.35 * radius, 0.85 * radius
    bpy.ops.mesh.primitive_cone_add(vertices=facets, radius1=radius, radius2=0.55 * radius, depth=crown_h,
                                    location=(0, 0, crown_h / 2))
    crown = active()
    bpy.ops.mesh.primitive_cone_add(vertices=facets, radius1=radius, radius2=0.0, depth=pavilion_h,
                                    location=(0, 0, -pavilion_h / 2), rotation=(math.pi, 0, 0))
    pavilion = active()
    bpy.ops.object.select_all(action="DESELECT")
    crown.select_set(True)
    pavilion.select_set(True)
    bpy.context.view_layer.objects.active = crown
    bpy.ops.object.join()
    stone = active()
    stone.location = location
    stone.rotation_euler = rotation
    shade(stone, False)
    return stone


def assign(objs, material):
    for o in objs:
        o.data.materials.clear()
        o.data.materials.append(material)


def ring_band(rng, radius):
    thickness = radius * rng.uniform(0.06, 0.14)
    return add_torus(radius, thickness, rotation=(math.pi / 2, 0, 0), scale=(1, 1, rng.uniform(1.0, 2.2)))


def make_solitaire(rng, metal, stone):
    r = 1.0
    band = ring_band(rng, r)
    size = rng.uniform(0.25, 0.45)
    top = r + size * 0.9
    gem = add_brilliant(size, (0, 0, top))
    prongs = []
    n = rng.choice([4, 6])
    for k in range(n):
        a = 2 * math.pi * k / n + rng.uniform(0, 0.2)
        x, y = math.cos(a) * size * 0.95, math.sin(a) * size * 0.95
        prongs.append(add_cylinder(size * 0.08, size * 1.5, (x, y, top - size * 0.35), rotation=(0, 0, 0), vertices=8))
    assign([band, *prongs], metal)
    assign([gem], stone)
    return {"kind": "solitaire", "stones": 1, "prongs": n}


def make_halo(rng, metal, stone, small_stone):
    info = make_solitaire(rng, metal, stone)
    gems = [o for o in bpy.context.scene.objects if o.type == "MESH" and o.data.materials and o.data.materials[0] == stone]
    c = gems[0]
    size = c.dimensions.x / 2
    n = rng.randint(10, 18)
    halo = []
    for k in range(n):
        a = 2 * math.pi * k / n
        halo.append(add_brilliant(size * 0.22, (math.cos(a) * size * 1.35, math.sin(a) * size * 1.35, c.location.z + size * 0.05)))
    assign(halo, small_stone)
    info.update(kind="halo", stones=1 + n)
    return info


def make_eternity(rng, metal, stone):
    r = 1.0
    band = ring_band(rng, r)
    n = rng.randint(14, 30)
    gems = []
    size = min(0.18, 2 * math.pi * r / n * 0.42)
    for k in range(n):
        a = 2 * math.pi * k / n
        loc = (math.sin(a) * (r + size * 0.4), 0, math.cos(a) * (r + size * 0.4))
        gems.append(add_brilliant(size, loc, rotation=(0, a, 0)))
    assign([band], metal)
    assign(gems, stone)
    return {"kind": "eternity", "stones": n}


def make_band(rng, metal):
    band = ring_band(rng, 1.0)
    assign([band], metal)
    return {"kind": "band", "stones": 0}


def make_chain(rng, metal, stone=None):
    """Links along a hanging curve in the picture plane, alternating 90° so the chain reads as a chain."""
    n = rng.randint(18, 60)
    link = rng.uniform(0.05, 0.16)
    wire = link * rng.uniform(0.16, 0.3)
    span = n * link * 1.45
    sag = rng.uniform(0.1, 0.6) * span
    links = []
    pts = []
    for k in range(n):
        t = k / (n - 1) - 0.5
        pts.append(Vector((t * span, 0, -sag * (1 - (2 * t) ** 2))))
    for k, p in enumerate(pts):
        nxt = pts[min(k + 1, n - 1)] - pts[max(k - 1, 0)]
        ang = math.atan2(nxt.z, nxt.x)
        o = add_torus(link * 0.5, wire, location=p, rotation=(math.pi / 2 if k % 2 else 0, -ang, 0),
                      scale=(1.5, 1, 1), segments=(24, 8))
        links.append(o)
    assign(links, metal)
    info = {"kind": "chain", "stones": 0, "links": n}
    if stone is None:
        info.update(link=link, centre=pts[n // 2])  # for make_plate_pendant; popped there or below
    if stone is not None:
        gem = add_brilliant(link * rng.uniform(2, 4), pts[n // 2] + Vector((0, 0, -link * 3)), rotation=(math.pi / 2, 0, 0))
        bail = add_torus(link * 0.8, wire, location=pts[n // 2] + Vector((0, 0, -link * 0.8)), segments=(24, 8))
        assign([bail], metal)
        assign([gem], stone)
        info.update(kind="pendant", stones=1)
    return info


def make_plate_pendant(rng, metal, stone, small_stone):
    """
    A chain with a flat metal pendant: a polished disc (a coin or tag, plain or with one bezel-set stone) or a
    stone in a bezel with a halo of small stones. A flat polished face mirrors one patch of the surround
    evenly, so it may come out the colour of the backdrop with only its rim to tell it: 0.4.0 missed such a
    disc whole, having seen only faceted gems hang from its chains.
    """
    info = make_chain(rng, metal)
    link = info.pop("link")
    centre = info.pop("centre")
    radius = link * rng.uniform(2.5, 5)
    top = centre + Vector((0, 0, -link * 0.8))
    bail = add_torus(link * 0.8, link * 0.2, location=top, segments=(24, 8))
    middle = top + Vector((0, 0, -link * 0.8 - radius))
    parts = [bail]
    if rng.random() < 0.6:  # a disc
        disc = add_cylinder(radius, radius * rng.uniform(0.06, 0.15), middle, rotation=(math.pi / 2, 0, 0), vertices=64)
        shade(disc, False)  # flat faces stay flat: smooth shading would dome them
        parts.append(disc)
        stones = 0
        if rng.random() < 0.4:
            gem = add_brilliant(radius * rng.uniform(0.2, 0.35), middle + Vector((0, -radius * 0.1, 0)), rotation=(math.pi / 2, 0, 0))
            assign([gem], stone)
            stones = 1
        info.update(kind="disc-pendant", stones=stones)
    else:  # a bezel-set stone with a halo
        gem = add_brilliant(radius * 0.55, middle, rotation=(math.pi / 2, 0, 0))
        parts.append(add_torus(radius * 0.62, radius * 0.1, location=middle, rotation=(math.pi / 2, 0, 0)))
        assign([gem], stone)
        n = rng.randint(10, 18)
        halo = [add_brilliant(radius * 0.12, middle + Vector((math.cos(2 * math.pi * k / n) * radius * 0.85, -radius * 0.05,
                                                                math.sin(2 * math.pi * k / n) * radius * 0.85)),
                              rotation=(math.pi / 2, 0, 0), facets=8) for k in range(n)]
        assign(halo, small_stone)
        parts.append(add_torus(radius * 1.0, radius * 0.08, location=middle, rotation=(math.pi / 2, 0, 0)))
        info.update(kind="bezel-pendant", stones=1 + n)
    assign(parts, metal)
    return info


def add_sphere(radius, location, scale=(1, 1, 1)):
    bpy.ops.mesh.primitive_uv_sphere_add(radius=radius, segments=24, ring_count=12, location=location)
    o = active()
    o.scale = scale
    shade(o, True)
    return o


def necklace_path(rng, n_points=400):
    """A necklace's line in the picture plane (x, z): hanging in a U, or lying coiled in a closed loop with a
    wobble (a strand laid on a table), as packshots show them. Points along it, unit-ish size."""
    if rng.random() < 0.5:
        sag = rng.uniform(0.3, 1.2)
        return [Vector(((t - 0.5) * 2, 0, -sag * (1 - (2 * t - 1) ** 2))) for t in (k / (n_points - 1) for k in range(n_points))]
    a, c = rng.uniform(0.8, 1.3), rng.uniform(0.4, 1.0)
    harmonics = [(k, rng.uniform(-0.25, 0.25) / k, rng.uniform(0, 2 * math.pi)) for k in (2, 3, 4)]
    pts = []
    for j in range(n_points):
        t = 2 * math.pi * j / n_points
        r = 1 + sum(amp * math.sin(k * t + ph) for k, amp, ph in harmonics)
        pts.append(Vector((a * r * math.cos(t), 0, c * r * math.sin(t))))
    return pts


def beads_along(path, radius, gap, closed):
    """Centres every 2·radius + gap along the path (by arc length)."""
    centres, need, walked = [path[0]], 2 * radius + gap, 0.0
    for p, q in zip(path, path[1:] + ([path[0]] if closed else [])):
        seg = (q - p).length
        while walked + seg >= need:
            f = (need - walked) / seg
            p = p + (q - p) * f
            seg -= need - walked
            walked = 0.0
            centres.append(p)
        walked += seg
    if closed and (centres[-1] - centres[0]).length < need * 0.8:
        centres.pop()
    return centres


def make_strand(rng, metal, beads=False):
    """
    A pearl strand, or a strand of opaque beads (onyx, turquoise, coral...) with metal spacers: round beads
    touching along a necklace's line, uniform or graduated toward the middle, at times doubled, with a metal
    clasp. 0.7.0 filled the white inside a pearl strand's loops and gave an onyx bead necklace a band three
    beads wide: it had seen only chains of metal links.
    """
    path = necklace_path(rng)
    closed = (path[0] - path[-1]).length < 0.1
    scale = rng.uniform(0.9, 1.4)
    path = [p * scale for p in path]
    radius = rng.uniform(0.025, 0.06) * scale
    graduated = rng.random() < 0.3
    material = bead_material(rng, rng.choice(list(BEADS))) if beads else pearl_material(rng)
    centres = beads_along(path, radius, radius * rng.uniform(0.02, 0.2), closed)
    stones, parts = [], []
    spacer_every = rng.choice([0, 2, 3, 4]) if beads else 0
    for k, c in enumerate(centres):
        t = k / max(1, len(centres) - 1)
        r = radius * (0.7 + 0.6 * math.sin(math.pi * t)) if graduated else radius
        if spacer_every and k % spacer_every == 0:
            parts.append(add_cylinder(r * 0.8, r * 0.9, c, rotation=(0, rng.uniform(0, math.pi), 0), vertices=16))
        else:
            stones.append(add_sphere(r, c))
    if rng.random() < 0.25:  # a second strand inside the first, as a double strand is worn
        inner = [Vector((p.x * 0.8, p.y + radius * 2.5, p.z * 0.8 - (0.15 if not closed else 0))) for p in path]
        stones += [add_sphere(radius, c) for c in beads_along(inner, radius, radius * 0.1, closed)]
    clasp_at = centres[0] if not closed else centres[rng.randrange(len(centres))]
    parts.append(add_torus(radius * 1.2, radius * 0.3, location=clasp_at + Vector((0, -radius * 0.5, 0)), segments=(24, 8)))
    assign(parts, metal)
    assign(stones, material)
    return {"kind": "bead-strand" if beads else "pearl-strand", "stones": len(stones)}


def make_pearl_earring(rng, metal):
    """A pearl stud (the pearl on a small metal cup, the post hidden behind it) or a drop: a pearl hanging
    from a metal cap under a hook or a small stud; round or a slightly long drop shape."""
    r = rng.uniform(0.25, 0.5)
    material = pearl_material(rng)
    long = rng.uniform(1.0, 1.3) if rng.random() < 0.4 else 1.0
    if rng.random() < 0.5:  # a stud, seen from the front or a little from the side
        pearl = add_sphere(r, (0, 0, 0))
        cup = add_cylinder(r * 0.35, r * 0.15, (0, r * 0.9, 0), rotation=(math.pi / 2, 0, 0), vertices=16)
        post = add_cylinder(r * 0.06, r * 1.2, (0, r * 1.5, 0), rotation=(math.pi / 2, 0, 0), vertices=8)
        assign([cup, post], metal)
        assign([pearl], material)
        return {"kind": "pearl-stud", "stones": 1}
    pearl = add_sphere(r, (0, 0, 0), scale=(1, 1, long))
    cap = add_sphere(r * 0.35, (0, 0, r * long * 0.95), scale=(1, 1, 0.6))
    parts = [cap]
    top = r * long + r * 0.3
    if rng.random() < 0.5:  # a hook
        parts.append(add_torus(r * 0.9, r * 0.05, location=(r * 0.6, 0, top + r * 0.9), rotation=(math.pi / 2, 0, 0), segments=(32, 8)))
    else:  # a small stud and a short bar
        parts.append(add_cylinder(r * 0.05, r * 0.8, (0, 0, top + r * 0.2), vertices=8))
        parts.append(add_sphere(r * 0.25, (0, 0, top + r * 0.7)))
    assign(parts, metal)
    assign([pearl], material)
    return {"kind": "pearl-drop", "stones": 1}


def make_pearl_pendant(rng, metal):
    """A metal chain with one pearl hanging from a bail."""
    info = make_chain(rng, metal)
    link = info.pop("link")
    centre = info.pop("centre")
    r = link * rng.uniform(2, 4)
    bail = add_torus(link * 0.8, link * 0.2, location=centre + Vector((0, 0, -link * 0.8)), segments=(24, 8))
    pearl = add_sphere(r, centre + Vector((0, 0, -link * 1.6 - r)), scale=(1, 1, rng.uniform(1.0, 1.25)))
    assign([bail], metal)
    assign([pearl], pearl_material(rng))
    return {"kind": "pearl-pendant", "stones": 1}


RING_KINDS = ["solitaire", "halo", "eternity", "band", "band"]


def make_ring(rng, kind, metal, stone, small_stone):
    """One ring of the given kind, standing (as every kind is built)."""
    if kind == "solitaire":
        return make_solitaire(rng, metal, stone)
    if kind == "halo":
        return make_halo(rng, metal, stone, small_stone)
    if kind == "eternity":
        return make_eternity(rng, metal, stone)
    return make_band(rng, metal)


def under_pivot(objs, name):
    """An empty the objects hang from, to move and turn them as one (at the origin, so they keep their places)."""
    pivot = bpy.data.objects.new(name, None)
    bpy.context.scene.collection.objects.link(pivot)
    for o in objs:
        o.parent = pivot
    return pivot


def lie_flat(pivot, rng):
    """A ring lying on its side (the rings are built standing, their axis toward the camera), turned at random."""
    pivot.rotation_euler = (math.pi / 2, 0, rng.uniform(0, 2 * math.pi))


def make_flat_ring(rng, metal, stone, small_stone):
    """A ring lying flat on the surface, as bands and bridal sets are often shot (the rings drawn by default
    all stand)."""
    info = make_ring(rng, rng.choice(RING_KINDS), metal, stone, small_stone)
    lie_flat(under_pivot(list(bpy.context.scene.objects), "ring"), rng)
    bpy.context.view_layer.update()
    info["flat"] = True
    return info


def make_pair(rng, metal, stone, small_stone):
    """
    Two rings photographed together — a wedding pair, or an engagement ring with its band: stacked face to
    face, side by side, one lying flat before the other standing, or both lying flat side by side. The real
    photos the model failed worst on are such pairs (white seen through one shank taken for a hole, the back
    ring's washed-out side missed), and composing single pieces cannot make one ring hide and mirror the other.
    """
    first_kind = rng.choice(RING_KINDS)
    info = make_ring(rng, first_kind, metal, stone, small_stone)
    first = under_pivot(list(bpy.context.scene.objects), "first-ring")
    before = set(bpy.context.scene.objects)
    # The second ring: the same metal most often (a matched pair), else another of its family (one family
    # label a sample, as for composed pairs); its own materials (make_halo finds its centre stone by material).
    metal_id = metal.name.split(".")[0]
    if rng.random() < 0.3:
        metal_id = rng.choice([m for m, (_, fam) in METALS.items() if fam == METALS[metal_id][1]])
    second_metal = metal_material(metal_id + "-second", METALS[metal_id][0], rng.uniform(0.03, 0.22))
    second_stone = stone_material("diamond-second", STONES["diamond"][0], 2.42, rng)
    second_kind = rng.choice(["band", "band", "eternity"]) if first_kind in ("solitaire", "halo") else rng.choice(RING_KINDS)
    second = make_ring(rng, second_kind, second_metal, second_stone, small_stone)
    parts = [o for o in bpy.context.scene.objects if o not in before]
    pivot = under_pivot(parts, "second-ring")
    pivot.scale = (rng.uniform(0.85, 1.15),) * 3
    arrangement = rng.choice(["stacked", "side-by-side", "flat-in-front", "both-flat", "both-flat"])
    if arrangement == "stacked":  # face to face, the second behind or before the first (the camera looks along +y)
        pivot.location = (rng.uniform(-0.5, 0.5), rng.choice([-1, 1]) * rng.uniform(0.4, 0.8), 0)
        pivot.rotation_euler = (0, 0, rng.uniform(-0.3, 0.3))
    elif arrangement == "side-by-side":
        pivot.location = (rng.choice([-1, 1]) * rng.uniform(1.3, 2.1), rng.uniform(-0.8, 0.8), 0)
        pivot.rotation_euler = (0, 0, rng.uniform(-0.9, 0.9))
    elif arrangement == "flat-in-front":  # lying on its side in front of the standing first ring
        pivot.location = (rng.uniform(-1.0, 1.0), -rng.uniform(1.4, 2.2), 0)
        lie_flat(pivot, rng)
    else:  # a bridal set lying side by side, touching or nearly
        lie_flat(first, rng)
        lie_flat(pivot, rng)
        angle = rng.uniform(-0.6, 0.6) + rng.choice([0, math.pi])
        gap = rng.uniform(1.9, 2.5)
        pivot.location = (math.cos(angle) * gap, math.sin(angle) * gap, 0)
    bpy.context.view_layer.update()
    # Both rest on the same floor.
    first_lo, _ = bounds([o for o in bpy.context.scene.objects if o.type == "MESH" and o not in parts])
    second_lo, _ = bounds([o for o in parts if o.type == "MESH"])
    pivot.location.z += first_lo.z - second_lo.z
    bpy.context.view_layer.update()
    return {"kind": "pair", "stones": info["stones"] + second["stones"], "rings": [info["kind"], second["kind"]],
            "arrangement": arrangement, "second_metal": metal_id}


def make_stud(rng, metal, stone):
    size = rng.uniform(0.3, 0.6)
    gem = add_brilliant(size, (0, 0, 0), rotation=(math.pi / 2 - rng.uniform(0, 0.4), 0, 0))
    cup = add_torus(size * 0.95, size * 0.08, location=(0, -size * 0.2, 0), rotation=(math.pi / 2, 0, 0))
    prongs = [add_cylinder(size * 0.07, size * 0.5, (math.cos(a) * size, -size * 0.1, math.sin(a) * size),
                           rotation=(math.pi / 2, 0, 0), vertices=8) for a in (0.8, 2.4, 3.9, 5.5)]
    assign([cup, *prongs], metal)
    assign([gem], stone)
    return {"kind": "stud", "stones": 1}


def make_hoop(rng, metal):
    hoop = add_torus(rng.uniform(0.6, 1.2), rng.uniform(0.03, 0.1), rotation=(math.pi / 2 - rng.uniform(0, 0.6), 0, 0))
    assign([hoop], metal)
    return {"kind": "hoop", "stones": 0}


def make_bangle(rng, metal, stone):
    r = 1.4
    bangle = add_torus(r, r * rng.uniform(0.04, 0.09), rotation=(math.pi / 2 - rng.uniform(0.2, 1.0), 0, 0), scale=(1, 1, rng.uniform(1, 2.5)))
    assign([bangle], metal)
    return {"kind": "bangle", "stones": 0}


def make_watch(rng, metal, stone):
    case = add_cylinder(0.6, 0.18, (0, 0, 0), rotation=(math.pi / 2, 0, 0), vertices=48)
    glass = add_cylinder(0.52, 0.2, (0, -0.02, 0), rotation=(math.pi / 2, 0, 0), vertices=48)
    links = [add_cylinder(0.08, 0.7, (0, 0, z), rotation=(0, math.pi / 2, 0), vertices=10) for z in
             [s * (0.75 + 0.2 * k) for s in (-1, 1) for k in range(6)]]
    assign([case, *links], metal)
    clear = stone_material("watch-glass", (1, 1, 1), 1.5, rng)
    assign([glass], clear)
    return {"kind": "watch", "stones": 0}


# --------------------------------------------------------------------------------------------- scene

def world_nodes(name):
    """A new world with nodes: (world, its node tree, the direction's coordinates, those split into X, Y, Z)."""
    world = bpy.data.worlds.new(name)
    world.use_nodes = True
    nt = world.node_tree
    coord = nt.nodes.new("ShaderNodeTexCoord")
    sep = nt.nodes.new("ShaderNodeSeparateXYZ")
    nt.links.new(coord.outputs["Generated"], sep.inputs["Vector"])
    return world, nt, coord, sep


def noise_color(nt, coord, scale):
    noise = nt.nodes.new("ShaderNodeTexNoise")
    noise.inputs["Scale"].default_value = scale
    nt.links.new(coord.outputs["Generated"], noise.inputs["Vector"])
    return noise.outputs["Color"]


def multiply(nt, a, b, fac):
    """Colour a multiplied by colour b, by fac (0: a alone)."""
    mix = nt.nodes.new("ShaderNodeMixRGB")
    mix.blend_type = "MULTIPLY"
    mix.inputs["Fac"].default_value = fac
    nt.links.new(a, mix.inputs["Color1"])
    nt.links.new(b, mix.inputs["Color2"])
    return mix.outputs["Color"]


def light_world(nt, color, strength):
    bg = nt.nodes["Background"]
    nt.links.new(color, bg.inputs["Color"])
    bg.inputs["Strength"].default_value = strength


def studio_world(rng):
    """A studio-like environment: a bright top, a dark floor and soft vertical gradients, so metal shows
    structured reflections (as photographed jewellery does) and sometimes blows out."""
    world, nt, coord, sep = world_nodes("studio")
    ramp = nt.nodes.new("ShaderNodeValToRGB")
    nt.links.new(sep.outputs["Z"], ramp.inputs["Fac"])
    ramp.color_ramp.elements[0].color = (0.02, 0.02, 0.02, 1)
    ramp.color_ramp.elements[1].color = (1, 1, 1, 1)
    ramp.color_ramp.elements[0].position = rng.uniform(0.3, 0.5)
    ramp.color_ramp.elements[1].position = rng.uniform(0.55, 0.8)
    noise = noise_color(nt, coord, rng.uniform(1, 6))
    light_world(nt, multiply(nt, ramp.outputs["Color"], noise, rng.uniform(0.2, 0.7)), rng.uniform(0.6, 1.6))
    return world


def tent_world(rng):
    """A light tent (the usual packshot set-up): white nearly all round, a greyer side where the camera looks in
    from, and at times a black card beside the piece, the one dark thing polished metal mirrors for definition."""
    world, nt, coord, sep = world_nodes("tent")
    # Greyer toward the camera's side (-y) and below, white above and behind.
    side = nt.nodes.new("ShaderNodeValToRGB")
    low = rng.uniform(0.3, 0.8)
    side.color_ramp.elements[0].color = (low, low, low, 1)
    side.color_ramp.elements[0].position = rng.uniform(0.0, 0.35)
    side.color_ramp.elements[1].position = rng.uniform(0.45, 0.8)
    nt.links.new(sep.outputs["Y"], side.inputs["Fac"])
    shade = side.outputs["Color"]
    if rng.random() < 0.5:
        card = nt.nodes.new("ShaderNodeValToRGB")
        card.color_ramp.interpolation = "CONSTANT"
        start, width = rng.uniform(0.1, 0.8), rng.uniform(0.05, 0.2)
        card.color_ramp.elements[0].color = (1, 1, 1, 1)
        card.color_ramp.elements[1].position = start
        card.color_ramp.elements[1].color = (0.02, 0.02, 0.02, 1)
        white = card.color_ramp.elements.new(min(start + width, 0.99))
        white.color = (1, 1, 1, 1)
        nt.links.new(sep.outputs["X"], card.inputs["Fac"])
        shade = multiply(nt, shade, card.outputs["Color"], 1.0)
    noise = noise_color(nt, coord, rng.uniform(1, 4))
    # The lights add to the tent's own light: a brighter tent blows out.
    light_world(nt, multiply(nt, shade, noise, rng.uniform(0.05, 0.3)), rng.uniform(0.5, 1.1))
    return world


def add_lights(rng):
    for k in range(rng.randint(1, 3)):
        bpy.ops.object.light_add(type="AREA", location=(rng.uniform(-4, 4), rng.uniform(-5, -2), rng.uniform(2, 5)))
        light = active()
        light.data.energy = rng.uniform(150, 900)
        light.data.size = rng.uniform(0.3, 3)
        direction = -light.location
        light.rotation_euler = direction.to_track_quat("-Z", "Y").to_euler()


def bounds(objs):
    corners = [o.matrix_world @ Vector(c) for o in objs for c in o.bound_box]
    return (Vector((min(c.x for c in corners), min(c.y for c in corners), min(c.z for c in corners))),
            Vector((max(c.x for c in corners), max(c.y for c in corners), max(c.z for c in corners))))


def frame_camera(rng, size, fill_range=(0.55, 1.1)):
    objs = [o for o in bpy.context.scene.objects if o.type == "MESH" and not o.is_shadow_catcher]
    lo, hi = bounds(objs)
    centre = (lo + hi) / 2
    extent = (hi - lo).length
    elev = rng.uniform(0.05, 1.2)
    azim = rng.uniform(-0.6, 0.6)
    fill = rng.uniform(*fill_range)  # how much of the frame the piece spans
    dist = extent / fill * 1.6
    cam_loc = centre + Vector((math.sin(azim) * math.cos(elev), -math.cos(azim) * math.cos(elev), math.sin(elev))) * dist
    bpy.ops.object.camera_add(location=cam_loc)
    cam = active()
    cam.rotation_euler = (centre - cam_loc).to_track_quat("-Z", "Y").to_euler()
    cam.data.lens = 50
    cam.data.sensor_width = 36
    # Off-centre and partly cut pieces happen in real photos.
    cam.data.shift_x = rng.uniform(-0.15, 0.15)
    cam.data.shift_y = rng.uniform(-0.15, 0.15)
    bpy.context.scene.camera = cam
    return {"elevation": elev, "azimuth": azim, "fill": fill}


def shadow_catcher(z):
    bpy.ops.mesh.primitive_plane_add(size=60, location=(0, 0, z))
    plane = active()
    plane.is_shadow_catcher = True
    return plane


# Surfaces a piece is photographed on, with their odds: studio sweeps, skin, and lifestyle props.
SURFACES = {"white": 3, "grey": 2, "skin": 3, "wood": 1, "fabric": 1, "marble": 1, "dark": 1}
SKIN_TONES = [(0.62, 0.42, 0.32), (0.52, 0.33, 0.23), (0.40, 0.24, 0.15), (0.22, 0.12, 0.07)]


def textured(nt, bsdf, rng, c1, c2, scale, stretch=(1, 1, 1), detail=4.0):
    """Base colour mixed between c1 and c2 by value noise (wood grain when stretched, veins when distorted)."""
    coord = nt.nodes.new("ShaderNodeTexCoord")
    mapping = nt.nodes.new("ShaderNodeMapping")
    mapping.inputs["Scale"].default_value = stretch
    mapping.inputs["Rotation"].default_value = (0, 0, rng.uniform(0, math.pi))
    noise = nt.nodes.new("ShaderNodeTexNoise")
    noise.inputs["Scale"].default_value = scale
    noise.inputs["Detail"].default_value = detail
    noise.inputs["Distortion"].default_value = rng.uniform(0, 4)
    ramp = nt.nodes.new("ShaderNodeValToRGB")
    ramp.color_ramp.elements[0].color = (*c1, 1)
    ramp.color_ramp.elements[1].color = (*c2, 1)
    ramp.color_ramp.elements[0].position = rng.uniform(0.3, 0.5)
    ramp.color_ramp.elements[1].position = rng.uniform(0.5, 0.7)
    nt.links.new(coord.outputs["Object"], mapping.inputs["Vector"])
    nt.links.new(mapping.outputs["Vector"], noise.inputs["Vector"])
    nt.links.new(noise.outputs["Fac"], ramp.inputs["Fac"])
    nt.links.new(ramp.outputs["Color"], bsdf.inputs["Base Color"])


def surface_material(rng, kind, glossy=0.25, smooth_skin=False):
    """The material of the surface the piece lies on (material index 0: background in every mask). smooth_skin:
    skin as it is photographed for jewellery (even, softly translucent, not mottled)."""
    m = bpy.data.materials.new("surface-" + kind)
    m.use_nodes = True
    nt = m.node_tree
    bsdf = nt.nodes["Principled BSDF"]
    jitter = lambda c, a=0.08: tuple(max(0.0, min(1.0, v * rng.uniform(1 - a, 1 + a))) for v in c)  # noqa: E731
    # Glossy at times: acrylic and polished stone mirror the piece (the mirror image is background).
    bsdf.inputs["Roughness"].default_value = rng.uniform(0.04, 0.2) if rng.random() < glossy else rng.uniform(0.3, 0.9)
    bsdf.inputs["Specular"].default_value = rng.uniform(0.2, 0.6)
    if kind == "white":
        v = rng.uniform(0.6, 0.9)
        bsdf.inputs["Base Color"].default_value = (*jitter((v, v, v), 0.03), 1)
    elif kind == "grey":
        v = rng.uniform(0.08, 0.45)
        bsdf.inputs["Base Color"].default_value = (*jitter((v, v, v), 0.06), 1)
    elif kind == "dark":
        v = rng.uniform(0.005, 0.04)
        bsdf.inputs["Base Color"].default_value = (*jitter((v, v * 0.9, v * 1.1), 0.3), 1)
        bsdf.inputs["Roughness"].default_value = rng.uniform(0.5, 1.0)  # velvet and suede
    elif kind == "skin":
        tone = jitter(rng.choice(SKIN_TONES))
        bsdf.inputs["Base Color"].default_value = (*tone, 1)
        bsdf.inputs["Subsurface"].default_value = rng.uniform(0.05, 0.3)
        bsdf.inputs["Subsurface Color"].default_value = (*jitter((0.8, 0.3, 0.2)), 1)
        bsdf.inputs["Subsurface Radius"].default_value = (0.05, 0.02, 0.01)
        bsdf.inputs["Roughness"].default_value = rng.uniform(0.35, 0.6)
        if smooth_skin:  # Burley subsurface a millimetre deep (in piece units), the red scattering furthest
            bsdf.subsurface_method = "BURLEY"
            bsdf.inputs["Subsurface"].default_value = rng.uniform(0.3, 0.8)
            bsdf.inputs["Subsurface Color"].default_value = (*tone, 1)
            bsdf.inputs["Subsurface Radius"].default_value = tuple(v * rng.uniform(0.08, 0.16) for v in (1.0, 0.4, 0.2))
            textured(nt, bsdf, rng, tone, jitter(tone, 0.05), rng.uniform(0.5, 2), detail=1.0)
        else:
            textured(nt, bsdf, rng, tone, jitter(tone, 0.12), rng.uniform(2, 8), detail=2.0)
    elif kind == "wood":
        c = jitter((0.25, 0.12, 0.05), 0.4)
        textured(nt, bsdf, rng, c, tuple(v * 0.55 for v in c), rng.uniform(1, 4), stretch=(1, 14, 1))
    elif kind == "fabric":
        c = jitter(rng.choice([(0.5, 0.45, 0.4), (0.1, 0.12, 0.25), (0.3, 0.05, 0.08), (0.6, 0.55, 0.5)]), 0.3)
        bsdf.inputs["Roughness"].default_value = rng.uniform(0.7, 1.0)
        textured(nt, bsdf, rng, c, tuple(v * 0.8 for v in c), rng.uniform(8, 25), detail=8.0)
    else:  # marble
        c = jitter((0.75, 0.73, 0.7), 0.05)
        textured(nt, bsdf, rng, c, jitter((0.3, 0.3, 0.32), 0.3), rng.uniform(0.5, 2), detail=10.0)
    return m


# Body parts jewellery is modelled on, with their odds and radii in piece units (a ring's radius is 1 unit,
# about 0.9 cm): a wrist's radius is 2.5–3.5 cm, a neck's 5–7.5 cm, a finger's about 1 cm.
BODY_PARTS = {"wrist": (3, (2.7, 3.9)), "neck": (2, (5.5, 8.5)), "finger": (1, (0.9, 1.3))}


def add_skin_body(rng, material, floor_z, lo, hi, glossy):
    """A wrist, neck or finger under the piece (lo, hi: its bounds): a long cylinder whose top touches the piece's
    lowest point, its axis mostly along the piece's longer side (so a chain or a ring's width rests along it),
    and at times a far wall."""
    part = rng.choices(list(BODY_PARTS), weights=[w for w, _ in BODY_PARTS.values()])[0]
    radius = rng.uniform(*BODY_PARTS[part][1])
    centre = (lo + hi) / 2
    along_x = (hi.x - lo.x) >= (hi.y - lo.y) if rng.random() < 0.8 else rng.random() < 0.5
    rotation = (0, math.pi / 2, 0) if along_x else (math.pi / 2, 0, 0)
    bpy.ops.mesh.primitive_cylinder_add(vertices=192, radius=radius, depth=60, rotation=rotation,
                                        location=(centre.x, centre.y, floor_z - radius))
    body = active()
    shade(body, True)
    body.data.materials.append(material)
    if rng.random() < 0.7:  # what lies beyond the skin's horizon: a backdrop or the room
        extent = (hi - lo).length
        bpy.ops.mesh.primitive_plane_add(size=60, location=(centre.x, centre.y + radius + extent * rng.uniform(2, 10),
                                                            floor_z), rotation=(math.pi / 2, 0, 0))
        active().data.materials.append(surface_material(rng, rng.choice(["dark", "grey", "grey", "white", "fabric", "wood"]), glossy))
    return {"surface": "skin", "body_part": part, "body_radius": radius, "along_x": along_x}


def add_surface(rng, floor_z, lo, hi, kinds=None, glossy=0.25, sweep=False, skin_body=False):
    """The surface under the piece (lo, hi: its bounds): filling the frame, or a table edge with the room or a far
    wall behind (never on a sweep, the light tent's seamless backdrop). skin_body: skin, when drawn, is a body
    part rather than a plane."""
    centre, extent = (lo + hi) / 2, (hi - lo).length
    if kinds:  # a later batch of chosen surfaces (scenes rendered without --surfaces stay as they were)
        kind = rng.choice(kinds)
    else:
        kind = rng.choices(list(SURFACES), weights=list(SURFACES.values()))[0]
    material = surface_material(rng, kind, glossy, smooth_skin=skin_body)
    if kind == "skin" and skin_body:
        return add_skin_body(rng, material, floor_z, lo, hi, glossy)
    edge = not sweep and rng.random() < 0.35
    # A 60-unit plane under the piece; at an edge, its far side lies 0.4–2 piece sizes behind it (the camera looks
    # along +y): a table or hand edge with what lies beyond showing against it.
    y = centre.y + extent * rng.uniform(0.4, 2.0) - 30 if edge else centre.y
    bpy.ops.mesh.primitive_plane_add(size=60, location=(centre.x, y, floor_z))
    active().data.materials.append(material)
    if edge and rng.random() < 0.6:  # a far wall of another colour (a room, a dark backdrop)
        bpy.ops.mesh.primitive_plane_add(size=60, location=(centre.x, centre.y + extent * rng.uniform(4, 12), floor_z),
                                         rotation=(math.pi / 2, 0, 0))
        wall = active()
        far = rng.choice(["dark", "grey", "white", "wood", "fabric"])
        wall.data.materials.append(surface_material(rng, far, glossy))
    return {"surface": kind, "edge": edge}


def setup_render(args, out_prefix):
    scene = bpy.context.scene
    scene.render.engine = "CYCLES"
    scene.cycles.device = "CPU"
    scene.cycles.samples = args.samples
    scene.cycles.max_bounces = 8
    scene.cycles.transmission_bounces = 8
    try:
        scene.cycles.use_denoising = True
        scene.cycles.denoiser = "OPENIMAGEDENOISE"
    except Exception:  # a build without OIDN renders noisier, which augmentation tolerates
        scene.cycles.use_denoising = False
    scene.render.resolution_x = scene.render.resolution_y = args.size
    if args.in_scene:
        # Without OpenImageDenoise (Debian's Blender has none) a visible surface is grainy: clamp the indirect
        # light's fireflies, and keep the environment's importance map small (it costs seconds a scene).
        # (Pieces on a transparent film keep their settings, so re-rendering them reproduces them.)
        scene.cycles.sample_clamp_indirect = 4.0
        scene.cycles.blur_glossy = 1.0
        scene.world.cycles.sample_map_resolution = 256
    scene.render.film_transparent = not args.in_scene
    scene.cycles.film_transparent_glass = not args.in_scene
    scene.view_settings.view_transform = "Standard"
    scene.render.image_settings.file_format = "PNG"
    scene.render.image_settings.color_mode = "RGB" if args.in_scene else "RGBA"
    scene.render.filepath = out_prefix + ("_rgb.png" if args.in_scene else "_rgba.png")
    view_layer = scene.view_layers[0]
    view_layer.use_pass_material_index = True
    # Masks from the material index, antialiased by the ID Mask node.
    scene.use_nodes = True
    tree = scene.node_tree
    for n in list(tree.nodes):
        tree.nodes.remove(n)
    rl = tree.nodes.new("CompositorNodeRLayers")
    comp = tree.nodes.new("CompositorNodeComposite")
    tree.links.new(rl.outputs["Image"], comp.inputs["Image"])
    tree.links.new(rl.outputs["Alpha"], comp.inputs["Alpha"])
    folder, base = os.path.split(out_prefix)
    for index, name in ((METAL_INDEX, "metal"), (STONE_INDEX, "stones")):
        idm = tree.nodes.new("CompositorNodeIDMask")
        idm.index = index
        idm.use_antialiasing = True
        tree.links.new(rl.outputs["IndexMA"], idm.inputs["ID value"])
        fo = tree.nodes.new("CompositorNodeOutputFile")
        fo.base_path = folder
        fo.format.file_format = "PNG"
        fo.format.color_mode = "BW"
        fo.file_slots[0].path = f"{base}_{name}_"
        tree.links.new(idm.outputs["Alpha"], fo.inputs[0])


def build_piece(rng, only=None):
    metal_id = rng.choice(list(METALS))
    f0, family = METALS[metal_id]
    metal = metal_material(metal_id, f0, rng.uniform(0.03, 0.22))
    stone_id = rng.choice(["diamond"] * 4 + [s for s in STONES if s != "diamond"])
    rgb, ior = STONES[stone_id]
    stone = stone_material(stone_id, rgb, ior, rng)
    small = stone_material("diamond-small", STONES["diamond"][0], 2.42, rng)
    kinds = ["solitaire", "halo", "eternity", "band", "chain", "pendant", "stud", "hoop", "bangle", "watch"]
    weights = [3, 2, 2, 1, 3, 2, 2, 1, 1, 1]
    if only:  # a later batch of chosen kinds (pieces rendered without --kinds stay as they were)
        kinds, weights = only, [1] * len(only)
    kind = rng.choices(kinds, weights=weights)[0]
    if kind in ("solitaire", "halo", "eternity", "band"):
        info = make_ring(rng, kind, metal, stone, small)
    elif kind == "chain":
        info = make_chain(rng, metal)
        info.pop("link"), info.pop("centre")
    elif kind == "plate-pendant":
        info = make_plate_pendant(rng, metal, stone, small)
    elif kind == "pendant":
        info = make_chain(rng, metal, stone)
    elif kind == "pair":  # pair and flat-ring only by name (--kinds), so the default kinds stay as they were
        info = make_pair(rng, metal, stone, small)
    elif kind == "flat-ring":
        info = make_flat_ring(rng, metal, stone, small)
    elif kind in ("pearl-strand", "bead-strand"):  # pearls and beads only by name, like pair and flat-ring
        info = make_strand(rng, metal, beads=kind == "bead-strand")
    elif kind == "pearl-earring":
        info = make_pearl_earring(rng, metal)
    elif kind == "pearl-pendant":
        info = make_pearl_pendant(rng, metal)
    elif kind == "stud":
        info = make_stud(rng, metal, stone)
    elif kind == "hoop":
        info = make_hoop(rng, metal)
    elif kind == "bangle":
        info = make_bangle(rng, metal, stone)
    else:
        info = make_watch(rng, metal, stone)
    info.update(metal=metal_id, family=family, stone=stone_id if info.get("stones") else None)
    if kind.startswith("pearl") or kind == "bead-strand":
        info["stone"] = "pearl" if kind.startswith("pearl") else "bead"
    return info


def render_one(args, index):
    rng = random.Random(args.seed * 1_000_003 + index)
    bpy.ops.wm.read_factory_settings(use_empty=True)
    info = build_piece(rng, args.kinds.split(",") if args.kinds else None)
    meshes = [o for o in bpy.context.scene.objects if o.type == "MESH"]
    floor_z = min(min((o.matrix_world @ Vector(c)).z for c in o.bound_box) for o in meshes)
    # Draws in the order pieces were always drawn in, so re-rendering reproduces them.
    with_shadow = not args.in_scene and rng.random() < 0.7
    if with_shadow:
        shadow_catcher(floor_z - 0.001)
    bpy.context.scene.world = tent_world(rng) if args.studio == "tent" else studio_world(rng)
    add_lights(rng)
    info["camera"] = frame_camera(rng, args.size, args.fill)  # framed on the piece alone, before any surface
    if args.in_scene:
        lo, hi = bounds(meshes)
        info.update(add_surface(rng, floor_z - 0.001, lo, hi, args.surfaces.split(",") if args.surfaces else None,
                                args.glossy, sweep=args.studio == "tent", skin_body=args.skin_body))
        info["studio"] = args.studio
    else:
        info["shadow"] = with_shadow
    prefix = os.path.join(args.out, f"{index:05d}")
    setup_render(args, prefix)
    bpy.context.scene.frame_set(1)
    bpy.ops.render.render(write_still=True)
    # File Output nodes append the frame number: name them plainly.
    for name in ("metal", "stones"):
        src = f"{prefix}_{name}_0001.png"
        if os.path.exists(src):
            os.replace(src, f"{prefix}_{name}.png")
    if args.in_scene and args.denoise_surface:
        denoise_surface_files(prefix)
        info["surface_denoised"] = True
    with open(prefix + ".json", "w") as f:
        json.dump(info, f)


def main():
    args = parse_args()
    os.makedirs(args.out, exist_ok=True)
    for i in range(args.start, args.start + args.count):
        if os.path.exists(os.path.join(args.out, f"{i:05d}.json")):
            continue  # resumable
        render_one(args, i)
        print(f"piece {i} done", flush=True)


main()
