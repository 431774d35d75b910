//! Reading a resource's `tags` map into [`Tags`].

use super::read::{to_string, Conv, Reader};
use crate::model::aws::tags::Tags;
use crate::model::Value;
use crate::terraform::ir::Dyn;

/// The `tags` attribute of `rd`: `Defaulted` empty when absent or null, unknown when the
/// whole map is unknown (a variable without a value, a `merge` with one).
pub(crate) fn read_tags(rd: &Reader<'_>) -> Value<Tags> {
    rd.read("tags", Tags::default(), |d| match d {
        Dyn::Map(m) => {
            let mut t = Tags::default();
            for (k, v) in m {
                match to_string(v, "tags") {
                    Conv::Ok(s) => {
                        t.known.insert(k.clone(), s);
                    }
                    Conv::Null => {}
                    Conv::Unknown(r) => {
                        t.unknown_values.insert(k.clone(), r);
                    }
                }
            }
            Conv::Ok(t)
        }
        Dyn::Null => Conv::Null,
        Dyn::Unknown(u) => Conv::Unknown(u.reason.clone()),
        _ => Conv::Unknown("`tags` is not a map".into()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::aws::tags::TagLookup;
    use crate::terraform::model::testutil::*;
    use std::collections::BTreeMap;

    #[test]
    fn known_unknown_and_absent_tags() {
        let mut m = BTreeMap::new();
        m.insert("DataClassification".to_string(), s("confidential"));
        m.insert("Owner".to_string(), var("owner"));
        let r = managed("aws_s3_bucket", "b", "", 1, |b| b.a("tags", Dyn::Map(m), 2));
        let t = read_tags(&Reader::new(&r));
        let t = t.known().expect("known map");
        assert_eq!(
            t.get("DataClassification"),
            TagLookup::Value("confidential")
        );
        assert!(matches!(t.get("Owner"), TagLookup::Unknown(_)));
        let r = managed("aws_s3_bucket", "c", "", 1, |b| b.a("tags", var("tags"), 2));
        assert!(read_tags(&Reader::new(&r)).unknown_reason().is_some());
        let r = managed("aws_s3_bucket", "d", "", 1, |b| b);
        assert_eq!(
            read_tags(&Reader::new(&r)).known().map(|t| t.known.len()),
            Some(0)
        );
    }
}
