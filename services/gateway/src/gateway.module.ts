import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { OpenAiErrorFilter } from './error.filter';
import { GATEWAY_CONTEXT, type GatewayContext } from './gateway-context';
import {
  BatchesController,
  FilesController,
  OperationsController,
  OpenAiController,
} from './gateway.controllers';

/** The gateway's Nest module; one dynamic instance per running gateway, holding its context. */
@Module({})
export class GatewayModule {
  static withContext(ctx: GatewayContext): DynamicModule {
    return {
      module: GatewayModule,
      controllers: [OpenAiController, FilesController, BatchesController, OperationsController],
      providers: [
        { provide: GATEWAY_CONTEXT, useValue: ctx },
        { provide: APP_FILTER, useClass: OpenAiErrorFilter },
      ],
    };
  }
}
