//! Issue 11, hostile caller input: every input type's builders,
//! `validate()`, `written_fields()` and JSON round trip, fed extreme dates,
//! durations, numbers and huge, empty, blank and control-character text
//! from a seeded generator. Nothing may panic; every refusal is an
//! `InvalidInput`; and what `validate()` accepts is sane (visible text,
//! dates a vendor stores, an end that exists, a plain raw path).
#![allow(clippy::unwrap_used)]

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::Duration;

use chrono::{DateTime, Datelike, TimeDelta, TimeZone, Utc};
use http::Method;
use psa_core::input::{self, has_visible};
use psa_core::model::validate_custom_fields;
use psa_core::{
    CompanyQuery, ConfigurationPatch, ConfigurationQuery, ContactPatch, ContactQuery,
    CustomFieldDef, CustomFieldEntity, CustomFieldKind, Id, KbQuery, NewAttachment,
    NewConfiguration, NewContact, NewLineItem, NewNote, NewScheduleEntry, NewTicket, NewTimeEntry,
    NewWebhook, ProductQuery, RawRequest, Resolution, Result, ScheduleEntryPatch, ScheduleQuery,
    TicketPatch, TicketQuery, TimeEntryPatch, TimeEntryQuery, Timestamp, WorkSpan, phone,
};
use rand::rngs::StdRng;
use rand::{Rng as _, SeedableRng as _};
use serde::Serialize;
use serde::de::DeserializeOwned;

const ROUNDS: usize = 2_000;

/// Pieces of text an agent (or an attacker through one) may send.
const PIECES: &[&str] = &[
    "",
    " ",
    "\n",
    "\t",
    "\r\n",
    "\0",
    "\u{7}",
    "\u{1b}[31m",
    "\u{7f}",
    "\u{85}",
    "\u{200b}",
    "\u{202e}",
    "\u{feff}",
    "\u{3000}",
    "é",
    "漢",
    "🖨",
    "\u{1F468}\u{200D}\u{1F4BB}",
    "a",
    "Printer",
    "0",
    "-1",
    "1e400",
    "NaN",
    "'",
    "\"",
    "\\",
    "/",
    "../",
    "..\\",
    "%2e%2e%2f",
    "%252e",
    "．．",
    "..;",
    ";",
    "?",
    "#",
    "^OR",
    "^NQactive=false",
    "<script>",
    "javascript:",
    "${jndi:x}",
    "%",
    "*",
    "@",
    "+61 2 9999 0000",
    "x12",
    "ext.",
    "INC0010001",
    "T20261203.0001",
    "\u{d7ff}",
];

fn hostile_text(rng: &mut StdRng) -> String {
    match rng.random_range(0..60) {
        // Huge: past every limit (the limits must not read it all).
        0 => PIECES[rng.random_range(0..PIECES.len())].repeat(rng.random_range(2_000..40_000)),
        1 => String::new(),
        _ => {
            let n = rng.random_range(1..=8);
            (0..n)
                .map(|_| PIECES[rng.random_range(0..PIECES.len())])
                .collect()
        }
    }
}

fn opt_text(rng: &mut StdRng) -> Option<String> {
    rng.random_bool(0.7).then(|| hostile_text(rng))
}

fn hostile_date(rng: &mut StdRng) -> DateTime<Utc> {
    let min = DateTime::<Utc>::MIN_UTC;
    let max = DateTime::<Utc>::MAX_UTC;
    match rng.random_range(0..12) {
        0 => min,
        1 => max,
        2 => max - TimeDelta::seconds(rng.random_range(0..90_000)),
        3 => min + TimeDelta::seconds(rng.random_range(0..90_000)),
        4 => DateTime::UNIX_EPOCH - TimeDelta::seconds(rng.random_range(0..3)),
        5 => {
            Utc.with_ymd_and_hms(2199, 12, 31, 23, 0, 0).unwrap()
                + TimeDelta::seconds(rng.random_range(0..7200))
        }
        6 => Utc.with_ymd_and_hms(1900, 1, 1, 0, 0, 0).unwrap(),
        7 => {
            let secs = rng.random_range(min.timestamp()..=max.timestamp());
            DateTime::from_timestamp(secs, 0).unwrap_or(max)
        }
        _ => {
            let secs = rng.random_range(1_700_000_000..1_900_000_000);
            DateTime::from_timestamp(secs, rng.random_range(0..1_000_000_000)).unwrap()
        }
    }
}

