"""Draws the toolbar icons (a white check mark on a blue rounded square) as PNGs, no dependencies."""
import struct
import sys
import zlib
from pathlib import Path


def pixel(x, y, n):
    u, v = (x + 0.5) / n, (y + 0.5) / n
    r = 0.18
    cx, cy = min(max(u, r), 1 - r), min(max(v, r), 1 - r)
    if (u - cx) ** 2 + (v - cy) ** 2 > r * r:
        return (0, 0, 0, 0)
    # Check mark: two thick segments.
    def near(ax, ay, bx, by, w=0.085):
        dx, dy = bx - ax, by - ay
        t = max(0, min(1, ((u - ax) * dx + (v - ay) * dy) / (dx * dx + dy * dy)))
        return (u - ax - t * dx) ** 2 + (v - ay - t * dy) ** 2 < w * w
    if near(0.26, 0.52, 0.43, 0.69) or near(0.43, 0.69, 0.75, 0.33):
        return (255, 255, 255, 255)
    return (0, 95, 184, 255)


def png(n):
    rows = b"".join(b"\0" + b"".join(struct.pack("4B", *pixel(x, y, n)) for x in range(n)) for y in range(n))
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", n, n, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")


out = Path(sys.argv[1] if len(sys.argv) > 1 else "extension/icons")
out.mkdir(parents=True, exist_ok=True)
for size in (16, 32, 48, 128):
    (out / f"icon-{size}.png").write_bytes(png(size))
