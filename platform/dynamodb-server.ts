import dynalite from 'dynalite';

// dynalite in a process of its own, so the DynamoDB API gets its own event loop (and core).
const [port, dataDir] = [Number(process.argv[2]), process.argv[3]];
const server = dynalite({
  ...(dataDir ? { path: dataDir } : {}),
  createTableMs: 0,
  deleteTableMs: 0,
  updateTableMs: 0,
});
server.once('error', (err: NodeJS.ErrnoException) => {
  console.log(err.code === 'EADDRINUSE' ? 'port-taken' : `error ${err.message}`);
  process.exit(1);
});
server.listen(port, '127.0.0.1', () => console.log('listening'));
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
// Gone with its parent: a launcher killed without warning leaves no DynamoDB behind.
const parent = process.ppid;
setInterval(() => process.ppid !== parent && stop(), 1_000).unref();
