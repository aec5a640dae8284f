"""`flask reports sweep-uploads`: files a killed upload left behind go; owned and new ones stay."""

import os
import time
from pathlib import Path

from intake.core import jobs
from intake.reports import upload_sweep

EN = {"Accept-Language": "en"}


def _age(path: Path, hours: float) -> None:
    then = time.time() - hours * 3600
    os.utime(path, (then, then))


def test_orphans_and_part_files_are_swept(app, client, form_data, upload, get_report,
                                          random_jpeg):
    response = client.post("/report", data=form_data(evidence=[
        upload(name="photo.jpg", data=random_jpeg(200_000, seed=5))]), headers=EN)
    code = response.location.rsplit("/", 1)[1]
    [owned] = get_report(app, code).attachments
    folder = Path(app.config["UPLOAD_DIR"])
    orphan, part, fresh = (folder / ("a" * 32), folder / ("b" * 32 + ".part"), folder / ("c" * 32))
    for path in (orphan, part, fresh):
        path.write_bytes(random_jpeg(50_000, seed=6))
    for path in (orphan, part, folder / owned.stored_name):
        _age(path, 3)

    result = app.test_cli_runner().invoke(args=["reports", "sweep-uploads", "--older-than", "1h"])

    assert result.exit_code == 0, result.output
    assert "Removed 2 evidence files no report owns" in result.output
    assert sorted(p.name for p in folder.iterdir()) == sorted([owned.stored_name, fresh.name])


def test_a_bad_age_is_refused(app):
    result = app.test_cli_runner().invoke(args=["reports", "sweep-uploads", "--older-than", "soon"])

    assert result.exit_code != 0 and "--older-than" in result.output


def test_the_job_worker_sweeps_daily_without_cron(app, random_jpeg):
    folder = Path(app.config["UPLOAD_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    orphan, fresh = folder / ("d" * 32 + ".part"), folder / ("e" * 32)
    for path in (orphan, fresh):
        path.write_bytes(random_jpeg(50_000, seed=7))
    _age(orphan, 2)
    huey = jobs.make_huey(app)
    jobs.register_jobs(huey, app)
    assert "sweep_uploads" in [task.__name__ for task in huey._registry._periodic_tasks]

    with app.app_context():
        upload_sweep.sweep_uploads()

    assert [p.name for p in folder.iterdir()] == [fresh.name]
