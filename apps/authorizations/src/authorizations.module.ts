import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig } from '@procura/config';
import { createSystemController, PlatformModule } from '@procura/messaging';
import { CatalogHandlers } from './catalog/catalog.handlers';
import { ChangeRequestsModule } from './change-requests/change-requests.module';
import { RightsCoreModule } from './changes/rights-core.module';
import { DemoResourcesSeed } from './resources/demo-resources.seed';

@Module({})
export class AuthorizationsModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AuthorizationsModule,
      imports: [PlatformModule.forService(config), RightsCoreModule, ChangeRequestsModule],
      controllers: [createSystemController('authorizations'), CatalogHandlers],
      providers: [DemoResourcesSeed],
    };
  }
}