fn hostile_duration(rng: &mut StdRng) -> Duration {
    match rng.random_range(0..9) {
        0 => Duration::ZERO,
        1 => Duration::from_nanos(1),
        2 => Duration::MAX,
        3 => Duration::from_secs(u64::MAX),
        4 => Duration::from_secs(u64::try_from(i64::MAX).unwrap() + 1),
        5 => Duration::from_secs(24 * 3600),
        6 => Duration::from_secs(24 * 3600 + 1),
        _ => Duration::from_secs(rng.random_range(1..100_000)),
    }
}

fn hostile_f64(rng: &mut StdRng) -> f64 {
    const SPECIAL: [f64; 9] = [
        f64::NAN,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::MAX,
        f64::MIN,
        f64::MIN_POSITIVE,
        -0.0,
        0.0,
        -1.0,
    ];
    if rng.random_bool(0.5) {
        SPECIAL[rng.random_range(0..SPECIAL.len())]
    } else {
        rng.random_range(-1e6..1e6)
    }
}

fn id(rng: &mut StdRng) -> Id {
    match rng.random_range(0..4) {
        0 => Id::from(i64::MIN),
        1 => Id::from(0),
        2 => Id::text("incident:9d385017c611228701d22104cc95c371").unwrap(),
        _ => Id::from(rng.random_range(1..1_000_000)),
    }
}

/// A `validate()` result: a refusal must be `InvalidInput`.
#[track_caller]
fn checked(what: &str, r: Result<()>) -> bool {
    match r {
        Ok(()) => true,
        Err(e) => {
            assert!(
                e.is_invalid_input(),
                "{what}: refused with {:?}: {e}",
                e.kind()
            );
            assert!(
                e.message().len() < 2_000,
                "{what}: the error echoes too much"
            );
            false
        }
    }
}

/// Serialises and deserialises `value`: neither may panic, and what was
/// written reads back.
fn round_trip<T: Serialize + DeserializeOwned>(value: &T) {
    let json = serde_json::to_value(value).unwrap();
    let _: T = serde_json::from_value(json).unwrap();
}

fn sane_date(t: DateTime<Utc>) -> bool {
    (input::MIN_YEAR..=input::MAX_YEAR).contains(&t.year())
}

fn sane_text(t: &str) -> bool {
    has_visible(t)
        && !t
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
}

fn tickets(rng: &mut StdRng) {
    let mut t = NewTicket::new(hostile_text(rng), id(rng));
    if let Some(d) = opt_text(rng) {
        t = t.description(d);
    }
    t = t.custom_field(hostile_text(rng), hostile_text(rng));
    if checked("NewTicket", t.validate()) {
        assert!(
            sane_text(&t.summary) && !t.summary.contains('\n'),
            "{:?}",
            t.summary
        );
        assert!(t.summary.chars().count() <= NewTicket::MAX_SUMMARY);
    }
    let _ = t.written_fields();
    round_trip(&t);

    let mut p = TicketPatch::new();
    if let Some(s) = opt_text(rng) {
        p = p.summary(s);
    }
    if let Some(d) = opt_text(rng) {
        p = p.description(d);
    }
    if rng.random_bool(0.5) {
        let mut r = Resolution::new(hostile_text(rng));
        if let Some(c) = opt_text(rng) {
            r = r.code(c);
        }
        if checked("Resolution", r.validate()) {
            assert!(sane_text(&r.notes), "{:?}", r.notes);
        }
        p = p.resolution(r);
    }
    if rng.random_bool(0.3) {
        p = p.unassign();
    }
    if checked("TicketPatch", p.validate()) {
        if let Some(r) = &p.resolution {
            assert!(sane_text(&r.notes));
        }
        if let Some(s) = &p.summary {
            assert!(sane_text(s));
        }
    }
    let _ = p.written_fields();
    round_trip(&p);

    let mut q = TicketQuery::any().created_since(hostile_date(rng));
    if let Some(text) = opt_text(rng) {
        q = q.text(text);
    }
    if let Some(n) = opt_text(rng) {
        q = q.number(n);
    }
    if checked("TicketQuery", q.validate()) {
        assert!(q.text.as_deref().is_none_or(has_visible), "{:?}", q.text);
        assert!(q.created_since.is_none_or(sane_date));
        let n = q.number_filter().unwrap();
        assert!(n.is_none_or(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_graphic())));
    }
    round_trip(&q);
}

