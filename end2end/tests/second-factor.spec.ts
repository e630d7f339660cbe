// The second factor, hydrated and without JavaScript: set it up from the QR code's key, keep
// the recovery codes, sign in with a code and with a recovery code, then turn it off.
import { expect, Page, test } from '@playwright/test';
import { DEMO_PASSWORD, ready, signIn, totp, watchErrors } from './helpers';

/** A demo person per run, whom no other journey signs in as. */
const PERSON: Record<string, string> = {
  hydrated: 'elena.rossi@example.test',
  'no-js': 'grace.liu@example.test',
};

/** Posts the password step, which then asks for a code. */
async function passwordStep(page: Page, email: string) {
  await page.goto('/login');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/login\/code$/);
  await expect(page.getByTestId('signed-in-name')).toHaveCount(0);
}

/** Types a code at the second step. */
async function codeStep(page: Page, code: string) {
  await page.getByLabel('Code', { exact: true }).fill(code);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

test('TOTP enrolment and sign-in with a code and a recovery code', async ({ page }, info) => {
  const errors = watchErrors(page);
  const email = PERSON[info.project.name];
  await signIn(page, email);
  await page.goto('/account/password');
  await page.getByTestId('second-factor-link').click();
  await expect(page).toHaveURL(/\/account\/second-factor$/);
  await ready(page, info);
  await expect(page.getByTestId('second-factor-off')).toBeVisible();

  await page.getByTestId('start-second-factor').click();
  await expect(page.getByTestId('qr-code').locator('svg')).toBeVisible();
  const secret = (await page.getByTestId('totp-secret').innerText()).trim();
  expect(secret).toMatch(/^[A-Z2-7]{4}( [A-Z2-7]{4})+$/);
  // A wrong code is refused and the set-up stays open.
  await page.getByLabel('Your password').fill(DEMO_PASSWORD);
  await page.getByLabel('Code from the app').fill(totp(secret, 0) === '000000' ? '111111' : '000000');
  await page.getByRole('button', { name: 'Turn on the second factor' }).click();
  await expect(page.getByText('This code is not right.')).toBeVisible();
  await page.getByLabel('Your password').fill(DEMO_PASSWORD);
  await page.getByLabel('Code from the app').fill(totp(secret, 0));
  await page.getByRole('button', { name: 'Turn on the second factor' }).click();
  const codes = page.getByTestId('recovery-codes').locator('li');
  await expect(codes).toHaveCount(10);
  const recovery = (await codes.nth(0).innerText()).trim();
  const another = (await codes.nth(1).innerText()).trim();
  expect(recovery).toMatch(/^[a-z2-7]{4}(-[a-z2-7]{4}){3}$/);
  await expect(page.getByTestId('second-factor-on')).toContainText('Recovery codes left: 10');
  // Shown once: opening the page again shows none.
  await page.reload();
  await expect(page.getByTestId('recovery-codes')).toHaveCount(0);

  // The password alone no longer signs in; the app's next code does.
  await page.getByTestId('sign-out').click();
  await passwordStep(page, email);
  await page.goto('/workloads');
  await expect(page).toHaveURL(/\/login\?next=/);
  await passwordStep(page, email);
  await codeStep(page, totp(secret, 1));
  await expect(page.getByTestId('signed-in-name')).toBeVisible();

  // A recovery code works once.
  await page.getByTestId('sign-out').click();
  await passwordStep(page, email);
  await codeStep(page, recovery);
  await expect(page.getByTestId('signed-in-name')).toBeVisible();
  await page.getByTestId('sign-out').click();
  await passwordStep(page, email);
  await codeStep(page, recovery);
  await expect(page.locator('#field-code-error')).toContainText('This code is not right.');

  // Turned off with the password: signing in asks for the password only again.
  await codeStep(page, another);
  await expect(page.getByTestId('signed-in-name')).toBeVisible();
  await page.goto('/account/second-factor');
  await ready(page, info);
  await expect(page.getByTestId('second-factor-on')).toContainText('Recovery codes left: 8');
  await page.getByLabel('Your password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Turn off the second factor' }).click();
  await expect(page.getByTestId('second-factor-off')).toBeVisible();
  await page.getByTestId('sign-out').click();
  await signIn(page, email);
  expect(errors).toEqual([]);
});
