//! Fingerprints of findings: the rule id plus the evidence line with everything that changes
//! from run to run (times, ids, numbers, workspace and temp paths, random names) replaced by
//! placeholders, so one cause reads the same in every run and two causes never read alike.
//! Versions pinned or asked for (`numpy==1.26.0`, `@v4`) are kept: another pin is most often
//! another cause.
//! Owns the line normaliser the log comparison shares; it does no I/O.

use std::fmt;
use std::sync::LazyLock;

use regex::{Captures, Regex};
use sha2::{Digest, Sha256};

use crate::triage::Finding;

/// A finding's identity across runs.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Fingerprint {
    /// The rule that matched.
    pub rule: String,
    /// The evidence line, normalised.
    pub shape: String,
}

/// A fingerprint's short stable id: 16 hex digits of a SHA-256 of rule and shape.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FingerprintId(pub String);

impl fmt::Display for FingerprintId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Fingerprint {
    /// The fingerprint of a rule's match on a line as a reader sees it.
    pub fn of(rule: &str, text: &str) -> Fingerprint {
        Fingerprint { rule: rule.to_owned(), shape: normalise(text) }
    }

    /// The fingerprint of a finding.
    pub fn of_finding(finding: &Finding) -> Fingerprint {
        Fingerprint::of(&finding.rule, &finding.text)
    }

    /// The short id stored and shown.
    pub fn id(&self) -> FingerprintId {
        let mut hasher = Sha256::new();
        hasher.update(self.rule.as_bytes());
        hasher.update([0]);
        hasher.update(self.shape.as_bytes());
        let digest = hasher.finalize();
        let word = u64::from_be_bytes(digest[..8].try_into().expect("a SHA-256 has 32 bytes"));
        FingerprintId(format!("{word:016x}"))
    }
}

/// Placeholders, in the order they are applied; each sees what the previous ones left.
static TIME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?|\b\d{1,2}:\d{2}:\d{2}(?:[.,]\d+)?\b",
    )
    .expect("time pattern")
});

static UUID: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b")
        .expect("uuid pattern")
});

static TEMP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?:/home/runner/work|/Users/runner/work|/__w)/_temp/[^/\s'`]+",
        r"|(?i:[a-z]:\\a\\_temp\\[^\\\s'`]+)",
        r"|(?i:[a-z]:\\Users\\[^\\\s]+\\AppData\\Local\\Temp\\[^\\\s'`]+)",
        r"|(?:/private)?/var/folders/[^/\s]+/[^/\s]+/T/[^/\s'`]+",
        r"|/tmp/[^/\s'`]+",
    ))
    .expect("temp pattern")
});

static WORKSPACE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?:/home/runner/work|/Users/runner/work|/__w)/[^/\s'`]+/[^/\s'`:]+",
        r"|(?i:[a-z]:\\a\\[^\\\s'`]+\\[^\\\s'`:]+)",
        r"|/github/workspace",
    ))
    .expect("workspace pattern")
});

/// Numbers, except those that name a cause: exit codes and HTTP statuses, and versions right
/// after a requirement operator (`==`, `>=`, `<`, `~=`, `!=`, `^`, `~>`), an `@` (`@v4`,
/// `node@18`) or the word `version`, with a pre-release tag (`2.0.0rc1`).
static NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?P<keep>(?i:exit code|exit status|exited with code|status code|status|responded with",
        r"|returned|error code|signal|http/\d(?:\.\d)?)\s+\d{1,3}\b",
        r"|(?:[=~!]=|[<>]=?|\^|~>\s?|~|@v?|(?i:\bversion):?\s+v?)\d+(?:\.\d+)*",
        r"(?:[-.]?(?i:a|b|rc|alpha|beta|dev|post|pre)\d*\b)?)",
        r"|\d+",
    ))
    .expect("number pattern")
});

static SPACE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\s+").expect("space pattern"));

/// A line with what changes between runs of one cause replaced by placeholders: `<time>`,
/// `<uuid>`, `<temp>`, `<workspace>`, `<hex>`, `<name>` and `#` for numbers other than exit
/// codes, statuses and versions; runs of white space become one space.
pub fn normalise(text: &str) -> String {
    let text = TIME.replace_all(text, "<time>");
    let text = UUID.replace_all(&text, "<uuid>");
    let text = TEMP.replace_all(&text, "<temp>");
    let text = WORKSPACE.replace_all(&text, "<workspace>");
    let text = generated_words(&text);
    let text = NUMBER.replace_all(&text, |caps: &Captures<'_>| {
        if caps.name("keep").is_some() { caps[0].to_owned() } else { "#".to_owned() }
    });
    SPACE.replace_all(text.trim(), " ").into_owned()
}

/// Each run of ASCII letters and digits that looks generated becomes `<hex>` or `<name>`.
fn generated_words(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(|c: char| c.is_ascii_alphanumeric()) {
        out.push_str(&rest[..start]);
        rest = &rest[start..];
        let end = rest.find(|c: char| !c.is_ascii_alphanumeric()).unwrap_or(rest.len());
        out.push_str(placeholder(&rest[..end]).unwrap_or(&rest[..end]));
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// `<hex>` for 7 or more hex digits with both digits and letters (SHAs, digests, container
/// ids) or a `0x` number; `<name>` for 8 or more letters and digits that switch three or more
/// times, as generated names do (`k2x8q0vd`); nothing for words like `deadbeef`,
/// `python312` or `sha256sum`.
fn placeholder(word: &str) -> Option<&'static str> {
    let bytes = word.as_bytes();
    let digits = bytes.iter().any(u8::is_ascii_digit);
    let letters = bytes.iter().any(u8::is_ascii_alphabetic);
    let hex = bytes.iter().all(u8::is_ascii_hexdigit);
    let prefixed = word.len() > 2
        && (word.starts_with("0x") || word.starts_with("0X"))
        && word[2..].bytes().all(|byte| byte.is_ascii_hexdigit());
    if prefixed || (hex && digits && letters && word.len() >= 7) {
        return Some("<hex>");
    }
    let switches = bytes
        .windows(2)
        .filter(|pair| pair[0].is_ascii_digit() != pair[1].is_ascii_digit())
        .count();
    (word.len() >= 8 && switches >= 3).then_some("<name>")
}
