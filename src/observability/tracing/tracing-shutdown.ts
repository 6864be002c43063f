import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { type Tracing, TRACING } from './tracing';

/** Last of all on app.close(): the final spans (of the shutdown itself) are exported, then the global provider is dropped. */
@Injectable()
export class TracingShutdown implements OnApplicationShutdown {
  constructor(@Inject(TRACING) private readonly tracing: Tracing | null) {}

  async onApplicationShutdown(): Promise<void> {
    await this.tracing?.shutdown();
  }
}
