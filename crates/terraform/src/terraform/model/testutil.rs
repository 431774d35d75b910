//! Builders for hand-written evaluated Terraform in adapter tests.

use std::sync::Arc;

use crate::terraform::ir::{Attribute, Block, Dyn, Evaluated, Mode, Pos, Resource, Unknown};

fn pos(line: u32) -> Pos {
    Pos {
        line,
        col: 1,
        end_line: line,
    }
}

/// A block under construction.
pub(crate) struct B(pub Block);

impl B {
    /// A nested block of `kind` starting at `line`.
    pub fn new(kind: &str, line: u32) -> Self {
        B(Block {
            kind: kind.into(),
            pos: pos(line),
            ..Block::default()
        })
    }

    /// Adds an attribute written on `line`.
    pub fn a(mut self, name: &str, v: Dyn, line: u32) -> Self {
        self.0.attributes.insert(
            name.into(),
            Attribute {
                value: v,
                pos: pos(line),
            },
        );
        self
    }

    /// Adds a nested block.
    pub fn b(mut self, b: B) -> Self {
        self.0.blocks.push(b.0);
        self
    }
}

/// A managed resource `rtype.name` (instance `key`, e.g. `["x"]` or `""`) in `module`,
/// declared at `line` of `main.tf`, with the body built by `body`.
pub(crate) fn managed(
    rtype: &str,
    name: &str,
    module: &str,
    line: u32,
    body: impl FnOnce(B) -> B,
) -> Resource {
    resource(Mode::Managed, rtype, name, "", module, line, body)
}

/// Like [`managed`], with an instance key (`["x"]`, `[0]`).
pub(crate) fn instance(
    rtype: &str,
    name: &str,
    key: &str,
    module: &str,
    line: u32,
    body: impl FnOnce(B) -> B,
) -> Resource {
    resource(Mode::Managed, rtype, name, key, module, line, body)
}

/// A data source.
pub(crate) fn data(
    rtype: &str,
    name: &str,
    module: &str,
    line: u32,
    body: impl FnOnce(B) -> B,
) -> Resource {
    resource(Mode::Data, rtype, name, "", module, line, body)
}

fn resource(
    mode: Mode,
    rtype: &str,
    name: &str,
    key: &str,
    module: &str,
    line: u32,
    body: impl FnOnce(B) -> B,
) -> Resource {
    let prefix = if module.is_empty() {
        String::new()
    } else {
        format!("{module}.")
    };
    let data = if mode == Mode::Data { "data." } else { "" };
    let mut b = body(B::new(
        if mode == Mode::Data {
            "data"
        } else {
            "resource"
        },
        line,
    ))
    .0;
    b.labels = vec![rtype.into(), name.into()];
    b.pos = Pos {
        line,
        col: 1,
        end_line: line + 20,
    };
    Resource {
        mode,
        rtype: rtype.into(),
        name: name.into(),
        address: format!("{prefix}{data}{rtype}.{name}{key}"),
        module: module.into(),
        file: Arc::from("main.tf"),
        body: b,
    }
}

/// A string.
pub(crate) fn s(v: &str) -> Dyn {
    Dyn::String(v.into())
}

/// A reference to (an attribute of) the resource at `addr`, unknown before apply.
pub(crate) fn r(addr: &str) -> Dyn {
    Dyn::Unknown(Unknown {
        reason: format!("computed attribute of {addr}").into(),
        refers_to: Some(addr.into()),
        json_of: None,
        partial: false,
    })
}

/// An unknown value with no reference (a variable without a value).
pub(crate) fn var(name: &str) -> Dyn {
    Dyn::unknown(format!("variable \"{name}\" has no value"))
}

/// A list.
pub(crate) fn list(items: Vec<Dyn>) -> Dyn {
    Dyn::List(items)
}

/// Evaluated resources.
pub(crate) fn ev(resources: Vec<Resource>) -> Evaluated {
    Evaluated {
        resources,
        ..Evaluated::default()
    }
}

/// Evaluated resources of several root modules: each resource with its root directory.
pub(crate) fn ev_roots(resources: Vec<(&str, Resource)>) -> Evaluated {
    let (roots, resources) = resources
        .into_iter()
        .map(|(root, r)| (Arc::<str>::from(root), r))
        .unzip();
    Evaluated {
        resources,
        roots,
        ..Evaluated::default()
    }
}
