import Fastify from 'fastify';
import pg from 'pg';

// The yardstick for checkout: one service, one PostgreSQL transaction doing what an order needs
// (lock the stock row, take the stock, insert the order, its lines and its outbox event, commit).
const [port, databaseUrl] = [Number(process.argv[2]), process.argv[3]!];
const pool = new pg.Pool({ connectionString: databaseUrl, max: 20 });
await pool.query(`
  CREATE TABLE IF NOT EXISTS bare_stock (product_id INT PRIMARY KEY, quantity INT NOT NULL);
  CREATE TABLE IF NOT EXISTS bare_orders (id SERIAL PRIMARY KEY, user_id INT NOT NULL, total_amount DECIMAL(10,2) NOT NULL, status TEXT NOT NULL, created_at TIMESTAMPTZ NOT NULL DEFAULT now());
  CREATE TABLE IF NOT EXISTS bare_order_items (id SERIAL PRIMARY KEY, order_id INT NOT NULL REFERENCES bare_orders(id), product_id INT NOT NULL, quantity INT NOT NULL, price DECIMAL(10,2) NOT NULL);
  CREATE TABLE IF NOT EXISTS bare_outbox (id BIGSERIAL PRIMARY KEY, payload JSONB NOT NULL, created_at TIMESTAMPTZ NOT NULL DEFAULT now());
  INSERT INTO bare_stock SELECT g, 1000000000 FROM generate_series(1, 200) g ON CONFLICT DO NOTHING;`);

const app = Fastify({ logger: false });
app.post('/bare/orders', async (req) => {
  const productId = 1 + Math.floor(Math.random() * 200);
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT quantity FROM bare_stock WHERE product_id = $1 FOR UPDATE', [productId]);
    await client.query('UPDATE bare_stock SET quantity = quantity - 1 WHERE product_id = $1', [productId]);
    const { rows } = await client.query<{ id: number }>(
      "INSERT INTO bare_orders (user_id, total_amount, status) VALUES (1, 9.99, 'pending') RETURNING id",
    );
    await client.query(
      'INSERT INTO bare_order_items (order_id, product_id, quantity, price) VALUES ($1, $2, 1, 9.99)',
      [rows[0]!.id, productId],
    );
    await client.query('INSERT INTO bare_outbox (payload) VALUES ($1)', [
      JSON.stringify({ order_id: rows[0]!.id, body: req.body }),
    ]);
    await client.query('COMMIT');
    return { id: rows[0]!.id };
  } catch (err) {
    await client.query('ROLLBACK');
    throw err;
  } finally {
    client.release();
  }
});
await app.listen({ port, host: '127.0.0.1' });
console.log(`listening ${port}`);
process.on(
  'SIGTERM',
  () =>
    void app
      .close()
      .then(() => pool.end())
      .then(() => process.exit(0)),
);
