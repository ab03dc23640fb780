//! [`Policy`]: what a principal may do, group by group, and the
//! [`Profile`]s to start from.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::str::FromStr;

use psa_core::{Access, Denial, Error, OpKind, Operation, PermissionGroup, Result};
use serde::{Deserialize, Serialize};

/// The prefix of a custom field in `written_fields()` and in a whitelist.
pub(crate) const CUSTOM_PREFIX: &str = "custom_fields.";
/// The whitelist entry (and descriptor field) that stands for every custom field.
pub(crate) const CUSTOM_ALL: &str = "custom_fields";

/// When a write needs a technician's approval (see [`Approver`](crate::Approver)).
///
/// In policy files: `"never"`, `"writes"` or `"destructive"`; `true` means
/// `"writes"` and `false` means `"never"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Approval {
    /// No approval: an allowed write is executed at once.
    #[default]
    Never,
    /// Every mutation of the group (create, update, delete, merge, bundle).
    Writes,
    /// Only deletes, merges and bundles.
    Destructive,
}

impl Approval {
    /// The name used in policy files.
    pub const fn as_str(self) -> &'static str {
        match self {
            Approval::Never => "never",
            Approval::Writes => "writes",
            Approval::Destructive => "destructive",
        }
    }

    /// Whether an operation of `kind` needs approval under this rule.
    pub const fn applies_to(self, kind: OpKind) -> bool {
        match self {
            Approval::Never => false,
            Approval::Writes => kind.is_mutation(),
            Approval::Destructive => {
                matches!(kind, OpKind::Delete | OpKind::Merge | OpKind::Bundle)
            }
        }
    }
}

impl fmt::Display for Approval {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Approval {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Approval {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Approval;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("\"never\", \"writes\", \"destructive\", true or false")
            }
            fn visit_bool<E: serde::de::Error>(self, v: bool) -> std::result::Result<Approval, E> {
                Ok(if v { Approval::Writes } else { Approval::Never })
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> std::result::Result<Approval, E> {
                match v {
                    "never" => Ok(Approval::Never),
                    "writes" => Ok(Approval::Writes),
                    "destructive" => Ok(Approval::Destructive),
                    other => Err(E::unknown_variant(
                        other,
                        &["never", "writes", "destructive"],
                    )),
                }
            }
        }
        d.deserialize_any(V)
    }
}

/// A ready-made starting point for a [`Policy`]; see the crate docs for the
/// table of what each allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Profile {
    /// Every group readable, nothing writable, no raw requests.
    ReadOnly,
    /// Reads everywhere; create tickets and make basic updates (status,
    /// summary, description, contact, company, custom fields — not priority,
    /// owner, queue or type); internal, customer and resolution notes.
    Helpdesk,
    /// Full ticket lifecycle including merge and bundle (with approval),
    /// time entries, contacts, configurations and schedule entries.
    ItAdmin,
    /// Everything read-write including merge, bundle and raw requests, no
    /// approval. Deletes stay off unless enabled.
    FullAutomation,
}

impl Profile {
    /// Every profile, least privileged first.
    pub const ALL: [Profile; 4] = [
        Profile::ReadOnly,
        Profile::Helpdesk,
        Profile::ItAdmin,
        Profile::FullAutomation,
    ];

    /// The name used in policy files (`it_admin`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Profile::ReadOnly => "read_only",
            Profile::Helpdesk => "helpdesk",
            Profile::ItAdmin => "it_admin",
            Profile::FullAutomation => "full_automation",
        }
    }
}

impl fmt::Display for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Profile {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        let norm = s.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        Profile::ALL
            .into_iter()
            .find(|p| p.as_str() == norm)
            .ok_or_else(|| {
                Error::config(format!(
                    "unknown profile `{s}`, expected one of: read_only, helpdesk, it_admin, full_automation"
                ))
            })
    }
}

/// The rules for one permission group.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct GroupPolicy {
    /// The access level. `Disabled` (the default) denies even reads.
    pub access: Access,
    /// Whether deletes are allowed (needs `ReadWrite` too). Off by default.
    pub delete: bool,
    /// Whether merges are allowed (tickets; needs `ReadWrite` too).
    pub merge: bool,
    /// Whether bundles are allowed (tickets; needs `ReadWrite` too).
    pub bundle: bool,
    /// The uniform fields a write may touch; `None` allows every field.
    /// `custom_fields` allows every custom field, `custom_fields.<name>` one.
    pub fields: Option<BTreeSet<String>>,
    /// When a technician must approve a write.
    pub approval: Approval,
}

