//! K8S-SEC-001: secrets are not written as literal environment values.

use crate::model::{Model, Resolved};
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks the `env` of every container for variables whose name says they hold a
    /// secret (`*_PASSWORD`, `*_TOKEN`, `*_SECRET`, `API_KEY`, `AWS_SECRET_ACCESS_KEY`,
    /// `clientSecret`, …) and that carry a literal, non-empty `value`. The value is
    /// never shown: findings name the variable only, and snippets mask it.
    ///
    /// ## Why it matters (SOC 2)
    /// C1.1 and CC6.1: a literal secret lives in the repository, its history, every
    /// fork and CI log, and in the object readable by anyone who can read the
    /// Deployment — not only those allowed to read Secrets. It cannot be rotated
    /// without a commit.
    ///
    /// ## Default assumed
    /// Names judged on their last word: `PASSWORD_FILE`, `TOKEN_TTL` or `SECRET_NAME`
    /// are not secrets. Values that only reference other variables (`$(DB_PASS)`) are
    /// not literals.
    ///
    /// ## How to fix
    /// ```yaml
    /// env:
    ///   - name: DB_PASSWORD
    ///     valueFrom:
    ///       secretKeyRef: { name: db, key: password }
    /// ```
    pub struct EnvSecretLiteral {
        id: "K8S-SEC-001",
        slug: "k8s-env-secret-literal",
        title: "Secrets are not written as literal environment values",
        severity: High,
        family: DataProtection,
    }
}


impl Rule for EnvSecretLiteral {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for w in &model.k8s.workloads {
            let meta = &w.object.meta;
            for c in &w.pod.containers {
                let mut found = false;
                for e in c.env.iter().filter(|e| e.name_looks_secret()) {
                    let Some(v) = &e.literal else { continue };
                    if let Resolved::Set(literal) | Resolved::Defaulted(literal) = &v.value {
                        if *literal {
                            found = true;
                            out.fail(
                                meta,
                                &v.origin,
                                &v.path,
                                format!(
                                    "container `{}` sets the secret `{}` as a literal value (use valueFrom.secretKeyRef)",
                                    c.name, e.name
                                ),
                            );
                        }
                    }
                }
                if !found {
                    out.pass(meta, &c.origin, &format!("{}.env", c.path));
                }
            }
        }
    }
}
