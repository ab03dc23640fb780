//! What a vendor client can do, said up front.

use serde::{Deserialize, Serialize};
use std::{borrow::Cow, collections::BTreeMap};

use crate::{Operation, Vendor};

/// How well a vendor supports an operation.
///
/// ```
/// use psa_core::Support;
/// assert!(Support::Partial("notes only".into()).is_supported());
/// assert_eq!(Support::Unsupported("no".into()).reason(), Some("no"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "support", content = "note")]
pub enum Support {
    /// Fully supported.
    Full,
    /// Supported with a caveat (the note says which).
    Partial(Cow<'static, str>),
    /// Not supported; calling it returns an `Unsupported` error with this reason.
    Unsupported(Cow<'static, str>),
}

impl Support {
    /// Whether a call can succeed.
    pub fn is_supported(&self) -> bool {
        !matches!(self, Support::Unsupported(_))
    }

    /// The caveat of a partial support or the reason of an unsupported one.
    pub fn reason(&self) -> Option<&str> {
        match self {
            Support::Full => None,
            Support::Partial(r) | Support::Unsupported(r) => Some(r),
        }
    }
}

/// What a client that does not attribute writes to other agents says.
const NO_ACT_AS: &str = "this client cannot attribute writes to another agent (act_as)";

/// The operations a vendor client supports, with reasons for what it doesn't.
///
/// `capabilities()` and the calls agree: an operation listed as unsupported
/// returns [`ErrorKind::Unsupported`](crate::ErrorKind::Unsupported) when
/// called, with the same reason (the conformance suite checks this).
///
/// ```
/// use psa_core::{Capabilities, Operation, Support, Vendor};
/// let caps = Capabilities::all_supported(Vendor::Halo)
///     .with(Operation::BundleTickets, Support::Unsupported("no bundles".into()));
/// assert!(caps.supports(Operation::GetTicket));
/// assert_eq!(caps.reason(Operation::BundleTickets), Some("no bundles"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Capabilities {
    vendor: Vendor,
    support: BTreeMap<Operation, Support>,
    #[serde(default = "no_act_as")]
    act_as: Support,
}

fn no_act_as() -> Support {
    Support::Unsupported(Cow::Borrowed(NO_ACT_AS))
}

impl Capabilities {
    /// Every operation supported; narrow it with [`with`](Self::with).
    pub fn all_supported(vendor: Vendor) -> Self {
        Capabilities {
            vendor,
            support: Operation::ALL
                .iter()
                .map(|op| (*op, Support::Full))
                .collect(),
            act_as: no_act_as(),
        }
    }

    /// No operation supported (the default of the trait's bodies).
    pub fn none(vendor: Vendor) -> Self {
        Capabilities {
            vendor,
            support: Operation::ALL
                .iter()
                .map(|op| {
                    (
                        *op,
                        Support::Unsupported("not implemented by this client".into()),
                    )
                })
                .collect(),
            act_as: no_act_as(),
        }
    }

    /// Sets one operation's support.
    #[must_use]
    pub fn with(mut self, op: Operation, support: Support) -> Self {
        self.support.insert(op, support);
        self
    }

    /// Marks `ops` unsupported with the reason the [`Psa`](crate::Psa)
    /// trait's default bodies give ([`psa::unsupported`](crate::psa::unsupported)),
    /// for a client that leaves them to the defaults.
    ///
    /// ```
    /// use psa_core::{Capabilities, Operation, Vendor};
    /// let caps = Capabilities::all_supported(Vendor::Halo).unimplemented(&[Operation::ListAttachments]);
    /// assert_eq!(
    ///     caps.reason(Operation::ListAttachments),
    ///     Some(psa_core::psa::unsupported(Vendor::Halo, Operation::ListAttachments).message())
    /// );
    /// ```
    #[must_use]
    pub fn unimplemented(mut self, ops: &[Operation]) -> Self {
        for op in ops {
            let reason = crate::psa::unsupported(self.vendor, *op)
                .message()
                .to_owned();
            self.support
                .insert(*op, Support::Unsupported(Cow::Owned(reason)));
        }
        self
    }

    /// Sets whether (and with which caveat) the client attributes writes to
    /// another agent with [`Psa::act_as`](crate::Psa::act_as). Unsupported
    /// unless a client says otherwise.
    #[must_use]
    pub fn with_act_as(mut self, support: Support) -> Self {
        self.act_as = support;
        self
    }

    /// Whether the client attributes writes to another agent
    /// ([`Psa::act_as`](crate::Psa::act_as)), and how.
    pub fn act_as(&self) -> &Support {
        &self.act_as
    }

    /// The vendor.
    pub fn vendor(&self) -> Vendor {
        self.vendor
    }

    /// The support of one operation.
    pub fn support(&self, op: Operation) -> &Support {
        const MISSING: Support =
            Support::Unsupported(Cow::Borrowed("not implemented by this client"));
        self.support.get(&op).unwrap_or(&MISSING)
    }

    /// Whether an operation can succeed.
    pub fn supports(&self, op: Operation) -> bool {
        self.support(op).is_supported()
    }

    /// The reason an operation is unsupported, or the caveat of a partial one.
    pub fn reason(&self, op: Operation) -> Option<&str> {
        match self.support(op) {
            Support::Full => None,
            Support::Partial(r) | Support::Unsupported(r) => Some(r),
        }
    }

    /// Every operation and its support.
    pub fn iter(&self) -> impl Iterator<Item = (Operation, &Support)> {
        self.support.iter().map(|(op, s)| (*op, s))
    }
}