static DISABLED: GroupPolicy = GroupPolicy {
    access: Access::Disabled,
    delete: false,
    merge: false,
    bundle: false,
    fields: None,
    approval: Approval::Never,
};

impl GroupPolicy {
    /// A group at `access`, every switch off, every field allowed, no approval.
    pub fn new(access: Access) -> Self {
        GroupPolicy {
            access,
            ..GroupPolicy::default()
        }
    }

    /// Restricts writes to these fields.
    #[must_use]
    pub fn fields<I, S>(mut self, fields: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.fields = Some(fields.into_iter().map(Into::into).collect());
        self
    }

    /// Removes the field whitelist: writes may touch every field.
    #[must_use]
    pub fn any_field(mut self) -> Self {
        self.fields = None;
        self
    }

    /// Allows or forbids deletes.
    #[must_use]
    pub fn delete(mut self, on: bool) -> Self {
        self.delete = on;
        self
    }

    /// Allows or forbids merges.
    #[must_use]
    pub fn merge(mut self, on: bool) -> Self {
        self.merge = on;
        self
    }

    /// Allows or forbids bundles.
    #[must_use]
    pub fn bundle(mut self, on: bool) -> Self {
        self.bundle = on;
        self
    }

    /// Sets the approval rule.
    #[must_use]
    pub fn approval(mut self, rule: Approval) -> Self {
        self.approval = rule;
        self
    }

    /// Whether the whitelist (if any) lets a write touch `field`.
    pub fn allows_field(&self, field: &str) -> bool {
        self.fields.as_ref().is_none_or(|wl| whitelisted(wl, field))
    }
}

fn whitelisted(wl: &BTreeSet<String>, field: &str) -> bool {
    wl.contains(field) || (field.starts_with(CUSTOM_PREFIX) && wl.contains(CUSTOM_ALL))
}

/// Whether `field` (as `written_fields()` reports it) is declared by the
/// descriptor's field list.
fn declared(descriptor_fields: &[&str], field: &str) -> bool {
    descriptor_fields.contains(&field)
        || (field.starts_with(CUSTOM_PREFIX) && descriptor_fields.contains(&CUSTOM_ALL))
}

/// What a principal may do: an [`Access`] level per group, delete / merge /
/// bundle switches, field whitelists, approval rules, and whether raw
/// requests are allowed.
///
/// It fails closed: a group the policy does not mention is
/// [`Disabled`](Access::Disabled), every switch is off, raw requests are off.
///
/// ```
/// use psa_core::{Access, Operation, PermissionGroup};
/// use psa_permissions::{Approval, Policy, Profile};
///
/// let policy = Policy::profile(Profile::ReadOnly)
///     .grant(PermissionGroup::TicketNotes, Access::ReadWrite)
///     .fields(["internal"])
///     .grant(PermissionGroup::Tickets, Access::ReadWrite)
///     .fields(["status", "custom_fields"])
///     .merge(true)
///     .approval(Approval::Destructive)
///     .build();
/// assert!(policy.allows(Operation::AddNote));
/// assert!(policy.allows(Operation::MergeTickets));
/// assert!(!policy.allows(Operation::DeleteTicket));
/// assert!(policy.check(Operation::UpdateTicket, &["priority".into()]).is_err());
/// # policy.validate()?;
/// # Ok::<(), psa_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    pub(crate) groups: BTreeMap<PermissionGroup, GroupPolicy>,
    pub(crate) raw: bool,
    pub(crate) act_as: bool,
}

impl Default for Policy {
    fn default() -> Self {
        Policy::empty()
    }
}

impl Policy {
    /// Nothing allowed: every group disabled, raw requests off.
    pub fn empty() -> Self {
        Policy {
            groups: PermissionGroup::ALL
                .iter()
                .map(|g| (*g, GroupPolicy::default()))
                .collect(),
            raw: false,
            act_as: false,
        }
    }

    /// Every group readable, nothing else.
    pub fn read_only() -> Self {
        Policy::profile(Profile::ReadOnly)
    }

