//! AWS-ELB-002: TLS listeners use a security policy that requires TLS 1.2 or later.

use crate::model::{Model, Resolved};
use crate::rules::{Emitter, Rule, RuleMeta};

/// Whether an ELB security policy name requires TLS 1.2 or later.
fn is_current(policy: &str) -> bool {
    const PREFIXES: [&str; 4] = [
        // TLS 1.3 policies with TLS 1.2 or 1.3 minimum, incl. -Res-, -Ext*-, -FIPS-, -PQ- variants.
        "ELBSecurityPolicy-TLS13-1-2-",
        "ELBSecurityPolicy-TLS13-1-3-",
        // TLS 1.2-only and forward-secrecy TLS 1.2 policies.
        "ELBSecurityPolicy-TLS-1-2-",
        "ELBSecurityPolicy-FS-1-2-",
    ];
    PREFIXES.iter().any(|p| policy.starts_with(p))
}

crate::declare_rule! {
    /// ## What it does
    /// Checks that every `HTTPS`, `TLS` or `SSL` load-balancer listener uses a
    /// predefined security policy whose minimum protocol is TLS 1.2. Accepted:
    /// `ELBSecurityPolicy-TLS13-1-2-*` (e.g. `ELBSecurityPolicy-TLS13-1-2-2021-06`, the
    /// AWS recommendation, and its `-Res-`, `-Ext1-`, `-Ext2-`, `-FIPS-`, `-PQ-`
    /// variants), `ELBSecurityPolicy-TLS13-1-3-*`, `ELBSecurityPolicy-TLS-1-2-*`
    /// (`-2017-01`, `-Ext-2018-06`) and `ELBSecurityPolicy-FS-1-2-*` (`-2019-08`,
    /// `-Res-2019-08`, `-Res-2020-10`). Everything else (`ELBSecurityPolicy-2016-08`,
    /// `-2015-05`, `-TLS-1-1-*`, `-TLS13-1-0-*`, `-TLS13-1-1-*`, custom classic policies)
    /// fails.
    ///
    /// ## Why it matters (SOC 2)
    /// CC6.7: TLS 1.0 and 1.1 are deprecated (RFC 8996) and allow weak ciphers; a
    /// listener that still negotiates them does not provide the transport protection
    /// the criterion expects.
    ///
    /// ## Default assumed
    /// A listener without `ssl_policy` gets `ELBSecurityPolicy-2016-08` (the default ELB
    /// applies to listeners created through the API; it allows TLS 1.0) and fails.
    ///
    /// ## Not evaluated
    /// When `ssl_policy` comes from a variable without a value, or a classic load
    /// balancer's policy may be set by an `aws_load_balancer_listener_policy`.
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_lb_listener" "https" {
    ///   load_balancer_arn = aws_lb.web.arn
    ///   port              = 443
    ///   protocol          = "HTTPS"
    ///   ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
    ///   certificate_arn   = aws_acm_certificate.web.arn
    ///   default_action {
    ///     type             = "forward"
    ///     target_group_arn = aws_lb_target_group.web.arn
    ///   }
    /// }
    /// ```
    pub struct LbListenerTlsPolicy {
        id: "AWS-ELB-002",
        slug: "lb-listener-tls-policy",
        title: "TLS listeners require TLS 1.2 or later",
        severity: Medium,
        family: EncryptionInTransit,
    }
}

impl Rule for LbListenerTlsPolicy {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for l in &model.aws.lb_listeners {
            match &l.protocol.value {
                Resolved::Set(p) | Resolved::Defaulted(p)
                    if matches!(p.as_str(), "HTTPS" | "TLS" | "SSL") => {}
                _ => continue,
            }
            out.require(
                &l.meta,
                &l.ssl_policy,
                |p| is_current(p),
                |p| {
                    format!(
                        "listener uses TLS policy {p}, which allows protocols older than TLS 1.2"
                    )
                },
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_current;

    #[test]
    fn policies() {
        assert!(is_current("ELBSecurityPolicy-TLS13-1-2-2021-06"));
        assert!(is_current("ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09"));
        assert!(is_current("ELBSecurityPolicy-TLS-1-2-Ext-2018-06"));
        assert!(is_current("ELBSecurityPolicy-FS-1-2-Res-2020-10"));
        assert!(!is_current("ELBSecurityPolicy-2016-08"));
        assert!(!is_current("ELBSecurityPolicy-TLS13-1-0-2021-06"));
        assert!(!is_current("ELBSecurityPolicy-TLS-1-1-2017-01"));
    }
}
