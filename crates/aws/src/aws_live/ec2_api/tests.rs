//! The EC2 client's wire format (query encoding, each answer as AWS documents it, the
//! error document) and its runtime (signing, retries, pagination, error
//! classification) against a scripted HTTP client.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use aws_config::retry::RetryConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpClient,
    SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::{HttpRequest, HttpResponse};
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_runtime_api::http::StatusCode;
use aws_smithy_types::body::SdkBody;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

use super::ops::*;
use super::protocol::{parse_error, parse_response, parse_xml, Query};
use super::Client;
use crate::aws_live::ctx::{Shared, DENIED_CODES};
use crate::aws_live::progress::Progress;

const NS: &str = r#"xmlns="http://ec2.amazonaws.com/doc/2016-11-15/""#;

fn doc(action: &str, inner: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<{action}Response {NS}>\n  <requestId>59dbff89-35bd-4eac-99ed-be587EXAMPLE</requestId>\n{inner}\n</{action}Response>"
    )
}

fn read<T: Answer>(action: &str, inner: &str) -> T {
    parse_response(action, doc(action, inner).as_bytes(), T::parse).expect("parses")
}

#[test]
fn query_encodes_lists_and_filters_as_ec2() {
    let q = Query::new("DescribeImages")
        .boolean("IncludeDeprecated", true)
        .list("Owner", &["self", "amazon"])
        .filter("tag:Name", &["a b", "c&d"])
        .filter("state", &["available"]);
    assert_eq!(
        q.encode(),
        "Action=DescribeImages&Version=2016-11-15&IncludeDeprecated=true&Owner.1=self&Owner.2=amazon\
         &Filter.1.Name=tag%3AName&Filter.1.Value.1=a%20b&Filter.1.Value.2=c%26d\
         &Filter.2.Name=state&Filter.2.Value.1=available"
    );
    let mut q = Query::new("DescribeInstances").list("InstanceId", &["i-1"]);
    assert_eq!(q.get("NextToken"), None);
    q.set("NextToken", "t/1+");
    q.set("NextToken", "t/2+");
    assert_eq!(
        q.encode(),
        "Action=DescribeInstances&Version=2016-11-15&InstanceId.1=i-1&NextToken=t%2F2%2B"
    );
    // An empty list adds nothing.
    assert_eq!(
        Query::new("DescribeVpcs").list("VpcId", &[]).encode(),
        "Action=DescribeVpcs&Version=2016-11-15"
    );
}

#[test]
fn reads_regions() {
    let r: Regions = read(
        "DescribeRegions",
        "<regionInfo>
           <item><regionName>us-east-1</regionName><regionEndpoint>ec2.us-east-1.amazonaws.com</regionEndpoint><optInStatus>opt-in-not-required</optInStatus></item>
           <item><regionName>ap-east-1</regionName><optInStatus>not-opted-in</optInStatus></item>
           <item><regionName>eu-west-1</regionName></item>
         </regionInfo>",
    );
    let s = |x: &str| Some(x.to_string());
    assert_eq!(
        r.regions,
        vec![
            (s("us-east-1"), s("opt-in-not-required")),
            (s("ap-east-1"), s("not-opted-in")),
            (s("eu-west-1"), None),
        ]
    );
}

