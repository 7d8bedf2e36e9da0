import { ChangeRequestView } from '@procura/contracts';
import { FullChangeRequest } from './change-request.repository';

export function toChangeRequestView(cr: FullChangeRequest): ChangeRequestView {
  return {
    id: cr.id,
    companyId: cr.companyId,
    status: cr.status,
    kind: cr.kind,
    summary: cr.summary,
    makerUserId: cr.makerUserId,
    makerKind: cr.makerKind === 'operator' ? 'operator' : 'user',
    requiredApprovals: cr.requiredApprovals,
    approvals: cr.approvals.map((a) => ({ validatorUserId: a.validatorUserId, approvedAt: a.approvedAt.toISOString() })),
    subjectUserIds: cr.subjectUserIds,
    items: cr.items.map((item) => ({
      position: item.position,
      kind: item.kind,
      ...(item.ref ? { ref: item.ref } : {}),
      summary: item.summary,
      diff: item.diff as Record<string, unknown>,
      targetType: item.targetType,
      ...(item.targetId ? { targetId: item.targetId } : {}),
      ...(item.outcome ? { outcome: item.outcome } : {}),
      ...(item.reason ? { reason: item.reason } : {}),
    })),
    ...(cr.reason ? { reason: cr.reason } : {}),
    ...(cr.result ? { result: cr.result as Record<string, unknown> } : {}),
    createdAt: cr.createdAt.toISOString(),
    expiresAt: cr.expiresAt.toISOString(),
    ...(cr.decidedAt ? { decidedAt: cr.decidedAt.toISOString() } : {}),
    ...(cr.appliedAt ? { appliedAt: cr.appliedAt.toISOString() } : {}),
  };
}
