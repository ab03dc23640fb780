//! Durable plans: a write waiting for approval, stored so that it survives
//! a restart and is executed later exactly as planned, once.
//!
//! A guard with a [`PlanStore`] ([`Guarded::with_plan_store`](crate::Guarded::with_plan_store))
//! stores every write that needs approval as a [`StoredPlan`] before asking
//! the approver, and records what happens to it:
//!
//! ```text
//! Pending ──approve──▶ Approved ──claim──▶ Executing ──▶ Executed
//!    │                                                 (the outcome)
//!    ├──deny───▶ Denied
//!    └──expiry─▶ Expired
//! ```
//!
//! Every change is one atomic [`PlanStore::update`], so two processes (or
//! two tasks) that try to execute the same approved plan cannot both win:
//! the second finds it `Executing` or `Executed` and is refused. A plan
//! left `Executing` by a process that died is never run again on its own:
//! like an [`AmbiguousWrite`](psa_core::ErrorKind::AmbiguousWrite), someone
//! checks the PSA first.

use std::collections::BTreeMap;
use std::fmt;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use psa_core::{Error, ErrorKind, Id, PlannedWrite, Result};
use rand::RngCore;
use serde::{Deserialize, Serialize};

use crate::audit::AuditOutcome;

/// The id of a stored plan: 32 lower-case hex digits, random.
///
/// ```
/// use psa_permissions::PlanId;
/// let id = PlanId::new();
/// assert_eq!(id.as_str().len(), 32);
/// assert_eq!(PlanId::parse(id.as_str())?, id);
/// assert_eq!(id.code(), &id.as_str()[..8]);
/// assert!(PlanId::parse("../../etc/passwd").is_err());
/// # Ok::<(), psa_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PlanId(String);

impl PlanId {
    /// A new random id.
    pub fn new() -> Self {
        let mut bytes = [0u8; 16];
        rand::rng().fill_bytes(&mut bytes);
        PlanId(bytes.iter().fold(String::with_capacity(32), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        }))
    }

    /// An id from its text; anything but 32 hex digits is `InvalidInput`
    /// (an id names a file in a [`FilePlanStore`]).
    pub fn parse(text: &str) -> Result<Self> {
        let t = text.trim().to_ascii_lowercase();
        if t.len() == 32 && t.bytes().all(|b| b.is_ascii_hexdigit()) {
            Ok(PlanId(t))
        } else {
            Err(Error::invalid_input(format!(
                "{:?} is not a plan id (32 hex digits)",
                shorten(text)
            )))
        }
    }

    /// The id's text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The short code a technician types to answer (its first 8 digits).
    pub fn code(&self) -> &str {
        &self.0[..8]
    }
}

impl Default for PlanId {
    fn default() -> Self {
        PlanId::new()
    }
}

impl fmt::Display for PlanId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for PlanId {
    type Error = Error;
    fn try_from(s: String) -> Result<Self> {
        PlanId::parse(&s)
    }
}

impl From<PlanId> for String {
    fn from(id: PlanId) -> String {
        id.0
    }
}

fn shorten(text: &str) -> String {
    text.chars().take(40).collect()
}

/// Where a stored plan is in its life.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "state")]
#[non_exhaustive]
pub enum PlanState {
    /// Waiting for a decision.
    Pending,
    /// Approved; not executed yet.
    Approved {
        /// Who approved (an agent id or name, as the approver reports it).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        by: Option<String>,
        /// When.
        at: DateTime<Utc>,
    },
    /// Refused: it will never run.
    Denied {
        /// Who refused, when known.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        by: Option<String>,
        /// Why.
        reason: String,
        /// When.
        at: DateTime<Utc>,
    },
    /// No decision before it expired: it will never run.
    Expired {
        /// When it was found expired.
        at: DateTime<Utc>,
    },
    /// Claimed for execution (the call is in flight, or the process that
    /// claimed it died: check the PSA before doing it again by hand).
    Executing {
        /// When it was claimed.
        since: DateTime<Utc>,
    },
    /// Executed, with its outcome.
    Executed {
        /// When it finished.
        at: DateTime<Utc>,
        /// What came of it.
        outcome: AuditOutcome,
    },
}

impl PlanState {
    /// The state's snake_case name (`pending`, `executed` …).
    pub fn name(&self) -> &'static str {
        match self {
            PlanState::Pending => "pending",
            PlanState::Approved { .. } => "approved",
            PlanState::Denied { .. } => "denied",
            PlanState::Expired { .. } => "expired",
            PlanState::Executing { .. } => "executing",
            PlanState::Executed { .. } => "executed",
        }
    }

    /// Whether nothing more will happen to the plan.
    pub fn is_final(&self) -> bool {
        matches!(
            self,
            PlanState::Denied { .. } | PlanState::Expired { .. } | PlanState::Executed { .. }
        )
    }
}

