//! Dates for rule windows, as Unix seconds. The engine never reads a clock: "now" is an
//! argument of every evaluation.

/// Parses `YYYY-MM-DD` (midnight UTC) or an RFC 3339 timestamp
/// (`2026-11-27T08:00:00Z`, `…+01:00`, optional fraction) into Unix seconds.
///
/// ```
/// use cartlift_engine::time::parse_moment;
/// assert_eq!(parse_moment("1970-01-02"), Some(86_400));
/// assert_eq!(parse_moment("2026-11-27T08:00:00+01:00"), Some(1_795_762_800));
/// assert_eq!(parse_moment("2026-02-30"), None);
/// ```
pub fn parse_moment(text: &str) -> Option<i64> {
    let (date, time) = match text.split_once(['T', 't', ' ']) {
        Some((d, t)) => (d, Some(t)),
        None => (text, None),
    };
    let mut parts = date.split('-');
    let year: i64 = parse_digits(parts.next()?, 4)?;
    let month: u32 = parse_digits(parts.next()?, 2)?;
    let day: u32 = parse_digits(parts.next()?, 2)?;
    if parts.next().is_some()
        || !(1..=12).contains(&month)
        || day == 0
        || day > days_in_month(year, month)
    {
        return None;
    }
    let mut seconds = days_from_civil(year, month, day) * 86_400;
    if let Some(time) = time {
        let (clock, offset) = split_offset(time)?;
        let mut hms = clock.split(':');
        let h: i64 = parse_digits(hms.next()?, 2)?;
        let m: i64 = parse_digits(hms.next()?, 2)?;
        let s_field = hms.next()?;
        let s: i64 = parse_digits(s_field.split('.').next()?, 2)?;
        if hms.next().is_some() || h > 23 || m > 59 || s > 60 {
            return None;
        }
        seconds += h * 3600 + m * 60 + s - offset;
    }
    Some(seconds)
}

/// Whether `text` is a whole date (its window end covers the whole day).
pub fn is_whole_date(text: &str) -> bool {
    text.len() == 10
}

fn parse_digits<T: std::str::FromStr>(s: &str, len: usize) -> Option<T> {
    (s.len() == len && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok())?
}

/// Splits `08:00:00Z` / `08:00:00+01:00` into the clock and the offset in seconds.
fn split_offset(time: &str) -> Option<(&str, i64)> {
    if let Some(clock) = time.strip_suffix(['Z', 'z']) {
        return Some((clock, 0));
    }
    let at = time.rfind(['+', '-'])?;
    let (clock, offset) = time.split_at(at);
    let sign = if offset.starts_with('-') { -1 } else { 1 };
    let (h, m) = offset[1..].split_once(':')?;
    let (h, m): (i64, i64) = (parse_digits(h, 2)?, parse_digits(m, 2)?);
    Some((clock, sign * (h * 3600 + m * 60)))
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 (Howard Hinnant's civil-from-days, inverted).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (i64::from(month) + 9) % 12;
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date `(year, month, day)` of a day counted from 1970-01-01 (Howard
/// Hinnant's civil-from-days; [`days_from_civil`] is its inverse).
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (
        yoe + era * 400 + i64::from(month <= 2),
        month as u32,
        day as u32,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_days_round_trip() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
        for days in (-800_000..800_000).step_by(97) {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days, "{y}-{m}-{d}");
        }
    }

    #[test]
    fn known_moments() {
        assert_eq!(parse_moment("1970-01-01"), Some(0));
        assert_eq!(parse_moment("2000-03-01"), Some(951_868_800));
        assert_eq!(parse_moment("2024-02-29"), Some(1_709_164_800));
        assert_eq!(parse_moment("2023-02-29"), None);
        assert_eq!(
            parse_moment("2026-11-27T00:00:00Z"),
            parse_moment("2026-11-27")
        );
        assert_eq!(
            parse_moment("2026-11-27T00:00:00.250-05:00"),
            Some(1_795_755_600)
        );
        for bad in [
            "",
            "2026",
            "2026-1-01",
            "2026-13-01",
            "2026-11-27T25:00:00Z",
            "27/11/2026",
            "2026-11-27T08:00",
        ] {
            assert_eq!(parse_moment(bad), None, "{bad}");
        }
    }
}
