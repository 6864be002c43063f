/** Worker thread running json-schema-diff, which blocks its thread and may run for minutes. */
import { parentPort } from 'node:worker_threads';
import { diffSchemas } from 'json-schema-diff';

interface Job {
  id: number;
  sourceSchema: object | boolean;
  destinationSchema: object | boolean;
}

parentPort?.on('message', (job: Job) => {
  const started = performance.now();
  diffSchemas({
    sourceSchema: job.sourceSchema,
    destinationSchema: job.destinationSchema,
  }).then(
    (result) => {
      const ms = performance.now() - started;
      parentPort?.postMessage({
        id: job.id,
        ok: true,
        added: result.additionsFound,
        removed: result.removalsFound,
        ms,
      });
    },
    () =>
      parentPort?.postMessage({ id: job.id, ok: false, reason: 'error', ms: performance.now() - started }),
  );
});
