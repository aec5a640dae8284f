"""Evidence files: typed by their bytes, written atomically, removed if the report fails."""

from pathlib import Path

import pytest
from sqlalchemy.exc import IntegrityError

from intake.reports.evidence import Upload, remove_stored, sniff_type, store_uploads
from intake.reports.operations import ReportInput, submit_report

SNIFFED = {"png": "image/png", "jpeg": "image/jpeg", "webp": "image/webp",
           "pdf": "application/pdf"}


@pytest.mark.parametrize("kind", SNIFFED)
def test_accepted_kinds_are_recognised_by_content(sample, kind):
    assert sniff_type(sample(kind)[:16]) == SNIFFED[kind]


@pytest.mark.parametrize("data", [
    b"",
    b"GIF89a\x01\x00\x01\x00",
    b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>",
    b"<!doctype html><script>alert(1)</script>",
    b"RIFF\x24\x00\x00\x00WAVEfmt ",
    b"PK\x03\x04 a zip or docx",
    b"\x89PNX\r\n\x1a\n",
    b"MZ\x90\x00 an exe",
])
def test_other_content_is_refused(data):
    assert sniff_type(data[:16]) is None


def test_uploads_are_stored_under_random_names(tmp_path, sample):
    uploads = [Upload("../../etc/passwd.png", "image/png", sample("png")),
               Upload("a.pdf", "application/pdf", sample("pdf"))]

    stored = store_uploads(uploads, str(tmp_path / "up"))

    names = [name for _, name in stored]
    assert len(set(names)) == 2
    assert sorted(p.name for p in (tmp_path / "up").iterdir()) == sorted(names)
    for upload, name in stored:
        assert Path(tmp_path / "up", name).read_bytes() == upload.data
        assert "/" not in name and ".." not in name
    assert not list((tmp_path / "up").glob("*.part"))


def test_remove_stored_deletes_only_the_named_files(tmp_path, sample):
    keep, drop = (store_uploads([Upload("x.png", "image/png", sample("png"))], str(tmp_path))
                  for _ in range(2))

    remove_stored([drop[0][1], "already-gone"], str(tmp_path))

    assert [p.name for p in tmp_path.iterdir()] == [keep[0][1]]


def test_a_report_that_cannot_be_saved_leaves_no_files(app, sample, stored, nothing_stored):
    # A NOT NULL claim makes every database refuse the row after the files are written.
    data = ReportInput(claim=None, uploads=[Upload("a.png", "image/png", sample("png"))])

    with app.app_context(), pytest.raises(IntegrityError, match="claim"):
        submit_report(data, channel="web", upload_dir=app.config["UPLOAD_DIR"])

    assert stored(app) == nothing_stored


def test_evidence_is_stored_outside_the_web_root(app, client, form_data):
    client.post("/report", data=form_data())

    [stored_file] = Path(app.config["UPLOAD_DIR"]).iterdir()
    static = Path(app.static_folder).resolve()
    assert static not in stored_file.resolve().parents
    assert client.get(f"/static/{stored_file.name}").status_code == 404
    assert client.get(f"/uploads/{stored_file.name}").status_code == 404


def test_the_stored_file_name_is_cleaned_of_nul(app, client, form_data, upload, get_report):
    response = client.post("/report", data=form_data(evidence=[upload("png", name="a\x00b.png")]))

    code = response.location.rsplit("/", 1)[1]
    assert [a.original_name for a in get_report(app, code).attachments] == ["ab.png"]