#[test]
fn reads_security_groups_with_nested_rules() {
    let g: SecurityGroups = read(
        "DescribeSecurityGroups",
        "<securityGroupInfo>
          <item>
            <ownerId>123456789012</ownerId>
            <groupId>sg-1a2b3c4d</groupId>
            <groupName>WebServers</groupName>
            <groupDescription>Web Servers</groupDescription>
            <vpcId>vpc-1a2b3c4d</vpcId>
            <ipPermissions>
              <item>
                <ipProtocol>tcp</ipProtocol>
                <fromPort>80</fromPort>
                <toPort>80</toPort>
                <groups/>
                <ipRanges>
                  <item><cidrIp>0.0.0.0/0</cidrIp><description>web</description></item>
                  <item><cidrIp>10.0.0.0/8</cidrIp></item>
                </ipRanges>
                <ipv6Ranges><item><cidrIpv6>::/0</cidrIpv6></item></ipv6Ranges>
                <prefixListIds/>
              </item>
            </ipPermissions>
            <ipPermissionsEgress>
              <item>
                <ipProtocol>-1</ipProtocol>
                <groups/>
                <ipRanges><item><cidrIp>0.0.0.0/0</cidrIp></item></ipRanges>
              </item>
            </ipPermissionsEgress>
            <tagSet><item><key>Name</key><value>web &amp; api</value></item></tagSet>
          </item>
        </securityGroupInfo>
        <nextToken>abc</nextToken>",
    );
    assert_eq!(g.next_token.as_deref(), Some("abc"));
    assert_eq!(g.security_groups.len(), 1);
    let sg = &g.security_groups[0];
    assert_eq!(sg.group_id.as_deref(), Some("sg-1a2b3c4d"));
    assert_eq!(sg.group_name.as_deref(), Some("WebServers"));
    assert_eq!(
        sg.ip_permissions,
        vec![IpPermission {
            ip_protocol: Some("tcp".into()),
            from_port: Some(80),
            to_port: Some(80),
            ipv4_ranges: vec!["0.0.0.0/0".into(), "10.0.0.0/8".into()],
            ipv6_ranges: vec!["::/0".into()],
        }]
    );
    assert_eq!(
        sg.ip_permissions_egress,
        vec![IpPermission {
            ip_protocol: Some("-1".into()),
            ipv4_ranges: vec!["0.0.0.0/0".into()],
            ..IpPermission::default()
        }]
    );
}

#[test]
fn reads_volumes_and_ebs_default() {
    let v: Volumes = read(
        "DescribeVolumes",
        "<volumeSet>
           <item><volumeId>vol-1</volumeId><size>80</size><status>in-use</status>
             <attachmentSet><item><volumeId>vol-1</volumeId><instanceId>i-1</instanceId></item></attachmentSet>
             <encrypted>true</encrypted><kmsKeyId>arn:aws:kms:us-east-1:123456789012:key/k</kmsKeyId></item>
           <item><volumeId>vol-2</volumeId><encrypted>false</encrypted></item>
         </volumeSet>",
    );
    assert_eq!(v.next_token, None);
    assert_eq!(
        v.volumes,
        vec![
            Volume {
                volume_id: Some("vol-1".into()),
                encrypted: Some(true),
                kms_key_id: Some("arn:aws:kms:us-east-1:123456789012:key/k".into()),
            },
            Volume {
                volume_id: Some("vol-2".into()),
                encrypted: Some(false),
                kms_key_id: None,
            },
        ]
    );
    let e: EbsEncryptionByDefault = read(
        "GetEbsEncryptionByDefault",
        "<ebsEncryptionByDefault>true</ebsEncryptionByDefault><sseType>sse-ebs</sseType>",
    );
    assert_eq!(e.enabled, Some(true));
}

#[test]
fn reads_vpcs_flow_logs_and_subnets() {
    let v: Vpcs = read(
        "DescribeVpcs",
        "<vpcSet>
           <item><vpcId>vpc-1</vpcId><state>available</state><cidrBlock>10.0.0.0/16</cidrBlock>
             <cidrBlockAssociationSet><item><cidrBlock>10.0.0.0/16</cidrBlock></item></cidrBlockAssociationSet>
             <isDefault>false</isDefault></item>
           <item><vpcId>vpc-2</vpcId><isDefault>true</isDefault></item>
         </vpcSet><nextToken/>",
    );
    assert_eq!(
        v.vpcs,
        vec![
            (Some("vpc-1".into()), Some(false)),
            (Some("vpc-2".into()), Some(true))
        ]
    );
    assert_eq!(v.next_token.as_deref(), Some(""));
    let f: FlowLogs = read(
        "DescribeFlowLogs",
        "<flowLogSet><item><flowLogId>fl-1</flowLogId><resourceId>vpc-1</resourceId><trafficType>ALL</trafficType></item></flowLogSet>",
    );
    assert_eq!(f.resource_ids, vec![Some("vpc-1".to_string())]);
    let s: Subnets = read(
        "DescribeSubnets",
        "<subnetSet><item><subnetId>subnet-1</subnetId><vpcId>vpc-1</vpcId>
           <mapPublicIpOnLaunch>true</mapPublicIpOnLaunch>
           <subnetArn>arn:aws:ec2:us-east-1:123456789012:subnet/subnet-1</subnetArn></item></subnetSet>",
    );
    assert_eq!(
        s.subnets,
        vec![Subnet {
            subnet_id: Some("subnet-1".into()),
            subnet_arn: Some("arn:aws:ec2:us-east-1:123456789012:subnet/subnet-1".into()),
            map_public_ip_on_launch: Some(true),
        }]
    );
}

