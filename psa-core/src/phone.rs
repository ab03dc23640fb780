//! Phone numbers as a voice agent meets them: a caller id in E.164
//! (`+61 2 9999 0000`) against what a technician typed into the PSA
//! (`(02) 9999 0000`, `02-9999-0000 ext 12`, `+44 (0)20 7946 0000`).
//!
//! Every vendor crate finds a contact by phone the same way: the vendor is
//! asked for the contacts whose number contains the caller's last digits
//! ([`search_tail`]), and each candidate is kept only when it is the same
//! number ([`same_number`]), formatting, trunk prefix, international prefix,
//! country code and extension aside.
//!
//! A number written without a country code is read in a *default country*
//! ([`CountryCode`]), configured on each vendor client for the tenant's
//! country. Without one, a national number is read in the country of the
//! international number it is compared with, so `+61 2 9999 0000` and
//! `(02) 9999 0000` match either way, and a number dialled after `00` is
//! international.
//!
//! Both sides of a comparison are read the same way, on every vendor: the
//! trunk prefix is dropped from national numbers and from international
//! ones that carry it (`+44 (0)20 …`, `+44 020 …`) — only in countries
//! where no number starts with it, so Italy's `+39 06 …` keeps its `0` —
//! and extensions (`x12`, `ext. 12`, `#12`, `;ext=12`, `,12`) are kept
//! apart from the line.
//!
//! Why no dependency: the `phonenumber` crate (libphonenumber's metadata)
//! would add a regex engine, a parser combinator and an XML reader to every
//! user's build for one comparison. What this needs of the numbering plan
//! is small and stable: the country calling codes (a prefix-free set, so a
//! code is read off the front of an E.164 number by its first digits), each
//! country's trunk prefix, and the international prefixes a number may be
//! dialled with.
//!
//! ```
//! use psa_core::phone::{CountryCode, Phone, same_number};
//!
//! assert!(same_number("+61 2 9999 0000", "(02) 9999 0000", None));
//! assert!(same_number("0011 61 2 9999 0000", "02 9999 0000 ext 12", Some(CountryCode::AU)));
//! assert!(same_number("+1 (555) 010-0123", "1-555-010-0123", Some(CountryCode::US)));
//! assert!(!same_number("+61 2 9999 0000", "+64 2 9999 0000", None));
//!
//! let p = Phone::parse("+44 (0)20 7946 0000 x204").unwrap();
//! assert_eq!(p.e164(None).as_deref(), Some("+442079460000"));
//! assert_eq!(p.extension(), Some("204"));
//! ```

use std::fmt;

/// A country calling code (`61` for Australia, `1` for the North American
/// numbering plan), the default country of numbers written without one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CountryCode(u16);

impl CountryCode {
    /// The North American numbering plan (United States, Canada, …).
    pub const US: CountryCode = CountryCode(1);
    /// Canada (the North American numbering plan).
    pub const CA: CountryCode = CountryCode(1);
    /// The United Kingdom.
    pub const GB: CountryCode = CountryCode(44);
    /// Ireland.
    pub const IE: CountryCode = CountryCode(353);
    /// Australia.
    pub const AU: CountryCode = CountryCode(61);
    /// New Zealand.
    pub const NZ: CountryCode = CountryCode(64);
    /// South Africa.
    pub const ZA: CountryCode = CountryCode(27);
    /// Germany.
    pub const DE: CountryCode = CountryCode(49);
    /// The Netherlands.
    pub const NL: CountryCode = CountryCode(31);
    /// France.
    pub const FR: CountryCode = CountryCode(33);

    /// A calling code, when it is one (1 to 3 digits, and its length is the
    /// one the numbering plan gives codes starting with those digits).
    ///
    /// ```
    /// use psa_core::phone::CountryCode;
    /// assert_eq!(CountryCode::new(61), Some(CountryCode::AU));
    /// assert!(CountryCode::new(6).is_none()); // codes starting with 6 have two digits or more
    /// assert!(CountryCode::new(1000).is_none());
    /// ```
    pub fn new(code: u16) -> Option<CountryCode> {
        let digits = code.to_string();
        (code > 0 && code_len(&digits) == Some(digits.len())).then_some(CountryCode(code))
    }

