//! K8S-POD-013: container images are pinned to a tag or digest.

use crate::model::{Model, Resolved};
use crate::rules::{Emitter, Rule, RuleMeta};

/// Why an image reference is not pinned, or `None` when it is.
fn unpinned(image: &str) -> Option<&'static str> {
    if image.contains('@') {
        return None;
    }
    let last = image.rsplit('/').next().unwrap_or(image);
    match last.split_once(':') {
        Some((_, tag)) if tag.eq_ignore_ascii_case("latest") => Some("the mutable tag `latest`"),
        Some((_, tag)) if !tag.is_empty() => None,
        _ => Some("no tag (Kubernetes pulls `latest`)"),
    }
}

crate::declare_rule! {
    /// ## What it does
    /// Checks the `image` of every container: a digest (`@sha256:…`) or a tag other
    /// than `latest` passes; no tag or `:latest` fails.
    ///
    /// ## Why it matters (SOC 2)
    /// CC8.1 and CC6.8: with `latest` (or no tag), what runs is whatever was pushed last,
    /// and it changes on every pull or node replacement without a change record — an
    /// unreviewed or malicious image can reach production without a deployment. Pinned
    /// references make every change of software a change of the manifest. Digests are
    /// best: tags can be moved.
    ///
    /// ## Default assumed
    /// An image without a tag is `:latest`.
    ///
    /// ## Not evaluated
    /// When the image is a template expression (`${IMAGE}`, `$(TAG)`, `{{ … }}`) or not
    /// a string.
    ///
    /// ## How to fix
    /// ```yaml
    /// image: registry.example.com/api@sha256:4f1c…   # or registry.example.com/api:1.8.2
    /// ```
    pub struct ImagePinned {
        id: "K8S-POD-013",
        slug: "k8s-image-pinned",
        title: "Container images are pinned to a tag or digest",
        severity: Medium,
        family: Workload,
    }
}

impl Rule for ImagePinned {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, model: &Model, out: &mut Emitter) {
        for w in &model.k8s.workloads {
            let meta = &w.object.meta;
            for c in &w.pod.containers {
                let Some(image) = &c.image else { continue };
                match &image.value {
                    Resolved::Set(i) | Resolved::Defaulted(i) => {
                        if i.contains("${") || i.contains("$(") || i.contains("{{") {
                            out.not_evaluated(
                                meta,
                                &image.origin,
                                &image.path,
                                "the image is a template expression",
                            );
                        } else if let Some(why) = unpinned(i.trim()) {
                            out.fail(
                                meta,
                                &image.origin,
                                &image.path,
                                format!(
                                    "container `{}` uses image `{}` with {why}",
                                    c.name,
                                    i.trim()
                                ),
                            );
                        } else {
                            out.pass(meta, &image.origin, &image.path);
                        }
                    }
                    Resolved::Unknown(r) => {
                        out.not_evaluated(meta, &image.origin, &image.path, r.to_string())
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::unpinned;

    #[test]
    fn image_references() {
        assert!(unpinned("nginx").is_some());
        assert!(unpinned("nginx:latest").is_some());
        assert!(unpinned("localhost:5000/team/app").is_some());
        assert!(unpinned("localhost:5000/team/app:1.2").is_none());
        assert!(unpinned("nginx:1.27").is_none());
        assert!(unpinned("ghcr.io/org/app@sha256:abcd").is_none());
        assert!(unpinned("app:latest@sha256:abcd").is_none());
    }
}
