import { MercuriusDriver, type MercuriusDriverConfig } from '@nestjs/mercurius';

/**
 * Nest's Mercurius driver as is, minus two Mercurius hooks (preParsing, onResolution) it adds for
 * ResolverDecoratorHost request hooks. Charter registers none, so on every operation they only
 * returned early, yet each cost Mercurius a hook runner and a few promises. Should a request hook
 * ever be set before the server starts, the driver keeps Nest's behaviour.
 */
export class CharterMercuriusDriver extends MercuriusDriver {
  override async start(options: MercuriusDriverConfig): Promise<void> {
    const host = this.resolverDecoratorHost;
    if (host?.hasRequestHooks() !== false) {
      await super.start(options);
      return;
    }
    const self = this as unknown as { resolverDecoratorHost: typeof host | undefined };
    self.resolverDecoratorHost = undefined;
    try {
      await super.start(options);
    } finally {
      self.resolverDecoratorHost = host;
    }
  }
}
