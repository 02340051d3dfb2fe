// A real OpenID provider for the tests: the certified `oidc-provider` package, on loopback.
// Started by tests/oidc_provider.py (a pytest fixture) with:
//   PORT            the port to listen on (127.0.0.1 only)
//   OIDC_JWKS       the signing keys (JSON {"keys": [...]}), so two instances can share them
//   REDIRECT_URIS   comma-separated callback addresses the clients may use
// Its own login page (devInteractions) signs in anyone: the login typed is the subject;
// the email is the login if it has an @, else login@trust.nhs.uk; it is verified unless the
// login contains "unverified". A login starting "entra-" is answered as Microsoft Entra ID
// answers: a tenant id and an object id (`tid`, `oid`), no `email_verified` but its optional
// claim `xms_edov` (the email's domain is verified by the tenant).
import Provider from 'oidc-provider';

const TENANT = '72f1e5a0-0000-4000-8000-000000000001';
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
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified', 'xms_edov'],
    profile: ['tid', 'oid'],
  },
  conformIdTokenClaims: false,
  ttl: { IdToken: 3600, AccessToken: 3600, Session: 3600, Grant: 3600, Interaction: 3600 },
  features: { devInteractions: { enabled: true } },
  async findAccount(ctx, id) {
    const email = id.includes('@') ? id : `${id}@trust.nhs.uk`;
    return {
      accountId: id,
      async claims() {
        const verified = !id.includes('unverified');
        if (id.startsWith('entra-')) {
          return { sub: id, email, xms_edov: verified, tid: TENANT, oid: `object-${id}` };
        }
        return { sub: id, email, email_verified: verified };
      },
    };
  },
});
provider.listen(port, '127.0.0.1', () => {
  console.log(`oidc-provider listening on ${issuer}`);
});
