//! A new partition's bound against its siblings', as `check_new_partition_bound` does: a second
//! DEFAULT partition, a list value another partition already holds, an empty range, and a range that
//! overlaps another. Values are compared as their key column's type (integers, numeric, floats,
//! booleans, dates and timestamps); text keys are compared for equality only, because their order
//! depends on the database's collation.

use std::cmp::Ordering;

use super::{SimError, SimResult};
use crate::catalog::model::*;
use crate::catalog::types::TypeRef;

/// One value of a printed bound: `MINVALUE`, `MAXVALUE`, `NULL`, or a constant's text without quotes.
#[derive(Clone, Debug, PartialEq)]
enum Datum {
    Min,
    Value(String),
    Null,
    Max,
}

#[derive(Debug, PartialEq)]
enum Bound {
    Default,
    List(Vec<Datum>),
    Range(Vec<Datum>, Vec<Datum>),
    /// Modulus and remainder.
    Hash(u64, u64),
    Other,
}

/// Reads a bound as [`super::table::bound_text`] prints it.
fn parse(text: &str) -> Bound {
    if text == "DEFAULT" {
        return Bound::Default;
    }
    if let Some(rest) = text.strip_prefix("FOR VALUES IN (") {
        return values(rest).map_or(Bound::Other, |(list, _)| Bound::List(list));
    }
    if let Some(rest) = text.strip_prefix("FOR VALUES FROM (")
        && let Some((from, rest)) = values(rest)
        && let Some(rest) = rest.strip_prefix(" TO (")
        && let Some((to, _)) = values(rest)
    {
        return Bound::Range(from, to);
    }
    if let Some(rest) = text.strip_prefix("FOR VALUES WITH (modulus ")
        && let Some((modulus, rest)) = rest.split_once(", remainder ")
        && let (Ok(m), Ok(r)) = (modulus.parse(), rest.trim_end_matches(')').parse())
    {
        return Bound::Hash(m, r);
    }
    Bound::Other
}

/// The values up to the closing parenthesis, and what follows it.
fn values(text: &str) -> Option<(Vec<Datum>, &str)> {
    let mut out = Vec::new();
    let mut rest = text;
    loop {
        if let Some(quoted) = rest.strip_prefix('\'') {
            let mut value = String::new();
            let mut chars = quoted.char_indices();
            let end = loop {
                let (i, c) = chars.next()?;
                if c == '\'' {
                    if quoted[i + 1..].starts_with('\'') {
                        value.push('\'');
                        chars.next();
                        continue;
                    }
                    break i + 1;
                }
                value.push(c);
            };
            out.push(Datum::Value(value));
            rest = &quoted[end..];
        } else {
            let end = rest.find([',', ')'])?;
            out.push(match &rest[..end] {
                "MINVALUE" => Datum::Min,
                "MAXVALUE" => Datum::Max,
                "NULL" => Datum::Null,
                word => Datum::Value(word.to_string()),
            });
            rest = &rest[end..];
        }
        if let Some(next) = rest.strip_prefix(", ") {
            rest = next;
        } else {
            return rest.strip_prefix(')').map(|after| (out, after));
        }
    }
}

/// How two values of the key's type compare; `None` when the engine cannot tell.
fn compare(a: &str, b: &str, ty: Option<&TypeRef>) -> Option<Ordering> {
    let ty = ty.filter(|t| t.schema.is_none() && !t.array)?;
    match ty.name.as_str() {
        "int2" | "int4" | "int8" => Some(a.parse::<i64>().ok()?.cmp(&b.parse::<i64>().ok()?)),
        "float4" | "float8" => a.parse::<f64>().ok()?.partial_cmp(&b.parse::<f64>().ok()?),
        "numeric" => compare_numeric(a, b),
        "bool" => Some(bool_value(a)?.cmp(&bool_value(b)?)),
        "date" | "timestamp" | "timestamptz" => {
            let rank = |v: &str| match v {
                "-infinity" => Some(0),
                "infinity" => Some(2),
                v if v.len() >= 10 && v.as_bytes()[4] == b'-' && v.bytes().take(4).all(|b| b.is_ascii_digit()) => {
                    Some(1)
                }
                _ => None,
            };
            Some(rank(a)?.cmp(&rank(b)?).then_with(|| a.cmp(b)))
        }
        // Other types: equal texts are equal values; their order is not known here.
        _ => (a == b).then_some(Ordering::Equal),
    }
}

fn bool_value(v: &str) -> Option<bool> {
    match v {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}

/// Two plain decimals (`-12.50`, `3`), compared by value.
fn compare_numeric(a: &str, b: &str) -> Option<Ordering> {
    fn parts(v: &str) -> Option<(bool, &str, &str)> {
        let (neg, digits) = v.strip_prefix('-').map_or((false, v), |d| (true, d));
        let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
        if int.is_empty() || !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit()) {
            return None;
        }
        let int = int.trim_start_matches('0');
        let frac = frac.trim_end_matches('0');
        let zero = int.is_empty() && frac.is_empty();
        Some((neg && !zero, int, frac))
    }
    let (na, ia, fa) = parts(a)?;
    let (nb, ib, fb) = parts(b)?;
    let magnitude = ia.len().cmp(&ib.len()).then_with(|| ia.cmp(ib)).then_with(|| fa.cmp(fb));
    Some(match (na, nb) {
        (false, false) => magnitude,
        (true, true) => magnitude.reverse(),
        (true, false) => Ordering::Less,
        (false, true) => Ordering::Greater,
    })
}

