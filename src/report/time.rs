//! Dates and times: the deadline countdown, and times as the reports write them (UTC for
//! machines, local time for people).

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day count (inverse of `days_from_civil`).
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

/// Reads an ISO date `YYYY-MM-DD` (what `<input type=date>` gives) as a day count.
pub fn parse_date(iso: &str) -> Option<i64> {
    let bytes = iso.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let number = |range: std::ops::Range<usize>| -> Option<u32> {
        let part = &iso[range];
        part.bytes().all(|b| b.is_ascii_digit()).then(|| part.parse().ok())?
    };
    let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
    if !(1..=12).contains(&month) || day == 0 {
        return None;
    }
    let days = days_from_civil(i64::from(year), month, day);
    // Rejects 31 April, 29 February in common years…: the date must survive the round trip.
    (civil_from_days(days) == (i64::from(year), month, day)).then_some(days)
}

/// Days from `today` until the deadline (both day counts): negative once it has passed.
pub fn days_left(deadline: i64, today: i64) -> i64 {
    deadline - today
}

/// What to say about the deadline: a message key and its number.
pub fn deadline_message(days_left: i64) -> (&'static str, i64) {
    match days_left {
        0 => ("popup_deadline_today", 0),
        1 => ("popup_day_left", 1),
        d if d > 1 => ("popup_days_left", d),
        -1 => ("popup_deadline_passed_day", 1),
        d => ("popup_deadline_passed", -d),
    }
}

/// Milliseconds since the epoch, shifted by `offset_minutes` east of UTC, as
/// (days, minute of the day).
fn split_time(ms: f64, offset_minutes: i32) -> (i64, i64) {
    let minutes = (ms / 60_000.0).floor() as i64 + i64::from(offset_minutes);
    (minutes.div_euclid(1440), minutes.rem_euclid(1440))
}

/// `2026-03-12T14:05:09Z`: the machine-readable time in CSV and JSON.
pub fn iso_utc(ms: f64) -> String {
    let seconds = (ms / 1000.0).floor() as i64;
    let (days, second_of_day) = (seconds.div_euclid(86_400), seconds.rem_euclid(86_400));
    let (y, m, d) = civil_from_days(days);
    let (h, min, s) = (second_of_day / 3600, second_of_day / 60 % 60, second_of_day % 60);
    format!("{y:04}-{m:02}-{d:02}T{h:02}:{min:02}:{s:02}Z")
}

/// `2026-03-12 15:05`: a time as people read it, in local time (`offset_minutes` east of UTC).
pub fn local_time(ms: f64, offset_minutes: i32) -> String {
    let (days, minute) = split_time(ms, offset_minutes);
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02} {:02}:{:02}", minute / 60, minute % 60)
}

/// `UTC+01:00`.
pub fn utc_offset(offset_minutes: i32) -> String {
    let sign = if offset_minutes < 0 { '-' } else { '+' };
    let abs = offset_minutes.unsigned_abs();
    format!("UTC{sign}{:02}:{:02}", abs / 60, abs % 60)
}


#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixtures::T0;

    #[test]
    fn dates_round_trip_and_bad_ones_are_refused() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(parse_date("2026-09-15"), Some(days_from_civil(2026, 9, 15)));
        for day in [-800_000, -1, 0, 59, 365 * 30 + 7, 800_000] {
            assert_eq!(days_from_civil(civil_from_days(day).0, civil_from_days(day).1, civil_from_days(day).2), day);
        }
        assert_eq!(parse_date("2024-02-29").map(civil_from_days), Some((2024, 2, 29)));
        for bad in ["", "2025-02-29", "2026-04-31", "2026-13-01", "2026-00-10", "2026-9-15", "15-09-2026", "2026/09/15", "2026-09-1x", "+026-09-15"] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_deadline_counts_down_in_days() {
        let deadline = parse_date("2026-09-15").unwrap();
        assert_eq!(days_left(deadline, parse_date("2026-09-01").unwrap()), 14);
        assert_eq!(days_left(deadline, parse_date("2025-12-31").unwrap()), 258);
        assert_eq!(deadline_message(14), ("popup_days_left", 14));
        assert_eq!(deadline_message(1), ("popup_day_left", 1));
        assert_eq!(deadline_message(0), ("popup_deadline_today", 0));
        assert_eq!(deadline_message(-1), ("popup_deadline_passed_day", 1));
        assert_eq!(deadline_message(-5), ("popup_deadline_passed", 5));
    }

    #[test]
    fn times_are_written_in_utc_and_in_local_time() {
        assert_eq!(iso_utc(T0), "2026-03-12T14:05:00Z");
        assert_eq!(iso_utc(T0 + 9_999.0), "2026-03-12T14:05:09Z");
        assert_eq!(local_time(T0, 60), "2026-03-12 15:05");
        assert_eq!(local_time(T0, -14 * 60 - 30), "2026-03-11 23:35");
        assert_eq!(utc_offset(60), "UTC+01:00");
        assert_eq!(utc_offset(-570), "UTC-09:30");
    }
}