/// A write waiting for (or past) approval, as a [`PlanStore`] keeps it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct StoredPlan {
    /// Its id.
    pub id: PlanId,
    /// The write, with its input (no secret in it).
    pub plan: PlannedWrite,
    /// Who asked for it: the guard's label (`triage-bot`).
    pub principal: String,
    /// The technician the write is attributed to ([`Psa::act_as`](psa_core::Psa::act_as)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub technician: Option<Id>,
    /// When it was planned.
    pub created_at: DateTime<Utc>,
    /// After this, a pending plan can no longer be approved.
    pub expires_at: DateTime<Utc>,
    /// Whether the plan holds every value of the input. A value that looked
    /// like a secret was left out of the plan (a webhook's signing secret, a
    /// token in a URL); such a plan can be approved and executed while its
    /// original call waits, but not executed later from the store.
    pub complete: bool,
    /// The approver's own reference to its request (the id of the note a
    /// [`PsaApprover`](crate::PsaApprover) posted), so that asking again
    /// after a restart does not ask twice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approval_ref: Option<String>,
    /// Where it is in its life.
    pub state: PlanState,
}

impl StoredPlan {
    /// A pending plan with a new id, expiring `ttl` from now.
    pub fn new(plan: PlannedWrite, principal: impl Into<String>, ttl: Duration) -> Self {
        let now = Utc::now();
        let ttl = chrono::Duration::from_std(ttl).unwrap_or(chrono::Duration::days(365));
        StoredPlan {
            id: PlanId::new(),
            plan,
            principal: principal.into(),
            technician: None,
            created_at: now,
            expires_at: now.checked_add_signed(ttl).unwrap_or(now),
            complete: true,
            approval_ref: None,
            state: PlanState::Pending,
        }
    }

    /// Attributes the write to `technician`.
    #[must_use]
    pub fn technician(mut self, technician: Option<Id>) -> Self {
        self.technician = technician;
        self
    }

    /// Marks the plan as missing values that looked like secrets.
    #[must_use]
    pub fn complete(mut self, complete: bool) -> Self {
        self.complete = complete;
        self
    }

    /// Whether a pending plan has expired at `now`.
    pub fn is_expired_at(&self, now: DateTime<Utc>) -> bool {
        self.state == PlanState::Pending && now >= self.expires_at
    }
}

/// A `Conflict`-style refusal: the plan is not in a state that allows it.
pub(crate) fn wrong_state(plan: &StoredPlan, wanted: &str) -> Error {
    let detail = match &plan.state {
        PlanState::Executed { at, .. } => format!("it was executed at {at}; a plan runs once"),
        PlanState::Executing { since } => format!(
            "it has been executing since {since}; if its process died, check the PSA before doing it again"
        ),
        PlanState::Denied { reason, .. } => format!("it was denied: {reason}"),
        PlanState::Expired { at } => format!("it expired at {at}"),
        PlanState::Approved { .. } => "it is approved and waiting to be executed".to_owned(),
        PlanState::Pending => "it is still waiting for approval".to_owned(),
    };
    Error::invalid_input(format!("plan {} cannot be {wanted}: {detail}", plan.id))
}

