"""The test process's shared compiled templates (tests/template_cache.py) never serve stale code.

Every test app reuses templates another app compiled; these checks keep that sharing from
ever hiding a template edit or mixing up apps whose Jinja settings differ.
"""

from jinja2 import DictLoader, Environment
from template_cache import TEMPLATES, SharedTemplateCache


def _render(cache: SharedTemplateCache, source: str, **settings) -> str:
    # Autoescape is off unless asked: one check compares the same source with and without it.
    env = Environment(loader=DictLoader({"page.html": source}),  # noqa: S701
                      bytecode_cache=cache, **settings)
    return env.get_template("page.html").render(x="X")


def test_a_second_app_compiles_nothing(app_factory, monkeypatch):
    first, second = app_factory(), app_factory()
    with first.test_request_context():
        first.jinja_env.get_template("core/error.html")
    compiled: list[str] = []
    original = second.jinja_env.compile
    monkeypatch.setattr(second.jinja_env, "compile",
                        lambda source, name=None, *a, **k: compiled.append(name)
                        or original(source, name, *a, **k))
    with second.test_request_context():
        second.jinja_env.get_template("core/error.html")
    assert second.jinja_env.bytecode_cache is TEMPLATES and compiled == []


def test_an_edited_template_is_compiled_again():
    cache = SharedTemplateCache()
    assert _render(cache, "old {{ x }}") == "old X"
    assert _render(cache, "new {{ x }}") == "new X"


def test_other_compile_settings_never_reuse_the_code():
    cache = SharedTemplateCache()
    source = "[[ x ]] {{ x }}"
    assert _render(cache, source) == "[[ x ]] X"
    assert _render(cache, source, variable_start_string="[[",
                   variable_end_string="]]") == "X {{ x }}"
    assert _render(cache, "{{ '<b>' }}") == "<b>"
    assert _render(cache, "{{ '<b>' }}", autoescape=True) == "&lt;b&gt;"
