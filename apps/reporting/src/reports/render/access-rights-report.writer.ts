import { EDI_SENDING_RIGHT, ReportLanguage, ReportUser, ReportUserRights } from '@procura/contracts';
import { Writable } from 'node:stream';
import { PdfLayout } from './pdf-layout';
import { formatDate, formatDateTime, reportLabels, valueLabel } from './report-labels';

/** One user of the access-rights report: identity facts and rights, as the services give them. */
export interface AccessRightsSection {
  user: ReportUser;
  rights: ReportUserRights;
}

export interface ReportCover {
  reportId: string;
  companyId: string;
  companyName: string;
  registrationNumber: string;
  /** Display name of who ordered (e.g. "Sophie Martin (sophie.martin@…)"). */
  orderedBy: string;
  generatedAt: string;
  language: ReportLanguage;
}

export interface AccessRightsTotals {
  users: number;
  activeUsers: number;
  credentials: number;
  authorizations: number;
  effectiveRights: number;
  pendingChangeRequests: number;
}

export interface ReportAttachment {
  /** The canonical data file whose SHA-256 the report prints (see ReportSpool). */
  path: string;
  name: string;
}

export interface AccessRightsInput {
  cover: ReportCover;
  totals: AccessRightsTotals;
  contentSha256: string;
  /** Called twice (summary table, then sections): each call iterates the users from the start. */
  sections: () => AsyncIterable<AccessRightsSection>;
  attachment?: ReportAttachment;
}

export interface WriteResult {
  pages: number;
  rows: number;
}

export function emptyAccessRightsTotals(): AccessRightsTotals {
  return { users: 0, activeUsers: 0, credentials: 0, authorizations: 0, effectiveRights: 0, pendingChangeRequests: 0 };
}

export function addToTotals(totals: AccessRightsTotals, section: AccessRightsSection): void {
  totals.users++;
  if (section.user.status === 'ACTIVE') totals.activeUsers++;
  totals.credentials += section.user.credentials.length;
  totals.authorizations += section.rights.authorizations.length;
  totals.effectiveRights += section.rights.effectiveRights.length;
  totals.pendingChangeRequests += section.rights.pendingChangeRequests.length;
}

/**
 * The layout of the access-rights report ("Rapport sur les autorisations d'accès",
 * seed 002), pure: data in, PDF bytes out, no service or database. Cover page (company,
 * date, who ordered, totals, integrity note), summary table (one row per user), one
 * section per user (identity, status, credentials, authorizations, effective rights,
 * pending change requests); every page has its number, the generation time and the
 * SHA-256 of the data. Sections arrive as an async iterator, so a company of any size
 * is rendered with constant memory.
 */
export class AccessRightsReportWriter {
  static readonly DRAIN_EVERY = 25;

