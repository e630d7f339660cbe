// The workload journeys of a data science team member, hydrated and without JavaScript.
import { expect, test } from '@playwright/test';
import { fillNewWorkload, LEAD, promote, ready, signIn, uniqueName, watchErrors } from './helpers';

// A security lead registers, edits and promotes (with a reason: every control is open until
// attestations exist).
test.beforeEach(async ({ page }) => signIn(page, LEAD));

test('register a workload, find it in the list, edit and promote it', async ({ page }, info) => {
  const errors = watchErrors(page);
  const name = uniqueName(info, 'Claims triage');
  await fillNewWorkload(page, info, name);
  await page.getByRole('button', { name: 'Register workload' }).click();

  await expect(page).toHaveURL(/\/workloads\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId('workload-name')).toHaveText(name);
  await expect(page.getByTestId('workload-phase')).toHaveText('Prototype');
  await expect(page.locator('[data-attribute="ai_type"] td')).toHaveText('Predictive');

  // Find it through the search form of the list.
  await page.goto('/workloads');
  await ready(page, info);
  await page.getByLabel('Search by name').fill(name);
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page).toHaveURL(/q=/);
  const row = page.getByRole('link', { name });
  await expect(row).toBeVisible();
  await expect(page.getByTestId('page-status')).toContainText('Page 1 of 1 · 1 workload');
  await row.click();
  await ready(page, info);

  // Edit the purpose.
  await page.getByRole('link', { name: 'Edit' }).click();
  await ready(page, info);
  await expect(page.getByLabel('Name', { exact: true })).toHaveValue(name);
  await page.getByLabel('Purpose').fill('Sorts claims by urgency; adjusters decide every claim.');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByTestId('workload-description')).toHaveText(
    'Sorts claims by urgency; adjusters decide every claim.',
  );
  await expect(page.getByTestId('history')).toContainText('Edited: purpose');

  // Promote it: its own action, recorded in history.
  await ready(page, info);
  await promote(page);
  await expect(page.getByTestId('workload-phase')).toHaveText('Production');
  await expect(page.getByTestId('history')).toContainText('Promoted to Production');
  await expect(page.getByTestId('history')).toContainText('Reason: Approved for the pilot');
  await expect(page.getByTestId('history')).toContainText('Amira Haddad');
  expect(errors).toEqual([]);
});

test('an invalid form shows the field errors and keeps what was typed', async ({ page }, info) => {
  const errors = watchErrors(page);
  await fillNewWorkload(page, info, '   ');
  await page.getByLabel('Purpose').fill('Kept <b>exactly</b> as typed');
  await page.getByLabel('Model name').fill('scorer');
  await page.getByLabel('Model digest').fill('md5:1234');
  await page.getByRole('button', { name: 'Register workload' }).click();

  await expect(page.getByTestId('form-message')).toContainText('Nothing was saved');
  await expect(page.locator('#field-name-error')).toHaveText('Enter a name.');
  await expect(page.locator('#field-model_digest-error')).toContainText('sha256:');
  await expect(page.getByLabel('Name', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  // What was typed is back in the form, and never in the address.
  await expect(page.getByLabel('Purpose')).toHaveValue('Kept <b>exactly</b> as typed');
  await expect(page.getByLabel('Model name')).toHaveValue('scorer');
  await expect(page.getByLabel('AI type')).toHaveValue('predictive');
  await expect(page.getByLabel('Team')).toHaveValue(/.+/);
  expect(page.url()).not.toContain('Kept');
  expect(page.url()).toMatch(/\/workloads\/new$/);
  expect(errors).toEqual([]);
});

test('an unknown workload shows a not-found page', async ({ page }) => {
  const res = await page.goto('/workloads/00000000-0000-0000-0000-000000000000');
  expect(res?.status()).toBe(404);
  await expect(page.getByTestId('not-found')).toBeVisible();
});
