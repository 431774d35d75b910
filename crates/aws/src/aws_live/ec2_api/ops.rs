//! The EC2 operations soc2scan calls, with exactly the parameters it passes, and the
//! fields of their answers it reads (element names as in EC2's XML; everything else
//! is skipped). Paginated operations read `nextToken` and stop as the SDK's
//! paginators do: at an absent or empty token, or one repeating the token just sent.

use std::future::Future;

use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;

use super::protocol::{Node, Query, XmlError};
use super::{Client, Ec2Error, Ec2Result};
use crate::aws_live::ctx::PageStream;

/// Every action this client can send: all read-only (`Describe*`, `Get*`). Read by
/// `tests/aws_live_readonly.rs`, which checks them and the README's IAM policy.
#[allow(dead_code)]
pub const ACTIONS: &[&str] = &[
    "DescribeRegions",
    "DescribeSecurityGroups",
    "DescribeVolumes",
    "GetEbsEncryptionByDefault",
    "DescribeVpcs",
    "DescribeFlowLogs",
    "DescribeSubnets",
    "DescribeInstances",
    "DescribeInstanceAttribute",
    "DescribeSnapshots",
    "DescribeSnapshotAttribute",
    "DescribeImages",
    "DescribeImageAttribute",
    "DescribeNetworkAcls",
    "DescribeLaunchTemplates",
    "DescribeLaunchTemplateVersions",
];

/// An answer read from its `<{Action}Response>` element.
pub trait Answer: Sized + std::fmt::Debug + Send + Sync + 'static {
    /// Reads the answer from the document's root element.
    fn parse(root: &Node) -> Result<Self, XmlError>;
}

/// One page of a paginated answer.
pub trait Page: Answer {
    /// The `nextToken` of this page.
    fn next_token(&self) -> Option<&str>;
}

/// The pages of a paginated call, read one by one by `Shared::pages` (each one counted
/// call).
pub struct Pages<T> {
    client: Client,
    query: Query,
    done: bool,
    _page: std::marker::PhantomData<fn() -> T>,
}

impl<T: Page> Pages<T> {
    /// Reads the next page; `None` after the last one or after an error.
    pub async fn next(&mut self) -> Option<Ec2Result<T>> {
        if self.done {
            return None;
        }
        let page = self.client.send(self.query.clone(), T::parse).await;
        match &page {
            Ok(p) => {
                let next = p.next_token().filter(|t| !t.is_empty());
                match next {
                    // A repeated token would loop forever: stop, as the SDK does.
                    Some(t) if Some(t) == self.query.get("NextToken") => self.done = true,
                    Some(t) => self.query.set("NextToken", t),
                    None => self.done = true,
                }
            }
            Err(_) => self.done = true,
        }
        Some(page)
    }
}

impl<T: Page> PageStream<T, Ec2Error, HttpResponse> for Pages<T> {
    fn next_page(
        &mut self,
    ) -> impl Future<Output = Option<Result<T, SdkError<Ec2Error, HttpResponse>>>> {
        self.next()
    }
}

impl Client {
    fn pages<T: Page>(&self, query: Query) -> Pages<T> {
        Pages {
            client: self.clone(),
            query,
            done: false,
            _page: std::marker::PhantomData,
        }
    }

    /// `DescribeRegions` with `AllRegions=true`: enabled and disabled regions.
    pub async fn describe_regions(&self) -> Ec2Result<Regions> {
        let q = Query::new("DescribeRegions").boolean("AllRegions", true);
        self.send(q, Regions::parse).await
    }

    /// `DescribeSecurityGroups`, every page.
    pub fn describe_security_groups(&self) -> Pages<SecurityGroups> {
        self.pages(Query::new("DescribeSecurityGroups"))
    }

    /// `DescribeVolumes`, every page.
    pub fn describe_volumes(&self) -> Pages<Volumes> {
        self.pages(Query::new("DescribeVolumes"))
    }

    /// `GetEbsEncryptionByDefault`.
    pub async fn get_ebs_encryption_by_default(&self) -> Ec2Result<EbsEncryptionByDefault> {
        let q = Query::new("GetEbsEncryptionByDefault");
        self.send(q, EbsEncryptionByDefault::parse).await
    }

