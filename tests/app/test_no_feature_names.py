"""No staff page names the model's internal features (signal:length, signal:has_url, ...)."""

import pytest

from intake.core.extensions import db
from intake.core.models import Report

from .test_permissions import ADMIN, RULES, _sign_in, _url, world  # noqa: F401 (fixture)

PAGES = [(endpoint, rule) for endpoint, method, rule in RULES if method == "GET"]


@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize(("endpoint", "rule"), PAGES, ids=[e for e, _r in PAGES])
def test_no_staff_page_shows_feature_names(app, client, make_user, world, endpoint, rule,  # noqa: F811
                                           language):
    with app.app_context():
        # The worst case: a report scored by a model that still had the cheap signals.
        report = db.session.get(Report, world.report_id)
        report.reasons = {"topic_probabilities": {"battery-safety": 0.9},
                          "topic_terms": [["signal:length", 0.55], ["battery", 0.3]],
                          "actionable_terms": [["signal:has_url", 0.2],
                                               ["signal:share_plea", 0.1]]}
        db.session.commit()
    _sign_in(client, make_user, ADMIN)
    response = client.get(_url(rule, world), headers={"Accept-Language": language})
    body = response.get_data().decode("utf-8", "replace")
    assert response.status_code < 500
    assert "signal:" not in body and "has_url" not in body and "share_plea" not in body
