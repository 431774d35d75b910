//! Links between AWS resources, resolved once for the whole model.
//!
//! A resource names another by name (a user's groups), by address or ARN (a database's
//! parameter group, a rule's security group) or by a shared key (a metric filter's
//! metric). Such a name means something only where it is unique: within one Terraform
//! root module, or within one live account (IAM, S3 account settings) or one account and
//! region (everything else). [`link`] resolves every such reference within its
//! [`LinkScope`](crate::model::LinkScope) after all sources are merged, and stores the
//! result as indices into the model's collections; rules read [`AwsLinks`] through the
//! accessors on [`Model`](crate::model::Model) and never search collections by name.

use std::collections::HashMap;

use crate::model::aws::iam::IamGroup;
use crate::model::aws::rds::{DbInstance, DbParameterGroup, ParameterGroupRef};
use crate::model::aws::s3::AccountPublicAccessBlock;
use crate::model::aws::AwsModel;
use crate::model::{LinkScope, Model, ResourceMeta, Value};

/// The resolved links, as indices into the collections of [`AwsModel`]. Each vector is
/// parallel to the collection named in its doc (same length and order). Empty until
/// [`Model::link`] runs; the accessors then answer "not linked".
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct AwsLinks {
    /// Per IAM user, per entry of its `groups`: the index in `iam_groups` of the group of
    /// that name in the user's account (or root module), if there is one.
    pub user_groups: Vec<Vec<Option<usize>>>,
    /// Per DB instance: the index in `db_parameter_groups` of the group its
    /// `parameter_group` names ([`ParameterGroupRef::Group`]) in its account and region
    /// (or root module).
    pub instance_parameter_group: Vec<Option<usize>>,
    /// Per DB cluster: as [`AwsLinks::instance_parameter_group`].
    pub cluster_parameter_group: Vec<Option<usize>>,
    /// Per DB cluster: the indices in `db_instances` of its members.
    pub cluster_members: Vec<Vec<usize>>,
    /// Per metric filter: the alarms on its metric.
    pub filter_alarms: Vec<FilterAlarms>,
    /// Per security group: the indices in `security_group_rules` of its rules.
    pub security_group_rules: Vec<Vec<usize>>,
    /// Per S3 bucket: the indices in `s3_account_public_access_blocks` of the account
    /// public access blocks of its account (or root module).
    pub bucket_account_blocks: Vec<Vec<usize>>,
    /// Per load balancer: its web ACL associations.
    pub load_balancer_web_acl: Vec<WebAclLink>,
    /// Per API stage: its web ACL associations.
    pub api_stage_web_acl: Vec<WebAclLink>,
}

/// The alarms on the metric of one metric filter, in its account and region (or root
/// module).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct FilterAlarms {
    /// Indices in `metric_alarms` of the alarms known to watch the metric.
    pub watching: Vec<usize>,
    /// Indices of the alarms whose metric is unknown (they might watch it).
    pub unknown: Vec<usize>,
}

/// The web ACL associations of one resource, in its account and region (or root
/// module).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct WebAclLink {
    /// Indices in `web_acl_associations` of the associations naming the resource.
    pub associated: Vec<usize>,
    /// Indices of the associations whose resource is unknown but might be this one.
    pub possible: Vec<usize>,
}

