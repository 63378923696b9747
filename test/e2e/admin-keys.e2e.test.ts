// Administrator: issues a key on the API keys screen (the secret shown once, copied with a button),
// the key signs in, then it is revoked after a confirmation and refused from then on.
import { describe, expect, inject, it } from 'vitest';
import { browserSuite, expectRefusalLogged, shoot, signIn } from './helpers/browser.ts';

const baseUrl = inject('e2eBaseUrl');
const keys = inject('e2eKeys');
const browser = browserSuite();

describe('administrator: API keys', () => {
  it('issues a key that works at once, and revokes it after confirming', async () => {
    const { page, context } = await browser.open();
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseUrl });
    await signIn(page, baseUrl, keys.admin);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'API keys' }).click();
    await page.getByRole('heading', { level: 1, name: 'API keys' }).waitFor();
    const name = `Reception ${Date.now().toString(36)}`;
    await page.getByLabel('Who or what will use it').fill(name);
    await page.getByLabel('Role').selectOption('front_desk');
    await page.getByRole('button', { name: 'Issue key' }).click();
    const secret = (await page.getByTestId('issued-secret').textContent()) ?? '';
    expect(secret).toMatch(/^esk_/);
    await page.getByRole('button', { name: 'Copy key' }).click();
    await page.getByText('Copied.').waitFor();
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(secret);
    await shoot(page, 'keys');
    await page.getByRole('button', { name: 'I have stored it: hide the key' }).click();
    expect(await page.getByTestId('issued-secret').count()).toBe(0);

    const other = await browser.open();
    await signIn(other.page, baseUrl, secret);
    expect(await other.page.getByTestId('role').textContent()).toBe('Front desk');

    const row = page.getByRole('row').filter({ hasText: name });
    await row.getByRole('button', { name: `Revoke ${name}` }).click();
    await page.getByRole('button', { name: 'Keep it' }).click();
    expect(await row.getByText('Active').count()).toBe(1);
    await row.getByRole('button', { name: `Revoke ${name}` }).click();
    await page.getByRole('button', { name: 'Yes, revoke the key' }).click();
    await page.locator('main').getByText(`Key “${name}” revoked.`).waitFor();
    await row.getByText(/^Revoked /).waitFor();

    await other.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Patients' }).click();
    await other.page.getByText('Your key was refused, so you have been signed out. Sign in again to continue.').waitFor();
    const res = await fetch(`${baseUrl}/v1/me`, { headers: { authorization: `Bearer ${secret}` } });
    expect(res.status).toBe(401);
    // The browser logs the refused request itself; that one is expected here, anything else is not.
    expectRefusalLogged(other, 401);
  });
});
