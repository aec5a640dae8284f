"""The real app plus reference POST endpoints, for benchmarks only (never deployed).

gunicorn -c gunicorn.conf.py bench.noop_app:app serves the product's routes unchanged, so
/api/v1/reports (scored on intake), /bench/unscored and /bench/unclustered (the same view
with scoring or clustering off), /bench/insert (a POST that stores its body in one row) and
/bench/noop run through the same app, middleware and worker config in one run.
"""

from contextlib import contextmanager

from flask import request

from bench.intake_server import BENCH_ROWS
from intake import create_app
from intake.core.extensions import csrf, db
from intake.reports import api

app = create_app()


@contextmanager
def switched_off(key: str):
    # Sync workers serve one request at a time, so the switch cannot leak into another.
    app.config[key] = False
    try:
        yield
    finally:
        app.config[key] = True


@app.post("/bench/noop")
@csrf.exempt
def noop():
    # Read the body like any POST handler: closing on unread data would reset the socket.
    request.get_data()
    return "", 204


@app.post("/bench/insert")
@csrf.exempt
def insert():
    # DESIGN.md's reference point "POST + one SQLite insert", through the same engine.
    db.session.execute(BENCH_ROWS.insert().values(body=request.get_data(as_text=True)))
    db.session.commit()
    return "", 204


@app.post("/bench/unscored")
@csrf.exempt
def unscored():
    with switched_off("SCORING_ENABLED"):
        return api.create_report()


@app.post("/bench/unclustered")
@csrf.exempt
def unclustered():
    # Scored, but every report keeps a case of its own: what clustering costs.
    with switched_off("CLUSTER_ENABLED"):
        return api.create_report()
