//! Removes token-like strings (GitHub tokens, bearer tokens, AWS keys) from exported text.
//! Owns the patterns of what counts as a secret; it must be applied to every export.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;

/// What replaces a secret.
pub const REDACTED: &str = "[REDACTED]";

static SECRETS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"\b(?:gh[pousr]_[A-Za-z0-9]{20,255}|github_pat_[A-Za-z0-9_]{20,255})\b",
        r"|(?i:\bbearer\s+)[A-Za-z0-9\-._~+/]{16,}=*",
        r"|\b(?:AKIA|ASIA)[0-9A-Z]{16}\b",
        r"|(?i:aws_secret_access_key)\s*[=:]\s*[A-Za-z0-9/+=]{40}",
    ))
    .expect("the secret patterns are valid")
});

/// `text` with every token-like string replaced by [`REDACTED`].
pub fn redact(text: &str) -> Cow<'_, str> {
    SECRETS.replace_all(text, |captures: &regex::Captures<'_>| {
        let found = &captures[0];
        if found.to_ascii_lowercase().starts_with("bearer") {
            format!("Bearer {REDACTED}")
        } else if let Some((key, _)) = found.split_once(['=', ':']) {
            if key.to_ascii_lowercase().contains("aws_secret") {
                return format!("{key}={REDACTED}");
            }
            REDACTED.to_owned()
        } else {
            REDACTED.to_owned()
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_tokens_of_every_kind_are_redacted() {
        let classic = format!("ghp_{}", "a1B2".repeat(9));
        let fine = format!("github_pat_{}", "11ABCDEFG0_".repeat(5));
        let app = format!("ghs_{}", "Z9".repeat(18));
        let text = format!("token {classic} and {fine} or {app}.");
        let clean = redact(&text);
        assert!(
            !clean.contains("ghp_") && !clean.contains("github_pat_") && !clean.contains("ghs_")
        );
        assert_eq!(clean.matches(REDACTED).count(), 3);
    }

    #[test]
    fn bearer_and_aws_keys_are_redacted() {
        let text = "Authorization: Bearer abcdefghijklmnop1234 key AKIAIOSFODNN7EXAMPLE \
                    aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
        let clean = redact(text);
        assert!(!clean.contains("abcdefghijklmnop1234"), "{clean}");
        assert!(!clean.contains("AKIAIOSFODNN7EXAMPLE"), "{clean}");
        assert!(!clean.contains("wJalrXUtnFEMI"), "{clean}");
    }

    #[test]
    fn ordinary_text_is_untouched() {
        let text = "Cache not found for input keys: Linux-node-ffd095da82fcd41af89f8278e66b668c";
        assert!(matches!(redact(text), Cow::Borrowed(_)));
    }
}
