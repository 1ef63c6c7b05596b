"""When a logged-in session runs out, so a page with unsaved input can warn before it does.

Django moves a session's expiry to now + SESSION_COOKIE_AGE whenever the session is saved, which (without
SESSION_SAVE_EVERY_REQUEST) is at login and when it is touched here; the time of that save is kept in the session
so every page can say when its session ends. A save by other code only moves the end later: the warning may come
early, never late.
"""

import time

REFRESHED_KEY = "iodp_session_refreshed_at"


def session_touch(session) -> int:
    """Mark the session saved now (so its expiry moves to now + its age); returns its age in seconds."""
    session[REFRESHED_KEY] = int(time.time())
    return session.get_expiry_age()


def session_expires_at(session) -> int:
    """The Unix time the session ends at (from its last recorded save, else from now)."""
    return int(session.get(REFRESHED_KEY) or time.time()) + session.get_expiry_age()


def touch_on_login(sender, request, user, **kwargs):
    session_touch(request.session)
