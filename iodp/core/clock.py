"""The platform's one clock for dates: "today" is the date in the platform's time zone (Asia/Shanghai).

Ages, term ends, "not in the future" checks and statistics all read it here, so a server or worker whose
own local zone differs (UTC containers, a developer's laptop) still agrees with the users' calendar.
"""

import datetime

from django.utils import timezone


def today() -> datetime.date:
    """Today's date in settings.TIME_ZONE (the zone itself, not one a request may have activated: the platform
    activates none). Read per call (an import checks every row's dates against it) without
    `timezone.localdate`'s look-up of the active zone."""
    return datetime.datetime.now(timezone.get_default_timezone()).date()
