// A real OpenID provider (node-oidc-provider) on 127.0.0.1 for the SSO tests, configured by the
// test: `node server.mjs config.json`. Prints {"port": N} on one line once it listens; stops on
// SIGTERM. Config: {clients: [...], accounts: {id: claims}, jwks: {keys: [private JWK]},
// other_jwks: {keys: [public JWK]}, short_id_token_clients: [client_id]}.
//
// Logins use the library's development interactions: the login form accepts any password for an
// account id listed in `accounts`. Consent is granted without a prompt (loadExistingGrant).
// `/test/other-jwks` serves a different key set, for "signed with the wrong key".
import { readFileSync } from 'node:fs';
import http from 'node:http';

import Provider from 'oidc-provider';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const shortLived = new Set(config.short_id_token_clients || []);

const server = http.createServer();
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address();
  const issuer = `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, {
    clients: config.clients,
    jwks: config.jwks,
    cookies: { keys: ['learnward-test-cookie-key'] },
    pkce: { required: () => true },
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified', 'xms_edov'],
      profile: ['name'],
    },
    features: { devInteractions: { enabled: true } },
    ttl: {
      // A short-lived ID token for the "expired" case: the test moves Django's clock past it.
      IdToken: (ctx, token, client) => (shortLived.has(client.clientId) ? 30 : 3600),
      AccessToken: 3600,
      AuthorizationCode: 60,
      Interaction: 600,
      Session: 3600,
      Grant: 3600,
    },
    async findAccount(ctx, id) {
      const claims = config.accounts[id];
      if (!claims) return undefined;
      return { accountId: id, async claims() { return { sub: id, ...claims }; } };
    },
    async loadExistingGrant(ctx) {
      const grantId = ctx.oidc.result?.consent?.grantId
        || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client.clientId,
        accountId: ctx.oidc.session.accountId,
      });
      grant.addOIDCScope('openid email profile');
      await grant.save();
      return grant;
    },
  });
  const callback = provider.callback();
  server.on('request', (req, res) => {
    if (req.url === '/test/other-jwks') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(config.other_jwks));
      return;
    }
    callback(req, res);
  });
  process.stdout.write(`${JSON.stringify({ port })}\n`);
});

const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
