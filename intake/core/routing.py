"""URL rules that compile their URL builders on first use (`url_for`), not when registered;
and `id_url`, one url_for per page for links that differ only by a row's id.

Werkzeug compiles two builder functions for every rule as it is added (it writes Python
source through `ast` and `compile`s it): for the app's 54 rules that was ~90 % of
`create_app` itself, paid by every `flask` command, worker and test app, most of which build
no URL at all. Matching requests does not use the builders, so a rule whose builders are
compiled on the first `url_for` that needs them serves and builds exactly as before.
"""

from collections.abc import Callable
from typing import Any

from flask import url_for
from werkzeug.routing import Rule


class LazyBuilderRule(Rule):
    """A Rule whose builders Werkzeug compiles the first time one of them is called."""

    def _compile_builder(self, append_unknown: bool = True) -> Callable[..., tuple[str, str]]:
        compile_builder = super()._compile_builder
        compiled: list[Callable[..., tuple[str, str]]] = []

        def build(rule: Rule, *args: Any, **kwargs: Any) -> tuple[str, str]:
            if not compiled:  # two threads may both compile once; either result is the same
                compiled.append(compile_builder(append_unknown))
            return compiled[0](rule, *args, **kwargs)

        return build


_MARKS = (918273645, 546372819)  # two ids no real URL prefix or suffix would contain


def id_url(endpoint: str, name: str, **values: Any) -> Callable[[int], str]:
    """Return `lambda i: url_for(endpoint, **{name: i}, **values)` for a page with one link
    per row: url_for costs 40-80 k instructions a call (the queue's 50 rows paid 5.8 M of a
    ~96 M page for their two links); here it is called twice and the id put in its place.
    The two calls check that the id stands alone (an `<int:>` argument is written as
    str(int)); where it does not, every call goes through url_for."""

    def build(value: int) -> str:
        return url_for(endpoint, **{**values, name: value})

    first, second = (build(mark) for mark in _MARKS)
    head, found, tail = first.partition(str(_MARKS[0]))
    if not found or second != f"{head}{_MARKS[1]}{tail}":
        return build
    return lambda value: f"{head}{int(value)}{tail}"
