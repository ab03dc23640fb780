//! The `conditions` language, built from typed parts so that caller text can
//! never end a string literal or add a clause.
//!
//! ConnectWise filters lists with `conditions=status/name="Open" and id > 5`
//! (plus `childConditions` for child collections such as a contact's
//! `communicationItems`, `customFieldConditions`, `orderBy` and `fields`).
//!
//! - **Field names** are [`Field`]s: segments of `[A-Za-z_][A-Za-z0-9_]*`
//!   joined by `/`, checked when the field is made. Caller text never
//!   becomes a field name without that check.
//! - **Strings** are written in double quotes. ConnectWise documents no
//!   escape sequence inside a condition string, so a value that contains
//!   `"` or `\` (either could end the literal, depending on whether the
//!   server treats `\` as an escape), or a control character (newline, tab
//!   …), is **rejected** with an [`InvalidInput`](psa_core::ErrorKind::InvalidInput)
//!   error naming the field — it is never sent. Everything else (`'`,
//!   parentheses, `and` / `or`, `%`, brackets) stays inside the literal.
//! - Numbers, booleans, `null` and timestamps (`[2026-01-01T00:00:00Z]`)
//!   are written from typed values.
//!
//! ```
//! use psa_connectwise::query::{Condition, Field};
//! let c = Condition::all([
//!     Field::new("board/id")?.eq(5),
//!     Condition::any([
//!         Field::new("summary")?.contains("printer (3rd floor) and more"),
//!         Field::new("summary")?.contains("O'Brien"),
//!     ]),
//! ]);
//! assert_eq!(
//!     c.render()?,
//!     r#"board/id = 5 and (summary contains "printer (3rd floor) and more" or summary contains "O'Brien")"#
//! );
//! // a quote could end the literal: rejected, never sent
//! let bad = Field::new("summary")?.eq(r#"x" or id > 0 or summary = "y"#);
//! assert!(bad.render().unwrap_err().is_invalid_input());
//! # Ok::<(), psa_core::Error>(())
//! ```

use chrono::{DateTime, Utc};
use psa_core::{Error, Result};
use std::borrow::Cow;
use std::fmt;

use crate::models::format_timestamp;

/// The largest `pageSize` ConnectWise accepts.
pub const MAX_PAGE_SIZE: u32 = 1000;

/// A field name of the conditions language (`summary`, `status/name`,
/// `communicationItems/value`), checked to be nothing but identifier
/// segments joined by `/`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Field(Cow<'static, str>);

impl Field {
    /// Checks and wraps a field name.
    ///
    /// ```
    /// use psa_connectwise::query::Field;
    /// assert!(Field::new("company/identifier").is_ok());
    /// assert!(Field::new("summary=\"x\"").unwrap_err().is_invalid_input());
    /// assert!(Field::new("id or 1").is_err());
    /// ```
    pub fn new(name: impl Into<Cow<'static, str>>) -> Result<Self> {
        let name = name.into();
        if is_valid_field(&name) {
            Ok(Field(name))
        } else {
            Err(Error::invalid_input(format!(
                "{:?} is not a ConnectWise field name (letters, digits and `_`, segments joined by `/`)",
                truncate(&name, 80)
            )))
        }
    }

