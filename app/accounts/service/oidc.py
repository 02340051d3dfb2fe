"""OpenID Connect, the protocol part (Authlib and its JOSE library, joserfc): discovery,
the authorization URL (code flow, PKCE S256, state, nonce, response by query string), the
code exchange, and the ID token check — issuer, audience, signature, expiry and nonce —
then who the token is about (`subject_of`) and whether its email is verified.

Nothing here touches the database; `sso.py` holds the verbs. A problem raises
`OidcProblem(reason)`, where reason is one word the caller turns into plain words and logs.
"""

from __future__ import annotations

import time
from datetime import datetime

import httpx
from authlib.common.security import generate_token
from authlib.oauth2.rfc6749.parameters import prepare_grant_uri
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from joserfc import jwt
from joserfc.errors import (
    BadSignatureError,
    ExpiredTokenError,
    InvalidClaimError,
    JoseError,
    MissingClaimError,
)
from joserfc.jwk import KeySet

SCOPE = "openid email profile"  # profile: Entra ID sends `oid` only with it
ENTRA_HOST = "login.microsoftonline.com"
ALGORITHMS = ["RS256", "PS256", "ES256"]
LEEWAY_SECONDS = 60
CACHE_SECONDS = 3600
TIMEOUT = 10
CLAIM_REASONS = {"iss": "issuer", "aud": "audience", "nonce": "nonce", "sub": "subject"}

_metadata: dict[str, tuple[float, dict]] = {}


class OidcProblem(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def new_secret() -> str:
    """A state, nonce or PKCE verifier: 48 random characters."""
    return generate_token(48)


def discover(issuer: str, *, fresh: bool = False) -> dict:
    """The provider's metadata and signing keys ("jwks"), kept for an hour."""
    issuer = issuer.rstrip("/")
    hit = _metadata.get(issuer)
    if hit and hit[0] > time.monotonic() and not fresh:
        return hit[1]
    try:
        found = httpx.get(f"{issuer}/.well-known/openid-configuration", timeout=TIMEOUT)
        found.raise_for_status()
        meta = found.json()
        keys = httpx.get(meta["jwks_uri"], timeout=TIMEOUT)
        keys.raise_for_status()
        meta = {**meta, "jwks": keys.json()}
    except (httpx.HTTPError, ValueError, KeyError) as exc:
        raise OidcProblem("unreachable") from exc
    if str(meta.get("issuer", "")).rstrip("/") != issuer:
        raise OidcProblem("issuer")
    _metadata[issuer] = (time.monotonic() + CACHE_SECONDS, meta)
    return meta


def authorization_url(
    meta: dict, *, client_id: str, redirect_uri: str, state: str, nonce: str, verifier: str
) -> str:
    return prepare_grant_uri(
        meta["authorization_endpoint"],
        client_id,
        "code",
        redirect_uri=redirect_uri,
        scope=SCOPE,
        state=state,
        nonce=nonce,
        response_mode="query",
        code_challenge=create_s256_code_challenge(verifier),
        code_challenge_method="S256",
    )


def exchange_code(
    meta: dict, *, client_id: str, client_secret: str, redirect_uri: str, code: str, verifier: str
) -> dict:
    """The token endpoint's answer (with the `id_token`) for an authorization code."""
    try:
        answer = httpx.post(
            meta["token_endpoint"],
            data={
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": redirect_uri,
                "code_verifier": verifier,
            },
            auth=(client_id, client_secret),
            headers={"Accept": "application/json"},
            timeout=TIMEOUT,
        )
        body = answer.json()
    except (httpx.HTTPError, ValueError) as exc:
        raise OidcProblem("unreachable") from exc
    if answer.status_code != 200 or "id_token" not in body:
        raise OidcProblem("code")
    return body


def verify_id_token(
    id_token: str, *, issuer: str, client_id: str, jwks: dict, nonce: str, now: datetime
) -> dict:
    """The ID token's claims once its signature, issuer, audience, expiry and nonce hold."""
    try:
        token = jwt.decode(id_token, KeySet.import_key_set(jwks), algorithms=ALGORITHMS)
    except BadSignatureError as exc:
        raise OidcProblem("signature") from exc
    except (JoseError, ValueError) as exc:
        raise OidcProblem("signature" if "key" in str(exc).lower() else "malformed") from exc
    registry = jwt.JWTClaimsRegistry(
        now=int(now.timestamp()),
        leeway=LEEWAY_SECONDS,
        iss={"essential": True, "value": issuer},
        aud={"essential": True, "value": client_id},
        sub={"essential": True},
        exp={"essential": True},
        nonce={"essential": True, "value": nonce},
    )
    try:
        registry.validate(token.claims)
    except ExpiredTokenError as exc:
        raise OidcProblem("expired") from exc
    except (InvalidClaimError, MissingClaimError) as exc:
        raise OidcProblem(CLAIM_REASONS.get(exc.claim, exc.claim)) from exc
    except JoseError as exc:
        raise OidcProblem("malformed") from exc
    audiences = token.claims["aud"]
    if isinstance(audiences, list) and len(audiences) > 1 and token.claims.get("azp") != client_id:
        raise OidcProblem("audience")
    return dict(token.claims)


def is_entra(claims: dict) -> bool:
    """Microsoft Entra ID (a trust's tenant or NHSmail): its issuer is on
    login.microsoftonline.com, or the token carries a tenant id and an object id."""
    return httpx.URL(str(claims.get("iss", ""))).host == ENTRA_HOST or (
        "tid" in claims and "oid" in claims
    )


def subject_of(claims: dict) -> str:
    """Who a checked ID token is about: the link's subject beside its issuer.

    Entra ID: tenant id and object id (`tid` + `oid`), the same for every app in the tenant,
    as Microsoft advises; its `sub` is different for each app registration, so a new client
    id would otherwise orphan every link. Any other provider: `sub`."""
    if not is_entra(claims):
        return str(claims["sub"])
    tid, oid = claims.get("tid"), claims.get("oid")
    if not (isinstance(tid, str) and tid and isinstance(oid, str) and oid):
        raise OidcProblem("subject")  # Entra ID without tid/oid: the `profile` scope is missing
    issuer = httpx.URL(str(claims["iss"]))
    if issuer.host == ENTRA_HOST and tid not in issuer.path.split("/"):
        raise OidcProblem("tenant")  # the token's tenant is not the issuer's
    return f"entra:{tid}:{oid}"


def email_verified(claims: dict) -> bool:
    """The provider vouches for the email claim: `email_verified` true, or from Entra ID
    (which never sends `email_verified`) its optional claim `xms_edov` true, "the email's
    domain is verified by the tenant". An email is otherwise just something typed in."""
    if claims.get("email_verified") is True:
        return True
    return is_entra(claims) and claims.get("xms_edov") in (True, "true", "1")


def end_session_url(meta: dict, *, id_token: str, client_id: str, after: str) -> str | None:
    endpoint = meta.get("end_session_endpoint")
    if not endpoint:
        return None
    return str(
        httpx.URL(
            endpoint,
            params={
                "id_token_hint": id_token,
                "client_id": client_id,
                "post_logout_redirect_uri": after,
            },
        )
    )
