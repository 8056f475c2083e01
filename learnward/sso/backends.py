"""mozilla-django-oidc's backend, made to serve many providers: each sign-in configures it from an
:class:`~learnward.sso.models.IdentityProvider` row instead of the single provider in settings.

The library exchanges the code (with the PKCE verifier), fetches the provider's JWKS and reads
userinfo; the checks on the ID token are stricter here than its defaults: the signing algorithm
is the provider's (never ``none`` or an HMAC keyed by the client secret), and the signature,
issuer, audience (``azp`` when there are several), expiry, issue time and nonce are all checked.
Failures raise :class:`SignInRefused` with a reason for the audit trail; nothing from the tokens
is logged.
"""

from __future__ import annotations

import jwt
import requests
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import SuspiciousOperation
from django.utils.crypto import constant_time_compare
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from learnward.core.errors import ApplicationError

from .endpoints import Endpoints
from .models import IdentityProvider

BACKEND_PATH = "learnward.sso.backends.SSOBackend"
# Clock difference tolerated between the provider and this site, in seconds.
LEEWAY_SECONDS = 60


class SignInRefused(ApplicationError):
    """An assertion that is not accepted; ``reason`` is a short key for the audit trail."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class SSOBackend(OIDCAuthenticationBackend):
    """In ``AUTHENTICATION_BACKENDS`` so that a session signed in through a provider finds its
    user again; it authenticates nothing by itself (no username and password reach it): the
    sign-in callback calls :meth:`verified_claims` and then signs the person in."""

    def __init__(self, *args, **kwargs):
        # The library reads one provider from settings here; the provider comes per sign-in.
        self.UserModel = get_user_model()
        self.provider: IdentityProvider | None = None

    def authenticate(self, request, sso_assertion=None):
        return None

    def get_user(self, user_id):
        # ModelBackend's, which refuses accounts that may not sign in (closed ones).
        return ModelBackend.get_user(self, user_id)

    # --- one provider, per sign-in ------------------------------------------------------------

    def configure(self, provider: IdentityProvider, endpoints: Endpoints) -> SSOBackend:
        self.provider = provider
        self.OIDC_OP_TOKEN_ENDPOINT = endpoints.token
        self.OIDC_OP_USER_ENDPOINT = endpoints.userinfo
        self.OIDC_OP_JWKS_ENDPOINT = endpoints.jwks
        self.OIDC_RP_CLIENT_ID = provider.client_id
        self.OIDC_RP_CLIENT_SECRET = provider.client_secret()
        self.OIDC_RP_SIGN_ALGO = provider.signing_algorithm
        self.OIDC_RP_IDP_SIGN_KEY = None
        return self

    def verified_claims(
        self, *, code: str, redirect_uri: str, nonce: str, code_verifier: str
    ) -> dict:
        """Exchange ``code`` and return the ID token's claims, completed by userinfo."""
        if not self.OIDC_RP_CLIENT_SECRET:
            raise SignInRefused("no_secret")
        payload = {
            "client_id": self.OIDC_RP_CLIENT_ID,
            "client_secret": self.OIDC_RP_CLIENT_SECRET,
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
            "code_verifier": code_verifier,
        }
        try:
            token_info = self.get_token(payload)
        except (requests.RequestException, ValueError) as exc:
            raise SignInRefused("token_exchange") from exc
        id_token = token_info.get("id_token") if isinstance(token_info, dict) else None
        if not id_token:
            raise SignInRefused("no_id_token")
        claims = self.verify_token(id_token, nonce=nonce)
        access_token = token_info.get("access_token")
        if self.OIDC_OP_USER_ENDPOINT and access_token:
            try:
                userinfo = self.get_userinfo(access_token, id_token, claims)
            except (requests.RequestException, ValueError) as exc:
                raise SignInRefused("userinfo") from exc
            if not isinstance(userinfo, dict) or userinfo.get("sub") != claims["sub"]:
                # OpenID Connect Core 5.3.2: userinfo's sub must be the ID token's.
                raise SignInRefused("userinfo_subject")
            # The signed ID token wins where both say something.
            claims = {**userinfo, **claims}
        return claims

    # --- the library's hooks, stricter --------------------------------------------------------

    def retrieve_matching_jwk(self, token):
        try:
            return super().retrieve_matching_jwk(token)
        except (SuspiciousOperation, KeyError, jwt.PyJWTError) as exc:
            raise SignInRefused("signing_key") from exc
        except (requests.RequestException, ValueError) as exc:
            raise SignInRefused("jwks") from exc

    def verify_token(self, token, **kwargs):
        """Verify a signed JWT from the provider. With ``nonce``, it is the ID token: expiry,
        issue time and the nonce are required too."""
        id_token = "nonce" in kwargs
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as exc:
            raise SignInRefused("malformed") from exc
        if header.get("alg") != self.OIDC_RP_SIGN_ALGO:
            raise SignInRefused("algorithm")
        key = self.retrieve_matching_jwk(token)
        required = ["iss", "aud", "sub"] + (["exp", "iat"] if id_token else [])
        try:
            claims = jwt.decode(
                token,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=self.provider.issuer,
                leeway=LEEWAY_SECONDS,
                options={"require": required, "verify_signature": True},
            )
        except jwt.ExpiredSignatureError as exc:
            raise SignInRefused("expired") from exc
        except jwt.InvalidSignatureError as exc:
            raise SignInRefused("signature") from exc
        except jwt.InvalidAudienceError as exc:
            raise SignInRefused("audience") from exc
        except jwt.InvalidIssuerError as exc:
            raise SignInRefused("issuer") from exc
        except jwt.ImmatureSignatureError as exc:
            raise SignInRefused("not_yet_valid") from exc
        except jwt.PyJWTError as exc:
            raise SignInRefused("invalid_token") from exc
        audience = claims.get("aud")
        if isinstance(audience, list) and len(audience) > 1:
            if claims.get("azp") != self.OIDC_RP_CLIENT_ID:
                raise SignInRefused("audience")
        if id_token:
            expected = kwargs["nonce"] or ""
            if not expected or not constant_time_compare(str(claims.get("nonce", "")), expected):
                raise SignInRefused("nonce")
        if not isinstance(claims.get("sub"), str) or not claims["sub"]:
            raise SignInRefused("invalid_token")
        return claims

    def raise_token_response_error(self, response):
        # The library's message quotes the response body; this one says only the status.
        if response.status_code != 200:
            raise requests.HTTPError(f"token endpoint answered {response.status_code}")
