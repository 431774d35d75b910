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
use crate::model::aws::redshift::RedshiftParameterGroup;
use crate::model::aws::s3::AccountPublicAccessBlock;
use crate::model::aws::AwsModel;
use crate::model::{LinkScope, Model, ResourceMeta, Value};

/// The resolved links, as indices into the collections of [`AwsModel`]. Each vector is
/// parallel to the collection named in its doc (same length and order). Empty until
/// [`Model::link`] runs; the accessors then answer "not linked".
#[derive(Debug, Default, Clone, PartialEq)]
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
    /// Per Redshift cluster: the index in `redshift_parameter_groups` of the group its
    /// `parameter_group` names, in its account and region (or root module).
    pub redshift_parameter_group: Vec<Option<usize>>,
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
    /// Per S3 bucket: whether it receives server access logs (see
    /// [`receives_access_logs`]).
    pub receives_access_logs: Vec<Value<bool>>,
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

/// The S3 log delivery group, grantee of the `log-delivery-write` canned ACL.
const LOG_DELIVERY_GROUP: &str = "http://acs.amazonaws.com/groups/s3/LogDelivery";

/// The service principal of S3 server access log delivery.
const LOG_DELIVERY_SERVICE: &str = "logging.s3.amazonaws.com";

/// Per bucket, whether it receives server access logs: a logging configuration of its
/// account and region (or root module) targets it, by name or by address; or its ACL
/// grants the log delivery group; or its policy lets the logging service write to it.
/// When the target of some logging configuration of the same scope is unknown, a bucket
/// not known to receive logs cannot be said not to.
///
/// One definition for every source: Terraform and live AWS only record what they read
/// (`s3_bucket_loggings`, each bucket's `acl`, `acl_grantees` and `policy`).
fn receives_access_logs(aws: &AwsModel) -> Vec<Value<bool>> {
    const PATH: &str = "receives_access_logs";
    let mut targets: HashMap<(LinkScope, &str), &Value<String>> = HashMap::new();
    let mut unknown: HashMap<LinkScope, &str> = HashMap::new();
    for l in &aws.s3_bucket_loggings {
        let scope = l.meta.link_scope();
        match l.target.try_known() {
            Ok(name) => {
                targets.entry((scope, name.as_str())).or_insert(&l.target);
            }
            Err(r) => {
                unknown.entry(scope).or_insert(r);
            }
        }
    }
    aws.s3_buckets
        .iter()
        .map(|b| {
            let scope = b.meta.link_scope();
            let by = |key: &str| targets.get(&(scope.clone(), key)).copied();
            let target = b
                .name
                .known()
                .and_then(|n| by(n))
                .or_else(|| by(&b.meta.address));
            if let Some(t) = target {
                return Value::set(true, t.origin.clone(), PATH);
            }
            let acl_grants = b.acl.known().is_some_and(|a| a == "log-delivery-write")
                || b.acl_grantees
                    .known()
                    .is_some_and(|g| g.iter().any(|u| u == LOG_DELIVERY_GROUP));
            if acl_grants {
                return Value::set(true, b.acl.origin.clone(), PATH);
            }
            let policy_grants = b.policy.known().is_some_and(|doc| {
                doc.statements.iter().any(|s| {
                    s.effect == super::iam::Effect::Allow
                        && s.principals.iter().any(|p| {
                            p.kind == "Service" && p.identifiers.contains_ci(LOG_DELIVERY_SERVICE)
                        })
                })
            });
            if policy_grants {
                return Value::set(true, b.policy.origin.clone(), PATH);
            }
            match unknown.get(&scope) {
                Some(r) => Value::unknown(
                    format!("whether another bucket logs to this one is unknown: {r}"),
                    b.meta.origin.clone(),
                    PATH,
                ),
                None => Value::defaulted(false, b.meta.origin.clone(), PATH),
            }
        })
        .collect()
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
    let redshift_params = index(
        &aws.redshift_parameter_groups,
        |g| g.meta.link_scope(),
        |g| Some(&*g.meta.address),
    );
    let redshift_parameter_group = aws
        .redshift_clusters
        .iter()
        .map(|c| parameter_group_link(&redshift_params, &c.meta, &c.parameter_group))
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

    let receives_access_logs = receives_access_logs(aws);

    AwsLinks {
        receives_access_logs,
        user_groups,
        instance_parameter_group,
        cluster_parameter_group,
        redshift_parameter_group,
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
///
/// Each method names in a `Reads:` line of its doc the collections it reads: a rule
/// calling it is *not evaluated* in a scope where one of them was not read completely.
/// The rules crate's build derives that from these lines and fails on a public method
/// here without one (`crates/rules/build/reads.rs`).
impl Model {
    /// The groups of the `user`-th IAM user: each entry of its `groups` with the group
    /// of that name in its account (or root module), `None` when there is none.
    ///
    /// Reads: `aws.iam_groups`.
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
    ///
    /// Reads: `aws.db_parameter_groups`.
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
    ///
    /// Reads: `aws.db_parameter_groups`.
    pub fn cluster_parameter_group(&self, i: usize) -> Option<&DbParameterGroup> {
        let g = self
            .links
            .cluster_parameter_group
            .get(i)
            .copied()
            .flatten()?;
        self.aws.db_parameter_groups.get(g)
    }

    /// The parameter group of the `i`-th Redshift cluster, when it names one of the model.
    ///
    /// Reads: `aws.redshift_parameter_groups`.
    pub fn redshift_parameter_group(&self, i: usize) -> Option<&RedshiftParameterGroup> {
        let g = self
            .links
            .redshift_parameter_group
            .get(i)
            .copied()
            .flatten()?;
        self.aws.redshift_parameter_groups.get(g)
    }

    /// The members of the `i`-th DB cluster.
    ///
    /// Reads: `aws.db_instances`.
    pub fn cluster_members(&self, i: usize) -> Vec<&DbInstance> {
        self.links
            .cluster_members
            .get(i)
            .map(|v| v.iter().map(|&m| &self.aws.db_instances[m]).collect())
            .unwrap_or_default()
    }

    /// The alarms on the metric of the `i`-th metric filter.
    ///
    /// Reads: `aws.metric_alarms`.
    pub fn filter_alarms(&self, i: usize) -> FilterAlarms {
        self.links.filter_alarms.get(i).cloned().unwrap_or_default()
    }

    /// The rules of the `i`-th security group.
    ///
    /// Reads: `aws.security_group_rules`.
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
    ///
    /// Reads: `aws.s3_account_public_access_blocks`.
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
    ///
    /// Reads: `aws.web_acl_associations`, `aws.web_acls`.
    pub fn load_balancer_web_acl(&self, i: usize) -> WebAclLink {
        self.links
            .load_balancer_web_acl
            .get(i)
            .cloned()
            .unwrap_or_default()
    }

    /// Whether the `i`-th S3 bucket receives server access logs (of another bucket or
    /// its own): `Defaulted(false)` when nothing sends it logs, unknown when the logging
    /// configuration of a bucket of its account (or root module) is unknown.
    ///
    /// Reads: `aws.s3_buckets`, `aws.s3_bucket_loggings`.
    pub fn receives_access_logs(&self, i: usize) -> Value<bool> {
        match self.links.receives_access_logs.get(i) {
            Some(v) => v.clone(),
            None => Value::unknown(
                "the model's links were not resolved",
                self.aws.s3_buckets[i].meta.origin.clone(),
                "receives_access_logs",
            ),
        }
    }

    /// The web ACL associations of the `i`-th API stage.
    ///
    /// Reads: `aws.web_acl_associations`, `aws.web_acls`.
    pub fn api_stage_web_acl(&self, i: usize) -> WebAclLink {
        self.links
            .api_stage_web_acl
            .get(i)
            .cloned()
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::model::aws::cloudwatch_alarms::{MetricAlarm, MetricFilter};
    use crate::model::aws::iam::IamUser;
    use crate::model::aws::rds::{DbParameter, ParameterGroupKind};
    use crate::model::Origin;

    fn live(account: &str, region: &str, arn: &str, rtype: &str) -> ResourceMeta {
        ResourceMeta::new(
            arn,
            rtype,
            Origin::Aws {
                arn: Arc::from(arn),
                region: Arc::from(region),
                account: Arc::from(account),
            },
        )
    }

    fn file(root: &str, address: &str, rtype: &str) -> ResourceMeta {
        ResourceMeta::new(
            address,
            rtype,
            Origin::File {
                path: Arc::from(format!("{root}/main.tf")),
                line: 1,
                col: 1,
                end_line: 1,
            },
        )
        .with_scope(root)
    }

    fn set<T>(v: T, m: &ResourceMeta, path: &str) -> Value<T> {
        Value::set(v, m.origin.clone(), path)
    }

    fn group(meta: ResourceMeta, name: &str) -> IamGroup {
        IamGroup {
            name: set(name.to_string(), &meta, "name"),
            meta,
            inline_policies: vec![],
            attached_policies: vec![],
            unresolved: None,
        }
    }

    fn user(meta: ResourceMeta, groups: &[&str]) -> IamUser {
        IamUser {
            name: set("u".to_string(), &meta, "name"),
            console_access: set(true, &meta, "login_profile"),
            mfa_device: None,
            password_last_used: None,
            password_created: None,
            inline_policies: vec![],
            attached_policies: vec![],
            groups: groups
                .iter()
                .map(|g| set(g.to_string(), &meta, "groups"))
                .collect(),
            unresolved: None,
            meta,
        }
    }

    fn db(meta: ResourceMeta, group: ParameterGroupRef) -> DbInstance {
        DbInstance {
            engine: set("postgres".into(), &meta, "engine"),
            cluster: None,
            is_replica: false,
            storage_encrypted: set(true, &meta, "storage_encrypted"),
            publicly_accessible: set(false, &meta, "publicly_accessible"),
            backup_retention_days: set(7, &meta, "backup_retention_period"),
            multi_az: set(true, &meta, "multi_az"),
            deletion_protection: set(true, &meta, "deletion_protection"),
            log_exports: set(vec![], &meta, "enabled_cloudwatch_logs_exports"),
            engine_version: set("14".into(), &meta, "engine_version"),
            parameter_group: set(group, &meta, "parameter_group_name"),
            meta,
        }
    }

    fn params(meta: ResourceMeta, force_ssl: &str) -> DbParameterGroup {
        DbParameterGroup {
            kind: ParameterGroupKind::Instance,
            family: set("postgres14".into(), &meta, "family"),
            parameters: vec![DbParameter {
                name: "rds.force_ssl".into(),
                value: set(force_ssl.into(), &meta, "parameter"),
            }],
            parameters_unknown: None,
            meta,
        }
    }

    fn filter(meta: ResourceMeta) -> MetricFilter {
        MetricFilter {
            pattern: set("{ $.eventName = ConsoleLogin }".into(), &meta, "pattern"),
            metric_name: set("RootLogin".into(), &meta, "metric_transformation.name"),
            namespace: set("CIS".into(), &meta, "metric_transformation.namespace"),
            meta,
        }
    }

    fn alarm(meta: ResourceMeta, metric: Option<&str>) -> MetricAlarm {
        MetricAlarm {
            metric_name: match metric {
                Some(m) => set(Some(m.to_string()), &meta, "metric_name"),
                None => Value::unknown("not known", meta.origin.clone(), "metric_name"),
            },
            namespace: set(Some("CIS".to_string()), &meta, "namespace"),
            query_metrics: vec![],
            actions_enabled: set(true, &meta, "actions_enabled"),
            alarm_actions: set(1, &meta, "alarm_actions"),
            in_composite: set(false, &meta, "in_composite"),
            meta,
        }
    }

    #[test]
    fn link_scopes() {
        let a = live("111111111111", "eu-west-1", "arn:a", "aws_db_instance");
        let b = live("222222222222", "eu-west-1", "arn:b", "aws_db_instance");
        let c = live("111111111111", "us-east-1", "arn:c", "aws_db_instance");
        assert_eq!(
            a.link_scope(),
            LinkScope::Region {
                account: "111111111111".into(),
                region: "eu-west-1".into()
            }
        );
        assert_ne!(a.link_scope(), b.link_scope(), "another account");
        assert_ne!(a.link_scope(), c.link_scope(), "another region");
        assert_eq!(
            a.account_link_scope(),
            LinkScope::Account("111111111111".into())
        );
        assert_eq!(a.account_link_scope(), c.account_link_scope(), "global");
        assert_ne!(a.account_link_scope(), b.account_link_scope());
        let x = file("envs/a", "aws_db_instance.db", "aws_db_instance");
        let y = file("envs/b", "aws_db_instance.db", "aws_db_instance");
        assert_eq!(x.link_scope(), LinkScope::Config("envs/a".into()));
        assert_eq!(x.account_link_scope(), x.link_scope());
        assert_ne!(x.link_scope(), y.link_scope(), "another root module");
        // A live resource never links to one of a configuration, even with an empty scope.
        assert_ne!(
            file("", "aws_db_instance.db", "aws_db_instance").link_scope(),
            a.link_scope()
        );
    }

    #[test]
    fn users_join_the_groups_of_their_account_only() {
        let mut m = Model::default();
        let iam = |acct: &str, region: &str, what: &str, rtype: &str| {
            live(acct, region, &format!("arn:aws:iam::{acct}:{what}"), rtype)
        };
        m.aws.iam_groups = vec![
            group(
                iam("111111111111", "us-east-1", "group/admins", "aws_iam_group"),
                "admins",
            ),
            group(
                iam("222222222222", "us-east-1", "group/admins", "aws_iam_group"),
                "admins",
            ),
            group(
                iam("222222222222", "us-east-1", "group/ops", "aws_iam_group"),
                "ops",
            ),
        ];
        m.aws.iam_users = vec![
            // IAM is global: a region recorded differently is the same account.
            user(
                iam("111111111111", "eu-west-1", "user/u", "aws_iam_user"),
                &["admins", "ops"],
            ),
            user(
                iam("222222222222", "us-east-1", "user/u", "aws_iam_user"),
                &["ops", "admins"],
            ),
        ];
        assert!(
            m.user_groups(0).iter().all(|(_, g)| g.is_none()),
            "not linked yet"
        );
        m.link();
        assert_eq!(
            m.links.user_groups,
            vec![vec![Some(0), None], vec![Some(2), Some(1)]]
        );
        let g = m.user_groups(1);
        assert_eq!(
            g[1].1.unwrap().meta.address.as_ref(),
            "arn:aws:iam::222222222222:group/admins"
        );
    }

    #[test]
    fn databases_join_the_parameter_group_of_their_region() {
        let mut m = Model::default();
        let pg = |acct: &str, region: &str| {
            live(
                acct,
                region,
                &format!("arn:aws:rds:{region}:{acct}:pg:app"),
                "aws_db_parameter_group",
            )
        };
        m.aws.db_parameter_groups = vec![
            params(pg("111111111111", "eu-west-1"), "1"),
            params(pg("111111111111", "us-east-1"), "0"),
            params(pg("222222222222", "eu-west-1"), "0"),
        ];
        let inst = |acct: &str, region: &str| {
            let meta = live(
                acct,
                region,
                &format!("arn:aws:rds:{region}:{acct}:db:db"),
                "aws_db_instance",
            );
            db(
                meta,
                ParameterGroupRef::Group(format!("arn:aws:rds:{region}:{acct}:pg:app")),
            )
        };
        m.aws.db_instances = vec![
            inst("222222222222", "eu-west-1"),
            inst("111111111111", "us-east-1"),
            inst("111111111111", "eu-west-1"),
            // Names a group whose ARN is in another region: not linked.
            db(
                live("111111111111", "eu-west-1", "arn:other", "aws_db_instance"),
                ParameterGroupRef::Group("arn:aws:rds:us-east-1:111111111111:pg:app".into()),
            ),
        ];
        m.link();
        assert_eq!(
            m.links.instance_parameter_group,
            vec![Some(2), Some(1), Some(0), None]
        );
        let ssl = |i| {
            m.instance_parameter_group(i)
                .and_then(|g| g.parameter("rds.force_ssl"))
                .and_then(|p| p.value.known().cloned())
        };
        assert_eq!(ssl(2).as_deref(), Some("1"));
        assert_eq!(ssl(1).as_deref(), Some("0"));
        // Two root modules declaring the same addresses.
        let mut m = Model::default();
        m.aws.db_parameter_groups = vec![
            params(
                file(
                    "envs/a",
                    "aws_db_parameter_group.pg",
                    "aws_db_parameter_group",
                ),
                "1",
            ),
            params(
                file(
                    "envs/b",
                    "aws_db_parameter_group.pg",
                    "aws_db_parameter_group",
                ),
                "0",
            ),
        ];
        let r = ParameterGroupRef::Group("aws_db_parameter_group.pg".into());
        m.aws.db_instances = vec![
            db(
                file("envs/b", "aws_db_instance.db", "aws_db_instance"),
                r.clone(),
            ),
            db(file("envs/a", "aws_db_instance.db", "aws_db_instance"), r),
        ];
        m.link();
        assert_eq!(m.links.instance_parameter_group, vec![Some(1), Some(0)]);
    }

    #[test]
    fn metric_filters_join_the_alarms_of_their_region() {
        let mut m = Model::default();
        let cw = |acct: &str, region: &str, n: &str, t: &str| {
            live(acct, region, &format!("arn:aws:{region}:{acct}:{n}"), t)
        };
        m.aws.metric_filters = vec![
            filter(cw(
                "111111111111",
                "eu-west-1",
                "f",
                "aws_cloudwatch_log_metric_filter",
            )),
            filter(cw(
                "222222222222",
                "eu-west-1",
                "f",
                "aws_cloudwatch_log_metric_filter",
            )),
            filter(cw(
                "111111111111",
                "us-east-1",
                "f",
                "aws_cloudwatch_log_metric_filter",
            )),
        ];
        m.aws.metric_alarms = vec![
            alarm(
                cw(
                    "111111111111",
                    "eu-west-1",
                    "a",
                    "aws_cloudwatch_metric_alarm",
                ),
                Some("RootLogin"),
            ),
            alarm(
                cw(
                    "222222222222",
                    "eu-west-1",
                    "a",
                    "aws_cloudwatch_metric_alarm",
                ),
                Some("Other"),
            ),
            alarm(
                cw(
                    "222222222222",
                    "eu-west-1",
                    "b",
                    "aws_cloudwatch_metric_alarm",
                ),
                None,
            ),
        ];
        m.link();
        let f = |w: &[usize], u: &[usize]| FilterAlarms {
            watching: w.to_vec(),
            unknown: u.to_vec(),
        };
        assert_eq!(m.filter_alarms(0), f(&[0], &[]));
        assert_eq!(
            m.filter_alarms(1),
            f(&[], &[2]),
            "account 1's alarm does not count"
        );
        assert_eq!(m.filter_alarms(2), f(&[], &[]), "nor in another region");
    }

    #[test]
    fn links_are_reset_by_a_merge_and_recomputed() {
        let mut m = Model::default();
        m.aws.iam_groups = vec![group(file("a", "aws_iam_group.g", "aws_iam_group"), "g")];
        m.aws.iam_users = vec![user(file("a", "aws_iam_user.u", "aws_iam_user"), &["g"])];
        m.link();
        assert_eq!(m.links.user_groups, vec![vec![Some(0)]]);
        let mut other = Model::default();
        other.aws.iam_groups = vec![group(file("b", "aws_iam_group.g", "aws_iam_group"), "g")];
        m.extend(other);
        assert_eq!(m.links, AwsLinks::default());
        m.link();
        let once = m.links.clone();
        m.link();
        assert_eq!(m.links, once);
        assert_eq!(m.links.user_groups, vec![vec![Some(0)]]);
    }
}
