// Signing in and out, hydrated and without JavaScript: the first administrator with the
// password the server printed, a demo contributor, and a refused attempt.
import { execFileSync } from 'node:child_process';
import { expect, Page, test } from '@playwright/test';
import { CONTRIBUTOR, DEMO_PASSWORD, LEAD, ready, signIn, watchErrors } from './helpers';

/** Posts the sign-in form, whatever comes of it. */
async function submitSignIn(page: Page, email: string, password: string) {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

test('the first administrator signs in with the printed password and chooses their own', async ({ page }, info) => {
  const errors = watchErrors(page);
  // The hydrated run uses what its server's first start printed; the no-js run gets a new
  // one-time password the way an operator would.
  let oneTime = process.env.STRATA_E2E_ADMIN_PASSWORD ?? '';
  if (info.project.name !== 'hydrated') {
    const out = execFileSync(process.env.STRATA_E2E_BIN ?? '', ['user', 'reset-password', 'admin@localhost'], {
      encoding: 'utf8',
    });
    oneTime = /password for admin@localhost: (\S+)/.exec(out)?.[1] ?? '';
  }
  expect(oneTime).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){4}$/);
  await submitSignIn(page, 'admin@localhost', oneTime);

  await expect(page).toHaveURL(/\/account\/password$/);
  await expect(page.getByTestId('must-change')).toBeVisible();
  // Nothing else opens until a password is chosen.
  await page.goto('/workloads');
  await expect(page).toHaveURL(/\/account\/password$/);

  const chosen = `my own admin passphrase ${info.project.name}`;
  await page.getByLabel('Current password').fill(oneTime);
  await page.getByLabel('New password', { exact: true }).fill(chosen);
  await page.getByLabel('New password again').fill(chosen);
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByTestId('password-changed')).toBeVisible();

  await page.goto('/workloads');
  await ready(page, info);
  await expect(page.getByTestId('signed-in-name')).toHaveText('admin');

  // The administrator adds a contributor of one team, who signs in with the temporary
  // password shown once and sees that team's workloads only.
  await page.getByRole('link', { name: 'People' }).click();
  await expect(page).toHaveURL(/\/admin\/people$/);
  const email = `zoe.${info.project.name}@example.org`;
  const form = page.getByTestId('add-person');
  await form.getByLabel('Name').fill(`Zoe ${info.project.name}`);
  await form.getByLabel('Email').fill(email);
  await form.getByLabel('Role').selectOption('contributor');
  await form.getByLabel('Team').selectOption({ label: 'Risk & Fraud' });
  await form.getByRole('button', { name: 'Add person' }).click();
  await expect(page.getByTestId('grants')).toContainText('Contributor · Risk & Fraud');
  const notice = await page.getByTestId('notice').innerText();
  const temporary = /: (\S+) — shown once/.exec(notice)?.[1] ?? '';
  expect(temporary).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){4}$/);
  await page.getByTestId('sign-out').click();

  await submitSignIn(page, email, temporary);
  await expect(page).toHaveURL(/\/account\/password$/);
  await page.getByLabel('Current password').fill(temporary);
  await page.getByLabel('New password', { exact: true }).fill('zoe chose this passphrase');
  await page.getByLabel('New password again').fill('zoe chose this passphrase');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByTestId('password-changed')).toBeVisible();
  await page.goto('/workloads');
  await expect(page.getByRole('link', { name: 'Credit scorer' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Support chatbot' })).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'People' })).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('a demo contributor signs in and out', async ({ page }, info) => {
  const errors = watchErrors(page);
  // A page opened before signing in is where sign-in leads back to.
  await page.goto('/catalog');
  await expect(page).toHaveURL(/\/login\?next=%2Fcatalog$/);
  await page.getByLabel('Email').fill(CONTRIBUTOR);
  await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/catalog$/);
  await ready(page, info);
  await expect(page.getByTestId('signed-in-name')).toHaveText('Ben Okafor');

  await page.getByTestId('sign-out').click();
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByTestId('sign-in-link')).toBeVisible();
  await page.goto('/');
  await expect(page).toHaveURL(/\/login\?next=%2F$/);
  await expect(page.getByTestId('signed-in-name')).toHaveCount(0);
  expect(errors).toEqual([]);
});

test("a contributor cannot see or reach another team's workload", async ({ page }) => {
  // The security lead finds a Risk & Fraud workload's address…
  await signIn(page, LEAD);
  await page.goto('/workloads?q=credit%20scorer');
  const link = page.getByRole('link', { name: 'Credit scorer' });
  await expect(link).toBeVisible();
  const href = (await link.getAttribute('href')) ?? '';
  expect(href).toMatch(/^\/workloads\/[0-9a-f-]{36}$/);
  await page.getByTestId('sign-out').click();

  // …which a contributor of Customer Experience neither lists nor opens.
  await signIn(page, CONTRIBUTOR);
  await page.goto('/workloads?q=credit%20scorer');
  await expect(page.getByTestId('no-workloads')).toBeVisible();
  const res = await page.goto(href);
  expect(res?.status()).toBe(404);
  await expect(page.getByTestId('not-found')).toBeVisible();
  await expect(page.getByText('Credit scorer')).toHaveCount(0);
  const edit = await page.goto(`${href}/edit`);
  expect(edit?.status()).toBe(404);
  // Their own team's workloads are there, without a promote button (all controls are open).
  await page.goto('/workloads');
  await page.getByRole('link', { name: 'Support chatbot' }).click();
  await expect(page.getByTestId('workload-name')).toHaveText('Support chatbot');
  await expect(page.getByTestId('promotion-needs-lead')).toContainText('only a security lead');
  await expect(page.getByTestId('promote')).toHaveCount(0);
});

test('a wrong password is refused, the email kept and the password not', async ({ page }) => {
  await submitSignIn(page, CONTRIBUTOR, 'not the demo password at all');
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByTestId('form-message')).toHaveText('The email or the password is not right.');
  await expect(page.getByLabel('Email')).toHaveValue('ben.okafor@example.test');
  await expect(page.getByLabel('Password', { exact: true })).toHaveValue('');
});