    /// The code (`61`).
    pub fn get(self) -> u16 {
        self.0
    }

    /// The prefix dialled before a national number inside the country and
    /// dropped in international form: `0` in most countries, `1` in the
    /// North American plan, `8` in Russia and Kazakhstan, `06` in Hungary,
    /// none where the leading digit belongs to the number (Italy, Spain,
    /// the Nordic countries, Singapore, …).
    pub fn trunk_prefix(self) -> &'static str {
        match self.0 {
            1 => "1",
            7 => "8",
            36 => "06",
            30 | 34 | 39 | 45 | 47 | 52 | 65 | 351 | 352 | 354 | 356 | 357 | 377 | 378 | 852
            | 853 | 965 | 968 | 973 | 974 => "",
            _ => "0",
        }
    }

    /// The prefixes dialled before a country code from inside the country:
    /// `00` almost everywhere, `011` in the North American plan, `0011` in
    /// Australia, `810` in Russia and Kazakhstan.
    fn international_prefixes(self) -> &'static [&'static str] {
        match self.0 {
            1 => &["011"],
            61 => &["0011", "00"],
            7 => &["810", "00"],
            _ => &["00"],
        }
    }
}

impl fmt::Display for CountryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "+{}", self.0)
    }
}

/// The two-digit calling codes; every other code starts with 1 or 7 (one
/// digit) or has three digits. The set is prefix-free, so the length of
/// the code at the front of an E.164 number follows from its first digits.
const TWO_DIGIT_CODES: &[&str] = &[
    "20", "27", "30", "31", "32", "33", "34", "36", "39", "40", "41", "43", "44", "45", "46", "47",
    "48", "49", "51", "52", "53", "54", "55", "56", "57", "58", "60", "61", "62", "63", "64", "65",
    "66", "81", "82", "84", "86", "90", "91", "92", "93", "94", "95", "98",
];

/// The length of the calling code at the front of `digits`.
fn code_len(digits: &str) -> Option<usize> {
    let first = digits.as_bytes().first()?;
    if matches!(first, b'1' | b'7') {
        return Some(1);
    }
    if *first == b'0' {
        return None;
    }
    let two = digits.get(..2)?;
    if TWO_DIGIT_CODES.contains(&two) {
        return Some(2);
    }
    digits.get(..3).map(|_| 3)
}

/// A phone number read from free text: its country code when it was
/// written in international form, its digits, and its extension.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phone {
    country: Option<CountryCode>,
    /// International form: the national significant number. National form:
    /// every digit as written, trunk prefix included.
    digits: String,
    extension: Option<String>,
}

/// The fewest digits a number may have (short internal numbers included).
const MIN_DIGITS: usize = 3;
/// E.164's limit: 15 digits, country code included.
const MAX_DIGITS: usize = 15;
/// The most digits a number written in national form may have: E.164's
/// 15 and the longest international prefix (`0011` from Australia).
const MAX_DIALLED_DIGITS: usize = MAX_DIGITS + 4;
/// The fewest digits of a national significant number.
const MIN_NSN: usize = 4;

/// The markers an extension is written after, in the order they are
/// looked for (a longer marker before the shorter one it contains).
const EXTENSION_MARKERS: [&str; 9] = [
    ";ext=",
    "extension",
    "extn.",
    "extn",
    "ext.",
    "ext",
    "x",
    "#",
    ",",
];

