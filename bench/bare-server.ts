import Fastify from 'fastify';

// The yardstick: the cheapest JSON route Fastify can serve, on the same machine in the same run.
const app = Fastify({ logger: false });
app.get('/bare/:id', async (req) => ({
  id: Number((req.params as { id: string }).id),
  username: 'bench',
  email: 'bench@example.com',
}));
await app.listen({ port: Number(process.argv[2] ?? 0), host: '127.0.0.1' });
console.log(`listening ${(app.server.address() as { port: number }).port}`);
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
