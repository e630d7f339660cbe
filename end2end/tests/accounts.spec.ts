// Signing in and out, hydrated and without JavaScript: the first administrator with the
// password the server printed, a demo contributor, and a refused attempt.
import { execFileSync } from 'node:child_process';
import { expect, Page, test } from '@playwright/test';
import { ready, watchErrors } from './helpers';

const DEMO_PASSWORD = 'strata-demo-password';

async function signIn(page: Page, email: string, password: string) {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

test('the first administrator signs in with the printed password and chooses their own', async ({ page }, info) => {
  const errors = watchErrors(page);
  // The hydrated run uses what the first start printed; the run after it (the password has
  // been changed by then) gets a new one-time password the way an operator would.
  let oneTime = process.env.STRATA_E2E_ADMIN_PASSWORD ?? '';
  if (info.project.name !== 'hydrated') {
    const out = execFileSync(process.env.STRATA_E2E_BIN ?? '', ['user', 'reset-password', 'admin@localhost'], {
      encoding: 'utf8',
    });
    oneTime = /password for admin@localhost: (\S+)/.exec(out)?.[1] ?? '';
  }
  expect(oneTime).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){4}$/);
  await signIn(page, 'admin@localhost', oneTime);

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
  expect(errors).toEqual([]);
});

test('a demo contributor signs in and out', async ({ page }, info) => {
  const errors = watchErrors(page);
  await page.goto('/catalog');
  await page.getByTestId('sign-in-link').click();
  await expect(page).toHaveURL(/\/login/);
  await page.getByLabel('Email').fill('ben.okafor@example.test');
  await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/$/);
  await ready(page, info);
  await expect(page.getByTestId('signed-in-name')).toHaveText('Ben Okafor');

  await page.getByTestId('sign-out').click();
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByTestId('sign-in-link')).toBeVisible();
  await page.goto('/');
  await expect(page.getByTestId('signed-in-name')).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('a wrong password is refused, the email kept and the password not', async ({ page }) => {
  await signIn(page, 'ben.okafor@example.test', 'not the demo password at all');
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByTestId('form-message')).toHaveText('The email or the password is not right.');
  await expect(page.getByLabel('Email')).toHaveValue('ben.okafor@example.test');
  await expect(page.getByLabel('Password', { exact: true })).toHaveValue('');
});
