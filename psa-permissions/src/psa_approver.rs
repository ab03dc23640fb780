//! [`PsaApprover`]: approval through the PSA itself. The planned write is
//! posted on its ticket as an internal note, and the ticket's assigned agent
//! (or a configured approver) answers with a note of their own.

use std::collections::HashMap;
use std::fmt;
use std::fmt::Write as _;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use async_trait::async_trait;
use chrono::Utc;
use futures::{StreamExt, TryStreamExt};
use psa_core::{
    Error, Id, NewNote, Note, NoteVisibility, Operation, PlannedWrite, Psa, Result, TicketEvent,
};
use tokio::sync::Notify;

use crate::approval::{Approver, Decision, Verdict};
use crate::plan::StoredPlan;

/// The marker that starts every request note; a note carrying it is never
/// read as an answer.
pub const REQUEST_MARKER: &str = "[psa-sdk approval";

/// How many of a ticket's notes are read when looking for an answer.
const MAX_NOTES_READ: usize = 500;

/// Approval through the PSA: a technician approves or denies a planned write
/// where they already work, on the ticket.
///
/// For a plan on a ticket (an update, a note, a time entry, a merge …), the
/// approver posts an **internal note** on that ticket naming what will
/// change, who asks and for whom, with a short code:
///
/// ```text
/// [psa-sdk approval 3f9a1c02] triage-bot asks to run update_ticket on ticket 1001 writing [priority]
/// …
/// To approve, reply on this ticket: APPROVE 3f9a1c02
/// To refuse: DENY 3f9a1c02 <reason>
/// ```
///
/// The answer is a later note on the ticket containing `APPROVE <code>` or
/// `DENY <code> <reason>` (any case, anywhere in the note), written by the
/// ticket's **assigned agent** at the time of reading, or by one of the
/// configured [`approvers`](Self::approvers). Notes by anyone else — a
/// customer replying by email, another technician, the integration itself —
/// are ignored, and so is any note carrying the request marker. The first
/// valid answer wins; no answer before the [`timeout`](Self::timeout) is a
/// denial.
///
/// It reads answers by polling the ticket's notes every
/// [`poll_interval`](Self::poll_interval); feed it the PSA's webhook events
/// with [`on_event`](Self::on_event) and it reads at once instead.
///
/// A plan with no ticket (creating a ticket or a contact) is posted on the
/// [`fallback_ticket`](Self::fallback_ticket) (a ticket the approvers watch),
/// or denied when there is none. The client given to the approver posts and
/// reads: give it one whose own policy allows reading tickets and adding
/// internal notes, not the guard that asks (which may forbid notes).
///
/// ```no_run
/// # fn demo(client: std::sync::Arc<dyn psa_core::Psa>) {
/// use std::time::Duration;
/// use psa_core::Id;
/// use psa_permissions::{Guarded, MemoryPlanStore, Policy, Profile, PsaApprover};
///
/// let approver = PsaApprover::new(client.clone())
///     .approvers([Id::from(7)]) // the service-desk lead, besides the assigned agent
///     .timeout(Duration::from_secs(15 * 60));
/// let agent = Guarded::new(client, Policy::profile(Profile::ItAdmin))
///     .with_approver(approver)
///     .with_plan_store(MemoryPlanStore::new());
/// # }
/// ```
#[derive(Clone)]
pub struct PsaApprover {
    psa: Arc<dyn Psa>,
    approvers: Vec<Id>,
    owner_approves: bool,
    fallback_ticket: Option<Id>,
    timeout: Duration,
    poll_interval: Duration,
    wakers: Arc<Mutex<HashMap<String, Arc<Notify>>>>,
}

impl fmt::Debug for PsaApprover {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PsaApprover")
            .field("vendor", &self.psa.vendor())
            .field("approvers", &self.approvers)
            .field("owner_approves", &self.owner_approves)
            .field("fallback_ticket", &self.fallback_ticket)
            .field("timeout", &self.timeout)
            .field("poll_interval", &self.poll_interval)
            .finish_non_exhaustive()
    }
}

/// What an answer note says.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Answer {
    Approve,
    Deny(String),
}

impl PsaApprover {
    /// The default wait for an answer.
    pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(15 * 60);
    /// The default interval between reads of the ticket's notes.
    pub const DEFAULT_POLL_INTERVAL: Duration = Duration::from_secs(30);

