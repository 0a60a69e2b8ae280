// A real OpenID Provider for the sign-in tests: panva/oidc-provider (OpenID Certified), with its
// development login screen (any login name; the password is not checked).
//
// Settings come from the environment: OIDC_PORT, OIDC_CLIENTS (JSON list of client metadata) and
// OIDC_ACCOUNTS (JSON object: login name -> claims). A login name not listed gets `sub` = the name
// and, when it looks like an e-mail address, that address as a verified e-mail.
import Provider from 'oidc-provider';

const port = Number(process.env.OIDC_PORT ?? 4455);
const issuer = process.env.OIDC_ISSUER ?? `http://127.0.0.1:${port}`;
const clients = JSON.parse(process.env.OIDC_CLIENTS ?? '[]');
const accounts = JSON.parse(process.env.OIDC_ACCOUNTS ?? '{}');

const provider = new Provider(issuer, {
  clients,
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
  pkce: { required: () => true },
  cookies: { keys: ['selfservice-tests-only'] },
  async findAccount(ctx, id) {
    const listed = accounts[id];
    const claims = listed ?? (id.includes('@') ? { email: id, email_verified: true } : {});
    return { accountId: id, async claims() { return { sub: id, ...claims }; } };
  },
});
provider.proxy = false;
provider.listen(port, '127.0.0.1', () => {
  console.log(`oidc-provider listening on ${issuer}`);
});