impl Phone {
    /// Reads `text`: `+` (or an international prefix: `00` always, and
    /// `011`, `0011` … with a default country) then the country code for
    /// international form; digits with any formatting (spaces, no-break
    /// spaces, dots, dashes of any width, slashes, parentheses — so a
    /// `(0)` trunk hint after the country code reads as the trunk digit it
    /// is, dropped where the country has a trunk prefix); a `tel:` prefix;
    /// and an extension after `x`, `ext`, `ext.`, `extn`, `extension`,
    /// `#`, `;ext=` or a dialling pause `,`. `None` when there are too few
    /// or too many digits, or letters other than an extension marker.
    ///
    /// ```
    /// use psa_core::phone::Phone;
    /// let p = Phone::parse("tel:+44-20-7946-0000;ext=204").unwrap();
    /// assert_eq!(p.e164(None).as_deref(), Some("+442079460000"));
    /// assert_eq!(p.extension(), Some("204"));
    /// ```
    pub fn parse(text: &str) -> Option<Phone> {
        let lower = text.trim().to_lowercase();
        let lower = lower.strip_prefix("tel:").unwrap_or(&lower);
        let (main, extension) = split_extension(lower);
        let main = main.trim();
        let international = main.starts_with('+');
        let mut digits = String::with_capacity(main.len());
        for c in main.chars() {
            match c {
                '0'..='9' => digits.push(c),
                // Formatting, with the no-break and narrow spaces, hyphens,
                // dashes of every width and minus sign word processors put in.
                ' '
                | '-'
                | '.'
                | '('
                | ')'
                | '/'
                | '\u{a0}'
                | '\u{2007}'
                | '\u{202f}'
                | '\u{2010}'..='\u{2015}'
                | '\u{2212}' => {}
                '+' if digits.is_empty() && international => {}
                _ => return None,
            }
            if digits.len() > MAX_DIALLED_DIGITS {
                return None;
            }
        }
        // Past E.164's 15 digits only after an international prefix (they
        // all start with 0, or 8 in Russia and Kazakhstan).
        let max = if !international && digits.starts_with(['0', '8']) {
            MAX_DIALLED_DIGITS
        } else {
            MAX_DIGITS
        };
        if !(MIN_DIGITS..=max).contains(&digits.len()) {
            return None;
        }
        let extension = match extension {
            Some(e) if e.is_empty() => None,
            Some(e) if e.chars().all(|c| c.is_ascii_digit()) => Some(e),
            Some(_) => return None,
            None => None,
        };
        if international {
            return Phone::international(&digits, extension);
        }
        Some(Phone {
            country: None,
            digits,
            extension,
        })
    }

    /// The number whose digits after `+` (or an international prefix) are
    /// `digits`: the country code read off the front, and a trunk prefix
    /// written after it (`+44 (0)20 …`, `+44 020 …`) dropped.
    fn international(digits: &str, extension: Option<String>) -> Option<Phone> {
        let n = code_len(digits)?;
        let code: u16 = digits.get(..n)?.parse().ok()?;
        let country = CountryCode(code);
        let nsn = strip_written_trunk(digits.get(n..)?, country);
        if nsn.len() < MIN_NSN {
            return None;
        }
        Some(Phone {
            country: Some(country),
            digits: nsn.to_owned(),
            extension,
        })
    }

    /// The country code, when the number was written in international form.
    pub fn country(&self) -> Option<CountryCode> {
        self.country
    }

    /// The extension, when one was written.
    pub fn extension(&self) -> Option<&str> {
        self.extension.as_deref()
    }

    /// The number read in `default` when it was written without a country
    /// code: an international prefix of that country (`0011 61 …` in
    /// Australia) or `00` makes it international, else its trunk prefix is
    /// dropped. A number with a country code is returned as it is.
    #[must_use]
    pub fn in_country(&self, default: CountryCode) -> Phone {
        if self.country.is_some() {
            return self.clone();
        }
        if let Some(p) = self.after_international_prefix(default.international_prefixes()) {
            return p;
        }
        Phone {
            country: Some(default),
            digits: strip_trunk(&self.digits, default).to_owned(),
            extension: self.extension.clone(),
        }
    }

    /// The number dialled after one of `prefixes`, when its digits start
    /// with one and a country code and a national number follow.
    fn after_international_prefix(&self, prefixes: &[&str]) -> Option<Phone> {
        prefixes.iter().find_map(|prefix| {
            let rest = self.digits.strip_prefix(prefix)?;
            (rest.len() <= MAX_DIGITS)
                .then(|| Phone::international(rest, self.extension.clone()))
                .flatten()
        })
    }