/// `partition_rbound_datum_cmp`: column by column; MINVALUE and MAXVALUE end the comparison.
fn compare_bounds(a: &[Datum], b: &[Datum], types: &[Option<TypeRef>]) -> Option<Ordering> {
    for (i, (x, y)) in a.iter().zip(b).enumerate() {
        let rank = |d: &Datum| match d {
            Datum::Min => 0,
            Datum::Max => 2,
            _ => 1,
        };
        match (x, y) {
            (Datum::Value(x), Datum::Value(y)) => match compare(x, y, types.get(i).and_then(|t| t.as_ref()))? {
                Ordering::Equal => continue,
                other => return Some(other),
            },
            _ if rank(x) == rank(y) => return Some(Ordering::Equal),
            _ => return Some(rank(x).cmp(&rank(y))),
        }
    }
    Some(Ordering::Equal)
}

/// The bound's form against the parent's strategy and key (`transformPartitionBound`); `None` is
/// `DEFAULT`.
pub(crate) fn check_spec(parent: &Table, spec: Option<&sqlparser::ast::ForValues>) -> SimResult {
    use sqlparser::ast::ForValues;
    let key = parent.partition_key.as_deref().unwrap_or("");
    let strategy = key.split(' ').next().unwrap_or("");
    let columns = super::table::key_parts(parent).len();
    let spec = match spec {
        None | Some(ForValues::Default) if strategy == "HASH" => {
            return Err(SimError::new("a hash-partitioned table may not have a default partition")
                .help("Give every hash partition a modulus and remainder that together cover all values."));
        }
        None | Some(ForValues::Default) => return Ok(()),
        Some(spec) => spec,
    };
    match (strategy, spec) {
        ("HASH", ForValues::With { modulus, remainder }) => {
            if *modulus == 0 {
                return Err(SimError::new("modulus for hash partition must be an integer value greater than zero"));
            }
            if remainder >= modulus {
                return Err(SimError::new("remainder for hash partition must be less than modulus"));
            }
        }
        ("HASH", _) => return Err(SimError::new("invalid bound specification for a hash partition")),
        ("LIST", ForValues::In(_)) => {}
        ("LIST", _) => return Err(SimError::new("invalid bound specification for a list partition")),
        ("RANGE", ForValues::From { from, to }) => {
            if from.len() != columns {
                return Err(SimError::new("FROM must specify exactly one value per partitioning column"));
            }
            if to.len() != columns {
                return Err(SimError::new("TO must specify exactly one value per partitioning column"));
            }
        }
        ("RANGE", _) => return Err(SimError::new("invalid bound specification for a range partition")),
        _ => {}
    }
    Ok(())
}

/// Refuses a partition whose bound PostgreSQL would refuse next to its siblings' (the new partition is
/// not one of them yet).
pub(crate) fn check(catalog: &Catalog, parent: &Table, name: &str, bound: &str) -> SimResult {
    let new = parse(bound);
    let types = super::table::key_types(parent, catalog);
    let siblings: Vec<&Table> =
        catalog.direct_partitions(&parent.name).iter().filter_map(|q| catalog.table(q)).collect();
    let sibling_bounds =
        || siblings.iter().filter_map(|t| t.partition_of.as_ref().map(|(_, b)| (&t.name.name, parse(b))));
    let overlap = |other: &str| SimError::new(format!("partition \"{name}\" would overlap partition \"{other}\""));
    match &new {
        Bound::Default => {
            if let Some((other, _)) = sibling_bounds().find(|(_, b)| *b == Bound::Default) {
                return Err(SimError::new(format!(
                    "partition \"{name}\" conflicts with existing default partition \"{other}\""
                )));
            }
        }
        Bound::List(values) => {
            for v in values {
                for (other, b) in sibling_bounds() {
                    let Bound::List(theirs) = b else { continue };
                    let same = theirs.iter().any(|w| match (v, w) {
                        (Datum::Null, Datum::Null) => true,
                        (Datum::Value(x), Datum::Value(y)) => {
                            compare(x, y, types.first().and_then(|t| t.as_ref())) == Some(Ordering::Equal)
                        }
                        _ => false,
                    });
                    if same {
                        return Err(overlap(other));
                    }
                }
            }
        }
        Bound::Range(lower, upper) => {
            if compare_bounds(lower, upper, &types).is_some_and(|o| o != Ordering::Less) {
                let (from, to) = range_texts(bound);
                return Err(SimError::new(format!("empty range bound specified for partition \"{name}\""))
                    .help(format!("Specified lower bound ({from}) is greater than or equal to upper bound ({to}).")));
            }
            // The sibling whose range holds the new lower bound, else the first one the new range reaches.
            let mut reached: Option<(&Name, Vec<Datum>)> = None;
            for (other, b) in sibling_bounds() {
                let Bound::Range(l, u) = b else { continue };
                let starts_before_end = compare_bounds(lower, &u, &types) == Some(Ordering::Less);
                let ends_after_start = compare_bounds(&l, upper, &types) == Some(Ordering::Less);
                if !(starts_before_end && ends_after_start) {
                    continue;
                }
                if compare_bounds(&l, lower, &types).is_some_and(|o| o != Ordering::Greater) {
                    return Err(overlap(other));
                }
                let earlier = match &reached {
                    Some((_, start)) => compare_bounds(&l, start, &types) == Some(Ordering::Less),
                    None => true,
                };
                if earlier {
                    reached = Some((other, l));
                }
            }
            if let Some((other, _)) = reached {
                return Err(overlap(other));
            }
        }
        Bound::Hash(modulus, remainder) => {
            let mut hashes: Vec<(u64, u64, &Name)> = sibling_bounds()
                .filter_map(|(other, b)| match b {
                    Bound::Hash(m, r) if m > 0 => Some((m, r, other)),
                    _ => None,
                })
                .collect();
            hashes.sort_by_key(|(m, r, _)| (*m, *r));
            check_hash(name, *modulus, *remainder, &hashes)?;
        }
        Bound::Other => {}
    }
    Ok(())
}