    /// `DescribeVpcs`, every page.
    pub fn describe_vpcs(&self) -> Pages<Vpcs> {
        self.pages(Query::new("DescribeVpcs"))
    }

    /// `DescribeFlowLogs`, every page.
    pub fn describe_flow_logs(&self) -> Pages<FlowLogs> {
        self.pages(Query::new("DescribeFlowLogs"))
    }

    /// `DescribeSubnets`, every page.
    pub fn describe_subnets(&self) -> Pages<Subnets> {
        self.pages(Query::new("DescribeSubnets"))
    }

    /// `DescribeInstances`, every page.
    pub fn describe_instances(&self) -> Pages<Instances> {
        self.pages(Query::new("DescribeInstances"))
    }

    /// `DescribeInstanceAttribute` of instance `id`, attribute `userData`.
    pub async fn describe_instance_attribute(&self, id: &str) -> Ec2Result<UserData> {
        let q = Query::new("DescribeInstanceAttribute")
            .string("Attribute", "userData")
            .string("InstanceId", id);
        self.send(q, UserData::parse).await
    }

    /// `DescribeSnapshots` with `Owner.1=self`, every page.
    pub fn describe_snapshots(&self) -> Pages<Snapshots> {
        self.pages(Query::new("DescribeSnapshots").list("Owner", &["self"]))
    }

    /// `DescribeSnapshotAttribute` of snapshot `id`, attribute `createVolumePermission`.
    pub async fn describe_snapshot_attribute(&self, id: &str) -> Ec2Result<Permissions> {
        let q = Query::new("DescribeSnapshotAttribute")
            .string("Attribute", "createVolumePermission")
            .string("SnapshotId", id);
        self.send(q, Permissions::parse_snapshot).await
    }

    /// `DescribeImages` with `Owner.1=self` and `IncludeDeprecated=true`, every page.
    pub fn describe_images(&self) -> Pages<Images> {
        let q = Query::new("DescribeImages")
            .boolean("IncludeDeprecated", true)
            .list("Owner", &["self"]);
        self.pages(q)
    }

    /// `DescribeImageAttribute` of image `id`, attribute `launchPermission`.
    pub async fn describe_image_attribute(&self, id: &str) -> Ec2Result<Permissions> {
        let q = Query::new("DescribeImageAttribute")
            .string("Attribute", "launchPermission")
            .string("ImageId", id);
        self.send(q, Permissions::parse_image).await
    }

    /// `DescribeNetworkAcls`, every page.
    pub fn describe_network_acls(&self) -> Pages<NetworkAcls> {
        self.pages(Query::new("DescribeNetworkAcls"))
    }

    /// `DescribeLaunchTemplates`, every page.
    pub fn describe_launch_templates(&self) -> Pages<LaunchTemplates> {
        self.pages(Query::new("DescribeLaunchTemplates"))
    }

    /// `DescribeLaunchTemplateVersions` of template `id`, version `$Default` (one page:
    /// one version).
    pub async fn describe_launch_template_versions(
        &self,
        id: &str,
    ) -> Ec2Result<LaunchTemplateVersions> {
        let q = Query::new("DescribeLaunchTemplateVersions")
            .string("LaunchTemplateId", id)
            .list("LaunchTemplateVersion", &["$Default"]);
        self.send(q, LaunchTemplateVersions::parse).await
    }
}

/// Reads every `<item>` of the list `name` of `n` with `f`.
fn list<T>(
    n: &Node,
    name: &str,
    f: impl Fn(&Node) -> Result<T, XmlError>,
) -> Result<Vec<T>, XmlError> {
    n.items(name).map(f).collect()
}

/// Implements [`Page`] for a page type with a `next_token` field.
macro_rules! page {
    ($t:ty) => {
        impl Page for $t {
            fn next_token(&self) -> Option<&str> {
                self.next_token.as_deref()
            }
        }
    };
}

/// `DescribeRegions`: `regionInfo`.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Regions {
    /// `(regionName, optInStatus)` of each region.
    pub regions: Vec<(Option<String>, Option<String>)>,
}

