import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { Logger } from 'pino';
import { ApiServerMetrics } from '../observability/metrics';
import { ApiRouter } from '../rest/api-router';
import { DiscoveryController } from './discovery.controller';
import { PrometheusSdController } from './prometheus-sd.controller';
import { StatusFilter } from './status.filter';
import { ResourceController } from './resource.controller';
import { HealthChecks, SystemController } from './system.controller';
import { FlowController } from '../flowcontrol/flow-control';
import { API_ROUTER, FLOW, HEALTH, LOGGER, METRICS } from './tokens';

export interface AppDependencies {
  router: ApiRouter;
  metrics: ApiServerMetrics;
  logger: Logger;
  health: HealthChecks;
  flow: FlowController;
}

@Module({})
export class ApiServerModule {
  static forRoot(deps: AppDependencies): DynamicModule {
    return {
      module: ApiServerModule,
      // Order matters: exact discovery paths before the resource wildcard.
      controllers: [SystemController, DiscoveryController, PrometheusSdController, ResourceController],
      providers: [
        { provide: APP_FILTER, useClass: StatusFilter },
        { provide: API_ROUTER, useValue: deps.router },
        { provide: METRICS, useValue: deps.metrics },
        { provide: LOGGER, useValue: deps.logger },
        { provide: HEALTH, useValue: deps.health },
        { provide: FLOW, useValue: deps.flow },
      ],
    };
  }
}
