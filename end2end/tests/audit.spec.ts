// The audit log, hydrated and without JavaScript: the chain's head, a verification that runs
// in the background (the page follows it), and a filter.
import { expect, test } from '@playwright/test';
import { LEAD, ready, signIn, watchErrors } from './helpers';

test('the audit log shows the head, verifies the chain and filters events', async ({ page }, info) => {
  const errors = watchErrors(page);
  await signIn(page, LEAD);
  await page.getByRole('link', { name: 'Audit log' }).click();
  await expect(page).toHaveURL(/\/audit$/);
  await ready(page, info);
  await expect(page.getByTestId('chain-head')).toHaveText(/^\d+:[0-9a-f]{64}$/);

  await page.getByTestId('verify-chain').click();
  await expect(page.getByTestId('verify-outcome')).toContainText('The chain is intact', { timeout: 20_000 });

  await page.getByLabel('Action', { exact: true }).fill('session.sign_in');
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(page).toHaveURL(/action=session\.sign_in/);
  const rows = page.getByTestId('audit-events').locator('tbody tr');
  await expect(rows.first()).toContainText('session.sign_in');
  await expect(page.getByTestId('audit-events')).not.toContainText('workload.create');
  expect(errors).toEqual([]);
});
