"""An OpenID Connect provider for the tests, built with Authlib's server side and run as its own
process on 127.0.0.1:

    python -P tests/support/oidc_provider.py <port> <settings.json>

settings.json: {"client_id", "client_secret", "redirect_uri", "user": {"sub", "email",
"email_verified", "name", "preferred_username"}}. The authorization endpoint signs that user in
and consents at once (no page); the rest is the real protocol: discovery, the authorization code
with PKCE (S256 required), state passed back, nonce in the ID token, RS256 signatures, JWKS.
"""

import json
import secrets
import sys
import time

from authlib.integrations.flask_oauth2 import AuthorizationServer
from authlib.oauth2.rfc6749 import grants
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oidc.core import UserInfo
from authlib.oidc.core.grants import OpenIDCode
from flask import Flask, jsonify
from joserfc.jwk import KeySet, RSAKey

PORT = int(sys.argv[1])
SETTINGS = json.loads(open(sys.argv[2]).read())
ISSUER = f"http://127.0.0.1:{PORT}"
KEY = RSAKey.generate_key(2048, parameters={"kid": "test-key"}, private=True)
CODES, TOKENS = {}, {}


class User:
    def __init__(self, claims):
        self.claims = claims

    def get_user_id(self):
        return self.claims["sub"]


USER = User(SETTINGS["user"])


class Client:
    client_id = SETTINGS["client_id"]
    client_secret = SETTINGS["client_secret"]
    id_token_signed_response_alg = "RS256"

    def get_client_id(self):
        return self.client_id

    def get_default_redirect_uri(self):
        return SETTINGS["redirect_uri"]

    def get_allowed_scope(self, scope):
        return " ".join(part for part in (scope or "").split() if part in ("openid", "email", "profile"))

    def check_redirect_uri(self, redirect_uri):
        return redirect_uri == SETTINGS["redirect_uri"]

    def check_client_secret(self, client_secret):
        return secrets.compare_digest(client_secret, self.client_secret)

    def check_endpoint_auth_method(self, method, endpoint):
        return method in ("client_secret_basic", "client_secret_post")

    def check_response_type(self, response_type):
        return response_type == "code"

    def check_grant_type(self, grant_type):
        return grant_type == "authorization_code"


CLIENT = Client()


class Code:
    def __init__(self, code, request):
        self.code = code
        self.redirect_uri = request.payload.redirect_uri
        self.scope = request.payload.scope
        self.nonce = request.payload.data.get("nonce")
        self.code_challenge = request.payload.data.get("code_challenge")
        self.code_challenge_method = request.payload.data.get("code_challenge_method")
        self.auth_time = int(time.time())

    def get_redirect_uri(self):
        return self.redirect_uri

    def get_scope(self):
        return self.scope

    def get_nonce(self):
        return self.nonce

    def get_auth_time(self):
        return self.auth_time

    def get_acr(self):
        return None

    def get_amr(self):
        return None


class CodeGrant(grants.AuthorizationCodeGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]

    def save_authorization_code(self, code, request):
        CODES[code] = Code(code, request)

    def query_authorization_code(self, code, client):
        return CODES.get(code)

    def delete_authorization_code(self, authorization_code):
        CODES.pop(authorization_code.code, None)

    def authenticate_user(self, authorization_code):
        return USER


class IDToken(OpenIDCode):
    def resolve_client_private_key(self, client):
        return KEY

    def get_client_claims(self, client):
        return {"iss": ISSUER, "aud": [client.get_client_id()]}

    def exists_nonce(self, nonce, request):
        return any(code.nonce == nonce for code in CODES.values())

    def generate_user_info(self, user, scope):
        return UserInfo(**user.claims)


app = Flask(__name__)
server = AuthorizationServer(
    app,
    query_client=lambda client_id: CLIENT if client_id == CLIENT.client_id else None,
    save_token=lambda token, request: TOKENS.__setitem__(token["access_token"], token),
)
server.register_grant(CodeGrant, [IDToken(require_nonce=True), CodeChallenge(required=True)])


@app.route("/.well-known/openid-configuration")
def discovery():
    return jsonify(
        issuer=ISSUER,
        authorization_endpoint=f"{ISSUER}/authorize",
        token_endpoint=f"{ISSUER}/token",
        jwks_uri=f"{ISSUER}/jwks",
        response_types_supported=["code"],
        subject_types_supported=["public"],
        id_token_signing_alg_values_supported=["RS256"],
        code_challenge_methods_supported=["S256"],
        scopes_supported=["openid", "email", "profile"],
        token_endpoint_auth_methods_supported=["client_secret_basic", "client_secret_post"],
    )


@app.route("/jwks")
def jwks():
    return jsonify(KeySet([KEY]).as_dict(private=False))


@app.route("/authorize")
def authorize():
    return server.create_authorization_response(grant_user=USER)


@app.route("/token", methods=["POST"])
def token():
    return server.create_token_response()


if __name__ == "__main__":
    app.run("127.0.0.1", PORT)