    /// A field the SDK itself names; checked in debug builds and by a test.
    pub(crate) const fn known(name: &'static str) -> Self {
        Field(Cow::Borrowed(name))
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `field = value`.
    pub fn eq(&self, value: impl Into<Value>) -> Condition {
        self.compare(Op::Eq, value)
    }
    /// `field != value`.
    pub fn ne(&self, value: impl Into<Value>) -> Condition {
        self.compare(Op::Ne, value)
    }
    /// `field < value`.
    pub fn lt(&self, value: impl Into<Value>) -> Condition {
        self.compare(Op::Lt, value)
    }
    /// `field <= value`.
    pub fn le(&self, value: impl Into<Value>) -> Condition {
        self.compare(Op::Le, value)
    }
    /// `field > value`.
    pub fn gt(&self, value: impl Into<Value>) -> Condition {
        self.compare(Op::Gt, value)
    }
    /// `field >= value`.
    pub fn ge(&self, value: impl Into<Value>) -> Condition {
        self.compare(Op::Ge, value)
    }
    /// `field contains "text"`.
    pub fn contains(&self, text: impl Into<String>) -> Condition {
        self.compare(Op::Contains, Value::Text(text.into()))
    }
    /// `field like "pattern"` (`%` matches anything).
    pub fn like(&self, pattern: impl Into<String>) -> Condition {
        self.compare(Op::Like, Value::Text(pattern.into()))
    }
    /// `field in (v1, v2 …)`.
    pub fn is_in<V: Into<Value>>(&self, values: impl IntoIterator<Item = V>) -> Condition {
        Condition::In {
            field: self.clone(),
            values: values.into_iter().map(Into::into).collect(),
            negated: false,
        }
    }
    /// `field not in (v1, v2 …)`.
    pub fn not_in<V: Into<Value>>(&self, values: impl IntoIterator<Item = V>) -> Condition {
        Condition::In {
            field: self.clone(),
            values: values.into_iter().map(Into::into).collect(),
            negated: true,
        }
    }
    /// `field = null`.
    pub fn is_null(&self) -> Condition {
        self.compare(Op::Eq, Value::Null)
    }
    /// `field != null`.
    pub fn is_not_null(&self) -> Condition {
        self.compare(Op::Ne, Value::Null)
    }
    /// Ascending order by this field.
    pub fn asc(&self) -> OrderBy {
        OrderBy {
            field: self.clone(),
            descending: false,
        }
    }
    /// Descending order by this field.
    pub fn desc(&self) -> OrderBy {
        OrderBy {
            field: self.clone(),
            descending: true,
        }
    }

    fn compare(&self, op: Op, value: impl Into<Value>) -> Condition {
        Condition::Compare {
            field: self.clone(),
            op,
            value: value.into(),
        }
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn is_valid_field(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 200
        && name.split('/').all(|seg| {
            let mut chars = seg.chars();
            chars
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        })
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Op {
    /// `=`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `contains`
    Contains,
    /// `like`
    Like,
}

impl Op {
    /// The operator as written in a condition.
    pub const fn as_str(self) -> &'static str {
        match self {
            Op::Eq => "=",
            Op::Ne => "!=",
            Op::Lt => "<",
            Op::Le => "<=",
            Op::Gt => ">",
            Op::Ge => ">=",
            Op::Contains => "contains",
            Op::Like => "like",
        }
    }
}

/// A value in a condition.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Value {
    /// A string, written in double quotes (checked when rendered).
    Text(String),
    /// An integer.
    Int(i64),
    /// A number (finite only).
    Float(f64),
    /// `true` / `false`.
    Bool(bool),
    /// A timestamp, written `[2026-01-01T00:00:00Z]`.
    Timestamp(DateTime<Utc>),
    /// `null`.
    Null,
}

impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::Text(v.to_owned())
    }
}
impl From<String> for Value {
    fn from(v: String) -> Self {
        Value::Text(v)
    }
}
impl From<&String> for Value {
    fn from(v: &String) -> Self {
        Value::Text(v.clone())
    }
}
impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Value::Int(v)
    }
}
impl From<i32> for Value {
    fn from(v: i32) -> Self {
        Value::Int(i64::from(v))
    }
}
impl From<u32> for Value {
    fn from(v: u32) -> Self {
        Value::Int(i64::from(v))
    }
}
impl From<f64> for Value {
    fn from(v: f64) -> Self {
        Value::Float(v)
    }
}
impl From<bool> for Value {
    fn from(v: bool) -> Self {
        Value::Bool(v)
    }
}
impl From<DateTime<Utc>> for Value {
    fn from(v: DateTime<Utc>) -> Self {
        Value::Timestamp(v)
    }
}

