//! The fuzz targets' bodies (`psa_conformance::fuzzing`), run on stable on
//! every CI run: each vendor's recorded fixtures, their single records, and
//! a few thousand deterministic mutations of them (bytes flipped, cut,
//! spliced; JSON leaves swapped for values of the wrong type, huge numbers,
//! odd dates, deep nesting). cargo-fuzz (`fuzz/`, nightly) explores far
//! more; this keeps the targets compiling and their easy cases covered.

use psa_conformance::fuzzing;
use serde_json::{Value, json};

/// splitmix64: a fixed seed, so a failure reproduces.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % (n.max(1) as u64)).unwrap_or(0)
    }
}

/// The vendors' recorded fixtures, and each record of those that hold a
/// list (a page envelope or a bare array), as JSON values.
fn fixtures(dirs: &[&str]) -> Vec<Value> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut out = Vec::new();
    for dir in dirs {
        let mut files: Vec<_> = std::fs::read_dir(root.join(dir).join("tests/fixtures"))
            .unwrap_or_else(|e| panic!("{dir}/tests/fixtures: {e}"))
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect();
        files.sort();
        for f in files {
            let text =
                std::fs::read_to_string(&f).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
            let v: Value =
                serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
            let lists: Vec<Value> = match &v {
                Value::Array(a) => a.clone(),
                Value::Object(o) => o
                    .values()
                    .filter_map(Value::as_array)
                    .flatten()
                    .cloned()
                    .collect(),
                _ => Vec::new(),
            };
            out.push(v);
            out.extend(lists.into_iter().filter(Value::is_object));
        }
    }
    out
}

const ODD: &[&str] = &[
    "null",
    "true",
    "-1",
    "0",
    "1e400",
    "-9223372036854775809",
    "18446744073709551616",
    "3.5",
    "\"\"",
    "\"x\"",
    "\"2026-13-45T99:99:99Z\"",
    "\"0000-00-00\"",
    "\"9999-12-31T23:59:59.999999999+14:00\"",
    "\"\\ud800\"",
    "\"\\ud83d\\ude00\"",
    // Deeper than serde_json's nesting limit of 128.
    "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
    "[]",
    "{}",
    "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
    "{\"id\":{\"id\":{\"id\":-1}}",
];

/// One leaf (or object member) of `v`, chosen at random, replaced by an
/// odd value.
fn mutate_json(v: &mut Value, rng: &mut Rng) {
    match v {
        Value::Object(o) if !o.is_empty() && rng.below(4) != 0 => {
            let i = rng.below(o.len());
            let key = o.keys().nth(i).cloned().unwrap_or_default();
            if let Some(child) = o.get_mut(&key) {
                mutate_json(child, rng);
            }
        }
        Value::Array(a) if !a.is_empty() && rng.below(4) != 0 => {
            let i = rng.below(a.len());
            mutate_json(&mut a[i], rng);
        }
        _ => *v = serde_json::from_str(ODD[rng.below(ODD.len())]).unwrap_or(Value::Null),
    }
}

/// Byte-level damage: flip, cut, splice an odd token, duplicate a span.
fn mutate_bytes(b: &mut Vec<u8>, rng: &mut Rng) {
    if b.is_empty() {
        b.extend_from_slice(ODD[rng.below(ODD.len())].as_bytes());
        return;
    }
    let at = rng.below(b.len());
    match rng.below(4) {
        0 => b[at] ^= 1 << rng.below(8),
        1 => b.truncate(at),
        2 => {
            let tok = ODD[rng.below(ODD.len())].as_bytes();
            b.splice(at..at, tok.iter().copied());
        }
        _ => {
            let end = (at + rng.below(64)).min(b.len());
            let span = b[at..end].to_vec();
            b.splice(at..at, span);
        }
    }
}

/// Runs `target` on every seed and on `rounds` mutations of each.
fn exercise(seeds: &[Value], rounds: usize, target: fn(&[u8])) -> usize {
    let mut rng = Rng(0x05ee_d0ff_0220);
    let mut runs = 0;
    for seed in seeds {
        let bytes = serde_json::to_vec(seed).expect("a JSON value serialises");
        target(&bytes);
        runs += 1;
        for _ in 0..rounds {
            let mut v = seed.clone();
            mutate_json(&mut v, &mut rng);
            let mut b = serde_json::to_vec(&v).expect("a JSON value serialises");
            target(&b);
            mutate_bytes(&mut b, &mut rng);
            target(&b);
            runs += 2;
        }
    }
    runs
}

const VENDORS: &[&str] = &[
    "psa-halo",
    "psa-connectwise",
    "psa-autotask",
    "psa-servicenow",
];

#[test]
fn decode_ticket_never_panics() {
    let seeds = fixtures(VENDORS);
    assert!(seeds.len() > 80, "fixtures found: {}", seeds.len());
    let runs = exercise(&seeds, 40, fuzzing::decode_ticket);
    assert!(runs > 8_000);
}

#[test]
fn webhook_never_panics() {
    let mut seeds = fixtures(VENDORS);
    // A batch of deliveries and an empty one, as Halo can send.
    seeds.push(Value::Array(seeds.iter().take(3).cloned().collect()));
    seeds.push(json!({}));
    let runs = exercise(&seeds, 25, fuzzing::webhook);
    assert!(runs > 5_000);
}

#[test]
fn retry_after_is_capped_for_any_value() {
    let cases: &[&[u8]] = &[
        b"0",
        b"1",
        b"120",
        b"-1",
        b"1.5",
        b"99999999999999999999999999",
        b"18446744073709551615",
        b"Wed, 21 Oct 2015 07:28:00 GMT",
        b"Fri, 31 Dec 9999 23:59:59 GMT",
        b"Thu, 01 Jan 1970 00:00:00 GMT",
        b"Sunday, 06-Nov-94 08:49:37 GMT",
        b"Sun Nov  6 08:49:37 1994",
        b"",
        b" 5 ",
        b"5, 6",
        b"\xff\xfe",
    ];
    for c in cases {
        fuzzing::retry_after(c);
    }
    let mut rng = Rng(7);
    for _ in 0..5_000 {
        let len = rng.below(40);
        let bytes: Vec<u8> = (0..len)
            .map(|_| {
                // Mostly digits, letters, spaces and commas, as real values are.
                let pool = b"0123456789 ,:-GMTWedSunJanDec";
                if rng.below(8) == 0 {
                    u8::try_from(rng.below(256)).unwrap_or(0)
                } else {
                    pool[rng.below(pool.len())]
                }
            })
            .collect();
        fuzzing::retry_after(&bytes);
    }
}
