import { expect, type Page } from '@playwright/test';
import type { PersonSummary } from '../../shared/api/contract';
import type { Role } from '../../shared/workflow/review-chain';
import { call } from './api';
import { E2E_ADMIN, type RunningHost } from './host';

/** The first administrator every e2e workspace gets (startHost creates it). */
export const ADMIN = E2E_ADMIN;

/**
 * Makes sure the workspace has its administrator and the script's bearer
 * session is signed in as them, so later `call`s may seed data. startHost
 * already does this; a workspace still needing setup is set up here.
 */
export async function setupAdmin(host: RunningHost): Promise<PersonSummary> {
  const current = await call(host, 'session:get', {});
  const info = current.needsSetup
    ? await call(host, 'session:setup', { name: ADMIN.name, unit: ADMIN.unit, password: ADMIN.password })
    : current.person
      ? current
      : await call(host, 'session:signIn', {
          personId: current.people.find((p) => p.name === ADMIN.name)?.id ?? ADMIN.name,
          password: ADMIN.password,
        });
  if (!info.person) throw new Error('the e2e admin is not signed in');
  return info.person;
}

/** Adds a person through the API (the bearer session must be an admin: call {@link setupAdmin} first). */
export async function addPerson(
  host: RunningHost,
  person: { name: string; unit?: string; roles: Role[]; password: string },
): Promise<PersonSummary> {
  return call(host, 'people:save', { name: person.name, unit: person.unit ?? '', roles: person.roles, active: true, password: person.password });
}

/** Signs in through the UI: opens the host, picks the name, types the password. */
export async function signIn(page: Page, host: RunningHost, name: string, password: string): Promise<void> {
  await page.goto(host.url);
  await page.getByLabel('人员', { exact: true }).selectOption({ label: name });
  await page.getByLabel('密码', { exact: true }).fill(password);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await expect(page.getByTestId('signed-in-person')).toContainText(name);
}

/** The usual start of a writer-side test: a fresh workspace with the admin, signed in in the browser. */
export async function signInAsAdmin(page: Page, host: RunningHost): Promise<void> {
  await setupAdmin(host);
  await signIn(page, host, ADMIN.name, ADMIN.password);
}

/** Signs the script's bearer session in again (sessions live in memory: a restarted host forgot them). */
export async function signInApi(host: RunningHost, personId: string, password: string): Promise<void> {
  await call(host, 'session:signIn', { personId, password });
}