impl Value {
    fn render(&self, field: &Field, out: &mut String) -> Result<()> {
        match self {
            Value::Text(s) => {
                check_text(field, s)?;
                out.push('"');
                out.push_str(s);
                out.push('"');
            }
            Value::Int(i) => out.push_str(&i.to_string()),
            Value::Float(f) => {
                if !f.is_finite() {
                    return Err(Error::invalid_input(format!(
                        "condition value for `{field}` must be a finite number"
                    )));
                }
                out.push_str(&f.to_string());
            }
            Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Value::Timestamp(t) => {
                out.push('[');
                out.push_str(&format_timestamp(*t));
                out.push(']');
            }
            Value::Null => out.push_str("null"),
        }
        Ok(())
    }
}

/// Rejects what could end a string literal or break the query: `"`, `\`
/// and control characters. ConnectWise documents no escape sequence.
fn check_text(field: &Field, s: &str) -> Result<()> {
    let bad = s
        .chars()
        .find(|c| *c == '"' || *c == '\\' || c.is_control());
    match bad {
        None if s.len() <= 1000 => Ok(()),
        None => Err(Error::invalid_input(format!(
            "condition text for `{field}` is longer than 1000 bytes"
        ))),
        Some(c) => Err(Error::invalid_input(format!(
            "condition text for `{field}` contains {c:?}, which ConnectWise conditions cannot \
             escape; remove it from the search text"
        ))),
    }
}

/// A condition: a comparison, an `in` list, or an `and` / `or` group.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Condition {
    /// `field op value`.
    Compare {
        /// The field.
        field: Field,
        /// The operator.
        op: Op,
        /// The value.
        value: Value,
    },
    /// `field [not] in (values)`.
    In {
        /// The field.
        field: Field,
        /// The values.
        values: Vec<Value>,
        /// `not in` when set.
        negated: bool,
    },
    /// Every condition holds (`a and b`).
    All(Vec<Condition>),
    /// Any condition holds (`a or b`).
    Any(Vec<Condition>),
}

impl Condition {
    /// `a and b and …`.
    pub fn all(conditions: impl IntoIterator<Item = Condition>) -> Self {
        Condition::All(conditions.into_iter().collect())
    }

    /// `a or b or …`.
    pub fn any(conditions: impl IntoIterator<Item = Condition>) -> Self {
        Condition::Any(conditions.into_iter().collect())
    }

    /// `self and other`.
    #[must_use]
    pub fn and(self, other: Condition) -> Self {
        match self {
            Condition::All(mut v) => {
                v.push(other);
                Condition::All(v)
            }
            c => Condition::All(vec![c, other]),
        }
    }

    /// `self or other`.
    #[must_use]
    pub fn or(self, other: Condition) -> Self {
        match self {
            Condition::Any(mut v) => {
                v.push(other);
                Condition::Any(v)
            }
            c => Condition::Any(vec![c, other]),
        }
    }

    /// The condition as ConnectWise reads it, or an
    /// [`InvalidInput`](psa_core::ErrorKind::InvalidInput) error when a value
    /// cannot be written safely (see the [module docs](self)).
    pub fn render(&self) -> Result<String> {
        let mut out = String::new();
        self.render_into(&mut out, false)?;
        Ok(out)
    }

