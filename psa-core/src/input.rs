//! Checks of caller input, shared by every uniform input's `validate()` and
//! by vendor crates' own typed inputs, so that all four vendors refuse the
//! same hostile value the same way — with an
//! [`InvalidInput`](crate::ErrorKind::InvalidInput) error naming the field,
//! before any request.
//!
//! An AI agent's tool call is the usual source of these values. What is
//! refused, and why:
//! - **text with nothing visible** — empty, whitespace only (`"\n"`,
//!   `"\t"`, `" "`), control characters only (`"\0"`), zero-width
//!   characters only: a note or summary nobody can read, and as search text
//!   it would silently mean "no filter";
//! - **control characters** other than tab, line feed and carriage return
//!   (in one-line text: any control character) — a NUL truncates the text
//!   in some vendors' stores and is refused by others;
//! - **text longer than its limit**, counted in characters;
//! - **dates outside [`MIN_YEAR`]`..=`[`MAX_YEAR`]** — chrono takes years up
//!   to ±262,143, vendors do not, and arithmetic near chrono's limits
//!   overflows.
//!
//! ```
//! use psa_core::input;
//! assert!(input::text("note body", "Restarted the spooler.\nFixed.", 100).is_ok());
//! for blank in ["", " ", "\n", "\t", "\0", "\u{200b}"] {
//!     let err = input::text("note body", blank, 100).unwrap_err();
//!     assert!(err.is_invalid_input() && err.to_string().contains("note body"));
//! }
//! assert!(input::line("ticket summary", "Printer\noffline", 100).is_err());
//! ```

use chrono::{DateTime, Datelike, Utc};

use crate::{Error, Result};

/// The earliest year of a date the SDK sends (dates before 1970 are a
/// caller's mistake: no PSA record predates it).
pub const MIN_YEAR: i32 = 1970;
/// The latest year of a date the SDK sends.
pub const MAX_YEAR: i32 = 2199;

/// The longest search text accepted (a name, a phrase — not a document).
pub const MAX_SEARCH_TEXT: usize = 255;

/// The longest ticket number accepted ([`ticket_number`]).
pub const MAX_TICKET_NUMBER: usize = 40;

/// Characters that render as nothing: zero-width spaces and joiners,
/// direction marks and embeddings, the word joiner and invisible operators,
/// the byte-order mark, the soft hyphen, the Mongolian vowel separator and
/// the combining grapheme joiner.
fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00ad}' | '\u{034f}' | '\u{180e}'
        | '\u{200b}'..='\u{200f}'
        | '\u{202a}'..='\u{202e}'
        | '\u{2060}'..='\u{2064}'
        | '\u{2066}'..='\u{2069}'
        | '\u{feff}')
}

/// Whether `c` shows as something: not whitespace, not a control character,
/// not an invisible formatting character.
pub fn is_visible(c: char) -> bool {
    !(c.is_whitespace() || c.is_control() || is_invisible(c))
}

/// Whether `text` has at least one [visible](is_visible) character.
pub fn has_visible(text: &str) -> bool {
    text.chars().any(is_visible)
}

/// At most 40 characters of `text`, escaped, for an error message: caller
/// text is echoed so that the caller sees what was refused, never in full.
pub(crate) fn excerpt(text: &str) -> String {
    const SHOWN: usize = 40;
    let mut shown: String = text.chars().take(SHOWN).collect();
    if text.chars().nth(SHOWN).is_some() {
        shown.push('…');
    }
    format!("{shown:?}")
}

fn check_length(what: &str, value: &str, max_chars: usize) -> Result<()> {
    // Count no further than the limit: a 100 MB string costs no more than
    // a short one.
    if value.chars().nth(max_chars).is_some() {
        let n = value.chars().count();
        return Err(Error::invalid_input(format!(
            "{what} is {n} characters long; the limit is {max_chars}"
        )));
    }
    Ok(())
}

