//! A builder for ServiceNow encoded queries (`sysparm_query`).
//!
//! An encoded query is `field<OP>value` terms joined by `^` (AND), `^OR`
//! (OR with the term before) and `^NQ` (a new OR-ed group), followed by
//! `ORDERBYfield` / `ORDERBYDESCfield`. Only this builder writes those
//! separators. Caller text can never add a term:
//!
//! - Field names must match `[a-z0-9_]` segments joined by `.` (dot-walking),
//!   starting with a letter. They are never raw caller text.
//! - Values are **rejected** (an [`InvalidInput`](psa_core::ErrorKind::InvalidInput)
//!   error naming the field) when they contain `^` (which would start a new
//!   `^`, `^OR`, `^NQ` or `^ORDERBY` term), a newline or any other control
//!   character, or start with `javascript:` (an instance evaluates such values
//!   as server-side script). ServiceNow documents no escape for a literal
//!   caret inside a value (a `^^` escape is not documented; a ServiceNow
//!   community thread and the servicenow-sdk-go maintainers both found
//!   none), so the builder does not pretend to escape one.
//! - An `IN` / `NOT IN` list item containing `,` is rejected (the comma
//!   separates items and cannot be escaped), as is an empty item.
//! - A value that would make the operator read differently is rejected: `<`
//!   followed by a value starting with `=` would read as `<=`, and `IN`
//!   followed by `STANCEOF…` as `INSTANCEOF`. `=` inside a value is otherwise
//!   harmless (the operator is the first one after the field name) and kept.
//! - Empty values are rejected for valued operators (`fieldLIKE` with nothing
//!   after it is an invalid term, which ServiceNow *ignores* — widening the
//!   query); use [`Term::is_empty`] to match empty fields.
//!
//! Note that ServiceNow ignores terms on fields that do not exist (unless the
//! instance sets `glide.invalid_query.returns_no_rows`), so a misspelt field
//! widens a query: the SDK only builds terms on the baseline fields it maps.
//!
//! ```
//! use psa_servicenow::query::{Query, Term};
//! let q = Query::new()
//!     .and(Term::eq("active", "true"))
//!     .or([Term::eq("priority", "1"), Term::eq("priority", "2")])
//!     .and(Term::like("short_description", "printer"))
//!     .order_by("sys_created_on");
//! assert_eq!(
//!     q.encode()?,
//!     "active=true^priority=1^ORpriority=2^short_descriptionLIKEprinter^ORDERBYsys_created_on"
//! );
//! // Caller text cannot add a term:
//! let hostile = Query::new().and(Term::eq("caller_id", "x^NQactive=false"));
//! assert!(hostile.encode().unwrap_err().is_invalid_input());
//! # Ok::<(), psa_core::Error>(())
//! ```

use psa_core::{Error, Result};

use crate::ids::shorten;

/// An operator of a query term.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Operator {
    /// `=`: equals.
    Eq,
    /// `!=`: does not equal.
    Ne,
    /// `LIKE`: contains (string fields).
    Like,
    /// `NOT LIKE`: does not contain.
    NotLike,
    /// `STARTSWITH`.
    StartsWith,
    /// `ENDSWITH`.
    EndsWith,
    /// `IN`: one of a comma-separated list.
    In,
    /// `NOT IN`.
    NotIn,
    /// `>`.
    Gt,
    /// `>=`.
    Ge,
    /// `<`.
    Lt,
    /// `<=`.
    Le,
    /// `ISEMPTY` (no value).
    IsEmpty,
    /// `ISNOTEMPTY` (no value).
    IsNotEmpty,
}

impl Operator {
    /// The operator as it appears in an encoded query.
    pub const fn token(self) -> &'static str {
        match self {
            Operator::Eq => "=",
            Operator::Ne => "!=",
            Operator::Like => "LIKE",
            Operator::NotLike => "NOT LIKE",
            Operator::StartsWith => "STARTSWITH",
            Operator::EndsWith => "ENDSWITH",
            Operator::In => "IN",
            Operator::NotIn => "NOT IN",
            Operator::Gt => ">",
            Operator::Ge => ">=",
            Operator::Lt => "<",
            Operator::Le => "<=",
            Operator::IsEmpty => "ISEMPTY",
            Operator::IsNotEmpty => "ISNOTEMPTY",
        }
    }

    /// Whether the operator takes a value.
    pub const fn takes_value(self) -> bool {
        !matches!(self, Operator::IsEmpty | Operator::IsNotEmpty)
    }

    /// Whether the value is a comma-separated list.
    pub const fn is_list(self) -> bool {
        matches!(self, Operator::In | Operator::NotIn)
    }

    /// Every operator this builder writes.
    pub const ALL: [Operator; 14] = [
        Operator::Eq,
        Operator::Ne,
        Operator::Like,
        Operator::NotLike,
        Operator::StartsWith,
        Operator::EndsWith,
        Operator::In,
        Operator::NotIn,
        Operator::Gt,
        Operator::Ge,
        Operator::Lt,
        Operator::Le,
        Operator::IsEmpty,
        Operator::IsNotEmpty,
    ];
}

