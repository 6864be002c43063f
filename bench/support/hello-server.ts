/** Child process of the benches: a bare Fastify hello-world, the ceiling we compare against. */
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.get('/', () => 'hello world');
app.post('/', () => 'hello world');
void app.listen({ host: '127.0.0.1', port: 0 }).then((url) => {
  process.send?.({ url });
});
process.on('disconnect', () => {
  void app.close().then(() => process.exit(0));
});
