//! Policy files: TOML and JSON, loaded strictly, printed back.

use std::collections::BTreeSet;
use std::fmt;
use std::path::Path;

use psa_core::{Access, Error, Operation, PermissionGroup, Result};
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeMap, SerializeStruct};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::policy::{
    Approval, CUSTOM_ALL, CUSTOM_PREFIX, GroupPolicy, Policy, Profile, validate_group,
};

/// The top level of a policy file.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PolicyFile {
    #[serde(default)]
    profile: Option<Profile>,
    #[serde(default)]
    raw: Option<bool>,
    #[serde(default)]
    act_as: Option<bool>,
    #[serde(default)]
    groups: GroupsFile,
}

/// `[groups.<name>]`: every key optional; a key present overrides the
/// profile's value for that group.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct GroupFile {
    #[serde(default)]
    access: Option<Access>,
    #[serde(default)]
    delete: Option<bool>,
    #[serde(default)]
    merge: Option<bool>,
    #[serde(default)]
    bundle: Option<bool>,
    #[serde(default)]
    fields: Option<FieldSpec>,
    #[serde(default)]
    approval: Option<Approval>,
}

/// `fields = [..]` (a whitelist) or `fields = "*"` (every field, e.g. to
/// lift a profile's whitelist).
enum FieldSpec {
    Any,
    Only(BTreeSet<String>),
}

/// Whether some operation's descriptor writes `field` (or it names a custom field).
fn known_anywhere(field: &str) -> bool {
    if let Some(name) = field.strip_prefix(CUSTOM_PREFIX) {
        return !name.is_empty();
    }
    Operation::ALL
        .iter()
        .any(|op| op.descriptor().fields.contains(&field))
}

impl<'de> Deserialize<'de> for FieldSpec {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = FieldSpec;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a list of field names, or \"*\" for every field")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<FieldSpec, E> {
                if v == "*" {
                    Ok(FieldSpec::Any)
                } else {
                    Err(E::invalid_value(de::Unexpected::Str(v), &self))
                }
            }
            fn visit_seq<A: SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> std::result::Result<FieldSpec, A::Error> {
                let mut out = BTreeSet::new();
                while let Some(field) = seq.next_element::<String>()? {
                    if !known_anywhere(&field) {
                        return Err(de::Error::custom(format!(
                            "unknown field name `{field}`: no operation writes it \
                             (custom fields are `{CUSTOM_ALL}` or `{CUSTOM_PREFIX}<name>`)"
                        )));
                    }
                    out.insert(field);
                }
                Ok(FieldSpec::Only(out))
            }
        }
        d.deserialize_any(V)
    }
}

/// The `groups` table, keyed by [`PermissionGroup::as_str`] names.
#[derive(Default)]
struct GroupsFile(Vec<(PermissionGroup, GroupFile)>);

fn group_by_name(name: &str) -> Option<PermissionGroup> {
    PermissionGroup::ALL
        .iter()
        .copied()
        .find(|g| g.as_str() == name)
}

/// Deserialises one group's table knowing which group it is, so that its
/// fields and switches are checked against that group's operations.
struct GroupSeed(PermissionGroup);

impl<'de> DeserializeSeed<'de> for GroupSeed {
    type Value = GroupFile;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<GroupFile, D::Error> {
        let file = GroupFile::deserialize(d)?;
        let mut probe = GroupPolicy::default();
        if let Some(FieldSpec::Only(f)) = &file.fields {
            probe.fields = Some(f.clone());
        }
        probe.merge = file.merge.unwrap_or(false);
        probe.bundle = file.bundle.unwrap_or(false);
        validate_group(self.0, &probe).map_err(de::Error::custom)?;
        Ok(file)
    }
}

