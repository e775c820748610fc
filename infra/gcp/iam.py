"""Group bindings from the access model: each team's GCP group gets the roles of its levels."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_gcp as gcp

from zones.model import AccessLevel, Team

FORBIDDEN_ROLES = ("roles/owner", "roles/editor")  # basic roles: never granted


@dataclass
class GcpIamArgs:
    zone_id: str
    project: str
    teams: list[Team]
    levels: dict[str, AccessLevel]


class GcpIam(pulumi.ComponentResource):
    def __init__(self, name: str, args: GcpIamArgs, opts: pulumi.ResourceOptions | None = None):
        super().__init__("byside:gcp:Iam", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        self.members: dict[str, gcp.projects.IAMMember] = {}
        for team in args.teams:
            roles = sorted({r for lvl in team.gcp for r in args.levels[lvl].gcp_roles})
            for role in roles:
                if role in FORBIDDEN_ROLES:
                    raise ValueError(f"access.yaml: team {team.id} would get {role}; basic roles are never granted")
                key = f"{args.zone_id}-{team.id}-{role.removeprefix('roles/').replace('.', '-')}"
                self.members[key] = gcp.projects.IAMMember(key, project=args.project, role=role,
                                                           member=f"group:{team.gcp_group}", opts=child)
        self.register_outputs({"bindings": sorted(self.members)})