#[test]
fn reads_instances_of_every_reservation() {
    let i: Instances = read(
        "DescribeInstances",
        "<reservationSet>
          <item>
            <reservationId>r-1</reservationId>
            <instancesSet>
              <item>
                <instanceId>i-1</instanceId>
                <instanceState><code>16</code><name>running</name></instanceState>
                <rootDeviceName>/dev/xvda</rootDeviceName>
                <blockDeviceMapping>
                  <item><deviceName>/dev/xvda</deviceName><ebs><volumeId>vol-1</volumeId><status>attached</status></ebs></item>
                  <item><deviceName>/dev/sdb</deviceName><ebs><volumeId>vol-2</volumeId></ebs></item>
                </blockDeviceMapping>
                <metadataOptions><state>applied</state><httpTokens>required</httpTokens><httpEndpoint>enabled</httpEndpoint></metadataOptions>
                <groupSet><item><groupId>sg-1</groupId></item></groupSet>
              </item>
            </instancesSet>
          </item>
          <item>
            <instancesSet>
              <item><instanceId>i-2</instanceId><instanceState><name>terminated</name></instanceState></item>
            </instancesSet>
          </item>
        </reservationSet>
        <nextToken>page2</nextToken>",
    );
    assert_eq!(i.next_token.as_deref(), Some("page2"));
    assert_eq!(
        i.instances,
        vec![
            Instance {
                instance_id: Some("i-1".into()),
                state: Some("running".into()),
                http_endpoint: Some("enabled".into()),
                http_tokens: Some("required".into()),
                root_device_name: Some("/dev/xvda".into()),
                ebs_volumes: vec![
                    (Some("/dev/xvda".into()), "vol-1".into()),
                    (Some("/dev/sdb".into()), "vol-2".into())
                ],
            },
            Instance {
                instance_id: Some("i-2".into()),
                state: Some("terminated".into()),
                ..Instance::default()
            },
        ]
    );
    let u: UserData = read(
        "DescribeInstanceAttribute",
        "<instanceId>i-1</instanceId><userData><value>IyEvYmluL2Jhc2g=</value></userData>",
    );
    assert_eq!(u.value.as_deref(), Some("IyEvYmluL2Jhc2g="));
    let u: UserData = read(
        "DescribeInstanceAttribute",
        "<instanceId>i-1</instanceId><userData/>",
    );
    assert_eq!(u.value, None);
}

