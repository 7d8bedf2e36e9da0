import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { AuthenticateOperatorPayload, IdentityCommands, OperatorView } from '@procura/contracts';
import { OperatorsService } from './operators.service';

@Controller()
export class OperatorsHandlers {
  constructor(private readonly operators: OperatorsService) {}

  @MessagePattern(IdentityCommands.authenticateOperator.pattern)
  authenticate(@Payload() payload: AuthenticateOperatorPayload): Promise<OperatorView> {
    return this.operators.authenticate(payload.apiKey);
  }
}