fn notes(rng: &mut StdRng) {
    let body = hostile_text(rng);
    for n in [
        NewNote::internal(body.clone()),
        NewNote::customer(body.clone()).notify(rng.random_bool(0.5)),
        NewNote::resolution(body.clone()),
    ] {
        if checked("NewNote", n.validate()) {
            assert!(sane_text(&n.body), "{:?}", n.body);
        }
        let _ = n.written_fields();
        round_trip(&n);
    }
}

fn time(rng: &mut StdRng) {
    let start = hostile_date(rng);
    let entry = if rng.random_bool(0.5) {
        NewTimeEntry::new(id(rng), start, hostile_duration(rng))
    } else {
        NewTimeEntry::between(id(rng), start, hostile_date(rng))
    };
    let entry = match opt_text(rng) {
        Some(n) => entry.note(n),
        None => entry,
    };
    if checked("NewTimeEntry", entry.validate()) {
        let end = entry.span.end_from(entry.start).unwrap();
        assert!(sane_date(entry.start) && sane_date(end) && end > entry.start);
    }
    // Whatever `validate` said, the span arithmetic answers, never panics.
    let _ = entry.span.end_from(entry.start);
    let _ = entry.span.duration_from(entry.start);
    let _ = entry.written_fields();
    round_trip(&entry);

    let mut tp = TimeEntryPatch::new();
    if rng.random_bool(0.5) {
        tp = tp.start(hostile_date(rng));
    }
    tp = match rng.random_range(0..3) {
        0 => tp.duration(hostile_duration(rng)),
        1 => tp.end(hostile_date(rng)),
        _ => tp,
    };
    if let Some(n) = opt_text(rng) {
        tp = tp.note(n);
    }
    if checked("TimeEntryPatch", tp.validate()) {
        assert!(tp.start.is_none_or(sane_date));
        if let Some(WorkSpan::Until(end)) = tp.span {
            assert!(sane_date(end));
        }
    }
    round_trip(&tp);
    let tq = TimeEntryQuery::between(hostile_date(rng), hostile_date(rng));
    if checked("TimeEntryQuery", tq.validate()) {
        assert!(tq.from.is_some_and(sane_date) && tq.to.is_some_and(sane_date));
    }
}

fn parties(rng: &mut StdRng) {
    let cq = CompanyQuery::name(hostile_text(rng));
    if checked("CompanyQuery", cq.validate()) {
        assert!(cq.name.as_deref().is_some_and(has_visible));
    }
    let kq = match rng.random_range(0..3) {
        0 => ContactQuery::name(hostile_text(rng)),
        1 => ContactQuery::email(hostile_text(rng)),
        _ => ContactQuery::phone(hostile_text(rng)),
    };
    if checked("ContactQuery", kq.validate()) {
        for v in [&kq.name, &kq.email, &kq.phone].into_iter().flatten() {
            assert!(has_visible(v), "{v:?}");
        }
    }
    let _ = kq.phone_digits();
    let mut nc = NewContact::new(id(rng), hostile_text(rng));
    if let Some(v) = opt_text(rng) {
        nc = nc.last_name(v);
    }
    if let Some(v) = opt_text(rng) {
        nc = nc.email(v);
    }
    if let Some(v) = opt_text(rng) {
        nc = nc.phone(v);
    }
    if checked("NewContact", nc.validate()) {
        assert!(sane_text(&nc.first_name));
    }
    round_trip(&nc);
    let mut cp = ContactPatch::new();
    if let Some(v) = opt_text(rng) {
        cp = cp.first_name(v);
    }
    if let Some(v) = opt_text(rng) {
        cp = cp.email(v);
    }
    checked("ContactPatch", cp.validate());
}

fn configurations(rng: &mut StdRng) {
    let gq = ConfigurationQuery::name(hostile_text(rng));
    if checked("ConfigurationQuery", gq.validate()) {
        assert!(gq.name.as_deref().is_some_and(has_visible));
    }
    let mut nconf = NewConfiguration::new(id(rng), hostile_text(rng));
    if let Some(v) = opt_text(rng) {
        nconf = nconf.serial_number(v);
    }
    nconf = nconf.custom_field(hostile_text(rng), 1);
    checked("NewConfiguration", nconf.validate());
    round_trip(&nconf);
    let mut confp = ConfigurationPatch::new();
    if let Some(v) = opt_text(rng) {
        confp = confp.name(v);
    }
    checked("ConfigurationPatch", confp.validate());
}

