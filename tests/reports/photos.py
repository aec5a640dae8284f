"""Real-sized evidence photos for tests: camera-sized JPEGs of random noise (incompressible)."""

import io
import os

from PIL import Image


def noise_jpeg(width: int = 2400, height: int = 1800, quality: int = 90) -> bytes:
    """Return a JPEG of random noise: about 4 MB at the default size, like a phone photo."""
    image = Image.frombytes("RGB", (width, height), os.urandom(width * height * 3))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality)
    return out.getvalue()


def png_header(width: int, height: int) -> bytes:
    """Return the start of a PNG that claims a size, enough for Pillow to read its header."""
    import struct
    import zlib

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    return (b"\x89PNG\r\n\x1a\n" + struct.pack(">I", len(ihdr)) + chunk
            + struct.pack(">I", zlib.crc32(chunk)) + b"\x00" * 64)
