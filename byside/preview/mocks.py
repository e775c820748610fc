"""What the offline preview's mock engine answers: resource outputs and invokes, from zone data.

Every computed value is derived from the resource's URN (a hash), so runs are deterministic.
Fabricated addresses come from 198.18.0.0/15 (RFC 2544 benchmarking), never a real network.
RandomPassword results are hash-derived, meaningless and always returned as secrets.
"""

from __future__ import annotations

import hashlib
from typing import Any

import pulumi
from pulumi.runtime import rpc

SECRET = {rpc._special_sig_key: rpc._special_secret_sig}

# Id prefixes AWS uses, so ids in the file read like the real thing.
_AWS_ID_PREFIX = {
    "aws:ec2/vpc:Vpc": "vpc-", "aws:ec2/subnet:Subnet": "subnet-", "aws:ec2/routeTable:RouteTable": "rtb-",
    "aws:ec2/routeTableAssociation:RouteTableAssociation": "rtbassoc-", "aws:ec2/internetGateway:InternetGateway": "igw-",
    "aws:ec2/securityGroup:SecurityGroup": "sg-", "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": "sg-",
    "aws:ec2/managedPrefixList:ManagedPrefixList": "pl-", "aws:ec2/customerGateway:CustomerGateway": "cgw-",
    "aws:ec2/vpnGateway:VpnGateway": "vgw-", "aws:ec2/vpnConnection:VpnConnection": "vpn-",
    "aws:ec2/flowLog:FlowLog": "fl-", "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": "sgr-",
    "aws:ssm/maintenanceWindow:MaintenanceWindow": "mw-", "aws:ec2/vpcEndpoint:VpcEndpoint": "vpce-",
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": "sgr-",
}
_GCP_COLLECTION = {
    "gcp:compute/network:Network": ("global", "networks"), "gcp:compute/firewall:Firewall": ("global", "firewalls"),
    "gcp:compute/route:Route": ("global", "routes"),
    "gcp:compute/externalVpnGateway:ExternalVpnGateway": ("global", "externalVpnGateways"),
    "gcp:compute/subnetwork:Subnetwork": ("region", "subnetworks"), "gcp:compute/router:Router": ("region", "routers"),
    "gcp:compute/haVpnGateway:HaVpnGateway": ("region", "vpnGateways"),
    "gcp:compute/vPNTunnel:VPNTunnel": ("region", "vpnTunnels"),
    "gcp:compute/resourcePolicy:ResourcePolicy": ("region", "resourcePolicies"),
}


def digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def fake_ip(*parts: str) -> str:
    h = int(digest("ip", *parts)[:8], 16)
    return f"198.{18 + (h >> 16) % 2}.{(h >> 8) % 256}.{h % 254 + 1}"


def _uuid(h: str) -> str:
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"


def _link_local(seed: str) -> tuple[str, str]:
    """(customer gateway, VPN gateway) inside addresses of a /30, as AWS assigns them (.2, .1)."""
    h = int(digest("inside", seed)[:6], 16)
    third, fourth = 8 + h % 240, (h >> 8) % 64 * 4
    return f"169.254.{third}.{fourth + 2}", f"169.254.{third}.{fourth + 1}"