/// Every operator token ServiceNow documents for encoded queries (operators
/// for filters and queries, plus the aliases `*`, `!*`, `%`). A value is
/// rejected when the operator written before it, followed by the value,
/// would start with a longer token: the term would then read as another
/// operator.
const KNOWN_TOKENS: &[&str] = &[
    "=",
    "!=",
    "<",
    "<=",
    ">",
    ">=",
    "*",
    "!*",
    "%",
    "LIKE",
    "NOT LIKE",
    "NOTLIKE",
    "STARTSWITH",
    "ENDSWITH",
    "IN",
    "NOT IN",
    "ISEMPTY",
    "ISNOTEMPTY",
    "ANYTHING",
    "EMPTYSTRING",
    "BETWEEN",
    "SAMEAS",
    "NSAMEAS",
    "DYNAMIC",
    "IN_HIERARCHY",
    "IN_HIERARCHY_DYNAMIC",
    "INSTANCEOF",
    "ON",
    "NOTON",
    "DATEPART",
    "RELATIVEGT",
    "RELATIVELT",
    "RELATIVEGE",
    "RELATIVELE",
    "RELATIVEEE",
    "MORETHAN",
    "LESSTHAN",
    "GT_FIELD",
    "LT_FIELD",
    "GT_OR_EQUALS_FIELD",
    "LT_OR_EQUALS_FIELD",
    "VALCHANGES",
    "CHANGESFROM",
    "CHANGESTO",
];

/// The reserved field name of a text-index search term
/// (`123TEXTQUERY321=term`), documented in ServiceNow's encoded query
/// strings page.
pub const TEXT_QUERY_FIELD: &str = "123TEXTQUERY321";

/// One condition: a field, an operator and (for most operators) a value.
///
/// Constructors never fail; a bad field or value is reported by
/// [`Query::encode`], which names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    field: String,
    op: Operator,
    values: Vec<String>,
}

impl Term {
    /// A term with an operator and one value.
    pub fn new(field: impl Into<String>, op: Operator, value: impl Into<String>) -> Self {
        Term {
            field: field.into(),
            op,
            values: vec![value.into()],
        }
    }
    /// `field=value`.
    pub fn eq(field: impl Into<String>, value: impl Into<String>) -> Self {
        Term::new(field, Operator::Eq, value)
    }
    /// `field!=value`.
    pub fn ne(field: impl Into<String>, value: impl Into<String>) -> Self {
        Term::new(field, Operator::Ne, value)
    }
    /// `fieldLIKEvalue` (contains).
    pub fn like(field: impl Into<String>, value: impl Into<String>) -> Self {
        Term::new(field, Operator::Like, value)
    }
    /// `fieldNOT LIKEvalue` (does not contain).
    pub fn not_like(field: impl Into<String>, value: impl Into<String>) -> Self {
        Term::new(field, Operator::NotLike, value)
    }
    /// `fieldSTARTSWITHvalue`.
    pub fn starts_with(field: impl Into<String>, value: impl Into<String>) -> Self {
        Term::new(field, Operator::StartsWith, value)
    }
    /// `fieldENDSWITHvalue`.
    pub fn ends_with(field: impl Into<String>, value: impl Into<String>) -> Self {
        Term::new(field, Operator::EndsWith, value)
    }
    /// `field>value`.
    pub fn gt(field: impl Into<String>, value: impl Into<String>) -> Self {
        Term::new(field, Operator::Gt, value)
    }
    /// `field>=value`.
    pub fn ge(field: impl Into<String>, value: impl Into<String>) -> Self {
        Term::new(field, Operator::Ge, value)
    }
    /// `field<value`.
    pub fn lt(field: impl Into<String>, value: impl Into<String>) -> Self {
        Term::new(field, Operator::Lt, value)
    }
    /// `field<=value`.
    pub fn le(field: impl Into<String>, value: impl Into<String>) -> Self {
        Term::new(field, Operator::Le, value)
    }
    /// `fieldINa,b,c`. An empty list is rejected by [`Query::encode`].
    pub fn is_in<I, V>(field: impl Into<String>, values: I) -> Self
    where
        I: IntoIterator<Item = V>,
        V: Into<String>,
    {
        Term {
            field: field.into(),
            op: Operator::In,
            values: values.into_iter().map(Into::into).collect(),
        }
    }
    /// `fieldNOT INa,b,c`.
    pub fn not_in<I, V>(field: impl Into<String>, values: I) -> Self
    where
        I: IntoIterator<Item = V>,
        V: Into<String>,
    {
        Term {
            op: Operator::NotIn,
            ..Term::is_in(field, values)
        }
    }
    /// `fieldISEMPTY`.
    pub fn is_empty(field: impl Into<String>) -> Self {
        Term {
            field: field.into(),
            op: Operator::IsEmpty,
            values: Vec::new(),
        }
    }
    /// `fieldISNOTEMPTY`.
    pub fn is_not_empty(field: impl Into<String>) -> Self {
        Term {
            op: Operator::IsNotEmpty,
            ..Term::is_empty(field)
        }
    }
    /// `123TEXTQUERY321=text`: a search of the table's text index (the
    /// keyword search of lists and the knowledge base).
    pub fn text_search(text: impl Into<String>) -> Self {
        Term::eq(TEXT_QUERY_FIELD, text)
    }

