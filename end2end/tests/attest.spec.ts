// Attest and review: a contributor attests a control, the security lead rejects it with a
// comment, the contributor answers by resubmitting, the lead approves, and the workload's
// coverage rises; a contributor of another team can neither attest nor review.
import { Browser, expect, Page, test, TestInfo } from '@playwright/test';
import { CONTRIBUTOR, LEAD, ready, signIn, uniqueName, watchErrors } from './helpers';

/** A demo contributor of a team other than Customer Experience. */
const OTHER_CONTRIBUTOR = 'elena.rossi@example.test';

/** A page of its own browser context (its own cookies), signed in as `email`: each person
 * signs in once, as sign-ins per address are limited. */
async function personPage(browser: Browser, info: TestInfo, email: string): Promise<Page> {
  const context = await browser.newContext({
    baseURL: info.project.use.baseURL,
    javaScriptEnabled: info.project.use.javaScriptEnabled,
  });
  const page = await context.newPage();
  await signIn(page, email);
  return page;
}

function coverage(page: Page) {
  return page.getByTestId('coverage');
}

test('attest, reject with a comment, resubmit, approve: coverage rises', async ({ page, browser }, info) => {
  const errors = watchErrors(page);
  await signIn(page, CONTRIBUTOR);
  const name = uniqueName(info, 'Claims summarizer');
  await page.goto('/workloads/new');
  await ready(page, info);
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('Purpose').fill('Summarizes claim files for adjusters.');
  await page.getByLabel('Team').selectOption({ label: 'Customer Experience' });
  // Not the security lead, who could not review the workload they own.
  const owner = page.getByLabel('Primary owner').locator('option', { hasText: 'Ben Okafor' });
  await page.getByLabel('Primary owner').selectOption((await owner.getAttribute('value'))!);
  await page.getByLabel('AI type').selectOption('predictive');
  await page.getByLabel('Decision impact').selectOption('assistive');
  await page.getByRole('button', { name: 'Register workload' }).click();
  await expect(page.getByTestId('workload-name')).toHaveText(name);
  const workloadUrl = page.url();
  await expect(coverage(page)).toContainText(/ 0 of \d+ covered \(0 %\)/);
  const required = Number((await coverage(page).innerText()).match(/of (\d+) covered/)![1]);

  // Attest ORG-01; a missing statement is refused first, keeping what was typed.
  const row = page.locator('tr[data-control="ORG-01"]');
  await row.getByTestId('attest-link').click();
  await ready(page, info);
  await expect(page.getByTestId('attest-form')).toBeVisible();
  await page.getByLabel('What is in place').selectOption('implemented');
  await page.getByLabel('Evidence links').fill('https://wiki.example.org/ai-policy');
  await page.getByTestId('submit-attestation').click();
  await expect(page.getByTestId('form-message')).toContainText('Nothing was saved');
  await expect(page.locator('#field-statement-error')).toBeVisible();
  await expect(page.getByLabel('Evidence links')).toHaveValue('https://wiki.example.org/ai-policy');
  await page.getByLabel('Statement').fill('The AI use policy covers this workload.');
  await page.getByTestId('submit-attestation').click();
  await expect(page.getByTestId('notice')).toHaveText('Submitted the attestation of ORG-01 for review.');
  await expect(row.getByTestId('awaiting-review')).toBeVisible();
  await expect(row.getByTestId('requirement-state')).toHaveText('Pending review');

  // Another team's contributor cannot open the form, nor the review queue. (The browser logs
  // the refusals' statuses as errors: those are expected.)
  expect(errors).toEqual([]);
  const other = await personPage(browser, info, OTHER_CONTRIBUTOR);
  const form = await other.goto(`${workloadUrl}/attest/ORG-01`);
  expect(form!.status()).toBe(404);
  await expect(other.getByTestId('not-found')).toBeVisible();
  const queue = await other.goto('/review');
  expect(queue!.status()).toBe(403);
  await other.context().close();

  // The lead rejects with a comment.
  const lead = await personPage(browser, info, LEAD);
  const leadErrors = watchErrors(lead);
  await lead.goto('/review');
  await ready(lead, info);
  const item = lead.locator('li.review-item', { hasText: name });
  await expect(item).toContainText('The AI use policy covers this workload.');
  await item.getByLabel('Why it is rejected').fill('Link the policy version that names this workload.');
  await item.getByTestId('reject').click();
  await expect(lead.getByTestId('review-notice')).toContainText('Rejected the attestation of ORG-01');

  // The contributor reads the comment and resubmits.
  await page.goto(workloadUrl);
  await expect(row.getByTestId('requirement-state')).toHaveText('Rejected');
  await expect(row.getByTestId('review-comment').first()).toHaveText('Link the policy version that names this workload.');
  await row.getByTestId('attest-link').click();
  await ready(page, info);
  await expect(page.getByTestId('review-comment')).toHaveText('Link the policy version that names this workload.');
  await expect(page.getByLabel('Statement')).toHaveValue('The AI use policy covers this workload.');
  await page.getByLabel('Evidence links').fill('https://wiki.example.org/ai-policy/v4');
  await page.getByTestId('submit-attestation').click();
  await expect(page.getByTestId('notice')).toContainText('for review');

  // The lead approves; the coverage rises by one.
  await lead.goto('/review');
  await ready(lead, info);
  await lead.locator('li.review-item', { hasText: name }).getByTestId('approve').click();
  await expect(lead.getByTestId('review-notice')).toContainText('Approved the attestation of ORG-01');
  expect(leadErrors).toEqual([]);
  await page.goto(workloadUrl);
  await expect(row.getByTestId('requirement-state')).toHaveText(/Satisfied|Expiring/);
  await expect(coverage(page)).toContainText(` 1 of ${required} covered`);
  await expect(page.getByTestId('coverage-organizational')).toContainText('1 of');
  expect(errors).toEqual([]);
});
