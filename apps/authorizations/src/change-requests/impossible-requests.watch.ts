import { Injectable, OnModuleInit } from '@nestjs/common';
import { PrincipalChangeListeners } from '../rights/principal-change-listeners';
import { ChangeRequestService } from './change-request.service';

/**
 * A pending request becomes impossible when its validators change (suspension, signature
 * removed, credential revoked): every such change reaches this service as a principal
 * state, after identity committed it, so the company's pending requests are checked then.
 */
@Injectable()
export class ImpossibleRequestsWatch implements OnModuleInit {
  constructor(
    private readonly listeners: PrincipalChangeListeners,
    private readonly changes: ChangeRequestService,
  ) {}

  onModuleInit(): void {
    this.listeners.register((state) => this.changes.warnMakersOfImpossible(state.companyId));
  }
}