#[test]
fn reads_snapshots_images_and_their_permissions() {
    let s: Snapshots = read(
        "DescribeSnapshots",
        "<snapshotSet><item><snapshotId>snap-1</snapshotId><volumeId>vol-1</volumeId><status>completed</status>
           <ownerId>123456789012</ownerId><encrypted>false</encrypted></item></snapshotSet>",
    );
    assert_eq!(
        s.snapshots,
        vec![Snapshot {
            snapshot_id: Some("snap-1".into()),
            owner_id: Some("123456789012".into()),
            encrypted: Some(false),
            kms_key_id: None,
        }]
    );
    let p: Permissions = parse_response(
        "DescribeSnapshotAttribute",
        doc(
            "DescribeSnapshotAttribute",
            "<snapshotId>snap-1</snapshotId><createVolumePermission><item><group>all</group></item><item><userId>111122223333</userId></item></createVolumePermission>",
        )
        .as_bytes(),
        Permissions::parse_snapshot,
    )
    .unwrap();
    assert!(p.public());
    let i: Images = read(
        "DescribeImages",
        "<imagesSet>
           <item><imageId>ami-1</imageId><imageLocation>x</imageLocation><imageState>available</imageState>
             <imageOwnerId>123456789012</imageOwnerId><isPublic>false</isPublic>
             <blockDeviceMapping><item><deviceName>/dev/xvda</deviceName><ebs><snapshotId>snap-1</snapshotId></ebs></item></blockDeviceMapping></item>
           <item><imageId>ami-2</imageId><imageOwnerId>123456789012</imageOwnerId></item>
         </imagesSet>",
    );
    assert_eq!(
        i.images,
        vec![
            Image {
                image_id: Some("ami-1".into()),
                owner_id: Some("123456789012".into()),
                public: Some(false),
            },
            Image {
                image_id: Some("ami-2".into()),
                owner_id: Some("123456789012".into()),
                public: None,
            },
        ]
    );
    let p = Permissions { groups: vec![] };
    assert!(!p.public());
}

#[test]
fn reads_network_acl_entries() {
    let a: NetworkAcls = read(
        "DescribeNetworkAcls",
        "<networkAclSet><item>
           <networkAclId>acl-1</networkAclId><vpcId>vpc-1</vpcId><default>true</default>
           <entrySet>
             <item><ruleNumber>100</ruleNumber><protocol>6</protocol><ruleAction>allow</ruleAction><egress>false</egress>
               <cidrBlock>0.0.0.0/0</cidrBlock><portRange><from>22</from><to>22</to></portRange></item>
             <item><ruleNumber>32767</ruleNumber><protocol>-1</protocol><ruleAction>deny</ruleAction><egress>true</egress>
               <ipv6CidrBlock>::/0</ipv6CidrBlock></item>
           </entrySet>
           <associationSet/>
         </item></networkAclSet>",
    );
    assert_eq!(a.network_acls.len(), 1);
    assert_eq!(a.network_acls[0].network_acl_id.as_deref(), Some("acl-1"));
    assert_eq!(
        a.network_acls[0].entries,
        vec![
            NetworkAclEntry {
                rule_number: Some(100),
                protocol: Some("6".into()),
                rule_action: Some("allow".into()),
                egress: Some(false),
                cidr_block: Some("0.0.0.0/0".into()),
                ipv6_cidr_block: None,
                port_from: Some(22),
                port_to: Some(22),
            },
            NetworkAclEntry {
                rule_number: Some(32767),
                protocol: Some("-1".into()),
                rule_action: Some("deny".into()),
                egress: Some(true),
                cidr_block: None,
                ipv6_cidr_block: Some("::/0".into()),
                port_from: None,
                port_to: None,
            },
        ]
    );
}