    /// The number with its country when it can be known: written with one,
    /// read in `default`, or — without a default — dialled after `00`, the
    /// international prefix of most of the world (a national number never
    /// starts with it).
    fn resolved(&self, default: Option<CountryCode>) -> Phone {
        match (self.country, default) {
            (Some(_), _) => self.clone(),
            (None, Some(d)) => self.in_country(d),
            (None, None) => self
                .after_international_prefix(&["00"])
                .unwrap_or_else(|| self.clone()),
        }
    }

    /// Whether the number, as far as it is resolved, has at most E.164's 15
    /// digits (country code included).
    fn fits_e164(&self) -> bool {
        let code = self.country.map_or(0, |c| c.0.to_string().len());
        code + self.digits.len() <= MAX_DIGITS
    }

    /// The E.164 form (`+61299990000`, no extension): with a country code,
    /// or read in `default`; `None` for a national number without a default
    /// (unless dialled after `00`), or past E.164's 15 digits.
    pub fn e164(&self, default: Option<CountryCode>) -> Option<String> {
        let p = self.resolved(default);
        let code = p.country?;
        p.fits_e164().then(|| format!("+{}{}", code.0, p.digits))
    }

    /// Whether `self` and `other` are the same line (extensions aside).
    /// National numbers are read in `default`, or, without one, in the
    /// country of the other number.
    pub fn same_line(&self, other: &Phone, default: Option<CountryCode>) -> bool {
        let (a, b) = (self.resolved(default), other.resolved(default));
        if !(a.fits_e164() && b.fits_e164()) {
            return false;
        }
        match (a.country, b.country) {
            (Some(x), Some(y)) => x == y && a.digits == b.digits,
            (Some(c), None) => strip_trunk(&b.digits, c) == a.digits,
            (None, Some(c)) => strip_trunk(&a.digits, c) == b.digits,
            (None, None) => a.digits.trim_start_matches('0') == b.digits.trim_start_matches('0'),
        }
    }
}

/// `digits` (a national number) without `country`'s trunk prefix.
fn strip_trunk(digits: &str, country: CountryCode) -> &str {
    let trunk = country.trunk_prefix();
    match digits.strip_prefix(trunk) {
        Some(rest) if !trunk.is_empty() && rest.len() >= MIN_NSN => rest,
        _ => digits,
    }
}

/// A national significant number written after the country code, without
/// a trunk prefix written into it (`+44 (0)20 …`, `+44 020 …`,
/// `+61 (02) …`). Only where no national number starts with the trunk
/// prefix: `0`, Hungary's `06`, North America's `1`; not Russia's and
/// Kazakhstan's `8` (`+7 800 …` is a number), nor where there is none
/// (Italy's `+39 06 …` keeps its `0`).
fn strip_written_trunk(nsn: &str, country: CountryCode) -> &str {
    let trunk = country.trunk_prefix();
    if trunk.is_empty() || trunk == "8" {
        return nsn;
    }
    strip_trunk(nsn, country)
}

/// Splits `text` (lower case) into the number and its extension.
fn split_extension(text: &str) -> (&str, Option<String>) {
    for marker in EXTENSION_MARKERS {
        if let Some(at) = text.find(marker) {
            let ext: String = text[at + marker.len()..]
                .chars()
                .filter(|c| !matches!(c, ' ' | '.' | ':' | ',' | '='))
                .collect();
            return (&text[..at], Some(ext));
        }
    }
    (text, None)
}

/// Whether two free-text numbers are the same line (see
/// [`Phone::same_line`]); `false` when either is not a phone number.
pub fn same_number(a: &str, b: &str, default: Option<CountryCode>) -> bool {
    match (Phone::parse(a), Phone::parse(b)) {
        (Some(a), Some(b)) => a.same_line(&b, default),
        _ => false,
    }
}

