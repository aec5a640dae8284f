"""Shared fixtures: one migrated database per run (SQLite or TEST_DATABASE_URL)."""

import fcntl
import hashlib
import os
import random
import shutil
import struct
import zlib
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

import classifier
from classifier.card import library_versions
from intake import create_app
from intake.core.extensions import db, limiter
from intake.core.schema import upgrade_schema
from intake.triage.models import ModelActivation, ModelVersion

IN_CI = os.environ.get("CI") == "true"
# Fixture plugins: factories (make_user, make_report, ...), isolation (the rolled-back
# transaction), corpus_sample (a stratified fifth of the starter corpus), the public intake
# inputs, staff logins and case work. A fixture of one package only lives in
# tests/<package>/conftest.py.
pytest_plugins = ["factories", "isolation", "corpus_sample", "report_fixtures", "staff_fixtures",
                  "case_fixtures"]


def _isolate_parallel_worker() -> None:
    """Under pytest-xdist, give each worker its own PostgreSQL database and Redis database.

    Set before any test module reads the environment, so every fixture and every gunicorn
    started by a test sees the worker's own stores.
    """
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return
    number = int(worker.removeprefix("gw"))
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        base, name = url.rsplit("/", 1)
        own = f"{name}_{worker}"
        engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1),
                               isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            exists = conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"),
                                 {"n": own})
            if not exists:
                conn.execute(text(f'CREATE DATABASE "{own}"'))
        engine.dispose()
        os.environ["TEST_DATABASE_URL"] = f"{base}/{own}"
    storage = os.environ.get("RATELIMIT_STORAGE_URI", "")
    if storage.startswith("redis://"):
        host = storage.removeprefix("redis://").split("/", 1)[0]
        os.environ["RATELIMIT_STORAGE_URI"] = f"redis://{host}/{10 + number}"


_isolate_parallel_worker()


def _reset_postgres(url: str) -> None:
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        _reset_postgres(url)
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
    app = create_app({"DATABASE_URL": url, "SCHEMA_CHECK": False},
                     instance_path=str(tmp_path_factory.mktemp("instance")))
    with app.app_context():
        upgrade_schema()
        db.engine.dispose()
    return url


def _training_inputs_digest() -> str:
    """Digest everything the starter model's bytes depend on: the classifier package's code,
    its corpus, and the Python and library versions the artifact records."""
    digest = hashlib.sha256(repr(sorted(library_versions().items())).encode())
    package = Path(classifier.__file__).parent
    for path in sorted(p for p in package.rglob("*") if p.is_file() and p.suffix != ".pyc"):
        digest.update(str(path.relative_to(package)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:32]


@pytest.fixture(scope="session")
def model_blob(tmp_path_factory, pytestconfig) -> bytes:
    """The starter model as a stored artifact, trained once per test run.

    Every pytest-xdist worker of the run reads the same file: the first to take the lock
    trains and writes it, the others wait and read it. A copy is kept in pytest's cache
    under a digest of the training inputs: CI runs the suite twice (SQLite, then
    PostgreSQL) and a developer many times, and the same inputs give the same model, so
    only a change to the classifier, its corpus or a library trains it again.
    """
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        shared = shared.parent  # the run's own folder, above each worker's
    path = shared / "starter-model.skops"
    cache = getattr(pytestconfig, "cache", None)  # None under -p no:cacheprovider
    kept = (cache.mkdir("starter-model") / f"{_training_inputs_digest()}.skops"
            if cache is not None else None)
    with open(shared / "starter-model.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not path.exists() and kept is not None and kept.exists():
            shutil.copyfile(kept, path)
        if not path.exists():
            data = classifier.load_starter_corpus()
            model = classifier.train_model(data, random_state=0)
            partial = path.with_suffix(".partial")
            partial.write_bytes(classifier.dump_model(model, classifier.make_card(data, None)))
            partial.replace(path)
            if kept is not None:
                shutil.copyfile(path, kept.with_suffix(".partial"))
                kept.with_suffix(".partial").replace(kept)
    return path.read_bytes()


def _register(app, blob: bytes, version: str) -> None:
    with app.app_context():
        row = ModelVersion(version=version, sha256=classifier.artifact_sha256(blob),
                           size=len(blob), card={}, artifact=blob)
        db.session.add_all([row, ModelActivation(version=row)])
        db.session.commit()


@pytest.fixture
def register_model():
    """Store a model artifact as a registry version and make it the active model."""
    return _register


@pytest.fixture
def scoring_app(app_factory, model_blob):
    """An app that scores reports on intake with the starter model registered as v-test."""
    app = app_factory(SCORING_ENABLED=True, MODEL_CHECK_SECONDS=0)
    _register(app, model_blob, "v-test")
    return app


@pytest.fixture
def app(app_factory):
    return app_factory()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def limited_app(app_factory):
    """An app with rate limits on, using RATELIMIT_STORAGE_URI (Redis in CI) when set."""
    storage = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    app = app_factory(RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI=storage)
    with app.app_context():
        limiter.reset()
    return app


def _segment(marker: int, data: bytes) -> bytes:
    return struct.pack(">BBH", 0xFF, marker, len(data) + 2) + data


def random_jpeg_bytes(size: int, seed: int) -> bytes:
    """Return a baseline JPEG of exactly size bytes whose scan data is random, like a photo's.

    Compressed photo data is high-entropy: CR, LF and "--" appear anywhere in it, which is
    what trips multipart parsers that zero-filled test files never reach.
    """
    rng = random.Random(seed)
    header = (b"\xff\xd8" + _segment(0xE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")
              + _segment(0xDB, b"\x00" + bytes(rng.randrange(1, 64) for _ in range(64)))
              + _segment(0xC0, struct.pack(">BHHB", 8, 3000, 4000, 1) + b"\x01\x11\x00")
              + _segment(0xC4, b"\x00" + b"\x00\x01" + b"\x00" * 14 + b"\x00")
              + _segment(0xC4, b"\x10" + b"\x00\x01" + b"\x00" * 14 + b"\x00")
              + _segment(0xDA, b"\x01\x01\x00\x00\x3f\x00"))
    room = size - len(header) - 2
    # Entropy-coded data stuffs every 0xFF with 0x00, so no marker appears inside the scan.
    scan = rng.randbytes(room).replace(b"\xff", b"\xff\x00")[:room]
    if scan.endswith(b"\xff"):
        scan = scan[:-1] + b"\x00"
    return header + scan + b"\xff\xd9"


def random_png_bytes(width: int, height: int, seed: int) -> bytes:
    """Return an RGB PNG of random pixels (incompressible, so about width*height*3 bytes)."""
    rng = random.Random(seed)

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + rng.randbytes(width * 3) for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(rows, 1)) + chunk(b"IEND", b""))


@pytest.fixture(scope="session")
def random_jpeg():
    """Build a random-content JPEG of a given size in bytes (seeded: the same every run)."""
    return random_jpeg_bytes


@pytest.fixture(scope="session")
def random_png():
    """Build a random-pixel PNG of the given width and height (seeded)."""
    return random_png_bytes