fn check_controls(what: &str, value: &str, allow_line_breaks: bool) -> Result<()> {
    let bad = value
        .chars()
        .enumerate()
        .find(|&(_, c)| c.is_control() && !(allow_line_breaks && matches!(c, '\t' | '\n' | '\r')));
    if let Some((at, c)) = bad {
        let allowed = if allow_line_breaks {
            "only tabs and line breaks are allowed"
        } else {
            "it must be one line"
        };
        return Err(Error::invalid_input(format!(
            "{what} contains the control character U+{:04X} at character {at}; {allowed}",
            u32::from(c)
        )));
    }
    Ok(())
}

fn check_visible(what: &str, value: &str) -> Result<()> {
    if value.is_empty() {
        return Err(Error::invalid_input(format!("{what} is empty")));
    }
    if !has_visible(value) {
        return Err(Error::invalid_input(format!(
            "{what} has no visible characters (only whitespace, control or zero-width characters: {})",
            excerpt(value)
        )));
    }
    Ok(())
}

/// Multi-line free text that must say something (a note body, resolution
/// notes, a description that is required): at least one visible character,
/// no control character but tab, line feed and carriage return, at most
/// `max_chars` characters.
pub fn text(what: &str, value: &str, max_chars: usize) -> Result<()> {
    check_length(what, value, max_chars)?;
    check_visible(what, value)?;
    check_controls(what, value, true)
}

/// One-line text that must say something (a ticket summary, a name, a
/// subject, a code): at least one visible character, no control character
/// at all, at most `max_chars` characters.
pub fn line(what: &str, value: &str, max_chars: usize) -> Result<()> {
    check_length(what, value, max_chars)?;
    check_visible(what, value)?;
    check_controls(what, value, false)
}

/// Multi-line text that may be empty (a description being cleared): no
/// control character but tab, line feed and carriage return, at most
/// `max_chars` characters.
pub fn optional_text(what: &str, value: &str, max_chars: usize) -> Result<()> {
    check_length(what, value, max_chars)?;
    check_controls(what, value, true)
}

/// One-line text that may be empty (a last name, a phone number, a serial
/// number): no control character at all, at most `max_chars` characters.
pub fn optional_line(what: &str, value: &str, max_chars: usize) -> Result<()> {
    check_length(what, value, max_chars)?;
    check_controls(what, value, false)
}

/// Search text a vendor matches records against (a ticket's free text, a
/// company or configuration name, a knowledge-base phrase): one line of at
/// most [`MAX_SEARCH_TEXT`] characters with something visible in it.
/// Whitespace-only text is refused rather than read as "no filter", so
/// that `"\n"` from an agent never lists every record.
///
/// ```
/// use psa_core::input::search_text;
/// assert!(search_text("ticket text", "printer offline").is_ok());
/// for blank in ["", " ", "\n", "\t", "\0"] {
///     assert!(search_text("ticket text", blank).unwrap_err().is_invalid_input());
/// }
/// ```
pub fn search_text(what: &str, value: &str) -> Result<()> {
    line(what, value, MAX_SEARCH_TEXT)
}

/// A date the SDK may send: in the years [`MIN_YEAR`]`..=`[`MAX_YEAR`]
/// (UTC).
///
/// ```
/// use chrono::{TimeZone, Utc};
/// use psa_core::input::date;
/// assert!(date("start", Utc.with_ymd_and_hms(2026, 12, 3, 9, 0, 0).unwrap()).is_ok());
/// assert!(date("start", chrono::DateTime::<Utc>::MAX_UTC).unwrap_err().is_invalid_input());
/// assert!(date("start", chrono::DateTime::UNIX_EPOCH - chrono::TimeDelta::seconds(1)).is_err());
/// ```
pub fn date(what: &str, at: DateTime<Utc>) -> Result<()> {
    let year = at.year();
    if (MIN_YEAR..=MAX_YEAR).contains(&year) {
        Ok(())
    } else {
        Err(Error::invalid_input(format!(
            "{what} {at} is outside the years {MIN_YEAR} to {MAX_YEAR}"
        )))
    }
}