#[test]
fn reads_launch_templates_and_versions() {
    let t: LaunchTemplates = read(
        "DescribeLaunchTemplates",
        "<launchTemplates><item><launchTemplateId>lt-1</launchTemplateId><launchTemplateName>web</launchTemplateName>
           <defaultVersionNumber>1</defaultVersionNumber></item></launchTemplates><nextToken>n</nextToken>",
    );
    assert_eq!(
        t.launch_templates,
        vec![(Some("lt-1".into()), Some("web".into()))]
    );
    assert_eq!(t.next_token.as_deref(), Some("n"));
    let v: LaunchTemplateVersions = read(
        "DescribeLaunchTemplateVersions",
        "<launchTemplateVersionSet><item>
           <launchTemplateId>lt-1</launchTemplateId><versionNumber>1</versionNumber><defaultVersion>true</defaultVersion>
           <launchTemplateData>
             <imageId>ami-1</imageId>
             <blockDeviceMappingSet>
               <item><deviceName>/dev/xvda</deviceName><ebs><encrypted>true</encrypted><volumeSize>8</volumeSize></ebs></item>
               <item><deviceName>/dev/sdb</deviceName><ebs><snapshotId>snap-1</snapshotId></ebs></item>
               <item><deviceName>/dev/sdc</deviceName><virtualName>ephemeral0</virtualName></item>
             </blockDeviceMappingSet>
             <metadataOptions><httpTokens>optional</httpTokens></metadataOptions>
             <userData>IyEvYmluL3No</userData>
           </launchTemplateData>
         </item></launchTemplateVersionSet>",
    );
    assert_eq!(
        v.versions,
        vec![Some(LaunchTemplateData {
            http_endpoint: None,
            http_tokens: Some("optional".into()),
            ebs_devices: vec![
                LaunchEbsDevice {
                    device_name: Some("/dev/xvda".into()),
                    encrypted: Some(true),
                    snapshot_id: None,
                },
                LaunchEbsDevice {
                    device_name: Some("/dev/sdb".into()),
                    encrypted: None,
                    snapshot_id: Some("snap-1".into()),
                },
            ],
            user_data: Some("IyEvYmluL3No".into()),
        })]
    );
}

#[test]
fn reads_the_error_document() {
    let body = br#"<?xml version="1.0" encoding="UTF-8"?>
<Response><Errors><Error><Code>UnauthorizedOperation</Code><Message>You are not authorized to perform this operation. &quot;x&quot;</Message></Error></Errors><RequestID>ea966190-f9aa-478e-9ede-example</RequestID></Response>"#;
    let e = parse_error("DescribeVpcs", body, &Default::default());
    assert_eq!(e.code(), Some("UnauthorizedOperation"));
    assert_eq!(
        e.message(),
        Some("You are not authorized to perform this operation. \"x\"")
    );
    assert_eq!(
        e.meta().extra("aws_request_id"),
        Some("ea966190-f9aa-478e-9ede-example")
    );
    let e = parse_error("DescribeVpcs", b"<html>Bad gateway", &Default::default());
    assert_eq!(e.code(), None);
    assert!(
        std::error::Error::source(&e)
            .unwrap()
            .to_string()
            .starts_with("unreadable DescribeVpcs response: malformed XML"),
        "{e:?}"
    );
}

#[test]
fn an_answer_that_does_not_parse_is_an_error() {
    let bad = |action: &str, body: &str| {
        parse_response(action, body.as_bytes(), Vpcs::parse).expect_err(body)
    };
    // Truncated, mismatched, wrong root, not XML, a bad boolean.
    let e = bad(
        "DescribeVpcs",
        "<DescribeVpcsResponse><vpcSet><item><vpcId>vpc-1</vpcId></item>",
    );
    assert!(e.0.contains("unclosed element <vpcSet>"), "{e}");
    let e = bad(
        "DescribeVpcs",
        "<DescribeVpcsResponse><vpcSet></item></DescribeVpcsResponse>",
    );
    assert!(e.0.contains("mismatched"), "{e}");
    let e = bad("DescribeVpcs", "<DescribeSubnetsResponse/>");
    assert_eq!(
        e.0,
        "expected <DescribeVpcsResponse>, got <DescribeSubnetsResponse>"
    );
    bad("DescribeVpcs", "");
    bad("DescribeVpcs", "{\"Vpcs\": []}");
    bad(
        "DescribeVpcs",
        "<DescribeVpcsResponse/><DescribeVpcsResponse/>",
    );
    let e = bad(
        "DescribeVpcs",
        "<DescribeVpcsResponse><vpcSet><item><isDefault>yes</isDefault></item></vpcSet></DescribeVpcsResponse>",
    );
    assert!(e.0.contains("<isDefault> is not a boolean"), "{e}");
    let e = parse_response(
        "DescribeNetworkAcls",
        b"<DescribeNetworkAclsResponse><networkAclSet><item><entrySet><item><ruleNumber>x</ruleNumber></item></entrySet></item></networkAclSet></DescribeNetworkAclsResponse>",
        NetworkAcls::parse,
    )
    .unwrap_err();
    assert!(e.0.contains("<ruleNumber> is not an integer"), "{e}");
    // Entities and CDATA are decoded; an unknown entity is an error.
    let n = parse_xml(b"<a><b>x &lt; y &#65;&#x42;</b><c><![CDATA[<raw>]]></c></a>").unwrap();
    assert_eq!(n.str("b").as_deref(), Some("x < y AB"));
    assert_eq!(n.str("c").as_deref(), Some("<raw>"));
    assert!(parse_xml(b"<a>&nope;</a>").is_err());
}

