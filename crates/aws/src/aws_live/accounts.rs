//! Which accounts a live scan covers: the current credentials, `--assume-role` ARNs, or
//! an accounts file, optionally cut into deterministic shards (`--shard K/N`).

use std::path::Path;
use std::str::FromStr;

use super::LiveError;

/// One account to scan: the role to assume in it (none: the current credentials).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Target {
    /// Role ARN to assume, or `None` for the current credentials.
    pub role_arn: Option<String>,
    /// External id to pass when assuming the role.
    pub external_id: Option<String>,
}

/// `--shard K/N`: this job scans the K-th of N shares (1-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// This job's share, 1..=N.
    pub index: usize,
    /// Number of shares.
    pub count: usize,
}

impl FromStr for Shard {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let (k, n) = s
            .split_once('/')
            .ok_or_else(|| format!("shard {s:?} is not K/N"))?;
        let index: usize = k
            .trim()
            .parse()
            .map_err(|_| format!("shard {s:?}: K is not a number"))?;
        let count: usize = n
            .trim()
            .parse()
            .map_err(|_| format!("shard {s:?}: N is not a number"))?;
        if count == 0 || index == 0 || index > count {
            return Err(format!("shard {s:?}: need 1 <= K <= N"));
        }
        Ok(Shard { index, count })
    }
}

/// Parses an accounts file: one role ARN per line, optionally followed by whitespace
/// and an external id; blank lines and `#` comments are ignored.
pub fn parse_accounts(
    text: &str,
    default_external_id: Option<&str>,
) -> Result<Vec<Target>, String> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        let mut parts = line.split_whitespace();
        let arn = parts.next().unwrap_or_default();
        if !arn.starts_with("arn:") || !arn.contains(":role/") {
            return Err(format!("line {}: {arn:?} is not an IAM role ARN", n + 1));
        }
        let external_id = parts
            .next()
            .map(str::to_string)
            .or(default_external_id.map(str::to_string));
        if parts.next().is_some() {
            return Err(format!("line {}: expected `ROLE_ARN [EXTERNAL_ID]`", n + 1));
        }
        out.push(Target {
            role_arn: Some(arn.to_string()),
            external_id,
        });
    }
    Ok(out)
}

/// Reads an accounts file.
pub fn read_accounts(
    path: &Path,
    default_external_id: Option<&str>,
) -> Result<Vec<Target>, LiveError> {
    let text = std::fs::read_to_string(path).map_err(|e| LiveError::AccountsFile {
        path: path.display().to_string(),
        message: e.to_string(),
    })?;
    parse_accounts(&text, default_external_id).map_err(|message| LiveError::AccountsFile {
        path: path.display().to_string(),
        message,
    })
}

/// Sorts and de-duplicates the targets, then keeps this shard's share: the targets whose
/// position in the sorted list is `K-1` modulo `N`. Every target lands in exactly one shard.
pub fn shard(mut targets: Vec<Target>, shard: Option<Shard>) -> Vec<Target> {
    targets.sort();
    targets.dedup();
    match shard {
        None => targets,
        Some(s) => targets
            .into_iter()
            .enumerate()
            .filter(|(i, _)| i % s.count == s.index - 1)
            .map(|(_, t)| t)
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accounts_file() {
        let t = parse_accounts(
            "# org\narn:aws:iam::111111111111:role/Audit ext-1\n\narn:aws:iam::222222222222:role/Audit # b\n",
            Some("dflt"),
        )
        .unwrap();
        assert_eq!(t.len(), 2);
        assert_eq!(t[0].external_id.as_deref(), Some("ext-1"));
        assert_eq!(t[1].external_id.as_deref(), Some("dflt"));
        assert!(parse_accounts("111111111111\n", None).is_err());
    }

    #[test]
    fn shards_partition_the_accounts() {
        let all: Vec<Target> = (0..10)
            .map(|i| Target {
                role_arn: Some(format!("arn:aws:iam::{i:012}:role/A")),
                external_id: None,
            })
            .rev()
            .collect();
        let mut seen = Vec::new();
        for k in 1..=3 {
            let part = shard(all.clone(), Some(Shard { index: k, count: 3 }));
            assert!(!part.is_empty());
            seen.extend(part);
        }
        seen.sort();
        assert_eq!(seen, shard(all, None));
        assert!("0/3".parse::<Shard>().is_err());
        assert!("4/3".parse::<Shard>().is_err());
        assert_eq!(
            "2/3".parse::<Shard>().unwrap(),
            Shard { index: 2, count: 3 }
        );
    }
}
