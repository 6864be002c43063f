import { Module } from '@nestjs/common';
import { ContractsModule } from '../contracts/contracts.module';
import { DomainsModule } from '../domains/domains.module';
import { WebhookDeliveriesRepository } from './webhook-deliveries.repository';
import { WebhookWorker } from './webhook-worker';
import { WebhooksRepository } from './webhooks.repository';
import { WebhooksResolver } from './webhooks.resolver';
import { WebhooksService } from './webhooks.service';

/** Webhook endpoints, their deliveries from the change-event outbox and the delivery worker. */
@Module({
  imports: [DomainsModule, ContractsModule],
  providers: [
    WebhooksRepository,
    WebhookDeliveriesRepository,
    WebhookWorker,
    WebhooksService,
    WebhooksResolver,
  ],
})
export class WebhooksModule {}
