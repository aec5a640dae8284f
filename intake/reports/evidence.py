"""Evidence files: type checked by content, stored outside the web root."""

import hashlib
import os
import secrets
import unicodedata
from dataclasses import dataclass
from pathlib import Path

# Magic bytes decide the type; the file name the reporter's system chose does not.
SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"%PDF-", "application/pdf"),
)

EXTENSIONS = {"image/png": "png", "image/jpeg": "jpg", "image/webp": "webp",
              "application/pdf": "pdf"}


@dataclass(frozen=True)
class Upload:
    """An accepted evidence file, validated but not yet written."""

    original_name: str
    content_type: str
    data: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def sniff_type(head: bytes) -> str | None:
    """Return the content type the bytes really are, if it is one we accept."""
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    for magic, content_type in SIGNATURES:
        if head.startswith(magic):
            return content_type
    return None


def store_uploads(uploads: list[Upload], directory: str) -> list[tuple[Upload, str]]:
    """Write each file under a random name and return (upload, stored name) pairs."""
    os.makedirs(directory, exist_ok=True)
    stored: list[tuple[Upload, str]] = []
    try:
        for upload in uploads:
            name = secrets.token_hex(16)
            tmp = Path(directory, name + ".part")
            tmp.write_bytes(upload.data)
            tmp.replace(Path(directory, name))  # atomic: no half-written evidence
            stored.append((upload, name))
    except OSError:
        remove_stored([name for _, name in stored], directory)
        raise
    return stored


def remove_stored(names: list[str], directory: str) -> None:
    """Delete stored files, used when the report that owns them could not be saved."""
    for name in names:
        Path(directory, name).unlink(missing_ok=True)


def shown_name(name: str) -> str:
    """Return the reporter's file name without controls, bidi overrides and other format marks.

    "invoice\u202egnp.exe" would otherwise read as "invoiceexe.png" on the case page.
    """
    return "".join(ch for ch in name if unicodedata.category(ch) not in ("Cc", "Cf")).strip()


def download_name(name: str, content_type: str) -> str:
    """Return the name to save a file under: the reporter's stem, the extension of its real type.

    A JPEG sent as "photo.exe" downloads as "photo.jpg", a PDF sent as "page.html" as "page.pdf".
    """
    stem = shown_name(name).rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    stem = stem.rsplit(".", 1)[0].strip(". ") if "." in stem else stem
    return f"{stem or 'evidence'}.{EXTENSIONS.get(content_type, 'bin')}"