/// Whether a number `stored` in a PSA is the `caller`'s: [`same_number`],
/// or — when there is no `default` country to read a national number in —
/// a stored number written in international form without its `+`
/// (`61 2 9999 0000`; `5552010111` for a caller `+55 5201 0111`), whose
/// digits are the caller's country code and number. People type numbers
/// into PSA contact records that way; with a `default` country, a number
/// without `+` is national and only [`same_number`] applies.
///
/// ```
/// use psa_core::phone::{CountryCode, same_caller};
/// assert!(same_caller("61 2 9999 0000", "+61 2 9999 0000", None));
/// assert!(same_caller("(02) 9999 0000", "+61 2 9999 0000", None));
/// assert!(!same_caller("61 2 9999 0000", "+61 2 9999 0000", Some(CountryCode::US)));
/// assert!(!same_caller("61 2 9999 0001", "+61 2 9999 0000", None));
/// ```
pub fn same_caller(stored: &str, caller: &str, default: Option<CountryCode>) -> bool {
    let stored = stored.trim();
    same_number(stored, caller, default)
        || (default.is_none()
            && !stored.starts_with('+')
            && !stored.starts_with("00")
            && Phone::parse(caller).is_some_and(|c| c.country().is_some())
            && same_number(&format!("+{stored}"), caller, None))
}

/// How many trailing digits [`search_tail`] gives a vendor's "contains"
/// filter: few enough that formatting typed between digit groups rarely
/// splits them (`9999 0000` keeps `0000` whole), so the candidates are then
/// narrowed with [`same_number`].
pub const SEARCH_TAIL_DIGITS: usize = 4;