fn schedule(rng: &mut StdRng) {
    let sq = ScheduleQuery::between(hostile_date(rng), hostile_date(rng));
    if checked("ScheduleQuery", sq.validate()) {
        assert!(sane_date(sq.from) && sane_date(sq.to) && sq.from < sq.to);
    }
    let mut se = NewScheduleEntry::new(id(rng), hostile_date(rng), hostile_date(rng));
    if let Some(v) = opt_text(rng) {
        se = se.subject(v);
    }
    if let Some(v) = opt_text(rng) {
        se = se.note(v);
    }
    if checked("NewScheduleEntry", se.validate()) {
        assert!(sane_date(se.start) && sane_date(se.end));
    }
    round_trip(&se);
    let mut sp = ScheduleEntryPatch::new().start(hostile_date(rng));
    if let Some(v) = opt_text(rng) {
        sp = sp.subject(v);
    }
    checked("ScheduleEntryPatch", sp.validate());
}

fn catalog(rng: &mut StdRng) {
    let pq = ProductQuery::text(hostile_text(rng));
    if checked("ProductQuery", pq.validate()) {
        assert!(pq.text.as_deref().is_some_and(has_visible));
    }
    let kb = KbQuery::text(hostile_text(rng));
    if checked("KbQuery", kb.validate()) {
        assert!(kb.text.as_deref().is_some_and(has_visible));
    }
    let mut li = NewLineItem::new(id(rng), hostile_f64(rng)).price(hostile_f64(rng));
    if let Some(v) = opt_text(rng) {
        li = li.description(v);
    }
    if checked("NewLineItem", li.validate()) {
        assert!(li.quantity.is_finite() && li.quantity > 0.0);
    }
}

fn files_hooks_fields(rng: &mut StdRng) {
    let att = NewAttachment::new(hostile_text(rng), hostile_text(rng), hostile_text(rng));
    if checked("NewAttachment", att.validate()) {
        assert!(!att.file_name.contains(['/', '\\']) && !att.is_empty());
    }
    if let Ok(url) = url::Url::parse(&format!("https://h.example/{}", hostile_text(rng))) {
        let hook = NewWebhook::new(hostile_text(rng), url);
        checked("NewWebhook", hook.validate());
        let _ = format!("{hook:?}");
    }
    let def = CustomFieldDef::new(
        hostile_text(rng),
        CustomFieldEntity::Ticket,
        CustomFieldKind::Text,
    )
    .max_length(rng.random_range(0..300));
    checked(
        "CustomFieldDef::check",
        def.check(&hostile_text(rng).into()),
    );
    let fields = [(hostile_text(rng), hostile_text(rng))]
        .into_iter()
        .collect();
    checked(
        "validate_custom_fields",
        validate_custom_fields(&[def], CustomFieldEntity::Ticket, &fields),
    );
}

fn raw_requests(rng: &mut StdRng) {
    let methods = [Method::GET, Method::POST, Method::TRACE, Method::CONNECT];
    let raw = RawRequest::new(
        methods[rng.random_range(0..methods.len())].clone(),
        hostile_text(rng),
    )
    .query(hostile_text(rng), hostile_text(rng));
    if checked("RawRequest", raw.validate()) {
        let path = raw.checked_path().unwrap();
        assert!(
            path.is_ascii() && !path.contains(['%', '\\', ';']),
            "{path:?}"
        );
        assert!(
            path.split('/')
                .all(|s| s.is_empty() || s.bytes().any(|b| b != b'.')),
            "{path:?}"
        );
        assert!(raw.method != Method::TRACE && raw.method != Method::CONNECT);
    }
    checked(
        "RawRequest::validate_methods",
        raw.validate_methods(&[Method::GET]),
    );
    round_trip(&raw);
}

fn parsers(rng: &mut StdRng) {
    let text = hostile_text(rng);
    let _ = input::ticket_number(&text);
    let _ = Id::text(&text);
    let _ = Timestamp::parse(&text);
    let _ = phone::Phone::parse(&text).map(|p| p.e164(Some(phone::CountryCode::AU)));
    let _ = phone::same_number(&text, &hostile_text(rng), None);
    let _ = phone::search_tail(&text);
}

fn one_round(rng: &mut StdRng) {
    tickets(rng);
    notes(rng);
    time(rng);
    parties(rng);
    configurations(rng);
    schedule(rng);
    catalog(rng);
    files_hooks_fields(rng);
    raw_requests(rng);
    parsers(rng);
}

