import { createHmac } from 'node:crypto';
import { expect, Page, TestInfo } from '@playwright/test';

/** With JavaScript on, waits until the page has hydrated, so clicks are not lost. */
export async function ready(page: Page, info: TestInfo) {
  if (info.project.name === 'hydrated') {
    await expect(page.locator('#hydration')).toHaveAttribute('data-hydrated', 'yes');
  }
}

/** Collects uncaught errors and console errors (a blocked script or style shows up there). */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  return errors;
}

/** A name no other run or project uses. */
export function uniqueName(info: TestInfo, base: string) {
  return `${base} ${info.project.name} ${Date.now().toString(36)}`;
}

/** Opens the new-workload form and fills its required fields. */
export async function fillNewWorkload(page: Page, info: TestInfo, name: string) {
  await page.goto('/workloads/new');
  await ready(page, info);
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('Purpose').fill('Triages inbound insurance claims for adjusters.');
  await page.getByLabel('Team').selectOption({ label: 'Platform ML' });
  await page.getByLabel('Primary owner').selectOption({ index: 1 });
  await page.getByLabel('AI type').selectOption('predictive');
  await page.getByLabel('Decision impact').selectOption('assistive');
}

/** The documented password of the demo people (README), accepted on loopback. */
export const DEMO_PASSWORD = 'strata-demo-password';
/** The demo security lead: reads and changes every workload. */
export const LEAD = 'amira.haddad@example.test';
/** A demo contributor of Customer Experience. */
export const CONTRIBUTOR = 'ben.okafor@example.test';

/** Signs in through the sign-in page. */
export async function signIn(page: Page, email: string, password = DEMO_PASSWORD) {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('signed-in-name')).toBeVisible();
}

/** Presses Promote, giving a reason when the page asks for one (open requirements). */
export async function promote(page: Page) {
  const reason = page.getByLabel('Reason for promoting');
  if (await reason.count()) await reason.fill('Approved for the pilot by the risk committee');
  await page.getByTestId('promote').click();
}

/** Decodes RFC 4648 base32 (spaces ignored), as an authenticator app reads a typed key. */
function base32Decode(text: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const bytes: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (const c of text.replace(/[\s=]/g, '').toUpperCase()) {
    const value = alphabet.indexOf(c);
    if (value < 0) throw new Error(`not base32: ${c}`);
    buffer = (buffer << 5) | value;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((buffer >> bits) & 0xff);
    }
  }
  return Buffer.from(bytes);
}

/** The code an authenticator app shows for `secret`, `steps` 30-second steps from now (RFC 6238). */
export function totp(secret: string, steps = 0): string {
  const step = Math.floor(Date.now() / 1000 / 30) + steps;
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', base32Decode(secret)).update(counter).digest();
  const at = mac[mac.length - 1] & 0x0f;
  const bin = ((mac[at] & 0x7f) << 24) | (mac[at + 1] << 16) | (mac[at + 2] << 8) | mac[at + 3];
  return String(bin % 1_000_000).padStart(6, '0');
}
