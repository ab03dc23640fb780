//! Finding things: filters, limits, callers by email or phone, companies
//! by name, the ticket a webhook names.

use psa_core::{CompanyQuery, ContactQuery, Id, Psa, Ticket, TicketQuery, Vendor, WebhookDelivery};

use super::triage::contact_where;
use super::{collect, must, open_ticket, ref_id};

/// Asserts what a search (`search`, as the panic names it) returned: the
/// record `want` is among `found`, and every record of `found` matches —
/// `mismatch` gives `None` for a match, or says how the record differs.
///
/// # Panics
/// When `want` is missing or a record does not match.
pub(super) fn assert_found<T>(
    vendor: Vendor,
    search: &str,
    found: &[T],
    id: impl Fn(&T) -> &Id,
    want: &Id,
    mismatch: impl Fn(&T) -> Option<String>,
) {
    assert!(
        found.iter().any(|r| id(r) == want),
        "{vendor}: {search} missed {want}"
    );
    for r in found {
        if let Some(why) = mismatch(r) {
            panic!("{vendor}: {search} returned {}: {why}", id(r));
        }
    }
}

/// The longest word of `text` (letters and digits) of at least `min`
/// characters: a search term every vendor's text search matches.
fn longest_word(text: &str, min: usize) -> Option<&str> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= min)
        .max_by_key(|w| w.chars().count())
}

/// One filter of [`filters_narrow_a_listing`] and what it saw.
#[derive(Debug, Clone)]
pub struct Narrowed {
    /// The filter (`company`, `queue` …).
    pub filter: &'static str,
    /// The value filtered on (an id, or the word searched for).
    pub value: String,
    /// Tickets of the unfiltered listing with that value (for free text:
    /// the one ticket the word was taken from, which must be among those
    /// listed).
    pub expected: usize,
    /// Tickets the filtered listing returned.
    pub listed: usize,
}

type Field = fn(&Ticket) -> Option<&Id>;

