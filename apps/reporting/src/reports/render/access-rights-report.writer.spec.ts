import { ReportUser, ReportUserRights } from '@procura/contracts';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import {
  AccessRightsReportWriter,
  AccessRightsSection,
  addToTotals,
  emptyAccessRightsTotals,
  ReportCover,
} from './access-rights-report.writer';
import { readPdf } from './read-pdf.testing';
import { ReportSpool } from './report-spool';

function user(n: number, overrides: Partial<ReportUser> = {}): ReportUser {
  return {
    userId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    lastName: `Nom${n}`,
    firstName: `Prénom${n}`,
    email: `user${n}@entreprise.example`,
    clientType: 'STANDARD',
    adminSignature: 'NONE',
    status: 'ACTIVE',
    credentials: [
      {
        loginIdMasked: `•••••••••${String(n).padStart(5, '0')}`,
        type: 'TEMPORARY',
        validUntil: '2027-03-31T00:00:00.000Z',
        bankingPower: true,
        status: 'ACTIVE',
      },
    ],
    ...overrides,
  };
}

function rights(n: number): ReportUserRights {
  return {
    authorizations: [
      {
        id: `a-${n}`,
        label: `Comptabilité ${n}`,
        service: 'BANKING',
        effectiveFrom: '2026-01-15T00:00:00.000Z',
        endsAt: null,
        active: true,
      },
    ],
    effectiveRights: [
      {
        service: 'BANKING',
        right: 'VALIDATE',
        level: 'ACCESS',
        resources: [{ id: 'r1', label: 'Compte courant', identifier: 'FR7630001007941234567890185' }],
        authorizationId: `a-${n}`,
      },
      {
        service: 'EINVOICING',
        right: 'SUPPLIER_INVOICE_APPROVAL',
        level: 'CONSULT_ENTER_VALIDATE',
        resources: null,
        authorizationId: `a-${n}`,
      },
    ],
    pendingChangeRequests:
      n === 2
        ? [{ id: 'cr-1', kind: 'AUTHORIZATION_UPDATE', summary: 'Extend Comptabilité 2 to 2028', createdAt: '2026-11-20T09:00:00.000Z' }]
        : [],
  };
}

const cover = (language: 'fr' | 'en'): ReportCover => ({
  reportId: '11111111-1111-4111-8111-111111111111',
  companyId: '00000000-0000-4000-8000-000000000101',
  companyName: 'Boulangerie Martin SARL',
  registrationNumber: '552100554',
  orderedBy: 'Sophie Martin',
  generatedAt: '2026-11-23T10:15:00.000Z',
  language,
});

async function render(sections: AccessRightsSection[], language: 'fr' | 'en', dir: string) {
  const spool = new ReportSpool<object, AccessRightsSection>(join(dir, `${language}.jsonl`));
  await spool.open({ kind: 'ACCESS_RIGHTS', ...cover(language) });
  const totals = emptyAccessRightsTotals();
  for (const s of sections) {
    await spool.append(s);
    addToTotals(totals, s);
  }
  const { sha256 } = await spool.close();
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const progress: number[] = [];
  const result = await new AccessRightsReportWriter().write(
    {
      cover: cover(language),
      totals,
      contentSha256: sha256,
      sections: () => spool.read(),
      attachment: { path: spool.path, name: 'report-data.jsonl' },
    },
    out,
    (n) => void progress.push(n),
  );
  return { bytes: Buffer.concat(chunks), sha256, result, progress, spool };
}