    /// An approver that posts and reads through `psa`; the ticket's
    /// assigned agent approves, 15 minutes to answer, notes read every 30 s.
    pub fn new(psa: Arc<dyn Psa>) -> Self {
        PsaApprover {
            psa,
            approvers: Vec::new(),
            owner_approves: true,
            fallback_ticket: None,
            timeout: Self::DEFAULT_TIMEOUT,
            poll_interval: Self::DEFAULT_POLL_INTERVAL,
            wakers: Arc::new(Mutex::new(HashMap::new())),
        }
    }

    /// Agents (ids as [`Psa::list_agents`] gives them) who may answer any
    /// request, besides the ticket's assigned agent.
    #[must_use]
    pub fn approvers(mut self, agents: impl IntoIterator<Item = Id>) -> Self {
        self.approvers = agents.into_iter().collect();
        self
    }

    /// Whether the ticket's assigned agent may answer (default yes). Off,
    /// only the configured [`approvers`](Self::approvers) may.
    #[must_use]
    pub fn owner_approves(mut self, on: bool) -> Self {
        self.owner_approves = on;
        self
    }

    /// The ticket requests without a ticket of their own are posted on.
    #[must_use]
    pub fn fallback_ticket(mut self, ticket: Id) -> Self {
        self.fallback_ticket = Some(ticket);
        self
    }

    /// How long a waiting review waits for an answer before denying.
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// How often a waiting review reads the ticket's notes.
    #[must_use]
    pub fn poll_interval(mut self, interval: Duration) -> Self {
        self.poll_interval = interval.max(Duration::from_millis(10));
        self
    }

    /// A ticket event from the PSA's webhooks: reviews waiting on that
    /// ticket read its notes now instead of at their next poll.
    pub fn on_event(&self, event: &TicketEvent) {
        let key = event.ticket.to_string();
        if let Some(n) = self.lock_wakers().get(&key) {
            n.notify_waiters();
        }
    }

    fn lock_wakers(&self) -> std::sync::MutexGuard<'_, HashMap<String, Arc<Notify>>> {
        self.wakers.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The ticket a plan's request goes on.
    fn ticket_of(&self, plan: &PlannedWrite) -> Option<Id> {
        own_ticket(plan).or_else(|| self.fallback_ticket.clone())
    }

    fn request_text(stored: &StoredPlan, ticket: &Id) -> String {
        let plan = &stored.plan;
        let code = stored.id.code();
        let mut text = format!(
            "{REQUEST_MARKER} {code}] {} asks to run {}",
            stored.principal, plan.operation
        );
        if let Some(t) = &plan.target {
            let _ = write!(text, " on {} {t}", target_noun(plan.operation));
        }
        if !plan.fields.is_empty() {
            let _ = write!(text, " writing [{}]", plan.fields.join(", "));
        }
        text.push('\n');
        if let Some(tech) = &stored.technician {
            let _ = writeln!(text, "On behalf of agent {tech}.");
        }
        if own_ticket(plan).as_ref() != Some(ticket) {
            text.push_str("(Posted here because the change concerns no ticket of its own.)\n");
        }
        let payload = serde_json::to_string(&plan.payload).unwrap_or_default();
        let _ = writeln!(text, "Change: {}", clip(&payload, 1500));
        let _ = writeln!(
            text,
            "Expires: {}",
            stored.expires_at.format("%Y-%m-%d %H:%M UTC")
        );
        let _ = write!(
            text,
            "To approve, reply on this ticket: APPROVE {code}\nTo refuse: DENY {code} <reason>\nOnly the ticket's assigned agent or a designated approver can answer."
        );
        text
    }

    /// Who may answer on `ticket` now.
    async fn allowed(&self, ticket: &Id) -> Result<Vec<Id>> {
        let mut allowed = self.approvers.clone();
        if self.owner_approves {
            let t = self.psa.get_ticket(ticket).await?;
            if let Some(owner) = t.owner {
                allowed.push(owner.id);
            }
        }
        Ok(allowed)
    }

    async fn notes(&self, ticket: &Id) -> Result<Vec<Note>> {
        self.psa
            .list_notes(ticket)
            .take(MAX_NOTES_READ)
            .try_collect()
            .await
    }