    /// The field.
    pub fn field(&self) -> &str {
        &self.field
    }
    /// The operator.
    pub fn operator(&self) -> Operator {
        self.op
    }
    /// The values (one for most operators, the list for `IN`, none for `ISEMPTY`).
    pub fn values(&self) -> &[String] {
        &self.values
    }

    fn encode_into(&self, out: &mut String) -> Result<()> {
        if self.field != TEXT_QUERY_FIELD {
            validate_field(&self.field)?;
        } else if self.op != Operator::Eq {
            return Err(Error::invalid_input(format!(
                "{TEXT_QUERY_FIELD} takes only `=`"
            )));
        }
        out.push_str(&self.field);
        out.push_str(self.op.token());
        if !self.op.takes_value() {
            return Ok(());
        }
        if self.op.is_list() {
            if self.values.is_empty() {
                return Err(Error::invalid_input(format!(
                    "the {} list of `{}` is empty",
                    self.op.token(),
                    self.field
                )));
            }
            let start = out.len();
            for (i, v) in self.values.iter().enumerate() {
                check_value(&self.field, v)?;
                if v.contains(',') {
                    return Err(Error::invalid_input(format!(
                        "value {} for `{}` contains `,`, which separates {} items and cannot be escaped",
                        shorten(v),
                        self.field,
                        self.op.token()
                    )));
                }
                if i > 0 {
                    out.push(',');
                }
                out.push_str(v);
            }
            check_operator_boundary(&self.field, self.op, &out[start..])?;
            return Ok(());
        }
        let v = self.values.first().map_or("", String::as_str);
        check_value(&self.field, v)?;
        check_operator_boundary(&self.field, self.op, v)?;
        out.push_str(v);
        Ok(())
    }
}

/// Checks a field name: `[a-z0-9_]` segments starting with a letter, joined
/// by `.` for dot-walking (`caller_id.email`).
pub fn validate_field(field: &str) -> Result<()> {
    if is_field_name(field) {
        Ok(())
    } else {
        Err(Error::invalid_input(format!(
            "{} is not a ServiceNow field name (lowercase letters, digits and `_`, `.` for dot-walking)",
            shorten(field)
        )))
    }
}

/// [`validate_field`]'s rule, in one pass over the bytes.
fn is_field_name(field: &str) -> bool {
    let b = field.as_bytes();
    if b.is_empty() || b.len() > 255 {
        return false;
    }
    // Each segment starts with a letter; a `.` starts the next segment.
    let mut segment_start = true;
    for &c in b {
        let ok = if segment_start {
            c.is_ascii_lowercase()
        } else {
            c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'_' || c == b'.'
        };
        if !ok {
            return false;
        }
        segment_start = c == b'.';
    }
    !segment_start
}

