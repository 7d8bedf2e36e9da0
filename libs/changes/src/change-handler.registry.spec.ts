import { Global, Injectable, Module, Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DeliveryUpdateChange } from '@procura/contracts';
import { PrismaService, Transactions, Tx } from '@procura/database';
import { CommandBus } from '@procura/messaging';
import { ChangeHandlerRegistry } from './change-handler.registry';
import { ChangeDescription, ChangeEffect, ChangeHandler, ChangeKindHandler } from './change-kind-handler';
import { ChangesModule } from './changes.module';

/** Booting needs none of these: the registry is checked before anything runs. */
@Global()
@Module({
  providers: [
    { provide: PrismaService, useValue: {} },
    { provide: Transactions, useValue: {} },
    { provide: CommandBus, useValue: {} },
  ],
  exports: [PrismaService, Transactions, CommandBus],
})
class PlatformStub {}

const description: ChangeDescription<DeliveryUpdateChange> = {
  summary: 's',
  diff: { before: null, after: null },
  targetType: 'Delivery',
  subjectUserIds: [],
  plan: { deliveryId: '00000000-0000-4000-8000-000000000001' } as DeliveryUpdateChange,
};
const effect: ChangeEffect = { result: {}, audit: { action: 'A', targetType: 'Delivery' } };

@Injectable()
@ChangeHandler('DELIVERY_UPDATE')
class DeliveryUpdateHandler implements ChangeKindHandler<'DELIVERY_UPDATE'> {
  async validate(): Promise<ChangeDescription<DeliveryUpdateChange>> {
    return description;
  }
  async apply(_tx: Tx): Promise<ChangeEffect> {
    return effect;
  }
}

@Injectable()
@ChangeHandler('DELIVERY_UPDATE')
class SecondDeliveryUpdateHandler extends DeliveryUpdateHandler {}

@Injectable()
@ChangeHandler('USER_CREATE')
class ForeignHandler {}

/** Boots the change kit of the reporting service (which owns DELIVERY_UPDATE only) with these handlers. */
async function boot(...handlers: Type[]) {
  const moduleRef = await Test.createTestingModule({
    imports: [PlatformStub, ChangesModule.forOwner({ service: 'reporting' })],
    providers: handlers,
  }).compile();
  return moduleRef.init();
}

describe(ChangeHandlerRegistry.name, () => {
  it('starts when each kind the service owns has exactly one handler', async () => {
    const app = await boot(DeliveryUpdateHandler);
    expect(app.get(ChangeHandlerRegistry).get('DELIVERY_UPDATE').handler).toBeInstanceOf(DeliveryUpdateHandler);
    await app.close();
  });

  it('refuses to start when a kind the service owns has no handler', async () => {
    await expect(boot()).rejects.toThrow('reporting change kinds: no handler for DELIVERY_UPDATE');
  });

  it('refuses to start when a kind has two handlers, naming them', async () => {
    await expect(boot(DeliveryUpdateHandler, SecondDeliveryUpdateHandler)).rejects.toThrow(
      'DELIVERY_UPDATE has 2 handlers: DeliveryUpdateHandler, SecondDeliveryUpdateHandler',
    );
  });

  it("refuses a handler for another service's kind", async () => {
    await expect(boot(DeliveryUpdateHandler, ForeignHandler)).rejects.toThrow(
      'ForeignHandler handles USER_CREATE, which the identity service owns',
    );
  });

  it('answers a kind it does not own with a validation error naming the owner', async () => {
    const app = await boot(DeliveryUpdateHandler);
    expect(() => app.get(ChangeHandlerRegistry).get('USER_CREATE')).toThrow(
      expect.objectContaining({ fields: [{ field: 'kind', messages: ['USER_CREATE is a change kind of the identity service'] }] }),
    );
    await app.close();
  });
});
