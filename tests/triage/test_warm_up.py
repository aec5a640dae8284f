"""A server worker builds what its first reports would wait for before it takes requests.

gunicorn.conf.py's post_worker_init calls intake.warm_up; test_hot_swap.py shows both
gunicorn workers loading the model before any report reaches them.
"""

from intake import warm_up
from intake.clustering import signatures


def test_warm_up_builds_the_clustering_weights_and_loads_the_model(app, add_version):
    add_version("v-warm")
    app.config["SCORING_ENABLED"] = True
    app.extensions.pop("triage_cache", None)  # as in a new worker: nothing loaded yet
    signatures._idf.cache_clear()
    warm_up(app)
    assert signatures._idf.cache_info().currsize == 1
    assert app.extensions["triage_cache"].active.version == "v-warm"


def test_warm_up_loads_nothing_with_scoring_off(app, add_version):
    add_version("v-warm")
    app.extensions.pop("triage_cache", None)
    app.config["SCORING_ENABLED"] = False
    warm_up(app)
    assert "triage_cache" not in app.extensions
