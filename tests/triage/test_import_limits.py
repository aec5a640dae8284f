"""Model import refuses zip bombs before decompressing, and version names it would cut."""

import hashlib
import io
import zipfile

import pytest

from classifier import persistence
from classifier.card import FORMAT


def _sha(blob: bytes) -> str:
    return hashlib.sha256(blob).hexdigest()


def _with_member(blob: bytes, name: str, size: int) -> bytes:
    """Return the artifact with one more member of `size` zero bytes (tiny once deflated)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(blob)) as src, zipfile.ZipFile(out, "w") as dst:
        for old in src.infolist():
            dst.writestr(old, src.read(old))
        info = zipfile.ZipInfo(name)
        info.compress_type = zipfile.ZIP_DEFLATED
        with dst.open(info, "w", force_zip64=True) as member:
            chunk = bytes(1024 * 1024)
            for _ in range(size // len(chunk)):
                member.write(chunk)
    return out.getvalue()


def _import(app, path, blob: bytes, *extra: str):
    path.write_bytes(blob)
    return app.test_cli_runner().invoke(args=[
        "model", "import", str(path), "--sha256", _sha(blob), *extra])


def test_an_extra_huge_member_is_refused_before_loading(app, model_blob, tmp_path,
                                                        monkeypatch):
    # A smaller cap for the test: the same check, without writing a gigabyte.
    monkeypatch.setattr(persistence, "MAX_UNCOMPRESSED", 64 * 1024 * 1024)
    bomb = _with_member(model_blob, "extra.npy", 80 * 1024 * 1024)
    assert len(bomb) < 2 * len(model_blob)

    result = _import(app, tmp_path / "bomb.skops", bomb, "--as", "v-bomb")

    assert result.exit_code != 0
    assert "bytes uncompressed, at most" in result.output
    assert "Traceback" not in result.output


def test_too_many_members_are_refused(app, model_blob, tmp_path, monkeypatch):
    monkeypatch.setattr(persistence, "MAX_MEMBERS", 20)
    blob = model_blob
    for n in range(5):
        blob = _with_member(blob, f"m{n}.npy", 0)

    result = _import(app, tmp_path / "many.skops", blob)

    assert result.exit_code != 0 and "members, at most 20 allowed" in result.output


def test_an_oversized_schema_is_refused(model_blob, monkeypatch):
    monkeypatch.setattr(persistence, "MAX_SCHEMA_BYTES", 100 * 1024)

    with pytest.raises(persistence.ModelLoadError, match="a schema of .* bytes, at most"):
        persistence.load_model(model_blob)


def test_the_real_model_fits_the_default_caps(model_blob):
    model, card = persistence.load_model(model_blob, _sha(model_blob))
    assert card["format"] == FORMAT


@pytest.mark.parametrize("name", ["v" * 65, "模型" * 40])
def test_a_version_name_over_64_characters_is_refused_not_cut(app, model_blob, tmp_path, name):
    first = _import(app, tmp_path / "a.skops", model_blob, "--as", name)
    second = _import(app, tmp_path / "a.skops", model_blob, "--as", name + "x")

    for result in (first, second):
        assert result.exit_code != 0
        assert "a version name has 1 to 64 characters" in result.output
        assert "Traceback" not in result.output and "IntegrityError" not in result.output
