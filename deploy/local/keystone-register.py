#!/usr/bin/python3
"""Idempotent Keystone registrations for Ember, in one process (one token, no CLI start-up per call).

  keystone-register.py catalog URL ADMIN_PASSWORD EMBER_URL EMBER_PASSWORD [IMAGE_URL]
      services cinderv3 (volumev3) and block-storage (block-storage) with public/internal/admin
      endpoints EMBER_URL/v3/%(project_id)s; project service, user ember (admin + service roles
      there); an image service at IMAGE_URL when given (openstackclient's volume create sets up
      an image client even without --image).
  keystone-register.py user URL ADMIN_PASSWORD NAME PASSWORD PROJECT ROLE[,ROLE...] [NAME ...]...
      per group of four: a project and a user with exactly these roles on it (created when
      missing, password reset); prints each project's id, one a line.

Uses keystoneauth1 (a dependency of Debian's python3-openstackclient) against the v3 REST API.
"""
import sys

from keystoneauth1 import session as ks_session
from keystoneauth1.identity import v3

DOMAIN = "default"


def connect(url, admin_password):
    auth = v3.Password(
        auth_url=url,
        username="admin",
        password=admin_password,
        project_name="admin",
        user_domain_id=DOMAIN,
        project_domain_id=DOMAIN,
    )
    # A deadline per request: a Keystone that accepts and never answers must not hang the caller.
    return ks_session.Session(auth=auth, timeout=60)


class Keystone:
    def __init__(self, sess, url):
        self.s = sess
        self.url = url.rstrip("/")

    def get(self, path, key, **params):
        r = self.s.get(self.url + path, params=params)
        return r.json()[key]

    def post(self, path, body):
        return self.s.post(self.url + path, json=body).json()

    def ensure(self, path, key, match, body):
        """The first row of path whose fields equal match, created from body when none."""
        for row in self.get(path, key + "s", **{k: v for k, v in match.items() if k == "name"}):
            if all(row.get(k) == v for k, v in match.items()):
                return row
        return self.post(path, {key: body})[key]

    def role(self, name):
        return self.ensure("/roles", "role", {"name": name}, {"name": name})

    def project(self, name):
        return self.ensure(
            "/projects", "project", {"name": name, "domain_id": DOMAIN},
            {"name": name, "domain_id": DOMAIN, "enabled": True})

    def user(self, name, password, project):
        u = self.ensure(
            "/users", "user", {"name": name, "domain_id": DOMAIN},
            {"name": name, "domain_id": DOMAIN, "password": password, "enabled": True,
             "default_project_id": project["id"]})
        # Re-running with another password makes the given one true. Only then: a password
        # change revokes the user's tokens (Ember's service token among them).
        login = {"auth": {"identity": {"methods": ["password"], "password": {
            "user": {"id": u["id"], "password": password}}}}}
        r = self.s.post(self.url + "/auth/tokens", json=login, authenticated=False, raise_exc=False)
        if r.status_code != 201:
            self.s.patch(self.url + "/users/" + u["id"], json={"user": {"password": password}})
        return u

    def grant(self, project, user, role):
        self.s.put(f"{self.url}/projects/{project['id']}/users/{user['id']}/roles/{role['id']}")

    def service(self, name, type_, url):
        svc = self.ensure("/services", "service", {"name": name, "type": type_},
                          {"name": name, "type": type_, "enabled": True})
        have = self.get("/endpoints", "endpoints", service_id=svc["id"])
        for interface in ("public", "internal", "admin"):
            mine = [e for e in have if e["interface"] == interface]
            if any(e["url"] == url for e in mine):
                continue
            for e in mine:  # another URL from an earlier run: replace it
                self.s.delete(self.url + "/endpoints/" + e["id"])
            self.post("/endpoints", {"endpoint": {
                "service_id": svc["id"], "interface": interface, "url": url,
                "region_id": "RegionOne", "enabled": True}})


def main(argv):
    if len(argv) >= 5 and argv[1] == "catalog":
        url, admin_pw, ember_url, ember_pw = argv[2:6]
        k = Keystone(connect(url, admin_pw), url)
        volume_url = ember_url.rstrip("/") + "/v3/%(project_id)s"
        k.service("cinderv3", "volumev3", volume_url)
        k.service("block-storage", "block-storage", volume_url)
        if len(argv) > 6 and argv[6]:
            k.service("glance", "image", argv[6])
        service = k.project("service")
        ember = k.user("ember", ember_pw, service)
        for r in ("admin", "service"):
            k.grant(service, ember, k.role(r))
        return 0
    if len(argv) >= 8 and (len(argv) - 4) % 4 == 0 and argv[1] == "user":
        url, admin_pw = argv[2:4]
        k = Keystone(connect(url, admin_pw), url)
        for i in range(4, len(argv), 4):
            name, pw, project_name, roles = argv[i:i + 4]
            project = k.project(project_name)
            user = k.user(name, pw, project)
            wanted = {k.role(r)["id"] for r in roles.split(",") if r}
            assigned = k.get(f"/projects/{project['id']}/users/{user['id']}/roles", "roles")
            for r in assigned:
                if r["id"] not in wanted:
                    k.s.delete(f"{k.url}/projects/{project['id']}/users/{user['id']}/roles/{r['id']}")
            for rid in wanted:
                k.grant(project, user, {"id": rid})
            print(project["id"])
        return 0
    print(__doc__, file=sys.stderr)
    return 64


if __name__ == "__main__":
    sys.exit(main(sys.argv))