impl Answer for Regions {
    fn parse(root: &Node) -> Result<Self, XmlError> {
        Ok(Regions {
            regions: list(root, "regionInfo", |r| {
                Ok((r.str("regionName"), r.str("optInStatus")))
            })?,
        })
    }
}

/// `DescribeSecurityGroups`: `securityGroupInfo`.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct SecurityGroups {
    /// The groups of this page.
    pub security_groups: Vec<SecurityGroup>,
    /// `nextToken`.
    pub next_token: Option<String>,
}

/// A security group.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct SecurityGroup {
    /// `groupId`.
    pub group_id: Option<String>,
    /// `groupName`.
    pub group_name: Option<String>,
    /// `ipPermissions`: inbound rules.
    pub ip_permissions: Vec<IpPermission>,
    /// `ipPermissionsEgress`: outbound rules.
    pub ip_permissions_egress: Vec<IpPermission>,
}

/// A security group rule.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct IpPermission {
    /// `ipProtocol` (`tcp`, `-1`, a number).
    pub ip_protocol: Option<String>,
    /// `fromPort`.
    pub from_port: Option<i32>,
    /// `toPort`.
    pub to_port: Option<i32>,
    /// The `cidrIp` of each `ipRanges` item.
    pub ipv4_ranges: Vec<String>,
    /// The `cidrIpv6` of each `ipv6Ranges` item.
    pub ipv6_ranges: Vec<String>,
}

impl IpPermission {
    fn parse(p: &Node) -> Result<Self, XmlError> {
        Ok(IpPermission {
            ip_protocol: p.str("ipProtocol"),
            from_port: p.int("fromPort")?,
            to_port: p.int("toPort")?,
            ipv4_ranges: p
                .items("ipRanges")
                .filter_map(|r| r.str("cidrIp"))
                .collect(),
            ipv6_ranges: p
                .items("ipv6Ranges")
                .filter_map(|r| r.str("cidrIpv6"))
                .collect(),
        })
    }
}

impl Answer for SecurityGroups {
    fn parse(root: &Node) -> Result<Self, XmlError> {
        Ok(SecurityGroups {
            security_groups: list(root, "securityGroupInfo", |g| {
                Ok(SecurityGroup {
                    group_id: g.str("groupId"),
                    group_name: g.str("groupName"),
                    ip_permissions: list(g, "ipPermissions", IpPermission::parse)?,
                    ip_permissions_egress: list(g, "ipPermissionsEgress", IpPermission::parse)?,
                })
            })?,
            next_token: root.str("nextToken"),
        })
    }
}
page!(SecurityGroups);

/// `DescribeVolumes`: `volumeSet`.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Volumes {
    /// The volumes of this page.
    pub volumes: Vec<Volume>,
    /// `nextToken`.
    pub next_token: Option<String>,
}

/// An EBS volume.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Volume {
    /// `volumeId`.
    pub volume_id: Option<String>,
    /// `encrypted`.
    pub encrypted: Option<bool>,
    /// `kmsKeyId`.
    pub kms_key_id: Option<String>,
}

impl Answer for Volumes {
    fn parse(root: &Node) -> Result<Self, XmlError> {
        Ok(Volumes {
            volumes: list(root, "volumeSet", |v| {
                Ok(Volume {
                    volume_id: v.str("volumeId"),
                    encrypted: v.bool("encrypted")?,
                    kms_key_id: v.str("kmsKeyId"),
                })
            })?,
            next_token: root.str("nextToken"),
        })
    }
}
page!(Volumes);

/// `GetEbsEncryptionByDefault`.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct EbsEncryptionByDefault {
    /// `ebsEncryptionByDefault`.
    pub enabled: Option<bool>,
}

impl Answer for EbsEncryptionByDefault {
    fn parse(root: &Node) -> Result<Self, XmlError> {
        Ok(EbsEncryptionByDefault {
            enabled: root.bool("ebsEncryptionByDefault")?,
        })
    }
}

