"""Creates the Secrets my-store needs, once, inside the cluster: nothing secret is ever rendered or committed.

Run by the <release>-secrets Job (a pre-install/pre-upgrade hook) in the functions image:
- <release>-jwt: an Ed25519 key pair (private.pem, public.pem) for the EdDSA session tokens;
- <release>-db: a random password per key of DB_KEYS (the PostgreSQL superuser, pgAdmin and one per
  service's database).

Existing values are kept, so upgrades never rotate a password under a running database; a key that is
missing (a service added to the declaration) is added. Helm's `lookup` cannot do this: `helm template`
(Tilt, Argo CD) has no cluster to look in, and Helm's template functions cannot make the Ed25519
public key.
"""

import base64
import os
import secrets
import sys

import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

ACCOUNT = "/var/run/secrets/kubernetes.io/serviceaccount"
API = "https://kubernetes.default.svc"


def api(method: str, path: str, **kwargs) -> requests.Response:
    with open(f"{ACCOUNT}/token") as token:
        headers = {"Authorization": f"Bearer {token.read().strip()}", **kwargs.pop("headers", {})}
    return requests.request(
        method, API + path, headers=headers, verify=f"{ACCOUNT}/ca.crt", timeout=30, **kwargs
    )


def read_secret(namespace: str, name: str) -> dict[str, str] | None:
    response = api("GET", f"/api/v1/namespaces/{namespace}/secrets/{name}")
    if response.status_code == 404:
        return None
    response.raise_for_status()
    return {
        key: base64.b64decode(value).decode() for key, value in (response.json().get("data") or {}).items()
    }


def create_secret(namespace: str, name: str, data: dict[str, str], labels: dict[str, str]) -> None:
    body = {
        "apiVersion": "v1",
        "kind": "Secret",
        "type": "Opaque",
        "metadata": {"name": name, "namespace": namespace, "labels": labels},
        "stringData": data,
    }
    api("POST", f"/api/v1/namespaces/{namespace}/secrets", json=body).raise_for_status()


def add_keys(namespace: str, name: str, data: dict[str, str]) -> None:
    api(
        "PATCH",
        f"/api/v1/namespaces/{namespace}/secrets/{name}",
        json={"stringData": data},
        headers={"Content-Type": "application/merge-patch+json"},
    ).raise_for_status()


def jwt_key_pair() -> dict[str, str]:
    key = Ed25519PrivateKey.generate()
    private = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    public = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return {"private.pem": private.decode(), "public.pem": public.decode()}


def password() -> str:
    return secrets.token_hex(24)  # URL- and pgpass-safe: it goes into database URLs as it is


def main() -> int:
    namespace = os.environ["NAMESPACE"]
    labels = {"app.kubernetes.io/part-of": "my-store", "app.kubernetes.io/instance": os.environ["RELEASE"]}

    jwt_name = os.environ["JWT_SECRET"]
    if read_secret(namespace, jwt_name) is None:
        create_secret(namespace, jwt_name, jwt_key_pair(), labels)
        print(f"created {jwt_name} (new Ed25519 key pair)")
    else:
        print(f"kept {jwt_name}")

    db_name = os.environ["DB_SECRET"]
    wanted = [key for key in os.environ["DB_KEYS"].split(",") if key]
    existing = read_secret(namespace, db_name)
    if existing is None:
        create_secret(namespace, db_name, {key: password() for key in wanted}, labels)
        print(f"created {db_name} ({', '.join(wanted)})")
    else:
        missing = [key for key in wanted if key not in existing]
        if missing:
            add_keys(namespace, db_name, {key: password() for key in missing})
        print(f"kept {db_name}" + (f", added {', '.join(missing)}" if missing else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