/// Every ticket filter of the uniform query, on the value most tickets
/// share: the filtered listing returns exactly the tickets of the
/// unfiltered listing that have that value (none missing, none extra), as
/// the mapped tickets report it. Free text must find the ticket whose
/// summary the word came from.
///
/// # Panics
/// When a listing fails or a filter returns other tickets than expected.
pub async fn filters_narrow_a_listing(psa: &dyn Psa) -> Vec<Narrowed> {
    let vendor = psa.vendor();
    let all = collect(
        vendor,
        "list every ticket",
        psa.list_tickets(TicketQuery::any()),
    )
    .await;
    let fields: [(&'static str, Field); 6] = [
        ("company", |t| ref_id(t.company.as_ref())),
        ("contact", |t| ref_id(t.contact.as_ref())),
        ("owner", |t| ref_id(t.owner.as_ref())),
        ("queue", |t| ref_id(t.queue.as_ref())),
        ("status", |t| ref_id(t.status.as_ref())),
        ("priority", |t| ref_id(t.priority.as_ref())),
    ];
    let mut seen = Vec::new();
    for (filter, field) in fields {
        // The value most tickets share.
        let mut counts: Vec<(&Id, usize)> = Vec::new();
        for id in all.iter().filter_map(field) {
            match counts.iter_mut().find(|(v, _)| *v == id) {
                Some((_, n)) => *n += 1,
                None => counts.push((id, 1)),
            }
        }
        let Some((value, _)) = counts.iter().max_by_key(|(_, n)| *n) else {
            panic!("{vendor}: no listed ticket has a {filter}");
        };
        let value = (*value).clone();
        let query = TicketQuery::any();
        let query = match filter {
            "company" => query.company(value.clone()),
            "contact" => query.contact(value.clone()),
            "owner" => query.owner(value.clone()),
            "queue" => query.queue(value.clone()),
            "status" => query.status(value.clone()),
            _ => query.priority(value.clone()),
        };
        let listed = collect(vendor, filter, psa.list_tickets(query)).await;
        let mut want: Vec<&Id> = all
            .iter()
            .filter(|t| field(t) == Some(&value))
            .map(|t| &t.id)
            .collect();
        let mut got: Vec<&Id> = listed.iter().map(|t| &t.id).collect();
        want.sort_by_key(ToString::to_string);
        got.sort_by_key(ToString::to_string);
        assert_eq!(
            got, want,
            "{vendor}: list_tickets filtered on {filter} = {value} returned other tickets than those with that {filter}"
        );
        seen.push(Narrowed {
            filter,
            value: value.to_string(),
            expected: want.len(),
            listed: got.len(),
        });
    }

    // Free text: the longest word of a ticket's summary finds the ticket.
    let (ticket, word) = all
        .iter()
        .find_map(|t| longest_word(&t.summary, 5).map(|w| (t, w.to_owned())))
        .unwrap_or_else(|| panic!("{vendor}: no summary has a word of 5 letters"));
    let listed = collect(
        vendor,
        "text",
        psa.list_tickets(TicketQuery::any().text(word.clone())),
    )
    .await;
    assert!(
        listed.iter().any(|t| t.id == ticket.id),
        "{vendor}: searching {word:?} did not find ticket {} ({:?})",
        ticket.id,
        ticket.summary
    );
    assert!(
        listed.len() < all.len(),
        "{vendor}: searching {word:?} listed every ticket"
    );
    seen.push(Narrowed {
        filter: "text",
        value: word,
        expected: 1,
        listed: listed.len(),
    });
    seen
}

/// `limit(n)` on a listing: the first `n` tickets of the unlimited listing,
/// in the same order, all of them when there are fewer; and a listing
/// limited to one ticket costs one request (after the client's first call
/// has fetched its token and look-ups). Returns the unlimited count.
///
/// # Panics
/// When a listing fails, returns other tickets than the unlimited
/// listing's first `n`, or a one-ticket listing sends more than one request.
pub async fn limits_stop_early(psa: &dyn Psa, requests: &dyn Fn() -> u64) -> usize {
    let vendor = psa.vendor();
    let all = collect(
        vendor,
        "list every ticket",
        psa.list_tickets(TicketQuery::any()),
    )
    .await;
    let ids = |v: &[Ticket]| v.iter().map(|t| t.id.clone()).collect::<Vec<_>>();
    for n in [1, 3, all.len(), all.len() + 5] {
        let before = requests();
        let limited = collect(
            vendor,
            "list with a limit",
            psa.list_tickets(TicketQuery::any().limit(n as u64)),
        )
        .await;
        let sent = requests() - before;
        assert_eq!(
            ids(&limited),
            ids(&all[..n.min(all.len())]),
            "{vendor}: limit({n}) is not the first {n} of the unlimited listing"
        );
        if n == 1 {
            assert_eq!(sent, 1, "{vendor}: limit(1) sent {sent} requests");
        }
    }
    all.len()
}

/// What [`finds_a_caller`] searched with.
#[derive(Debug, Clone)]
pub struct CallerSearch {
    /// The contact searched for.
    pub contact: Id,
    /// The email, as typed (upper case).
    pub email: String,
    /// The phone number, as typed (its digits regrouped).
    pub phone: String,
    /// Contacts found by email and by phone.
    pub found: (usize, usize),
}

fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

/// The voice agent's other two ways to find a caller: by email typed in
/// another case, and by the caller id's number formatted differently from
/// the stored one. Both find the contact; every contact the email search
/// returns has that email, and every contact the phone search returns has
/// a phone or mobile number ending in the same last four digits.
///
/// # Panics
/// When a search fails, misses the contact or returns a contact that does
/// not match.
pub async fn finds_a_caller(psa: &dyn Psa) -> CallerSearch {
    let vendor = psa.vendor();
    let contact = contact_where(psa, 50, "has a contact with an email and a phone", |c| {
        c.email.as_deref().is_some_and(|e| e.contains('@'))
            && c.phone.as_deref().is_some_and(|p| digits(p).len() >= 7)
    })
    .await;
    let email = contact.email.clone().unwrap_or_default().to_uppercase();
    // The same digits, grouped in threes with spaces and a leading "+":
    // not how any simulator stores them.
    let stored = digits(contact.phone.as_deref().unwrap_or_default());
    let grouped: Vec<String> = stored
        .as_bytes()
        .chunks(3)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect();
    let phone = format!("+{}", grouped.join(" "));

    let by_email = collect(
        vendor,
        "find a contact by email",
        psa.search_contacts(ContactQuery::email(email.clone())),
    )
    .await;
    assert_found(
        vendor,
        &format!("searching {email:?}"),
        &by_email,
        |c| &c.id,
        &contact.id,
        |c| {
            (!c.email
                .as_deref()
                .is_some_and(|e| e.eq_ignore_ascii_case(&email)))
            .then(|| format!("a contact with email {:?}", c.email))
        },
    );

    let by_phone = collect(
        vendor,
        "find a contact by phone",
        psa.search_contacts(ContactQuery::phone(phone.clone())),
    )
    .await;
    let tail = &stored[stored.len() - 4..];
    assert_found(
        vendor,
        &format!("searching {phone:?} (stored {:?})", contact.phone),
        &by_phone,
        |c| &c.id,
        &contact.id,
        |c| {
            let numbers = [c.phone.as_deref(), c.mobile.as_deref()];
            (!numbers.iter().flatten().any(|n| digits(n).ends_with(tail)))
                .then(|| format!("a contact with {numbers:?}"))
        },
    );
    CallerSearch {
        contact: contact.id,
        email,
        phone,
        found: (by_email.len(), by_phone.len()),
    }
}

/// What [`companies_by_name`] saw: active companies, all companies, and
/// how many a word of one name found.
#[derive(Debug, Clone)]
pub struct CompanySearch {
    /// Active companies listed.
    pub active: usize,
    /// Companies listed with `include_inactive`.
    pub all: usize,
    /// The word searched for (in lower case).
    pub word: String,
    /// Companies it found.
    pub found: usize,
}

/// Company search: the default listing holds no inactive company and is a
/// subset of the listing with `include_inactive`; a word of a company's
/// name, in lower case, finds that company, and every company it finds has
/// the word in its name (any case).
///
/// # Panics
/// When a search fails or returns a company that does not match.
pub async fn companies_by_name(psa: &dyn Psa) -> CompanySearch {
    let vendor = psa.vendor();
    let active = collect(
        vendor,
        "list active companies",
        psa.search_companies(CompanyQuery::all()),
    )
    .await;
    let all = collect(
        vendor,
        "list every company",
        psa.search_companies(CompanyQuery::all().include_inactive()),
    )
    .await;
    for c in &active {
        assert_ne!(
            c.active,
            Some(false),
            "{vendor}: company {} is inactive but listed without include_inactive",
            c.id
        );
        assert!(
            all.iter().any(|a| a.id == c.id),
            "{vendor}: company {} is missing when inactive ones are included",
            c.id
        );
    }
    if all.iter().any(|c| c.active == Some(false)) {
        assert!(
            all.len() > active.len(),
            "{vendor}: include_inactive added nothing"
        );
    }
    let (company, word) = active
        .iter()
        .find_map(|c| longest_word(&c.name, 4).map(|w| (c, w.to_lowercase())))
        .unwrap_or_else(|| panic!("{vendor}: no company name has a word of 4 letters"));
    let found = collect(
        vendor,
        "find a company by a word of its name",
        psa.search_companies(CompanyQuery::name(word.clone())),
    )
    .await;
    assert_found(
        vendor,
        &format!("searching {word:?} (from {:?})", company.name),
        &found,
        |c| &c.id,
        &company.id,
        |c| {
            (!c.name.to_lowercase().contains(&word))
                .then(|| format!("a company named {:?}", c.name))
        },
    );
    CompanySearch {
        active: active.len(),
        all: all.len(),
        word,
        found: found.len(),
    }
}

/// A dispatch bot's webhook handler: a delivery of an update to an open
/// ticket, as the vendor sends it, parses to events of that ticket whose id
/// `get_ticket` reads back; the same body without credentials is a
/// `Webhook` error.
///
/// # Panics
/// When parsing fails, names another ticket, or accepts the unauthenticated
/// delivery.
pub async fn webhook_names_a_readable_ticket(sim: &crate::Sim) -> Id {
    let psa = sim.psa();
    let vendor = psa.vendor();
    let ticket = open_ticket(psa.as_ref()).await;
    let ticket = must(vendor, "read the ticket", psa.get_ticket(&ticket.id)).await;
    let (hooked, delivery) = sim.ticket_delivery(&ticket).await;
    let events = must(vendor, "parse a delivery", hooked.parse_webhook(&delivery)).await;
    assert!(!events.is_empty(), "{vendor}: a delivery gave no event");
    for e in &events {
        assert_eq!(
            e.ticket, ticket.id,
            "{vendor}: the event names another ticket"
        );
    }
    let read = must(
        vendor,
        "read the event's ticket",
        hooked.get_ticket(&events[0].ticket),
    )
    .await;
    assert_eq!(
        read.summary, ticket.summary,
        "{vendor}: another ticket read"
    );

    let unsigned = WebhookDelivery::new(http::HeaderMap::new(), delivery.body.clone());
    match hooked.parse_webhook(&unsigned).await {
        Err(e) if e.is_webhook() => {}
        other => panic!("{vendor}: a delivery without credentials gave {other:?}"),
    }
    ticket.id
}
