"""A real OpenID provider for the tests: `oidc-provider` from npm, run by tests/oidc/provider.mjs
on loopback (two instances sharing one signing key: the second is "another issuer").

Without Node (or without `npm install` in tests/oidc) the tests skip with the reason; with CI
set they fail, so CI never passes by skipping. `.ci/run` installs both when missing.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

import httpx
import pytest
from bs4 import BeautifulSoup
from joserfc.jwk import RSAKey

HERE = Path(__file__).resolve().parent / "oidc"
CLIENT_ID = "trip"
CLIENT_SECRET = "trip-test-secret"
OTHER_CLIENT_ID = "other"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _missing() -> str | None:
    if shutil.which("node") is None:
        return "Node.js not found: apt-get install -y nodejs npm, then npm ci in tests/oidc"
    if not (HERE / "node_modules" / "oidc-provider").is_dir():
        return "oidc-provider not installed: run npm ci in tests/oidc"
    return None


@dataclass
class OidcProvider:
    issuer: str
    process: subprocess.Popen

    def sign_in(self, auth_url: str, login: str) -> str:
        """Go through the provider's own login and consent pages as `login`: the address
        the provider sends the browser back to (our callback, with code and state)."""
        with httpx.Client(timeout=10) as browser:
            answer = browser.get(auth_url)
            for _ in range(12):
                if answer.is_redirect:
                    target = urljoin(str(answer.url), answer.headers["location"])
                    if not target.startswith(self.issuer):
                        return target
                    answer = browser.get(target)
                    continue
                form = BeautifulSoup(answer.text, "html.parser").find("form")
                assert form is not None, answer.text[:500]
                data = {
                    i["name"]: i.get("value", "") for i in form.find_all("input") if i.get("name")
                }
                if "login" in data:
                    data.update(login=login, password="any password")
                answer = browser.post(urljoin(str(answer.url), form["action"]), data=data)
        raise AssertionError("the provider never sent the browser back")

    def now(self):
        """The provider's time (its answers' Date header): it dates its tokens by its own
        clock, outside the test's, so a test's clock starts here to check them."""
        from email.utils import parsedate_to_datetime

        answer = httpx.get(f"{self.issuer}/.well-known/openid-configuration", timeout=5)
        return parsedate_to_datetime(answer.headers["date"])

    def token_for(self, client_id: str, redirect_uri: str, login: str, nonce: str) -> str:
        """An ID token straight from this provider (for checks of the verification alone)."""
        from authlib.oauth2.rfc7636 import create_s256_code_challenge

        from app.accounts.service import oidc

        meta = oidc.discover(self.issuer)
        verifier = oidc.new_secret()
        url = oidc.authorization_url(
            {**meta},
            client_id=client_id,
            redirect_uri=redirect_uri,
            state="s" * 20,
            nonce=nonce,
            verifier=verifier,
        )
        assert create_s256_code_challenge(verifier) in url
        back = httpx.URL(self.sign_in(url, login))
        tokens = oidc.exchange_code(
            meta,
            client_id=client_id,
            client_secret=f"{client_id}-test-secret",
            redirect_uri=redirect_uri,
            code=back.params["code"],
            verifier=verifier,
        )
        return tokens["id_token"]


def _start(port: int, jwks: dict, redirect_uris: list[str]) -> OidcProvider:
    env = {
        **os.environ,
        "PORT": str(port),
        "OIDC_JWKS": json.dumps(jwks),
        "REDIRECT_URIS": ",".join(redirect_uris),
    }
    process = subprocess.Popen(
        ["node", str(HERE / "provider.mjs")],
        cwd=HERE,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    issuer = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{issuer}/.well-known/openid-configuration", timeout=1).is_success:
                return OidcProvider(issuer, process)
        except httpx.HTTPError:
            pass
        if process.poll() is not None:
            break
        time.sleep(0.1)
    process.kill()
    raise RuntimeError("the test OpenID provider did not start (node tests/oidc/provider.mjs)")


@pytest.fixture
def provider_time(clock, oidc_providers):
    """The app's clock starts at the provider's time: the provider (another process) dates
    its ID tokens by its own clock, and the app checks them against the test's."""
    clock.now = oidc_providers[0].now()


@pytest.fixture(scope="session")
def sso_live_port() -> int:
    return free_port()


@pytest.fixture(scope="session")
def oidc_providers(sso_live_port):
    """(the trust's provider, another issuer with the same signing key)."""
    reason = _missing()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"{reason} (CI is set, so this is a failure)")
        pytest.skip(reason)
    key = RSAKey.generate_key(2048, private=True, parameters={"kid": "test-1", "use": "sig"})
    jwks = {"keys": [{**key.as_dict(private=True), "alg": "RS256"}]}
    uris = [
        "http://testserver/login/sso/callback",
        f"http://127.0.0.1:{sso_live_port}/login/sso/callback",
    ]
    started = [_start(free_port(), jwks, uris), _start(free_port(), jwks, uris)]
    yield started[0], started[1]
    for provider in started:
        provider.process.terminate()
        provider.process.wait(timeout=10)
