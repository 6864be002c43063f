import { Injectable } from '@nestjs/common';
import { type Actor } from '../../auth/actor';
import { DomainError } from '../../common/errors/error-codes';
import { Authenticator } from '../../auth/authenticator';
import { CredentialsCache } from '../../auth/credentials-cache';
import { ChangeEventFeed } from './change-event-feed';
import { parseChangeEventFilter } from './change-event-filter.input';
import { type LiveSubscription } from './live-subscription';
import { type ChangeEventFilterInput } from './models/change-event.model';

/** Subscriptions one socket may hold at once: each is a consumer the feed fans out to. */
export const MAX_SUBSCRIPTIONS_PER_CONNECTION = 20;

/** Opens change-event subscriptions for an authenticated caller. */
@Injectable()
export class LiveEventsService {
  // Keyed by the connection's upgrade request: counts live only as long as the connection.
  private readonly openPerConnection = new WeakMap<object, number>();

  constructor(
    private readonly feed: ChangeEventFeed,
    private readonly authenticator: Authenticator,
    private readonly credentials: CredentialsCache,
  ) {}

  /**
   * `connection` is the socket's upgrade request; `authorization` the credential it authenticated
   * with, re-checked when credentials change.
   */
  subscribe(
    actor: Actor,
    connection: object,
    authorization: string | undefined,
    input: ChangeEventFilterInput | null | undefined,
  ): LiveSubscription {
    const filter = parseChangeEventFilter(input);
    const open = this.openPerConnection.get(connection) ?? 0;
    if (open >= MAX_SUBSCRIPTIONS_PER_CONNECTION)
      throw new DomainError(
        'RATE_LIMITED',
        `at most ${MAX_SUBSCRIPTIONS_PER_CONNECTION} subscriptions per connection; end one first`,
      );
    this.openPerConnection.set(connection, open + 1);
    let generation = this.credentials.generation;
    const ended = () => {
      this.openPerConnection.set(connection, (this.openPerConnection.get(connection) ?? 1) - 1);
    };
    return this.feed.open(
      filter,
      {
        actor,
        // A JWT can expire mid-stream, so it is checked for every event; keys only after a credentials change.
        stale: () => actor.credential.kind === 'jwt' || generation !== this.credentials.generation,
        reauthenticate: async () => {
          generation = this.credentials.generation;
          const outcome = await this.authenticator.authenticateRequest({ headers: { authorization } });
          return outcome.ok ? outcome.actor : null;
        },
      },
      ended,
    );
  }
}
