"""The whole stack as ./scripts/dev runs it: every function its own process, on its fixed port."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from kit.declaration import load_declaration

ROOT = Path(__file__).resolve().parents[2]
BFF = "http://127.0.0.1:8080"


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    var_dir = tmp_path_factory.mktemp("stack-var")
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT / "functions"),
        "MYSTORE_VAR_DIR": str(var_dir),
        "MYSTORE_BCRYPT_COST": "4",
        "MYSTORE_DATABASE_URL": f"sqlite:///{var_dir}/db/{{service}}.sqlite",
        "MYSTORE_FUNCTION_URL_TEMPLATE": "http://127.0.0.1:{port}",
    }
    for command in (["kit.tokens", "--generate"], ["kit.migrate"]):
        subprocess.run([sys.executable, "-m", *command], env=env, check=True, cwd=ROOT)
    runner = subprocess.Popen(
        [sys.executable, "-m", "local.runner"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    output = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = runner.stdout.readline()
        output.append(line)
        if "Ctrl-C stops everything" in line or runner.poll() is not None:
            break
    if runner.poll() is not None:
        pytest.fail("runner did not start:\n" + "".join(output))
    yield "".join(output)
    runner.send_signal(signal.SIGINT)
    assert runner.wait(timeout=20) == 0


def test_the_runner_prints_every_function_with_its_url(stack):
    for function in load_declaration().functions:
        assert f"http://127.0.0.1:{function.port}" in stack and function.name in stack


def test_register_login_me_through_the_bff(stack):
    session = requests.Session()
    created = session.post(
        f"{BFF}/api/auth/register", json={"email": "Eve@Example.com", "password": "p4ssword!"}
    )
    assert created.status_code == 201
    taken = session.post(
        f"{BFF}/api/auth/register", json={"email": "eve@EXAMPLE.com", "password": "p4ssword!"}
    )
    assert taken.status_code == 409 and taken.headers["Content-Type"] == "application/problem+json"
    logged_in = session.post(
        f"{BFF}/api/auth/login", json={"email": "eve@example.com", "password": "p4ssword!"}
    )
    assert logged_in.status_code == 200 and "mystore_session" in session.cookies
    assert session.get(f"{BFF}/api/me").json()["email"] == "eve@example.com"
    token = logged_in.json()["token"]
    assert requests.get(f"{BFF}/api/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200


def test_a_cloudevent_straight_to_auth_register_in_both_modes(stack):
    url = f"http://127.0.0.1:{load_declaration().function('auth-register').port}"
    binary = requests.post(
        url,
        data=json.dumps({"email": "f1@example.com", "password": "p4ssword!"}),
        headers={
            "ce-specversion": "1.0",
            "ce-id": "1",
            "ce-source": "/curl",
            "ce-type": "mystore.auth.v1.RegisterRequest",
            "Content-Type": "application/json",
        },
    )
    assert binary.status_code == 200 and binary.headers["ce-type"] == "mystore.auth.v1.RegisterResponse"
    structured = requests.post(
        url,
        headers={"Content-Type": "application/cloudevents+json"},
        data=json.dumps(
            {
                "specversion": "1.0",
                "id": "2",
                "source": "/curl",
                "type": "mystore.auth.v1.RegisterRequest",
                "datacontenttype": "application/json",
                "data": {"email": "f2@example.com", "password": "p4ssword!"},
            }
        ),
    )
    assert structured.status_code == 200 and structured.json()["user"]["email"] == "f2@example.com"
