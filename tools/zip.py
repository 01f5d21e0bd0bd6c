"""Writes a zip whose bytes depend only on the files' names and contents: entries sorted, one
fixed timestamp, fixed permissions, no extra fields. So the same tree gives the same zip on any
machine, at any time (the store package, the Firefox package, the source zip).

    python3 tools/zip.py OUT.zip DIR [EXTRA_FILE=NAME_IN_ZIP ...]

The timestamp is SOURCE_DATE_EPOCH when set (build.sh sets it to the commit's time), else
1980-01-01, the earliest a zip can hold."""
import os
import sys
import time
import zipfile
from pathlib import Path


def main(out, root, extras):
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "315532800"))
    stamp = time.gmtime(max(epoch, 315532800))[:6]
    entries = {}
    base = Path(root)
    for path in base.rglob("*"):
        if path.is_file():
            entries[path.relative_to(base).as_posix()] = path
    for extra in extras:
        source, _, name = extra.partition("=")
        entries[name or Path(source).name] = Path(source)
    tmp = out + ".tmp"
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name in sorted(entries):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            # Only the executable bit is kept (git keeps no more), not the umask's group bits.
            info.external_attr = (0o100755 if os.access(entries[name], os.X_OK) else 0o100644) << 16
            info.create_system = 3  # Unix, whatever builds it
            archive.writestr(info, entries[name].read_bytes(), compresslevel=9)
    os.replace(tmp, out)


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit("usage: python3 tools/zip.py OUT.zip DIR [FILE=NAME ...]")
    main(sys.argv[1], sys.argv[2], sys.argv[3:])
