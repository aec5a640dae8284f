"""The real app plus a do-nothing POST endpoint, for benchmarks only (never deployed).

gunicorn -c gunicorn.conf.py bench.noop_app:app serves the product's routes unchanged, so
/api/v1/reports and /bench/noop run through the same app, middleware and worker config.
"""

from flask import request

from intake import create_app
from intake.extensions import csrf

app = create_app()


@app.post("/bench/noop")
@csrf.exempt
def noop():
    # Read the body like any POST handler: closing on unread data would reset the socket.
    request.get_data()
    return "", 204