/// Indices of `items` by (link scope, key), for the items whose key is known.
fn index<'a, T>(
    items: &'a [T],
    scope: impl Fn(&T) -> LinkScope,
    key: impl Fn(&'a T) -> Option<&'a str>,
) -> HashMap<(LinkScope, &'a str), Vec<usize>> {
    let mut map: HashMap<(LinkScope, &'a str), Vec<usize>> = HashMap::new();
    for (i, t) in items.iter().enumerate() {
        if let Some(k) = key(t) {
            map.entry((scope(t), k)).or_default().push(i);
        }
    }
    map
}

/// The first index of `key` within `scope`.
fn first(
    map: &HashMap<(LinkScope, &str), Vec<usize>>,
    scope: LinkScope,
    key: &str,
) -> Option<usize> {
    map.get(&(scope, key)).and_then(|v| v.first().copied())
}

/// All indices of `key` within `scope`.
fn all(map: &HashMap<(LinkScope, &str), Vec<usize>>, scope: LinkScope, key: &str) -> Vec<usize> {
    map.get(&(scope, key)).cloned().unwrap_or_default()
}

fn parameter_group_link(
    groups: &HashMap<(LinkScope, &str), Vec<usize>>,
    meta: &ResourceMeta,
    group: &Value<ParameterGroupRef>,
) -> Option<usize> {
    match group.known()? {
        ParameterGroupRef::Group(addr) => first(groups, meta.link_scope(), addr),
        ParameterGroupRef::Default | ParameterGroupRef::External(_) => None,
    }
}

fn web_acl_link(aws: &AwsModel, meta: &ResourceMeta) -> WebAclLink {
    let scope = meta.link_scope();
    let mut link = WebAclLink::default();
    for (i, a) in aws.web_acl_associations.iter().enumerate() {
        if a.meta.link_scope() != scope {
            continue;
        }
        if a.resource.known().is_some_and(|r| r == &*meta.address) {
            link.associated.push(i);
        } else if a.possible.iter().any(|p| p == &*meta.address) {
            link.possible.push(i);
        }
    }
    link
}

/// Resolves every link of `aws` (see the module documentation).
pub fn link(aws: &mut AwsModel) -> AwsLinks {
    let aws = &*aws;
    let groups = index(
        &aws.iam_groups,
        |g| g.meta.account_link_scope(),
        |g| g.name.known().map(String::as_str),
    );
    let user_groups = aws
        .iam_users
        .iter()
        .map(|u| {
            let scope = u.meta.account_link_scope();
            u.groups
                .iter()
                .map(|g| first(&groups, scope.clone(), g.known()?))
                .collect()
        })
        .collect();

    let params = index(
        &aws.db_parameter_groups,
        |g| g.meta.link_scope(),
        |g| Some(&*g.meta.address),
    );
    let instance_parameter_group = aws
        .db_instances
        .iter()
        .map(|d| parameter_group_link(&params, &d.meta, &d.parameter_group))
        .collect();
    let cluster_parameter_group = aws
        .db_clusters
        .iter()
        .map(|c| parameter_group_link(&params, &c.meta, &c.parameter_group))
        .collect();
    let members = index(
        &aws.db_instances,
        |d: &DbInstance| d.meta.link_scope(),
        |d| {
            d.cluster
                .as_ref()
                .and_then(|c| c.known())
                .map(String::as_str)
        },
    );
    let cluster_members = aws
        .db_clusters
        .iter()
        .map(|c| all(&members, c.meta.link_scope(), &c.meta.address))
        .collect();

    let filter_alarms = aws
        .metric_filters
        .iter()
        .map(|f| {
            let mut link = FilterAlarms::default();
            let (Some(name), Some(ns)) = (f.metric_name.known(), f.namespace.known()) else {
                return link;
            };
            let scope = f.meta.link_scope();
            for (i, a) in aws.metric_alarms.iter().enumerate() {
                if a.meta.link_scope() != scope {
                    continue;
                }
                match a.watches(name, ns) {
                    Some(true) => link.watching.push(i),
                    None => link.unknown.push(i),
                    Some(false) => {}
                }
            }
            link
        })
        .collect();

    let rules = index(
        &aws.security_group_rules,
        |r| r.meta.link_scope(),
        |r| r.group.as_deref(),
    );
    let security_group_rules = aws
        .security_groups
        .iter()
        .map(|g| all(&rules, g.meta.link_scope(), &g.meta.address))
        .collect();

    let mut blocks: HashMap<LinkScope, Vec<usize>> = HashMap::new();
    for (i, b) in aws.s3_account_public_access_blocks.iter().enumerate() {
        blocks
            .entry(b.meta.account_link_scope())
            .or_default()
            .push(i);
    }
    let bucket_account_blocks = aws
        .s3_buckets
        .iter()
        .map(|b| {
            blocks
                .get(&b.meta.account_link_scope())
                .cloned()
                .unwrap_or_default()
        })
        .collect();

    let load_balancer_web_acl = aws
        .load_balancers
        .iter()
        .map(|lb| web_acl_link(aws, &lb.meta))
        .collect();
    let api_stage_web_acl = aws
        .api_stages
        .iter()
        .map(|s| web_acl_link(aws, &s.meta))
        .collect();

    AwsLinks {
        user_groups,
        instance_parameter_group,
        cluster_parameter_group,
        cluster_members,
        filter_alarms,
        security_group_rules,
        bucket_account_blocks,
        load_balancer_web_acl,
        api_stage_web_acl,
    }
}

/// What the rules read: the linked resources, by the index of the linking one in its
/// collection. Before [`Model::link`] has run nothing is linked.
impl Model {
    /// The groups of the `user`-th IAM user: each entry of its `groups` with the group
    /// of that name in its account (or root module), `None` when there is none.
    pub fn user_groups(&self, user: usize) -> Vec<(&Value<String>, Option<&IamGroup>)> {
        let links = self.links.user_groups.get(user);
        self.aws.iam_users[user]
            .groups
            .iter()
            .enumerate()
            .map(|(k, v)| {
                let g = links
                    .and_then(|l| l.get(k).copied().flatten())
                    .map(|i| &self.aws.iam_groups[i]);
                (v, g)
            })
            .collect()
    }

    /// The parameter group of the `i`-th DB instance, when it names one of the model.
    pub fn instance_parameter_group(&self, i: usize) -> Option<&DbParameterGroup> {
        let g = self
            .links
            .instance_parameter_group
            .get(i)
            .copied()
            .flatten()?;
        self.aws.db_parameter_groups.get(g)
    }

    /// The parameter group of the `i`-th DB cluster, when it names one of the model.
    pub fn cluster_parameter_group(&self, i: usize) -> Option<&DbParameterGroup> {
        let g = self
            .links
            .cluster_parameter_group
            .get(i)
            .copied()
            .flatten()?;
        self.aws.db_parameter_groups.get(g)
    }

    /// The members of the `i`-th DB cluster.
    pub fn cluster_members(&self, i: usize) -> Vec<&DbInstance> {
        self.links
            .cluster_members
            .get(i)
            .map(|v| v.iter().map(|&m| &self.aws.db_instances[m]).collect())
            .unwrap_or_default()
    }

    /// The alarms on the metric of the `i`-th metric filter.
    pub fn filter_alarms(&self, i: usize) -> FilterAlarms {
        self.links.filter_alarms.get(i).cloned().unwrap_or_default()
    }

    /// The rules of the `i`-th security group.
    pub fn security_group_rules(&self, i: usize) -> Vec<&super::ec2::SecurityGroupRule> {
        self.links
            .security_group_rules
            .get(i)
            .map(|v| {
                v.iter()
                    .map(|&r| &self.aws.security_group_rules[r])
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The account-level public access blocks of the `i`-th S3 bucket's account (or
    /// root module).
    pub fn bucket_account_blocks(&self, i: usize) -> Vec<&AccountPublicAccessBlock> {
        self.links
            .bucket_account_blocks
            .get(i)
            .map(|v| {
                v.iter()
                    .map(|&b| &self.aws.s3_account_public_access_blocks[b])
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The web ACL associations of the `i`-th load balancer.
    pub fn load_balancer_web_acl(&self, i: usize) -> WebAclLink {
        self.links
            .load_balancer_web_acl
            .get(i)
            .cloned()
            .unwrap_or_default()
    }

    /// The web ACL associations of the `i`-th API stage.
    pub fn api_stage_web_acl(&self, i: usize) -> WebAclLink {
        self.links
            .api_stage_web_acl
            .get(i)
            .cloned()
            .unwrap_or_default()
    }
}
