// Required controls: by layer with reasons, growing with promotion; the charts and their tables.
import { expect, test } from '@playwright/test';
import { fillNewWorkload, LEAD, promote, ready, signIn, uniqueName, watchErrors } from './helpers';

test.beforeEach(async ({ page }) => signIn(page, LEAD));

async function requiredNow(page) {
  const text = await page.getByTestId('required-total').innerText();
  return Number(text.match(/^(\d+)/)![1]);
}

test('requirements by layer, with reasons, grow when the workload is promoted', async ({ page }, info) => {
  const errors = watchErrors(page);
  const name = uniqueName(info, 'Fraud scorer');
  await fillNewWorkload(page, info, name); // predictive, assistive, internal
  await page.getByRole('button', { name: 'Register workload' }).click();
  await expect(page.getByTestId('workload-name')).toHaveText(name);

  // Grouped by layer; a non-applicable control says why.
  for (const layer of ['data', 'model', 'application', 'infrastructure', 'organizational']) {
    await expect(page.getByTestId(`requirements-${layer}`)).toBeVisible();
  }
  const secrets = page.locator('tr[data-control="DATA-03"]');
  await expect(secrets).toContainText('Not applicable');
  await expect(secrets).toContainText('applies only when the workload is generative; here AI type: Predictive');
  await expect(page.locator('tr[data-control="ORG-01"]')).toContainText('Gap');

  // The chart has an accessible name and a table alternative.
  const chart = page.getByTestId('layer-chart');
  await expect(chart.getByRole('img', { name: 'Required controls by layer' })).toBeVisible();
  await expect(chart.locator('table caption')).toHaveText('Required controls by layer (table)');

  // Readiness says what production adds; promoting adds exactly that.
  const before = await requiredNow(page);
  const readiness = page.getByTestId('readiness');
  await expect(readiness).toContainText('Readiness for production');
  const added = await readiness.locator('li').count();
  expect(added).toBeGreaterThan(0);
  await ready(page, info);
  await promote(page);
  await expect(page.getByTestId('workload-phase')).toHaveText('Production');
  await expect(page.getByTestId('required-total')).toHaveText(`${before + added} controls required now.`);
  expect(errors).toEqual([]);
});

test('a prohibited workload is flagged and cannot be promoted', async ({ page }, info) => {
  const name = uniqueName(info, 'Emotion monitor');
  await fillNewWorkload(page, info, name);
  await page.getByLabel('EU AI Act class').selectOption('prohibited');
  await page.getByRole('button', { name: 'Register workload' }).click();
  await expect(page.getByTestId('prohibited-flag')).toBeVisible();
  await expect(page.getByTestId('promotion-blocked')).toContainText('prohibited practice');
  await ready(page, info);
  await promote(page);
  await expect(page.getByTestId('form-message')).toContainText('cannot be promoted');
  await expect(page.getByTestId('workload-phase')).toHaveText('Prototype');
});

test('the catalog lists controls by layer and phase with their conditions', async ({ page }) => {
  await page.goto('/catalog');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Strata starter catalog');
  const row = page.locator('tr[data-control="APP-01"]');
  await expect(row).toContainText('Input screening for prompt injection and abuse');
  await expect(row.locator('code')).toHaveText('genai');
  await expect(page.getByTestId('pull-forward')).toContainText('R1 Personal data');
});

test('the overview charts workloads by team and phase', async ({ page }) => {
  await page.goto('/');
  const chart = page.getByTestId('phase-team-chart');
  await expect(chart.getByRole('img', { name: 'Workloads by team and phase' })).toBeVisible();
  await expect(chart.locator('tbody tr').first()).toContainText('Customer Experience');
});

test('the list filters by open gaps in a layer', async ({ page }, info) => {
  // A predictive, internal, tool-less prototype has no application requirement yet.
  await page.goto('/workloads?q=meeting%20emotion');
  await ready(page, info);
  await expect(page.getByRole('link', { name: 'Meeting emotion monitor' })).toBeVisible();
  await page.getByLabel('Open gaps in layer').selectOption('application');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page).toHaveURL(/gap=application/);
  await expect(page.getByTestId('no-workloads')).toBeVisible();
  await page.getByLabel('Open gaps in layer').selectOption('organizational');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByRole('link', { name: 'Meeting emotion monitor' })).toBeVisible();
});