/// A `sysparm_fields` list checked once ([`validate_field`] on each name)
/// and joined once, cheap to clone: for a read that asks for the same
/// fields on every call (`.field_list(&list)` on `List`, `Get`, `Create`
/// and `Update`), where `.fields([..])` checks and joins its names each time
/// a request is built.
///
/// ```
/// use psa_servicenow::query::FieldList;
///
/// let fields = FieldList::new(["sys_id", "number", "caller_id.email"])?;
/// assert_eq!(fields.as_str(), "sys_id,number,caller_id.email");
/// assert!(FieldList::new(["number,sys_id"]).is_err()); // a name, not a list
/// # Ok::<(), psa_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FieldList(std::sync::Arc<str>);

impl FieldList {
    /// The names, each checked as [`validate_field`] does.
    ///
    /// # Errors
    /// `InvalidInput` naming the first name that is not a field name, or
    /// when there is no name.
    pub fn new<I, S>(fields: I) -> Result<FieldList>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut joined = String::new();
        for f in fields {
            let f = f.as_ref();
            validate_field(f)?;
            if !joined.is_empty() {
                joined.push(',');
            }
            joined.push_str(f);
        }
        if joined.is_empty() {
            return Err(Error::invalid_input(
                "a field list needs at least one field name",
            ));
        }
        Ok(FieldList(joined.into()))
    }

    /// The list as `sysparm_fields` carries it: the names joined by `,`.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn check_value(field: &str, v: &str) -> Result<()> {
    if v.is_empty() {
        return Err(Error::invalid_input(format!(
            "the value for `{field}` is empty (an empty value makes the term invalid, and ServiceNow ignores invalid terms; use ISEMPTY)"
        )));
    }
    if v.contains('^') {
        return Err(Error::invalid_input(format!(
            "value {} for `{field}` contains `^`, which separates encoded-query terms and has no escape",
            shorten(v)
        )));
    }
    if v.chars().any(char::is_control) {
        return Err(Error::invalid_input(format!(
            "value {} for `{field}` contains a newline or another control character",
            shorten(v)
        )));
    }
    let head = v.trim_start().as_bytes();
    if head
        .get(..11)
        .is_some_and(|h| h.eq_ignore_ascii_case(b"javascript:"))
    {
        return Err(Error::invalid_input(format!(
            "value {} for `{field}` starts with `javascript:`, which ServiceNow evaluates as a script",
            shorten(v)
        )));
    }
    Ok(())
}

