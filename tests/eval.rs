//! Tests of the Terraform evaluator on the fixtures in `fixtures/eval/` and on the corpus.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use serde_json::{json, Value};
use soc2scan::adapt::terraform::ir::{Dyn, Evaluated, Mode, Resource};
use soc2scan::adapt::terraform::{
    calls, evaluate, evaluate_with_parse_counts, parsed_module_calls, TfOptions,
};
use soc2scan::diagnostic::{DiagKind, DiagLevel};
use soc2scan::discover::FileKind;

fn fixture(case: &str) -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/eval")).join(case)
}

fn run(case: &str, opts: TfOptions) -> Evaluated {
    let files = soc2scan::discover::discover(&[fixture(case)]).expect("discover");
    evaluate(&files, &opts).expect("evaluate")
}

fn eval_case(case: &str) -> Evaluated {
    run(case, TfOptions::default())
}

fn res<'a>(ev: &'a Evaluated, addr: &str) -> &'a Resource {
    ev.resources
        .iter()
        .find(|r| r.address == addr)
        .unwrap_or_else(|| {
            let all: Vec<&str> = ev.resources.iter().map(|r| r.address.as_str()).collect();
            panic!("no resource {addr}; have {all:?}")
        })
}

fn attr<'a>(r: &'a Resource, name: &str) -> &'a Dyn {
    &r.body
        .attr(name)
        .unwrap_or_else(|| panic!("{} has no attribute {name}", r.address))
        .value
}

/// A value as JSON; unknowns become `{"unknown": reason, "refers_to": …}`.
fn j(d: &Dyn) -> Value {
    match d {
        Dyn::Null => Value::Null,
        Dyn::Bool(b) => json!(b),
        Dyn::Number(n) => json!(n),
        Dyn::String(s) => json!(s),
        Dyn::List(l) => Value::Array(l.iter().map(j).collect()),
        Dyn::Map(m) => Value::Object(m.iter().map(|(k, v)| (k.clone(), j(v))).collect()),
        Dyn::Unknown(u) => json!({"unknown": &*u.reason, "refers_to": u.refers_to.as_deref()}),
    }
}

fn unknown(d: &Dyn) -> (String, Option<String>) {
    match d {
        Dyn::Unknown(u) => (
            u.reason.to_string(),
            u.refers_to.as_deref().map(str::to_string),
        ),
        other => panic!("expected unknown, got {other:?}"),
    }
}

fn addresses(ev: &Evaluated) -> Vec<&str> {
    ev.resources.iter().map(|r| r.address.as_str()).collect()
}

#[test]
fn variables_follow_terraform_precedence() {
    let opts = TfOptions {
        var_files: vec![fixture("vars/extra.tfvars")],
        vars: vec![
            "e=cli-e".into(),
            "cli_list=[\"x\", \"y\"]".into(),
            "cli_num=5".into(),
        ],
        ..Default::default()
    };
    let ev = run("vars", opts);
    let r = res(&ev, "aws_s3_bucket.v");
    assert_eq!(
        j(attr(r, "bucket")),
        json!("default-a/tfvars-b/auto-c/file-d/cli-e")
    );
    assert_eq!(j(attr(r, "list")), json!(["x", "y"]));
    // declared `string`: a number-looking --var stays a string
    assert_eq!(j(attr(r, "num")), json!("5"));
    let (reason, refers) = unknown(attr(r, "missing"));
    assert_eq!(reason, "variable \"missing\" has no value");
    assert_eq!(refers, None);
    // optional() attributes get their defaults
    assert_eq!(
        j(attr(r, "settings")),
        json!({"name": "s", "versioning": true, "owner": null})
    );
    // extra.tfvars is not loaded automatically
    let ev = eval_case("vars");
    let r = res(&ev, "aws_s3_bucket.v");
    assert_eq!(
        j(attr(r, "bucket")),
        json!("default-a/tfvars-b/auto-c/auto-d/auto-e")
    );
}