/// The digits a vendor-side "contains" filter looks for: the last
/// [`SEARCH_TAIL_DIGITS`] digits of the number (before any extension), or
/// `None` when `text` is not a phone number.
///
/// ```
/// use psa_core::phone::search_tail;
/// assert_eq!(search_tail("+61 2 9999 0123 ext 7").as_deref(), Some("0123"));
/// assert_eq!(search_tail("not a number"), None);
/// ```
pub fn search_tail(text: &str) -> Option<String> {
    let p = Phone::parse(text)?;
    let n = p.digits.len();
    Some(p.digits[n.saturating_sub(SEARCH_TAIL_DIGITS)..].to_owned())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn a_caller_matches_international_numbers_stored_without_plus() {
        assert!(!same_number("61 2 9999 0000", "+61 2 9999 0000", None));
        assert!(same_caller("61 2 9999 0000", "+61 2 9999 0000", None));
        assert!(same_caller("5552010111", "+555 201 011 1", None));
        assert!(same_caller(
            "44 20 7946 0018 ext 4",
            "+44 20 7946 0018",
            None
        ));
        // the plain rule still applies
        assert!(same_caller("(02) 9999 0000", "+61 2 9999 0000", None));
        assert!(same_caller("02 9999 0000", "+61 2 9999 0000", AU));
        // with a country, a number without `+` is national
        assert!(!same_caller(
            "5552010111",
            "+555 201 011 1",
            Some(CountryCode::US)
        ));
        // not the caller's
        assert!(!same_caller("61 2 9999 0001", "+61 2 9999 0000", None));
        assert!(!same_caller("64 2 9999 0000", "+61 2 9999 0000", None));
        assert!(!same_caller("+64 2 9999 0000", "+61 2 9999 0000", None));
        // a caller without a country code cannot be matched this way
        assert!(!same_caller("61 2 9999 0000", "02 9999 0000", None));
        assert!(!same_caller("not a number", "+61 2 9999 0000", None));
    }

    const AU: Option<CountryCode> = Some(CountryCode::AU);

    #[test]
    fn the_same_australian_line_in_every_form() {
        let forms = [
            "+61 2 9999 0000",
            "+61299990000",
            "+61 (0)2 9999 0000",
            "(02) 9999 0000",
            "02-9999-0000",
            "02 9999 0000 ext 12",
            "0011 61 2 9999 0000",
            "0061 2 9999 0000",
            "+61.2.9999.0000 x3",
        ];
        for a in forms {
            for b in forms {
                assert!(same_number(a, b, AU), "{a} ~ {b} in AU");
            }
            assert_eq!(
                Phone::parse(a).unwrap().e164(AU).as_deref(),
                Some("+61299990000"),
                "{a}"
            );
        }
        // Without a default, international forms still meet national ones.
        assert!(same_number("+61 2 9999 0000", "(02) 9999 0000", None));
        assert!(same_number("(02) 9999 0000", "+61 2 9999 0000", None));
    }

    #[test]
    fn different_lines_and_countries_differ() {
        assert!(!same_number("+61 2 9999 0000", "+64 2 9999 0000", None));
        assert!(!same_number("+61 2 9999 0000", "(02) 9999 0001", AU));
        assert!(!same_number("(02) 9999 0000", "(03) 9999 0000", AU));
        // A national number read in the US is not an Australian line.
        assert!(!same_number(
            "+61 2 9999 0000",
            "(02) 9999 0000",
            Some(CountryCode::US)
        ));
    }

    #[test]
    fn north_america_trunk_and_international_prefix() {
        let us = Some(CountryCode::US);
        for b in [
            "(555) 010-0123",
            "1-555-010-0123",
            "555.010.0123",
            "011 1 555 010 0123",
        ] {
            assert!(same_number("+1 555 010 0123", b, us), "{b}");
        }
        assert_eq!(
            Phone::parse("(555) 010-0123").unwrap().e164(us).as_deref(),
            Some("+15550100123")
        );
    }

    #[test]
    fn countries_without_a_trunk_prefix_keep_the_leading_zero() {
        let it = CountryCode::new(39);
        assert!(same_number("+39 06 1234 5678", "06 1234 5678", it));
        assert_eq!(
            Phone::parse("06 1234 5678").unwrap().e164(it).as_deref(),
            Some("+390612345678")
        );
        assert!(same_number(
            "+44 20 7946 0000",
            "020 7946 0000",
            Some(CountryCode::GB)
        ));
    }

    #[test]
    fn not_numbers() {
        for s in [
            "",
            "call me",
            "12",
            "+",
            "+0 123 4567",
            "555-0100 ext twelve",
            "1234567890123456",
        ] {
            assert!(Phone::parse(s).is_none(), "{s:?}");
            assert!(!same_number(s, s, AU), "{s:?}");
        }
        assert_eq!(Phone::parse("555 0100").unwrap().e164(None), None);
    }

    /// Issue 12: extensions however they are written, international,
    /// national and formatted forms alike.
    #[test]
    fn extensions_in_every_written_form() {
        for (text, ext) in [
            ("02 9999 0000 x12", "12"),
            ("02 9999 0000 X 12", "12"),
            ("02 9999 0000x12", "12"),
            ("02 9999 0000 ext. 12", "12"),
            ("02 9999 0000 Ext.12", "12"),
            ("02 9999 0000 ext 12", "12"),
            ("02 9999 0000 ext: 12", "12"),
            ("02 9999 0000 extn. 12", "12"),
            ("02 9999 0000 extension 12", "12"),
            ("02 9999 0000 #12", "12"),
            ("02 9999 0000#12", "12"),
            ("(02) 9999-0000 # 12", "12"),
            ("+61 2 9999 0000;ext=12", "12"),
            ("tel:+61-2-9999-0000;ext=12", "12"),
            ("+61 (0)2 9999 0000 x 12", "12"),
            ("02 9999 0000,12", "12"),
            ("02 9999 0000,,12", "12"),
        ] {
            let p = Phone::parse(text).unwrap_or_else(|| panic!("{text:?}"));
            assert_eq!(p.extension(), Some(ext), "{text:?}");
            assert_eq!(p.e164(AU).as_deref(), Some("+61299990000"), "{text:?}");
            assert!(same_number(text, "+61 2 9999 0000", AU), "{text:?}");
            assert!(same_number(text, "+61 2 9999 0000", None), "{text:?}");
        }
        // A marker with nothing after it is no extension.
        assert_eq!(Phone::parse("02 9999 0000 #").unwrap().extension(), None);
        // An extension must be digits.
        assert!(Phone::parse("02 9999 0000 ext twelve").is_none());
    }

    /// Issue 12: the `(0)` trunk hint after a country code, and a trunk
    /// digit written in international form, are dropped where the country
    /// has a trunk prefix — and kept where the digit belongs to the number.
    #[test]
    fn trunk_hints_are_handled_per_country() {
        let gb = Some(CountryCode::GB);
        for text in [
            "+44 (0)20 7946 0000",
            "+44 (0) 20 7946 0000",
            "+44(0)2079460000",
            "+44 020 7946 0000",
            "0044 (0)20 7946 0000",
            "0044 20 7946 0000",
            "020 7946 0000",
        ] {
            assert_eq!(
                Phone::parse(text).unwrap().e164(gb).as_deref(),
                Some("+442079460000"),
                "{text:?}"
            );
            assert!(same_number(text, "+44 20 7946 0000", gb), "{text:?}");
        }
        // Without a default country, `00` is read as the international prefix.
        assert!(same_number(
            "0044 (0)20 7946 0000",
            "+44 20 7946 0000",
            None
        ));
        assert_eq!(
            Phone::parse("0044 (0)20 7946 0000")
                .unwrap()
                .e164(None)
                .as_deref(),
            Some("+442079460000")
        );
        let de = CountryCode::new(49);
        assert!(same_number("+49 (0)30 1234567", "030 1234567", de));
        assert!(same_number("+49 (0)30 1234567", "+49 30 1234567", None));
        assert!(same_number("+61 (02) 9999 0000", "+61 2 9999 0000", None));
        // Italy dials its leading 0 from abroad too: never dropped.
        let it = CountryCode::new(39);
        assert_eq!(
            Phone::parse("+39 (0)6 1234 5678")
                .unwrap()
                .e164(it)
                .as_deref(),
            Some("+390612345678")
        );
        assert!(!same_number("+39 06 1234 5678", "+39 6 1234 5678", None));
        // Russia's trunk 8 begins national numbers too (+7 800 …): kept.
        assert_eq!(
            Phone::parse("+7 800 555 3535")
                .unwrap()
                .e164(None)
                .as_deref(),
            Some("+78005553535")
        );
        // North America: a duplicated trunk 1 is dropped.
        assert!(same_number(
            "+1 1 555 010 0123",
            "+1 555 010 0123",
            Some(CountryCode::US)
        ));
    }

    #[test]
    fn long_international_prefixes_fit() {
        // 0011 + 44 + 10 digits: 16 digits as dialled from Australia.
        let p = Phone::parse("0011 44 20 7946 0000").unwrap();
        assert_eq!(p.e164(AU).as_deref(), Some("+442079460000"));
        assert!(same_number("0011 44 20 7946 0000", "+44 20 7946 0000", AU));
        // Formatting people paste: dashes of every width, no-break spaces.
        assert!(same_number(
            "02\u{2013}9999\u{2013}0000",
            "+61 2 9999 0000",
            AU
        ));
        assert!(same_number(
            "02\u{a0}9999\u{202f}0000",
            "+61 2 9999 0000",
            AU
        ));
        // Still no more than E.164 allows.
        for long in ["0011 44 20 7946 0000 1234", "+44 20 7946 0000 1234"] {
            assert!(Phone::parse(long).is_none(), "{long}");
        }
        let p = Phone::parse("0044 20 7946 0000 1234").unwrap();
        assert_eq!(p.e164(None), None, "16 digits once read");
        assert!(!same_number(
            "0044 20 7946 0000 1234",
            "0044 20 7946 0000 1234",
            None
        ));
    }

    #[test]
    fn calling_codes_are_read_by_length() {
        for (text, code) in [
            ("+1 555 010 0123", 1),
            ("+7 495 123 4567", 7),
            ("+44 20 7946 0000", 44),
            ("+353 1 234 5678", 353),
            ("+886 2 1234 5678", 886),
        ] {
            assert_eq!(Phone::parse(text).unwrap().country().unwrap().get(), code);
        }
        assert!(CountryCode::new(44).is_some() && CountryCode::new(353).is_some());
        assert!(CountryCode::new(0).is_none() && CountryCode::new(35).is_none());
    }
}
