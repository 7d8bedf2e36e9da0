import { Module } from '@nestjs/common';
import { EventsModule } from '../events/events.module';
import { OperatorsDataModule } from '../operators/operators-data.module';
import { SharedModule } from '../shared/shared.module';
import { AccessService } from './access.service';
import { UserChangeRules } from './user-change-rules';
import { UsersHandlers } from './users.handlers';
import { UsersRepository } from './users.repository';
import { UsersService } from './users.service';

/** Persons of a company: registration by operators, reads, the seams other services ask about users. */
@Module({
  imports: [SharedModule, EventsModule, OperatorsDataModule],
  controllers: [UsersHandlers],
  providers: [UsersRepository, AccessService, UserChangeRules, UsersService],
  exports: [UsersRepository, AccessService, UserChangeRules, UsersService],
})
export class UsersModule {}
