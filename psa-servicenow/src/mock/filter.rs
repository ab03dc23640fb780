//! The simulator's encoded-query parser: the subset the SDK writes.
//!
//! `^` (AND), `^OR`, `^NQ`, `ORDERBY` / `ORDERBYDESC`, the operators `=`,
//! `!=`, `<`, `<=`, `>`, `>=`, `LIKE`, `NOT LIKE`, `STARTSWITH`, `ENDSWITH`,
//! `IN`, `NOT IN`, `ISEMPTY`, `ISNOTEMPTY`, and `123TEXTQUERY321=`. Anything
//! else is a parse error the simulator answers with a 400 — a real instance
//! would ignore the unknown part and widen the result, which a test should
//! see instead.

use std::cmp::Ordering;

// The operators are the query builder's; the tokens below are written out
// again, so that a wrong token in the builder is a 400 here, not a match.
use crate::query::{Operator as Op, TEXT_QUERY_FIELD};

/// Longest tokens first, so that `<=` wins over `<` and `NOT LIKE` over `NOT IN`.
const OPS: &[(&str, Op)] = &[
    ("ISNOTEMPTY", Op::IsNotEmpty),
    ("STARTSWITH", Op::StartsWith),
    ("NOT LIKE", Op::NotLike),
    ("ENDSWITH", Op::EndsWith),
    ("ISEMPTY", Op::IsEmpty),
    ("NOT IN", Op::NotIn),
    ("LIKE", Op::Like),
    ("!=", Op::Ne),
    ("<=", Op::Le),
    (">=", Op::Ge),
    ("IN", Op::In),
    ("=", Op::Eq),
    ("<", Op::Lt),
    (">", Op::Gt),
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Cond {
    pub(crate) field: String,
    pub(crate) op: Op,
    pub(crate) value: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Parsed {
    /// `^NQ` groups → AND-ed clauses → OR-ed alternatives.
    pub(crate) groups: Vec<Vec<Vec<Cond>>>,
    /// `(field, descending)`.
    pub(crate) order: Vec<(String, bool)>,
}

fn is_field_char(c: char) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '.'
}

fn parse_cond(term: &str, known: &dyn Fn(&str) -> bool) -> Result<Cond, String> {
    let (field, rest) = if let Some(rest) = term.strip_prefix(TEXT_QUERY_FIELD) {
        (TEXT_QUERY_FIELD.to_owned(), rest)
    } else {
        let end = term.find(|c: char| !is_field_char(c)).unwrap_or(term.len());
        (term[..end].to_owned(), &term[end..])
    };
    if field.is_empty() {
        return Err(format!("term {term:?} does not start with a field name"));
    }
    if field != TEXT_QUERY_FIELD && !known(&field) {
        return Err(format!("unknown field {field:?} in term {term:?}"));
    }
    let (op, value) = OPS
        .iter()
        .find_map(|(tok, op)| rest.strip_prefix(tok).map(|v| (*op, v)))
        .ok_or_else(|| format!("unsupported operator in term {term:?}"))?;
    if field == TEXT_QUERY_FIELD && op != Op::Eq {
        return Err(format!("{TEXT_QUERY_FIELD} takes only `=`"));
    }
    if matches!(op, Op::IsEmpty | Op::IsNotEmpty) && !value.is_empty() {
        return Err(format!("unexpected value after operator in term {term:?}"));
    }
    Ok(Cond {
        field,
        op,
        value: value.to_owned(),
    })
}

/// Parses an encoded query. `known` says whether a field (possibly
/// dot-walked) exists.
pub(crate) fn parse(query: &str, known: &dyn Fn(&str) -> bool) -> Result<Parsed, String> {
    let mut parsed = Parsed {
        groups: vec![Vec::new()],
        order: Vec::new(),
    };
    if query.is_empty() {
        return Ok(parsed);
    }
    for token in query.split('^') {
        if token.is_empty() {
            return Err("empty term (a stray `^`)".to_owned());
        }
        if let Some(field) = token.strip_prefix("ORDERBYDESC") {
            if !known(field) {
                return Err(format!("unknown ORDERBYDESC field {field:?}"));
            }
            parsed.order.push((field.to_owned(), true));
        } else if let Some(field) = token.strip_prefix("ORDERBY") {
            if !known(field) {
                return Err(format!("unknown ORDERBY field {field:?}"));
            }
            parsed.order.push((field.to_owned(), false));
        } else if let Some(term) = token.strip_prefix("NQ") {
            parsed.groups.push(vec![vec![parse_cond(term, known)?]]);
        } else if let Some(term) = token.strip_prefix("OR") {
            let cond = parse_cond(term, known)?;
            let clause = parsed
                .groups
                .last_mut()
                .and_then(|g| g.last_mut())
                .ok_or_else(|| "`^OR` without a term before it".to_owned())?;
            clause.push(cond);
        } else if token.starts_with(|c: char| c.is_ascii_uppercase())
            && !token.starts_with(TEXT_QUERY_FIELD)
        {
            return Err(format!("unsupported query keyword in {token:?}"));
        } else {
            let cond = parse_cond(token, known)?;
            if let Some(g) = parsed.groups.last_mut() {
                g.push(vec![cond]);
            }
        }
    }
    Ok(parsed)
}

fn decimal(s: &str) -> Option<f64> {
    let t = s.trim();
    let digits = t.strip_prefix('-').unwrap_or(t);
    let (int, frac) = digits.split_once('.').unwrap_or((digits, "0"));
    let plain = !int.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && !frac.is_empty()
        && frac.bytes().all(|b| b.is_ascii_digit());
    if plain { t.parse().ok() } else { None }
}

/// Compares two field values: numerically when both are plain decimal
/// numbers, as text otherwise (date-times `YYYY-MM-DD HH:MM:SS` sort
/// correctly as text), numbers before text. A total order, as sorting needs.
pub(crate) fn compare(a: &str, b: &str) -> Ordering {
    match (decimal(a), decimal(b)) {
        (Some(x), Some(y)) => x.total_cmp(&y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => a.cmp(b),
    }
}

/// A field value ready for sorting: its number parsed once, so that a sort
/// of many rows does not parse both sides of every comparison.
pub(crate) struct SortKey {
    num: Option<f64>,
    text: String,
}

impl SortKey {
    pub(crate) fn new(text: String) -> Self {
        SortKey {
            num: decimal(&text),
            text,
        }
    }
}

/// [`compare`] on prepared keys.
pub(crate) fn compare_keys(a: &SortKey, b: &SortKey) -> Ordering {
    match (a.num, b.num) {
        (Some(x), Some(y)) => x.total_cmp(&y),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => a.text.cmp(&b.text),
    }
}

fn eq_ci(a: &str, b: &str) -> bool {
    a.to_lowercase() == b.to_lowercase()
}

fn cond_matches(
    c: &Cond,
    get: &dyn Fn(&str) -> String,
    text: &dyn Fn() -> String,
    multi: &dyn Fn(&str) -> bool,
) -> bool {
    if c.field == TEXT_QUERY_FIELD {
        let haystack = text().to_lowercase();
        return c
            .value
            .split_whitespace()
            .all(|w| haystack.contains(&w.to_lowercase()));
    }
    let v = get(&c.field);
    if multi(&c.field) && matches!(c.op, Op::Eq | Op::Ne) {
        // A list field (`sys_user.roles`): `=` means "has this item".
        let has = v.split(',').any(|item| eq_ci(item.trim(), &c.value));
        return (c.op == Op::Eq) == has;
    }
    let lower = v.to_lowercase();
    let want = c.value.to_lowercase();
    match c.op {
        Op::Eq => eq_ci(&v, &c.value),
        Op::Ne => !eq_ci(&v, &c.value),
        Op::Lt => !v.is_empty() && compare(&v, &c.value) == Ordering::Less,
        Op::Le => !v.is_empty() && compare(&v, &c.value) != Ordering::Greater,
        Op::Gt => !v.is_empty() && compare(&v, &c.value) == Ordering::Greater,
        Op::Ge => !v.is_empty() && compare(&v, &c.value) != Ordering::Less,
        Op::Like => lower.contains(&want),
        Op::NotLike => !lower.contains(&want),
        Op::StartsWith => lower.starts_with(&want),
        Op::EndsWith => lower.ends_with(&want),
        Op::In => c.value.split(',').any(|item| eq_ci(&v, item)),
        Op::NotIn => !c.value.split(',').any(|item| eq_ci(&v, item)),
        Op::IsEmpty => v.is_empty(),
        Op::IsNotEmpty => !v.is_empty(),
    }
}

impl Parsed {
    /// Whether a record matches. `get` reads a field (dot-walks included);
    /// `text` is the record's text for `123TEXTQUERY321`; `multi` says
    /// whether a field holds a comma-separated list.
    pub(crate) fn matches(
        &self,
        get: &dyn Fn(&str) -> String,
        text: &dyn Fn() -> String,
        multi: &dyn Fn(&str) -> bool,
    ) -> bool {
        let groups: Vec<_> = self.groups.iter().filter(|g| !g.is_empty()).collect();
        if groups.is_empty() {
            return true;
        }
        groups.iter().any(|group| {
            group
                .iter()
                .all(|clause| clause.iter().any(|c| cond_matches(c, get, text, multi)))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::rngs::StdRng;
    use rand::{Rng as _, SeedableRng as _};

    fn known(f: &str) -> bool {
        !f.is_empty() && !f.contains("nope")
    }

    #[test]
    fn parses_what_the_builder_writes() {
        let p = parse(
            "active=true^stateIN1,2^ORpriority<=2^NQshort_descriptionLIKEx=y^ORDERBYsys_created_on^ORDERBYDESCnumber",
            &known,
        )
        .unwrap();
        assert_eq!(p.groups.len(), 2);
        assert_eq!(p.groups[0].len(), 2);
        assert_eq!(p.groups[0][1].len(), 2);
        assert_eq!(p.groups[0][1][1].op, Op::Le);
        assert_eq!(p.groups[1][0][0].value, "x=y");
        assert_eq!(
            p.order,
            [
                ("sys_created_on".to_owned(), false),
                ("number".to_owned(), true)
            ]
        );
    }

    #[test]
    fn rejects_what_it_does_not_know() {
        for q in [
            "a=1^",
            "^a=1",
            "a=1^^b=2",
            "nope=1",
            "aBETWEEN1@2",
            "ORa=1",
            "RLQUERYx",
            "a~1",
            "aISEMPTYx",
            "ORDERBYnope",
        ] {
            assert!(parse(q, &known).is_err(), "{q}");
        }
    }

    #[test]
    fn evaluates() {
        let p = parse(
            "active=true^priorityIN1,2^ORshort_descriptionLIKEPRINT",
            &known,
        )
        .unwrap();
        let row = |f: &str| match f {
            "active" => "true".to_owned(),
            "priority" => "3".to_owned(),
            "short_description" => "Printer jam".to_owned(),
            _ => String::new(),
        };
        let single = |_: &str| false;
        assert!(p.matches(&row, &String::new, &single));
        let p = parse("priority<3", &known).unwrap();
        assert!(!p.matches(&row, &String::new, &single));
        let p = parse("123TEXTQUERY321=jam printer", &known).unwrap();
        assert!(p.matches(&row, &|| "Printer jam on floor 3".to_owned(), &single));
        assert_eq!(compare("9", "10"), std::cmp::Ordering::Less);
        assert_eq!(
            compare("10", "1x"),
            std::cmp::Ordering::Less,
            "numbers before text"
        );
        assert_eq!(
            compare("12e4", "9"),
            std::cmp::Ordering::Greater,
            "no exponent notation"
        );
    }

    /// Text made of the pieces that could end a term, start another,
    /// or read as a different operator, mixed with ordinary words.
    fn hostile_text(rng: &mut StdRng) -> String {
        const PIECES: &[&str] = &[
            "^",
            "^OR",
            "^NQ",
            "OR",
            "NQ",
            "=",
            "!=",
            "<",
            ">",
            "LIKE",
            "NOT ",
            "IN",
            "ISEMPTY",
            "STARTSWITH",
            "ORDERBY",
            "active=false",
            ",",
            ".",
            "@",
            "javascript:",
            "JavaScript:",
            " ",
            "\n",
            "\t",
            "\0",
            "é",
            "漢",
            "🖨",
            "printer",
            "sys_id",
            "123TEXTQUERY321",
            "%",
            "*",
        ];
        let n = rng.random_range(1..=6);
        (0..n)
            .map(|_| PIECES[rng.random_range(0..PIECES.len())])
            .collect()
    }

    /// Whatever a caller's text holds, an encoded query either is refused
    /// or parses to exactly the terms written, with the text intact as the
    /// value: caller text can never add, drop or change a term.
    #[test]
    fn caller_text_never_changes_the_parsed_query() {
        use crate::query::{Query, Term};
        let any_field = |f: &str| !f.is_empty();
        let mut rng = StdRng::seed_from_u64(0x2545_f491_4f6c_dd1d);
        let (mut kept, mut refused) = (0, 0);
        for _ in 0..5_000 {
            let text = hostile_text(&mut rng);
            let f = "short_description";
            let (term, op) = match rng.random_range(0..8) {
                0 => (Term::eq(f, text.as_str()), Op::Eq),
                1 => (Term::ne(f, text.as_str()), Op::Ne),
                2 => (Term::like(f, text.as_str()), Op::Like),
                3 => (Term::not_like(f, text.as_str()), Op::NotLike),
                4 => (Term::starts_with(f, text.as_str()), Op::StartsWith),
                5 => (Term::ends_with(f, text.as_str()), Op::EndsWith),
                6 => (Term::lt(f, text.as_str()), Op::Lt),
                _ => (Term::is_in(f, [text.as_str(), "x"]), Op::In),
            };
            let query = Query::new()
                .eq("active", "true")
                .and(term)
                .order_by("number");
            let Ok(encoded) = query.encode() else {
                refused += 1;
                continue;
            };
            let value = if op == Op::In {
                format!("{text},x")
            } else {
                text.clone()
            };
            let cond = |field: &str, op, value: &str| Cond {
                field: field.to_owned(),
                op,
                value: value.to_owned(),
            };
            let want = Parsed {
                groups: vec![vec![
                    vec![cond("active", Op::Eq, "true")],
                    vec![cond(f, op, &value)],
                ]],
                order: vec![("number".to_owned(), false)],
            };
            assert_eq!(
                parse(&encoded, &any_field),
                Ok(want),
                "{text:?} encoded as {encoded}"
            );
            kept += 1;
        }
        // Both paths were exercised.
        assert!(
            kept > 1_000 && refused > 1_000,
            "kept {kept}, refused {refused}"
        );
    }
}
