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