#[test]
fn hostile_input_never_panics_and_is_refused_as_invalid_input() {
    let mut rng = StdRng::seed_from_u64(0x1b87_3593_cc9e_2d51);
    for round in 0..ROUNDS {
        // Each round draws from the one generator: a failure names the
        // round, and the seed replays it.
        let outcome = catch_unwind(AssertUnwindSafe(|| one_round(&mut rng)));
        if let Err(panic) = outcome {
            let msg = panic
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| panic.downcast_ref::<&str>().copied())
                .unwrap_or("?");
            panic!(
                "round {round}: {}",
                msg.chars().take(2_000).collect::<String>()
            );
        }
    }
}

/// The reported overflow: a start near chrono's maximum used to panic in
/// `NewTimeEntry::validate` (`DateTime + TimeDelta overflowed`).
#[test]
fn a_time_entry_at_the_end_of_time_is_invalid_input_not_a_panic() {
    let near_max = DateTime::<Utc>::MAX_UTC - TimeDelta::seconds(1);
    for entry in [
        NewTimeEntry::new(Id::from(1), near_max, Duration::from_secs(3600)),
        NewTimeEntry::new(
            Id::from(1),
            DateTime::<Utc>::MAX_UTC,
            Duration::from_secs(1),
        ),
        NewTimeEntry::new(Id::from(1), DateTime::<Utc>::MIN_UTC, Duration::MAX),
    ] {
        let e = entry.validate().unwrap_err();
        assert!(e.is_invalid_input(), "{e}");
        assert!(
            entry
                .span
                .end_from(entry.start)
                .unwrap_err()
                .is_invalid_input()
        );
    }
    let e = NewTimeEntry::between(Id::from(1), DateTime::<Utc>::MIN_UTC, near_max)
        .validate()
        .unwrap_err();
    assert!(e.is_invalid_input(), "{e}");
    // Dates a vendor would get from a typo are refused too.
    let y2300 = Utc.with_ymd_and_hms(2300, 1, 1, 9, 0, 0).unwrap();
    let y1960 = Utc.with_ymd_and_hms(1960, 1, 1, 9, 0, 0).unwrap();
    for start in [y2300, y1960] {
        let e = NewTimeEntry::new(Id::from(1), start, Duration::from_secs(60))
            .validate()
            .unwrap_err();
        assert!(
            e.to_string().contains("outside the years 1970 to 2199"),
            "{e}"
        );
    }
    // The last hour of 2199 may not spill into 2200.
    let late = Utc.with_ymd_and_hms(2199, 12, 31, 23, 30, 0).unwrap();
    assert!(
        NewTimeEntry::new(Id::from(1), late, Duration::from_secs(3600))
            .validate()
            .is_err()
    );
}

/// Whitespace-only search text is an error on every query type, never
/// "no filter".
#[test]
fn blank_search_text_is_refused_by_every_query() {
    for blank in ["\n", "\t", " ", "", "\0", "\u{200b}"] {
        let results = [
            TicketQuery::open().text(blank).validate(),
            CompanyQuery::name(blank).validate(),
            ContactQuery::name(blank).validate(),
            ContactQuery::email(blank).validate(),
            ConfigurationQuery::name(blank).validate(),
            KbQuery::text(blank).validate(),
            ProductQuery::text(blank).validate(),
        ];
        for (i, r) in results.into_iter().enumerate() {
            assert!(
                r.unwrap_err().is_invalid_input(),
                "query {i} with {blank:?}"
            );
        }
    }
}

/// NUL-only, control-only and whitespace-only free text is refused where
/// text must say something.
#[test]
fn blank_free_text_is_refused() {
    for blank in ["\0", "\0\0\0", "\u{1}\u{2}", " \t\n", "\r\n", "\u{feff}"] {
        assert!(NewNote::internal(blank).validate().is_err(), "{blank:?}");
        assert!(NewNote::customer(blank).validate().is_err(), "{blank:?}");
        assert!(NewTicket::new(blank, Id::from(1)).validate().is_err());
        assert!(TicketPatch::new().summary(blank).validate().is_err());
        assert!(Resolution::new(blank).validate().is_err());
        assert!(
            TicketPatch::new()
                .resolution(Resolution::new(blank))
                .validate()
                .is_err()
        );
    }
    // A NUL inside otherwise good text is refused too: vendors truncate at it.
    assert!(NewNote::internal("done\0 (and more)").validate().is_err());
    assert!(
        NewNote::internal("line one\r\n\tline two")
            .validate()
            .is_ok()
    );
}
