import { type DynamicModule } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import { MercuriusDriver, type MercuriusDriverConfig } from '@nestjs/mercurius';
import { NoSchemaIntrospectionCustomRule } from 'graphql';
import { type Logger } from 'pino';
import { type AppConfig } from '../config/app-config';
import { mercuriusErrorFormatter } from './error-formatter';

export const GRAPHQL_PATH = '/graphql';

export function graphqlModule(config: AppConfig, logger: Logger): DynamicModule {
  return GraphQLModule.forRoot<MercuriusDriverConfig>({
    driver: MercuriusDriver,
    path: GRAPHQL_PATH,
    autoSchemaFile: true,
    sortSchema: true,
    graphiql: false,
    buildSchemaOptions: { dateScalarMode: 'isoDate' },
    errorFormatter: mercuriusErrorFormatter(logger),
    validationRules: config.graphqlIntrospection ? [] : [NoSchemaIntrospectionCustomRule],
  });
}