/// `DescribeVpcs`: `vpcSet`.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Vpcs {
    /// `(vpcId, isDefault)` of each VPC of this page.
    pub vpcs: Vec<(Option<String>, Option<bool>)>,
    /// `nextToken`.
    pub next_token: Option<String>,
}

impl Answer for Vpcs {
    fn parse(root: &Node) -> Result<Self, XmlError> {
        Ok(Vpcs {
            vpcs: list(root, "vpcSet", |v| {
                Ok((v.str("vpcId"), v.bool("isDefault")?))
            })?,
            next_token: root.str("nextToken"),
        })
    }
}
page!(Vpcs);

/// `DescribeFlowLogs`: `flowLogSet`.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct FlowLogs {
    /// The `resourceId` (VPC, subnet, interface) of each flow log of this page.
    pub resource_ids: Vec<Option<String>>,
    /// `nextToken`.
    pub next_token: Option<String>,
}

impl Answer for FlowLogs {
    fn parse(root: &Node) -> Result<Self, XmlError> {
        Ok(FlowLogs {
            resource_ids: list(root, "flowLogSet", |f| Ok(f.str("resourceId")))?,
            next_token: root.str("nextToken"),
        })
    }
}
page!(FlowLogs);

/// `DescribeSubnets`: `subnetSet`.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Subnets {
    /// The subnets of this page.
    pub subnets: Vec<Subnet>,
    /// `nextToken`.
    pub next_token: Option<String>,
}

/// A subnet.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Subnet {
    /// `subnetId`.
    pub subnet_id: Option<String>,
    /// `subnetArn`.
    pub subnet_arn: Option<String>,
    /// `mapPublicIpOnLaunch`.
    pub map_public_ip_on_launch: Option<bool>,
}

impl Answer for Subnets {
    fn parse(root: &Node) -> Result<Self, XmlError> {
        Ok(Subnets {
            subnets: list(root, "subnetSet", |s| {
                Ok(Subnet {
                    subnet_id: s.str("subnetId"),
                    subnet_arn: s.str("subnetArn"),
                    map_public_ip_on_launch: s.bool("mapPublicIpOnLaunch")?,
                })
            })?,
            next_token: root.str("nextToken"),
        })
    }
}
page!(Subnets);

/// `DescribeInstances`: the instances of every `reservationSet` item.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Instances {
    /// The instances of this page, reservation after reservation.
    pub instances: Vec<Instance>,
    /// `nextToken`.
    pub next_token: Option<String>,
}

/// An EC2 instance.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Instance {
    /// `instanceId`.
    pub instance_id: Option<String>,
    /// `instanceState/name` (`running`, `terminated`).
    pub state: Option<String>,
    /// `metadataOptions/httpEndpoint`.
    pub http_endpoint: Option<String>,
    /// `metadataOptions/httpTokens`.
    pub http_tokens: Option<String>,
    /// `rootDeviceName`.
    pub root_device_name: Option<String>,
    /// `(deviceName, ebs/volumeId)` of each `blockDeviceMapping` item with an EBS volume.
    pub ebs_volumes: Vec<(Option<String>, String)>,
}

impl Answer for Instances {
    fn parse(root: &Node) -> Result<Self, XmlError> {
        let mut instances = Vec::new();
        for r in root.items("reservationSet") {
            for i in r.items("instancesSet") {
                let mo = i.child("metadataOptions");
                instances.push(Instance {
                    instance_id: i.str("instanceId"),
                    state: i.child("instanceState").and_then(|s| s.str("name")),
                    http_endpoint: mo.and_then(|m| m.str("httpEndpoint")),
                    http_tokens: mo.and_then(|m| m.str("httpTokens")),
                    root_device_name: i.str("rootDeviceName"),
                    ebs_volumes: i
                        .items("blockDeviceMapping")
                        .filter_map(|d| {
                            let volume = d.child("ebs")?.str("volumeId")?;
                            Some((d.str("deviceName"), volume))
                        })
                        .collect(),
                });
            }
        }
        Ok(Instances {
            instances,
            next_token: root.str("nextToken"),
        })
    }
}
page!(Instances);

/// `DescribeInstanceAttribute` `userData`.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct UserData {
    /// `userData/value`: base64, as AWS returns it.
    pub value: Option<String>,
}