  async write(
    input: AccessRightsInput,
    out: Writable,
    onProgress?: (sectionsWritten: number) => void | Promise<void>,
  ): Promise<WriteResult> {
    const { cover, totals, contentSha256 } = input;
    const labels = reportLabels(cover.language);
    const generatedAt = new Date(cover.generatedAt);
    const when = formatDateTime(cover.language, generatedAt);
    const layout = new PdfLayout(
      out,
      { title: `${labels.accessRightsTitle} – ${cover.companyName}`, createdAt: generatedAt, language: cover.language },
      { left: labels.footer(labels.accessRightsTitle, when), second: labels.sha(contentSha256), pageLabel: labels.page },
    );
    const v = (code: string) => valueLabel(labels, code);
    const date = (iso: string | null) => formatDate(cover.language, iso);

    // Cover page.
    layout.title(labels.accessRightsTitle);
    layout.keyValues([
      [labels.company, cover.companyName],
      [labels.registrationNumber, cover.registrationNumber],
      [labels.generatedAt, when],
      [labels.orderedBy, cover.orderedBy],
      [labels.reportId, cover.reportId],
    ]);
    layout.heading(labels.totals);
    layout.keyValues([
      [labels.users, String(totals.users)],
      [labels.activeUsers, String(totals.activeUsers)],
      [labels.credentials, String(totals.credentials)],
      [labels.authorizations, String(totals.authorizations)],
      [labels.effectiveRights, String(totals.effectiveRights)],
      [labels.pendingChanges, String(totals.pendingChangeRequests)],
    ]);
    layout.heading(labels.integrity);
    layout.paragraph(labels.integrityHow(contentSha256, input.attachment?.name ?? 'report-data.jsonl'));
    if (input.attachment) {
      await layout.attach(input.attachment.path, {
        name: input.attachment.name,
        type: 'application/x-ndjson',
        description: labels.integrity,
        date: generatedAt,
      });
    }

    // Summary table.
    layout.newPage();
    layout.title(labels.summary, 13);
    layout.table([
      { header: labels.name, width: 200 },
      { header: labels.status, width: 75 },
      { header: labels.credentials, width: 60 },
      { header: labels.authorizations, width: 60 },
      { header: labels.effectiveRights, width: 60 },
      { header: labels.pendingChanges, width: 60 },
    ]);
    let n = 0;
    for await (const { user, rights } of input.sections()) {
      layout.row([
        `${user.lastName} ${user.firstName}`,
        v(user.status),
        String(user.credentials.length),
        String(rights.authorizations.length),
        String(rights.effectiveRights.length),
        String(rights.pendingChangeRequests.length),
      ]);
      if (++n % (AccessRightsReportWriter.DRAIN_EVERY * 4) === 0) await layout.drain();
    }
    layout.endTable();

    // One section per user.
    layout.newPage();
    layout.title(labels.userSections, 13);
    n = 0;
    for await (const { user, rights } of input.sections()) {
      layout.heading(`${user.lastName} ${user.firstName}`, 10.5);
      layout.line(
        `${labels.email}: ${user.email} · ${labels.status}: ${v(user.status)} · ${labels.clientType}: ${v(user.clientType)} · ${labels.adminSignature}: ${v(user.adminSignature)}`,
      );

      // One line per credential: a table of one row would cost a header for nothing.
      if (user.credentials.length === 0) layout.line(`${labels.credentials} : ${labels.none}`, 8);
      for (const c of user.credentials) {
        layout.line(
          `${labels.loginId} ${c.loginIdMasked} · ${v(c.type)}${c.validUntil ? ` · ${labels.endDate} ${date(c.validUntil)}` : ''} · ${labels.bankingPower} : ${c.bankingPower ? labels.yes : labels.no} · ${v(c.status)}`,
          8,
        );
      }

      // Seeds 002 and 004: the powers as well as the rights — signing power above, banking power per credential, EDI signatures here.
      const signatures = user.ediSignatures ?? [];
      // Rule 9 of issue 17: a signature is suspended while its owner does not hold the EDI sending right.
      const sends = rights.effectiveRights.some((r) => r.service === EDI_SENDING_RIGHT.service && r.right === EDI_SENDING_RIGHT.right);
      if (signatures.length === 0) layout.line(`${labels.ediSignatures} : ${labels.none}`, 8);
      for (const s of signatures)
        layout.line(
          `${labels.ediSignatures} · ${v(s.status === 'ACTIVE' && !sends ? 'SUSPENDED' : s.status)} · ${labels.from} ${date(s.validFrom)} · ${labels.until} ${date(s.validUntil)}`,
          8,
        );

      if (rights.authorizations.length === 0) layout.line(`${labels.authorizations} : ${labels.none}`, 8);
      else {
        layout.table([
          { header: labels.authorizations, width: 170 },
          { header: labels.service, width: 95 },
          { header: labels.from, width: 70 },
          { header: labels.until, width: 70 },
          { header: labels.active, width: 50 },
        ]);
        for (const a of rights.authorizations)
          layout.row([a.label, a.service, date(a.effectiveFrom), date(a.endsAt), a.active ? labels.yes : labels.no]);
        // Seed 002: authorize-all holds "pour tous les contrats de la relation client", those opened later included.
        for (const a of rights.authorizations)
          if (a.standingProfiles?.length)
            layout.line(
              `${labels.standingRule} · ${a.label} · ${a.standingProfiles.map((p) => `${p.contractType} : ${v(p.profile)}`).join(', ')}`,
              8,
            );
      }

      if (rights.effectiveRights.length === 0) layout.line(`${labels.effectiveRights} : ${labels.none}`, 8);
      else {
        layout.table([
          { header: labels.effectiveRights, width: 80 },
          { header: labels.right, width: 130 },
          { header: labels.level, width: 110 },
          { header: labels.resources, width: 195 },
        ]);
        for (const r of rights.effectiveRights) {
          const resources =
            r.resources === null ? labels.allResources : r.resources.map((res) => `${res.label} (${res.identifier})`).join(', ');
          layout.row([r.service, r.right, r.level, resources]);
        }
      }

      if (rights.pendingChangeRequests.length) {
        layout.table([
          { header: labels.pendingChanges, width: 70 },
          { header: labels.kind, width: 120 },
          { header: labels.change, width: 325 },
        ]);
        for (const p of rights.pendingChangeRequests) layout.row([date(p.createdAt), p.kind, p.summary]);
      }
      layout.endTable();
      layout.space(4);

      n++;
      if (n % AccessRightsReportWriter.DRAIN_EVERY === 0) {
        await layout.drain();
        await onProgress?.(n);
      }
    }
    await onProgress?.(n);
    await layout.finish();
    return { pages: layout.pages, rows: layout.rows };
  }
}