fn check_operator_boundary(field: &str, op: Operator, v: &str) -> Result<()> {
    let written = op.token();
    // A longer token that starts with the one written, and whose rest the
    // value starts with (tokens are ASCII, so the split is on a boundary).
    if let Some(other) = KNOWN_TOKENS.iter().find(|t| {
        t.len() > written.len()
            && t.starts_with(written)
            && t.get(written.len()..)
                .is_some_and(|rest| v.starts_with(rest))
    }) {
        return Err(Error::invalid_input(format!(
            "value {} for `{field}` would turn the operator `{written}` into `{other}`",
            shorten(v)
        )));
    }
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Clause {
    And(Term),
    Or(Vec<Term>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Order {
    field: String,
    descending: bool,
}

/// An encoded query: groups of AND-ed clauses (each a term or an OR chain),
/// the groups OR-ed with `^NQ`, then the ordering.
///
/// Build it with [`and`](Query::and), [`or`](Query::or),
/// [`new_query`](Query::new_query) and [`order_by`](Query::order_by); get the
/// string with [`encode`](Query::encode), which validates every field and
/// value.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[must_use]
pub struct Query {
    groups: Vec<Vec<Clause>>,
    order: Vec<Order>,
}

impl Query {
    /// An empty query (matches every record).
    pub fn new() -> Self {
        Query {
            groups: vec![Vec::new()],
            order: Vec::new(),
        }
    }

    fn current(&mut self) -> &mut Vec<Clause> {
        if self.groups.is_empty() {
            self.groups.push(Vec::new());
        }
        let last = self.groups.len() - 1;
        &mut self.groups[last]
    }

    /// ANDs a term (`^`).
    pub fn and(mut self, term: Term) -> Self {
        self.current().push(Clause::And(term));
        self
    }

    /// ANDs a term when `term` is `Some`.
    pub fn and_opt(self, term: Option<Term>) -> Self {
        match term {
            Some(t) => self.and(t),
            None => self,
        }
    }

    /// ANDs a chain of OR-ed terms (`a^ORb^ORc`): records matching at least
    /// one of them. A chain of one term is that term; an empty chain is
    /// rejected by [`encode`](Query::encode).
    pub fn or(mut self, terms: impl IntoIterator<Item = Term>) -> Self {
        self.current().push(Clause::Or(terms.into_iter().collect()));
        self
    }

    /// Starts a new group (`^NQ`): the query matches records matching any
    /// group.
    pub fn new_query(mut self) -> Self {
        self.groups.push(Vec::new());
        self
    }

    /// Orders ascending by `field` (`^ORDERBYfield`).
    pub fn order_by(mut self, field: impl Into<String>) -> Self {
        self.order.push(Order {
            field: field.into(),
            descending: false,
        });
        self
    }

    /// Orders descending by `field` (`^ORDERBYDESCfield`).
    pub fn order_by_desc(mut self, field: impl Into<String>) -> Self {
        self.order.push(Order {
            field: field.into(),
            descending: true,
        });
        self
    }

    /// Convenience for `and(Term::eq(field, value))`.
    pub fn eq(self, field: impl Into<String>, value: impl Into<String>) -> Self {
        self.and(Term::eq(field, value))
    }

    /// Whether the query has no terms and no ordering.
    pub fn is_empty(&self) -> bool {
        self.order.is_empty() && self.groups.iter().all(Vec::is_empty)
    }

    /// The encoded query, or an [`InvalidInput`](psa_core::ErrorKind::InvalidInput)
    /// error naming the first bad field or value.
    pub fn encode(&self) -> Result<String> {
        let mut out = String::new();
        let groups: Vec<&Vec<Clause>> = self.groups.iter().filter(|g| !g.is_empty()).collect();
        for (gi, group) in groups.iter().enumerate() {
            if gi > 0 {
                out.push_str("^NQ");
            }
            for (ci, clause) in group.iter().enumerate() {
                if ci > 0 {
                    out.push('^');
                }
                match clause {
                    Clause::And(t) => t.encode_into(&mut out)?,
                    Clause::Or(terms) => {
                        if terms.is_empty() {
                            return Err(Error::invalid_input("an OR chain has no terms"));
                        }
                        for (ti, t) in terms.iter().enumerate() {
                            if ti > 0 {
                                out.push_str("^OR");
                            }
                            t.encode_into(&mut out)?;
                        }
                    }
                }
            }
        }
        for o in &self.order {
            validate_field(&o.field)?;
            if !out.is_empty() {
                out.push('^');
            }
            out.push_str(if o.descending {
                "ORDERBYDESC"
            } else {
                "ORDERBY"
            });
            out.push_str(&o.field);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn composes_and_or_nq_and_order() {
        let q = Query::new()
            .eq("active", "true")
            .and(Term::is_in("state", ["1", "2"]))
            .new_query()
            .and(Term::is_empty("assigned_to"))
            .and(Term::ge("sys_updated_on", "2026-01-01 00:00:00"))
            .order_by("sys_created_on")
            .order_by_desc("number");
        assert_eq!(
            q.encode().unwrap(),
            "active=true^stateIN1,2^NQassigned_toISEMPTY^sys_updated_on>=2026-01-01 00:00:00^ORDERBYsys_created_on^ORDERBYDESCnumber"
        );
        assert_eq!(
            Query::new().order_by("sys_id").encode().unwrap(),
            "ORDERBYsys_id"
        );
        assert_eq!(Query::new().encode().unwrap(), "");
    }

    #[test]
    fn hostile_values_never_add_terms() {
        let hostile = [
            "x^NQactive=false",
            "x^ORsys_id!=0",
            "x^ORDERBYnumber",
            "^",
            "a\nb",
            "a\rb",
            "tab\there",
            "nul\0",
            "javascript:gs.getUserID()",
            "  JavaScript:1",
            "",
        ];
        for v in hostile {
            for term in [
                Term::eq("short_description", v),
                Term::like("short_description", v),
            ] {
                let e = Query::new()
                    .eq("active", "true")
                    .and(term)
                    .encode()
                    .unwrap_err();
                assert!(e.is_invalid_input(), "{v:?} accepted");
                assert!(e.to_string().contains("short_description"), "{e}");
            }
        }
        // Operator confusion.
        assert!(
            Query::new()
                .and(Term::lt("priority", "=1"))
                .encode()
                .is_err()
        );
        assert!(
            Query::new()
                .and(Term::gt("priority", "=1"))
                .encode()
                .is_err()
        );
        assert!(
            Query::new()
                .and(Term::is_in("sys_class_name", ["STANCEOFtask"]))
                .encode()
                .is_err()
        );
        // Lists.
        assert!(
            Query::new()
                .and(Term::is_in("state", ["1,2"]))
                .encode()
                .is_err()
        );
        assert!(
            Query::new()
                .and(Term::is_in("state", Vec::<String>::new()))
                .encode()
                .is_err()
        );
        assert!(
            Query::new()
                .and(Term::is_in("state", ["1", ""]))
                .encode()
                .is_err()
        );
        assert!(Query::new().or([]).encode().is_err());
    }

    #[test]
    fn values_near_the_refused_forms_are_kept() {
        // Only a value whose first characters are `javascript:` (any case,
        // after spaces) is a script; these are text.
        for v in [
            "javascript",
            "java",
            "é",
            "javascript-ish: notes",
            "jävascript:1",
            "x javascript:1",
        ] {
            assert_eq!(
                Query::new().eq("short_description", v).encode().unwrap(),
                format!("short_description={v}")
            );
        }
        // A value may hold an operator's characters after its first ones.
        assert_eq!(
            Query::new()
                .and(Term::is_in("state", ["1", "2", "IN3"]))
                .and(Term::lt("priority", "1="))
                .encode()
                .unwrap(),
            "stateIN1,2,IN3^priority<1="
        );
    }

    #[test]
    fn hostile_fields_are_rejected() {
        for f in [
            "", "Active", "a^ORb", "a=b", "a b", ".a", "a.", "a..b", "1a", "a-b", "ORDERBYx",
        ] {
            assert!(Query::new().eq(f, "1").encode().is_err(), "{f:?} accepted");
            assert!(
                Query::new().order_by(f).encode().is_err(),
                "{f:?} accepted in ORDERBY"
            );
        }
        assert_eq!(
            Query::new()
                .eq("caller_id.email", "a@b.example")
                .encode()
                .unwrap(),
            "caller_id.email=a@b.example"
        );
    }

    #[test]
    fn harmless_punctuation_is_kept_exactly() {
        let q = Query::new()
            .and(Term::like(
                "short_description",
                "50% off = LIKE ORDERBY, @home ; 'x' \"y\"",
            ))
            .and(Term::eq("email", "first.last+tag@example.com"));
        assert_eq!(
            q.encode().unwrap(),
            "short_descriptionLIKE50% off = LIKE ORDERBY, @home ; 'x' \"y\"^email=first.last+tag@example.com"
        );
        assert_eq!(
            Query::new()
                .and(Term::text_search("vpn token"))
                .encode()
                .unwrap(),
            "123TEXTQUERY321=vpn token"
        );
    }

    #[test]
    fn field_names_follow_the_rule() {
        for good in [
            "sys_id",
            "caller_id.email",
            "u_x2",
            "a.b.c",
            "x_acme_app_field",
        ] {
            assert!(validate_field(good).is_ok(), "{good:?} refused");
        }
        let long = "a".repeat(256);
        for bad in [
            "",
            ".",
            "a.",
            ".a",
            "a..b",
            "Sys_id",
            "1st",
            "_x",
            "a._b",
            "a.1",
            "a,b",
            "a b",
            "a\nb",
            "é",
            long.as_str(),
        ] {
            let err = validate_field(bad).unwrap_err();
            assert!(err.is_invalid_input(), "{bad:?} accepted");
        }
        assert!(validate_field(&"a".repeat(255)).is_ok());
    }

    #[test]
    fn a_field_list_is_checked_and_joined_once() {
        let list = FieldList::new(["sys_id", "assigned_to.name"]).unwrap();
        assert_eq!(list.as_str(), "sys_id,assigned_to.name");
        assert_eq!(list.clone(), list);
        let err = FieldList::new(["sys_id", "x^y"]).unwrap_err();
        assert!(
            err.is_invalid_input() && err.to_string().contains("x^y"),
            "{err}"
        );
        assert!(
            FieldList::new(Vec::<String>::new())
                .unwrap_err()
                .is_invalid_input()
        );
    }
}
