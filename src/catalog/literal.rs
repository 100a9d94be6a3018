//! String literals read as values of a type and printed back as the type's output function does:
//! `'2 hours'::interval` is stored as `02:00:00`, `'{"b":1,"a":2}'::jsonb` as `{"a": 2, "b": 1}`.
//! Each function returns `None` when the text is not valid input for the type.

/// `interval_out` with `IntervalStyle = postgres`.
pub fn interval(text: &str) -> Option<String> {
    let lower = text.trim().to_ascii_lowercase();
    let (body, ago) = match lower.strip_suffix("ago") {
        Some(rest) => (rest.trim_end().to_string(), true),
        None => (lower.clone(), false),
    };
    let (mut months, mut days, mut micros) = (0i64, 0i64, 0i64);
    let tokens: Vec<&str> = body.split_whitespace().collect();
    if tokens.is_empty() {
        return None;
    }
    let mut i = 0;
    while i < tokens.len() {
        let tok = tokens[i].trim_start_matches('@');
        if tok.is_empty() {
            i += 1;
            continue;
        }
        if tok.contains(':') {
            micros += parse_clock(tok)?;
            i += 1;
            continue;
        }
        let (num, unit) = match tok.find(|c: char| c.is_ascii_alphabetic()) {
            Some(pos) if pos > 0 => (&tok[..pos], tok[pos..].to_string()),
            _ => {
                let unit = tokens.get(i + 1).map(|u| u.to_string()).unwrap_or_else(|| "second".into());
                i += 1;
                (tok, unit)
            }
        };
        let value: f64 = num.parse().ok()?;
        let unit = unit.trim_end_matches(',');
        match unit {
            "millennium" | "millennia" | "millenniums" => months += (value * 12000.0) as i64,
            "century" | "centuries" => months += (value * 1200.0) as i64,
            "decade" | "decades" => months += (value * 120.0) as i64,
            "y" | "year" | "years" | "yr" | "yrs" => {
                months += (value * 12.0).round() as i64;
            }
            "mon" | "mons" | "month" | "months" => {
                months += value.trunc() as i64;
                let frac_days = value.fract() * 30.0;
                days += frac_days.trunc() as i64;
                micros += (frac_days.fract() * 86_400_000_000.0).round() as i64;
            }
            "w" | "week" | "weeks" => {
                let d = value * 7.0;
                days += d.trunc() as i64;
                micros += (d.fract() * 86_400_000_000.0).round() as i64;
            }
            "d" | "day" | "days" => {
                days += value.trunc() as i64;
                micros += (value.fract() * 86_400_000_000.0).round() as i64;
            }
            "h" | "hour" | "hours" | "hr" | "hrs" => micros += (value * 3_600_000_000.0).round() as i64,
            "m" | "min" | "mins" | "minute" | "minutes" => micros += (value * 60_000_000.0).round() as i64,
            "s" | "sec" | "secs" | "second" | "seconds" => micros += (value * 1_000_000.0).round() as i64,
            "ms" | "millisecond" | "milliseconds" => micros += (value * 1000.0).round() as i64,
            "us" | "microsecond" | "microseconds" => micros += value.round() as i64,
            _ => return None,
        }
        i += 1;
    }
    if ago {
        months = -months;
        days = -days;
        micros = -micros;
    }
    Some(format_interval(months, days, micros))
}

fn parse_clock(tok: &str) -> Option<i64> {
    let (neg, tok) = match tok.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, tok.trim_start_matches('+')),
    };
    let parts: Vec<&str> = tok.split(':').collect();
    let (h, m, s) = match parts.as_slice() {
        [h, m] => (h.parse::<i64>().ok()?, m.parse::<i64>().ok()?, 0.0),
        [h, m, s] => (h.parse::<i64>().ok()?, m.parse::<i64>().ok()?, s.parse::<f64>().ok()?),
        _ => return None,
    };
    let v = h * 3_600_000_000 + m * 60_000_000 + (s * 1_000_000.0).round() as i64;
    Some(if neg { -v } else { v })
}

fn format_interval(months: i64, days: i64, micros: i64) -> String {
    let mut parts = Vec::new();
    let years = months / 12;
    let mons = months % 12;
    let plural = |n: i64, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    if years != 0 {
        parts.push(plural(years, "year", "years"));
    }
    if mons != 0 {
        parts.push(plural(mons, "mon", "mons"));
    }
    if days != 0 {
        parts.push(plural(days, "day", "days"));
    }
    if micros != 0 || parts.is_empty() {
        let neg = micros < 0;
        let m = micros.abs();
        let h = m / 3_600_000_000;
        let min = (m / 60_000_000) % 60;
        let sec = (m / 1_000_000) % 60;
        let frac = m % 1_000_000;
        let mut t = format!("{}{h:02}:{min:02}:{sec:02}", if neg { "-" } else { "" });
        if frac != 0 {
            let f = format!("{frac:06}");
            t.push('.');
            t.push_str(f.trim_end_matches('0'));
        }
        parts.push(t);
    }
    parts.join(" ")
}

/// `jsonb_out`: keys sorted by length then bytes, `", "` and `": "` separators.
pub fn jsonb(text: &str) -> Option<String> {
    let value: serde_json::Value = serde_json::from_str(text).ok()?;
    let mut out = String::new();
    write_jsonb(&value, &mut out);
    Some(out)
}

