#!/usr/bin/env node
// Part of scripts/image-smoke.sh: follows an invitation link like a browser would (cookies,
// CSRF tokens), sets a password, and checks that the home page shows the signed-in user.
const [link, expectedName] = process.argv.slice(2);
const base = new URL(link).origin;
const jar = new Map();

async function request(path, form) {
  const res = await fetch(new URL(path, base), {
    method: form ? 'POST' : 'GET',
    redirect: 'manual',
    headers: {
      // As the TLS-terminating proxy in front of production would: the session cookie is Secure.
      'x-forwarded-proto': 'https',
      cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
      ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
    },
    body: form ? new URLSearchParams(form).toString() : undefined,
  });
  for (const c of res.headers.getSetCookie()) {
    const [pair] = c.split(';');
    const at = pair.indexOf('=');
    jar.set(pair.slice(0, at), pair.slice(at + 1));
  }
  const html = await res.text();
  return {
    status: res.status,
    location: res.headers.get('location'),
    html,
    csrf: /name="_csrf" value="([^"]+)"/.exec(html)?.[1],
  };
}

function expect(ok, what) {
  if (!ok) {
    console.error(`[smoke] sign-in failed: ${what}`);
    process.exit(1);
  }
}

const invite = await request(new URL(link).pathname);
expect(invite.status === 200 && invite.csrf, `invitation page answered ${invite.status}`);
const accepted = await request(new URL(link).pathname, { _csrf: invite.csrf });
expect(
  accepted.status === 303 && accepted.location === '/change-password',
  `accepting answered ${accepted.status} ${accepted.location}`,
);
const form = await request('/change-password');
const password = 'smoke test passphrase 2026';
const set = await request('/change-password', { _csrf: form.csrf, password, confirm: password });
expect(set.status === 303, `setting the password answered ${set.status}`);
const home = await request('/');
expect(
  home.html.includes(`Welcome back, <strong>${expectedName}</strong>`),
  'the home page does not show the signed-in user',
);
console.log(`[smoke] signed in as ${expectedName}`);
