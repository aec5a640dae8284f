"""Who may work which desk: the one desk rule every staff route, query and page uses.

Admins work every desk. A moderator works the desks they belong to, and also cases no model
has routed yet (topic None), so an unrouted case never waits for an admin. Operators and
anyone else work no desk.
"""

from sqlalchemy import false, or_, true

from intake.core.models import Case
from intake.triage.scoring import TOPICS
from intake.users.models import User


def desks_for(user: User) -> tuple[str, ...]:
    """Return the desks a user works: admins every desk, moderators their own, others none."""
    if user.role == "admin":
        return TOPICS
    if user.role == "moderator":
        return tuple(desk.topic for desk in user.desks)
    return ()


def may_work(user: User, topic: str | None) -> bool:
    """Return whether the user may work cases of this desk (unrouted cases: any moderator)."""
    if user.role == "admin":
        return True
    return user.role == "moderator" and (topic is None or topic in desks_for(user))


def workable(user: User):
    """Return may_work as an SQL condition on Case, for queries that must page correctly."""
    if user.role == "admin":
        return true()
    if user.role != "moderator":
        return false()
    return or_(Case.topic.is_(None), Case.topic.in_(desks_for(user)))
