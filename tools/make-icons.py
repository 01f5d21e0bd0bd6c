"""Draws every icon and the store's promo tile from their SVG masters, with no dependencies.

    python3 tools/make-icons.py           write the PNGs
    python3 tools/make-icons.py --check   exit 1 if a committed PNG differs from its master

Masters (docs/store/images/): icon-master.svg, the icon; promo-master.svg, the 440×280 tile,
which places the icon master with <image>. Outputs:
  extension/icons/icon-{16,32,48}.png   full bleed (toolbar, extensions page)
  extension/icons/icon-128.png          96×96 artwork with 16 px transparent padding, as the
  docs/store/images/icon-128.png        Chrome Web Store asks of the 128 px icon
  docs/store/images/promo-440x280.png   the small promo tile

A small rasteriser for the shapes the masters use: rect (rx, fill or stroke), circle (fill or
stroke), polyline (stroke with round caps and joins), image (another master), 4×4 samples a
pixel."""
import struct
import sys
import xml.etree.ElementTree as ET
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IMAGES = ROOT / "docs" / "store" / "images"
SAMPLES = 4
SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}"


def colour(text):
    text = text.lstrip("#")
    return tuple(int(text[i:i + 2], 16) / 255 for i in (0, 2, 4))


def rounded_rect_contains(x, y, w, h, r):
    r = max(0.0, min(r, w / 2, h / 2))
    def inside(u, v):
        if u < x or v < y or u > x + w or v > y + h:
            return False
        cx = min(max(u, x + r), x + w - r)
        cy = min(max(v, y + r), y + h - r)
        return (u - cx) ** 2 + (v - cy) ** 2 <= r * r
    return inside


def segment_distance2(u, v, ax, ay, bx, by):
    dx, dy = bx - ax, by - ay
    t = max(0.0, min(1.0, ((u - ax) * dx + (v - ay) * dy) / (dx * dx + dy * dy or 1)))
    return (u - ax - t * dx) ** 2 + (v - ay - t * dy) ** 2


class Shape:
    """A test of whether a point (in the master's units) is painted, its colour and bounds."""

    def __init__(self, test, rgb, opacity, bounds):
        self.test, self.rgb, self.opacity, self.bounds = test, rgb, opacity, bounds


def shapes_of(path, scale=1.0, dx=0.0, dy=0.0):
    """The shapes of an SVG master, mapped by (scale, dx, dy) into the caller's units."""
    tree = ET.parse(path).getroot()
    out = []
    for e in tree:
        tag = e.tag.replace(SVG, "")
        f = lambda name, default=0.0: float(e.get(name, default))
        fill, stroke = e.get("fill", "#000000"), e.get("stroke")
        opacity = f("opacity", 1.0)
        if tag == "image":
            href = e.get("href") or e.get(XLINK + "href")
            inner = ET.parse(path.parent / href).getroot()
            vb = [float(n) for n in inner.get("viewBox").split()]
            s = f("width") / vb[2]
            out += shapes_of(path.parent / href, scale * s, dx + scale * f("x"), dy + scale * f("y"))
            continue
        if tag == "rect":
            x, y, w, h, r = (f(n) * scale for n in ("x", "y", "width", "height", "rx"))
            x, y = x + dx, y + dy
            if fill != "none":
                out.append(Shape(rounded_rect_contains(x, y, w, h, r), colour(fill), opacity, (x, y, x + w, y + h)))
            if stroke:
                half = f("stroke-width", 1) * scale / 2
                outer = rounded_rect_contains(x - half, y - half, w + 2 * half, h + 2 * half, r + half)
                inner = rounded_rect_contains(x + half, y + half, w - 2 * half, h - 2 * half, max(r - half, 0))
                out.append(Shape(lambda u, v, o=outer, i=inner: o(u, v) and not i(u, v), colour(stroke), opacity,
                                 (x - half, y - half, x + w + half, y + h + half)))
        elif tag == "circle":
            cx, cy, r = f("cx") * scale + dx, f("cy") * scale + dy, f("r") * scale
            if fill != "none":
                out.append(Shape(lambda u, v, cx=cx, cy=cy, r=r: (u - cx) ** 2 + (v - cy) ** 2 <= r * r,
                                 colour(fill), opacity, (cx - r, cy - r, cx + r, cy + r)))
            if stroke:
                half = f("stroke-width", 1) * scale / 2
                lo, hi = (r - half) ** 2, (r + half) ** 2
                out.append(Shape(lambda u, v, cx=cx, cy=cy, lo=lo, hi=hi: lo <= (u - cx) ** 2 + (v - cy) ** 2 <= hi,
                                 colour(stroke), opacity, (cx - r - half, cy - r - half, cx + r + half, cy + r + half)))
        elif tag == "polyline":
            pts = [tuple(float(n) for n in p.split(",")) for p in e.get("points").split()]
            pts = [(px * scale + dx, py * scale + dy) for px, py in pts]
            half = f("stroke-width", 1) * scale / 2
            segs = list(zip(pts, pts[1:]))
            test = lambda u, v, segs=segs, h2=half * half: any(
                segment_distance2(u, v, a[0], a[1], b[0], b[1]) <= h2 for a, b in segs)
            xs, ys = [p[0] for p in pts], [p[1] for p in pts]
            out.append(Shape(test, colour(stroke or "#000000"), opacity,
                             (min(xs) - half, min(ys) - half, max(xs) + half, max(ys) + half)))
        elif tag in ("title", "desc", "defs") or not isinstance(e.tag, str):
            continue
        else:
            raise SystemExit(f"{path.name}: <{tag}> is not drawn by make-icons.py")
    return out