/// The ticket number people quote — ServiceNow `INC0010001`, Autotask
/// `T20261203.0001`, a HaloPSA or ConnectWise ticket id `12345` — checked
/// and trimmed: surrounding whitespace and one leading `#` (`#12345`) are
/// dropped; what is left must be 1 to [`MAX_TICKET_NUMBER`] characters of
/// ASCII letters, digits, `.`, `-` and `_`. Nothing else occurs in any
/// vendor's numbers, and nothing else can then change the meaning of the
/// vendor query the number goes into.
///
/// ```
/// use psa_core::input::ticket_number;
/// assert_eq!(ticket_number("  INC0010001 ")?, "INC0010001");
/// assert_eq!(ticket_number("#12345")?, "12345");
/// assert_eq!(ticket_number("T20261203.0001")?, "T20261203.0001");
/// for bad in ["", " ", "#", "INC001^ORactive=true", "12 34", "１２３", "INC\u{0}1"] {
///     assert!(ticket_number(bad).unwrap_err().is_invalid_input(), "{bad:?}");
/// }
/// # Ok::<(), psa_core::Error>(())
/// ```
pub fn ticket_number(text: &str) -> Result<&str> {
    let trimmed = text.trim();
    let number = trimmed.strip_prefix('#').unwrap_or(trimmed);
    if number.is_empty() {
        return Err(Error::invalid_input("ticket number is empty"));
    }
    check_length("ticket number", number, MAX_TICKET_NUMBER)?;
    if let Some(c) = number
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_')))
    {
        return Err(Error::invalid_input(format!(
            "ticket number {} contains {c:?}; a ticket number has only letters, digits, `.`, `-` and `_`",
            excerpt(number)
        )));
    }
    Ok(number)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn blank_and_control_text_is_refused_with_the_field_named() {
        for blank in [
            "",
            " ",
            "\n",
            "\t",
            "\r\n",
            "\0",
            "\0\0\0",
            "\u{7}",
            "\u{85}",
            "\u{200b}",
            "\u{feff}",
            "\u{3000}",
            " \u{200d}\n",
        ] {
            for check in [text, line] {
                let e = check("note body", blank, 100).unwrap_err();
                assert!(e.is_invalid_input(), "{blank:?}");
                assert!(e.to_string().contains("note body"), "{e}");
            }
            assert!(search_text("ticket text", blank).is_err(), "{blank:?}");
        }
        // Line breaks are text, other control characters are not.
        assert!(text("note body", "a\r\n\tb", 100).is_ok());
        let e = text("note body", "a\0b", 100).unwrap_err();
        assert!(e.to_string().contains("U+0000 at character 1"), "{e}");
        assert!(line("summary", "a\nb", 100).is_err());
        assert!(optional_text("description", "", 10).is_ok());
        assert!(optional_text("description", "x\u{1b}[31m", 10).is_err());
    }

    #[test]
    fn lengths_are_counted_in_characters_without_reading_everything() {
        assert!(line("name", &"é".repeat(10), 10).is_ok());
        let e = line("name", &"é".repeat(11), 10).unwrap_err();
        assert!(
            e.to_string()
                .contains("11 characters long; the limit is 10"),
            "{e}"
        );
        let huge = "x".repeat(10_000_000);
        assert!(text("note body", &huge, 100_000).is_err());
    }

    #[test]
    fn excerpts_are_short_and_escaped() {
        assert_eq!(excerpt("a\nb"), "\"a\\nb\"");
        let long = excerpt(&"y".repeat(1000));
        assert!(long.chars().count() < 50 && long.contains('…'), "{long}");
    }

    #[test]
    fn dates_stay_within_the_years_vendors_store() {
        use chrono::TimeZone;
        assert!(date("d", Utc.with_ymd_and_hms(1970, 1, 1, 0, 0, 0).unwrap()).is_ok());
        assert!(date("d", Utc.with_ymd_and_hms(2199, 12, 31, 23, 59, 59).unwrap()).is_ok());
        assert!(date("d", Utc.with_ymd_and_hms(2200, 1, 1, 0, 0, 0).unwrap()).is_err());
        assert!(date("d", Utc.with_ymd_and_hms(1969, 12, 31, 23, 59, 59).unwrap()).is_err());
        assert!(date("d", DateTime::<Utc>::MIN_UTC).is_err());
    }
}
