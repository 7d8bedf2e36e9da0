import { type ChangeRequestView, DEMO } from '@procura/contracts';
import { ApiSession, queryRows, TestSystem, TotpCodes, userSession, waitFor, waitForMail } from '@procura/testing';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateSync } from 'otplib';
import type { Locator, Page } from 'playwright-core';
import { readPdf } from '../../apps/reporting/src/reports/render/read-pdf.testing';
import { type AxeViolation, type ConsoleBrowser, launchConsoleBrowser, screen } from './console/browser';

const MARTIN = DEMO.companies.martin.id;
const { sophie, paul, julie, hugo } = DEMO.users;

/** Codes of the demo administrators' authenticator apps (each time step is accepted once). */
const codes = new TotpCodes();
const freshTotp = (secret: string) => codes.next(secret);

interface Person {
  loginId: string;
  password: string;
  /** Set when the person's credential has TOTP enrolled: the sign-in asks for a code. */
  totpSecret: string | null;
}

/** The sign-in form (or the sign-in dialog over a page whose session ended): password, then the code when enrolled. */
async function signInWith(form: Page | Locator, person: Person): Promise<void> {
  await form.getByLabel(/^Mot de passe/).fill(person.password);
  await form.getByRole('button', { name: 'Se connecter' }).click();
  if (person.totpSecret) {
    await form.getByLabel(/^Code Sécur’Pass/).fill(await freshTotp(person.totpSecret));
    await form.getByRole('button', { name: 'Se connecter' }).click();
  }
}

async function signIn(page: Page, baseUrl: string, person: Person): Promise<void> {
  await page.goto(`${baseUrl}/sign-in`);
  await page.getByLabel(/^Identifiant \(14 chiffres\)/).fill(person.loginId);
  await signInWith(page, person);
}

/** The session the console keeps in the tab's storage (a string to evaluate: the test code has no DOM types). */
async function storedSession(page: Page): Promise<{ accessToken?: string; sessionExpiresAt?: number }> {
  return JSON.parse((await page.evaluate<string | null>("sessionStorage.getItem('procura.session')")) ?? '{}') as {
    accessToken?: string;
    sessionExpiresAt?: number;
  };
}

/** The claims of an access token (the test only reads them; the server verified them). */
function claimsOf(accessToken: string): { sux?: number; sub?: string; cid?: string } {
  return JSON.parse(Buffer.from(accessToken.split('.')[1], 'base64url').toString('utf8')) as { sux?: number; sub?: string; cid?: string };
}

/**
 * Rule 1: a TOTP sign-in starts stepped up, for the access token's lifetime; the console renews
 * that token every few minutes and a renewed token no longer carries it. The journeys renew it
 * now (then reload, so the console reads it), so their change asks for the code in the page as
 * it would a few minutes later.
 */
async function renewAccessToken(page: Page): Promise<void> {
  expect(claimsOf((await storedSession(page)).accessToken!).sux).toBeGreaterThan(Date.now() / 1000);
  await page.evaluate<void>(`(async () => {
    const stored = JSON.parse(sessionStorage.getItem('procura.session'));
    const res = await fetch('/api/v1/auth/refresh', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken: stored.refreshToken }),
    });
    if (!res.ok) throw new Error('refresh answered ' + res.status);
    const tokens = await res.json();
    sessionStorage.setItem('procura.session', JSON.stringify({
      ...stored,
      accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken,
      accessExpiresAt: Date.now() + tokens.expiresIn * 1000,
    }));
  })()`);
  expect(claimsOf((await storedSession(page)).accessToken!).sux).toBeUndefined();
  await page.reload();
}

/**
 * The change just submitted needs the maker's strong authentication: the code is asked in a
 * dialog over the page (focused, labelled), and once accepted the same change is sent again.
 */
async function passStepUp(page: Page, person: Person, shot: string, scans: Map<string, AxeViolation[]>): Promise<void> {
  const dialog = page.getByRole('dialog', { name: 'Validez avec Sécur’Pass' });
  const code = dialog.getByLabel(/^Code Sécur’Pass/);
  await code.waitFor();
  expect(await page.evaluate<string | null>("document.activeElement?.getAttribute('autocomplete') ?? null")).toBe('one-time-code');
  await screen(page, shot, scans);
  // A wrong code is refused in the dialog, which stays open with what was typed behind it.
  await code.fill('000000');
  await dialog.getByRole('button', { name: 'Valider et envoyer' }).click();
  await dialog.getByRole('alert').waitFor();
  await code.fill(await freshTotp(person.totpSecret!));
  await dialog.getByRole('button', { name: 'Valider et envoyer' }).click();
  await dialog.waitFor({ state: 'hidden' });
  expect(claimsOf((await storedSession(page)).accessToken!).sux).toBeGreaterThan(Date.now() / 1000);
}