/// The moduli must divide one another (PostgreSQL checks the nearest smaller and larger pairs), and no
/// remainder slot may be another partition's. `siblings` are sorted by modulus, then remainder.
fn check_hash(name: &str, modulus: u64, remainder: u64, siblings: &[(u64, u64, &Name)]) -> SimResult {
    let Some(greatest) = siblings.iter().map(|(m, _, _)| *m).max() else { return Ok(()) };
    if modulus == 0 {
        return Ok(());
    }
    let factor = |detail: String| {
        Err(SimError::new("every hash partition modulus must be a factor of the next larger modulus").help(detail))
    };
    match siblings.iter().rposition(|(m, r, _)| (*m, *r) <= (modulus, remainder)) {
        None => {
            let (next, _, other) = siblings[0];
            if !next.is_multiple_of(modulus) {
                return factor(format!(
                    "The new modulus {modulus} is not a factor of {next}, the modulus of existing partition \"{other}\"."
                ));
            }
        }
        Some(at) => {
            let (prev, _, other) = siblings[at];
            if !modulus.is_multiple_of(prev) {
                return factor(format!(
                    "The new modulus {modulus} is not divisible by {prev}, the modulus of existing partition \"{other}\"."
                ));
            }
            if let Some((next, _, other)) = siblings.get(at + 1)
                && !next.is_multiple_of(modulus)
            {
                return factor(format!(
                    "The new modulus {modulus} is not a factor of {next}, the modulus of existing partition \"{other}\"."
                ));
            }
        }
    }
    let mut slot = if remainder >= greatest { remainder % greatest } else { remainder };
    while slot < greatest {
        if let Some((_, _, other)) = siblings.iter().find(|(m, r, _)| slot % m == *r) {
            return Err(SimError::new(format!("partition \"{name}\" would overlap partition \"{other}\"")));
        }
        slot += modulus;
    }
    Ok(())
}

/// The two lists of a printed range bound, as PostgreSQL's detail shows them.
fn range_texts(bound: &str) -> (&str, &str) {
    let inner = bound.strip_prefix("FOR VALUES FROM (").unwrap_or(bound);
    match inner.rsplit_once(") TO (") {
        Some((from, to)) => (from, to.strip_suffix(')').unwrap_or(to)),
        None => (inner, ""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printed_bounds_read_back() {
        assert_eq!(
            parse("FOR VALUES FROM ('a''b', 3.5, MINVALUE) TO ('c', '1,2)', MAXVALUE)"),
            Bound::Range(
                vec![Datum::Value("a'b".into()), Datum::Value("3.5".into()), Datum::Min],
                vec![Datum::Value("c".into()), Datum::Value("1,2)".into()), Datum::Max]
            )
        );
        assert_eq!(parse("FOR VALUES IN (NULL, 1)"), Bound::List(vec![Datum::Null, Datum::Value("1".into())]));
        assert_eq!(parse("DEFAULT"), Bound::Default);
        assert_eq!(parse("FOR VALUES WITH (modulus 2, remainder 0)"), Bound::Hash(2, 0));
    }

    #[test]
    fn numerics_compare_by_value() {
        assert_eq!(compare_numeric("1.50", "1.5"), Some(Ordering::Equal));
        assert_eq!(compare_numeric("-2", "-10"), Some(Ordering::Greater));
        assert_eq!(compare_numeric("10", "9.99"), Some(Ordering::Greater));
        assert_eq!(compare_numeric("-0.0", "0"), Some(Ordering::Equal));
        assert_eq!(compare_numeric("0.05", "0.5"), Some(Ordering::Less));
    }
}
