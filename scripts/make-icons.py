#!/usr/bin/env python3
"""Draws the app icon (a white key on a blue rounded square) into icons/.

Standard library only, so anyone can regenerate the icons without image tools.
Shapes are signed-distance functions evaluated at every pixel centre, which gives
smooth edges at every size without supersampling. Run from anywhere:
    python3 scripts/make-icons.py
"""

import math
import os
import struct
import zlib

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "icons")

TOP = (56, 120, 214)      # background gradient, top-left
BOTTOM = (27, 74, 150)    # background gradient, bottom-right
KEY = (255, 255, 255)


def sd_round_rect(x, y, cx, cy, hw, hh, r):
    qx = abs(x - cx) - hw + r
    qy = abs(y - cy) - hh + r
    outside = math.hypot(max(qx, 0.0), max(qy, 0.0))
    return outside + min(max(qx, qy), 0.0) - r


def sd_circle(x, y, cx, cy, r):
    return math.hypot(x - cx, y - cy) - r


def sd_box(x, y, x0, y0, x1, y1):
    return sd_round_rect(x, y, (x0 + x1) / 2, (y0 + y1) / 2, (x1 - x0) / 2, (y1 - y0) / 2, 0.0)


def sd_key(x, y):
    """A key lying along the diagonal, bow at the upper left, bit at the lower right."""
    # Rotate the point so the key can be described lying flat.
    c, s = math.cos(math.radians(45)), math.sin(math.radians(45))
    px, py = x - 0.5, y - 0.5
    # The key's extent along its axis is centred on the icon by the small shifts.
    kx, ky = c * px + s * py + 0.5 - 0.0525, -s * px + c * py + 0.5 - 0.01
    bow = max(sd_circle(kx, ky, 0.30, 0.5, 0.155), -sd_circle(kx, ky, 0.30, 0.5, 0.065))
    shaft = sd_round_rect(kx, ky, 0.585, 0.5, 0.165, 0.036, 0.02)
    tooth1 = sd_round_rect(kx, ky, 0.665, 0.575, 0.026, 0.06, 0.012)
    tooth2 = sd_round_rect(kx, ky, 0.727, 0.565, 0.026, 0.05, 0.012)
    return min(bow, shaft, tooth1, tooth2)


def coverage(d, px):
    """Fraction of a pixel of size `px` inside a shape at signed distance `d`."""
    return min(1.0, max(0.0, 0.5 - d / px))


def render(size):
    px = 1.0 / size
    rows = []
    for j in range(size):
        row = bytearray([0])  # filter type: none
        for i in range(size):
            x, y = (i + 0.5) * px, (j + 0.5) * px
            bg = coverage(sd_round_rect(x, y, 0.5, 0.5, 0.44, 0.44, 0.1), px)
            t = (x + y) / 2
            base = [TOP[k] * (1 - t) + BOTTOM[k] * t for k in range(3)]
            fg = coverage(sd_key(x, y), px) * bg
            rgb = [base[k] * (1 - fg) + KEY[k] * fg for k in range(3)]
            row += bytes([round(v) for v in rgb] + [round(255 * bg)])
        rows.append(bytes(row))
    return png(size, size, b"".join(rows))


def png(w, h, raw):
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", w, h, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def ico(images):
    """An .ico holding PNG images (Windows Vista and later read PNG entries)."""
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = 6 + 16 * len(images)
    entries, blobs = b"", b""
    for size, data in images:
        dim = 0 if size >= 256 else size
        entries += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(data), offset)
        blobs += data
        offset += len(data)
    return header + entries + blobs


def icns(images):
    """An .icns holding PNG images under their size-specific type codes."""
    codes = {128: b"ic07", 256: b"ic08", 512: b"ic09"}
    body = b"".join(codes[s] + struct.pack(">I", 8 + len(d)) + d for s, d in images)
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def main():
    os.makedirs(OUT, exist_ok=True)
    sizes = {32: "32x32.png", 128: "128x128.png", 256: "128x128@2x.png", 512: "icon.png"}
    rendered = {size: render(size) for size in sizes}
    for size, name in sizes.items():
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(rendered[size])
    with open(os.path.join(OUT, "icon.ico"), "wb") as f:
        f.write(ico([(32, rendered[32]), (256, rendered[256])]))
    with open(os.path.join(OUT, "icon.icns"), "wb") as f:
        f.write(icns([(128, rendered[128]), (256, rendered[256]), (512, rendered[512])]))


if __name__ == "__main__":
    main()
