// A real OpenID provider for the tests: the certified `oidc-provider` package, on loopback.
// Started by tests/oidc_provider.py (a pytest fixture) with:
//   PORT            the port to listen on (127.0.0.1 only)
//   OIDC_JWKS       the signing keys (JSON {"keys": [...]}), so two instances can share them
//   REDIRECT_URIS   comma-separated callback addresses the clients may use
// Its own login page (devInteractions) signs in anyone: the login typed is the subject;
// the email is the login if it has an @, else login@trust.nhs.uk; it is verified unless the
// login starts with "unverified".
import Provider from 'oidc-provider';

const port = Number(process.env.PORT);
const issuer = `http://127.0.0.1:${port}`;
const redirectUris = (process.env.REDIRECT_URIS || '').split(',').filter(Boolean);
const client = (id) => ({
  client_id: id,
  client_secret: `${id}-test-secret`,
  redirect_uris: redirectUris,
  post_logout_redirect_uris: redirectUris.map((u) => new URL('/', u).href),
  grant_types: ['authorization_code'],
  response_types: ['code'],
  token_endpoint_auth_method: 'client_secret_basic',
});

const provider = new Provider(issuer, {
  clients: [client('trip'), client('other')],
  jwks: JSON.parse(process.env.OIDC_JWKS),
  cookies: { keys: ['test-only-cookie-key-0123456789'] },
  pkce: { required: () => true },
  claims: { openid: ['sub'], email: ['email', 'email_verified'] },
  conformIdTokenClaims: false,
  ttl: { IdToken: 3600, AccessToken: 3600, Session: 3600, Grant: 3600, Interaction: 3600 },
  features: { devInteractions: { enabled: true } },
  async findAccount(ctx, id) {
    const email = id.includes('@') ? id : `${id}@trust.nhs.uk`;
    return {
      accountId: id,
      async claims() {
        return { sub: id, email, email_verified: !id.startsWith('unverified') };
      },
    };
  },
});
provider.listen(port, '127.0.0.1', () => {
  console.log(`oidc-provider listening on ${issuer}`);
});
