//! An in-memory PSA for what no vendor simulator does yet: acting as a
//! technician (`act_as`), custom-field definitions and attachments. Every
//! call counts as one request, so a test proves what reached it.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use futures::stream::{self, BoxStream, StreamExt};
use psa_core::reexports::bytes::Bytes;
use psa_core::{
    Attachment, AttachmentDownload, Capabilities, CustomFieldDef, CustomFieldEntity,
    CustomFieldKind, Error, Id, NewAttachment, NewNote, Note, PicklistOption, Psa, Ref, Result,
    Support, Ticket, Vendor,
};

/// The agent the API account writes as.
pub const API_AGENT: i64 = 99;
/// The ticket every test uses.
pub const TICKET: i64 = 1001;

#[derive(Debug, Default)]
struct State {
    notes: Vec<Note>,
    files: Vec<(Attachment, Bytes)>,
    next: i64,
}

/// The in-memory PSA. Clones (and its `act_as` views) share one state.
#[derive(Debug, Clone, Default)]
pub struct MemoryPsa {
    state: Arc<Mutex<State>>,
    requests: Arc<AtomicU64>,
    acting: Option<Id>,
}

impl MemoryPsa {
    /// A PSA holding ticket [`TICKET`] with one attachment (id 1,
    /// `hello.txt`, "hello world").
    pub fn new() -> Self {
        let psa = MemoryPsa::default();
        {
            let mut st = psa.state.lock().unwrap();
            st.next = 1;
            let mut a = Attachment::new(Id::from(1), Id::from(TICKET), "hello.txt");
            a.content_type = Some("text/plain".into());
            a.size = Some(11);
            st.files.push((a, Bytes::from_static(b"hello world")));
            st.next = 2;
        }
        psa
    }

    /// Calls received so far.
    pub fn requests(&self) -> u64 {
        self.requests.load(Ordering::SeqCst)
    }

    fn hit(&self) {
        self.requests.fetch_add(1, Ordering::SeqCst);
    }

    /// The notes written.
    pub fn notes(&self) -> Vec<Note> {
        self.state.lock().unwrap().notes.clone()
    }

    /// The attachments held, with their content.
    pub fn files(&self) -> Vec<(Attachment, Bytes)> {
        self.state.lock().unwrap().files.clone()
    }
}

#[async_trait]
impl Psa for MemoryPsa {
    fn vendor(&self) -> Vendor {
        Vendor::Halo
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities::all_supported(Vendor::Halo).with_act_as(Support::Full)
    }

    fn act_as(&self, agent: &Id) -> Result<Arc<dyn Psa>> {
        Ok(Arc::new(MemoryPsa {
            state: Arc::clone(&self.state),
            requests: Arc::clone(&self.requests),
            acting: Some(agent.clone()),
        }))
    }

    fn acting_as(&self) -> Option<&Id> {
        self.acting.as_ref()
    }

    async fn get_ticket(&self, id: &Id) -> Result<Ticket> {
        self.hit();
        if *id != Id::from(TICKET) {
            return Err(Error::new(psa_core::ErrorKind::NotFound, "no such ticket"));
        }
        let mut t = Ticket::new(id.clone(), "Printer offline");
        t.owner = Some(Ref::named(7, "Olive Owner"));
        Ok(t)
    }

    async fn find_ticket_by_number(&self, number: &str) -> Result<Ticket> {
        let n = psa_core::input::ticket_number(number)?;
        let id = n
            .parse::<i64>()
            .map_err(|_| Error::new(psa_core::ErrorKind::NotFound, "no such ticket"))?;
        self.get_ticket(&Id::from(id)).await
    }

    fn list_notes(&self, ticket: &Id) -> BoxStream<'_, Result<Note>> {
        self.hit();
        let notes: Vec<Note> = self
            .state
            .lock()
            .unwrap()
            .notes
            .iter()
            .filter(|n| n.ticket == *ticket)
            .cloned()
            .collect();
        stream::iter(notes.into_iter().map(Ok)).boxed()
    }

    async fn add_note(&self, ticket: &Id, note: NewNote) -> Result<Note> {
        self.hit();
        let author = self.acting.clone().unwrap_or_else(|| Id::from(API_AGENT));
        let mut st = self.state.lock().unwrap();
        let id = Id::from(st.next);
        st.next += 1;
        let mut n = Note::new(id, ticket.clone(), note.body, note.visibility);
        n.author = Some(Ref::new(author));
        st.notes.push(n.clone());
        Ok(n)
    }

    async fn list_custom_fields(&self, entity: CustomFieldEntity) -> Result<Vec<CustomFieldDef>> {
        self.hit();
        Ok(match entity {
            CustomFieldEntity::Ticket => vec![
                CustomFieldDef::new("Tier", entity, CustomFieldKind::Picklist).options([
                    PicklistOption::new("gold", "Gold"),
                    PicklistOption::new("silver", "Silver"),
                ]),
            ],
            _ => vec![CustomFieldDef::new("Region", entity, CustomFieldKind::Text)],
        })
    }

    fn list_attachments(&self, ticket: &Id) -> BoxStream<'_, Result<Attachment>> {
        self.hit();
        let items: Vec<Attachment> = self
            .state
            .lock()
            .unwrap()
            .files
            .iter()
            .filter(|(a, _)| a.ticket == *ticket)
            .map(|(a, _)| a.clone())
            .collect();
        stream::iter(items.into_iter().map(Ok)).boxed()
    }

    async fn download_attachment(&self, id: &Id, max_bytes: u64) -> Result<AttachmentDownload> {
        self.hit();
        let st = self.state.lock().unwrap();
        let Some((a, data)) = st.files.iter().find(|(a, _)| a.id == *id) else {
            return Err(Error::new(
                psa_core::ErrorKind::NotFound,
                "no such attachment",
            ));
        };
        if data.len() as u64 > max_bytes {
            return Err(Error::invalid_input(format!(
                "the attachment is {} bytes; the limit is {max_bytes}",
                data.len()
            )));
        }
        let body = data.clone();
        let mut dl = AttachmentDownload::new(stream::once(async move { Ok(body) }).boxed());
        dl.content_type.clone_from(&a.content_type);
        dl.size = Some(data.len() as u64);
        dl.file_name = Some(a.file_name.clone());
        Ok(dl)
    }

    async fn upload_attachment(&self, ticket: &Id, file: NewAttachment) -> Result<Attachment> {
        self.hit();
        let mut st = self.state.lock().unwrap();
        let id = Id::from(st.next);
        st.next += 1;
        let mut a = Attachment::new(id, ticket.clone(), file.file_name.clone());
        a.content_type = Some(file.content_type.clone());
        a.size = Some(file.len() as u64);
        a.author = Some(Ref::new(
            self.acting.clone().unwrap_or_else(|| Id::from(API_AGENT)),
        ));
        st.files.push((a.clone(), file.data.clone()));
        Ok(a)
    }

    async fn delete_attachment(&self, id: &Id) -> Result<()> {
        self.hit();
        let mut st = self.state.lock().unwrap();
        let before = st.files.len();
        st.files.retain(|(a, _)| a.id != *id);
        if st.files.len() == before {
            return Err(Error::new(
                psa_core::ErrorKind::NotFound,
                "no such attachment",
            ));
        }
        Ok(())
    }
}
