"""A throwaway OpenLDAP directory for the log-in tests (import with
``from tests.support.ldap_server import LocalLdap``): Debian's ``slapd`` on free loopback ports,
with a temporary ``slapd.conf``, database and certificate authority, seeded as a council's directory
would be: an organisation, people with passwords, a service account that may search, the group
allowed into the toolkit and a group that is not.

slapd listens on ``ldap://`` (plain, and StartTLS) and ``ldaps://``, with a server certificate
for localhost (and 127.0.0.1) signed by a CA made for the run (``ca_file``). Anonymous clients
may only bind: finding a person's DN needs the service account, as on Active Directory.

It never runs as root: when the tests run as root, slapd drops to Debian's ``openldap`` user
(``-u``/``-g``) and the database is made as that user. In CI (``CI=true``) a missing slapd is a
failure, never a skip (see :func:`start_or_explain`).
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterable, Mapping
from pathlib import Path

import pytest

INSTALL_HINT = "apt-get install -y slapd ldap-utils (bash test.sh does this)"
SLAPD = "/usr/sbin/slapd"
SLAPADD = "/usr/sbin/slapadd"
SCHEMA = Path("/etc/ldap/schema")
START_TIMEOUT = 30
SUFFIX = "dc=council,dc=example"
SERVICE_PASSWORD = "service-account-loopback-only"
ADMIN_PASSWORD = "directory-admin-loopback-only"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def hashed(password: str) -> str:
    """``{SSHA}`` as ``slappasswd`` makes it: the directory never holds a password in clear."""
    salt = os.urandom(8)
    digest = hashlib.sha1(password.encode() + salt).digest()
    return "{SSHA}" + base64.b64encode(digest + salt).decode()


def make_certificates(folder: Path) -> dict[str, Path]:
    """A CA, a server certificate for localhost and 127.0.0.1 signed by it, and an unrelated
    CA (whose trust must not be enough): ``openssl`` on the command line, elliptic keys."""
    key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    ca_ext = ["-addext", "basicConstraints=critical,CA:TRUE"]
    ca_ext += ["-addext", "keyUsage=critical,keyCertSign,cRLSign"]
    for name in ("ca", "stranger-ca"):
        subprocess.run(
            ["openssl", "req", "-x509", *key, "-keyout", str(folder / f"{name}.key"),
             "-out", str(folder / f"{name}.pem"), "-days", "2",
             "-subj", f"/O=Test council/CN={name}", *ca_ext],
            check=True, capture_output=True, timeout=60,
        )  # fmt: skip
    (folder / "server.ext").write_text(
        "basicConstraints=critical,CA:FALSE\n"
        "keyUsage=critical,digitalSignature\n"
        "extendedKeyUsage=serverAuth\n"
        "subjectAltName=IP:127.0.0.1,DNS:localhost\n"
        "authorityKeyIdentifier=keyid\n"
        "subjectKeyIdentifier=hash\n"
    )
    subprocess.run(
        ["openssl", "req", *key, "-keyout", str(folder / "server.key"),
         "-out", str(folder / "server.csr"), "-subj", "/O=Test council/CN=localhost"],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    subprocess.run(
        ["openssl", "x509", "-req", "-in", str(folder / "server.csr"),
         "-CA", str(folder / "ca.pem"), "-CAkey", str(folder / "ca.key"), "-CAcreateserial",
         "-days", "2", "-extfile", str(folder / "server.ext"), "-out", str(folder / "server.pem")],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    return {
        "ca": folder / "ca.pem",
        "stranger_ca": folder / "stranger-ca.pem",
        "cert": folder / "server.pem",
        "key": folder / "server.key",
    }


class LocalLdap:
    """slapd on 127.0.0.1, seeded with ``people`` (uid → (full name, password)); those in
    ``allowed`` are members of :attr:`allowed_group`, the others of :attr:`other_group`.

    ``port`` serves plain LDAP and StartTLS, ``ldaps_port`` LDAPS; ``ca_file`` is the CA that
    signed the server's certificate; :attr:`service_dn` / ``SERVICE_PASSWORD`` is the account
    that may look people up.
    """

    suffix = SUFFIX
    people_base = f"ou=people,{SUFFIX}"
    allowed_group = f"cn=sos-toolkit-users,ou=groups,{SUFFIX}"
    other_group = f"cn=finance,ou=groups,{SUFFIX}"
    service_dn = f"cn=sos-toolkit-hub,ou=services,{SUFFIX}"
    service_password = SERVICE_PASSWORD
    admin_dn = f"cn=admin,{SUFFIX}"

    def __init__(self, people: Mapping[str, tuple[str, str]], allowed: Iterable[str]) -> None:
        self.people = dict(people)
        self.allowed = [uid for uid in allowed if uid in self.people]
        self.root = Path(tempfile.mkdtemp(prefix="sos-ldap-"))
        self.port = _free_port()
        self.ldaps_port = _free_port()
        self.log_path = self.root / "slapd.log"
        self.process: subprocess.Popen | None = None
        self.certificates: dict[str, Path] = {}
        self.as_user: list[str] = []  # runuser prefix for slapadd when the tests run as root
        self.drop_to: list[str] = []  # slapd's own -u/-g when the tests run as root
        if os.geteuid() == 0:
            user = pwd.getpwnam("openldap")  # KeyError when the package is not installed
            self._owner = (user.pw_uid, user.pw_gid)
            self.as_user = ["runuser", "-u", "openldap", "--"]
            self.drop_to = ["-u", "openldap", "-g", "openldap"]

    @property
    def ca_file(self) -> Path:
        return self.certificates["ca"]

    @property
    def stranger_ca_file(self) -> Path:
        return self.certificates["stranger_ca"]

    def person_dn(self, uid: str) -> str:
        return f"uid={uid},{self.people_base}"

    def leave_group(self, uid: str) -> None:
        """Take someone out of the allowed group, as IT does when a person leaves the team."""
        import ldap3

        server = ldap3.Server("127.0.0.1", port=self.port, get_info=ldap3.NONE)
        # not ``with``: ldap3 gives a connection bound on entry back still bound, socket open
        admin = ldap3.Connection(server, self.admin_dn, ADMIN_PASSWORD, auto_bind=True)
        try:
            change = {"member": [(ldap3.MODIFY_DELETE, [self.person_dn(uid)])]}
            if not admin.modify(self.allowed_group, change):
                raise RuntimeError(f"could not take {uid} out of the group: {admin.result}")
        finally:
            admin.unbind()

    # the directory ---------------------------------------------------------------------------
    def _config(self) -> str:
        schemas = "".join(
            f"include {SCHEMA / name}.schema\n"
            for name in ("core", "cosine", "nis", "inetorgperson")
        )
        return (
            f"{schemas}"
            f"pidfile {self.root / 'slapd.pid'}\n"
            f"argsfile {self.root / 'slapd.args'}\n"
            "modulepath /usr/lib/ldap\n"
            "moduleload back_mdb\n"
            f"TLSCACertificateFile {self.certificates['ca']}\n"
            f"TLSCertificateFile {self.certificates['cert']}\n"
            f"TLSCertificateKeyFile {self.certificates['key']}\n"
            # as a council's directory: schema readable, passwords only for binding, the rest
            # only for people who have bound
            'access to dn.base="" by * read\n'
            'access to dn.base="cn=Subschema" by * read\n'
            "database mdb\n"
            "maxsize 10485760\n"
            f'suffix "{SUFFIX}"\n'
            f'rootdn "{self.admin_dn}"\n'
            f"rootpw {hashed(ADMIN_PASSWORD)}\n"
            f"directory {self.root / 'db'}\n"
            "access to attrs=userPassword by self =xw by anonymous auth by * none\n"
            "access to * by users read by * none\n"
        )

    def _seed(self) -> str:
        """The council's directory as LDIF."""
        entries = [
            f"dn: {SUFFIX}\nobjectClass: dcObject\nobjectClass: organization\n"
            "o: Example Council\ndc: council\n",
            *(
                f"dn: ou={ou},{SUFFIX}\nobjectClass: organizationalUnit\nou: {ou}\n"
                for ou in ("people", "groups", "services")
            ),
            f"dn: {self.service_dn}\nobjectClass: applicationProcess\n"
            f"objectClass: simpleSecurityObject\ncn: sos-toolkit-hub\n"
            f"userPassword: {hashed(self.service_password)}\n",
        ]
        for uid, (name, password) in self.people.items():
            entries.append(
                f"dn: {self.person_dn(uid)}\nobjectClass: inetOrgPerson\nuid: {uid}\n"
                f"cn: {name}\nsn: {name.split()[-1]}\nmail: {uid}@council.example\n"
                f"userPassword: {hashed(password)}\n"
            )
        others = [uid for uid in self.people if uid not in self.allowed]
        for group, members in ((self.allowed_group, self.allowed), (self.other_group, others)):
            entries.append(
                f"dn: {group}\nobjectClass: groupOfNames\ncn: {group.split(',')[0][3:]}\n"
                # a groupOfNames must have a member: an empty group holds one who does not exist
                + (
                    "".join(f"member: {self.person_dn(uid)}\n" for uid in members)
                    or f"member: cn=nobody,{SUFFIX}\n"
                )
            )
        return "\n".join(entries)

    def start(self) -> LocalLdap:
        self.certificates = make_certificates(self.root)
        (self.root / "db").mkdir()
        (self.root / "slapd.conf").write_text(self._config())
        (self.root / "seed.ldif").write_text(self._seed())
        if self.as_user:
            for path in [self.root, *self.root.rglob("*")]:
                os.chown(path, *self._owner)
        seeded = subprocess.run(
            [*self.as_user, SLAPADD, "-f", str(self.root / "slapd.conf"), "-n", "1",
             "-l", str(self.root / "seed.ldif")],
            capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        if seeded.returncode != 0:
            raise RuntimeError(f"slapadd could not seed the directory:\n{seeded.stderr[-3000:]}")
        urls = f"ldap://127.0.0.1:{self.port}/ ldaps://127.0.0.1:{self.ldaps_port}/"
        with self.log_path.open("w") as log:
            self.process = subprocess.Popen(
                # -d stats: in the foreground, logging each bind and search to the log
                [SLAPD, *self.drop_to, "-f", str(self.root / "slapd.conf"), "-h", urls,
                 "-d", "stats"],
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        self._wait_until_up()
        return self

    def _wait_until_up(self) -> None:
        import ldap3

        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process is None or self.process.poll() is not None:
                raise RuntimeError(f"slapd exited before answering:\n{self.log()[-3000:]}")
            try:  # a refused connection first: ldap3 would leave its socket open
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
            except OSError:
                time.sleep(0.1)
                continue
            with contextlib.suppress(ldap3.core.exceptions.LDAPException):
                server = ldap3.Server("127.0.0.1", port=self.port, get_info=ldap3.NONE)
                ldap3.Connection(
                    server, self.service_dn, self.service_password, auto_bind=True
                ).unbind()
                return
            time.sleep(0.1)
        raise RuntimeError(f"slapd did not answer in {START_TIMEOUT}s:\n{self.log()[-3000:]}")

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)
        shutil.rmtree(self.root, ignore_errors=True)


def unavailable(reason: str) -> None:
    """Fail in CI, skip locally."""
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"LDAP tests cannot run in CI: {reason}. {INSTALL_HINT}", pytrace=False)
    pytest.skip(f"OpenLDAP not available: {reason}. {INSTALL_HINT}")


def start_or_explain(people: Mapping[str, tuple[str, str]], allowed: Iterable[str]) -> LocalLdap:
    """Start a directory; when slapd is missing, skip (fail in CI) saying why."""
    missing = [p for p in (SLAPD, SLAPADD) if not Path(p).exists()]
    missing += [p for p in ("openssl",) if shutil.which(p) is None]
    if missing:
        unavailable(f"{', '.join(missing)} not found")
    try:
        import ldap3  # noqa: F401
    except ImportError:
        unavailable("the ldap3 package is not installed (pip install -e '.[test]')")
    try:
        server = LocalLdap(people, allowed)
    except KeyError as exc:
        unavailable(f"the openldap system user is missing ({exc})")
    try:
        return server.start()  # slapd is there: a failure to start is a failure, not a skip
    except BaseException:
        server.stop()
        raise