/** An API session of a demo administrator (a token signed with the test secret: no sign-in, no TOTP code spent). */
const adminApi = (baseUrl: string, user: { id: string }) =>
  userSession(baseUrl, { userId: user.id, companyId: MARTIN, clientType: 'ADMINISTRATOR' });

describe('Web console in Chromium (e2e)', () => {
  let system: TestSystem;
  let browser: ConsoleBrowser;
  const scans = new Map<string, AxeViolation[]>();

  beforeAll(async () => {
    system = await TestSystem.start();
    browser = await launchConsoleBrowser();
  }, 330_000); // TestSystem.start waits as long as the boot progresses (a loaded machine boots slowly)

  afterAll(async () => {
    await browser?.close();
    await system?.stop();
  });

  it('is served at / under the decided CSP, with the SPA fallback and the API kept apart', async () => {
    const page = await fetch(`${system.baseUrl}/users/anything?tab=rights`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.headers.get('content-security-policy')).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
    );
    const html = await page.text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // no inline script
    const api = await fetch(`${system.baseUrl}/api/v1/no-such-route`);
    expect(api.status).toBe(404);
    expect(api.headers.get('content-type')).toContain('application/problem+json');
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)![1];
    const asset = await fetch(`${system.baseUrl}${script}`, { headers: { 'accept-encoding': 'gzip' } });
    expect(asset.headers.get('content-encoding')).toBe('gzip');
    expect(asset.headers.get('cache-control')).toContain('immutable');
  });

  it('journey 2: the seed 000 wizard creates an authorization for two users and a user added in the wizard, as one request; once approved, the check API grants it', async () => {
    const page = await browser.newPage();
    await signIn(page, system.baseUrl, sophie);
    await page.getByRole('heading', { name: 'Utilisateurs' }).waitFor();
    await renewAccessToken(page);
    await page.getByRole('heading', { name: 'Utilisateurs' }).waitFor();
    await page.getByRole('link', { name: 'Autorisations' }).click();
    await page.getByRole('link', { name: 'Nouvelle autorisation' }).first().click();
    await screen(page, 'j2-1-assistance', scans);
    await page.getByRole('button', { name: 'Commencer' }).click();
    await page.getByLabel(/^Intitulé de l'autorisation/).fill('E-factures : équipe achats');
    await screen(page, 'j2-2-characteristics', scans);
    await page.getByRole('button', { name: 'Suivant' }).click();
    const users = page.getByRole('combobox', { name: 'Utilisateurs' });
    for (const name of ['Leroy', 'Petit']) {
      await users.fill(name);
      await page.getByRole('option', { name: new RegExp(`^${name}`) }).click();
    }
    await users.press('Escape'); // the list of users stays open while picking several
    // Seed 000: "créer un nouvel utilisateur" inside the wizard; with their login, in the same request.
    await page.getByRole('button', { name: '+ Ajout d’un nouvel utilisateur' }).click();
    await page.getByLabel(/^Nom/).first().fill('Girard');
    await page.getByLabel(/^Prénom/).fill('Noé');
    await page.getByLabel(/^Date de naissance/).fill('1995-07-02');
    await page.getByLabel(/^Adresse e-mail/).fill(`noe.girard.${Date.now()}@boulangerie-martin.example`);
    await page.getByRole('button', { name: 'Valider' }).click();
    await page.getByText(/^Noé Girard — /).waitFor();
    expect(await page.getByRole('checkbox', { name: /^Créer aussi leur identifiant/ }).isChecked()).toBe(true);
    await screen(page, 'j2-3-users', scans);
    await page.getByRole('button', { name: 'Suivant' }).click();
    await page.getByRole('checkbox', { name: 'Facturation fournisseurs' }).check();
    await page.getByRole('checkbox', { name: 'Fournisseurs et clients' }).check();
    await screen(page, 'j2-4-rights', scans);
    await page.getByRole('button', { name: 'Suivant' }).click();
    await page.getByText('Autorisation « E-factures : équipe achats » — HBS e-factures').waitFor();
    for (const kind of ["Création d'un utilisateur", "Création d'une autorisation", "Création d'un identifiant"])
      await page.getByRole('heading', { name: kind }).waitFor();
    await screen(page, 'j2-5-confirmation', scans);
    await page.getByRole('button', { name: 'Confirmer' }).click();
    await passStepUp(page, sophie, 'j2-5b-step-up', scans);
    await page.getByText('Demande en attente de validation').waitFor();
    await screen(page, 'j2-6-submitted', scans);
    const follow = await page.getByRole('link', { name: /Suivre la demande/ }).getAttribute('href');
    const requestId = new URL(follow!, system.baseUrl).searchParams.get('open')!;

    // Paul approves it in his inbox with a code of his authenticator.
    const validator = await browser.newPage();
    await signIn(validator, system.baseUrl, paul);
    await validator.getByRole('heading', { name: 'Utilisateurs' }).waitFor();
    await validator.getByRole('link', { name: /^Validations/ }).click();
    const request = validator.getByRole('article').filter({ hasText: 'E-factures : équipe achats' });
    await request.getByText('Facturation fournisseurs').first().waitFor();
    await screen(validator, 'j2-7-inbox', scans);
    await request.getByLabel(/^Code Sécur’Pass/).fill(await freshTotp(paul.totpSecret));
    await request.getByRole('button', { name: 'Approuver' }).click();
    await validator.getByText('Demande approuvée').first().waitFor();
    const applied = await adminApi(system.baseUrl, sophie).get<ChangeRequestView>(`/change-requests/${requestId}`);
    expect(applied.body.status).toBe('APPLIED');
    expect(applied.body.items.map((i) => [i.kind, i.outcome])).toEqual([
      ['USER_CREATE', 'APPLIED'],
      ['AUTHORIZATION_CREATE', 'APPLIED'],
      ['CREDENTIAL_CREATE', 'APPLIED'],
    ]);
    const noe = { id: applied.body.items[0].targetId!, name: 'Noé Girard' };

    const operator = ApiSession.operator(system.baseUrl);
    for (const user of [julie, hugo, noe]) {
      const answer = await waitFor(
        async () => {
          const res = await operator.post<{ allowed: boolean }>('/check', {
            userId: user.id,
            service: 'EINVOICING',
            right: 'SUPPLIER_INVOICING',
            level: 'CONSULT',
          });
          return res.body.allowed ? res.body : undefined;
        },
        { timeoutMs: 30_000, what: `the check to grant ${user.name}` },
      );
      expect(answer.allowed).toBe(true);
    }
    await page.close();
    await validator.close();
  }, 180_000);

  it('journey 3: a client orders the access-rights report, sees its progress, downloads a PDF that parses', async () => {
    const page = await browser.newPage();
    await signIn(page, system.baseUrl, sophie);
    await page.getByRole('heading', { name: 'Utilisateurs' }).waitFor();
    await page.getByRole('link', { name: 'Rapports et documents' }).click();
    await screen(page, 'j3-1-order', scans);
    await page.getByRole('button', { name: 'Commander' }).click();
    await page
      .getByText(/En file|En cours|Prêt/)
      .first()
      .waitFor();
    await screen(page, 'j3-2-progress', scans);
    const download = page.waitForEvent('download', { timeout: 60_000 });
    await page.getByRole('button', { name: 'Télécharger le PDF' }).click({ timeout: 60_000 });
    await screen(page, 'j3-3-ready', scans);
    const file = await (await download).path();
    const pdf = await readPdf(readFileSync(file));
    expect(pdf.text).toContain('Boulangerie Martin');
    expect(pdf.text).toContain('Leroy');
    await page.close();
  }, 120_000);

  it('journey 4: a refusal of the API appears next to its field; a session that ends mid-form keeps the draft', async () => {
    const page = await browser.newPage();
    await signIn(page, system.baseUrl, sophie);
    await page.getByRole('heading', { name: 'Utilisateurs' }).waitFor();

    await page.getByRole('link', { name: 'Leroy Julie' }).waitFor();
    await screen(page, 'j4-0-users', scans);

    // A duplicate e-mail: the API's 409 is shown under the e-mail field, what was typed stays.
    await page.getByRole('link', { name: 'Leroy Julie' }).click();
    await page.getByRole('button', { name: 'Modifier' }).click();
    const email = page.getByLabel(/^Adresse e-mail/);
    await email.fill('paul.martin@boulangerie-martin.example');
    await page.getByRole('button', { name: 'Soumettre la modification' }).click();
    await page.getByText('Cette adresse e-mail identifie déjà une autre personne').first().waitFor();
    expect(await email.getAttribute('aria-invalid')).toBe('true');
    expect(await email.inputValue()).toBe('paul.martin@boulangerie-martin.example');
    await screen(page, 'j4-1-duplicate-email', scans);

    // Half-way through adding a user, the session ends on the server.
    await page.getByRole('link', { name: 'Ajouter un utilisateur' }).first().click();
    await page.getByRole('heading', { name: 'La personne' }).waitFor(); // the form, not the page being left
    await page.getByLabel(/^Nom/).first().fill('Garnier');
    await page.getByLabel(/^Prénom/).fill('Inès');
    await page.getByLabel(/^Adresse e-mail/).fill('ines.garnier@boulangerie-martin.example');
    const { accessToken: token } = await storedSession(page);
    expect((await new ApiSession(system.baseUrl, token!).post('/auth/logout')).status).toBe(200);
    await page.getByRole('link', { name: 'Mes demandes' }).click();
    await page.getByRole('dialog', { name: 'Session terminée' }).waitFor();
    await screen(page, 'j4-2-session-ended', scans);
    const dialog = page.getByRole('dialog', { name: 'Session terminée' });
    expect(await dialog.getByLabel(/^Identifiant/).inputValue()).toBe(sophie.loginId);
    await signInWith(dialog, sophie);
    await dialog.waitFor({ state: 'hidden' });
    await page.getByRole('link', { name: 'Ajouter un utilisateur' }).first().click();
    await page.getByRole('heading', { name: 'La personne' }).waitFor(); // the form, not the page being left
    await page.getByText('Brouillon retrouvé').waitFor();
    expect(await page.getByLabel(/^Nom/).first().inputValue()).toBe('Garnier');
    expect(await page.getByLabel(/^Prénom/).inputValue()).toBe('Inès');
    expect(await page.getByLabel(/^Adresse e-mail/).inputValue()).toBe('ines.garnier@boulangerie-martin.example');
    await screen(page, 'j4-3-draft-kept', scans);

    // The same refusal inside "add a user" (one composite request): the summary's preview finds
    // it, the page goes back to the person and shows it under the e-mail, nothing typed lost.
    await page.getByLabel(/^Date de naissance/).fill('1990-05-20');
    await page.getByLabel(/^Adresse e-mail/).fill('paul.martin@boulangerie-martin.example');
    for (const next of ['Ses droits', 'Son identifiant']) {
      await page.getByRole('button', { name: 'Suivant' }).click();
      await page.getByRole('heading', { name: next }).waitFor();
    }
    await page.getByRole('button', { name: 'Suivant' }).click(); // to the summary, which the refusal sends back
    await page.getByRole('heading', { name: 'La personne' }).waitFor();
    const newEmail = page.getByLabel(/^Adresse e-mail/);
    await page.getByText('Cette adresse e-mail identifie déjà une autre personne').first().waitFor();
    expect(await newEmail.getAttribute('aria-invalid')).toBe('true');
    expect(await newEmail.inputValue()).toBe('paul.martin@boulangerie-martin.example');
    expect(await page.getByLabel(/^Nom/).first().inputValue()).toBe('Garnier');
    await screen(page, 'j4-3b-add-user-duplicate-email', scans);
    await page.close();
  }, 120_000);

  it('journey 4 (expiry): the end of the session is announced before it comes; when it comes, the sign-in opens over the form, which keeps what was typed', async () => {
    // The page's clock is moved instead of waiting for the session's real end: same code path
    // (the page ends the session at sessionExpiresAt), without minutes of idle waiting.
    const page = await browser.isolatedPage();
    await page.clock.install();
    await signIn(page, system.baseUrl, sophie);
    await page.getByRole('heading', { name: 'Utilisateurs' }).waitFor();
    await page.getByRole('link', { name: 'Ajouter un utilisateur' }).first().click();
    await page.getByRole('heading', { name: 'La personne' }).waitFor(); // the form, not the page being left
    await page.getByLabel(/^Nom/).first().fill('Roussel');
    await page.getByLabel(/^Prénom/).fill('Maëlle');
    const { sessionExpiresAt: endsAt } = await storedSession(page);
    expect(endsAt).toBeGreaterThan(Date.now());

    // Four minutes before the end: a warning with the time, and nothing else changes.
    await page.clock.setSystemTime(endsAt! - 4 * 60_000);
    const warning = page.getByRole('alert').filter({ hasText: 'Votre session va se terminer' });
    await warning.waitFor();
    expect(await warning.textContent()).toContain(
      new Date(endsAt!).toLocaleTimeString('fr-FR', { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Paris' }),
    );
    await screen(page, 'j4-4-expiry-warning', scans);

    // The end: the sign-in opens over the form, the form is still there with what was typed.
    await page.clock.setSystemTime(endsAt! + 1_000);
    const dialog = page.getByRole('dialog', { name: 'Session terminée' });
    await dialog.waitFor();
    expect(page.url()).toContain('/users/new');
    await screen(page, 'j4-5-expired-over-form', scans);
    await page.clock.setSystemTime(Date.now());
    await signInWith(dialog, sophie);
    await dialog.waitFor({ state: 'hidden' });
    expect(await page.getByLabel(/^Nom/).first().inputValue()).toBe('Roussel');
    expect(await page.getByLabel(/^Prénom/).inputValue()).toBe('Maëlle');
    await page.getByLabel(/^Adresse e-mail/).fill('maelle.roussel@boulangerie-martin.example');
    await page.close();
  }, 120_000);

  it('journey 5: a validator cannot approve their own request: the page says why and offers no button', async () => {
    const sophieApi = adminApi(system.baseUrl, sophie);
    const submitted = await sophieApi.request<{ status: string }>('PATCH', `/users/${hugo.id}`, { firstName: 'Hugues' });
    expect(submitted.status).toBe(202);
    const page = await browser.newPage();
    // Signing in step by step: with TOTP enrolled, the password is followed by the code.
    await page.goto(`${system.baseUrl}/sign-in`);
    await screen(page, 'j5-0-sign-in', scans);
    await page.getByLabel(/^Identifiant \(14 chiffres\)/).fill(sophie.loginId);
    await page.getByLabel(/^Mot de passe/).fill(sophie.password);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByText('Mot de passe vérifié').waitFor();
    await screen(page, 'j5-0-sign-in-code', scans);
    await page.getByLabel(/^Code Sécur’Pass/).fill('000000');
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByText('Ce code ne correspond pas').first().waitFor();
    await page.getByLabel(/^Code Sécur’Pass/).fill(await freshTotp(sophie.totpSecret));
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByRole('heading', { name: 'Utilisateurs' }).waitFor();
    await page.getByRole('link', { name: /^Validations/ }).click();
    const own = page.getByRole('article').filter({ hasText: 'Hugues' });
    await own.getByText('Vous en êtes l’auteur').waitFor();
    expect(await own.getByRole('button', { name: 'Approuver' }).count()).toBe(0);
    expect(await own.getByLabel(/^Code Sécur’Pass/).count()).toBe(0);
    await screen(page, 'j5-1-own-request', scans);
    await page.close();
  }, 60_000);

  it('journey 1: a maker adds a user (VALIDATOR template minus one account, a credential) as ONE request; a second administrator approves it once with TOTP; the new user signs in, changes the password (a weak one is refused), enrols TOTP', async () => {
    const sophieApi = adminApi(system.baseUrl, sophie);
    const email = `chloe.fabre.${Date.now()}@boulangerie-martin.example`;
    const savings = '00000000-0000-4000-8000-000000000302'; // the demo "Compte sur livret"

    // The maker: person, rights, credential, then the summary the preview (D2) gives.
    const maker = await browser.newPage();
    await signIn(maker, system.baseUrl, sophie);
    await maker.getByRole('heading', { name: 'Utilisateurs' }).waitFor();
    await renewAccessToken(maker);
    await maker.getByRole('heading', { name: 'Utilisateurs' }).waitFor();
    await maker.getByRole('link', { name: 'Ajouter un utilisateur' }).first().click();
    await maker.getByRole('heading', { name: 'La personne' }).waitFor(); // the form, not the page being left
    await maker.getByLabel(/^Nom/).first().fill('Fabre');
    await maker.getByLabel(/^Prénom/).fill('Chloé');
    await maker.getByLabel(/^Date de naissance/).fill('1992-03-14');
    await maker.getByLabel(/^Adresse e-mail/).fill(email);
    await maker.getByLabel(/^Téléphone mobile/).fill('+33655443322');
    await screen(maker, 'j1-1-person', scans);
    await maker.getByRole('button', { name: 'Suivant' }).click();
    await maker.getByRole('radio', { name: /^Profil valideur/ }).check();
    await maker.getByRole('checkbox', { name: /^Compte sur livret/ }).uncheck();
    expect(await maker.getByRole('checkbox', { name: /^Compte courant/ }).isChecked()).toBe(true);
    await screen(maker, 'j1-2-rights-template', scans);
    await maker.getByRole('button', { name: 'Suivant' }).click();
    await maker.getByRole('radio', { name: 'Permanent' }).check();
    await screen(maker, 'j1-3-credential', scans);
    await maker.getByRole('button', { name: 'Suivant' }).click();
    // Under collective signature the summary names who can approve: Paul, not the maker.
    const approvers = maker.getByRole('alert').filter({ hasText: 'Peuvent la valider' });
    await approvers.getByText('Paul Martin').waitFor();
    expect(await approvers.getByText('Sophie Martin').count()).toBe(0);
    for (const kind of ["Création d'un utilisateur", 'Droits par profil type', "Création d'un identifiant"])
      await maker.getByRole('heading', { name: kind }).waitFor();
    await screen(maker, 'j1-4-summary', scans);
    await maker.getByRole('button', { name: 'Confirmer et soumettre' }).click();
    await passStepUp(maker, sophie, 'j1-4b-step-up', scans);
    await maker.getByText('Demande en attente de validation').waitFor();
    await screen(maker, 'j1-5-submitted', scans);
    const follow = await maker.getByRole('link', { name: /Suivre la demande/ }).getAttribute('href');
    const requestId = new URL(follow!, system.baseUrl).searchParams.get('open')!;
    const submitted = await sophieApi.get<ChangeRequestView>(`/change-requests/${requestId}`);
    expect(submitted.body.status).toBe('PENDING');
    expect(submitted.body.items.map((i) => i.kind)).toEqual(['USER_CREATE', 'RIGHTS_TEMPLATE', 'CREDENTIAL_CREATE']);

    // The validator: one request about Chloé in the inbox, one approval with his code.
    const validator = await browser.newPage();
    await signIn(validator, system.baseUrl, paul);
    await validator.getByRole('heading', { name: 'Utilisateurs' }).waitFor();
    await validator.getByRole('link', { name: /^Validations/ }).click();
    const request = validator.getByRole('article').filter({ hasText: email });
    await request.getByText('Demande groupée (3 opérations)').waitFor();
    expect(await request.count()).toBe(1);
    await screen(validator, 'j1-6-inbox', scans);
    await request.getByLabel(/^Code Sécur’Pass/).fill(await freshTotp(paul.totpSecret));
    await request.getByRole('button', { name: 'Approuver' }).click();
    await validator.getByText('Demande approuvée').first().waitFor();
    await screen(validator, 'j1-7-approved', scans);
    const applied = await sophieApi.get<ChangeRequestView>(`/change-requests/${requestId}`);
    expect(applied.body.status).toBe('APPLIED');
    expect(applied.body.items.map((i) => i.outcome)).toEqual(['APPLIED', 'APPLIED', 'APPLIED']);
    const chloeId = applied.body.items[0].targetId!;
    // The template's banking rights, minus the account the maker unticked.
    const rights = await sophieApi.get<{ rights: Array<{ service: string; resourceIds?: string[] | null }> }>(
      `/users/${chloeId}/effective-rights`,
    );
    const banking = rights.body.rights.filter((r) => r.service === 'BANKING');
    expect(banking.length).toBeGreaterThan(0);
    expect(banking.flatMap((r) => r.resourceIds ?? [])).not.toContain(savings);

    // The login id by e-mail, the provisional password by SMS (seed 001: split channels).
    const welcome = await waitForMail((m) => m.to.includes(email) && /\d{14}/.test(m.text ?? ''), { timeoutMs: 20_000 });
    const loginId = /(\d{14})/.exec(welcome.text ?? '')![1];
    const smsDir = join(process.env.PROCURA_TEST_DIR!, new URL(system.databaseUrl).pathname.slice(1), 'sms');
    const sms = await waitFor(
      async () => {
        const files = (() => {
          try {
            return readdirSync(smsDir).filter((f) => f.endsWith('.json'));
          } catch {
            return [];
          }
        })();
        const texts = files.map((f) => JSON.parse(readFileSync(join(smsDir, f), 'utf8')) as { to: string; text: string });
        return texts.find((s) => s.to.replace(/\s/g, '') === '+33655443322');
      },
      { timeoutMs: 20_000, what: 'the SMS with the provisional password' },
    );
    const provisional = /([A-Za-z0-9]{4}-[A-Za-z0-9]{4}-[A-Za-z0-9]{4})/.exec(sms.text)![1];

    const chloe = await browser.newPage({ width: 768, height: 1024 });
    await chloe.goto(`${system.baseUrl}/sign-in`);
    await chloe.getByLabel(/^Identifiant \(14 chiffres\)/).fill(loginId.slice(0, 13) + String((Number(loginId[13]) + 1) % 10));
    await chloe.getByText('Le chiffre de contrôle ne correspond pas').waitFor();
    await screen(chloe, 'j1-8-check-digit', scans);
    await signIn(chloe, system.baseUrl, { loginId, password: provisional, totpSecret: null });
    await chloe.getByRole('heading', { name: 'Choisissez votre mot de passe' }).waitFor();
    await chloe.getByLabel(/^Mot de passe provisoire/).fill(provisional);
    await chloe.getByLabel(/^Nouveau mot de passe/).fill('chloe2026');
    await chloe.getByLabel(/^Confirmation du nouveau mot de passe/).fill('chloe2026');
    await chloe.getByRole('button', { name: 'Changer votre mot de passe' }).click();
    await chloe.getByText('Ce mot de passe ne respecte pas encore les règles ci-dessous').waitFor();
    await screen(chloe, 'j1-9-weak-password-refused', scans);
    const strong = 'Verger-Pommes-Cidre-77';
    await chloe.getByLabel(/^Nouveau mot de passe/).fill(strong);
    await chloe.getByLabel(/^Confirmation du nouveau mot de passe/).fill(strong);
    await chloe.getByRole('button', { name: 'Changer votre mot de passe' }).click();
    await chloe.getByRole('heading', { name: 'Mot de passe changé' }).waitFor();
    await screen(chloe, 'j1-10-password-changed', scans);
    await chloe.getByRole('button', { name: /Continuer|Terminer/ }).click();
    // Strong authentication: required by the company right away, or offered in "My account".
    if (!chloe.url().includes('/first-login/totp')) {
      await chloe.goto(`${system.baseUrl}/account?tab=totp`);
      await chloe.getByRole('button', { name: 'M’équiper maintenant' }).click();
    }
    const secretText = await chloe.getByTestId('totp-secret').textContent();
    await chloe.getByRole('img', { name: "QR code d'enrôlement de l'authentification forte" }).waitFor();
    await screen(chloe, 'j1-11-totp-enrolment', scans);
    await chloe.getByLabel(/^Premier code/).fill(generateSync({ secret: secretText!.replace(/\s/g, '') }));
    await chloe.getByRole('button', { name: 'Activer' }).click();
    await chloe
      .getByText(/Authentification forte activée|Votre authentification forte \(Sécur’Pass\) est active/)
      .first()
      .waitFor();
    await screen(chloe, 'j1-12-enrolled', scans);
    const credentials = await sophieApi.get<Array<{ totpEnrolled: boolean; passwordChangeRequired: boolean }>>(
      `/users/${chloeId}/credentials`,
    );
    expect(credentials.body[0]).toMatchObject({ totpEnrolled: true, passwordChangeRequired: false });
    await maker.close();
    await validator.close();
    await chloe.close();
  }, 240_000);

  it('seed 003 "Envoyer un email": a user added with the welcome e-mail unticked gets none when applied; it goes later from their page', async () => {
    const email = `lina.morel.${Date.now()}@boulangerie-martin.example`;
    const page = await browser.newPage();
    await signIn(page, system.baseUrl, sophie); // signed in with her code: her first change needs no other
    await page.getByRole('heading', { name: 'Utilisateurs' }).waitFor();
    await page.getByRole('link', { name: 'Ajouter un utilisateur' }).first().click();
    await page.getByRole('heading', { name: 'La personne' }).waitFor();
    await page.getByLabel(/^Nom/).first().fill('Morel');
    await page.getByLabel(/^Prénom/).fill('Lina');
    await page.getByLabel(/^Date de naissance/).fill('1994-10-08');
    await page.getByLabel(/^Adresse e-mail/).fill(email);
    for (const next of ['Ses droits', 'Son identifiant']) {
      await page.getByRole('button', { name: 'Suivant' }).click();
      await page.getByRole('heading', { name: next }).waitFor();
    }
    const sendWelcome = page.getByRole('checkbox', { name: /^Envoyer l’e-mail de bienvenue/ });
    expect(await sendWelcome.isChecked()).toBe(true); // ticked unless the maker says otherwise
    await sendWelcome.uncheck();
    await page.getByText(/l'identifiant, quand vous enverrez l'e-mail de bienvenue depuis sa fiche/).waitFor();
    await screen(page, 'w-1-credential-without-welcome', scans);
    await page.getByRole('button', { name: 'Suivant' }).click();
    // The summary, hence the validator, says it.
    await page.getByRole('heading', { name: "Création d'un identifiant" }).waitFor();
    await page
      .getByText(/E-mail de bienvenue\s*:?\s*Non/)
      .first()
      .waitFor();
    await screen(page, 'w-2-summary', scans);
    await page.getByRole('button', { name: 'Confirmer et soumettre' }).click();
    await page.getByText('Demande en attente de validation').waitFor();
    const follow = await page.getByRole('link', { name: /Suivre la demande/ }).getAttribute('href');
    const requestId = new URL(follow!, system.baseUrl).searchParams.get('open')!;
    const approved = await adminApi(system.baseUrl, paul).post<{ status: string }>(`/change-requests/${requestId}/approve`, {
      totpCode: await freshTotp(paul.totpSecret),
    });
    expect(approved.body.status).toBe('APPLIED');

    const sophieApi = adminApi(system.baseUrl, sophie);
    const lina = (await sophieApi.get<ChangeRequestView>(`/change-requests/${requestId}`)).body.items[0].targetId!;
    const [credential] = (await sophieApi.get<Array<{ id: string }>>(`/users/${lina}/credentials`)).body;
    const welcomeJobs = () =>
      queryRows(system.databaseUrl, `SELECT job_id FROM identity.outbox WHERE job_name = 'send-email' AND job_id LIKE $1`, [
        `welcome.${credential.id}%`,
      ]);
    expect(await welcomeJobs()).toHaveLength(0); // written with the credential, in the same transaction: none

    // Later, from her page.
    await page.goto(`${system.baseUrl}/users/${lina}`);
    await page.getByRole('tab', { name: 'Identifiant' }).click();
    await page.getByRole('button', { name: 'Envoyer l’e-mail de bienvenue' }).click();
    await page.getByRole('status').filter({ hasText: 'E-mail envoyé à' }).waitFor();
    await screen(page, 'w-3-welcome-sent', scans);
    expect(await welcomeJobs()).toHaveLength(1);
    const welcome = await waitForMail((m) => m.to.includes(email) && /\d{14}/.test(m.text ?? ''), { timeoutMs: 20_000 });
    expect(welcome.text).toContain('Lina');
    await page.close();
  }, 120_000);

  it('one person, two companies: Nathalie signs in with her e-mail, lands in her billed company, and switches company from the header without signing in again', async () => {
    const { nathalie, nathalieAtRoux } = DEMO.users;
    const { girard, roux } = DEMO.firm.clients;
    const page = await browser.newPage();
    // The pharmacy signs in with the e-mail (seed 003): the same field takes it.
    await page.goto(`${system.baseUrl}/sign-in`);
    await page.getByLabel(/^Identifiant \(14 chiffres\)/).fill(nathalie.email);
    await signInWith(page, nathalie);
    // The company menu of the header (a Mantine select: its input carries the label).
    const switcher = page.locator('header input[aria-label="Entreprise"]');
    await switcher.waitFor();
    expect(await switcher.inputValue()).toBe(girard.name);
    expect(claimsOf((await storedSession(page)).accessToken!)).toMatchObject({ sub: nathalie.id, cid: girard.id });
    await page.getByRole('heading', { level: 1 }).waitFor();
    await screen(page, 'company-switcher', scans);
    await switcher.click();
    await page.getByRole('option', { name: roux.name }).click();
    // A session in the garage, as her user there; no password asked.
    await waitFor(async () => claimsOf((await storedSession(page)).accessToken!).cid === roux.id, {
      timeoutMs: 15_000,
      what: 'a session in the second company',
    });
    expect(claimsOf((await storedSession(page)).accessToken!).sub).toBe(nathalieAtRoux.id);
    await waitFor(async () => (await switcher.inputValue()) === roux.name, { timeoutMs: 15_000, what: 'the header naming the garage' });
    await page.getByRole('heading', { level: 1 }).waitFor();
    await page.waitForLoadState('networkidle');
    expect(await page.getByText('Une erreur est survenue').count()).toBe(0);
    expect(await page.getByLabel(/^Mot de passe/).count()).toBe(0);
    await screen(page, 'company-switched', scans);
    await page.close();
  });

  it('every other screen of the navigation answers against the API without an error, at 1280×800 and 768×1024', async () => {
    const page = await browser.newPage();
    await signIn(page, system.baseUrl, sophie);
    await page.getByRole('heading', { name: 'Utilisateurs' }).waitFor();
    // Search and filter in the address: one person found, the others left out.
    await page.goto(`${system.baseUrl}/users?q=Leroy&status=ACTIVE`);
    await page.getByRole('link', { name: 'Leroy Julie' }).waitFor();
    expect(await page.getByRole('link', { name: 'Martin Paul' }).count()).toBe(0);
    const screens: Array<[string, string]> = [
      ['tour-users-filtered', '/users?q=Leroy&status=ACTIVE'],
      ['tour-user-identity', `/users/${julie.id}?tab=identity`],
      ['tour-user-credential', `/users/${julie.id}?tab=credential`],
      ['tour-user-rights', `/users/${julie.id}?tab=rights`],
      ['tour-user-edi', `/users/${julie.id}?tab=edi`],
      ['tour-user-history', `/users/${julie.id}?tab=history`],
      ['tour-authorizations', '/authorizations'],
      ['tour-authorize-all', '/authorizations/authorize-all'],
      ['tour-requests', '/requests'],
      ['tour-policy', '/policy'],
      ['tour-reports', '/reports'],
      ['tour-audit', '/audit'],
      ['tour-account-rights', '/account?tab=rights'],
      ['tour-account-password', '/account?tab=password'],
      ['tour-account-totp', '/account?tab=totp'],
      ['tour-account-edi', '/account?tab=edi'],
    ];
    for (const viewport of [
      { width: 1280, height: 800 },
      { width: 768, height: 1024 },
    ]) {
      await page.setViewportSize(viewport);
      for (const [name, path] of screens) {
        await page.goto(`${system.baseUrl}${path}`);
        await page.getByRole('heading', { level: 1 }).waitFor();
        await page.waitForLoadState('networkidle'); // every query of the screen answered
        expect({ name, errors: await page.getByText('Une erreur est survenue').count() }).toEqual({ name, errors: 0 });
        await screen(page, `${name}-${viewport.width}`, scans);
      }
    }
    await page.close();
  }, 240_000);

  it('no screen of the journeys has a serious or critical accessibility violation, and the CSP was never violated', () => {
    expect(scans.size).toBeGreaterThan(10);
    const found = [...scans.entries()].filter(([, violations]) => violations.length).map(([name, violations]) => ({ name, violations }));
    expect(found).toEqual([]);
    expect(browser.problems).toEqual([]);
  });
});