    /// The policy of a [`Profile`].
    pub fn profile(profile: Profile) -> Self {
        use Access::{ReadOnly, ReadWrite};
        use PermissionGroup as G;
        let mut p = Policy::empty();
        for g in PermissionGroup::ALL {
            p.set_group(g, GroupPolicy::new(ReadOnly));
        }
        match profile {
            Profile::ReadOnly => {}
            Profile::Helpdesk => {
                p.set_group(
                    G::Tickets,
                    GroupPolicy::new(ReadWrite).fields([
                        "summary",
                        "description",
                        "contact",
                        "company",
                        "status",
                        "resolution",
                        CUSTOM_ALL,
                    ]),
                );
                p.set_group(
                    G::TicketNotes,
                    GroupPolicy::new(ReadWrite).fields(["internal", "customer", "resolution"]),
                );
            }
            Profile::ItAdmin => {
                p.set_group(
                    G::Tickets,
                    GroupPolicy::new(ReadWrite)
                        .merge(true)
                        .bundle(true)
                        .approval(Approval::Destructive),
                );
                for g in [
                    G::TicketNotes,
                    G::TimeEntries,
                    G::Contacts,
                    G::Configurations,
                    G::ScheduleEntries,
                    G::Attachments,
                ] {
                    p.set_group(g, GroupPolicy::new(ReadWrite));
                }
            }
            Profile::FullAutomation => {
                for g in PermissionGroup::ALL {
                    p.set_group(g, GroupPolicy::new(ReadWrite));
                }
                p.set_group(
                    G::Tickets,
                    GroupPolicy::new(ReadWrite).merge(true).bundle(true),
                );
                p.raw = true;
            }
        }
        p
    }

    /// Sets `group`'s access level (keeping its other rules) and returns a
    /// builder for the rest of its rules.
    pub fn grant(mut self, group: PermissionGroup, access: Access) -> GroupGrant {
        self.group_mut(group).access = access;
        GroupGrant {
            policy: self,
            group,
        }
    }

    /// A builder for `group`'s rules, keeping its access level.
    pub fn edit(self, group: PermissionGroup) -> GroupGrant {
        GroupGrant {
            policy: self,
            group,
        }
    }

    /// Replaces all of `group`'s rules.
    #[must_use]
    pub fn with_group(mut self, group: PermissionGroup, rules: GroupPolicy) -> Self {
        self.set_group(group, rules);
        self
    }

    /// Disables `group` entirely (no reads either) and resets its rules.
    #[must_use]
    pub fn revoke(mut self, group: PermissionGroup) -> Self {
        self.set_group(group, GroupPolicy::default());
        self
    }

    /// Allows or forbids raw requests (still checked against the group their
    /// path maps to).
    #[must_use]
    pub fn raw(mut self, on: bool) -> Self {
        self.raw = on;
        self
    }

    fn set_group(&mut self, group: PermissionGroup, rules: GroupPolicy) {
        self.groups.insert(group, rules);
    }

    fn group_mut(&mut self, group: PermissionGroup) -> &mut GroupPolicy {
        self.groups.entry(group).or_default()
    }

    /// The rules of `group` (a disabled group when the policy has none).
    pub fn rules(&self, group: PermissionGroup) -> &GroupPolicy {
        self.groups.get(&group).unwrap_or(&DISABLED)
    }

    /// The access level of `group`.
    pub fn access(&self, group: PermissionGroup) -> Access {
        self.rules(group).access
    }

    /// Whether raw requests are allowed at all.
    pub fn raw_allowed(&self) -> bool {
        self.raw
    }

    /// Allows or forbids attributing writes to a technician with
    /// [`Psa::act_as`](psa_core::Psa::act_as). Off in every profile: an
    /// operator turns it on knowingly (policy files: `act_as = true`).
    #[must_use]
    pub fn act_as(mut self, on: bool) -> Self {
        self.act_as = on;
        self
    }

    /// Whether writes may be attributed to a technician.
    pub fn act_as_allowed(&self) -> bool {
        self.act_as
    }

