#!/usr/bin/python3
"""Prints a JSON description of a PSD as read by psd-tools (Debian: apt-get install python3-psd-tools).

Used by test/hosts/writeLayeredPsd.test.ts as an independent reader of what Loupe writes. Run it with
Debian's /usr/bin/python3 (where the apt package installs psd_tools), not a pyenv/venv python.

    /usr/bin/python3 test/readers/inspect_psd.py file.psd
"""
import hashlib
import json
import struct
import sys

import numpy as np
from psd_tools import PSDImage
from psd_tools.constants import Resource, Tag


def sha256(b):
    return hashlib.sha256(bytes(b)).hexdigest()


def mask_info(layer):
    m = layer.mask
    if m is None:
        return None
    info = {'bbox': list(m.bbox), 'default_color': int(m.background_color), 'disabled': bool(m.disabled)}
    img = m.topil()
    if img is not None:
        info['sha256'] = sha256(img.tobytes())
    return info


def adjustment_info(layer, out):
    blocks = layer._record.tagged_blocks
    if blocks.get_data(Tag.CURVES) is not None:
        c = blocks.get_data(Tag.CURVES)
        bits = c.count_map
        names = [n for i, n in enumerate(['rgb', 'red', 'green', 'blue']) if bits & (1 << i)]
        # psd-tools stores points as (output, input); report {input, output} like Loupe's recipe
        out['curves'] = {n: [{'input': int(p[1]), 'output': int(p[0])} for p in pts] for n, pts in zip(names, c.data)}
        if c.extra is not None:
            out['curves_extra'] = {str(item.channel_id): [{'input': int(p[1]), 'output': int(p[0])} for p in item.points] for item in c.extra}
    hs = blocks.get_data(Tag.HUE_SATURATION)
    if hs is not None:
        out['huesat'] = {
            'colorize': int(hs.enable),
            'colorization': list(hs.colorization),
            'master': list(hs.master),
            'ranges': [[list(r) for r in item] if isinstance(item, (list, tuple)) and item and isinstance(item[0], (list, tuple)) else list(item) for item in hs.items],
        }
    cb = blocks.get_data(Tag.COLOR_BALANCE)
    if cb is not None:
        out['colorbalance'] = {'shadows': list(cb.shadows), 'midtones': list(cb.midtones), 'highlights': list(cb.highlights), 'preserve_luminosity': bool(cb.luminosity)}
    mx = blocks.get_data(Tag.CHANNEL_MIXER)
    if mx is not None:
        # psd-tools parses only the first record; the rest (green, blue, gray) is in .unknown
        shorts = list(mx.data) + list(struct.unpack('>%dh' % (len(mx.unknown) // 2), mx.unknown[: len(mx.unknown) // 2 * 2]))
        recs = [shorts[i:i + 5] for i in range(0, 20, 5)]
        out['mixer'] = {'monochrome': int(mx.monochrome), **{n: [r[0], r[1], r[2], r[4]] for n, r in zip(['red', 'green', 'blue', 'gray'], recs)}}


def layer_info(layer):
    rec = layer._record
    out = {
        'name': layer.name,
        'kind': layer.kind,
        'blend': layer.blend_mode.name,
        'opacity': int(layer.opacity),
        'clip': bool(layer.clipping_layer),
        'visible': bool(layer.visible),
        'bbox': list(layer.bbox),
        'transparency_protected': bool(rec.flags.transparency_protected),
        'channel_ids': [int(ci.id) for ci in rec.channel_info],
        'mask': mask_info(layer),
    }
    if layer.is_group():
        divider = rec.tagged_blocks.get_data(Tag.SECTION_DIVIDER_SETTING)
        out['open'] = divider is not None and int(divider.kind) == 1
        out['children'] = [layer_info(c) for c in layer]
    elif layer.kind == 'pixel':
        img = layer.topil()
        out['pixels_sha256'] = sha256(img.convert('RGBA').tobytes()) if img is not None else None
    adjustment_info(layer, out)
    return out


def main(path):
    psd = PSDImage.open(path)
    header = psd._record.header
    res = psd.image_resources
    out = {
        'width': psd.width,
        'height': psd.height,
        'depth': psd.depth,
        'channels': header.channels,
        'color_mode': psd.color_mode.name,
        'layers': [layer_info(l) for l in psd],
        'alpha_names': [s.rstrip('\x00') for s in (res.get_data(Resource.ALPHA_NAMES_UNICODE) or [])],
        'alpha_names_pascal': [s.decode('latin-1') if isinstance(s, bytes) else s for s in (res.get_data(Resource.ALPHA_NAMES_PASCAL) or [])],
        'alpha_identifiers': list(res.get_data(Resource.ALPHA_IDENTIFIERS) or []),
        'has_display_info': res.get_data(Resource.DISPLAY_INFO) is not None,
        'xmp_length': len(res.get_data(Resource.XMP_METADATA) or b''),
    }
    icc = res.get_data(Resource.ICC_PROFILE)
    if icc is not None:
        icc = bytes(icc)
        desc = ''
        count = struct.unpack('>I', icc[128:132])[0]
        for i in range(count):
            sig, off, size = struct.unpack('>4sII', icc[132 + 12 * i:144 + 12 * i])
            if sig == b'desc':
                n = struct.unpack('>I', icc[off + 8:off + 12])[0]
                desc = icc[off + 12:off + 12 + n].rstrip(b'\x00').decode('latin-1')
        out['icc'] = {'size': len(icc), 'description': desc, 'sha256': sha256(icc)}
    resinfo = res.get_data(Resource.RESOLUTION_INFO)
    if resinfo is not None:
        out['resolution'] = resinfo.horizontal / 65536  # 16.16 fixed point
    planes = psd._record.image_data.get_data(header)
    color = np.stack([np.frombuffer(p, dtype=np.uint8) for p in planes[:3]], axis=-1)
    out['composite'] = {'sha256_rgb': sha256(color.tobytes()), 'mean': [round(float(v), 3) for v in color.reshape(-1, 3).mean(axis=0)]}
    out['merged_channels'] = [{'sha256': sha256(p), 'mean': round(float(np.frombuffer(p, dtype=np.uint8).mean()), 3)} for p in planes]
    print(json.dumps(out, indent=1))


if __name__ == '__main__':
    main(sys.argv[1])