impl<'de> Deserialize<'de> for GroupsFile {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = GroupsFile;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a table of permission groups")
            }
            fn visit_map<A: MapAccess<'de>>(
                self,
                mut map: A,
            ) -> std::result::Result<GroupsFile, A::Error> {
                let mut out: Vec<(PermissionGroup, GroupFile)> = Vec::new();
                while let Some(name) = map.next_key::<String>()? {
                    let Some(group) = group_by_name(&name) else {
                        let known: Vec<&str> =
                            PermissionGroup::ALL.iter().map(|g| g.as_str()).collect();
                        return Err(de::Error::custom(format!(
                            "unknown permission group `{name}`, expected one of: {}",
                            known.join(", ")
                        )));
                    };
                    if out.iter().any(|(g, _)| *g == group) {
                        return Err(de::Error::custom(format!(
                            "permission group `{name}` appears twice"
                        )));
                    }
                    let rules = map.next_value_seed(GroupSeed(group))?;
                    out.push((group, rules));
                }
                Ok(GroupsFile(out))
            }
        }
        d.deserialize_map(V)
    }
}

impl PolicyFile {
    fn into_policy(self) -> Policy {
        let mut policy = self.profile.map_or_else(Policy::empty, Policy::profile);
        if let Some(raw) = self.raw {
            policy.raw = raw;
        }
        if let Some(on) = self.act_as {
            policy.act_as = on;
        }
        for (group, file) in self.groups.0 {
            let rules = policy.groups.entry(group).or_default();
            if let Some(a) = file.access {
                rules.access = a;
            }
            if let Some(v) = file.delete {
                rules.delete = v;
            }
            if let Some(v) = file.merge {
                rules.merge = v;
            }
            if let Some(v) = file.bundle {
                rules.bundle = v;
            }
            match file.fields {
                Some(FieldSpec::Any) => rules.fields = None,
                Some(FieldSpec::Only(f)) => rules.fields = Some(f),
                None => {}
            }
            if let Some(v) = file.approval {
                rules.approval = v;
            }
        }
        policy
    }
}

impl<'de> Deserialize<'de> for Policy {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let policy = PolicyFile::deserialize(d)?.into_policy();
        policy
            .validate()
            .map_err(|e| de::Error::custom(e.message()))?;
        Ok(policy)
    }
}

/// Prints a policy in the file format, self-contained: every group with
/// every rule, no `profile` key, so that loading it back gives the same
/// policy.
impl Serialize for Policy {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Policy", 3)?;
        st.serialize_field("raw", &self.raw)?;
        st.serialize_field("act_as", &self.act_as)?;
        st.serialize_field("groups", &GroupsOut(self))?;
        st.end()
    }
}

struct GroupsOut<'a>(&'a Policy);

impl Serialize for GroupsOut<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.groups.len()))?;
        for (g, rules) in &self.0.groups {
            m.serialize_entry(g.as_str(), &GroupOut(rules))?;
        }
        m.end()
    }
}

struct GroupOut<'a>(&'a GroupPolicy);

impl Serialize for GroupOut<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let r = self.0;
        let mut st = s.serialize_struct("GroupPolicy", 6)?;
        st.serialize_field("access", &r.access)?;
        st.serialize_field("delete", &r.delete)?;
        st.serialize_field("merge", &r.merge)?;
        st.serialize_field("bundle", &r.bundle)?;
        match &r.fields {
            Some(f) => st.serialize_field("fields", f)?,
            None => st.skip_field("fields")?,
        }
        st.serialize_field("approval", &r.approval)?;
        st.end()
    }
}

/// Line and column (1-based) of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut cut = offset.min(text.len());
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    let before = &text[..cut];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |nl| nl + 1);
    let col = before[line_start..].chars().count() + 1;
    (line, col)
}

fn at_path(path: &serde_path_to_error::Path) -> String {
    let p = path.to_string();
    if p.is_empty() || p == "." {
        String::new()
    } else {
        format!(" at `{p}`")
    }
}