    /// The first valid answer to `stored` on its ticket.
    async fn find_answer(&self, stored: &StoredPlan) -> Result<Option<Verdict>> {
        let Some(ticket) = self.ticket_of(&stored.plan) else {
            return Ok(None);
        };
        let notes = self.notes(&ticket).await?;
        let code = stored.id.code().to_ascii_lowercase();
        let request_at = notes
            .iter()
            .position(|n| Some(n.id.to_string()) == stored.approval_ref)
            .or_else(|| {
                notes.iter().position(|n| {
                    n.body.contains(REQUEST_MARKER) && n.body.contains(stored.id.code())
                })
            });
        let request_time = request_at.and_then(|i| notes[i].created_at);
        let mut allowed: Option<Vec<Id>> = None;
        for (i, note) in notes.iter().enumerate() {
            if note.body.contains(REQUEST_MARKER) || Some(i) == request_at {
                continue;
            }
            // Answers come after the request: by the PSA's own clock when
            // the request note's time is known (this host's clock may differ
            // from the PSA's), else by the vendor's order, else after the
            // plan was made.
            let after = match (note.created_at, request_time, request_at) {
                (Some(t), Some(r), _) => t >= r,
                (_, _, Some(r)) => i > r,
                (Some(t), _, None) => t >= stored.created_at,
                (None, _, None) => true,
            };
            if !after {
                continue;
            }
            let Some(answer) = parse_answer(&note.body, &code) else {
                continue;
            };
            let Some(author) = note.author.as_ref() else {
                tracing::warn!(plan = %stored.id, note = %note.id, "an answer without an author is ignored");
                continue;
            };
            if allowed.is_none() {
                allowed = Some(self.allowed(&ticket).await?);
            }
            if !allowed.as_ref().is_some_and(|a| a.contains(&author.id)) {
                tracing::warn!(plan = %stored.id, note = %note.id, author = %author.id,
                    "an answer by someone who may not approve is ignored");
                continue;
            }
            let who = author
                .name
                .as_ref()
                .map_or_else(|| author.id.to_string(), |n| format!("{n} ({})", author.id));
            let decision = match answer {
                Answer::Approve => Decision::Approve,
                Answer::Deny(reason) if reason.is_empty() => {
                    Decision::deny(format!("denied on the ticket by {who}"))
                }
                Answer::Deny(reason) => Decision::deny(format!("denied by {who}: {reason}")),
            };
            let decided_at = note.created_at.unwrap_or_else(Utc::now);
            return Ok(Some(Verdict {
                decision,
                approver: Some(author.id.to_string()),
                decided_at,
            }));
        }
        Ok(None)
    }

    async fn wait_for_answer(&self, stored: &StoredPlan) -> Verdict {
        let Some(ticket) = self.ticket_of(&stored.plan) else {
            return Verdict::now(Decision::deny(no_ticket(&stored.plan)), None);
        };
        let waker = Arc::clone(
            self.lock_wakers()
                .entry(ticket.to_string())
                .or_insert_with(|| Arc::new(Notify::new())),
        );
        let deadline = tokio::time::Instant::now() + self.timeout;
        loop {
            // Register interest before reading, so an event between the read
            // and the wait is not lost.
            let woken = waker.notified();
            match self.find_answer(stored).await {
                Ok(Some(v)) => return v,
                Ok(None) => {}
                Err(e) => {
                    tracing::warn!(plan = %stored.id, error = %e, "reading the ticket's notes for an answer failed");
                }
            }
            let now = tokio::time::Instant::now();
            if now >= deadline {
                return Verdict::now(
                    Decision::deny(format!(
                        "no answer on ticket {ticket} within {} s",
                        self.timeout.as_secs()
                    )),
                    None,
                );
            }
            let next = deadline.min(now + self.poll_interval);
            tokio::select! {
                () = woken => {}
                () = tokio::time::sleep_until(next) => {}
            }
        }
    }
}

#[async_trait]
impl Approver for PsaApprover {
    async fn review(&self, plan: &PlannedWrite) -> Decision {
        let stored = StoredPlan::new(plan.clone(), "psa-sdk", self.timeout);
        self.review_stored(&stored).await.decision
    }

    async fn review_stored(&self, plan: &StoredPlan) -> Verdict {
        let mut stored = plan.clone();
        match self.submit(plan).await {
            Ok(reference) => stored.approval_ref = reference,
            Err(e) => {
                return Verdict::now(
                    Decision::deny(format!("the approval request could not be posted: {e}")),
                    None,
                );
            }
        }
        self.wait_for_answer(&stored).await
    }

    async fn submit(&self, plan: &StoredPlan) -> Result<Option<String>> {
        if plan.approval_ref.is_some() {
            return Ok(plan.approval_ref.clone());
        }
        let ticket = self
            .ticket_of(&plan.plan)
            .ok_or_else(|| Error::invalid_input(no_ticket(&plan.plan)))?;
        let note = self
            .psa
            .add_note(
                &ticket,
                NewNote::internal(Self::request_text(plan, &ticket)),
            )
            .await?;
        Ok(Some(note.id.to_string()))
    }