/// A request as sent: URI, headers, body.
type Sent = (String, Vec<(String, String)>, String);

/// An HTTP client answering from a script, recording the requests.
#[derive(Debug, Clone, Default)]
struct Script {
    answers: Arc<Mutex<Vec<(u16, String)>>>,
    requests: Arc<Mutex<Vec<Sent>>>,
}

impl Script {
    fn new(answers: Vec<(u16, String)>) -> Self {
        Script {
            answers: Arc::new(Mutex::new(answers.into_iter().rev().collect())),
            ..Script::default()
        }
    }

    fn bodies(&self) -> Vec<String> {
        self.requests
            .lock()
            .unwrap()
            .iter()
            .map(|r| r.2.clone())
            .collect()
    }
}

impl HttpConnector for Script {
    fn call(&self, request: HttpRequest) -> HttpConnectorFuture {
        let body = String::from_utf8_lossy(request.body().bytes().unwrap_or_default()).into_owned();
        let headers = request
            .headers()
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        self.requests
            .lock()
            .unwrap()
            .push((request.uri().to_string(), headers, body));
        let (status, body) = self.answers.lock().unwrap().pop().expect("an answer left");
        HttpConnectorFuture::ready(Ok(HttpResponse::new(
            StatusCode::try_from(status).unwrap(),
            SdkBody::from(body),
        )))
    }
}

impl HttpClient for Script {
    fn http_connector(
        &self,
        _settings: &HttpConnectorSettings,
        _components: &RuntimeComponents,
    ) -> SharedHttpConnector {
        SharedHttpConnector::new(self.clone())
    }
}

fn config(script: &Script, endpoint: Option<&str>) -> SdkConfig {
    use aws_sdk_sts::config::{Credentials, SharedCredentialsProvider};
    let mut b = SdkConfig::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new("eu-west-1"))
        .credentials_provider(SharedCredentialsProvider::new(Credentials::new(
            "AKIDEXAMPLE",
            "secret",
            None,
            None,
            "test",
        )))
        .http_client(SharedHttpClient::new(script.clone()))
        .sleep_impl(aws_smithy_async::rt::sleep::SharedAsyncSleep::new(
            aws_smithy_async::rt::sleep::TokioSleep::new(),
        ))
        .retry_config(
            RetryConfig::standard()
                .with_max_attempts(3)
                .with_initial_backoff(Duration::from_millis(1)),
        );
    if let Some(e) = endpoint {
        b = b.endpoint_url(e);
    }
    b.build()
}

fn error_doc(code: &str) -> String {
    format!("<Response><Errors><Error><Code>{code}</Code><Message>m</Message></Error></Errors><RequestID>r</RequestID></Response>")
}

