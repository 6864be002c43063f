import { Injectable } from '@nestjs/common';
import { type Actor } from '../../auth/actor';
import { Authenticator } from '../../auth/authenticator';
import { CredentialsCache } from '../../auth/credentials-cache';
import { ChangeEventFeed } from './change-event-feed';
import { parseChangeEventFilter } from './change-event-filter.input';
import { type LiveSubscription } from './live-subscription';
import { type ChangeEventFilterInput } from './models/change-event.model';

/** Opens change-event subscriptions for an authenticated caller. */
@Injectable()
export class LiveEventsService {
  constructor(
    private readonly feed: ChangeEventFeed,
    private readonly authenticator: Authenticator,
    private readonly credentials: CredentialsCache,
  ) {}

  /** `authorization` is the credential the connection authenticated with, re-checked when credentials change. */
  subscribe(
    actor: Actor,
    authorization: string | undefined,
    input: ChangeEventFilterInput | null | undefined,
  ): LiveSubscription {
    const filter = parseChangeEventFilter(input);
    let generation = this.credentials.generation;
    return this.feed.open(filter, {
      actor,
      // A JWT can expire mid-stream, so it is checked for every event; keys only after a credentials change.
      stale: () => actor.credential.kind === 'jwt' || generation !== this.credentials.generation,
      reauthenticate: async () => {
        generation = this.credentials.generation;
        const outcome = await this.authenticator.authenticateRequest({ headers: { authorization } });
        return outcome.ok ? outcome.actor : null;
      },
    });
  }
}
