"""Fixtures for the public intake: sample evidence files, valid inputs, what got stored."""

import io
import os
import secrets
import struct
import zlib
from pathlib import Path

import pytest
from flask import Flask

from intake import create_app
from intake.core.config import ENV_KEYS
from intake.core.extensions import db
from intake.core.models import Attachment, Case, IdempotencyKey, Report, ReportUrl


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))


def _png() -> bytes:
    # 1x1 RGB pixel: filter byte 0, then red.
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header)
            + _png_chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
            + _png_chunk(b"IEND", b""))


def _jpeg_segment(marker: int, data: bytes) -> bytes:
    return struct.pack(">BBH", 0xFF, marker, len(data) + 2) + data


def _jpeg() -> bytes:
    # Baseline 1x1 greyscale: one block whose coefficients are all zero.
    quant = b"\x00" + b"\x01" * 64
    frame = struct.pack(">BHHB", 8, 1, 1, 1) + b"\x01\x11\x00"
    dc = b"\x00" + b"\x01" + b"\x00" * 15 + b"\x00"  # one 1-bit code: category 0
    ac = b"\x10" + b"\x01" + b"\x00" * 15 + b"\x00"  # one 1-bit code: end of block
    scan = b"\x01" + b"\x01\x00" + b"\x00\x3f\x00"
    return (b"\xff\xd8" + _jpeg_segment(0xDB, quant) + _jpeg_segment(0xC0, frame)
            + _jpeg_segment(0xC4, dc) + _jpeg_segment(0xC4, ac) + _jpeg_segment(0xDA, scan)
            + b"\x3f" + b"\xff\xd9")


def _webp() -> bytes:
    # 1x1 lossless (VP8L) image.
    chunk = b"VP8L" + struct.pack("<I", 13) + bytes.fromhex("2f000000100710111188 88fe0700")
    return b"RIFF" + struct.pack("<I", 4 + len(chunk)) + b"WEBP" + chunk


def _pdf() -> bytes:
    objects = [b"<</Type/Catalog/Pages 2 0 R>>", b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
               b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 72 72]>>"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


SAMPLES = {"png": _png(), "jpeg": _jpeg(), "webp": _webp(), "pdf": _pdf()}


@pytest.fixture
def sample():
    """Return the bytes of a real tiny file of the given kind (png, jpeg, webp, pdf)."""
    return SAMPLES.__getitem__


@pytest.fixture
def upload():
    """Build a (stream, filename) pair the test client sends as a multipart file."""

    def make(kind: str = "png", name: str | None = None, data: bytes | None = None):
        return io.BytesIO(SAMPLES[kind] if data is None else data), name or f"evidence.{kind}"

    return make


@pytest.fixture
def form_data(upload):
    """A valid report form (English, one PNG); keyword arguments override fields."""

    def make(**overrides):
        data = {
            "urls": "https://www.example.com/news/ev-fire?utm_source=wechat",
            "platform": "weibo",
            "claim": "A video says a parked electric car caught fire by itself in Wuhan.",
            "explanation": "The same video circulated in 2021 about a different city.",
            "seen_at": "2024-03-01",
            "contact_email": "",
            "contact_phone": "",
            "good_faith": "y",
            "evidence": [upload("png")],
        }
        data.update(overrides)
        return {key: value for key, value in data.items() if value is not None}

    return make


@pytest.fixture
def api_body():
    """A valid API body (English); keyword arguments override fields, None removes one."""

    def make(**overrides):
        body = {
            "claim": "A post says robotaxis in Wuhan drive with nobody able to stop them.",
            "url": "https://m.example.com/post/42/?share_source=copy_link",
            "platform": "weibo",
            "explanation": "The operator's safety driver programme is public.",
            "seen_at": "2024-03-01T08:30:00Z",
        }
        body.update(overrides)
        return {key: value for key, value in body.items() if value is not None}

    return make


@pytest.fixture
def stored(tmp_path):
    """Count what the intake wrote: rows per table and evidence files on disk."""

    def count(app: Flask) -> dict[str, int]:
        with app.app_context():
            rows = {
                name: db.session.scalar(db.select(db.func.count()).select_from(model))
                for name, model in (("reports", Report), ("cases", Case),
                                    ("urls", ReportUrl), ("attachments", Attachment),
                                    ("idempotency_keys", IdempotencyKey))
            }
        upload_dir = Path(app.config["UPLOAD_DIR"])
        rows["files"] = len(list(upload_dir.iterdir())) if upload_dir.exists() else 0
        return rows

    return count


@pytest.fixture
def nothing_stored():
    return {"reports": 0, "cases": 0, "urls": 0, "attachments": 0, "idempotency_keys": 0,
            "files": 0}


@pytest.fixture
def get_report():
    """Load a stored report by tracking code (with its case, links and attachments)."""

    def load(app: Flask, code: str) -> Report:
        with app.app_context():
            report = db.session.scalars(
                db.select(Report).where(Report.tracking_code == code)
            ).one()
            for relation in (report.case, report.urls, report.attachments):
                assert relation is not None  # loaded before the session closes
            db.session.expunge_all()
            return report

    return load


@pytest.fixture
def rate_limited_app(app_factory):
    """Build an app with rate limits on (Redis when RATELIMIT_STORAGE_URI says so)."""

    def build(**limits):
        storage = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
        return app_factory(RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI=storage, **limits)

    return build


@pytest.fixture
def client_from():
    """A test client with its own random address, so its rate-limit counters start at zero.

    Limits are kept per address; a fresh one keeps runs that share a Redis apart.
    """

    def make(app: Flask):
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = "10." + ".".join(
            str(secrets.randbelow(254) + 1) for _ in range(3))
        return client

    return make


@pytest.fixture
def clean_env(monkeypatch):
    """Remove configuration the environment may carry (CI sets some), for config tests."""
    for key in [*ENV_KEYS, "FLASK_RUN_FROM_CLI"]:
        monkeypatch.delenv(key, raising=False)
    for key in [k for k in os.environ if k.startswith("REPORTDESK_")]:
        monkeypatch.delenv(key)
    return monkeypatch


@pytest.fixture
def standalone_app(clean_env):
    """Build apps on their own instance folder and database, not the shared test database."""
    made = []

    def build(instance_path: Path, **overrides):
        app = create_app(overrides or None, instance_path=str(instance_path))
        made.append(app)
        return app

    yield build
    for app in made:
        with app.app_context():
            db.engine.dispose()
