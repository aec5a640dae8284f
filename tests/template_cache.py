"""Compiled templates shared by every app a test process builds.

Each test builds its own app (app_factory), and each app its own Jinja environment, whose
template cache starts empty: every test that renders a page compiled the templates behind
it again, from source to Python code. That compiling was the largest single cost of the
route walks (tests/app/test_permissions.py: about a third of a test's time).

A production process builds one app and compiles each template once; this gives the test
process the same. Jinja's bytecode cache is made for it: a bucket is keyed by template name
and file, and its code is thrown away when the source's checksum differs, so a template
edited during a run is compiled again. The environment's compile-time settings (extensions,
syntax, autoescape, whitespace handling) are part of the key: an app built differently never
reuses another's code. Only the compiling is shared; rendering, globals and filters stay
each app's own.
"""

from __future__ import annotations

from jinja2 import Environment
from jinja2.bccache import Bucket, BytecodeCache


def _compile_settings(environment: Environment) -> str:
    """Return what the generated code depends on besides the template's source."""
    return repr((
        sorted(environment.extensions),
        environment.block_start_string, environment.block_end_string,
        environment.variable_start_string, environment.variable_end_string,
        environment.comment_start_string, environment.comment_end_string,
        environment.line_statement_prefix, environment.line_comment_prefix,
        environment.trim_blocks, environment.lstrip_blocks, environment.newline_sequence,
        environment.keep_trailing_newline, environment.optimized, environment.is_async,
        *(_named(f) for f in (environment.autoescape, environment.finalize)),
    ))


def _named(setting: object) -> object:
    """A function by its module and name (each app binds its own), anything else as it is."""
    if callable(setting):
        return (getattr(setting, "__module__", None), getattr(setting, "__qualname__", None))
    return setting


class SharedTemplateCache(BytecodeCache):
    """An in-memory bytecode cache for the whole test process (one per pytest-xdist worker)."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def get_bucket(self, environment: Environment, name: str, filename: str | None,
                   source: str) -> Bucket:
        key = self.get_cache_key(name, filename) + _compile_settings(environment)
        bucket = Bucket(environment, key, self.get_source_checksum(source))
        self.load_bytecode(bucket)
        return bucket

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)  # resets itself if the checksum differs

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


TEMPLATES = SharedTemplateCache()


def share_compiled_templates(app) -> None:
    """Make the app's Jinja environment reuse templates this process compiled already."""
    app.jinja_env.bytecode_cache = TEMPLATES
