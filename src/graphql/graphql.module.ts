import { type DynamicModule } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import { MercuriusDriver, type MercuriusDriverConfig } from '@nestjs/mercurius';
import { NoSchemaIntrospectionCustomRule } from 'graphql';
import { type Logger } from 'pino';
import { type AppConfig } from '../config/app-config';
import { mercuriusErrorFormatter } from './error-formatter';
import { documentLimitsRule } from './limits/document-limits.rule';

export const GRAPHQL_PATH = '/graphql';

/**
 * The edge limits (README "Operations: metrics and GraphQL limits"): tokens while parsing, then
 * depth, aliases, directives and cost as validation rules, all before any resolver runs.
 * Batched bodies are refused (Mercurius' default); suggestions are hidden with introspection.
 */
export function graphqlModule(config: AppConfig, logger: Logger): DynamicModule {
  const hideSuggestions = !config.graphqlIntrospection;
  // graphql 16.11+ reads hideSuggestions; Mercurius passes these options through untyped.
  const validateOptions: { maxErrors: number; hideSuggestions: boolean } = {
    maxErrors: 100,
    hideSuggestions,
  };
  return GraphQLModule.forRoot<MercuriusDriverConfig>({
    driver: MercuriusDriver,
    path: GRAPHQL_PATH,
    autoSchemaFile: true,
    sortSchema: true,
    graphiql: false,
    allowBatchedQueries: false,
    csrfPrevention: true,
    buildSchemaOptions: { dateScalarMode: 'isoDate' },
    errorFormatter: mercuriusErrorFormatter(logger, { hideSuggestions }),
    graphql: {
      parseOptions: { maxTokens: config.graphqlLimits.maxTokens },
      validateOptions,
    },
    validationRules: [
      documentLimitsRule(config.graphqlLimits),
      ...(config.graphqlIntrospection ? [] : [NoSchemaIntrospectionCustomRule]),
    ],
  });
}