impl Answer for UserData {
    fn parse(root: &Node) -> Result<Self, XmlError> {
        Ok(UserData {
            value: root.child("userData").and_then(|u| u.str("value")),
        })
    }
}

/// `DescribeSnapshots`: `snapshotSet`.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Snapshots {
    /// The snapshots of this page.
    pub snapshots: Vec<Snapshot>,
    /// `nextToken`.
    pub next_token: Option<String>,
}

/// An EBS snapshot.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Snapshot {
    /// `snapshotId`.
    pub snapshot_id: Option<String>,
    /// `ownerId`.
    pub owner_id: Option<String>,
    /// `encrypted`.
    pub encrypted: Option<bool>,
    /// `kmsKeyId`.
    pub kms_key_id: Option<String>,
}

impl Answer for Snapshots {
    fn parse(root: &Node) -> Result<Self, XmlError> {
        Ok(Snapshots {
            snapshots: list(root, "snapshotSet", |s| {
                Ok(Snapshot {
                    snapshot_id: s.str("snapshotId"),
                    owner_id: s.str("ownerId"),
                    encrypted: s.bool("encrypted")?,
                    kms_key_id: s.str("kmsKeyId"),
                })
            })?,
            next_token: root.str("nextToken"),
        })
    }
}
page!(Snapshots);

/// `DescribeImages`: `imagesSet`.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Images {
    /// The images of this page.
    pub images: Vec<Image>,
    /// `nextToken`.
    pub next_token: Option<String>,
}

/// An AMI.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Image {
    /// `imageId`.
    pub image_id: Option<String>,
    /// `imageOwnerId`.
    pub owner_id: Option<String>,
    /// `isPublic`.
    pub public: Option<bool>,
}

impl Answer for Images {
    fn parse(root: &Node) -> Result<Self, XmlError> {
        Ok(Images {
            images: list(root, "imagesSet", |i| {
                Ok(Image {
                    image_id: i.str("imageId"),
                    owner_id: i.str("imageOwnerId"),
                    public: i.bool("isPublic")?,
                })
            })?,
            next_token: root.str("nextToken"),
        })
    }
}
page!(Images);

/// The permission groups of `DescribeSnapshotAttribute createVolumePermission` or
/// `DescribeImageAttribute launchPermission` (`all` when public).
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Permissions {
    /// The `group` of each permission that names one.
    pub groups: Vec<String>,
}

impl Permissions {
    /// Reads `createVolumePermission`.
    pub fn parse_snapshot(root: &Node) -> Result<Self, XmlError> {
        Ok(Self::of(root, "createVolumePermission"))
    }

    /// Reads `launchPermission`.
    pub fn parse_image(root: &Node) -> Result<Self, XmlError> {
        Ok(Self::of(root, "launchPermission"))
    }

    fn of(root: &Node, list: &str) -> Self {
        Permissions {
            groups: root.items(list).filter_map(|p| p.str("group")).collect(),
        }
    }

    /// Whether the group `all` (everyone) is among them.
    pub fn public(&self) -> bool {
        self.groups.iter().any(|g| g.eq_ignore_ascii_case("all"))
    }
}

/// `DescribeNetworkAcls`: `networkAclSet`.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct NetworkAcls {
    /// The ACLs of this page.
    pub network_acls: Vec<NetworkAcl>,
    /// `nextToken`.
    pub next_token: Option<String>,
}

/// A network ACL.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct NetworkAcl {
    /// `networkAclId`.
    pub network_acl_id: Option<String>,
    /// `entrySet`.
    pub entries: Vec<NetworkAclEntry>,
}

/// A network ACL entry.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct NetworkAclEntry {
    /// `ruleNumber`.
    pub rule_number: Option<i32>,
    /// `protocol` (`-1`, `6`, …).
    pub protocol: Option<String>,
    /// `ruleAction` (`allow`, `deny`).
    pub rule_action: Option<String>,
    /// `egress`.
    pub egress: Option<bool>,
    /// `cidrBlock`.
    pub cidr_block: Option<String>,
    /// `ipv6CidrBlock`.
    pub ipv6_cidr_block: Option<String>,
    /// `portRange/from`.
    pub port_from: Option<i32>,
    /// `portRange/to`.
    pub port_to: Option<i32>,
}

