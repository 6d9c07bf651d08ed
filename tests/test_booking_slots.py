# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""The slot arithmetic of the booking page: what a counsellor's working hours and busy
time leave to book, cut on local time, never at odd minutes, never over busy time."""

from datetime import datetime, timedelta

import pytz
from vp_tools.booking_slots import free_slots, naive_utc, parse_slot, to_local

AMSTERDAM = pytz.timezone("Europe/Amsterdam")
HOUR = timedelta(hours=1)


def _local_day(day, start_hour=9, stop_hour=12):
    """One working interval of a day in Amsterdam, as the resource calendar gives it."""
    return (
        AMSTERDAM.localize(datetime.combine(day, datetime.min.time()).replace(hour=start_hour)),
        AMSTERDAM.localize(datetime.combine(day, datetime.min.time()).replace(hour=stop_hour)),
    )


ALWAYS = (datetime(2000, 1, 1), datetime(2100, 1, 1))  # no lead time, no horizon


def test_slots_are_cut_from_the_start_of_working_hours():
    work = [_local_day(datetime(2026, 12, 2).date())]
    # winter: Amsterdam is UTC+1, so 09:00-12:00 local is 08:00-11:00 UTC
    assert free_slots(work, [], HOUR, *ALWAYS) == [
        datetime(2026, 12, 2, 8),
        datetime(2026, 12, 2, 9),
        datetime(2026, 12, 2, 10),
    ]


def test_nine_stays_nine_across_daylight_saving_time():
    # the clocks go back on Sunday 25 October 2026
    work = [_local_day(datetime(2026, 10, 23).date()), _local_day(datetime(2026, 10, 26).date())]
    starts = free_slots(work, [], HOUR, *ALWAYS)
    first_of_each_day = [s for s in starts if to_local(s, "Europe/Amsterdam").hour == 9]
    assert [s.hour for s in first_of_each_day] == [7, 8]  # UTC+2, then UTC+1


def test_lead_time_skips_slots_but_never_shifts_them():
    work = [_local_day(datetime(2026, 12, 2).date())]
    first = datetime(2026, 12, 2, 8, 17)  # now + lead time, at an odd minute
    starts = free_slots(work, [], HOUR, first, datetime(2026, 12, 31))
    assert starts == [datetime(2026, 12, 2, 9), datetime(2026, 12, 2, 10)]
    assert all(s.minute == 0 for s in starts)


def test_horizon_is_the_last_start_offered():
    work = [_local_day(datetime(2026, 12, 2).date())]
    starts = free_slots(work, [], HOUR, datetime(2026, 12, 1), datetime(2026, 12, 2, 9))
    assert starts == [datetime(2026, 12, 2, 8), datetime(2026, 12, 2, 9)]


def test_busy_time_blocks_every_slot_it_overlaps_and_touching_is_free():
    work = [_local_day(datetime(2026, 12, 2).date())]
    busy = [(datetime(2026, 12, 2, 9, 30), datetime(2026, 12, 2, 10))]  # 10:30-11:00 local
    assert free_slots(work, busy, HOUR, *ALWAYS) == [
        datetime(2026, 12, 2, 8),
        datetime(2026, 12, 2, 10),
    ]


def test_a_slot_that_would_run_past_the_working_hours_is_not_offered():
    work = [_local_day(datetime(2026, 12, 2).date(), 9, 11)]  # two hours
    ninety = timedelta(minutes=90)
    assert free_slots(work, [], ninety, *ALWAYS) == [datetime(2026, 12, 2, 8)]


def test_no_working_hours_no_slots():
    assert free_slots([], [], HOUR, datetime(2026, 1, 1), datetime(2027, 1, 1)) == []


def test_posted_slot_values():
    assert parse_slot("2026-12-02 08:00:00") == datetime(2026, 12, 2, 8)
    # what a browser may add after the seconds is ignored
    assert parse_slot("2026-12-02 08:00:00.000") == datetime(2026, 12, 2, 8)
    for bad in (None, "", "tomorrow", "2026-13-02 08:00:00", "2026-12-02T08:00:00", 42):
        assert parse_slot(bad) is None


def test_local_and_utc_round_trip():
    moment = datetime(2026, 7, 1, 7, 0)
    local = to_local(moment, "Europe/Amsterdam")
    assert (local.hour, local.utcoffset()) == (9, timedelta(hours=2))
    assert naive_utc(local) == moment
    assert to_local(moment, False).hour == 7  # no time zone: UTC