def render(master, width, height, padding=0):
    """RGBA rows of `master` drawn into width×height pixels, `padding` pixels clear around it."""
    vb = [float(n) for n in ET.parse(master).getroot().get("viewBox").split()]
    scale = (width - 2 * padding) / vb[2]
    shapes = shapes_of(master, scale, padding - vb[0] * scale, padding - vb[1] * scale)
    offsets = [(i + 0.5) / SAMPLES for i in range(SAMPLES)]
    rows = []
    for py in range(height):
        row = bytearray()
        near = [s for s in shapes if s.bounds[1] <= py + 1 and s.bounds[3] >= py]
        for px in range(width):
            r = g = b = a = 0.0
            for s in near:
                x0, y0, x1, y1 = s.bounds
                if x1 < px or x0 > px + 1:
                    continue
                hits = sum(s.test(px + ox, py + oy) for oy in offsets for ox in offsets)
                if not hits:
                    continue
                alpha = s.opacity * hits / (SAMPLES * SAMPLES)
                # Premultiplied "over".
                r, g, b = (c * alpha + old * (1 - alpha) for c, old in zip(s.rgb, (r, g, b)))
                a = alpha + a * (1 - alpha)
            if a > 0:
                row += bytes(round(min(1.0, c / a) * 255) for c in (r, g, b)) + bytes([round(a * 255)])
            else:
                row += b"\0\0\0\0"
        rows.append(bytes(row))
    return rows


def png(width, height, rows):
    raw = b"".join(b"\0" + row for row in rows)
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def outputs():
    icon, tile = IMAGES / "icon-master.svg", IMAGES / "promo-master.svg"
    icons = ROOT / "extension" / "icons"
    padded = png(128, 128, render(icon, 128, 128, padding=16))
    out = {icons / f"icon-{n}.png": png(n, n, render(icon, n, n)) for n in (16, 32, 48)}
    out[icons / "icon-128.png"] = padded
    out[IMAGES / "icon-128.png"] = padded
    out[IMAGES / "promo-440x280.png"] = png(440, 280, render(tile, 440, 280))
    return out


def main():
    check = "--check" in sys.argv
    stale = []
    for path, data in outputs().items():
        if check:
            if not path.exists() or path.read_bytes() != data:
                stale.append(str(path.relative_to(ROOT)))
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
    if stale:
        sys.exit("icons differ from their SVG masters (run python3 tools/make-icons.py): " + ", ".join(stale))


main()