describe(AccessRightsReportWriter.name, () => {
  let dir: string;
  beforeAll(async () => (dir = await mkdtemp(join(tmpdir(), 'access-rights-writer-'))));
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('renders the cover, totals, every user with credentials, authorizations, rights and pending changes, in French', async () => {
    const sections = [1, 2, 3].map((n) => ({ user: user(n), rights: rights(n) }));
    sections[2].user = user(3, { status: 'SUSPENDED', clientType: 'ADMINISTRATOR', adminSignature: 'COLLECTIVE', credentials: [] });
    const { bytes, sha256 } = await render(sections, 'fr', dir);
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');

    const pdf = await readPdf(bytes);
    expect(pdf.pages[0]).toContain("Rapport sur les autorisations d'accès");
    expect(pdf.pages[0]).toContain('Boulangerie Martin SARL');
    expect(pdf.pages[0]).toContain('23/11/2026 10:15 UTC');
    expect(pdf.pages[0]).toContain('Sophie Martin');
    expect(pdf.pages[0]).toMatch(/Utilisateurs\s+3/);
    expect(pdf.pages[0]).toMatch(/Utilisateurs actifs\s+2/);
    expect(pdf.pages[0]).toMatch(/Identifiants\s+2/);
    for (const n of [1, 2, 3]) expect(pdf.text).toContain(`Nom${n} Prénom${n}`);
    expect(pdf.text).toContain('•••••••••00001');
    expect(pdf.text).toContain('31/03/2027');
    expect(pdf.text).toContain('Comptabilité 1');
    expect(pdf.text).toContain('SUPPLIER_INVOICE_APPROVAL');
    expect(pdf.text).toContain('CONSULT_ENTER_VALIDATE');
    expect(pdf.text).toContain('Compte courant (FR7630001007941234567890185)');
    expect(pdf.text).toContain('Extend Comptabilité 2 to 2028');
    expect(pdf.text).toContain('Suspendu');
    expect(pdf.text).toContain('Collective');
    // Every page: its number, the generation time and the data hash.
    pdf.pages.forEach((page, i) => {
      expect(page).toContain(`Page ${i + 1}`);
      expect(page).toContain('généré le 23/11/2026 10:15 UTC');
      expect(page).toContain(`SHA-256 des données : ${sha256}`);
    });
    // The printed hash is the SHA-256 of the attached data, as the cover tells the reader to check.
    expect(pdf.attachments['report-data.jsonl'].sha256).toBe(sha256);
    const lines = pdf.attachments['report-data.jsonl'].content.toString('utf8').trim().split('\n');
    expect(lines).toHaveLength(4);
    expect(JSON.parse(lines[2]).user.lastName).toBe('Nom2');
  });

  it('renders in English', async () => {
    const { bytes } = await render([{ user: user(7), rights: rights(7) }], 'en', dir);
    const pdf = await readPdf(bytes);
    expect(pdf.pages[0]).toContain('Access-rights report');
    expect(pdf.pages[0]).toContain('2026-11-23 10:15 UTC');
    expect(pdf.text).toContain('Banking power');
    expect(pdf.text).toContain('Temporary');
    expect(pdf.text).toContain('2027-03-31');
    expect(pdf.text).not.toContain('Identifiants');
  });

  it('changes the printed hash when any rendered fact changes', async () => {
    const a = await render([{ user: user(1), rights: rights(1) }], 'fr', dir);
    const changed = rights(1);
    changed.effectiveRights[0].level = 'CONSULT';
    const b = await render([{ user: user(1), rights: changed }], 'fr', dir);
    expect(b.sha256).not.toBe(a.sha256);
  });

  it('streams hundreds of users over many pages, reporting progress as it goes', async () => {
    const sections = Array.from({ length: 300 }, (_, i) => ({ user: user(i + 1), rights: rights(i + 1) }));
    const { bytes, result, progress } = await render(sections, 'fr', dir);
    expect(result.pages).toBeGreaterThan(20);
    expect(progress.at(-1)).toBe(300);
    expect(progress.length).toBeGreaterThan(5);
    const pdf = await readPdf(bytes);
    expect(pdf.pages).toHaveLength(result.pages);
    expect(pdf.text).toContain('Nom300 Prénom300');
    // Table headers repeat on the pages a table spans.
    expect(pdf.pages[2]).toContain('Nom');
    // A few seconds of CPU (render, then parse back 20+ pages): more on a starved machine.
  }, 180_000);

  it('cuts a cell too long for its column instead of overflowing it', async () => {
    const long = rights(1);
    long.authorizations[0].label = 'Une autorisation au libellé extrêmement long qui ne tient pas dans sa colonne du tout';
    const { bytes } = await render([{ user: user(1), rights: long }], 'fr', dir);
    const pdf = await readPdf(bytes);
    expect(pdf.text).toContain('Une autorisation au libellé');
    expect(pdf.text).not.toContain('ne tient pas dans sa colonne du tout');
    expect(pdf.text).toContain('…');
  });

  it('re-reads the spooled sections identically', async () => {
    const { spool } = await render([{ user: user(1), rights: rights(1) }], 'fr', dir);
    const items: AccessRightsSection[] = [];
    for await (const s of spool.read()) items.push(s);
    expect(items).toEqual([{ user: user(1), rights: rights(1) }]);
    expect(await readFile(spool.path, 'utf8')).toMatch(/^\{"companyId"/);
  });
});
