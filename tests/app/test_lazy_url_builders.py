"""URL builders are compiled on first use (intake/core/routing.py) and build what Werkzeug's
own rules build, for every rule of the app."""

from werkzeug.routing import Map, Rule

from intake.core.routing import LazyBuilderRule


def _values(rule: Rule) -> dict[str, object]:
    return {name: 7 for name in rule.arguments}


def test_app_rules_compile_their_url_builders_on_first_use(app):
    rules = [rule for rule in app.url_map.iter_rules() if rule.endpoint != "static"]

    assert len(rules) > 40 and all(isinstance(rule, LazyBuilderRule) for rule in rules)
    # Every builder is the stand-in that compiles Werkzeug's on its first call.
    assert {rule._build.__func__.__qualname__ for rule in rules} == {
        "LazyBuilderRule._compile_builder.<locals>.build"}


def test_every_rule_builds_what_werkzeug_builds(app):
    plain = Map([Rule(rule.rule, endpoint=rule.endpoint, methods=rule.methods,
                      defaults=rule.defaults) for rule in app.url_map.iter_rules()])
    ours = app.url_map.bind("desk.example", url_scheme="https")
    theirs = plain.bind("desk.example", url_scheme="https")
    built = 0
    for rule in app.url_map.iter_rules():
        for extra in ({}, {"page": 2, "q": "a b"}):  # arguments the rule does not name
            values = {**_values(rule), **extra}
            for options in ({"force_external": True}, {"append_unknown": False}, {}):
                assert (ours.build(rule.endpoint, values, **options)
                        == theirs.build(rule.endpoint, values, **options))
                built += 1

    assert built == 6 * len(list(app.url_map.iter_rules()))
    assert ours.build("casework.case", {"case_id": 3}) == "/staff/cases/3"
