import { Module } from '@nestjs/common';
import { PrincipalsRepository } from './principals.repository';

/** The copy of identity's users (status, credentials) that the rights check needs. */
@Module({ providers: [PrincipalsRepository], exports: [PrincipalsRepository] })
export class PrincipalsModule {}