    async fn poll(&self, plan: &StoredPlan) -> Result<Option<Verdict>> {
        if self.ticket_of(&plan.plan).is_none() {
            return Ok(Some(Verdict::now(
                Decision::deny(no_ticket(&plan.plan)),
                None,
            )));
        }
        self.find_answer(plan).await
    }
}

fn no_ticket(plan: &PlannedWrite) -> String {
    format!(
        "{} concerns no ticket and no fallback ticket is configured for approval requests",
        plan.operation
    )
}

/// The ticket a plan is about, when it has one.
fn own_ticket(plan: &PlannedWrite) -> Option<Id> {
    use Operation as O;
    match plan.operation {
        O::UpdateTicket
        | O::MergeTickets
        | O::BundleTickets
        | O::DeleteTicket
        | O::AddNote
        | O::AddTicketProduct
        | O::UploadAttachment => plan.target.clone(),
        O::CreateTimeEntry | O::CreateScheduleEntry => plan
            .payload
            .get("ticket")
            .and_then(|v| serde_json::from_value::<Id>(v.clone()).ok()),
        _ => None,
    }
}

fn target_noun(op: Operation) -> &'static str {
    use Operation as O;
    match op {
        O::AddNote
        | O::AddTicketProduct
        | O::UpdateTicket
        | O::MergeTickets
        | O::DeleteTicket
        | O::UploadAttachment => "ticket",
        O::DeleteAttachment => "attachment",
        O::BundleTickets => "parent ticket",
        O::UpdateTimeEntry | O::DeleteTimeEntry => "time entry",
        O::UpdateContact => "contact",
        O::UpdateConfiguration => "configuration",
        O::UpdateScheduleEntry | O::DeleteScheduleEntry => "schedule entry",
        O::DeleteWebhook => "webhook",
        _ => "record",
    }
}

fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max).collect();
    format!("{cut}…")
}

/// Reads `APPROVE <code>` or `DENY <code> <reason>` out of a note's text
/// (HTML tags dropped, any case, anywhere in the text).
fn parse_answer(body: &str, code: &str) -> Option<Answer> {
    let text = strip_tags(body);
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || matches!(c, ':' | ',' | ';' | '!' | '.'))
        .filter(|w| !w.is_empty())
        .collect();
    for (i, pair) in words.windows(2).enumerate() {
        if !pair[1].eq_ignore_ascii_case(code) {
            continue;
        }
        if pair[0].eq_ignore_ascii_case("approve") || pair[0].eq_ignore_ascii_case("approved") {
            return Some(Answer::Approve);
        }
        if pair[0].eq_ignore_ascii_case("deny") || pair[0].eq_ignore_ascii_case("denied") {
            let reason = words[i + 2..].join(" ");
            return Some(Answer::Deny(clip(&reason, 300)));
        }
    }
    None
}

fn strip_tags(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut in_tag = false;
    for c in body.chars() {
        match c {
            '<' => {
                in_tag = true;
                out.push(' ');
            }
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&nbsp;", " ")
}

/// Whether a note is one of this approver's requests.
pub fn is_request_note(note: &Note) -> bool {
    note.visibility == NoteVisibility::Internal && note.body.contains(REQUEST_MARKER)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_read_in_any_form() {
        let code = "3f9a1c02";
        assert_eq!(
            parse_answer("APPROVE 3f9a1c02", code),
            Some(Answer::Approve)
        );
        assert_eq!(
            parse_answer("<p>ok from me: approve 3F9A1C02.</p>", code),
            Some(Answer::Approve)
        );
        assert_eq!(
            parse_answer("DENY 3f9a1c02 not during business hours", code),
            Some(Answer::Deny("not during business hours".into()))
        );
        assert_eq!(
            parse_answer("deny: 3f9a1c02", code),
            Some(Answer::Deny(String::new()))
        );
        assert_eq!(
            parse_answer("APPROVE 3f9a1c03", code),
            None,
            "another plan's code"
        );
        assert_eq!(parse_answer("approve it", code), None);
        assert_eq!(parse_answer("I approve", code), None);
        assert_eq!(
            parse_answer("3f9a1c02 APPROVE", code),
            None,
            "code first is not an answer"
        );
    }

    #[test]
    fn tags_are_dropped() {
        assert_eq!(strip_tags("<b>APPROVE</b>&nbsp;x"), " APPROVE  x");
        assert_eq!(clip("abcdef", 3), "abc…");
    }
}
