"""How search sees people: whether anyone is called the name typed after `author:`."""

from app.auth.models import find_user_by_username
from app.search.registry import register_author_check


def register() -> None:
    register_author_check(lambda username: find_user_by_username(username) is not None)
