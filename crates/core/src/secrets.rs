//! Names that say their value is a secret (`DB_PASSWORD`, `apiKey`,
//! `secret_access_key`): one judgement for the rules that flag secrets written as
//! literals and for the redaction of report output, so that every value a rule calls a
//! secret is also masked wherever a report shows it.
//!
//! Names are judged on their last word (`minimum_password_length`, `secret_arn`,
//! `TOKEN_TTL` or `PASSWORD_FILE` are not secret), after splitting them at `_`, `-`, `.`
//! and camelCase boundaries.

/// Words that make a name secret when they end it.
const SECRET_WORDS: &[&str] = &[
    "password",
    "passwd",
    "pwd",
    "pass",
    "passphrase",
    "secret",
    "token",
    "credentials",
    "credential",
    "creds",
    "apikey",
    "accesskey",
    "privatekey",
    "secretkey",
    "clientsecret",
    "authtoken",
];

/// Words that make `<word>_key` secret (`api_key`, `secret_access_key`, `ENCRYPTION_KEY`).
const KEY_QUALIFIERS: &[&str] = &[
    "api",
    "access",
    "private",
    "secret",
    "signing",
    "master",
    "account",
    "client",
    "shared",
    "encryption",
];

/// Trailing words that name the value of a secret (`secret_string`, `password_value`).
const VALUE_SUFFIXES: &[&str] = &[
    "value",
    "string",
    "data",
    "b64",
    "base64",
    "plaintext",
    "text",
    "pem",
    "literal",
];

/// Whether `name` (an environment variable, an attribute) says its value is a secret:
/// `DB_PASSWORD`, `apiKey`, `AWS_SECRET_ACCESS_KEY`, `GITHUB_TOKEN` do; `PASSWORD_FILE`,
/// `TOKEN_TTL`, `SECRET_NAME` or `KMS_KEY_ID` do not.
pub fn name_looks_secret(name: &str) -> bool {
    ends_secret(&name_words(name))
}

/// Whether the value assigned to `key` may be a secret and must be masked in output:
/// every name [`name_looks_secret`] accepts, and more broadly also names whose last word
/// only says which form the secret takes (`secret_string`, `private_key_pem`,
/// `password_value`) and names ending in `auth` (`redis_auth`), since masking a value
/// that was not secret costs little.
pub fn key_may_hold_secret(key: &str) -> bool {
    let words = name_words(key);
    let mut w: &[String] = &words;
    while w.len() > 1
        && w.last()
            .is_some_and(|l| VALUE_SUFFIXES.contains(&l.as_str()))
    {
        w = &w[..w.len() - 1];
    }
    w.last().is_some_and(|l| l == "auth") || ends_secret(w)
}

/// Whether the last of `words` makes a name secret.
fn ends_secret(words: &[String]) -> bool {
    match words {
        [] => false,
        [.., q, last] if last == "key" => KEY_QUALIFIERS.contains(&q.as_str()),
        [.., last] => SECRET_WORDS.contains(&last.as_str()),
    }
}

/// Splits a name into lower-case words at `_`, `-`, `.` and camelCase boundaries
/// (`APIKey` → `api`, `key`).
pub(crate) fn name_words(name: &str) -> Vec<String> {
    let mut words = Vec::new();
    for part in name.split(|c: char| !c.is_ascii_alphanumeric()) {
        let chars: Vec<char> = part.chars().collect();
        let mut cur = String::new();
        for (idx, &ch) in chars.iter().enumerate() {
            let boundary = idx > 0
                && ch.is_ascii_uppercase()
                && (chars[idx - 1].is_ascii_lowercase()
                    || chars[idx - 1].is_ascii_digit()
                    || chars.get(idx + 1).is_some_and(|n| n.is_ascii_lowercase())
                        && chars[idx - 1].is_ascii_uppercase());
            if boundary && !cur.is_empty() {
                words.push(std::mem::take(&mut cur).to_ascii_lowercase());
            }
            cur.push(ch);
        }
        if !cur.is_empty() {
            words.push(cur.to_ascii_lowercase());
        }
    }
    words
}

/// Whether a value is only references to other variables (`$(NAME)`), which Kubernetes
/// expands from the container's environment.
pub fn only_references(v: &str) -> bool {
    let mut rest = v.trim();
    if rest.is_empty() {
        return true;
    }
    while let Some(after) = rest.strip_prefix("$(") {
        match after.find(')') {
            Some(end) => rest = after[end + 1..].trim_start(),
            None => return false,
        }
    }
    rest.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_split_at_separators_and_camel_case() {
        assert_eq!(
            name_words("AWS_SECRET_ACCESS_KEY"),
            ["aws", "secret", "access", "key"]
        );
        assert_eq!(name_words("clientSecret"), ["client", "secret"]);
        assert_eq!(name_words("APIKey"), ["api", "key"]);
        assert_eq!(
            name_words("MasterUserPassword"),
            ["master", "user", "password"]
        );
        assert_eq!(name_words("db.pass-word"), ["db", "pass", "word"]);
    }

    #[test]
    fn secret_names_by_last_word() {
        for n in [
            "DB_PASSWORD",
            "apiKey",
            "AWS_SECRET_ACCESS_KEY",
            "GITHUB_TOKEN",
            "MYSQL_ROOT_PASSWORD",
            "clientSecret",
            "DBPassword",
            "ENCRYPTION_KEY",
        ] {
            assert!(name_looks_secret(n), "{n} should look secret");
        }
        for n in [
            "PASSWORD_FILE",
            "TOKEN_TTL",
            "SECRET_NAME",
            "KEY",
            "PRIMARY_KEY_COLUMN",
            "HOSTNAME",
            "kms_key_id",
            "ENABLE_AUTH",
            "SECRET_STRING",
        ] {
            assert!(!name_looks_secret(n), "{n} should not look secret");
        }
    }

    #[test]
    fn keys_to_mask_include_value_forms_and_auth() {
        for k in [
            "secret_access_key",
            "db_password",
            "private_key_pem",
            "secret_string",
            "redis_auth",
        ] {
            assert!(key_may_hold_secret(k), "{k} should be masked");
        }
        for k in ["secret_arn", "kms_key_id", "aws_access_key_id", "value"] {
            assert!(!key_may_hold_secret(k), "{k} should be kept");
        }
    }

    #[test]
    fn every_name_a_rule_calls_secret_is_masked() {
        for w in SECRET_WORDS.iter().chain(KEY_QUALIFIERS) {
            for n in [format!("db_{w}"), format!("{w}_key"), format!("X{w}Key")] {
                assert!(
                    !name_looks_secret(&n) || key_may_hold_secret(&n),
                    "{n} is flagged but would not be masked"
                );
            }
        }
    }

    #[test]
    fn references_are_not_literals() {
        assert!(only_references("$(DB_PASS)"));
        assert!(only_references("$(A)$(B)"));
        assert!(only_references(""));
        assert!(!only_references("hunter2"));
        assert!(!only_references("$(A)x"));
    }
}