#[tokio::test]
async fn signs_posts_and_pages_through_the_sdk_runtime() {
    let script = Script::new(vec![
        (
            200,
            doc(
                "DescribeVpcs",
                "<vpcSet><item><vpcId>vpc-1</vpcId></item></vpcSet><nextToken>t1</nextToken>",
            ),
        ),
        (
            200,
            doc(
                "DescribeVpcs",
                "<vpcSet><item><vpcId>vpc-2</vpcId></item></vpcSet>",
            ),
        ),
    ]);
    let c = Client::new(&config(&script, Some("http://localhost:5000")));
    let sh = Shared::new(4, 2, Progress::new(false));
    let pages = sh
        .pages("ec2", "eu-west-1", "DescribeVpcs", || c.describe_vpcs())
        .await
        .expect("two pages");
    let ids: Vec<_> = pages
        .iter()
        .flat_map(|p| p.vpcs.iter().map(|v| v.0.clone()))
        .collect();
    assert_eq!(ids, vec![Some("vpc-1".into()), Some("vpc-2".into())]);
    assert_eq!(sh.calls(), 2);
    assert_eq!(
        script.bodies(),
        vec![
            "Action=DescribeVpcs&Version=2016-11-15",
            "Action=DescribeVpcs&Version=2016-11-15&NextToken=t1"
        ]
    );
    let reqs = script.requests.lock().unwrap();
    assert_eq!(reqs[0].0, "http://localhost:5000/");
    let header = |name: &str| {
        reqs[0]
            .1
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    assert_eq!(header("content-type"), "application/x-www-form-urlencoded");
    let auth = header("authorization");
    assert!(
        auth.starts_with("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/")
            && auth.contains("/eu-west-1/ec2/aws4_request"),
        "{auth}"
    );
    assert!(
        header("user-agent").contains("api/ec2"),
        "{}",
        header("user-agent")
    );
}

#[tokio::test]
async fn a_repeated_token_ends_the_pages() {
    let page = doc("DescribeVpcs", "<vpcSet/><nextToken>same</nextToken>");
    let script = Script::new(vec![(200, page.clone()), (200, page)]);
    let c = Client::new(&config(&script, Some("http://localhost:5000")));
    let sh = Shared::new(4, 2, Progress::new(false));
    let pages = sh
        .pages("ec2", "eu-west-1", "DescribeVpcs", || c.describe_vpcs())
        .await
        .unwrap();
    assert_eq!(pages.len(), 2);
}

#[tokio::test]
async fn throttling_is_retried_and_denial_is_classified() {
    let script = Script::new(vec![
        (503, error_doc("RequestLimitExceeded")),
        (400, error_doc("Throttling")),
        (
            200,
            doc(
                "GetEbsEncryptionByDefault",
                "<ebsEncryptionByDefault>false</ebsEncryptionByDefault>",
            ),
        ),
        (403, error_doc("UnauthorizedOperation")),
    ]);
    let c = Client::new(&config(&script, Some("http://localhost:5000")));
    let out = c
        .get_ebs_encryption_by_default()
        .await
        .expect("retried twice");
    assert_eq!(out.enabled, Some(false));
    assert_eq!(script.bodies().len(), 3);
    let sh = Shared::new(4, 2, Progress::new(false));
    let e = sh
        .call("ec2", "eu-west-1", "DescribeRegions", || {
            c.describe_regions()
        })
        .await
        .unwrap_err();
    assert!(e.is(DENIED_CODES));
    assert_eq!(
        &*e.reason,
        "ec2:DescribeRegions in eu-west-1 failed: UnauthorizedOperation (HTTP 403): m"
    );
    assert_eq!(script.bodies().len(), 4, "a denial is not retried");
    assert_eq!(
        script.bodies()[3],
        "Action=DescribeRegions&Version=2016-11-15&AllRegions=true"
    );
}

#[tokio::test]
async fn an_unreadable_answer_fails_the_call_once() {
    let script = Script::new(vec![(200, "<DescribeVpcsResponse><vpcSet>".to_string())]);
    let c = Client::new(&config(&script, Some("http://localhost:5000")));
    let sh = Shared::new(4, 2, Progress::new(false));
    let e = sh
        .pages("ec2", "eu-west-1", "DescribeVpcs", || c.describe_vpcs())
        .await
        .unwrap_err();
    assert_eq!(e.code, None);
    assert!(
        e.reason.starts_with(
            "ec2:DescribeVpcs in eu-west-1 failed: HTTP 200: unreadable DescribeVpcs response: malformed XML"
        ),
        "{}",
        e.reason
    );
    assert_eq!(script.bodies().len(), 1, "not retried");
}

#[test]
fn endpoint_comes_from_the_config() {
    let script = Script::default();
    let cfg = config(&script, None);
    assert_eq!(
        super::endpoint(&cfg, Some("eu-west-1")).as_deref(),
        Ok("https://ec2.eu-west-1.amazonaws.com")
    );
    let cfg = config(&script, Some("http://127.0.0.1:5000"));
    assert_eq!(
        super::endpoint(&cfg, Some("eu-west-1")).as_deref(),
        Ok("http://127.0.0.1:5000")
    );
    let cfg = cfg.to_builder().use_fips(true).build();
    assert!(super::endpoint(&cfg, Some("eu-west-1")).is_err());
}

/// The cases of `aws-sdk-ec2`'s endpoint tests.
#[test]
fn endpoints_follow_the_sdk_rules() {
    use super::resolve_endpoint as r;
    let ok = |region, fips, ds, want: &str| {
        assert_eq!(
            r(Some(region), fips, ds, None).as_deref(),
            Ok(want),
            "{region} {fips} {ds}"
        )
    };
    ok(
        "us-east-1",
        false,
        false,
        "https://ec2.us-east-1.amazonaws.com",
    );
    ok(
        "af-south-1",
        false,
        false,
        "https://ec2.af-south-1.amazonaws.com",
    );
    ok(
        "us-east-1",
        true,
        false,
        "https://ec2-fips.us-east-1.amazonaws.com",
    );
    ok("us-east-1", false, true, "https://ec2.us-east-1.api.aws");
    ok(
        "us-east-1",
        true,
        true,
        "https://ec2-fips.us-east-1.api.aws",
    );
    ok(
        "cn-north-1",
        false,
        false,
        "https://ec2.cn-north-1.amazonaws.com.cn",
    );
    ok(
        "cn-north-1",
        true,
        true,
        "https://ec2-fips.cn-north-1.api.amazonwebservices.com.cn",
    );
    ok(
        "cn-north-1",
        true,
        false,
        "https://ec2-fips.cn-north-1.amazonaws.com.cn",
    );
    ok(
        "cn-north-1",
        false,
        true,
        "https://ec2.cn-north-1.api.amazonwebservices.com.cn",
    );
    ok(
        "us-gov-east-1",
        false,
        false,
        "https://ec2.us-gov-east-1.amazonaws.com",
    );
    ok(
        "us-gov-east-1",
        true,
        true,
        "https://ec2-fips.us-gov-east-1.api.aws",
    );
    ok(
        "us-gov-east-1",
        true,
        false,
        "https://ec2.us-gov-east-1.amazonaws.com",
    );
    ok(
        "us-gov-east-1",
        false,
        true,
        "https://ec2.us-gov-east-1.api.aws",
    );
    ok(
        "us-iso-east-1",
        false,
        false,
        "https://ec2.us-iso-east-1.c2s.ic.gov",
    );
    ok(
        "us-iso-east-1",
        true,
        false,
        "https://ec2-fips.us-iso-east-1.c2s.ic.gov",
    );
    ok(
        "us-isob-east-1",
        false,
        false,
        "https://ec2.us-isob-east-1.sc2s.sgov.gov",
    );
    ok(
        "us-isob-east-1",
        true,
        false,
        "https://ec2-fips.us-isob-east-1.sc2s.sgov.gov",
    );
    let url = Some("https://example.com");
    assert_eq!(
        r(Some("us-east-1"), false, false, url).as_deref(),
        Ok("https://example.com")
    );
    assert_eq!(
        r(None, false, false, url).as_deref(),
        Ok("https://example.com")
    );
    assert!(r(Some("us-east-1"), true, false, url).is_err());
    assert!(r(Some("us-east-1"), false, true, url).is_err());
    assert!(r(None, false, false, None).is_err());
}
