//! Evaluated Terraform: resource instances as the evaluator leaves them, before
//! they are adapted into the typed model. Every attribute keeps its position.

use std::collections::BTreeMap;
use std::sync::Arc;

/// A position in a source file: 1-based lines and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Pos {
    /// First line (1-based).
    pub line: u32,
    /// Column of the first character on `line` (1-based).
    pub col: u32,
    /// Last line (1-based, >= `line`).
    pub end_line: u32,
}

/// Why a value is not known before `terraform apply`.
#[derive(Debug, Clone, PartialEq)]
pub struct Unknown {
    /// Human-readable reason, e.g. "computed attribute aws_kms_key.k.arn" or
    /// "variable \"x\" has no value".
    pub reason: Arc<str>,
    /// When the value is (an attribute of) another resource or data source, its address
    /// without the attribute (`aws_s3_bucket.b`, `module.m.data.aws_iam_policy_document.p`).
    /// Used to join related resources (a bucket policy to its bucket).
    pub refers_to: Option<Arc<str>>,
    /// When this unknown string is the JSON encoding of a partly known value
    /// (`jsonencode({...})` with unknown leaves, a JSON heredoc interpolating unknown
    /// values), that value: its known structure can still be read (a policy whose
    /// `Resource` is an unknown ARN).
    pub json_of: Option<Arc<Dyn>>,
    /// Whether the value is a string with known text around its unknown parts
    /// (`"arn:aws:iam::${var.account_id}:root"`): whatever the unknown parts are, it is
    /// a concrete value, never a bare wildcard such as `*`.
    pub partial: bool,
}

impl Unknown {
    /// An unknown with a reason and nothing else.
    pub fn new(reason: impl Into<Arc<str>>) -> Unknown {
        Unknown {
            reason: reason.into(),
            refers_to: None,
            json_of: None,
            partial: false,
        }
    }

    /// The same unknown without [`Unknown::json_of`], for a value derived from it.
    pub fn opaque(&self) -> Unknown {
        Unknown {
            reason: self.reason.clone(),
            refers_to: self.refers_to.clone(),
            json_of: None,
            partial: self.partial,
        }
    }
}

/// An evaluated HCL value. Lists, tuples and sets are `List`; maps and objects are `Map`.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Dyn {
    /// `null`, or an absent optional value.
    #[default]
    Null,
    /// A boolean.
    Bool(bool),
    /// A number (Terraform numbers; integers are exact up to 2^53).
    Number(f64),
    /// A string.
    String(String),
    /// A list, tuple or set (sets keep the order of their first appearance, duplicates removed).
    List(Vec<Dyn>),
    /// A map or object, keys sorted.
    Map(BTreeMap<String, Dyn>),
    /// A value that cannot be known before apply, with the reason.
    Unknown(Unknown),
}

impl Dyn {
    /// An unknown value with a reason and no referenced resource.
    pub fn unknown(reason: impl Into<Arc<str>>) -> Dyn {
        Dyn::Unknown(Unknown::new(reason))
    }
}

/// An attribute of a block after evaluation.
#[derive(Debug, Clone, PartialEq)]
pub struct Attribute {
    /// The evaluated value.
    pub value: Dyn,
    /// Where the attribute is written (name through end of expression).
    pub pos: Pos,
}

/// A nested block whose `dynamic` expansion could not be resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct UnknownBlock {
    /// Block type (e.g. `ingress`).
    pub kind: String,
    /// Why its content is unknown.
    pub reason: Arc<str>,
    /// Where the `dynamic` block is written.
    pub pos: Pos,
}

/// A block (resource body or nested block) after evaluation: `dynamic` blocks are
/// expanded into ordinary `blocks`, meta-arguments (`count`, `for_each`, `provider`,
/// `depends_on`, `lifecycle`) are removed.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Block {
    /// Block type (`resource`, `data`, `ingress`, `rule`, ...).
    pub kind: String,
    /// Block labels (for a resource: type and name).
    pub labels: Vec<String>,
    /// Where the whole block is written.
    pub pos: Pos,
    /// Attributes by name.
    pub attributes: BTreeMap<String, Attribute>,
    /// Nested blocks in source order (dynamic blocks expanded in place).
    pub blocks: Vec<Block>,
    /// Nested `dynamic` blocks whose `for_each` is unknown.
    pub unknown_blocks: Vec<UnknownBlock>,
}

impl Block {
    /// The attribute `name`, if written.
    pub fn attr(&self, name: &str) -> Option<&Attribute> {
        self.attributes.get(name)
    }

    /// Nested blocks of type `kind`.
    pub fn blocks_of<'a>(&'a self, kind: &'a str) -> impl Iterator<Item = &'a Block> + 'a {
        self.blocks.iter().filter(move |b| b.kind == kind)
    }

    /// Why nested blocks of type `kind` are not fully known, if a `dynamic` block of
    /// that type could not be expanded.
    pub fn unknown_blocks_of(&self, kind: &str) -> Option<&UnknownBlock> {
        self.unknown_blocks.iter().find(|b| b.kind == kind)
    }
}

/// Whether a block is a managed resource or a data source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Mode {
    /// `resource "type" "name"`.
    Managed,
    /// `data "type" "name"`.
    Data,
}

/// One resource instance (one per `count` index or `for_each` key).
#[derive(Debug, Clone, PartialEq)]
pub struct Resource {
    /// Managed resource or data source.
    pub mode: Mode,
    /// Resource type, e.g. `aws_s3_bucket`.
    pub rtype: String,
    /// Resource name, e.g. `logs`.
    pub name: String,
    /// Full instance address, e.g. `module.store.aws_s3_bucket.logs["eu"]`,
    /// `data.aws_iam_policy_document.p`.
    pub address: String,
    /// Address of the module instance (`""` for the root, `module.store`,
    /// `module.a["x"].module.b`).
    pub module: String,
    /// Display path of the file that declares the resource (relative to the working
    /// directory when the file is under it, `/`-separated).
    pub file: Arc<str>,
    /// The evaluated body; `body.pos` spans the whole `resource` block.
    pub body: Block,
}

/// The result of evaluating a set of Terraform files.
#[derive(Debug, Default)]
pub struct Evaluated {
    /// Every resource and data-source instance of every root module and the local
    /// modules they call, in a deterministic order (file, line, address).
    pub resources: Vec<Resource>,
    /// The root module (directory, display path) each resource belongs to, in the
    /// order of `resources`: resources of different roots are separate configurations
    /// (the same address may occur in each). Empty when all are one configuration.
    pub roots: Vec<Arc<str>>,
    /// What could not be parsed, fetched or resolved.
    pub diagnostics: Vec<crate::diagnostic::Diagnostic>,
    /// Number of Terraform files parsed (for the summary).
    pub files_parsed: usize,
}