    /// Decides a typed call: `op` writing `fields` (the input's
    /// `written_fields()`; empty for reads, deletes, merges and bundles).
    ///
    /// Checks, in order: the access level the operation's kind needs; the
    /// delete / merge / bundle switch; that every field is one the
    /// operation declares; the field whitelist. A raw request cannot be
    /// decided from its operation alone: use [`check_raw`](Self::check_raw).
    pub fn check(&self, op: Operation, fields: &[String]) -> Result<(), Denial> {
        if op == Operation::Raw {
            return Err(Denial::new(op, None, "known raw path"));
        }
        let d = op.descriptor();
        let rules = self.rules(d.group);
        check_level(rules, op, d.group, d.kind)?;
        let missing: Vec<String> = fields
            .iter()
            .filter(|f| !declared(d.fields, f) || !rules.allows_field(f))
            .map(|f| format!("field:{f}"))
            .collect();
        if missing.is_empty() {
            Ok(())
        } else {
            Err(Denial::new(op, Some(d.group), missing.join(", ")))
        }
    }

    /// Decides a raw request whose path maps to `group` (`None`: unknown
    /// path) and whose method does `kind`.
    ///
    /// Denied when raw requests are off, when the path is unknown, when the
    /// group's level or switch does not allow `kind`, and for any raw
    /// mutation of a group that has a field whitelist (its fields cannot be
    /// checked).
    pub fn check_raw(&self, group: Option<PermissionGroup>, kind: OpKind) -> Result<(), Denial> {
        let op = Operation::Raw;
        if !self.raw {
            return Err(Denial::new(op, group, "raw"));
        }
        let Some(group) = group else {
            return Err(Denial::new(op, None, "known raw path"));
        };
        let rules = self.rules(group);
        check_level(rules, op, group, kind)?;
        if kind.is_mutation() && rules.fields.is_some() {
            return Err(Denial::new(op, Some(group), "unrestricted fields"));
        }
        Ok(())
    }

    /// Whether a mutation of `kind` on `group` needs a technician's approval.
    pub fn needs_approval(&self, group: PermissionGroup, kind: OpKind) -> bool {
        self.rules(group).approval.applies_to(kind)
    }

    /// Whether the policy could ever allow `op` (a particular call may still
    /// be denied, e.g. for a field outside the whitelist). An agent hides the
    /// tools for which this is `false`.
    pub fn allows(&self, op: Operation) -> bool {
        if op == Operation::Raw {
            return self.raw
                && PermissionGroup::ALL
                    .iter()
                    .any(|g| self.access(*g) >= Access::ReadOnly);
        }
        let d = op.descriptor();
        let rules = self.rules(d.group);
        if check_level(rules, op, d.group, d.kind).is_err() {
            return false;
        }
        match (&rules.fields, d.kind) {
            (Some(wl), OpKind::Write) => d.fields.iter().any(|f| {
                whitelisted(wl, f)
                    || (*f == CUSTOM_ALL && wl.iter().any(|w| w.starts_with(CUSTOM_PREFIX)))
            }),
            _ => true,
        }
    }

    /// Every operation [`allows`](Self::allows) is `true` for.
    pub fn allowed_operations(&self) -> Vec<Operation> {
        Operation::ALL
            .iter()
            .copied()
            .filter(|op| self.allows(*op))
            .collect()
    }

    /// Checks that every whitelisted field is one some operation of its
    /// group writes, and that merge / bundle are only switched on for a
    /// group that has such an operation. The loaders call it; call it on a
    /// policy built in code to catch a misspelt field, which would
    /// otherwise simply never match.
    pub fn validate(&self) -> Result<()> {
        for (group, rules) in &self.groups {
            validate_group(*group, rules)
                .map_err(|msg| Error::config(format!("groups.{group}.{msg}")))?;
        }
        Ok(())
    }
}

fn check_level(
    rules: &GroupPolicy,
    op: Operation,
    group: PermissionGroup,
    kind: OpKind,
) -> Result<(), Denial> {
    let need = kind.required_access();
    if rules.access < need {
        return Err(Denial::new(op, Some(group), need.to_string()));
    }
    let switch = match kind {
        OpKind::Delete => Some((rules.delete, "delete")),
        OpKind::Merge => Some((rules.merge, "merge")),
        OpKind::Bundle => Some((rules.bundle, "bundle")),
        OpKind::Read | OpKind::Write => None,
    };
    match switch {
        Some((false, name)) => Err(Denial::new(op, Some(group), name)),
        _ => Ok(()),
    }
}