fn parse_toml(text: &str, origin: &str) -> Result<Policy> {
    let toml_error = |e: &toml::de::Error, path: String| {
        let line = e.span().map_or(String::new(), |s| {
            let (l, c) = line_col(text, s.start);
            format!(" (line {l}, column {c})")
        });
        Error::config(format!(
            "invalid {origin}{path}{line}: {}",
            e.message().trim_end()
        ))
    };
    let de = toml::Deserializer::parse(text).map_err(|e| toml_error(&e, String::new()))?;
    serde_path_to_error::deserialize::<_, Policy>(de).map_err(|e| {
        let path = at_path(e.path());
        let inner = e.into_inner();
        toml_error(&inner, path).with_source(inner)
    })
}

fn parse_json(text: &str, origin: &str) -> Result<Policy> {
    let de = &mut serde_json::Deserializer::from_str(text);
    serde_path_to_error::deserialize::<_, Policy>(de).map_err(|e| {
        let path = at_path(e.path());
        let inner = e.into_inner();
        Error::config(format!("invalid {origin}{path}: {inner}")).with_source(inner)
    })
}

impl Policy {
    /// Loads a policy from TOML. Unknown keys, groups, access levels,
    /// profiles and fields are [`Config`](psa_core::ErrorKind::Config)
    /// errors naming the key and the line.
    ///
    /// ```
    /// use psa_core::Operation;
    /// use psa_permissions::Policy;
    ///
    /// let policy = Policy::from_toml_str(r#"
    ///     profile = "read_only"
    ///     [groups.ticket_notes]
    ///     access = "read_write"
    ///     fields = ["internal"]
    /// "#)?;
    /// assert!(policy.allows(Operation::AddNote));
    /// assert!(!policy.allows(Operation::UpdateTicket));
    ///
    /// let err = Policy::from_toml_str("[groups.tickets]\nacess = \"read_only\"").unwrap_err();
    /// assert!(err.is_config());
    /// assert!(err.to_string().contains("acess"));
    /// assert!(err.to_string().contains("line 2"));
    /// # Ok::<(), psa_core::Error>(())
    /// ```
    pub fn from_toml_str(text: &str) -> Result<Policy> {
        parse_toml(text, "policy TOML")
    }

    /// Loads a policy from JSON (same shape as the TOML format). Mistakes are
    /// [`Config`](psa_core::ErrorKind::Config) errors naming the key path,
    /// line and column.
    pub fn from_json_str(text: &str) -> Result<Policy> {
        parse_json(text, "policy JSON")
    }

    /// Loads a policy file, TOML or JSON by its extension (`.toml`, `.json`).
    pub fn from_path(path: impl AsRef<Path>) -> Result<Policy> {
        let path = path.as_ref();
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        let parse: fn(&str, &str) -> Result<Policy> = match ext.as_deref() {
            Some("toml") => parse_toml,
            Some("json") => parse_json,
            _ => {
                return Err(Error::config(format!(
                    "policy file {} must end in .toml or .json",
                    path.display()
                )));
            }
        };
        let text = std::fs::read_to_string(path).map_err(|e| {
            Error::config(format!("cannot read policy file {}", path.display())).with_source(e)
        })?;
        parse(&text, &format!("policy file {}", path.display()))
    }

    /// The policy as TOML, in the file format (self-contained).
    pub fn to_toml_string(&self) -> Result<String> {
        toml::to_string_pretty(self)
            .map_err(|e| Error::config(format!("cannot print policy as TOML: {e}")))
    }

    /// The policy as pretty JSON, in the file format (self-contained).
    pub fn to_json_string(&self) -> Result<String> {
        serde_json::to_string_pretty(self)
            .map_err(|e| Error::config(format!("cannot print policy as JSON: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::line_col;

    #[test]
    fn line_col_counts_from_one() {
        let t = "a\nbc\ndéf";
        assert_eq!(line_col(t, 0), (1, 1));
        assert_eq!(line_col(t, 3), (2, 2));
        assert_eq!(line_col(t, 5), (3, 1));
        assert_eq!(line_col(t, 99), (3, 4));
    }
}
