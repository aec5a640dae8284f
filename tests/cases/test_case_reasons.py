"""The case page marks the model's reasons on the report's own text, escaped, in zh and en."""

import re

import pytest

from intake.core.extensions import db
from intake.core.models import Case

EN, ZH = {"Accept-Language": "en"}, {"Accept-Language": "zh"}
HOSTILE = ('<script>alert("x")</script> An EV battery caught fire while charging in a garage '
           '& the <b>video</b> is old')


@pytest.fixture
def app(scoring_app):
    """Reports made in these tests are scored on intake with the starter model."""
    return scoring_app


def _marks(page: str, kind: str) -> list[str]:
    """Return the marked pieces of one kind in the report's claim and explanation."""
    text = " ".join(re.findall(r'<p class="(?:claim|explanation)"[^>]*>(.*?)</p>', page, re.S))
    return re.findall(rf'<mark class="why[^"]*why-{kind}[^"]*"[^>]*>([^<]*)</mark>', text)


@pytest.mark.parametrize(("headers", "legend"), [
    (EN, "words that pushed towards the topic"), (ZH, "推向该主题的词语")])
def test_reasons_are_marked_on_the_escaped_text_with_a_legend(
        app, client_as, make_reported_case, claim, make_user, headers, legend):
    make_user("mona")
    case_id, _codes = make_reported_case(topic=None, claim=HOSTILE,
                                explanation="电池起火的视频是2021年的旧视频，网传不实。")
    claim(case_id, "mona")
    page = client_as("mona").get(f"/staff/cases/{case_id}", headers=headers).get_data(
        as_text=True)
    assert legend in page
    assert "<script>alert" not in page and "&lt;script&gt;" in page
    assert "<b>video</b>" not in page
    with app.app_context():
        spans = db.session.get(Case, case_id).reports[0].reasons["spans"]
    assert spans["topic"] and _marks(page, "topic")
    # Every marked piece is part of a stored span; the page shows no fragments of its own.
    stored = " ".join(s["text"] for s in spans["topic"] + spans["actionable"])
    for piece in _marks(page, "topic") + _marks(page, "raise") + _marks(page, "lower"):
        assert piece.replace("&amp;", "&") in stored
    # The text reads the same with the marks taken out: nothing lost or repeated.
    claim_html = re.search(r'<p class="claim"[^>]*>(.*?)</p>', page, re.S).group(1)
    plain = re.sub(r"</?mark[^>]*>", "", claim_html)
    assert plain == HOSTILE.replace("&", "&amp;").replace("<", "&lt;").replace(
        ">", "&gt;").replace('"', "&#34;")


def test_rows_scored_before_spans_still_render_without_feature_names(
        app, client_as, make_reported_case, claim, make_user):
    make_user("mona")
    case_id, _codes = make_reported_case(topic="battery-safety")
    with app.app_context():
        report = db.session.get(Case, case_id).reports[0]
        report.reasons = {"topic_probabilities": {"battery-safety": 0.9},
                          "topic_terms": [["signal:length", 0.55], ["电池起火", 0.3]],
                          "actionable_terms": [["signal:has_url", 0.2], ["旧视频", -0.1]]}
        db.session.commit()
    claim(case_id, "mona")
    page = client_as("mona").get(f"/staff/cases/{case_id}", headers=EN).get_data(as_text=True)
    assert "电池起火" in page and "旧视频" in page and "Terms behind the topic" in page
    assert "signal:" not in page and "has_url" not in page


def _span(text: str, part: str, weight: float = 0.0) -> dict:
    """Return a stored span over `part` of the model's text, as classifier.explain stores it."""
    start = text.index(part)
    return {"start": start, "end": start + len(part), "text": part, "weight": weight}


@pytest.mark.parametrize("headers", [EN, ZH])
def test_marked_pieces_of_hostile_text_are_escaped_inside_the_marks(
        app, client_as, make_reported_case, claim, make_user, headers):
    """The marks are built as HTML in Python (triage/explained.py): a span over markup the
    reporter typed must show that markup as text, inside the mark, in both languages."""
    make_user("mona")
    hostile_claim = 'Look <img src=x onerror="alert(1)"> & <script>alert("x")</script> now'
    hostile_explanation = "它说 <b onmouseover='alert(2)'>旧视频</b> & more"
    case_id, _codes = make_reported_case(topic="battery-safety", claim=hostile_claim,
                                explanation=hostile_explanation)
    with app.app_context():
        report = db.session.get(Case, case_id).reports[0]
        text = f"{hostile_claim}\n{hostile_explanation}"
        report.reasons = {"spans": {
            "topic": [_span(text, '<img src=x onerror="alert(1)">'),
                      _span(text, "<b onmouseover='alert(2)'>旧视频</b>")],
            "actionable": [_span(text, '<script>alert("x")</script>', 0.4),
                           _span(text, "& more", -0.2)]}}
        db.session.commit()
    claim(case_id, "mona")
    page = client_as("mona").get(f"/staff/cases/{case_id}", headers=headers).get_data(
        as_text=True)
    for raw in ("<img src=x", "<script>alert", "<b onmouseover"):
        assert raw not in page
    assert _marks(page, "topic") == ["&lt;img src=x onerror=&#34;alert(1)&#34;&gt;",
                                     "&lt;b onmouseover=&#39;alert(2)&#39;&gt;旧视频&lt;/b&gt;"]
    assert _marks(page, "raise") == ["&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;"]
    assert _marks(page, "lower") == ["&amp; more"]
    explanation = re.search(r'<p class="explanation">(.*?)</p>', page, re.S).group(1)
    assert re.sub(r"</?mark[^>]*>", "", explanation) == (
        "它说 &lt;b onmouseover=&#39;alert(2)&#39;&gt;旧视频&lt;/b&gt; &amp; more")
