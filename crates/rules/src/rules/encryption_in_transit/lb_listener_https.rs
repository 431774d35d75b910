//! AWS-ELB-001: load-balancer listeners accept only encrypted connections.

use crate::model::{Model, Resolved};
use crate::rules::{Emitter, Rule, RuleMeta};

crate::declare_rule! {
    /// ## What it does
    /// Checks every load-balancer listener (`aws_lb_listener`, `aws_alb_listener`, and
    /// the `listener` blocks of classic `aws_elb`): an `HTTP` listener fails unless its
    /// default action redirects to `HTTPS` (the usual port-80 redirect listener passes).
    /// `HTTPS`, `TLS` and `SSL` listeners pass. `TCP`/`UDP`/`GENEVE` listeners are not
    /// checked: they pass traffic through, and TLS may be terminated by the targets.
    ///
    /// ## Why it matters (SOC 2)
    /// CC6.7 expects data to be protected while it moves. A plain-HTTP listener sends
    /// session cookies, credentials and customer data in clear over the internet (or the
    /// shared network of an internal load balancer, which is checked too).
    ///
    /// ## Default assumed
    /// A listener of an application load balancer without `protocol` is `HTTP`; a
    /// redirect without `protocol` keeps the request's protocol (AWS provider docs).
    ///
    /// ## Not evaluated
    /// When the protocol or the redirect protocol comes from a variable without a
    /// value, or a listener without `protocol` whose load balancer cannot be resolved.
    ///
    /// ## How to fix
    /// ```hcl
    /// resource "aws_lb_listener" "http" {
    ///   load_balancer_arn = aws_lb.web.arn
    ///   port              = 80
    ///   protocol          = "HTTP"
    ///   default_action {
    ///     type = "redirect"
    ///     redirect {
    ///       port        = "443"
    ///       protocol    = "HTTPS"
    ///       status_code = "HTTP_301"
    ///     }
    ///   }
    /// }
    /// ```
    pub struct LbListenerHttps {
        id: "AWS-ELB-001",
        slug: "lb-listener-https",
        title: "Load-balancer listeners use HTTPS or redirect to it",
        severity: High,
        family: EncryptionInTransit,
    }
}

impl Rule for LbListenerHttps {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for l in &model.aws.lb_listeners {
            let p = &l.protocol;
            let proto = match &p.value {
                Resolved::Unknown(r) => {
                    out.not_evaluated(&l.meta, &p.origin, &p.path, r.to_string());
                    continue;
                }
                Resolved::Set(v) | Resolved::Defaulted(v) => v.as_str(),
            };
            match proto {
                "HTTPS" | "TLS" | "SSL" => out.pass(&l.meta, &p.origin, &p.path),
                "HTTP" => {
                    let mut unknown = None;
                    let mut redirects = false;
                    for a in &l.default_actions {
                        if a.kind.known().map(String::as_str) != Some("redirect") {
                            if let Some(r) = a.kind.unknown_reason() {
                                unknown.get_or_insert(r.to_string());
                            }
                            continue;
                        }
                        match a.redirect_protocol.as_ref().map(|v| &v.value) {
                            Some(Resolved::Set(v) | Resolved::Defaulted(v))
                                if v.eq_ignore_ascii_case("HTTPS") =>
                            {
                                redirects = true
                            }
                            Some(Resolved::Unknown(r)) => {
                                unknown.get_or_insert(r.to_string());
                            }
                            _ => {}
                        }
                    }
                    if redirects {
                        out.pass(&l.meta, &p.origin, &p.path);
                    } else if let Some(r) = unknown {
                        out.not_evaluated(&l.meta, &p.origin, &p.path, r);
                    } else {
                        out.fail(
                            &l.meta,
                            &p.origin,
                            &p.path,
                            "listener accepts plain HTTP and does not redirect to HTTPS",
                        );
                    }
                }
                _ => {}
            }
        }
    }
}
