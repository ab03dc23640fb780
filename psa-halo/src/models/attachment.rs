//! Files attached to tickets and actions (`/Attachment`), and custom-field
//! definitions (`/FieldInfo`).

use super::macros::model;
use psa_core::Timestamp;

model! {
    /// A file on a ticket (Halo's `Attachment` record, `/Attachment`).
    ///
    /// Listed with `GET /Attachment?ticket_id=…` (`{"attachments": […]}`);
    /// the file itself is the body of `GET /Attachment/{id}`, named in its
    /// `Content-Disposition`. A file is uploaded as JSON, the content in
    /// `data_base64` (`POST /Attachment` of `[Attachment]`, the request
    /// schema of Halo's API).
    ///
    /// ```
    /// use psa_halo::Attachment;
    /// let a = Attachment::upload(1001, "screenshot.png", b"\x89PNG");
    /// let json = serde_json::to_value(&a).unwrap();
    /// assert_eq!(json["data_base64"], "iVBORw==");
    /// assert_eq!(json["ticket_id"], 1001);
    /// ```
    pub struct Attachment {
        /// Attachment id.
        id: i64,
        /// The ticket.
        ticket_id: i64,
        /// The action (note) it belongs to, 0 for the ticket itself.
        action_id: i64,
        /// File name.
        filename: String,
        /// Size in bytes.
        filesize: i64,
        /// MIME type.
        content_type: String,
        /// When it was attached.
        datecreated: Timestamp,
        /// The agent who attached it.
        agent_id: i64,
        /// The end user who attached it.
        user_id: i64,
        /// A note about the file.
        note: String,
        /// Whether end users see it.
        showforusers: bool,
        /// Whether it is an image.
        isimage: bool,
        /// The content, base64-encoded (uploads).
        data_base64: String,
    }
}

impl Attachment {
    /// An upload of `data` as `filename` to ticket `ticket_id`.
    pub fn upload(ticket_id: i64, filename: impl Into<String>, data: &[u8]) -> Self {
        use base64::Engine as _;
        Attachment {
            ticket_id: Some(ticket_id),
            filename: Some(filename.into()),
            data_base64: Some(base64::engine::general_purpose::STANDARD.encode(data)),
            ..Attachment::default()
        }
    }
}

model! {
    /// A field definition (Halo's `FieldInfo` record, `/FieldInfo`): the
    /// custom fields of tickets, clients, users and assets.
    pub struct FieldInfo {
        /// Field id.
        id: i64,
        /// The name records carry it under (`CFContractRef`).
        name: String,
        /// The label agents see.
        label: String,
        /// Halo's field type: 0 text, 1 memo, 2 single selection, 3 multiple
        /// selection, 4 date, 5 time, 6 checkbox, 10 rich text (Halo's UI
        /// order; the request schema types it as an integer).
        #[serde(rename = "type")]
        field_type: i64,
        /// What records it is for: 1 tickets, 2 clients, 3 sites, 4 users,
        /// 5 assets (Halo's `usage`).
        usage: i64,
        /// Whether it is a custom field (1) rather than a built-in one.
        custom: i64,
        /// Read only.
        readonly: bool,
        /// Required.
        mandatory: bool,
        /// The longest text it takes (0 = no limit).
        characterlimit: i64,
        /// The options of a selection field.
        values: Vec<FieldValue>,
    }
}

model! {
    /// One option of a selection field (`FieldInfo.values`).
    pub struct FieldValue {
        /// Option id (the value records store).
        id: i64,
        /// Label.
        name: String,
        /// Hidden from new choices.
        inactive: bool,
    }
}
