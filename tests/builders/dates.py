"""The moments tests put on messages and packages, in Beijing time (Asia/Shanghai) as units send them."""

from __future__ import annotations

import datetime as dt

SHANGHAI = dt.timezone(dt.timedelta(hours=8))
# A working morning before the campaign's deadline (2025-04-11): a message on time.
WHEN = dt.datetime(2025, 4, 9, 10, 0, tzinfo=SHANGHAI)