class ZoneMocks(pulumi.runtime.Mocks):
    def __init__(self, platform, zone_id: str, stack: str):
        self.platform = platform
        self.zone = platform.zone(zone_id)
        self.stack = stack

    # ------------------------------------------------------------ resources

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict]:
        urn = f"{args.typ}::{args.name}"
        h = digest(self.stack, urn)
        typ, inputs = args.typ, dict(args.inputs)
        state: dict[str, Any] = dict(inputs)
        if typ.startswith("pulumi:providers:"):
            return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}", state
        if typ.startswith("aws:"):
            rid = _AWS_ID_PREFIX.get(typ, "") + h[:17] if typ in _AWS_ID_PREFIX else inputs.get("name") or f"{args.name}-{h[:7]}"
            if typ == "aws:s3/bucket:Bucket":  # a bucket's id is its name
                rid = inputs.get("bucket") or rid
            state.update(self._aws(typ, args.name, inputs, rid, h))
        elif typ.startswith("gcp:"):
            rid = self._gcp_id(typ, inputs.get("name") or args.name)
            state.update(self._gcp(typ, inputs, rid, h))
        elif typ == "random:index/randomPassword:RandomPassword":
            rid = "none"
            length = int(inputs.get("length", 32))
            # Not a usable key (hex of a hash of the URN); marked secret so it is never written.
            state["result"] = {**SECRET, "value": digest("mock-password", self.stack, urn)[:length]}
            state["bcryptHash"] = {**SECRET, "value": "$2a$10$" + digest("mock-bcrypt", self.stack, urn)[:53]}
        elif typ.startswith("vsphere:"):
            rid = f"dvportgroup-{int(h[:6], 16) % 100000}"
            state["key"] = rid
        else:
            rid = f"{args.name}-{h[:7]}"
        state.setdefault("id", rid)
        return rid, state

    def _aws(self, typ: str, name: str, inputs: dict, rid: str, h: str) -> dict:
        a = self.zone.aws
        region, account = (a.region, a.account_id) if a else ("us-east-1", "000000000000")
        out: dict[str, Any] = {}
        if "tags" in inputs:
            out["tagsAll"] = dict(inputs["tags"])
        service = typ.split(":")[1].split("/")[0]
        nm = inputs.get("name") or rid
        arn = {
            "aws:iam/role:Role": f"arn:aws:iam::{account}:role/{nm}",
            "aws:iam/policy:Policy": f"arn:aws:iam::{account}:policy/{nm}",
            "aws:kms/key:Key": f"arn:aws:kms:{region}:{account}:key/{rid}",
            "aws:cloudwatch/logGroup:LogGroup": f"arn:aws:logs:{region}:{account}:log-group:{nm}",
            "aws:sns/topic:Topic": f"arn:aws:sns:{region}:{account}:{nm}",
            "aws:backup/vault:Vault": f"arn:aws:backup:{region}:{account}:backup-vault:{nm}",
            "aws:backup/plan:Plan": f"arn:aws:backup:{region}:{account}:backup-plan:{rid}",
            "aws:cloudwatch/eventRule:EventRule": f"arn:aws:events:{region}:{account}:rule/{nm}",
            "aws:cloudwatch/metricAlarm:MetricAlarm": f"arn:aws:cloudwatch:{region}:{account}:alarm:{nm}",
            "aws:backup/restoreTestingPlan:RestoreTestingPlan":
                f"arn:aws:backup:{region}:{account}:restore-testing-plan:{nm}-{_uuid(h)}",
            "aws:backup/framework:Framework": f"arn:aws:backup:{region}:{account}:framework:{nm}-{_uuid(h)}",
            "aws:backup/reportPlan:ReportPlan": f"arn:aws:backup:{region}:{account}:report-plan:{nm}-{_uuid(h)}",
            "aws:cloudtrail/trail:Trail": f"arn:aws:cloudtrail:{region}:{account}:trail/{nm}",
            "aws:s3/bucket:Bucket": f"arn:aws:s3:::{inputs.get('bucket') or rid}",
        }.get(typ, f"arn:aws:{service}:{region}:{account}:{typ.split(':')[-1].lower()}/{rid}")
        out["arn"] = arn
        if typ == "aws:kms/key:Key":
            out["keyId"] = rid
        if typ == "aws:ec2/vpnConnection:VpnConnection":
            for n in (1, 2):
                cgw, vgw = _link_local(f"{self.stack}:{name}:{n}")
                out[f"tunnel{n}Address"] = fake_ip(self.stack, name, str(n))
                out[f"tunnel{n}CgwInsideAddress"] = cgw
                out[f"tunnel{n}VgwInsideAddress"] = vgw
                out[f"tunnel{n}BgpAsn"] = str(a.asn) if a else "64512"
        if typ == "aws:backup/plan:Plan":
            out["version"] = h[:16]
        if typ == "aws:ec2/vpcEndpoint:VpcEndpoint" and inputs.get("vpcEndpointType") == "Gateway":
            out["prefixListId"] = "pl-" + h[:8]  # the service's AWS-managed prefix list
        if typ == "aws:s3/bucket:Bucket":
            out["bucket"] = inputs.get("bucket") or rid
            out["bucketDomainName"] = f"{out['bucket']}.s3.amazonaws.com"
        return out

    def _gcp_id(self, typ: str, name: str) -> str:
        g = self.zone.gcp
        project, region = (g.project, g.region) if g else ("project", "region")
        scope, collection = _GCP_COLLECTION.get(typ, ("global", typ.split(":")[-1].lower() + "s"))
        where = "global" if scope == "global" else f"regions/{region}"
        if typ.startswith("gcp:projects/"):
            return f"{project}/{name}"
        return f"projects/{project}/{where}/{collection}/{name}"

    def _gcp(self, typ: str, inputs: dict, rid: str, h: str) -> dict:
        out: dict[str, Any] = {}
        if typ.startswith("gcp:compute/"):
            out["selfLink"] = f"https://www.googleapis.com/compute/v1/{rid}"
        if "labels" in inputs:
            out["effectiveLabels"] = dict(inputs["labels"])
        if typ == "gcp:compute/haVpnGateway:HaVpnGateway":
            out["vpnInterfaces"] = [{"id": i, "ipAddress": fake_ip(rid, str(i))} for i in (0, 1)]
        if typ == "gcp:compute/network:Network":
            out["gatewayIpv4"] = fake_ip(rid)
        g = self.zone.gcp
        project = g.project if g else "project"
        if typ == "gcp:monitoring/notificationChannel:NotificationChannel":
            out["name"] = f"projects/{project}/notificationChannels/{int(h[:12], 16)}"
        if typ == "gcp:monitoring/alertPolicy:AlertPolicy":
            out["name"] = f"projects/{project}/alertPolicies/{int(h[:12], 16)}"
        if typ == "gcp:logging/projectSink:ProjectSink":
            number = int(digest(project)[:10], 16)  # the project number getProject answers
            out["writerIdentity"] = f"serviceAccount:service-{number}@gcp-sa-logging.iam.gserviceaccount.com"
        return out

    # ------------------------------------------------------------ invokes

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict, list]:
        tok, a = args.token, args.args
        z = self.zone
        if tok == "aws:index/getAvailabilityZones:getAvailabilityZones":
            names = list(z.aws.availability_zones) if z.aws else []
            return {"id": z.aws.region if z.aws else "", "names": names, "zoneIds": names, "state": "available"}, []
        if tok == "aws:index/getCallerIdentity:getCallerIdentity":
            acct = z.aws.account_id if z.aws else ""
            return {"id": acct, "accountId": acct, "arn": f"arn:aws:sts::{acct}:assumed-role/preview/offline",
                    "userId": "PREVIEW:offline"}, []
        if tok in ("aws:index/getRegion:getRegion",):
            r = z.aws.region if z.aws else ""
            return {"id": r, "name": r, "region": r, "description": r, "endpoint": f"ec2.{r}.amazonaws.com"}, []
        if tok == "aws:index/getPartition:getPartition":
            return {"id": "aws", "partition": "aws", "dnsSuffix": "amazonaws.com"}, []
        if tok == "aws:acm/getCertificate:getCertificate":
            # The newest ISSUED certificate for the domain, in the zone's region and account.
            r, acct = (z.aws.region, z.aws.account_id) if z.aws else ("", "")
            arn = f"arn:aws:acm:{r}:{acct}:certificate/{_uuid(digest('acm', str(a.get('domain'))))}"
            return {"id": arn, "arn": arn, "domain": a.get("domain"), "status": "ISSUED", "statuses": ["ISSUED"],
                    "mostRecent": True, "tags": {}}, []
        if tok == "gcp:organizations/getProject:getProject":
            p = z.gcp.project if z.gcp else ""
            return {"id": f"projects/{p}", "projectId": p, "name": p, "number": str(int(digest(p)[:10], 16))}, []
        if tok == "vsphere:index/getDatacenter:getDatacenter":
            return {"id": f"datacenter-{int(digest(a.get('name', ''))[:6], 16) % 10000}", "name": a.get("name")}, []
        if tok == "vsphere:index/getDistributedVirtualSwitch:getDistributedVirtualSwitch":
            h = digest(str(a.get("datacenterId")), str(a.get("name")))
            uuid = " ".join(h[i:i + 2] for i in range(0, 32, 2))
            return {"id": uuid, "name": a.get("name"), "datacenterId": a.get("datacenterId"), "uplinks": []}, []
        raise NotImplementedError(f"offline preview: no mock answer for invoke {tok}")