    fn render_into(&self, out: &mut String, nested: bool) -> Result<()> {
        match self {
            Condition::Compare { field, op, value } => {
                out.push_str(field.as_str());
                out.push(' ');
                out.push_str(op.as_str());
                out.push(' ');
                value.render(field, out)?;
            }
            Condition::In {
                field,
                values,
                negated,
            } => {
                if values.is_empty() {
                    return Err(Error::invalid_input(format!(
                        "`{field} in ()` needs at least one value"
                    )));
                }
                out.push_str(field.as_str());
                out.push_str(if *negated { " not in (" } else { " in (" });
                for (i, v) in values.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    v.render(field, out)?;
                }
                out.push(')');
            }
            Condition::All(items) | Condition::Any(items) => {
                let items: Vec<&Condition> = items.iter().filter(|c| !c.is_empty()).collect();
                let joiner = if matches!(self, Condition::All(_)) {
                    " and "
                } else {
                    " or "
                };
                match items.len() {
                    0 => {}
                    1 => items[0].render_into(out, nested)?,
                    _ => {
                        if nested {
                            out.push('(');
                        }
                        for (i, c) in items.iter().enumerate() {
                            if i > 0 {
                                out.push_str(joiner);
                            }
                            c.render_into(out, true)?;
                        }
                        if nested {
                            out.push(')');
                        }
                    }
                }
            }
        }
        Ok(())
    }

    /// Whether the condition is an empty group (renders to nothing).
    pub fn is_empty(&self) -> bool {
        match self {
            Condition::All(v) | Condition::Any(v) => v.iter().all(Condition::is_empty),
            _ => false,
        }
    }
}

/// One `orderBy` term.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderBy {
    field: Field,
    descending: bool,
}

impl fmt::Display for OrderBy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}",
            self.field,
            if self.descending { "desc" } else { "asc" }
        )
    }
}

/// The filter, order and field selection of a list request.
///
/// ```
/// use psa_connectwise::query::{Field, ListQuery};
/// let q = ListQuery::new()
///     .conditions(Field::new("closedFlag")?.eq(false))
///     .order_by(Field::new("id")?.desc())
///     .fields([Field::new("id")?, Field::new("summary")?]);
/// assert_eq!(
///     q.to_pairs()?,
///     vec![
///         ("conditions", "closedFlag = false".to_string()),
///         ("orderBy", "id desc".to_string()),
///         ("fields", "id,summary".to_string()),
///     ]
/// );
/// # Ok::<(), psa_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
#[must_use]
pub struct ListQuery {
    conditions: Option<Condition>,
    child_conditions: Option<Condition>,
    custom_field_conditions: Option<Condition>,
    order_by: Vec<OrderBy>,
    fields: Vec<Field>,
}

impl ListQuery {
    /// No filter.
    pub fn new() -> Self {
        ListQuery::default()
    }

    /// Adds to `conditions` (combined with `and`).
    pub fn conditions(mut self, c: Condition) -> Self {
        self.conditions = Some(match self.conditions.take() {
            Some(prev) => prev.and(c),
            None => c,
        });
        self
    }

    /// Adds to `childConditions` (combined with `and`).
    pub fn child_conditions(mut self, c: Condition) -> Self {
        self.child_conditions = Some(match self.child_conditions.take() {
            Some(prev) => prev.and(c),
            None => c,
        });
        self
    }

    /// Adds to `customFieldConditions` (combined with `and`).
    pub fn custom_field_conditions(mut self, c: Condition) -> Self {
        self.custom_field_conditions = Some(match self.custom_field_conditions.take() {
            Some(prev) => prev.and(c),
            None => c,
        });
        self
    }

    /// Adds an `orderBy` term.
    pub fn order_by(mut self, o: OrderBy) -> Self {
        self.order_by.push(o);
        self
    }

    /// Asks for these fields only (partial records).
    pub fn fields(mut self, fields: impl IntoIterator<Item = Field>) -> Self {
        self.fields.extend(fields);
        self
    }

    /// Whether an `orderBy` was set (forward-only paging needs none).
    pub fn has_order(&self) -> bool {
        !self.order_by.is_empty()
    }