fn write_jsonb(value: &serde_json::Value, out: &mut String) {
    match value {
        serde_json::Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort_by(|a, b| a.len().cmp(&b.len()).then_with(|| a.as_bytes().cmp(b.as_bytes())));
            out.push('{');
            for (i, k) in keys.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(&serde_json::Value::String((*k).clone()).to_string());
                out.push_str(": ");
                write_jsonb(&map[*k], out);
            }
            out.push('}');
        }
        serde_json::Value::Array(items) => {
            out.push('[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_jsonb(v, out);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

/// `date_out`, `timestamp_out` and `timestamptz_out` (DateStyle ISO, TimeZone UTC) for ISO input.
pub fn datetime(text: &str, ty: &str) -> Option<String> {
    let t = text.trim();
    let lower = t.to_ascii_lowercase();
    if matches!(lower.as_str(), "infinity" | "-infinity") {
        return Some(lower);
    }
    if lower == "epoch" {
        return Some(match ty {
            "date" => "1970-01-01".into(),
            "timestamp" => "1970-01-01 00:00:00".into(),
            _ => "1970-01-01 00:00:00+00".into(),
        });
    }
    if matches!(lower.as_str(), "now" | "today" | "tomorrow" | "yesterday" | "allballs") {
        return Some(t.to_string());
    }
    let (date, rest) = match t.split_once([' ', 'T']) {
        Some((d, r)) => (d, r.trim()),
        None => (t, ""),
    };
    let mut dp = date.split('-');
    let (y, m, d) = (dp.next()?, dp.next()?, dp.next()?);
    if dp.next().is_some() || y.len() != 4 {
        return None;
    }
    let (y, m, d): (u32, u32, u32) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    let date = format!("{y:04}-{m:02}-{d:02}");
    if ty == "date" {
        return rest.is_empty().then_some(date);
    }
    let (time, zone) = split_zone(rest);
    let time = if time.is_empty() {
        "00:00:00".to_string()
    } else {
        let mut tp = time.split(':');
        let h: u32 = tp.next()?.parse().ok()?;
        let mi: u32 = tp.next().unwrap_or("0").parse().ok()?;
        let s = tp.next().unwrap_or("0");
        let (sec, frac) = s.split_once('.').unwrap_or((s, ""));
        let sec: u32 = sec.parse().ok()?;
        let frac = frac.trim_end_matches('0');
        if frac.is_empty() { format!("{h:02}:{mi:02}:{sec:02}") } else { format!("{h:02}:{mi:02}:{sec:02}.{frac}") }
    };
    match ty {
        "timestamp" => Some(format!("{date} {time}")),
        _ => {
            let zero =
                matches!(zone.to_ascii_lowercase().as_str(), "" | "z" | "utc" | "+00" | "+00:00" | "-00" | "gmt");
            zero.then(|| format!("{date} {time}+00"))
        }
    }
}

/// `time_out`: `HH:MM:SS[.ffffff]`.
pub fn time(text: &str) -> Option<String> {
    if text.eq_ignore_ascii_case("allballs") {
        return Some("00:00:00".into());
    }
    let mut parts = text.split(':');
    let h: u32 = parts.next()?.trim().parse().ok()?;
    let m: u32 = parts.next().unwrap_or("0").trim().parse().ok()?;
    let s = parts.next().unwrap_or("0").trim();
    if parts.next().is_some() || h > 24 || m > 59 {
        return None;
    }
    let (sec, frac) = s.split_once('.').unwrap_or((s, ""));
    let sec: u32 = sec.parse().ok()?;
    let frac = frac.trim_end_matches('0');
    Some(if frac.is_empty() { format!("{h:02}:{m:02}:{sec:02}") } else { format!("{h:02}:{m:02}:{sec:02}.{frac}") })
}

fn split_zone(rest: &str) -> (&str, &str) {
    let rest = rest.trim();
    if let Some(pos) = rest.rfind(['+', 'Z', 'z']) {
        return (rest[..pos].trim(), &rest[pos..]);
    }
    if let Some(pos) = rest.rfind(' ') {
        return (rest[..pos].trim(), rest[pos + 1..].trim());
    }
    if let Some(pos) = rest.rfind('-').filter(|p| *p > 0) {
        return (rest[..pos].trim(), &rest[pos..]);
    }
    (rest, "")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals_print_as_postgres() {
        assert_eq!(interval("2 hours").as_deref(), Some("02:00:00"));
        assert_eq!(interval("1 day 2 hours").as_deref(), Some("1 day 02:00:00"));
        assert_eq!(interval("1 week").as_deref(), Some("7 days"));
        assert_eq!(interval("30 minutes").as_deref(), Some("00:30:00"));
        assert_eq!(interval("1 year 2 months").as_deref(), Some("1 year 2 mons"));
        assert_eq!(interval("-1 day").as_deref(), Some("-1 days"));
        assert_eq!(interval("1.5 hours").as_deref(), Some("01:30:00"));
        assert_eq!(interval("0").as_deref(), Some("00:00:00"));
        assert_eq!(interval("nonsense"), None);
    }

    #[test]
    fn jsonb_sorts_keys_by_length() {
        assert_eq!(
            jsonb(r#"{"b":1, "a": [1,2], "aa": null}"#).as_deref(),
            Some(r#"{"a": [1, 2], "b": 1, "aa": null}"#)
        );
        assert_eq!(jsonb("{}").as_deref(), Some("{}"));
        assert_eq!(jsonb("{"), None);
    }

    #[test]
    fn timestamps() {
        assert_eq!(datetime("2020-01-01", "timestamptz").as_deref(), Some("2020-01-01 00:00:00+00"));
        assert_eq!(datetime("2020-01-01 10:30", "timestamp").as_deref(), Some("2020-01-01 10:30:00"));
        assert_eq!(datetime("2020-1-2", "date").as_deref(), Some("2020-01-02"));
    }
}
