import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

export interface Readiness {
  status: 'ready' | 'unavailable';
  checks: { database: 'up' | 'down'; migrations: 'applied' | 'pending' | 'unknown' };
}

const PROBE_TIMEOUT_MS = 2_000;

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error('probe timed out'));
    }, ms);
  });
  return Promise.race([work, timeout]).finally(() => {
    clearTimeout(timer);
  });
}

@Injectable()
export class ReadinessProbe {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async check(): Promise<Readiness> {
    try {
      const pending = await withTimeout(this.dataSource.showMigrations(), PROBE_TIMEOUT_MS);
      return {
        status: pending ? 'unavailable' : 'ready',
        checks: { database: 'up', migrations: pending ? 'pending' : 'applied' },
      };
    } catch {
      return { status: 'unavailable', checks: { database: 'down', migrations: 'unknown' } };
    }
  }
}
