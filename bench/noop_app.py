"""The real app plus a do-nothing POST endpoint, for benchmarks only (never deployed).

gunicorn -c gunicorn.conf.py bench.noop_app:app serves the product's routes unchanged, so
/api/v1/reports (scored on intake), /bench/unscored (the same view with scoring off) and
/bench/noop run through the same app, middleware and worker config in one run.
"""

from flask import request

from intake import api, create_app
from intake.extensions import csrf

app = create_app()


@app.post("/bench/noop")
@csrf.exempt
def noop():
    # Read the body like any POST handler: closing on unread data would reset the socket.
    request.get_data()
    return "", 204


@app.post("/bench/unscored")
@csrf.exempt
def unscored():
    # The real API view with scoring off for this request only: sync workers serve one
    # request at a time, so the switch cannot leak into another request.
    app.config["SCORING_ENABLED"] = False
    try:
        return api.create_report()
    finally:
        app.config["SCORING_ENABLED"] = True
