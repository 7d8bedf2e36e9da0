import { Module } from '@nestjs/common';
import { OperatorsRepository } from './operators.repository';

/** The operators' tables, for the features that ask whether an operator reaches a company. */
@Module({ providers: [OperatorsRepository], exports: [OperatorsRepository] })
export class OperatorsDataModule {}
