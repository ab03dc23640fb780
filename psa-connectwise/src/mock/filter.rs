//! A small, real parser and evaluator of the `conditions` language subset
//! the SDK emits (and a little more): field paths, `= != < <= > >=`,
//! `contains`, `like`, `[not] in (…)`, quoted strings (double or single
//! quotes, no escapes), numbers, `true` / `false` / `null`, timestamps in
//! brackets, `and` / `or` and parentheses. Keywords are case-insensitive.
//!
//! What does not parse is refused the way ConnectWise refuses a bad filter:
//! HTTP 400 with its error shape (the router turns a [`ParseError`] into it).

use chrono::{DateTime, Utc};
use serde_json::Value;
use std::cmp::Ordering;

use crate::models::parse_timestamp;

/// Why a condition string was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ParseError(pub(crate) String);

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Lit {
    Str(String),
    Num(f64),
    Bool(bool),
    Null,
    Time(DateTime<Utc>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Contains,
    Like,
    NotContains,
    NotLike,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Expr {
    Cmp(String, CmpOp, Lit),
    In(String, Vec<Lit>, bool),
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    Str(String),
    Num(f64),
    Time(DateTime<Utc>),
    Op(&'static str),
    LParen,
    RParen,
    Comma,
}

#[allow(clippy::too_many_lines, clippy::many_single_char_names)]
fn lex(s: &str) -> Result<Vec<Tok>, ParseError> {
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    let mut out = Vec::new();
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        match c {
            '(' => {
                out.push(Tok::LParen);
                i += 1;
            }
            ')' => {
                out.push(Tok::RParen);
                i += 1;
            }
            ',' => {
                out.push(Tok::Comma);
                i += 1;
            }
            '"' | '\'' => {
                let quote = c;
                let start = i + 1;
                let mut j = start;
                while j < chars.len() && chars[j] != quote {
                    j += 1;
                }
                if j >= chars.len() {
                    return Err(ParseError(format!(
                        "unterminated string starting at character {i}"
                    )));
                }
                out.push(Tok::Str(chars[start..j].iter().collect()));
                i = j + 1;
            }
            '[' => {
                let start = i + 1;
                let mut j = start;
                while j < chars.len() && chars[j] != ']' {
                    j += 1;
                }
                if j >= chars.len() {
                    return Err(ParseError("unterminated [timestamp]".into()));
                }
                let text: String = chars[start..j].iter().collect();
                let t = parse_timestamp(&text)
                    .ok_or_else(|| ParseError(format!("[{text}] is not a timestamp")))?;
                out.push(Tok::Time(t));
                i = j + 1;
            }
            '=' => {
                out.push(Tok::Op("="));
                i += 1;
            }
            '!' if chars.get(i + 1) == Some(&'=') => {
                out.push(Tok::Op("!="));
                i += 2;
            }
            '<' | '>' => {
                if chars.get(i + 1) == Some(&'=') {
                    out.push(Tok::Op(if c == '<' { "<=" } else { ">=" }));
                    i += 2;
                } else if c == '<' && chars.get(i + 1) == Some(&'>') {
                    out.push(Tok::Op("!="));
                    i += 2;
                } else {
                    out.push(Tok::Op(if c == '<' { "<" } else { ">" }));
                    i += 1;
                }
            }
            c if c.is_ascii_digit()
                || (c == '-' && chars.get(i + 1).is_some_and(char::is_ascii_digit)) =>
            {
                let start = i;
                i += 1;
                while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                    i += 1;
                }
                let text: String = chars[start..i].iter().collect();
                let n = text
                    .parse::<f64>()
                    .map_err(|_| ParseError(format!("{text} is not a number")))?;
                out.push(Tok::Num(n));
            }
            c if c.is_ascii_alphabetic() || c == '_' => {
                let start = i;
                while i < chars.len()
                    && (chars[i].is_ascii_alphanumeric() || chars[i] == '_' || chars[i] == '/')
                {
                    i += 1;
                }
                out.push(Tok::Ident(chars[start..i].iter().collect()));
            }
            other => {
                return Err(ParseError(format!("unexpected character {other:?} at {i}")));
            }
        }
    }
    Ok(out)
}

struct Parser {
    toks: Vec<Tok>,
    pos: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }
    fn next(&mut self) -> Option<Tok> {
        let t = self.toks.get(self.pos).cloned();
        self.pos += 1;
        t
    }
    fn keyword(&self, kw: &str) -> bool {
        matches!(self.peek(), Some(Tok::Ident(s)) if s.eq_ignore_ascii_case(kw))
    }

    fn or(&mut self) -> Result<Expr, ParseError> {
        let mut left = self.and()?;
        while self.keyword("or") {
            self.pos += 1;
            let right = self.and()?;
            left = Expr::Or(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Expr, ParseError> {
        let mut left = self.unary()?;
        while self.keyword("and") {
            self.pos += 1;
            let right = self.unary()?;
            left = Expr::And(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<Expr, ParseError> {
        if self.peek() == Some(&Tok::LParen) {
            self.pos += 1;
            let e = self.or()?;
            if self.next() != Some(Tok::RParen) {
                return Err(ParseError("expected `)`".into()));
            }
            return Ok(e);
        }
        self.comparison()
    }

    fn comparison(&mut self) -> Result<Expr, ParseError> {
        let field = match self.next() {
            Some(Tok::Ident(f)) if is_field(&f) => f,
            other => return Err(ParseError(format!("expected a field, found {other:?}"))),
        };
        let negated = if self.keyword("not") {
            self.pos += 1;
            true
        } else {
            false
        };
        if self.keyword("in") {
            self.pos += 1;
            if self.next() != Some(Tok::LParen) {
                return Err(ParseError("expected `(` after `in`".into()));
            }
            let mut values = vec![self.literal()?];
            loop {
                match self.next() {
                    Some(Tok::Comma) => values.push(self.literal()?),
                    Some(Tok::RParen) => break,
                    other => {
                        return Err(ParseError(format!("expected `,` or `)`, found {other:?}")));
                    }
                }
            }
            return Ok(Expr::In(field, values, negated));
        }
        let op = match self.next() {
            Some(Tok::Op("=")) if !negated => CmpOp::Eq,
            Some(Tok::Op("!=")) if !negated => CmpOp::Ne,
            Some(Tok::Op("<")) if !negated => CmpOp::Lt,
            Some(Tok::Op("<=")) if !negated => CmpOp::Le,
            Some(Tok::Op(">")) if !negated => CmpOp::Gt,
            Some(Tok::Op(">=")) if !negated => CmpOp::Ge,
            Some(Tok::Ident(s)) if s.eq_ignore_ascii_case("contains") => {
                if negated {
                    CmpOp::NotContains
                } else {
                    CmpOp::Contains
                }
            }
            Some(Tok::Ident(s)) if s.eq_ignore_ascii_case("like") => {
                if negated {
                    CmpOp::NotLike
                } else {
                    CmpOp::Like
                }
            }
            other => return Err(ParseError(format!("expected an operator, found {other:?}"))),
        };
        let value = self.literal()?;
        if matches!(
            op,
            CmpOp::Contains | CmpOp::Like | CmpOp::NotContains | CmpOp::NotLike
        ) && !matches!(value, Lit::Str(_))
        {
            return Err(ParseError("contains / like need a quoted string".into()));
        }
        Ok(Expr::Cmp(field, op, value))
    }

    fn literal(&mut self) -> Result<Lit, ParseError> {
        match self.next() {
            Some(Tok::Str(s)) => Ok(Lit::Str(s)),
            Some(Tok::Num(n)) => Ok(Lit::Num(n)),
            Some(Tok::Time(t)) => Ok(Lit::Time(t)),
            Some(Tok::Ident(s)) if s.eq_ignore_ascii_case("true") => Ok(Lit::Bool(true)),
            Some(Tok::Ident(s)) if s.eq_ignore_ascii_case("false") => Ok(Lit::Bool(false)),
            Some(Tok::Ident(s)) if s.eq_ignore_ascii_case("null") => Ok(Lit::Null),
            other => Err(ParseError(format!("expected a value, found {other:?}"))),
        }
    }
}

fn is_field(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('/')
        && !s.ends_with('/')
        && !s.contains("//")
        && ![
            "and", "or", "not", "in", "contains", "like", "true", "false", "null",
        ]
        .iter()
        .any(|k| s.eq_ignore_ascii_case(k))
}

/// Parses a condition string.
pub(crate) fn parse(s: &str) -> Result<Expr, ParseError> {
    let toks = lex(s)?;
    if toks.is_empty() {
        return Err(ParseError("empty condition".into()));
    }
    let mut p = Parser { toks, pos: 0 };
    let e = p.or()?;
    if p.pos < p.toks.len() {
        return Err(ParseError(format!(
            "unexpected {:?} after the condition",
            p.toks[p.pos]
        )));
    }
    Ok(e)
}

/// Resolves a field path in a record. `lastUpdated`, `dateEntered`,
/// `updatedBy` and `enteredBy` read `_info` like ConnectWise does.
fn resolve<'a>(record: &'a Value, path: &str) -> Option<&'a Value> {
    let mut cur = record;
    for (i, seg) in path.split('/').enumerate() {
        let next = cur.get(seg).or_else(|| {
            // case-insensitive member names, as ConnectWise accepts
            cur.as_object().and_then(|o| {
                o.iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case(seg))
                    .map(|(_, v)| v)
            })
        });
        cur = match next {
            Some(v) => v,
            None if i == 0 => record.get("_info")?.get(seg)?,
            None => return None,
        };
    }
    Some(cur)
}

fn lit_matches(v: Option<&Value>, op: CmpOp, lit: &Lit) -> bool {
    let v = v.filter(|v| !v.is_null());
    match lit {
        Lit::Null => match op {
            CmpOp::Eq => v.is_none(),
            CmpOp::Ne => v.is_some(),
            _ => false,
        },
        Lit::Bool(b) => {
            let got = v.and_then(Value::as_bool).unwrap_or(false);
            match op {
                CmpOp::Eq => got == *b,
                CmpOp::Ne => got != *b,
                _ => false,
            }
        }
        Lit::Num(n) => {
            let Some(got) = v.and_then(|v| {
                v.as_f64()
                    .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
            }) else {
                return op == CmpOp::Ne;
            };
            ordered(got.partial_cmp(n), op)
        }
        Lit::Time(t) => {
            let Some(got) = v.and_then(Value::as_str).and_then(parse_timestamp) else {
                return op == CmpOp::Ne;
            };
            ordered(Some(got.cmp(t)), op)
        }
        Lit::Str(s) => {
            let got = match v {
                Some(Value::String(g)) => g.clone(),
                Some(Value::Number(n)) => n.to_string(),
                Some(Value::Bool(b)) => b.to_string(),
                _ => return matches!(op, CmpOp::Ne | CmpOp::NotContains | CmpOp::NotLike),
            };
            let (g, s) = (got.to_lowercase(), s.to_lowercase());
            match op {
                CmpOp::Contains => g.contains(&s),
                CmpOp::NotContains => !g.contains(&s),
                CmpOp::Like => like(&g, &s),
                CmpOp::NotLike => !like(&g, &s),
                _ => ordered(Some(g.cmp(&s)), op),
            }
        }
    }
}

fn ordered(o: Option<Ordering>, op: CmpOp) -> bool {
    let Some(o) = o else { return false };
    match op {
        CmpOp::Eq => o == Ordering::Equal,
        CmpOp::Ne => o != Ordering::Equal,
        CmpOp::Lt => o == Ordering::Less,
        CmpOp::Le => o != Ordering::Greater,
        CmpOp::Gt => o == Ordering::Greater,
        CmpOp::Ge => o != Ordering::Less,
        _ => false,
    }
}

/// SQL `LIKE`: `%` any run, `_` one character.
fn like(text: &str, pattern: &str) -> bool {
    let t: Vec<char> = text.chars().collect();
    let p: Vec<char> = pattern.chars().collect();
    let (mut ti, mut pi) = (0, 0);
    let (mut star, mut mark) = (None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '_' || p[pi] == t[ti]) {
            ti += 1;
            pi += 1;
        } else if pi < p.len() && p[pi] == '%' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == '%' {
        pi += 1;
    }
    pi == p.len()
}

/// Whether `record` satisfies `expr`.
pub(crate) fn eval(expr: &Expr, record: &Value) -> bool {
    match expr {
        Expr::And(a, b) => eval(a, record) && eval(b, record),
        Expr::Or(a, b) => eval(a, record) || eval(b, record),
        Expr::Cmp(f, op, lit) => lit_matches(resolve(record, f), *op, lit),
        Expr::In(f, lits, negated) => {
            let v = resolve(record, f);
            let hit = lits.iter().any(|l| lit_matches(v, CmpOp::Eq, l));
            hit != *negated
        }
    }
}

fn fields_of(expr: &Expr, out: &mut Vec<String>) {
    match expr {
        Expr::And(a, b) | Expr::Or(a, b) => {
            fields_of(a, out);
            fields_of(b, out);
        }
        Expr::Cmp(f, _, _) | Expr::In(f, _, _) => out.push(f.clone()),
    }
}

fn strip_prefix(expr: &Expr, prefix: &str) -> Expr {
    let strip = |f: &str| {
        f.strip_prefix(prefix)
            .and_then(|r| r.strip_prefix('/'))
            .unwrap_or(f)
            .to_owned()
    };
    match expr {
        Expr::And(a, b) => Expr::And(
            Box::new(strip_prefix(a, prefix)),
            Box::new(strip_prefix(b, prefix)),
        ),
        Expr::Or(a, b) => Expr::Or(
            Box::new(strip_prefix(a, prefix)),
            Box::new(strip_prefix(b, prefix)),
        ),
        Expr::Cmp(f, op, l) => Expr::Cmp(strip(f), *op, l.clone()),
        Expr::In(f, l, n) => Expr::In(strip(f), l.clone(), *n),
    }
}

/// `childConditions`: the expression must hold for one element of the child
/// collection named by the fields' first segment (`communicationItems/…`).
pub(crate) fn eval_child(expr: &Expr, record: &Value) -> Result<bool, ParseError> {
    let mut fields = Vec::new();
    fields_of(expr, &mut fields);
    let prefixes: std::collections::BTreeSet<&str> = fields
        .iter()
        .map(|f| f.split('/').next().unwrap_or(f))
        .collect();
    if prefixes.len() != 1 || fields.iter().any(|f| !f.contains('/')) {
        return Err(ParseError(
            "childConditions must name fields of one child collection (`communicationItems/value`)"
                .into(),
        ));
    }
    let prefix = prefixes.into_iter().next().unwrap_or_default();
    let inner = strip_prefix(expr, prefix);
    let children = resolve(record, prefix)
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    Ok(children.iter().any(|c| eval(&inner, c)))
}

/// `customFieldConditions` (`caption = "X" and value = "Y"`): the
/// expression must hold for one of the record's custom fields.
pub(crate) fn eval_custom(expr: &Expr, record: &Value) -> bool {
    record
        .get("customFields")
        .and_then(Value::as_array)
        .is_some_and(|fields| fields.iter().any(|f| eval(expr, f)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::rngs::StdRng;
    use rand::{Rng as _, SeedableRng as _};
    use serde_json::json;

    #[test]
    fn parses_what_the_sdk_emits() {
        let r = json!({"id": 7, "summary": "Printer (3rd floor) and more", "closedFlag": false,
            "status": {"id": 2, "name": "In Progress"}, "_info": {"lastUpdated": "2026-01-05T10:00:00Z"}});
        for (c, want) in [
            ("id = 7", true),
            ("closedFlag = false and status/id in (1, 2)", true),
            (r#"summary contains "3RD FLOOR) AND""#, true),
            (r#"summary like "printer%more""#, true),
            ("lastUpdated >= [2026-01-01T00:00:00Z]", true),
            ("(id = 1 or id = 7) and status/name = 'in progress'", true),
            ("id not in (7)", false),
            ("contact/id = null", true),
            ("status/id != 2 or id < 3", false),
        ] {
            let e = parse(c).unwrap_or_else(|e| panic!("{c}: {e:?}"));
            assert_eq!(eval(&e, &r), want, "{c}");
        }
    }

    #[test]
    fn refuses_what_does_not_parse() {
        for c in [
            "",
            "id =",
            "id = 1 and",
            r#"summary = "open"#,
            "(id = 1",
            "id = 1)",
            "id ~ 1",
            "summary contains 5",
            "and = 1",
            "id = 1 id = 2",
        ] {
            assert!(parse(c).is_err(), "{c:?}");
        }
    }

    #[test]
    fn child_conditions_match_one_element() {
        let r = json!({"communicationItems": [
            {"value": "a@x.com", "communicationType": "Email"},
            {"value": "5551234", "communicationType": "Phone"}]});
        let ok = parse(r#"communicationItems/value = "A@X.COM" and communicationItems/communicationType = "Email""#).unwrap();
        assert!(eval_child(&ok, &r).unwrap());
        let cross = parse(r#"communicationItems/value = "5551234" and communicationItems/communicationType = "Email""#).unwrap();
        assert!(!eval_child(&cross, &r).unwrap());
    }

    /// Text made of the pieces that could end a literal, open a group or
    /// add a term, mixed with ordinary words.
    fn hostile_text(rng: &mut StdRng) -> String {
        const PIECES: &[&str] = &[
            "\"",
            "'",
            "\\",
            "(",
            ")",
            "[",
            "]",
            " and ",
            " or ",
            " not ",
            " = ",
            "!=",
            " in ",
            " contains ",
            " like ",
            "%",
            "/",
            ",",
            "id",
            "summary",
            "null",
            "true",
            "1",
            "2026-01-01T00:00:00Z",
            " ",
            "\n",
            "\t",
            "\r",
            "\0",
            "é",
            "漢",
            "🖨",
            "printer",
            "--",
            ";",
            "\u{7f}",
        ];
        let n = rng.random_range(1..=8);
        (0..n)
            .map(|_| PIECES[rng.random_range(0..PIECES.len())])
            .collect()
    }

    /// Whatever a caller's text holds, a rendered condition either is
    /// refused or parses (with the simulator's parser, which follows
    /// ConnectWise's grammar) to exactly the terms written, with the text
    /// intact as one string literal: caller text can never add a term.
    #[test]
    fn caller_text_never_changes_the_parsed_condition() {
        use crate::query::{Condition, fields};
        let mut rng = StdRng::seed_from_u64(0x9e37_79b9_7f4a_7c15);
        let (mut kept, mut refused) = (0, 0);
        for _ in 0..5_000 {
            let text = hostile_text(&mut rng);
            let (cond, op) = match rng.random_range(0..3) {
                0 => (fields::SUMMARY.eq(text.as_str()), CmpOp::Eq),
                1 => (fields::SUMMARY.contains(text.as_str()), CmpOp::Contains),
                _ => (fields::SUMMARY.like(text.as_str()), CmpOp::Like),
            };
            let Ok(rendered) = Condition::all([fields::COMPANY_ID.eq(10), cond]).render() else {
                refused += 1;
                continue;
            };
            let want = Expr::And(
                Box::new(Expr::Cmp("company/id".into(), CmpOp::Eq, Lit::Num(10.0))),
                Box::new(Expr::Cmp("summary".into(), op, Lit::Str(text.clone()))),
            );
            assert_eq!(
                parse(&rendered),
                Ok(want),
                "{text:?} rendered as {rendered}"
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
