/**
 * Child process of bench:registry: the framework's own floor for a GraphQL read, a Nest 11 +
 * Mercurius server (Fastify, one fastify copy) whose one query echoes its argument in a
 * fixed object: no authentication, no database, no hooks of Charter's. The reference figures
 * (bare Fastify about 90k/s, "a trivial Nest + Mercurius query about 37k/s") are of this kind.
 */
import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Args, Field, GraphQLModule, Int, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { MercuriusDriver, type MercuriusDriverConfig } from '@nestjs/mercurius';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';

@ObjectType()
class TrivialVersion {
  @Field() id!: string;
  @Field(() => Int) version!: number;
  @Field() contentHash!: string;
}

@Resolver()
class TrivialResolver {
  // The bench's query passes `product`: the argument goes through Nest's parameter pipeline as Charter's does.
  @Query(() => TrivialVersion)
  contractVersion(@Args('product') product: string): TrivialVersion {
    return { id: product, version: 1, contentHash: 'sha256:trivial' };
  }
}

@Module({
  imports: [
    GraphQLModule.forRoot<MercuriusDriverConfig>({
      driver: MercuriusDriver,
      autoSchemaFile: true,
      graphiql: false,
    }),
  ],
  providers: [TrivialResolver],
})
class TrivialModule {}

async function main(): Promise<void> {
  const app = await NestFactory.create<NestFastifyApplication>(
    TrivialModule,
    new FastifyAdapter({ logger: false, skipMiddie: true }),
    { logger: false },
  );
  await app.listen({ host: '127.0.0.1', port: 0 });
  process.send?.({ url: await app.getUrl() });
  process.on('disconnect', () => {
    void app.close().then(() => process.exit(0));
  });
}

void main();
