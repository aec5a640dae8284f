"""Evidence thumbnails: small JPEGs made here, so the case page never shows a reporter's file.

A reporter's upload is only ever decoded by Pillow, bounded in pixels before decoding (no
decompression bomb), re-encoded as a fresh JPEG and cached beside the evidence.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL import Image

THUMB_PX = 240  # the longest side of a thumbnail
MAX_PIXELS = 50_000_000  # larger images are refused before a single pixel is decoded
TYPES = {"image/png": "PNG", "image/jpeg": "JPEG", "image/webp": "WEBP"}
FOLDER = "thumbs"  # under UPLOAD_DIR; the orphan sweep looks at files of UPLOAD_DIR only


def cached_path(upload_dir: str, stored_name: str) -> Path:
    """Where the thumbnail of a stored evidence file is kept once made."""
    return Path(upload_dir, FOLDER, f"{stored_name}-{THUMB_PX}.jpg")


def _render(source: Path, content_type: str) -> Image.Image | None:
    """Decode the image at thumbnail size, or None if it is not a sane image of its type."""
    # Pillow loads here, on the first thumbnail a worker makes, not for every `flask` command.
    from PIL import Image, ImageOps

    try:
        with Image.open(source, formats=[TYPES[content_type]]) as image:
            if image.width * image.height > MAX_PIXELS:
                return None
            image.draft("RGB", (THUMB_PX, THUMB_PX))  # JPEG: decode at 1/2..1/8 scale
            image.thumbnail((THUMB_PX, THUMB_PX))
            upright = ImageOps.exif_transpose(image)  # phones store "rotate me" in EXIF
            return upright.convert("RGB")
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError, KeyError):
        return None


def thumbnail(upload_dir: str, stored_name: str, content_type: str) -> Path | None:
    """Return the cached thumbnail file, making it first; None if the file is no image."""
    target = cached_path(upload_dir, stored_name)
    if target.is_file():
        return target
    source = Path(upload_dir, stored_name)
    if content_type not in TYPES or not source.is_file():
        return None
    image = _render(source, content_type)
    if image is None:
        return None
    target.parent.mkdir(exist_ok=True)
    part = target.with_name(f"{target.name}.{secrets.token_hex(4)}.part")
    image.save(part, "JPEG", quality=80, optimize=True)
    os.replace(part, target)  # atomic: two staff opening the page at once both get a whole file
    return target
