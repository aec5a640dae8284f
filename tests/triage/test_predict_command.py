"""`flask model predict`: one result per input line, in order, JSON only on standard output."""

import csv
import io
import itertools
import json

import pytest

import classifier
from intake.triage import registry as model_registry
from intake.triage import scoring as triage

TEXTS = [
    "网传某品牌电动车在地下车库充电时电池起火自燃，转发扩散！",
    "Someone says a robotaxi in Wuhan drove into a river with passengers inside.",
    "",  # a blank line still gets its object, so output lines match input lines
    "MIIT notice No. 12: all fuel cars banned from 2027 https://weibo.com/u/1?x=2",
    "工信部官方发布：新能源汽车购置税减免政策延续",
]
KEYS = {"topic", "topic_probabilities", "p_actionable", "reasons"}


@pytest.fixture
def app(scoring_app):
    """The starter model is registered and active as v-test."""
    return scoring_app


def _run(app, *args, stdin: str | bytes | None = None):
    return app.test_cli_runner().invoke(args=["model", "predict", *args], input=stdin)


def _expected(app, text: str, version: str | None = None) -> dict:
    with app.app_context():
        model = model_registry.load(version) if version else triage.active_model().model
        p = model.predict_one(text)
        return {"topic": p.topic, "p_actionable": p.p_actionable,
                "topic_probabilities": p.topic_probabilities, "reasons": p.reasons}


def test_json_gives_one_object_per_line_in_order_and_nothing_else(app, tmp_path):
    path = tmp_path / "texts.txt"
    path.write_text("\n".join(TEXTS) + "\n", encoding="utf-8")
    result = _run(app, "--json", str(path))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == len(TEXTS)
    objects = [json.loads(line) for line in lines]  # every stdout line is one JSON object
    assert all(set(o) == KEYS for o in objects)
    assert objects[2] == {"topic": None, "topic_probabilities": {}, "p_actionable": None,
                          "reasons": {"topic": [], "actionable": []}}
    for text, got in zip(TEXTS, objects, strict=True):
        if text:
            assert got == json.loads(json.dumps(_expected(app, text), ensure_ascii=False))
            assert set(got["topic_probabilities"]) == set(classifier.TOPICS)
            for row in got["reasons"]["topic"] + got["reasons"]["actionable"]:
                assert text[row["start"]:row["end"]] == row["text"]
    assert "Scored 5 texts with model v-test." in result.stderr


def test_csv_text_column_with_quoted_newlines_and_stdin(app, tmp_path):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["id", "text", "source"])
    writer.writerow(["1", "电池起火\n第二行：视频是旧的", "weibo"])
    writer.writerow(["2", TEXTS[1], "x"])
    path = tmp_path / "reports.csv"
    path.write_bytes(buffer.getvalue().encode("utf-8-sig"))  # Excel writes a BOM
    from_file = _run(app, "--json", str(path))
    from_stdin = _run(app, "--json", "-", stdin=buffer.getvalue())
    assert from_file.exit_code == from_stdin.exit_code == 0, from_file.output
    assert from_file.stdout == from_stdin.stdout
    objects = [json.loads(line) for line in from_file.stdout.splitlines()]
    assert len(objects) == 2
    assert objects[0]["p_actionable"] == _expected(app, "电池起火\n第二行：视频是旧的")[
        "p_actionable"]


def test_version_picks_a_registered_model(app, register_model, tmp_path):
    data = classifier.LabelledData()
    for (topic, word), label, n in itertools.product(
            [("road-cloud", "roadside unit"), ("off-topic", "tomato soup")], (0, 1), range(6)):
        data.texts.append(f"{'rumour' if label else 'report'} {n}: {word} story")
        data.topics.append(topic)
        data.actionable.append(label)
    blob = classifier.dump_model(classifier.train_model(data), classifier.make_card(data, None))
    register_model(app, blob, "v-small")
    register_model(app, _active_blob(app), "v-again")  # the starter is active again
    result = _run(app, "--json", "--version", "v-small", "-", stdin=TEXTS[0] + "\n")
    assert result.exit_code == 0, result.output
    got = json.loads(result.stdout)
    assert set(k for k, v in got["topic_probabilities"].items() if v > 0) <= {
        "road-cloud", "off-topic"}
    assert got == json.loads(json.dumps(_expected(app, TEXTS[0], "v-small"), ensure_ascii=False))
    unknown = _run(app, "--json", "--version", "v-nope", "-", stdin="x\n")
    assert unknown.exit_code != 0 and unknown.stdout == ""
    assert "v-nope" in unknown.stderr


def _active_blob(app) -> bytes:
    with app.app_context():
        return model_registry.find("v-test").artifact


def test_human_output_names_words_never_features(app):
    result = _run(app, "-", stdin="网传电动车充电时电池起火，已经烧了三辆车 https://t.cn/x\n")
    assert result.exit_code == 0, result.output
    assert "topic words:" in result.stdout and "P(actionable)" in result.stdout
    assert "signal:" not in result.stdout


@pytest.mark.parametrize(("name", "content", "message"), [
    ("bad.txt", b"\xff\xfe\xfa\x80\x81 not text", "not UTF-8 or GB18030"),
    ("ids.csv", b"id,claim\n1,hello\n", "no `text` column"),
])
def test_bad_input_says_what_to_fix(app, tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    result = _run(app, "--json", str(path))
    assert result.exit_code != 0 and result.stdout == ""
    assert message in result.stderr