impl Answer for NetworkAcls {
    fn parse(root: &Node) -> Result<Self, XmlError> {
        Ok(NetworkAcls {
            network_acls: list(root, "networkAclSet", |a| {
                Ok(NetworkAcl {
                    network_acl_id: a.str("networkAclId"),
                    entries: list(a, "entrySet", |e| {
                        let ports = e.child("portRange");
                        Ok(NetworkAclEntry {
                            rule_number: e.int("ruleNumber")?,
                            protocol: e.str("protocol"),
                            rule_action: e.str("ruleAction"),
                            egress: e.bool("egress")?,
                            cidr_block: e.str("cidrBlock"),
                            ipv6_cidr_block: e.str("ipv6CidrBlock"),
                            port_from: ports.map(|p| p.int("from")).transpose()?.flatten(),
                            port_to: ports.map(|p| p.int("to")).transpose()?.flatten(),
                        })
                    })?,
                })
            })?,
            next_token: root.str("nextToken"),
        })
    }
}
page!(NetworkAcls);

/// `DescribeLaunchTemplates`: `launchTemplates`.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct LaunchTemplates {
    /// `(launchTemplateId, launchTemplateName)` of each template of this page.
    pub launch_templates: Vec<(Option<String>, Option<String>)>,
    /// `nextToken`.
    pub next_token: Option<String>,
}

impl Answer for LaunchTemplates {
    fn parse(root: &Node) -> Result<Self, XmlError> {
        Ok(LaunchTemplates {
            launch_templates: list(root, "launchTemplates", |t| {
                Ok((t.str("launchTemplateId"), t.str("launchTemplateName")))
            })?,
            next_token: root.str("nextToken"),
        })
    }
}
page!(LaunchTemplates);

/// `DescribeLaunchTemplateVersions`: the `launchTemplateData` of each
/// `launchTemplateVersionSet` item (`None` for a version without it).
#[derive(Debug, Default, Clone, PartialEq)]
pub struct LaunchTemplateVersions {
    /// The versions' data, in order.
    pub versions: Vec<Option<LaunchTemplateData>>,
}

/// What a launch template version launches with.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct LaunchTemplateData {
    /// `metadataOptions/httpEndpoint`.
    pub http_endpoint: Option<String>,
    /// `metadataOptions/httpTokens`.
    pub http_tokens: Option<String>,
    /// `blockDeviceMappingSet` items with an `ebs` element.
    pub ebs_devices: Vec<LaunchEbsDevice>,
    /// `userData`: base64.
    pub user_data: Option<String>,
}

/// An EBS device of a launch template.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct LaunchEbsDevice {
    /// `deviceName`.
    pub device_name: Option<String>,
    /// `ebs/encrypted`.
    pub encrypted: Option<bool>,
    /// `ebs/snapshotId`.
    pub snapshot_id: Option<String>,
}

impl Answer for LaunchTemplateVersions {
    fn parse(root: &Node) -> Result<Self, XmlError> {
        Ok(LaunchTemplateVersions {
            versions: list(root, "launchTemplateVersionSet", |v| {
                let Some(d) = v.child("launchTemplateData") else {
                    return Ok(None);
                };
                let mo = d.child("metadataOptions");
                let mut ebs_devices = Vec::new();
                for b in d.items("blockDeviceMappingSet") {
                    let Some(ebs) = b.child("ebs") else { continue };
                    ebs_devices.push(LaunchEbsDevice {
                        device_name: b.str("deviceName"),
                        encrypted: ebs.bool("encrypted")?,
                        snapshot_id: ebs.str("snapshotId"),
                    });
                }
                Ok(Some(LaunchTemplateData {
                    http_endpoint: mo.and_then(|m| m.str("httpEndpoint")),
                    http_tokens: mo.and_then(|m| m.str("httpTokens")),
                    ebs_devices,
                    user_data: d.str("userData"),
                }))
            })?,
        })
    }
}
