"""Flask extensions, created unbound and initialised in create_app()."""

from typing import TYPE_CHECKING

from flask import current_app, has_request_context, request
from flask_babel import Babel
from flask_limiter import Limiter
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# Named constraints so migrations behave the same on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def client_address() -> str:
    """Return the client address used as the rate-limit key."""
    return request.remote_addr or "unknown"


def select_locale() -> str:
    """Pick the language: explicit switch (cookie), then Accept-Language."""
    if not has_request_context():  # CLI commands and background threads: the default
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    languages = current_app.config["LANGUAGES"]
    chosen = request.cookies.get("lang")
    if chosen is not None and chosen in languages:
        return chosen
    return request.accept_languages.best_match(languages) or current_app.config[
        "BABEL_DEFAULT_LOCALE"
    ]


# Objects stay readable after commit without a reload query per attribute access; every
# use case is one commit at the end of a request, so nothing stale is read afterwards.
db = SQLAlchemy(model_class=Base, session_options={"expire_on_commit": False})
csrf = CSRFProtect()
limiter = Limiter(key_func=client_address)
babel = Babel()
login_manager = LoginManager()

if TYPE_CHECKING:
    # db.Model is built at run time from Base's body, so a type checker cannot see it as a
    # class; it has Base's columns and metadata, which is all the models rely on.
    class Model(Base):
        __abstract__ = True
else:
    Model = db.Model