    /// The query pairs, or an error when a value cannot be written safely.
    pub fn to_pairs(&self) -> Result<Vec<(&'static str, String)>> {
        let mut out = Vec::new();
        for (name, c) in [
            ("conditions", &self.conditions),
            ("childConditions", &self.child_conditions),
            ("customFieldConditions", &self.custom_field_conditions),
        ] {
            if let Some(c) = c {
                let s = c.render()?;
                if !s.is_empty() {
                    out.push((name, s));
                }
            }
        }
        if !self.order_by.is_empty() {
            let s: Vec<String> = self.order_by.iter().map(ToString::to_string).collect();
            out.push(("orderBy", s.join(",")));
        }
        if !self.fields.is_empty() {
            let s: Vec<&str> = self.fields.iter().map(Field::as_str).collect();
            out.push(("fields", s.join(",")));
        }
        Ok(out)
    }
}

fn truncate(s: &str, max: usize) -> &str {
    match s.char_indices().nth(max) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

/// The fields the uniform mapping filters and orders by.
pub mod fields {
    use super::Field;

    /// `id`
    pub const ID: Field = Field::known("id");
    /// `summary`
    pub const SUMMARY: Field = Field::known("summary");
    /// `closedFlag`
    pub const CLOSED_FLAG: Field = Field::known("closedFlag");
    /// `status/id`
    pub const STATUS_ID: Field = Field::known("status/id");
    /// `priority/id`
    pub const PRIORITY_ID: Field = Field::known("priority/id");
    /// `company/id`
    pub const COMPANY_ID: Field = Field::known("company/id");
    /// `contact/id`
    pub const CONTACT_ID: Field = Field::known("contact/id");
    /// `owner/id`
    pub const OWNER_ID: Field = Field::known("owner/id");
    /// `board/id`
    pub const BOARD_ID: Field = Field::known("board/id");
    /// `type/id`
    pub const TYPE_ID: Field = Field::known("type/id");
    /// `member/id`
    pub const MEMBER_ID: Field = Field::known("member/id");
    /// `dateEntered` (`_info/dateEntered`)
    pub const DATE_ENTERED: Field = Field::known("dateEntered");
    /// `lastUpdated` (`_info/lastUpdated`)
    pub const LAST_UPDATED: Field = Field::known("lastUpdated");
    /// `recordType`
    pub const RECORD_TYPE: Field = Field::known("recordType");
    /// `chargeToType`
    pub const CHARGE_TO_TYPE: Field = Field::known("chargeToType");
    /// `chargeToId`
    pub const CHARGE_TO_ID: Field = Field::known("chargeToId");
    /// `timeStart`
    pub const TIME_START: Field = Field::known("timeStart");
    /// `dateStart`
    pub const DATE_START: Field = Field::known("dateStart");
    /// `objectId`
    pub const OBJECT_ID: Field = Field::known("objectId");
    /// `name`
    pub const NAME: Field = Field::known("name");
    /// `identifier`
    pub const IDENTIFIER: Field = Field::known("identifier");
    /// `description`
    pub const DESCRIPTION: Field = Field::known("description");
    /// `deletedFlag`
    pub const DELETED_FLAG: Field = Field::known("deletedFlag");
    /// `inactiveFlag`
    pub const INACTIVE_FLAG: Field = Field::known("inactiveFlag");
    /// `activeFlag`
    pub const ACTIVE_FLAG: Field = Field::known("activeFlag");
    /// `firstName`
    pub const FIRST_NAME: Field = Field::known("firstName");
    /// `lastName`
    pub const LAST_NAME: Field = Field::known("lastName");
    /// `communicationItems/value`
    pub const COMMUNICATION_VALUE: Field = Field::known("communicationItems/value");
    /// `communicationItems/communicationType`
    pub const COMMUNICATION_TYPE: Field = Field::known("communicationItems/communicationType");
    /// `agreementStatus`
    pub const AGREEMENT_STATUS: Field = Field::known("agreementStatus");
    /// `title`
    pub const TITLE: Field = Field::known("title");
    /// `issue`
    pub const ISSUE: Field = Field::known("issue");
    /// `resolution`
    pub const RESOLUTION: Field = Field::known("resolution");
    /// `projectFlag`
    pub const PROJECT_FLAG: Field = Field::known("projectFlag");
    /// `type` (callbacks)
    pub const TYPE: Field = Field::known("type");
    /// `customFields`
    pub const CUSTOM_FIELDS: Field = Field::known("customFields");
    /// `detailDescriptionFlag` (notes: the Discussion section)
    pub const DETAIL_DESCRIPTION_FLAG: Field = Field::known("detailDescriptionFlag");

    /// Every field above, for the test that checks them.
    pub const ALL: &[Field] = &[
        ID,
        SUMMARY,
        CLOSED_FLAG,
        STATUS_ID,
        PRIORITY_ID,
        COMPANY_ID,
        CONTACT_ID,
        OWNER_ID,
        BOARD_ID,
        TYPE_ID,
        MEMBER_ID,
        DATE_ENTERED,
        LAST_UPDATED,
        RECORD_TYPE,
        CHARGE_TO_TYPE,
        CHARGE_TO_ID,
        TIME_START,
        DATE_START,
        OBJECT_ID,
        NAME,
        IDENTIFIER,
        DESCRIPTION,
        DELETED_FLAG,
        INACTIVE_FLAG,
        ACTIVE_FLAG,
        FIRST_NAME,
        LAST_NAME,
        COMMUNICATION_VALUE,
        COMMUNICATION_TYPE,
        AGREEMENT_STATUS,
        TITLE,
        ISSUE,
        RESOLUTION,
        PROJECT_FLAG,
        TYPE,
        DETAIL_DESCRIPTION_FLAG,
        CUSTOM_FIELDS,
    ];
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn known_fields_are_valid() {
        for f in fields::ALL {
            assert!(is_valid_field(f.as_str()), "{f}");
        }
    }

    #[test]
    fn hostile_values_are_rejected_or_kept_inside_the_literal() {
        let f = fields::SUMMARY;
        // kept inside the literal, exactly
        let ok = "printer (3rd floor) and id > 0 or 'x' % [y] ; --";
        assert_eq!(
            f.contains(ok).render().unwrap(),
            r#"summary contains "printer (3rd floor) and id > 0 or 'x' % [y] ; --""#
        );
        // could end the literal or the line: rejected, with the field named
        for bad in [
            "a\"b",
            "a\\",
            "\\\"",
            "line\nbreak",
            "cr\rhere",
            "tab\there",
            "nul\0",
        ] {
            let err = f.eq(bad).render().unwrap_err();
            assert!(err.is_invalid_input(), "{bad:?}");
            assert!(err.to_string().contains("`summary`"), "{err}");
        }
    }

    #[test]
    fn groups_nest_with_parentheses() {
        let c = Condition::all([
            fields::CLOSED_FLAG.eq(false),
            Condition::any([fields::STATUS_ID.eq(1), fields::STATUS_ID.eq(2)]),
            fields::PRIORITY_ID.is_in([1, 2, 3]),
            fields::OWNER_ID.not_in([9]),
            fields::LAST_UPDATED.ge(Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap()),
            Condition::all([]),
            fields::CONTACT_ID.is_null(),
        ]);
        assert_eq!(
            c.render().unwrap(),
            "closedFlag = false and (status/id = 1 or status/id = 2) and priority/id in (1, 2, 3) \
             and owner/id not in (9) and lastUpdated >= [2026-01-02T03:04:05Z] and contact/id = null"
        );
        assert!(fields::ID.is_in(Vec::<i64>::new()).render().is_err());
        assert!(fields::ID.eq(f64::NAN).render().is_err());
    }

    #[test]
    fn field_names_are_checked() {
        for bad in [
            "", "a b", "a/", "/a", "1a", "a\"", "a=1", "a)", "a\nb", "a//b",
        ] {
            assert!(Field::new(bad).is_err(), "{bad:?}");
        }
        assert!(Field::new("_info/lastUpdated").is_ok());
    }
}
