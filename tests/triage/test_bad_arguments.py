"""Every model command refuses bad arguments with a message that says what to fix."""

import pytest


@pytest.fixture
def files(tmp_path):
    good = tmp_path / "good.csv"
    good.write_text("text,topic,actionable\nbattery fire,battery-safety,1\n", encoding="utf-8")
    bad = tmp_path / "bad.csv"
    bad.write_text("text,topic,actionable\nx,flying-cars,0\n", encoding="utf-8")
    (tmp_path / "no-sidecar.skops").write_bytes(b"PK")
    odd = tmp_path / "odd.skops"
    odd.write_bytes(b"PK")
    (tmp_path / "odd.skops.sha256").write_text("not a checksum\n")
    return tmp_path


CASES = [
    (["train", "--holdout-share", "2"], "Invalid value for '--holdout-share'"),
    (["train", "--since", "yesterday"], "Invalid value for '--since'"),
    (["train", "--data", "{tmp}/missing.csv"], "does not exist"),
    (["train", "--data", "{tmp}/bad.csv"], "line 2: unknown topic 'flying-cars'"),
    (["train", "--force"], "--force only makes sense with --promote"),
    (["promote"], "Missing argument 'VERSION'"),
    (["promote", "nope"], "no model version 'nope'"),
    (["promote", "v-one"], "v-one is already the active version"),
    (["rollback"], "no earlier active version to roll back to"),
    (["evaluate", "--data", "{tmp}/good.csv", "nope"], "no model version 'nope'"),
    (["evaluate"], "Missing option '--data'"),
    (["export", "nope", "{tmp}/out.skops"], "no model version 'nope'"),
    (["export", "v-one", "{tmp}/no/such/dir/out.skops"], "does not exist"),
    (["export", "v-one"], "Missing argument 'PATH'"),
    (["import", "{tmp}/missing.skops"], "does not exist"),
    (["import", "{tmp}/no-sidecar.skops"], "no-sidecar.skops.sha256 is missing"),
    (["import", "{tmp}/odd.skops"], "must hold one line: <sha256> <version>"),
    (["import", "{tmp}/no-sidecar.skops", "--sha256", "abc"], "64 hexadecimal digits"),
    (["rescore", "--bogus"], "No such option '--bogus'"),
    (["uncertain", "--limit", "0"], "Invalid value for '--limit'"),
    (["uncertain", "--desk", "flying-cars"], "Invalid value for '--desk'"),
]


@pytest.mark.parametrize("args, message", CASES, ids=[" ".join(a) for a, _m in CASES])
def test_bad_arguments_give_clear_errors(app, add_version, files, args, message):
    add_version("v-one")
    args = [a.replace("{tmp}", str(files)) for a in args]
    result = app.test_cli_runner().invoke(args=["model", *args])
    assert result.exit_code != 0
    assert message in " ".join(result.output.split()), result.output
    assert "Traceback" not in result.output