#[test]
fn bad_var_arguments_are_errors() {
    let files = soc2scan::discover::discover(&[fixture("vars")]).expect("discover");
    let bad = TfOptions {
        vars: vec!["novalue".into()],
        ..Default::default()
    };
    let err = evaluate(&files, &bad).expect_err("a --var without a value");
    assert!(
        matches!(
            err,
            soc2scan::error::Error::Source {
                kind: "terraform",
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "invalid --var \"novalue\": expected NAME=VALUE"
    );
    let missing = TfOptions {
        var_files: vec![fixture("vars/does-not-exist.tfvars")],
        ..Default::default()
    };
    let err = evaluate(&files, &missing).expect_err("a missing variable file");
    assert!(
        err.to_string().starts_with("cannot use variable file ")
            && err.to_string().contains("does-not-exist.tfvars"),
        "{err}"
    );
}

#[test]
fn locals_chain_in_any_order_and_cycles_are_unknown() {
    let ev = eval_case("locals");
    let r = res(&ev, "aws_s3_bucket.l");
    assert_eq!(j(attr(r, "bucket")), json!("app-PROD"));
    assert_eq!(j(attr(r, "map")), json!({"x": 2.0, "y": 4.0}));
    let (reason, _) = unknown(attr(r, "loop"));
    assert!(reason.contains("cycle"), "{reason}");
    assert_eq!(j(attr(r, "safe")), json!("fallback"));
}

#[test]
fn count_and_for_each_expand_instances() {
    let ev = eval_case("count");
    let addrs = addresses(&ev);
    for a in [
        "aws_s3_bucket.counted[0]",
        "aws_s3_bucket.counted[1]",
        "aws_s3_bucket.set[\"data\"]",
        "aws_s3_bucket.set[\"logs\"]",
        "aws_s3_bucket.map[\"eu\"]",
        "aws_s3_bucket.map[\"us\"]",
        "aws_s3_bucket.unknown",
        "aws_s3_bucket.unknown_var",
    ] {
        assert!(addrs.contains(&a), "{a} missing from {addrs:?}");
    }
    assert_eq!(addrs.len(), 9, "{addrs:?}");
    let whole = res(&ev, "aws_s3_bucket_policy.whole");
    assert_eq!(
        unknown(attr(whole, "names")).1.as_deref(),
        Some("aws_s3_bucket.unknown_var"),
        "iterating a resource with unknown for_each is unknown"
    );
    assert_eq!(j(attr(whole, "first")), json!("bucket-0"));
    assert!(!addrs
        .iter()
        .any(|a| a.contains("none") || a.contains("off")));
    assert_eq!(
        j(attr(res(&ev, "aws_s3_bucket.counted[1]"), "bucket")),
        json!("bucket-1")
    );
    assert_eq!(
        j(attr(res(&ev, "aws_s3_bucket.set[\"logs\"]"), "bucket")),
        json!("set-logs-logs")
    );
    let eu = res(&ev, "aws_s3_bucket.map[\"eu\"]");
    assert_eq!(j(attr(eu, "bucket")), json!("map-eu"));
    assert_eq!(j(attr(eu, "region")), json!("eu-west-1"));
    assert!(attr(eu, "region") == &Dyn::String("eu-west-1".into()));
    assert!(eu.body.attr("for_each").is_none());
    let u = res(&ev, "aws_s3_bucket.unknown");
    assert!(matches!(attr(u, "bucket"), Dyn::Unknown(_)));
    let warn: Vec<_> = ev
        .diagnostics
        .iter()
        .filter(|d| d.kind == DiagKind::Unresolved && d.level == DiagLevel::Warning)
        .collect();
    assert_eq!(warn.len(), 2, "{warn:?}");
    assert!(warn
        .iter()
        .all(|d| d.message.contains("evaluated once with unknown key")));
    assert!(warn.iter().any(|d| d
        .message
        .starts_with("count/for_each of aws_s3_bucket.unknown ")));
}

#[test]
fn dynamic_blocks_expand_and_unknown_for_each_is_recorded() {
    let ev = eval_case("dynamic");
    let sg = res(&ev, "aws_security_group.sg");
    let ingress: Vec<_> = sg.body.blocks_of("ingress").collect();
    assert_eq!(ingress.len(), 2);
    assert_eq!(
        j(&ingress[1].attributes["cidr_blocks"].value),
        json!(["0.0.0.0/0", "::/0"])
    );
    assert_eq!(j(&ingress[0].attributes["from_port"].value), json!(443.0));
    assert_eq!(
        j(&ingress[1].attributes["description"].value),
        json!("rule 1")
    );
    let egress: Vec<_> = sg.body.blocks_of("egress").collect();
    assert_eq!(egress.len(), 1);
    assert_eq!(j(&egress[0].attributes["key"].value), json!("a"));
    let nested: Vec<_> = egress[0].blocks_of("nested").collect();
    assert_eq!(nested.len(), 2);
    assert_eq!(j(&nested[1].attributes["name"].value), json!("a-y"));
    let ub = sg
        .body
        .unknown_blocks_of("ingress")
        .expect("unknown ingress");
    assert!(ub.reason.contains("unknown_rules"), "{}", ub.reason);
    assert!(sg.body.blocks_of("lifecycle").next().is_none());
    assert!(sg.body.blocks.iter().all(|b| b.kind != "dynamic"));
}

#[test]
fn expressions_evaluate() {
    let ev = eval_case("exprs");
    let r = res(&ev, "aws_instance.e");
    assert_eq!(j(attr(r, "cond")), json!("big"));
    assert_eq!(j(attr(r, "splat")), json!(["i-1", "i-2"]));
    assert_eq!(j(attr(r, "splat2")), json!(["a", "b"]));
    assert_eq!(j(attr(r, "forlist")), json!(["A"]));
    assert_eq!(j(attr(r, "formap")), json!({"a": "i-1", "b": "i-2"}));
    assert_eq!(j(attr(r, "grouped")), json!({"dev": ["b"], "prod": ["a"]}));
    assert_eq!(j(attr(r, "template")), json!("many:x,y,z,"));
    assert_eq!(j(attr(r, "heredoc")), json!("hello x\n  indented\n"));
    assert_eq!(j(attr(r, "math")), json!([2.5, 1.0, -5.0, false, true]));
    assert_eq!(j(attr(r, "index")), json!("dev"));
    assert_eq!(j(attr(r, "nothing")), Value::Null);
    assert_eq!(j(attr(r, "strip")), json!("axyzb"));
    let (reason, _) = unknown(attr(r, "unknown"));
    assert!(reason.contains("nope"), "{reason}");
    let (reason, _) = unknown(attr(r, "divzero"));
    assert!(reason.contains("division by zero"), "{reason}");
    let pos = r.body.attr("heredoc").expect("heredoc").pos;
    assert_eq!((pos.line, pos.end_line), (17, 20));
    assert_eq!(r.body.pos.line, 9);
    assert_eq!(r.body.pos.end_line, 27);
}

#[test]
fn local_modules_are_evaluated_per_call() {
    let ev = eval_case("modules");
    let addrs = addresses(&ev);
    for a in [
        "module.a.aws_s3_bucket.this",
        "module.b.aws_s3_bucket.this",
        "module.a.aws_s3_bucket_versioning.this",
        "module.a.module.nested.aws_s3_bucket_public_access_block.pab",
        "module.each[\"x\"].aws_s3_bucket.this",
        "module.each[\"y\"].aws_s3_bucket.this",
        "module.counted[0].aws_s3_bucket.this",
        "aws_s3_bucket_policy.p",
    ] {
        assert!(addrs.contains(&a), "{a} missing from {addrs:?}");
    }
    // The module directories are called, so they are not roots of their own.
    assert!(!addrs.contains(&"aws_s3_bucket.this"), "{addrs:?}");
    assert_eq!(addrs.len(), 1 + 6 * 3, "{addrs:?}");
    let selfref = res(&ev, "module.selfref.aws_s3_bucket_versioning.this");
    let status = &selfref
        .body
        .blocks_of("versioning_configuration")
        .next()
        .expect("block")
        .attributes["status"];
    assert_eq!(j(&status.value), json!("Enabled"));
    let a = res(&ev, "module.a.aws_s3_bucket.this");
    assert_eq!(a.module, "module.a");
    assert_eq!(&*a.file, "fixtures/eval/modules/modules/bucket/main.tf");
    assert_eq!(j(attr(a, "bucket")), json!("alpha-bucket"));
    assert_eq!(
        j(attr(res(&ev, "module.b.aws_s3_bucket.this"), "bucket")),
        json!("beta-bucket")
    );
    let vb = res(&ev, "module.b.aws_s3_bucket_versioning.this");
    let status = &vb
        .body
        .blocks_of("versioning_configuration")
        .next()
        .expect("block")
        .attributes["status"];
    assert_eq!(j(&status.value), json!("Suspended"));
    let (_, refers) = unknown(attr(vb, "bucket"));
    assert_eq!(refers.as_deref(), Some("module.b.aws_s3_bucket.this"));
    let pab = res(
        &ev,
        "module.a.module.nested.aws_s3_bucket_public_access_block.pab",
    );
    assert_eq!(j(attr(pab, "bucket")), json!("alpha-bucket"));
    assert_eq!(j(attr(pab, "module_path")), json!("modules/nested"));
    let p = res(&ev, "aws_s3_bucket_policy.p");
    assert_eq!(j(attr(p, "bucket")), json!("alpha-bucket"));
    assert_eq!(
        unknown(attr(p, "other")).1.as_deref(),
        Some("module.b.aws_s3_bucket.this")
    );
    assert_eq!(
        unknown(attr(p, "remote")).0,
        "output of remote module remote"
    );
    assert_eq!(j(attr(p, "each")), json!("each-x-bucket"));
    assert_eq!(j(attr(p, "all")), json!(["each-x-bucket", "each-y-bucket"]));
    let remote: Vec<_> = ev
        .diagnostics
        .iter()
        .filter(|d| d.kind == DiagKind::RemoteModule)
        .collect();
    assert_eq!(remote.len(), 1, "{remote:?}");
    assert_eq!(
        remote[0].message,
        "module \"remote\" not scanned: remote source terraform-aws-modules/s3-bucket/aws"
    );
    assert_eq!(remote[0].line, Some(24));
    assert_eq!(remote[0].level, DiagLevel::Warning);
    assert!(ev
        .diagnostics
        .iter()
        .any(|d| d.kind == DiagKind::MissingModule && d.line == Some(29)));
}

#[test]
fn modules_json_copies_are_used() {
    let ev = eval_case("modules_json");
    let r = res(&ev, "module.store.aws_s3_bucket.copy");
    assert_eq!(j(attr(r, "bucket")), json!("copied"));
    assert_eq!(
        &*r.file,
        "fixtures/eval/modules_json/.terraform/modules/store/main.tf"
    );
    assert!(!ev
        .diagnostics
        .iter()
        .any(|d| d.kind == DiagKind::RemoteModule));
}

#[test]
fn references_carry_refers_to() {
    let ev = eval_case("refs");
    let p = res(&ev, "aws_s3_bucket_policy.p");
    assert_eq!(
        unknown(attr(p, "bucket")),
        (
            "computed attribute aws_s3_bucket.b.id".into(),
            Some("aws_s3_bucket.b".into())
        )
    );
    assert_eq!(j(attr(p, "name")), json!("my-bucket"));
    assert_eq!(
        unknown(attr(p, "arn")),
        (
            "computed attribute aws_s3_bucket.b.arn".into(),
            Some("aws_s3_bucket.b".into())
        )
    );
    match attr(p, "resources") {
        Dyn::List(items) => assert_eq!(unknown(&items[0]).1.as_deref(), Some("aws_s3_bucket.b")),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        unknown(attr(p, "indexed")).1.as_deref(),
        Some("aws_s3_bucket.many[1]")
    );
    assert_eq!(
        unknown(attr(p, "keyed")).1.as_deref(),
        Some("aws_s3_bucket.keyed[\"k\"]")
    );
    assert_eq!(j(attr(p, "all_names")), json!(["many-0", "many-1"]));
    assert_eq!(
        unknown(attr(p, "doc")).1.as_deref(),
        Some("data.aws_iam_policy_document.d")
    );
    assert_eq!(
        j(attr(p, "policy")),
        json!(
            r#"{"Statement":[{"Action":"s3:*","Condition":{"Bool":{"aws:SecureTransport":"false"}},"Effect":"Deny","Principal":"*","Resource":"arn:aws:s3:::my-bucket/*"}],"Version":"2012-10-17"}"#
        )
    );
    let each = res(&ev, "aws_s3_bucket_policy.each[\"k\"]");
    assert_eq!(
        unknown(attr(each, "arn")),
        (
            "computed attribute aws_s3_bucket.keyed[\"k\"].arn".into(),
            Some("aws_s3_bucket.keyed[\"k\"]".into())
        )
    );
    assert_eq!(
        unknown(attr(each, "bucket")).1.as_deref(),
        Some("aws_s3_bucket.keyed[\"k\"]")
    );
    assert_eq!(j(attr(each, "name")), json!("keyed-k"));
    let d = res(&ev, "data.aws_iam_policy_document.d");
    assert_eq!(d.mode, Mode::Data);
    let inner = res(&ev, "module.store.aws_s3_bucket_policy.inner");
    assert_eq!(
        unknown(attr(inner, "bucket")).1.as_deref(),
        Some("module.store.aws_s3_bucket.inner")
    );
}

#[test]
fn functions_table() {
    let ev = eval_case("functions");
    let r = res(&ev, "terraform_data.f");
    let table: Vec<(&str, Value)> = vec![
        ("abs", json!(3.0)),
        ("ceil", json!(2.0)),
        ("floor", json!(1.0)),
        ("max", json!(5.0)),
        ("min", json!(2.0)),
        ("parseint", json!(255.0)),
        ("pow", json!(1024.0)),
        ("signum", json!(-1.0)),
        ("chomp", json!("x")),
        ("format", json!("a-007")),
        ("formatlist", json!(["a=v", "b=v"])),
        ("indent", json!("a\n  b")),
        ("join", json!("a,b")),
        ("lower", json!("abc")),
        ("upper", json!("ABC")),
        ("title", json!("Hello World")),
        ("regex", json!("abc")),
        ("regex_groups", json!(["10", "20"])),
        ("regexall", json!(["1", "2"])),
        ("replace", json!("a_b_c")),
        ("replace_re", json!("a#b#")),
        ("split", json!(["a", "b", "c"])),
        ("strrev", json!("cba")),
        ("substr", json!("ell")),
        ("trim", json!("hi")),
        ("trimprefix", json!("bar")),
        ("trimsuffix", json!("foo")),
        ("trimspace", json!("x")),
        ("startswith", json!(true)),
        ("endswith", json!(true)),
        ("strcontains", json!(false)),
        ("alltrue", json!(true)),
        ("anytrue", json!(true)),
        ("chunklist", json!([[1.0, 2.0], [3.0]])),
        ("coalesce", json!("x")),
        ("coalescelist", json!(["a"])),
        ("compact", json!(["a", "b"])),
        ("concat", json!([1.0, 2.0, 3.0])),
        ("contains", json!(true)),
        ("distinct", json!([1.0, 2.0])),
        ("element", json!("b")),
        ("flatten", json!([1.0, 2.0, 3.0])),
        ("index", json!(1.0)),
        ("keys", json!(["a", "b"])),
        ("length", json!(5.0)),
        ("lookup", json!(9.0)),
        ("matchkeys", json!(["i2"])),
        ("merge", json!({"a": 3.0, "b": 2.0})),
        ("one", json!("x")),
        ("range", json!([1.0, 2.0, 3.0])),
        ("reverse", json!([2.0, 1.0])),
        ("setintersection", json!(["b"])),
        ("setproduct", json!([["a", 1.0], ["a", 2.0]])),
        ("setsubtract", json!(["b"])),
        ("setunion", json!(["a", "b"])),
        ("slice", json!(["b", "c"])),
        ("sort", json!(["a", "b"])),
        ("sum", json!(6.0)),
        ("transpose", json!({"1": ["a"], "2": ["a", "b"]})),
        ("values", json!([1.0, 2.0])),
        ("zipmap", json!({"a": 1.0, "b": 2.0})),
        ("b64", json!("aGk=")),
        ("b64d", json!("hi")),
        ("json", json!(r#"{"a":true,"b":[1,"x"]}"#)),
        ("jsond", json!({"a": [1.0, 2.0]})),
        ("tostring", json!("5")),
        ("tonumber", json!(5.0)),
        ("tobool", json!(true)),
        ("toset", json!(["a", "b"])),
        ("try", json!("fallback")),
        ("can_ok", json!(true)),
        ("can_bad", json!(false)),
        ("cidrhost", json!("10.0.0.5")),
        ("cidrnetmask", json!("255.255.0.0")),
        ("cidrsubnet", json!("10.0.3.0/24")),
        ("cidrsubnets", json!(["10.0.0.0/24", "10.0.1.0/24"])),
        ("file", json!("{\"Statement\":[]}")),
        ("fileexists", json!(true)),
        ("fileset", json!(["policy.json"])),
        ("templatefile", json!("hello n\n- a\n- b\n")),
        ("basename", json!("c.txt")),
        ("dirname", json!("a/b")),
        (
            "sha256",
            json!("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ),
        ("sensitive", json!("s")),
        ("length_unknown", json!(2.0)),
        ("coalesce_unk", json!("first")),
        ("lookup_unknown", json!("v")),
    ];
    let mut failures = Vec::new();
    for (name, want) in &table {
        let got = j(attr(r, name));
        if &got != want {
            failures.push(format!("{name}: got {got}, want {want}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    match attr(r, "merge_unknown") {
        Dyn::Map(m) => {
            assert_eq!(m.get("b"), Some(&Dyn::Number(1.0)));
            assert!(matches!(m.get("a"), Some(Dyn::Unknown(_))));
        }
        other => panic!("merge with unknown values keeps its keys: {other:?}"),
    }
    for name in [
        "file_missing",
        "uuid",
        "unsupported",
        "provider_fn",
        "upper_unknown",
    ] {
        assert!(
            matches!(attr(r, name), Dyn::Unknown(_)),
            "{name} should be unknown"
        );
    }
    assert_eq!(
        unknown(attr(r, "unsupported")).0,
        "function \"frobnicate\" is not supported"
    );
}

#[test]
fn parse_errors_are_diagnostics_and_other_files_still_count() {
    let ev = eval_case("parse_error");
    let d = ev
        .diagnostics
        .iter()
        .find(|d| d.kind == DiagKind::ParseError)
        .expect("parse error");
    assert_eq!(
        d.file.as_ref().map(|f| f.as_str()),
        Some("fixtures/eval/parse_error/bad.tf")
    );
    assert_eq!(d.line, Some(4));
    assert_eq!(d.level, DiagLevel::Error);
    assert_eq!(addresses(&ev), vec!["aws_s3_bucket.good"]);
    assert_eq!(ev.files_parsed, 2);
}

#[test]
fn terraform_json_is_evaluated() {
    let ev = eval_case("json");
    let r = res(&ev, "aws_s3_bucket.j[0]");
    assert_eq!(j(attr(r, "bucket")), json!("app-dev"));
    assert_eq!(j(attr(r, "tags")), json!({"Env": "dev"}));
    let v = r
        .body
        .blocks_of("versioning")
        .next()
        .expect("versioning block");
    assert_eq!(j(&v.attributes["enabled"].value), json!(true));
    assert_eq!(r.body.pos.line, 10);
    assert_eq!(r.body.attr("bucket").map(|a| a.pos.line), Some(11));
}

#[test]
fn module_library_scanned_alone_is_a_root() {
    let ev = eval_case("library");
    let r = res(&ev, "aws_s3_bucket.lib");
    assert_eq!(
        unknown(attr(r, "bucket")).0,
        "variable \"bucket_name\" has no value"
    );
    assert_eq!(j(attr(r, "enabled")), json!(true));
}

#[test]
fn whole_corpus_evaluates_without_panic() {
    let corpus = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/corpus/terraform"
    ));
    if !corpus.exists() {
        eprintln!("corpus not present; skipping");
        return;
    }
    let files = soc2scan::discover::discover(&[corpus]).expect("discover");
    let start = std::time::Instant::now();
    let (ev, parses) = evaluate_with_parse_counts(&files, &TfOptions::default()).expect("evaluate");
    eprintln!(
        "corpus: {} files parsed, {} resources, {} diagnostics in {:?}",
        ev.files_parsed,
        ev.resources.len(),
        ev.diagnostics.len(),
        start.elapsed()
    );
    assert!(
        ev.resources.len() > 1500,
        "only {} resources",
        ev.resources.len()
    );
    let pe = ev
        .diagnostics
        .iter()
        .find(|d| {
            d.kind == DiagKind::ParseError
                && d.file.as_ref().is_some_and(|f| {
                    f.as_str()
                        .ends_with("cloud-foundation-fabric/modules/cloudsql-instance/main.tf")
                })
        })
        .expect("cloudsql-instance parse error");
    assert!(pe.line.is_some_and(|l| l > 0));
    // Every Terraform file of the corpus was parsed exactly once, and only those.
    let tf: BTreeSet<String> = files
        .iter()
        .filter(|f| matches!(f.kind, FileKind::Terraform | FileKind::TerraformJson))
        .map(|f| f.display.to_string())
        .collect();
    assert_eq!(parses.keys().cloned().collect::<BTreeSet<_>>(), tf);
    let twice: Vec<_> = parses.iter().filter(|(_, n)| **n != 1).collect();
    assert!(twice.is_empty(), "parsed more than once: {twice:?}");
    assert_eq!(ev.files_parsed, tf.len());
}

/// The call scanner finds exactly the module calls the parser finds, in every file of
/// the corpus that parses.
#[test]
fn call_scanner_agrees_with_the_parser_on_the_corpus() {
    let corpus = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/corpus/terraform"
    ));
    if !corpus.exists() {
        eprintln!("corpus not present; skipping");
        return;
    }
    let files = soc2scan::discover::discover(&[corpus]).expect("discover");
    let tf: Vec<_> = files
        .iter()
        .filter(|f| matches!(f.kind, FileKind::Terraform | FileKind::TerraformJson))
        .collect();
    assert!(tf.len() > 3000, "{} files", tf.len());
    let (mut compared, mut with_calls, mut failed) = (0, 0, 0);
    let mut mismatches = Vec::new();
    for f in tf {
        let text = std::fs::read_to_string(&f.path).expect("readable");
        let scanned = calls::file_module_calls(&f.path, &text);
        match parsed_module_calls(&f.path, &text) {
            Some(parsed) => {
                compared += 1;
                with_calls += usize::from(!parsed.is_empty());
                if parsed != scanned {
                    mismatches.push((f.display.to_string(), parsed, scanned));
                }
            }
            None => failed += 1,
        }
    }
    eprintln!("{compared} files compared, {with_calls} with module calls, {failed} unparsable");
    assert!(mismatches.is_empty(), "{mismatches:#?}");
    assert!(with_calls > 300, "{with_calls} files with module calls");
    assert!(failed <= 2, "{failed} unparsable files");
}

/// Roots sharing modules, a module reached only through a duplicate call, and a module
/// called only from a file that does not parse: every file is parsed once, and its
/// parse errors are reported once.
#[test]
fn every_file_is_parsed_once() {
    let (ev, parses) = parse_counts(&fixture("parse_once"));
    let base = "fixtures/eval/parse_once/";
    let expected: BTreeMap<String, usize> = [
        "a/main.tf",
        "a/zz_duplicate.tf",
        "b/main.tf",
        "broken/bad.tf",
        "broken/ok.tf",
        "modules/m/main.tf",
        "modules/n/main.tf",
        "modules/never/main.tf",
        "orphan/main.tf",
    ]
    .iter()
    .map(|f| (format!("{base}{f}"), 1))
    .collect();
    assert_eq!(parses, expected);
    assert_eq!(ev.files_parsed, 9);
    let mut got: Vec<(String, String)> = ev
        .resources
        .iter()
        .zip(&ev.roots)
        .map(|(r, root)| (root.to_string(), r.address.clone()))
        .collect();
    got.sort();
    let want: Vec<(String, String)> = [
        ("a", "module.m[0].aws_s3_bucket.m"),
        ("a", "module.m[0].module.inner.aws_s3_bucket.n"),
        ("a", "module.m[1].aws_s3_bucket.m"),
        ("a", "module.m[1].module.inner.aws_s3_bucket.n"),
        ("a", "module.n.aws_s3_bucket.n"),
        ("b", "module.m.aws_s3_bucket.m"),
        ("b", "module.m.module.inner.aws_s3_bucket.n"),
        ("broken", "aws_s3_bucket.ok"),
        ("orphan", "aws_s3_bucket.orphan"),
    ]
    .iter()
    .map(|(root, a)| (format!("{base}{root}"), a.to_string()))
    .collect();
    assert_eq!(got, want);
    let bucket = ev
        .resources
        .iter()
        .find(|r| r.address == "module.m[1].module.inner.aws_s3_bucket.n")
        .expect("inner bucket");
    assert_eq!(j(attr(bucket, "bucket")), json!("n-inner-a-1"));
    let errors: Vec<(String, Option<u32>)> = ev
        .diagnostics
        .iter()
        .filter(|d| d.kind == DiagKind::ParseError)
        .map(|d| {
            (
                d.file.as_ref().map(|f| f.to_string()).unwrap_or_default(),
                d.line,
            )
        })
        .collect();
    assert_eq!(
        errors,
        vec![
            (format!("{base}broken/bad.tf"), Some(6)),
            (format!("{base}modules/never/main.tf"), Some(2)),
        ]
    );
}

/// Modules outside the scanned paths are read from disk, counted and parsed once.
#[test]
fn modules_outside_the_scan_are_parsed_once() {
    let (ev, parses) = parse_counts(&fixture("parse_once/a"));
    let base = "fixtures/eval/parse_once/";
    let expected: BTreeMap<String, usize> = [
        "a/main.tf",
        "a/zz_duplicate.tf",
        "modules/m/main.tf",
        "modules/n/main.tf",
    ]
    .iter()
    .map(|f| (format!("{base}{f}"), 1))
    .collect();
    assert_eq!(parses, expected);
    assert_eq!(ev.files_parsed, 4);
    assert_eq!(ev.resources.len(), 5, "{:?}", addresses(&ev));
}

fn parse_counts(dir: &std::path::Path) -> (Evaluated, BTreeMap<String, usize>) {
    let files = soc2scan::discover::discover(&[dir.to_path_buf()]).expect("discover");
    evaluate_with_parse_counts(&files, &TfOptions::default()).expect("evaluate")
}

fn json_of(d: &Dyn) -> Option<Value> {
    match d {
        Dyn::Unknown(u) => u.json_of.as_deref().map(j),
        other => panic!("expected unknown, got {other:?}"),
    }
}

fn policy_doc(
    model: &soc2scan::model::Model,
    addr: &str,
) -> soc2scan::model::aws::iam::PolicyDocument {
    let p = model
        .aws
        .iam_policies
        .iter()
        .find(|p| &*p.meta.address == addr)
        .unwrap_or_else(|| panic!("no policy {addr}"));
    match &p.document.value {
        soc2scan::model::Resolved::Set(d) => d.clone(),
        other => panic!("{addr}: document not known: {other:?}"),
    }
}

#[test]
fn jsonencode_and_json_heredocs_keep_structure_around_unknowns() {
    let ev = eval_case("unknown_json");
    let arn = json!({"unknown": "computed attribute aws_s3_bucket.b.arn", "refers_to": "aws_s3_bucket.b"});
    let encoded = attr(res(&ev, "aws_iam_policy.encoded"), "policy");
    assert_eq!(
        json_of(encoded),
        Some(json!({
            "Statement": [{
                "Action": ["s3:GetObject"],
                "Effect": "Allow",
                "Resource": [
                    {"unknown": "computed attribute aws_s3_bucket.b.arn", "refers_to": "aws_s3_bucket.b"},
                    arn.clone()
                ],
                "Sid": "Read"
            }],
            "Version": "2012-10-17"
        }))
    );
    let heredoc = attr(res(&ev, "aws_iam_policy.heredoc"), "policy");
    let doc = json_of(heredoc).expect("heredoc kept as JSON");
    assert_eq!(doc["Statement"][0]["Resource"][0], arn);
    assert_eq!(doc["Statement"][0]["Resource"][1], arn);
    assert_eq!(doc["Statement"][0]["Effect"], json!("Deny"));
    let nested = attr(res(&ev, "aws_iam_policy.nested_heredoc"), "policy");
    assert_eq!(
        json_of(nested).expect("nested jsonencode kept")["Statement"][0]["Resource"],
        json!([arn])
    );

    // Values derived from an encoding are not that encoding.
    let t = attr(res(&ev, "terraform_data.t"), "input");
    let Dyn::Map(t) = t else { panic!("{t:?}") };
    assert_eq!(json_of(&t["derived"]), None);
    assert_eq!(json_of(&t["upper"]), None);
    assert_eq!(json_of(&t["not_json"]), None);
    assert_eq!(j(&t["decoded"]), json!(1.0));

    // Policy documents are read with the unknown ARN as an unknown pattern.
    let model = soc2scan::adapt::terraform::to_model::to_model(&ev);
    let d = policy_doc(&model, "aws_iam_policy.encoded");
    assert_eq!(d.incomplete, None);
    let st = &d.statements[0];
    assert_eq!(st.sid.as_deref(), Some("Read"));
    assert!(st.covers_action("s3:GetObject"));
    assert!(st.resources.values.is_empty());
    assert_eq!(
        st.resources.unknown.as_deref(),
        Some("computed attribute aws_s3_bucket.b.arn")
    );
    let d = policy_doc(&model, "aws_iam_policy.heredoc");
    assert_eq!(d.incomplete, None);
    assert!(d.statements[0].applies_to_everyone());
    assert!(d.statements[0].has_condition("Bool", "aws:SecureTransport", "false"));
    // An unknown principal (a variable) may widen the document: parsed, but incomplete.
    let d = policy_doc(&model, "aws_iam_policy.unknown_principal");
    assert_eq!(d.statements.len(), 1);
    assert_eq!(
        d.incomplete.as_deref(),
        Some("variable \"principal\" has no value")
    );
}

#[test]
fn unknown_instance_keys_refer_to_the_resource() {
    let ev = eval_case("unknown_json");
    let t = attr(res(&ev, "terraform_data.t"), "input");
    let Dyn::Map(t) = t else { panic!("{t:?}") };
    let (reason, refers) = unknown(&t["by_index"]);
    assert_eq!(refers.as_deref(), Some("aws_s3_bucket.many"));
    assert!(reason.starts_with("instance of aws_s3_bucket.many selected by an unknown key"));
    assert_eq!(j(&t["known_idx"]), json!("many-1"));
    let p = res(&ev, "module.m.aws_s3_bucket_policy.p");
    assert_eq!(
        unknown(attr(p, "bucket")).1.as_deref(),
        Some("module.m.aws_s3_bucket.inner")
    );
    // The join is ambiguous among that resource's instances only.
    let model = soc2scan::adapt::terraform::to_model::to_model(&ev);
    for b in &model.aws.s3_buckets {
        let inner = b.meta.address.starts_with("module.m.aws_s3_bucket.inner[");
        let unknown_policy = matches!(b.policy.value, soc2scan::model::Resolved::Unknown(_));
        assert_eq!(unknown_policy, inner, "{}: {:?}", b.meta.address, b.policy);
    }
}

#[test]
fn null_inputs_of_non_nullable_variables_use_the_default() {
    let ev = eval_case("unknown_json");
    let r = res(&ev, "module.m.terraform_data.inputs");
    assert_eq!(j(attr(r, "input")), json!({"flag": false, "opt": null}));
}