/// A change to a stored plan: the current version in, the next out (or an
/// error that leaves it as it is). See [`PlanStore::update`].
pub type PlanChange<'a> = dyn for<'p> Fn(&'p StoredPlan) -> Result<StoredPlan> + Send + Sync + 'a;

/// Where stored plans live.
///
/// Implementations make [`update`](Self::update) atomic per plan: the
/// function sees the current plan and returns its next version (or an error
/// that leaves it as it is), with no other update to the same plan in
/// between, across every task and process sharing the store.
#[async_trait]
pub trait PlanStore: Send + Sync + fmt::Debug {
    /// Stores a new plan. An existing id is an error.
    async fn insert(&self, plan: StoredPlan) -> Result<()>;

    /// The plan with this id, if any.
    async fn get(&self, id: &PlanId) -> Result<Option<StoredPlan>>;

    /// Replaces the plan with `change(current)`, atomically; returns the
    /// new version. `NotFound` when there is no such plan; `change`'s error
    /// leaves the plan unchanged and is returned.
    async fn update(&self, id: &PlanId, change: &PlanChange<'_>) -> Result<StoredPlan>;

    /// Every stored plan, oldest first.
    async fn list(&self) -> Result<Vec<StoredPlan>>;
}

#[async_trait]
impl<T: PlanStore + ?Sized> PlanStore for Arc<T> {
    async fn insert(&self, plan: StoredPlan) -> Result<()> {
        (**self).insert(plan).await
    }
    async fn get(&self, id: &PlanId) -> Result<Option<StoredPlan>> {
        (**self).get(id).await
    }
    async fn update(&self, id: &PlanId, change: &PlanChange<'_>) -> Result<StoredPlan> {
        (**self).update(id, change).await
    }
    async fn list(&self) -> Result<Vec<StoredPlan>> {
        (**self).list().await
    }
}

fn not_found(id: &PlanId) -> Error {
    Error::new(ErrorKind::NotFound, format!("no stored plan {id}"))
}

fn checked_change<F>(current: &StoredPlan, change: &F) -> Result<StoredPlan>
where
    F: Fn(&StoredPlan) -> Result<StoredPlan> + ?Sized,
{
    let next = change(current)?;
    if next.id != current.id {
        return Err(Error::invalid_input(
            "a plan update must keep the plan's id",
        ));
    }
    Ok(next)
}

/// Plans in memory, shared by the clones of one store (for tests, and for a
/// single process that may lose pending plans on restart).
#[derive(Debug, Clone, Default)]
pub struct MemoryPlanStore {
    plans: Arc<Mutex<BTreeMap<PlanId, StoredPlan>>>,
}

impl MemoryPlanStore {
    /// An empty store.
    pub fn new() -> Self {
        MemoryPlanStore::default()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<PlanId, StoredPlan>> {
        self.plans.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[async_trait]
impl PlanStore for MemoryPlanStore {
    async fn insert(&self, plan: StoredPlan) -> Result<()> {
        let mut plans = self.lock();
        if plans.contains_key(&plan.id) {
            return Err(Error::invalid_input(format!(
                "plan {} exists already",
                plan.id
            )));
        }
        plans.insert(plan.id.clone(), plan);
        Ok(())
    }

    async fn get(&self, id: &PlanId) -> Result<Option<StoredPlan>> {
        Ok(self.lock().get(id).cloned())
    }

    async fn update(&self, id: &PlanId, change: &PlanChange<'_>) -> Result<StoredPlan> {
        let mut plans = self.lock();
        let current = plans.get(id).ok_or_else(|| not_found(id))?;
        let next = checked_change(current, change)?;
        plans.insert(id.clone(), next.clone());
        Ok(next)
    }

    async fn list(&self) -> Result<Vec<StoredPlan>> {
        let mut all: Vec<StoredPlan> = self.lock().values().cloned().collect();
        all.sort_by_key(|p| p.created_at);
        Ok(all)
    }
}

/// Plans as JSON files in a directory, one `<id>.json` each: they survive a
/// restart and can be shared by the processes of one machine (or a shared
/// volume).
///
/// Each update holds `<id>.lock`, created exclusively (`O_EXCL`), while it
/// reads, changes and atomically replaces (write then rename) the plan. A
/// lock older than [`STALE_LOCK`](Self::STALE_LOCK) was left by a process
/// that died mid-update and is broken.
///
/// ```no_run
/// # async fn demo() -> psa_core::Result<()> {
/// use psa_permissions::{FilePlanStore, PlanStore};
/// let store = FilePlanStore::open("/var/lib/triage-bot/plans")?;
/// for plan in store.list().await? {
///     println!("{} {} {}", plan.id, plan.state.name(), plan.plan);
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct FilePlanStore {
    dir: Arc<PathBuf>,
}

impl FilePlanStore {
    /// How long a lock may be held before another process breaks it.
    pub const STALE_LOCK: Duration = Duration::from_secs(30);
    /// How long an update waits for another's lock before giving up.
    pub const LOCK_WAIT: Duration = Duration::from_secs(10);

    /// A store in `dir`, created if missing.
    pub fn open(dir: impl AsRef<Path>) -> Result<Self> {
        let dir = dir.as_ref();
        std::fs::create_dir_all(dir).map_err(|e| {
            Error::config(format!(
                "cannot create the plan directory {}",
                dir.display()
            ))
            .with_source(e)
        })?;
        Ok(FilePlanStore {
            dir: Arc::new(dir.to_path_buf()),
        })
    }

    /// The directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn path(&self, id: &PlanId, ext: &str) -> PathBuf {
        self.dir.join(format!("{id}.{ext}"))
    }

    async fn blocking<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Path) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let dir = Arc::clone(&self.dir);
        tokio::task::spawn_blocking(move || f(&dir))
            .await
            .map_err(|e| {
                Error::new(ErrorKind::Transport, "the plan store task failed").with_source(e)
            })?
    }
}

fn io_error(what: &str, path: &Path, e: std::io::Error) -> Error {
    Error::new(ErrorKind::Transport, format!("{what} {}", path.display())).with_source(e)
}

fn read_plan(path: &Path) -> Result<Option<StoredPlan>> {
    match std::fs::read(path) {
        Ok(bytes) => psa_core::error::decode_slice(None, "stored plan", &bytes).map(Some),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(io_error("cannot read the plan", path, e)),
    }
}

fn write_plan(dir: &Path, plan: &StoredPlan) -> Result<()> {
    let path = dir.join(format!("{}.json", plan.id));
    let tmp = dir.join(format!("{}.json.tmp", plan.id));
    let bytes = serde_json::to_vec_pretty(plan)
        .map_err(|e| Error::invalid_input("the plan cannot be encoded").with_source(e))?;
    std::fs::write(&tmp, bytes).map_err(|e| io_error("cannot write the plan", &tmp, e))?;
    std::fs::rename(&tmp, &path).map_err(|e| io_error("cannot replace the plan", &path, e))
}

/// Holds `<id>.lock` until dropped.
struct FileLock(PathBuf);

impl FileLock {
    fn acquire(path: PathBuf) -> Result<FileLock> {
        let started = std::time::Instant::now();
        loop {
            match std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
            {
                Ok(_) => return Ok(FileLock(path)),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    let stale = std::fs::metadata(&path)
                        .and_then(|m| m.modified())
                        .ok()
                        .and_then(|t| t.elapsed().ok())
                        .is_some_and(|age| age > FilePlanStore::STALE_LOCK);
                    if stale {
                        let _ = std::fs::remove_file(&path);
                        continue;
                    }
                    if started.elapsed() > FilePlanStore::LOCK_WAIT {
                        return Err(Error::new(
                            ErrorKind::Timeout,
                            format!("the plan is locked by another update ({})", path.display()),
                        ));
                    }
                    std::thread::sleep(Duration::from_millis(5));
                }
                Err(e) => return Err(io_error("cannot lock the plan", &path, e)),
            }
        }
    }
}

impl Drop for FileLock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

#[async_trait]
impl PlanStore for FilePlanStore {
    async fn insert(&self, plan: StoredPlan) -> Result<()> {
        let lock = self.path(&plan.id, "lock");
        self.blocking(move |dir| {
            let _lock = FileLock::acquire(lock)?;
            let path = dir.join(format!("{}.json", plan.id));
            if path.exists() {
                return Err(Error::invalid_input(format!(
                    "plan {} exists already",
                    plan.id
                )));
            }
            write_plan(dir, &plan)
        })
        .await
    }

    async fn get(&self, id: &PlanId) -> Result<Option<StoredPlan>> {
        let path = self.path(id, "json");
        self.blocking(move |_| read_plan(&path)).await
    }

    async fn update(&self, id: &PlanId, change: &PlanChange<'_>) -> Result<StoredPlan> {
        // The change runs on this task (it borrows); only the file work is
        // blocking, and it is short: read, write, rename under the lock.
        let lock_path = self.path(id, "lock");
        let lock = self
            .blocking(move |_| FileLock::acquire(lock_path).map(Some))
            .await?;
        let result = async {
            let path = self.path(id, "json");
            let current = self
                .blocking(move |_| read_plan(&path))
                .await?
                .ok_or_else(|| not_found(id))?;
            let next = checked_change(&current, change)?;
            let to_write = next.clone();
            self.blocking(move |dir| write_plan(dir, &to_write)).await?;
            Ok(next)
        }
        .await;
        drop(lock);
        result
    }

    async fn list(&self) -> Result<Vec<StoredPlan>> {
        self.blocking(|dir| {
            let entries =
                std::fs::read_dir(dir).map_err(|e| io_error("cannot list the plans in", dir, e))?;
            let mut all = Vec::new();
            for entry in entries {
                let entry = entry.map_err(|e| io_error("cannot list the plans in", dir, e))?;
                let path = entry.path();
                let is_plan = path.extension().is_some_and(|x| x == "json")
                    && path
                        .file_stem()
                        .and_then(|s| s.to_str())
                        .is_some_and(|s| PlanId::parse(s).is_ok());
                if is_plan {
                    if let Some(plan) = read_plan(&path)? {
                        all.push(plan);
                    }
                }
            }
            all.sort_by_key(|p| p.created_at);
            Ok(all)
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use psa_core::{OpKind, Operation, PermissionGroup, Vendor};

    fn plan() -> StoredPlan {
        StoredPlan::new(
            PlannedWrite::new(
                Vendor::Halo,
                Operation::UpdateTicket,
                PermissionGroup::Tickets,
                OpKind::Write,
                Some(Id::from(1001)),
                vec!["priority".into()],
                serde_json::json!({"priority": "1"}),
            ),
            "triage-bot",
            Duration::from_secs(600),
        )
    }

    fn approve(p: &StoredPlan) -> Result<StoredPlan> {
        match p.state {
            PlanState::Pending => Ok(StoredPlan {
                state: PlanState::Approved {
                    by: Some("42".into()),
                    at: Utc::now(),
                },
                ..p.clone()
            }),
            _ => Err(wrong_state(p, "approved")),
        }
    }

    async fn exercise(store: &dyn PlanStore) {
        let p = plan();
        let id = p.id.clone();
        store.insert(p.clone()).await.unwrap();
        assert!(store.insert(p).await.is_err(), "ids are unique");
        assert_eq!(
            store.get(&id).await.unwrap().unwrap().state,
            PlanState::Pending
        );
        let approved = store.update(&id, &approve).await.unwrap();
        assert_eq!(approved.state.name(), "approved");
        let again = store.update(&id, &approve).await.unwrap_err();
        assert!(
            again.to_string().contains("approved and waiting"),
            "{again}"
        );
        assert_eq!(
            store.get(&id).await.unwrap().unwrap().state.name(),
            "approved"
        );
        assert!(store.get(&PlanId::new()).await.unwrap().is_none());
        assert!(
            store
                .update(&PlanId::new(), &approve)
                .await
                .unwrap_err()
                .is_not_found()
        );
        let all = store.list().await.unwrap();
        assert_eq!(all.len(), 1);
        assert_eq!(all[0].id, id);
    }

    #[tokio::test]
    async fn memory_store() {
        exercise(&MemoryPlanStore::new()).await;
    }

    #[tokio::test]
    async fn file_store_survives_reopening() {
        let dir = std::env::temp_dir().join(format!("psa-plans-{}", PlanId::new()));
        let store = FilePlanStore::open(&dir).unwrap();
        exercise(&store).await;
        let reopened = FilePlanStore::open(&dir).unwrap();
        let all = reopened.list().await.unwrap();
        assert_eq!(all.len(), 1);
        assert_eq!(all[0].state.name(), "approved");
        assert!(
            std::fs::read_dir(&dir).unwrap().all(|e| !e
                .unwrap()
                .path()
                .to_string_lossy()
                .ends_with(".lock")),
            "no lock is left behind"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[tokio::test]
    async fn concurrent_claims_have_one_winner() {
        let dir = std::env::temp_dir().join(format!("psa-plans-{}", PlanId::new()));
        let store = FilePlanStore::open(&dir).unwrap();
        let p = plan();
        let id = p.id.clone();
        store.insert(p).await.unwrap();
        let claims = (0..16).map(|_| {
            let store = store.clone();
            let id = id.clone();
            tokio::spawn(async move {
                store
                    .update(&id, &|p: &StoredPlan| match p.state {
                        PlanState::Pending => Ok(StoredPlan {
                            state: PlanState::Executing { since: Utc::now() },
                            ..p.clone()
                        }),
                        _ => Err(wrong_state(p, "claimed")),
                    })
                    .await
                    .is_ok()
            })
        });
        let wins = futures::future::join_all(claims)
            .await
            .into_iter()
            .filter(|r| *r.as_ref().unwrap())
            .count();
        assert_eq!(wins, 1);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn ids_and_states_serialise() {
        let p = plan();
        let json = serde_json::to_string(&p).unwrap();
        let back: StoredPlan = serde_json::from_str(&json).unwrap();
        assert_eq!(back, p);
        assert!(json.contains(r#""state":"pending""#), "{json}");
        assert!(serde_json::from_str::<PlanId>("\"zz\"").is_err());
        assert!(!PlanState::Pending.is_final());
        assert!(PlanState::Expired { at: Utc::now() }.is_final());
        assert!(plan().is_expired_at(Utc::now() + chrono::Duration::hours(1)));
    }
}
