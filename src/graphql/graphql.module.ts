import { type DynamicModule } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import { type MercuriusDriverConfig } from '@nestjs/mercurius';
import { NoSchemaIntrospectionCustomRule } from 'graphql';
import { type Logger } from 'pino';
import { Authenticator } from '../auth/authenticator';
import { type AppConfig } from '../config/app-config';
import { mercuriusErrorFormatter } from './error-formatter';
import { documentLimitsRule } from './limits/document-limits.rule';
import { CharterMercuriusDriver } from './mercurius-driver';
import {
  letWebSocketUpgradesPastCsrfCheck,
  subscriptionOnConnect,
  subscriptionValidationHooks,
} from './subscription-edge';

export const GRAPHQL_PATH = '/graphql';

/** Pings idle subscription sockets so proxies do not drop them. */
const SUBSCRIPTION_KEEP_ALIVE_MS = 30_000;

/**
 * A document that keeps coming back is compiled by graphql-jit (about a quarter less CPU per
 * `contractVersion` read, README "Benchmarks"), in the background: Mercurius' adaptive mode always
 * coerces variables with graphql-js first, so a compiled document refuses bad input as before.
 * `eluThreshold: 1` compiles whatever the load (one document per event-loop turn); with the
 * default 0.8 a saturated service would never compile the queries that saturate it.
 */
function jitOptions(minRuns: number): Pick<MercuriusDriverConfig, 'jit'> {
  return minRuns === 0 ? {} : { jit: { minCount: minRuns, eluThreshold: 1 } };
}

/**
 * The edge limits (README "Operations: metrics and GraphQL limits"): tokens while parsing, then
 * depth, aliases, directives and cost as validation rules, all before any resolver runs.
 * Batched bodies are refused (Mercurius' default); suggestions are hidden with introspection.
 * Subscriptions (graphql-ws over WebSocket on the same path) authenticate at connection_init and
 * get the same limits through hooks (README "Live events").
 */
export function graphqlModule(config: AppConfig, logger: Logger): DynamicModule {
  const hideSuggestions = !config.graphqlIntrospection;
  // graphql 16.11+ reads hideSuggestions; Mercurius passes these options through untyped.
  const validateOptions: { maxErrors: number; hideSuggestions: boolean } = {
    maxErrors: 100,
    hideSuggestions,
  };
  const validationRules = [
    documentLimitsRule(config.graphqlLimits),
    ...(config.graphqlIntrospection ? [] : [NoSchemaIntrospectionCustomRule]),
  ];
  return GraphQLModule.forRootAsync<MercuriusDriverConfig>({
    driver: CharterMercuriusDriver,
    inject: [Authenticator, HttpAdapterHost],
    useFactory: (authenticator: Authenticator, adapterHost: HttpAdapterHost) => {
      // Before Mercurius registers its routes (the driver starts after this factory).
      letWebSocketUpgradesPastCsrfCheck(adapterHost.httpAdapter.getInstance(), GRAPHQL_PATH);
      return {
        path: GRAPHQL_PATH,
        autoSchemaFile: true,
        sortSchema: true,
        graphiql: false,
        allowBatchedQueries: false,
        ...jitOptions(config.graphqlJitMinRuns),
        csrfPrevention: true,
        buildSchemaOptions: { dateScalarMode: 'isoDate' },
        errorFormatter: mercuriusErrorFormatter(logger, { hideSuggestions }),
        graphql: {
          parseOptions: { maxTokens: config.graphqlLimits.maxTokens },
          validateOptions,
        },
        validationRules,
        subscription: {
          onConnect: subscriptionOnConnect(authenticator, { log: logger, hideSuggestions }),
          keepAlive: SUBSCRIPTION_KEEP_ALIVE_MS,
        },
        hooks: subscriptionValidationHooks(config.graphqlLimits, validationRules, validateOptions, logger),
      };
    },
  });
}
