"""id_url: a row's link built from one url_for per page is the link url_for builds."""

import pytest
from flask import url_for

from intake.core.routing import id_url


@pytest.mark.parametrize("base", ["http://localhost/", "http://localhost/desk/918273645"])
@pytest.mark.parametrize(("endpoint", "values"), [
    ("casework.case", {}),
    ("moderation.claim", {"stay": 1}),
    ("moderation.claim", {"stay": 918273645}),  # the mark elsewhere in the URL
])
def test_same_url_as_url_for(app, base, endpoint, values):
    with app.test_request_context("/", base_url=base):
        build = id_url(endpoint, "case_id", **values)
        for case_id in (1, 7, 918273645, 2**31 - 1):
            assert build(case_id) == url_for(endpoint, case_id=case_id, **values)
