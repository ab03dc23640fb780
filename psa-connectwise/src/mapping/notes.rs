//! Ticket notes: visibility from ConnectWise's three flags, and the create
//! body that sets exactly one.

use psa_core::{Id, NewNote, NoteVisibility, Ref, Result};

use super::{info_time, missing_id, reference, to_raw};
use crate::models::{Info, ServiceNote, parse_timestamp};

/// Who can see a note, from its flags: resolution, then discussion
/// (customer), else internal.
pub fn note_visibility(n: &ServiceNote) -> NoteVisibility {
    if n.resolution_flag == Some(true) {
        NoteVisibility::Resolution
    } else if n.detail_description_flag == Some(true) {
        NoteVisibility::Customer
    } else {
        NoteVisibility::Internal
    }
}

/// A ticket note.
pub fn note(n: &ServiceNote, ticket: i64) -> Result<psa_core::Note> {
    let id = n.id.ok_or_else(|| missing_id("note"))?;
    let mut out = psa_core::Note::new(
        Id::from(id),
        Id::from(n.ticket_id.unwrap_or(ticket)),
        n.text.clone().unwrap_or_default(),
        note_visibility(n),
    );
    out.author = reference(n.member.as_ref())
        .or_else(|| reference(n.contact.as_ref()))
        .or_else(|| {
            n.created_by
                .as_ref()
                .map(|c| Ref::with_opt_name(0, Some(c.clone())))
        });
    out.created_at = n
        .date_created
        .as_deref()
        .and_then(parse_timestamp)
        .or_else(|| info_time(n.info.as_ref(), Info::date_entered));
    out.raw = to_raw(n).into();
    Ok(out)
}

/// The body of `POST /service/tickets/{id}/notes`.
pub fn new_note(n: &NewNote, ticket: i64) -> Result<ServiceNote> {
    n.validate()?;
    let mut body = ServiceNote {
        ticket_id: Some(ticket),
        text: Some(n.body.clone()),
        ..ServiceNote::default()
    };
    match n.visibility {
        NoteVisibility::Customer => body.detail_description_flag = Some(true),
        NoteVisibility::Resolution => body.resolution_flag = Some(true),
        _ => body.internal_analysis_flag = Some(true),
    }
    body.process_notifications = Some(n.notify);
    Ok(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_set_exactly_one_flag() {
        for (n, flag) in [
            (NewNote::internal("x"), "internalAnalysisFlag"),
            (NewNote::customer("x").notify(true), "detailDescriptionFlag"),
            (NewNote::resolution("x"), "resolutionFlag"),
        ] {
            let body = serde_json::to_value(new_note(&n, 9).unwrap()).unwrap();
            assert_eq!(body[flag], true, "{body}");
            let flags = [
                "internalAnalysisFlag",
                "detailDescriptionFlag",
                "resolutionFlag",
            ];
            assert_eq!(flags.iter().filter(|f| body.get(**f).is_some()).count(), 1);
        }
    }
}
