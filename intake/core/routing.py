"""URL rules that compile their URL builders on first use (`url_for`), not when registered.

Werkzeug compiles two builder functions for every rule as it is added (it writes Python
source through `ast` and `compile`s it): for the app's 54 rules that was ~90 % of
`create_app` itself, paid by every `flask` command, worker and test app, most of which build
no URL at all. Matching requests does not use the builders, so a rule whose builders are
compiled on the first `url_for` that needs them serves and builds exactly as before.
"""

from collections.abc import Callable
from typing import Any

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