/// The fields the operations of `group` declare, in declaration order.
pub(crate) fn group_fields(group: PermissionGroup) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    for op in Operation::ALL {
        let d = op.descriptor();
        if d.group == group && *op != Operation::Raw {
            for f in d.fields {
                if !out.contains(f) {
                    out.push(f);
                }
            }
        }
    }
    out
}

/// Whether any operation of `group` is of `kind`.
fn group_has_kind(group: PermissionGroup, kind: OpKind) -> bool {
    Operation::ALL.iter().any(|op| {
        let d = op.descriptor();
        *op != Operation::Raw && d.group == group && d.kind == kind
    })
}

/// Checks one group's rules; the error names the key below `groups.<group>.`.
pub(crate) fn validate_group(
    group: PermissionGroup,
    rules: &GroupPolicy,
) -> std::result::Result<(), String> {
    if let Some(wl) = &rules.fields {
        let known = group_fields(group);
        for f in wl {
            if !declared(&known, f) || f.as_str() == CUSTOM_PREFIX {
                let known = if known.is_empty() {
                    "none: no operation of this group writes".to_owned()
                } else {
                    known.join(", ")
                };
                return Err(format!(
                    "fields: `{f}` is not a field any {group} operation writes (known: {known})"
                ));
            }
        }
    }
    for (on, kind, key) in [
        (rules.merge, OpKind::Merge, "merge"),
        (rules.bundle, OpKind::Bundle, "bundle"),
    ] {
        if on && !group_has_kind(group, kind) {
            return Err(format!("{key}: no {group} operation can {key}"));
        }
    }
    Ok(())
}

/// A builder for one group's rules inside a [`Policy`], returned by
/// [`Policy::grant`] and [`Policy::edit`]. Chain another
/// [`grant`](Self::grant) to move to the next group, and finish with
/// [`build`](Self::build) (or pass it where an `impl Into<Policy>` is taken).
#[derive(Debug, Clone)]
#[must_use = "a GroupGrant does nothing until it is built into a Policy"]
pub struct GroupGrant {
    policy: Policy,
    group: PermissionGroup,
}

impl GroupGrant {
    fn rules(&mut self) -> &mut GroupPolicy {
        self.policy.group_mut(self.group)
    }

    /// Sets the group's access level.
    pub fn access(mut self, access: Access) -> Self {
        self.rules().access = access;
        self
    }

    /// Restricts the group's writes to these fields (replacing any earlier
    /// whitelist).
    pub fn fields<I, S>(mut self, fields: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.rules().fields = Some(fields.into_iter().map(Into::into).collect());
        self
    }

    /// Removes the group's field whitelist.
    pub fn any_field(mut self) -> Self {
        self.rules().fields = None;
        self
    }

    /// Allows or forbids deletes.
    pub fn delete(mut self, on: bool) -> Self {
        self.rules().delete = on;
        self
    }

    /// Allows or forbids merges.
    pub fn merge(mut self, on: bool) -> Self {
        self.rules().merge = on;
        self
    }

    /// Allows or forbids bundles.
    pub fn bundle(mut self, on: bool) -> Self {
        self.rules().bundle = on;
        self
    }

    /// Sets the approval rule.
    pub fn approval(mut self, rule: Approval) -> Self {
        self.rules().approval = rule;
        self
    }

    /// Moves on to another group: sets its level, keeps its other rules.
    pub fn grant(self, group: PermissionGroup, access: Access) -> GroupGrant {
        self.policy.grant(group, access)
    }

    /// Moves on to another group, keeping its level.
    pub fn edit(self, group: PermissionGroup) -> GroupGrant {
        self.policy.edit(group)
    }

    /// Allows or forbids raw requests.
    pub fn raw(mut self, on: bool) -> Self {
        self.policy.raw = on;
        self
    }

    /// Allows or forbids attributing writes to a technician
    /// ([`Policy::act_as`]).
    pub fn act_as(mut self, on: bool) -> Self {
        self.policy.act_as = on;
        self
    }

    /// The policy.
    #[must_use]
    pub fn build(self) -> Policy {
        self.policy
    }
}

impl From<GroupGrant> for Policy {
    fn from(g: GroupGrant) -> Self {
        g.policy
    }
}
